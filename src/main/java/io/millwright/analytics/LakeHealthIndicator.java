package io.millwright.analytics;

import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;

/**
 * Health component {@code analyticsLake}: DOWN while the lake's last roll failed (folder not
 * writable, disk full), with the reason; its figures either way. The telemetry path does not depend
 * on it, so the hub keeps running; the lake catches up when the disk is back (or reports dropped events).
 */
class LakeHealthIndicator extends AbstractHealthIndicator {

    private final ParquetLake lake;

    LakeHealthIndicator(ParquetLake lake) {
        super("Data lake health check failed");
        this.lake = lake;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        String failure = lake.lastFailure();
        if (failure == null) {
            builder.up();
        } else {
            builder.down().withDetail("failure", failure).withDetail("failedAt", String.valueOf(lake.lastFailureAt()));
        }
        builder.withDetail("root", lake.root().toString())
                .withDetail("location", lake.location())
                .withDetail("writtenEvents", lake.writtenEvents())
                .withDetail("writtenFiles", lake.writtenFiles())
                .withDetail("bufferedEvents", lake.bufferedEvents())
                .withDetail("filesWaiting", lake.filesWaiting())
                .withDetail("droppedEvents", lake.droppedEvents())
                .withDetail("rejectedEvents", lake.rejectedEvents());
    }
}
