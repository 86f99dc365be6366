package io.millwright.backbone;

import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.SecurityConfiguration;

/**
 * Adds to the embedded Artemis broker's configuration before it starts: queues, diverts, bridges,
 * address settings, further users. A capability that needs broker-side parts (the edge link's
 * outbox and core bridge, the central hub's edge ingress) declares a bean of this type; the
 * embedded broker applies every one, in bean order, after its own settings.
 */
@FunctionalInterface
public interface ArtemisBrokerCustomizer {

    /**
     * @param configuration the broker's configuration, with the hub's own settings already in
     * @param users the in-memory users and their roles; {@code null} when security is off
     */
    void customize(Configuration configuration, SecurityConfiguration users);
}
