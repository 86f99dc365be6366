package io.millwright.erp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.PropertySourcesPlaceholdersResolver;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.FileSystemResource;

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

    @Test
    void relayRunsByDefault_andNotOnAnEdgeHub() throws IOException {
        assertThat(bind(Map.of("millwright.erp.base-url", "http://x")).relayEnabled()).isTrue();
        assertThat(bind(Map.of("millwright.erp.base-url", "http://x", "millwright.erp.relay-enabled", "false")).relayEnabled())
                .isFalse();
        // the shipped files: the all-in-one hub relays, the edge profile does not (an edge has no ERP to reach)
        assertThat(bindFiles("config/application.yaml").relayEnabled()).as("all-in-one").isTrue();
        assertThat(bindFiles("config/application.yaml", "config/application-central.yaml").relayEnabled()).as("central").isTrue();
        assertThat(bindFiles("config/application.yaml", "config/application-edge.yaml").relayEnabled()).as("edge").isFalse();
    }

    // Exactly one hub posts a count to SAP: in edge + central, the central (which books what the edge forwards);
    // the edge runs no window, so nothing of its own waits PENDING in its outbox.
    @Test
    void countsConfirmedByTheCentralHub_onAnEdgeHubOnly() throws IOException {
        ErpProperties edge = bindFiles("config/application.yaml", "config/application-edge.yaml");
        assertThat(edge.confirmedBy()).isEqualTo(ErpProperties.ConfirmedBy.CENTRAL);
        assertThat(edge.confirmsOwnCounts()).isFalse();
        assertThat(bindFiles("config/application.yaml").confirmsOwnCounts()).as("all-in-one").isTrue();
        assertThat(bindFiles("config/application.yaml", "config/application-central.yaml").confirmsOwnCounts()).as("central").isTrue();
        // an edge that reaches SAP confirms its own counts: the relay follows unless set
        ErpProperties self = bind(Map.of("millwright.erp.base-url", "http://x", "millwright.erp.confirmed-by", "this-hub"));
        assertThat(self.confirmsOwnCounts()).isTrue();
        assertThat(self.relayEnabled()).isTrue();
        ErpProperties central = bind(Map.of("millwright.erp.base-url", "http://x", "millwright.erp.confirmed-by", "central"));
        assertThat(central.relayEnabled()).isFalse();
        assertThatThrownBy(() -> bind(Map.of("millwright.erp.base-url", "http://x", "millwright.erp.confirmed-by", "edge")))
                .hasStackTraceContaining("confirmed-by");
    }

    /** Binds millwright.erp from the shipped configuration files, the later file winning, as Spring's profiles do. */
    private static ErpProperties bindFiles(String... files) throws IOException {
        MutablePropertySources sources = new MutablePropertySources();
        for (String file : files) {
            for (PropertySource<?> source : new YamlPropertySourceLoader().load(file, new FileSystemResource(file))) {
                sources.addFirst(source);
            }
        }
        return new Binder(ConfigurationPropertySources.from(sources), new PropertySourcesPlaceholdersResolver(sources))
                .bindOrCreate("millwright.erp", ErpProperties.class);
    }
}
