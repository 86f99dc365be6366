package io.millwright.backbone;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.apache.activemq.artemis.api.core.TransportConfiguration;
import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.SecurityConfiguration;
import org.apache.activemq.artemis.core.remoting.impl.netty.TransportConstants;
import org.springframework.stereotype.Component;

/**
 * Sizes the embedded broker's thread pools and the JVM's Artemis client pools from
 * {@link ArtemisThreadsProperties} before the broker starts. The client pools are global to the JVM
 * and created on the first client's first use; the sizes set here apply to pools not yet created,
 * which in the hub's own process is every pool (the broker's customizers run before any client).
 */
@Component
class ArtemisThreadPools implements ArtemisBrokerCustomizer {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ArtemisThreadPools.class);

    private final ArtemisThreadsProperties threads;

    ArtemisThreadPools(ArtemisThreadsProperties threads) {
        this.threads = threads;
    }

    @Override
    public void customize(Configuration configuration, SecurityConfiguration users) {
        configuration.setThreadPoolMaxSize(threads.server());
        configuration.setScheduledThreadPoolMaxSize(threads.scheduled());
        if (threads.remoting() > 0) {
            Set<TransportConfiguration> acceptors = new LinkedHashSet<>();
            for (TransportConfiguration acceptor : configuration.getAcceptorConfigurations()) {
                Map<String, Object> params = new HashMap<>(acceptor.getParams());
                params.put(TransportConstants.REMOTING_THREADS_PROPNAME, threads.remoting());
                acceptors.add(new TransportConfiguration(acceptor.getFactoryClassName(), params, acceptor.getName(),
                        acceptor.getExtraParams()));
            }
            configuration.setAcceptorConfigurations(acceptors);
        }
        if (threads.clientPoolsSet()) {
            ActiveMQClient.setGlobalThreadPoolProperties(
                    threads.client() == 0 ? ActiveMQClient.DEFAULT_GLOBAL_THREAD_POOL_MAX_SIZE : threads.client(),
                    threads.clientScheduled(), threads.clientFlowControl());
        }
        log.info("Artemis thread pools server={} scheduled={} acceptorRemoting={} client={} clientScheduled={} clientFlowControl={}",
                threads.server(), threads.scheduled(), threads.remoting() == 0 ? "default" : threads.remoting(),
                threads.client() == 0 ? "default" : threads.client(), threads.clientScheduled(), threads.clientFlowControl());
    }
}
