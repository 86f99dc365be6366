package io.millwright.subscriptions;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How the hub derives a queue subscription's last delivery and last error from the broker's counts. */
class QueueDeliveryWatchTest {

    static final Instant T0 = Instant.parse("2026-11-30T08:00:00Z");

    final QueueDeliveryWatch watch = new QueueDeliveryWatch();

    @Test
    void consumerAttached_lastDeliveryIsItsLastAcknowledgement_andKeptAfterItLeaves() {
        watch.observe("s", read(0, 0, null), T0);
        Instant acked = T0.plusSeconds(3);
        assertThat(watch.observe("s", read(5, 0, acked.toEpochMilli()), T0.plusSeconds(10)))
                .containsEntry("lastDelivery", acked.toString())
                .doesNotContainKey("consumerLastAcknowledged");
        assertThat(watch.observe("s", read(5, 0, null), T0.plusSeconds(20))).containsEntry("lastDelivery", acked.toString());
    }

    // a subscriber that came, took events and left between two reads: the read that saw the count grow
    @Test
    void deliveredWhileNobodyWasThereToReport_lastDeliveryIsTheReadThatSawIt() {
        watch.observe("s", read(5, 0, T0.toEpochMilli()), T0);
        assertThat(watch.observe("s", read(5, 0, null), T0.plusSeconds(10))).containsEntry("lastDelivery", T0.toString());
        assertThat(watch.observe("s", read(8, 0, null), T0.plusSeconds(20)))
                .containsEntry("lastDelivery", T0.plusSeconds(20).toString());
    }

    @Test
    void failedCountGrows_lastErrorSaysHowManyAndWhen_thenStays() {
        assertThat(watch.observe("s", read(0, 0, null), T0)).containsEntry("lastError", null).containsEntry("lastErrorAt", null);
        Map<String, Object> failed = watch.observe("s", read(0, 2, null), T0.plusSeconds(10));
        assertThat((String) failed.get("lastError")).startsWith("2 event(s) expired or exceeded the delivery attempts")
                .contains("2 in all");
        assertThat(failed).containsEntry("lastErrorAt", T0.plusSeconds(10).toString());
        assertThat(watch.observe("s", read(1, 2, null), T0.plusSeconds(20)))
                .containsEntry("lastErrorAt", T0.plusSeconds(10).toString());
    }

    @Test
    void firstReadAfterHubStart_failuresBeforeAreNamedWithoutATime() {
        Map<String, Object> first = watch.observe("s", read(7, 3, null), T0);
        assertThat(first).containsEntry("lastDelivery", null).containsEntry("lastErrorAt", null);
        assertThat((String) first.get("lastError")).startsWith("3 event(s)").endsWith("before the hub started");
    }

    @Test
    void noQueue_figuresUnchanged() {
        assertThat(watch.observe("s", new LinkedHashMap<>(), T0)).isEmpty();
    }

    private static Map<String, Object> read(long delivered, long failed, Long consumerLastAcknowledged) {
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("pending", 0L);
        figures.put("delivered", delivered);
        figures.put("failed", failed);
        if (consumerLastAcknowledged != null) {
            figures.put("consumerLastAcknowledged", consumerLastAcknowledged);
        }
        return figures;
    }
}
