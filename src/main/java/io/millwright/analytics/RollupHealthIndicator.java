package io.millwright.analytics;

import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;

/** Health component {@code analyticsRollups}: DOWN while the last merge into the database failed. */
class RollupHealthIndicator extends AbstractHealthIndicator {

    private final RollupAggregator aggregator;

    RollupHealthIndicator(RollupAggregator aggregator) {
        super("Rollups health check failed");
        this.aggregator = aggregator;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        String failure = aggregator.lastFailure();
        if (failure == null) {
            builder.up();
        } else {
            builder.down().withDetail("failure", failure);
        }
        builder.withDetail("rolledSamples", aggregator.rolledSamples())
                .withDetail("skippedSignals", aggregator.skippedSignals())
                .withDetail("openBuckets", aggregator.openBuckets());
    }
}
