package io.millwright.ot.sparkplug;

import io.micrometer.core.instrument.MeterRegistry;
import io.millwright.model.AssetLookup;
import io.millwright.ops.TelemetryPressure;
import org.apache.camel.ProducerTemplate;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the Sparkplug B host when {@code millwright.sparkplug.enabled=true}. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "millwright.sparkplug", name = "enabled", havingValue = "true")
public class SparkplugConfiguration {

    @Bean
    SparkplugRoutes sparkplugRoutes() {
        return new SparkplugRoutes();
    }

    @Bean
    SparkplugHost sparkplugHost(SparkplugProperties settings, AssetLookup assets, ProducerTemplate producer, MeterRegistry meters,
            ObjectProvider<TelemetryPressure> pressure) {
        SparkplugHost host = SparkplugHost.create(settings, assets, producer, meters);
        // telemetry first: the side routes wait while its decoding falls behind
        pressure.ifAvailable(telemetry -> telemetry.register(host.handoffFill()));
        return host;
    }

    /** Health component {@code sparkplug}: UP while the MQTT session is up. */
    @Bean
    HealthIndicator sparkplugHealthIndicator(SparkplugHost host, SparkplugProperties settings) {
        return () -> (host.isConnected() ? Health.up() : Health.down())
                .withDetail("broker", settings.brokerUrl())
                .withDetail("hostId", settings.hostId())
                .withDetail("lastMessageMillis", host.lastMessageMillis())
                .build();
    }
}
