package io.millwright.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Side routes give way while a telemetry hand-off fills up, and never for longer than max-wait. */
class TelemetryPressureTest {

    final AtomicReference<Double> fill = new AtomicReference<>(0.0);

    @Test
    void behindOnlyWhileAHandoffIsAtLeastAsFullAsTheThreshold() {
        TelemetryPressure pressure = new TelemetryPressure(0.2, Duration.ofSeconds(2));
        pressure.register(() -> 0.0);
        pressure.register(fill::get);
        assertThat(pressure.behind()).isFalse();
        fill.set(0.19);
        assertThat(pressure.behind()).isFalse();
        fill.set(0.2);
        assertThat(pressure.behind()).isTrue();
    }

    @Test
    void aSideRouteWaitsUntilTheTelemetryCaughtUp() throws Exception {
        TelemetryPressure pressure = new TelemetryPressure(0.2, Duration.ofSeconds(30));
        pressure.register(fill::get);
        fill.set(0.9);
        java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
        CompletableFuture<Void> sideRoute = CompletableFuture.runAsync(() -> {
            try {
                started.countDown();
                pressure.yieldWhileBehind();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        TimeUnit.MILLISECONDS.sleep(300);
        assertThat(sideRoute).as("still waiting while the hand-off is 90 % full").isNotDone();
        fill.set(0.0);
        sideRoute.get(10, TimeUnit.SECONDS); // well before its 30 s max-wait
    }

    @Test
    void aSideRouteNeverWaitsLongerThanMaxWait_soItAlwaysMakesProgress() throws Exception {
        TelemetryPressure pressure = new TelemetryPressure(0.2, Duration.ofMillis(200));
        pressure.register(() -> 1.0);
        CompletableFuture<Void> sideRoute = CompletableFuture.runAsync(() -> {
            try {
                pressure.yieldWhileBehind();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        sideRoute.get(10, TimeUnit.SECONDS);
        assertThat(pressure.waitedMillis()).isBetween(200L, 9_000L);
    }

    @Test
    void withoutSourcesNothingIsEverBehind() throws Exception {
        TelemetryPressure pressure = TelemetryPressure.none();
        assertThat(pressure.behind()).isFalse();
        pressure.yieldWhileBehind();
        assertThat(pressure.waitedMillis()).isZero();
    }

    @Test
    void aFillOutsideZeroToOneIsRefused() {
        assertThatThrownBy(() -> new TelemetryPressure(0, Duration.ofSeconds(1))).hasMessageContaining("fill");
        assertThatThrownBy(() -> new TelemetryPressure(1.5, Duration.ofSeconds(1))).hasMessageContaining("fill");
    }
}
