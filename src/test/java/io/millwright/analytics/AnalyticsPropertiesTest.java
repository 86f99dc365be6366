package io.millwright.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** Settings bound as the hub binds them: the S3 lake's keys, a bad bucket or endpoint refused with the key named. */
class AnalyticsPropertiesTest {

    @Test
    void anS3LakeBindsFromItsKeys_withThePrefixTrimmed() {
        AnalyticsProperties properties = bind(Map.of(
                "millwright.analytics.lake.s3.bucket", "plant-lake",
                "millwright.analytics.lake.s3.endpoint", "http://127.0.0.1:9000",
                "millwright.analytics.lake.s3.prefix", "/site-a/events/",
                "millwright.analytics.lake.s3.path-style", "true"));
        AnalyticsProperties.S3 s3 = properties.lake().s3();
        assertThat(s3.isEnabled()).isTrue();
        assertThat(s3.location()).isEqualTo("s3://plant-lake/site-a/events");
        assertThat(s3.pathStyle()).isTrue();
        assertThat(s3.localCopy()).as("default: the hub's own queries keep working").isTrue();
        assertThat(s3.accessKeyEnv()).isEqualTo("MILLWRIGHT_LAKE_S3_ACCESS_KEY");
    }

    @Test
    void aBucketGivenAsUrlOrAnEndpointWithAPathIsRefusedNamingTheKey() {
        assertThatThrownBy(() -> bind(Map.of("millwright.analytics.lake.s3.bucket", "s3://plant-lake/events")))
                .rootCause().hasMessageContaining("millwright.analytics.lake.s3.bucket 's3://plant-lake/events'")
                .hasMessageContaining("prefix");
        assertThatThrownBy(() -> bind(Map.of("millwright.analytics.lake.s3.bucket", "plant-lake",
                "millwright.analytics.lake.s3.endpoint", "minio:9000/lake")))
                .rootCause().hasMessageContaining("millwright.analytics.lake.s3.endpoint 'minio:9000/lake'");
    }

    @Test
    void defaultsHaveALocalLakeAndKpiSettings() {
        AnalyticsProperties properties = bind(Map.of("millwright.analytics.kpi.assets[0]", "acme/springfield/assembly/line-1"));
        assertThat(properties.lake().s3().isEnabled()).isFalse();
        assertThat(properties.kpi().assets()).containsExactly("acme/springfield/assembly/line-1");
        assertThat(properties.kpi().delay()).isGreaterThan(properties.lake().rollInterval());
        assertThat(properties.ask().linePrefix()).isEqualTo("acme/springfield/assembly/line-");
    }

    private static AnalyticsProperties bind(Map<String, String> settings) {
        return new Binder(new MapConfigurationPropertySource(settings)).bindOrCreate("millwright.analytics", AnalyticsProperties.class);
    }
}
