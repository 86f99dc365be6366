package io.millwright.analytics;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.millwright.ops.HubDirectoriesProperties;
import io.millwright.ops.KafkaClientProperties;
import io.millwright.ops.TelemetryPressure;
import java.time.Clock;
import java.time.ZoneId;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The analytics side routes. The lake bean is closed (its buffers flushed to Parquet) when Spring
 * destroys it, which is after Camel has stopped its routes, so no event arrives during the flush.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({AnalyticsProperties.class, HubDirectoriesProperties.class})
class AnalyticsConfiguration {

    /** Records the feed's hand-off holds at most: 0.6 s at 50,000 signals/s, about 14 MB of signals. */
    static final int FEED_HANDOFF_CAPACITY = 32_768;

    @Bean(destroyMethod = "close")
    @ConditionalOnProperty(name = "millwright.analytics.lake.enabled", havingValue = "true", matchIfMissing = true)
    ParquetLake parquetLake(AnalyticsProperties properties, HubDirectoriesProperties directories, TelemetryPressure pressure) {
        AnalyticsProperties.Lake lake = properties.lake();
        java.nio.file.Path root = LakeQuery.lakeRoot(directories);
        LakeStore store = lake.s3().isEnabled() ? S3LakeStore.create(lake.s3(), System::getenv) : new LocalLakeStore(root);
        return new ParquetLake(root, store, lake.rollSize().toBytes(), lake.rollInterval(), Clock.systemUTC(), pressure);
    }

    @Bean
    @ConditionalOnProperty(name = "millwright.analytics.lake.enabled", havingValue = "true", matchIfMissing = true)
    LakeRoute lakeRoute(ParquetLake lake, AnalyticsProperties properties, ObjectMapper objectMapper, TelemetryPressure pressure) {
        return new LakeRoute(lake, properties.lake(), objectMapper, pressure);
    }

    @Bean("analyticsLake")
    @ConditionalOnProperty(name = "millwright.analytics.lake.enabled", havingValue = "true", matchIfMissing = true)
    LakeHealthIndicator analyticsLakeHealth(ParquetLake lake) {
        return new LakeHealthIndicator(lake);
    }

    @Bean
    RollupStore rollupStore(org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate jdbc,
            org.springframework.transaction.support.TransactionTemplate transactions) {
        return new RollupStore(jdbc, transactions);
    }

    @Bean(destroyMethod = "flush")
    @ConditionalOnProperty(name = "millwright.analytics.rollups.enabled", havingValue = "true", matchIfMissing = true)
    RollupAggregator rollupAggregator(RollupStore store) {
        return new RollupAggregator(store);
    }

    @Bean
    @ConditionalOnProperty(name = "millwright.analytics.anomaly.enabled", havingValue = "true", matchIfMissing = true)
    AnomalyRoute anomalyRoute(AnalyticsProperties properties, ObjectMapper objectMapper) {
        AnalyticsProperties.Anomaly anomaly = properties.anomaly();
        return new AnomalyRoute(new AnomalyDetector(anomaly.detectorSettings()), anomaly, objectMapper);
    }

    /** What the hub's publisher hands the analytics feed, so it need not fetch it back from Kafka. */
    @Bean
    FeedHandoff analyticsFeedHandoff(ObjectProvider<MeterRegistry> registry) {
        FeedHandoff handoff = new FeedHandoff(FEED_HANDOFF_CAPACITY);
        registry.ifAvailable(meters -> {
            FunctionCounter.builder("millwright.analytics.feed.records", handoff, FeedHandoff::takenFromHandoff)
                    .tag("source", "handoff")
                    .description("Records the analytics feed took from the hub's publisher, not fetched back from Kafka")
                    .register(meters);
            FunctionCounter.builder("millwright.analytics.feed.records", handoff, FeedHandoff::takenFromKafka)
                    .tag("source", "kafka")
                    .description("Records the analytics feed read from Kafka (after a start, a gap, another producer's records)")
                    .register(meters);
            FunctionCounter.builder("millwright.analytics.feed.handoff.not-queued", handoff, FeedHandoff::notQueued)
                    .description("Published records the feed's full hand-off did not queue (the feed read them from Kafka)")
                    .register(meters);
        });
        return handoff;
    }

    /** The {@code analytics-feed:} component of the feed's route. */
    @Bean(AnalyticsFeedComponent.SCHEME)
    AnalyticsFeedComponent analyticsFeedComponent(AnalyticsProperties properties, ObjectProvider<KafkaClientProperties> client,
            FeedHandoff handoff) {
        return new AnalyticsFeedComponent(properties.kafkaBootstrapServers(),
                client.getIfAvailable(() -> KafkaClientProperties.PLAINTEXT), handoff);
    }

    /** The one Kafka consumer of the lake, the rollups and anomaly detection (those switched on). */
    @Bean
    AnalyticsFeedRoute analyticsFeedRoute(List<AnalyticsFeedStep> steps, AnalyticsProperties properties,
            ObjectMapper objectMapper, TelemetryPressure pressure) {
        return new AnalyticsFeedRoute(steps, properties.consumerGroup(), objectMapper, pressure);
    }

    @Bean
    @ConditionalOnProperty(name = "millwright.analytics.rollups.enabled", havingValue = "true", matchIfMissing = true)
    RollupRoute rollupRoute(RollupAggregator aggregator, AnalyticsProperties properties, ObjectMapper objectMapper,
            TelemetryPressure pressure) {
        return new RollupRoute(aggregator, properties.rollups(), objectMapper, pressure);
    }

    @Bean("analyticsRollups")
    @ConditionalOnProperty(name = "millwright.analytics.rollups.enabled", havingValue = "true", matchIfMissing = true)
    RollupHealthIndicator analyticsRollupsHealth(RollupAggregator aggregator) {
        return new RollupHealthIndicator(aggregator);
    }

    @Bean
    OeeService oeeService(LakeQuery lakeQuery, ShiftCalendar shiftCalendar, AnalyticsProperties properties,
            HubDirectoriesProperties directories) {
        return new OeeService(lakeQuery, shiftCalendar, directories.mappings().resolve(properties.oee().idealCycleTimes()));
    }

    @Bean
    ShiftCalendar shiftCalendar(AnalyticsProperties properties) {
        AnalyticsProperties.Oee oee = properties.oee();
        return new ShiftCalendar(ZoneId.of(oee.zone()), oee.shifts());
    }

    @Bean
    @ConditionalOnProperty(name = "millwright.analytics.kpi.enabled", havingValue = "true", matchIfMissing = true)
    KpiRoute kpiRoute(OeeService oeeService, ShiftCalendar shiftCalendar, AnalyticsProperties properties,
            org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate jdbc) {
        AnalyticsProperties.Kpi kpi = properties.kpi();
        return new KpiRoute(new ShiftKpiPublisher(oeeService, shiftCalendar, kpi.assets(), kpi.delay(), kpi.catchUp(),
                new KpiMarkStore(jdbc), Clock.systemUTC()), kpi);
    }

    @Bean
    LakeQuery lakeQuery(AnalyticsProperties properties, HubDirectoriesProperties directories) {
        return new LakeQuery(LakeQuery.lakeRoot(directories), properties.query(),
                S3LakeStore.unreadableLocallyReason(properties.lake().s3()));
    }
}
