package io.millwright.provisioning;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.millwright.ot.OpcUaConnectionFiles;
import io.millwright.ot.OpcUaConnectionReloader;
import io.millwright.ot.mqtt.MqttSources;
import io.millwright.ot.sparkplug.SparkplugConnections;
import io.millwright.ot.opcua.OpcUaSubscriptionComponent;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * Wires the provisioning API to the hub's database and the OPC UA adapter, which runs with
 * {@code millwright.ot.enabled} (default true); stored connections start once the hub is ready.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "millwright.ot", name = "enabled", matchIfMissing = true)
class ProvisioningConfiguration {

    @Bean
    ConnectionStore connectionStore(NamedParameterJdbcTemplate jdbc, ObjectMapper json) {
        return new ConnectionStore(jdbc, json);
    }

    @Bean
    ConnectionProvisioning connectionProvisioning(ConnectionStore store, OpcUaConnectionFiles files,
            OpcUaConnectionReloader reloader, OpcUaSubscriptionComponent component, MqttSources mqtt, SparkplugConnections sparkplug) {
        return new ConnectionProvisioning(store, files, reloader, component, mqtt, sparkplug);
    }

    @Bean
    ApplicationListener<ApplicationReadyEvent> provisionedConnectionsStarter(ConnectionProvisioning provisioning) {
        return event -> provisioning.runStored();
    }
}
