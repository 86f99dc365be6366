package io.millwright.edge.link;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.millwright.backbone.EmbeddedArtemisBroker;
import io.millwright.backbone.EmbeddedArtemisBroker.Credentials;
import io.millwright.mes.ArtemisEventSender;
import io.millwright.mes.MesProperties;
import io.millwright.mes.OutgoingEvent;
import io.millwright.model.EventEnvelope;
import io.millwright.model.EventType;
import io.millwright.model.MachineState;
import io.millwright.model.MachineStateChanged;
import java.time.Duration;
import java.time.Instant;
import org.springframework.boot.autoconfigure.jms.artemis.ArtemisProperties;
import org.springframework.util.unit.DataSize;

/** Users, the hub's sender and events for the edge link's tests and its benchmark. */
public final class EdgeLinkFixtures {

    public static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    public static final Credentials HUB = new Credentials("millwright-hub", "hub-secret");
    public static final Credentials MES = new Credentials("mes", "mes-secret");
    public static final String EDGE_PASSWORD = "edge-secret";

    private EdgeLinkFixtures() {}

    /** The hub's own sender as an edge runs it (signals as one CloudEvents batch message per batch, no Kafka). */
    public static ArtemisEventSender sender(EmbeddedArtemisBroker broker) {
        ArtemisProperties artemis = new ArtemisProperties();
        artemis.setBrokerUrl(broker.acceptorUri());
        artemis.setUser(HUB.user());
        artemis.setPassword(HUB.password());
        return new ArtemisEventSender(artemis, new MesProperties("127.0.0.1:1", 3, (short) 1, Duration.ofMillis(5),
                DataSize.ofKilobytes(256), 0, false, MesProperties.ArtemisSignals.BATCH, false));
    }

    /**
     * The link of an edge to {@code centralUrl} as the edge profile sets it up, with short reconnect
     * waits (100 ms doubling to 500 ms) so a test sees the link come back quickly; no TLS.
     */
    public static EdgeLinkProperties link(String centralUrl, EdgeLinkProperties.Buffer buffer) {
        return link(centralUrl, buffer, new EdgeLinkProperties.Tls("", "", "PKCS12", true));
    }

    /** The same, over TLS with {@code tls}'s trust store. */
    public static EdgeLinkProperties link(String centralUrl, EdgeLinkProperties.Buffer buffer, EdgeLinkProperties.Tls tls) {
        return new EdgeLinkProperties(centralUrl, "edge", EDGE_PASSWORD, Duration.ofMillis(100), Duration.ofMillis(500),
                DataSize.ofKilobytes(64), buffer, tls);
    }

    /** A buffer of at most {@code maxMessages} events (10 MB in memory, 100 MB paged, no max-age) with {@code policy} when full. */
    public static EdgeLinkProperties.Buffer buffer(long maxMessages, EdgeLinkProperties.FullPolicy policy) {
        return new EdgeLinkProperties.Buffer(DataSize.ofMegabytes(10), DataSize.ofMegabytes(100), maxMessages, Duration.ZERO, policy);
    }

    /** A machine-state event of an asset, ready to send. */
    public static OutgoingEvent machineState(String asset, MachineState state) throws Exception {
        return outgoing(EventEnvelope.of(EventType.MACHINE_STATE, "opcua://edge-1", asset, Instant.now(), null,
                new MachineStateChanged(state, MachineState.IDLE, "1000011", "0010")));
    }

    public static OutgoingEvent outgoing(EventEnvelope<?> envelope) throws Exception {
        return new OutgoingEvent(EventType.ofCloudEventType(envelope.type()), envelope, JSON.writeValueAsBytes(envelope));
    }
}
