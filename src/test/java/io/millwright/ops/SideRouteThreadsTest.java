package io.millwright.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class SideRouteThreadsTest {

    @Test
    void aSideRouteThreadRunsAtTheConfiguredNiceValueAndOtherThreadsKeepTheirs() throws Exception {
        assumeTrue(SideRouteThreads.currentNice().isPresent(), "Linux only: needs /proc/thread-self");
        TelemetryPressure pressure = new TelemetryPressure(0.5, Duration.ofMillis(100), 10);
        AtomicReference<OptionalInt> sideRoute = new AtomicReference<>();
        AtomicReference<OptionalInt> secondCall = new AtomicReference<>();
        Thread thread = new Thread(() -> {
            pressure.onSideRouteThread();
            sideRoute.set(SideRouteThreads.currentNice());
            pressure.onSideRouteThread(); // once per thread: no second renice
            secondCall.set(SideRouteThreads.currentNice());
        }, "analytics-feed-test");
        OptionalInt before = SideRouteThreads.currentNice();
        thread.start();
        thread.join(10_000);

        assertThat(sideRoute.get()).hasValue(10);
        assertThat(secondCall.get()).hasValue(10);
        assertThat(SideRouteThreads.currentNice()).isEqualTo(before); // the caller's (telemetry's) thread is untouched
    }

    @Test
    void niceZeroLeavesTheThreadAsItIs() throws Exception {
        assumeTrue(SideRouteThreads.currentNice().isPresent(), "Linux only: needs /proc/thread-self");
        TelemetryPressure pressure = new TelemetryPressure(0.5, Duration.ofMillis(100), 0);
        AtomicReference<OptionalInt> before = new AtomicReference<>();
        AtomicReference<OptionalInt> after = new AtomicReference<>();
        Thread thread = new Thread(() -> {
            before.set(SideRouteThreads.currentNice());
            pressure.onSideRouteThread();
            after.set(SideRouteThreads.currentNice());
        });
        thread.start();
        thread.join(10_000);

        assertThat(after.get()).isEqualTo(before.get());
    }

    @Test
    void aNiceValueOutsideLinuxsRangeIsRefusedNamingTheSetting() {
        assertThatThrownBy(() -> new SideRouteThreads(20)).hasMessageContaining("millwright.side-routes.nice").hasMessageContaining("20");
        assertThatThrownBy(() -> new SideRouteThreads(-1)).hasMessageContaining("between 0 and 19");
    }
}
