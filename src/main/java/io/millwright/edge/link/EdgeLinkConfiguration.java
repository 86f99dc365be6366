package io.millwright.edge.link;

import io.micrometer.core.instrument.MeterRegistry;
import io.millwright.backbone.ArtemisBrokerCustomizer;
import io.millwright.backbone.EmbeddedArtemisBroker;
import io.millwright.erp.ErpProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;

/**
 * Profile {@code edge}: the store-and-forward link on the embedded Artemis (outbox, diverts, core
 * bridge) with its health and meters. Profile {@code central}: the edge ingress queue, the edge
 * user and the route that publishes what edges send.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({EdgeLinkProperties.class, CentralIngestProperties.class})
public class EdgeLinkConfiguration {

    @Configuration(proxyBeanMethods = false)
    @Profile("edge")
    static class Edge {

        @Bean
        ForwardedCounts forwardedCounts() {
            return new ForwardedCounts();
        }

        @Bean
        ArtemisBrokerCustomizer edgeLinkBroker(EdgeLinkProperties properties, ErpProperties erp, ForwardedCounts forwarded) {
            return new EdgeLinkBroker(properties, erp.confirmsOwnCounts()).withForwardedCounts(forwarded);
        }

        /** The ids of delivered production counts to the ledger, on an edge whose counts the central hub confirms. */
        @Bean
        ForwardedCountsRoute forwardedCountsRoute(ForwardedCounts forwarded, ErpProperties erp) {
            return new ForwardedCountsRoute(forwarded, !erp.confirmsOwnCounts());
        }

        @Bean("edgeLink")
        EdgeLinkMonitor edgeLinkMonitor(ObjectProvider<EmbeddedArtemisBroker> brokers, EdgeLinkProperties properties,
                ObjectProvider<MeterRegistry> registries) {
            // the broker is looked up per reading: injecting it would make the main thread wait for its start
            EdgeLinkMonitor monitor = new EdgeLinkMonitor(() -> brokers.getObject().server(), properties.buffer());
            registries.ifAvailable(monitor::bindTo);
            return monitor;
        }
    }

    @Configuration(proxyBeanMethods = false)
    @Profile("central")
    static class Central {

        @Bean
        ArtemisBrokerCustomizer centralIngestBroker(CentralIngestProperties properties) {
            return new CentralIngestBroker(properties);
        }

        @Bean
        CentralIngestRoute centralIngestRoute() {
            return new CentralIngestRoute("jms");
        }
    }
}
