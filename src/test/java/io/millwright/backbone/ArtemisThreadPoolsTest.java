package io.millwright.backbone;

import static org.assertj.core.api.Assertions.assertThat;

import io.millwright.testsupport.FreePorts;
import jakarta.jms.Connection;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.activemq.artemis.api.core.TransportConfiguration;
import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The edge's small Artemis pools ({@code millwright.artemis.threads.*}) reach the running broker and the JVM's clients. */
class ArtemisThreadPoolsTest {

    @TempDir
    Path dataDir;

    EmbeddedArtemisBroker broker;
    final List<Connection> connections = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (Connection connection : connections) {
            connection.close();
        }
        if (broker != null) {
            broker.close();
        }
        ActiveMQClient.initializeGlobalThreadPoolProperties(); // the JVM's defaults again for the other tests
    }

    @Test
    void edgeSizesBoundTheBrokersPoolsAndItsAcceptorThreads() throws Exception {
        ArtemisThreadsProperties edge = new ArtemisThreadsProperties(6, 2, 2, 4, 2, 2);
        broker = new EmbeddedArtemisBroker("127.0.0.1", FreePorts.next(), dataDir, null, null,
                List.of(new ArtemisThreadPools(edge)));
        broker.start();

        // five clients over TCP: Artemis's default would serve them on five acceptor event-loop threads (3 per core)
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(broker.acceptorUri());
        for (int i = 0; i < 5; i++) {
            Connection connection = factory.createConnection();
            connection.start();
            connection.createSession().close();
            connections.add(connection);
        }

        assertThat(broker.server().getConfiguration().getThreadPoolMaxSize()).isEqualTo(6);
        assertThat(broker.server().getConfiguration().getScheduledThreadPoolMaxSize()).isEqualTo(2);
        assertThat(broker.server().getConfiguration().getAcceptorConfigurations())
                .extracting(TransportConfiguration::getParams)
                .allSatisfy(params -> assertThat(params).containsEntry("remotingThreads", 2));
        assertThat(Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().contains("activemq-remoting-" + EmbeddedArtemisBroker.BROKER_NAME)))
                .as("acceptor event-loop threads serving five connections").hasSizeBetween(1, 2);
        assertThat(ActiveMQClient.getGlobalThreadPoolSize()).isEqualTo(4);
        assertThat(ActiveMQClient.getGlobalScheduledThreadPoolSize()).isEqualTo(2);
    }

    @Test
    void defaultsAreArtemisOwn() throws Exception {
        broker = new EmbeddedArtemisBroker("127.0.0.1", FreePorts.next(), dataDir, null, null,
                List.of(new ArtemisThreadPools(new ArtemisThreadsProperties(30, 5, 0, 0, 5, 10))));
        broker.start();

        assertThat(broker.server().getConfiguration().getThreadPoolMaxSize()).isEqualTo(30);
        assertThat(broker.server().getConfiguration().getScheduledThreadPoolMaxSize()).isEqualTo(5);
        assertThat(broker.server().getConfiguration().getAcceptorConfigurations())
                .extracting(TransportConfiguration::getParams)
                .allSatisfy(params -> assertThat(params).doesNotContainKey("remotingThreads"));
        assertThat(ActiveMQClient.getGlobalThreadPoolSize()).isEqualTo(ActiveMQClient.DEFAULT_GLOBAL_THREAD_POOL_MAX_SIZE);
    }
}
