package io.millwright.erp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** The new ERP settings of issue 8 bind from configuration, with their checks. */
class ErpPropertiesTest {

    static ErpProperties bind(Map<String, String> values) {
        return new Binder(new MapConfigurationPropertySource(values)).bindOrCreate("millwright.erp", ErpProperties.class);
    }

    @Test
    void defaultsAndTimeZonesBind() {
        ErpProperties settings = bind(Map.of(
                "millwright.erp.base-url", "http://127.0.0.1:8090/sap",
                "millwright.erp.plant-time-zone", "Europe/Berlin",
                "millwright.erp.site-time-zones.chicago", "America/Chicago"));
        assertThat(settings.processingTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(settings.claimLease()).isEqualTo(Duration.ofMinutes(2));
        assertThat(settings.postingZone("acme/springfield/assembly")).isEqualTo(ZoneId.of("Europe/Berlin"));
        assertThat(settings.postingZone("acme/chicago/assembly")).isEqualTo(ZoneId.of("America/Chicago"));
        assertThat(bind(Map.of("millwright.erp.base-url", "http://x")).postingZone("a/b")).isEqualTo(ZoneId.systemDefault());
    }

    @Test
    void processingTimeoutMustExceedRequestTimeout() {
        assertThatThrownBy(() -> bind(Map.of("millwright.erp.base-url", "http://x", "millwright.erp.request-timeout", "90s")))
                .hasStackTraceContaining("millwright.erp.processing-timeout=PT1M must be longer than millwright.erp.request-timeout=PT1M30S");
    }
}
