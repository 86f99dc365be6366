package io.millwright.edge.link;

import io.millwright.backbone.ArtemisBrokerCustomizer;
import io.millwright.backbone.EmbeddedArtemisBroker;
import java.util.Set;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.CoreAddressConfiguration;
import org.apache.activemq.artemis.core.config.impl.SecurityConfiguration;
import org.apache.activemq.artemis.core.security.Role;

/**
 * The central hub's half of the link, as configuration of its embedded Artemis: the durable
 * anycast queue {@value EdgeLink#INGRESS} the edges' bridges send to; duplicate detection with a
 * persisted id cache of the configured size; and the edge hubs' user in role
 * {@value EdgeLink#EDGE_ROLE}, which may send to the ingress address and do nothing else
 * anywhere (it is not in the {@code #} match's roles, so it cannot read or forge events).
 */
public class CentralIngestBroker implements ArtemisBrokerCustomizer {

    private final CentralIngestProperties properties;

    public CentralIngestBroker(CentralIngestProperties properties) {
        if (properties.edgePassword() == null || properties.edgePassword().isBlank()) {
            throw new IllegalStateException("The central profile needs millwright.central.edge-password, the password"
                    + " edge hubs log in with as '" + properties.edgeUser() + "'; set MILLWRIGHT_EDGE_PASSWORD");
        }
        this.properties = properties;
    }

    @Override
    public void customize(Configuration configuration, SecurityConfiguration users) {
        configuration.addAddressConfiguration(new CoreAddressConfiguration()
                .setName(EdgeLink.INGRESS)
                .addRoutingType(RoutingType.ANYCAST)
                .addQueueConfiguration(QueueConfiguration.of(EdgeLink.INGRESS)
                        .setAddress(EdgeLink.INGRESS)
                        .setRoutingType(RoutingType.ANYCAST)
                        .setDurable(true)));
        configuration.setIDCacheSize(properties.idCacheSize());
        configuration.setPersistIDCache(true);
        if (users != null) {
            users.addUser(properties.edgeUser(), properties.edgePassword());
            users.addRole(properties.edgeUser(), EdgeLink.EDGE_ROLE);
            // name, send, consume, createDurableQueue, deleteDurableQueue, createNonDurableQueue,
            // deleteNonDurableQueue, manage, browse, createAddress, deleteAddress
            Role edge = new Role(EdgeLink.EDGE_ROLE, true, false, false, false, false, false, false, false, false, false);
            configuration.putSecurityRoles(EdgeLink.INGRESS, Set.of(EmbeddedArtemisBroker.hubRole(), edge));
        }
    }
}
