package io.millwright.ot;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.millwright.model.AssetLookup;
import io.millwright.ops.ClusterProperties;
import io.millwright.ops.HubDirectoriesProperties;
import io.millwright.ops.TelemetryPressure;
import io.millwright.ot.opcua.ClientPki;
import io.millwright.ot.opcua.OpcUaConnectionStatus;
import io.millwright.ot.opcua.OpcUaSubscriptionComponent;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Wires the OPC UA adapter: reads {@code <millwright.adapters-dir>/opcua/*.yaml} at start-up
 * (a bad file stops the start, naming file and key) and again when they change (a bad file is
 * rejected, the connection in use stays), registers the {@code opcua-subscription}
 * Camel component with those connections, and reports them as the health component {@code opcua}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "millwright.ot", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(HubDirectoriesProperties.class)
class OpcUaAdapterConfiguration {

    @Bean
    OpcUaConnectionFiles opcUaConnectionFiles(Environment environment) {
        return new OpcUaConnectionFiles(environment);
    }

    /**
     * The hub's OPC UA certificate and trust list under {@code <data-dir>/pki}; the certificate is
     * generated on first start. Closed with the context (stops the trust-list watcher).
     */
    @Bean(destroyMethod = "close")
    ClientPki opcUaClientPki(HubDirectoriesProperties directories) {
        return ClientPki.open(directories.data().resolve("pki"));
    }

    /** Camel finds the component by its bean name, the URI scheme. */
    @Bean(OpcUaSubscriptionComponent.SCHEME)
    OpcUaSubscriptionComponent opcUaSubscriptionComponent(
            OpcUaConnectionFiles files, HubDirectoriesProperties directories, Environment environment,
            ObjectProvider<MeterRegistry> registry, ClientPki pki, ObjectProvider<TelemetryPressure> pressure,
            ObjectProvider<ClusterProperties> cluster, ObjectProvider<AssetLookup> assets) {
        OpcUaSubscriptionComponent component = new OpcUaSubscriptionComponent(
                files.load(directories.adapters().resolve("opcua")),
                environment::getProperty,
                registry.getIfAvailable(SimpleMeterRegistry::new),
                pki);
        // an asset's nodes on one hand-off worker, so its values keep their order; looked up when a consumer starts
        component.assets(assets::getIfAvailable);
        // telemetry first: the side routes wait while a connection's hand-off fills up
        pressure.ifAvailable(telemetry -> telemetry.register(() -> fullestHandoff(component)));
        // several instances: sessions open in advance, subscriptions only where the route runs (README "Scale out")
        cluster.ifAvailable(properties -> component.warmStandby(properties.enabled() && properties.warmStandby()));
        return component;
    }

    /** The fill (0..1) of the fullest hand-off among the connections. */
    static double fullestHandoff(OpcUaSubscriptionComponent component) {
        double fullest = 0;
        for (OpcUaConnectionStatus status : component.statuses().values()) {
            int capacity = status.handoffCapacity();
            if (capacity > 0) {
                fullest = Math.max(fullest, (double) status.handoffDepth() / capacity);
            }
        }
        return fullest;
    }

    /** Hot reload of {@code <adapters-dir>/opcua/*.yaml}, polled every 2 s. */
    @Bean(initMethod = "start", destroyMethod = "close")
    OpcUaConnectionReloader opcUaConnectionReloader(OpcUaConnectionFiles files, HubDirectoriesProperties directories,
            OpcUaSubscriptionComponent component, CamelContext camel) {
        return new OpcUaConnectionReloader(files, directories.adapters().resolve("opcua"), component, camel);
    }

    @Bean("opcua")
    @ConditionalOnClass(HealthIndicator.class)
    HealthIndicator opcUaHealthIndicator(OpcUaSubscriptionComponent component, OpcUaConnectionReloader reloader,
            CamelContext camel, Environment environment) {
        // a cluster standby keeps the run-once OPC UA routes stopped (ops.RunOnceRoutes): no session by design
        boolean cluster = environment.getProperty("millwright.cluster.enabled", Boolean.class, false);
        return new OpcUaHealthIndicator(component, reloader, connection -> cluster
                && camel.getRoute(OpcUaIngestRoutes.routeId(connection)) != null
                && camel.getRouteController().getRouteStatus(OpcUaIngestRoutes.routeId(connection)) != ServiceStatus.Started);
    }
}
