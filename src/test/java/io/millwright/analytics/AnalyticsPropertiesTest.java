package io.millwright.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** Settings bound as the hub binds them: the S3 lake, which this build cannot offer, stops the start with the reason. */
class AnalyticsPropertiesTest {

    @Test
    void anS3BucketIsRefusedWithTheReason_notSilentlyWrittenToLocalDisk() {
        assertThatThrownBy(() -> bind(Map.of("millwright.analytics.lake.s3-bucket", "s3://plant-lake/events")))
                .rootCause().hasMessageContaining("millwright.analytics.lake.s3-bucket 's3://plant-lake/events'")
                .hasMessageContaining("not supported").hasMessageContaining("httpfs");
    }

    @Test
    void defaultsHaveALocalLakeAndKpiSettings() {
        AnalyticsProperties properties = bind(Map.of("millwright.analytics.kpi.assets[0]", "acme/springfield/assembly/line-1"));
        assertThat(properties.lake().s3Bucket()).isEmpty();
        assertThat(properties.kpi().assets()).containsExactly("acme/springfield/assembly/line-1");
        assertThat(properties.kpi().delay()).isGreaterThan(properties.lake().rollInterval());
        assertThat(properties.ask().linePrefix()).isEqualTo("acme/springfield/assembly/line-");
    }

    private static AnalyticsProperties bind(Map<String, String> settings) {
        return new Binder(new MapConfigurationPropertySource(settings)).bindOrCreate("millwright.analytics", AnalyticsProperties.class);
    }
}
