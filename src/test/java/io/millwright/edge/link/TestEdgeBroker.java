package io.millwright.edge.link;

import io.millwright.backbone.EmbeddedArtemisBroker;
import io.millwright.mes.ArtemisEventSender;
import io.millwright.testsupport.FreePorts;
import java.nio.file.Path;

/**
 * An edge hub's side of the link for the edge link's tests: its embedded Artemis on a free port and
 * the folder given, with the link's configuration ({@link EdgeLinkBroker}), the hub's own sender and
 * the link's monitor. Closing it closes the sender, then the broker; a test that restarts the edge
 * starts a new one on the same folder, which keeps the buffer.
 */
final class TestEdgeBroker implements AutoCloseable {

    final EmbeddedArtemisBroker broker;
    final ArtemisEventSender sender;
    final EdgeLinkMonitor monitor;

    private TestEdgeBroker(EmbeddedArtemisBroker broker, ArtemisEventSender sender, EdgeLinkMonitor monitor) {
        this.broker = broker;
        this.sender = sender;
        this.monitor = monitor;
    }

    static TestEdgeBroker start(Path dir, EdgeLinkProperties link) throws Exception {
        return start(dir, link, false);
    }

    /** @param confirmsOwnCounts an edge that posts its counts to SAP itself ({@code millwright.erp.confirmed-by=this-hub}) */
    static TestEdgeBroker start(Path dir, EdgeLinkProperties link, boolean confirmsOwnCounts) throws Exception {
        return start(dir, link, confirmsOwnCounts, null);
    }

    /** @param forwarded notes the production counts the link delivered (the edge profile's plugin); null = none */
    static TestEdgeBroker start(Path dir, EdgeLinkProperties link, boolean confirmsOwnCounts, ForwardedCounts forwarded)
            throws Exception {
        EmbeddedArtemisBroker broker = new EmbeddedArtemisBroker("127.0.0.1", FreePorts.next(), dir, EdgeLinkFixtures.HUB,
                EdgeLinkFixtures.MES, java.util.List.of(new EdgeLinkBroker(link, confirmsOwnCounts).withForwardedCounts(forwarded)));
        broker.start();
        return new TestEdgeBroker(broker, EdgeLinkFixtures.sender(broker), new EdgeLinkMonitor(broker::server, link.buffer()));
    }

    /** Closes a fixture that may not have started (an {@code @AfterEach} after a failed start). */
    static void close(TestEdgeBroker edge) throws Exception {
        if (edge != null) {
            edge.close();
        }
    }

    @Override
    public void close() throws Exception {
        sender.destroy();
        broker.close();
    }
}
