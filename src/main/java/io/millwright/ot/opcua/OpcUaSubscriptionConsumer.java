package io.millwright.ot.opcua;

import io.millwright.model.DataGap;
import io.millwright.model.DiscoveredNode;
import io.millwright.model.Endpoints;
import io.millwright.model.MessageHeaders;
import io.millwright.model.SourceReading;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.DefaultConsumer;

/**
 * Feeds one route from one connection: Milo's notification threads put changes into the bounded
 * {@link Handoff}; its workers (one per partition, {@code hand-off.workers}) drain it and call the
 * route synchronously with one exchange per batch, whose body is a {@code List<SourceReading>}; an
 * asset's values always go through the same worker, in order. A failed exchange goes to the
 * consumer's exception handler (Camel's route error handling has run by then), never dropped unseen.
 */
final class OpcUaSubscriptionConsumer extends DefaultConsumer {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(OpcUaSubscriptionConsumer.class);

    /**
     * A stopping consumer delivers what is queued for up to half of Camel's shutdown timeout
     * ({@code camel.main.shutdown-timeout}, 5 of 10 s), at least {@value #MIN_DRAIN_MILLIS} ms: the other
     * half is for the routes after it (exchanges in flight, the Kafka consumers' last commits), so Camel
     * need not force them and the hub still ends within its 20 s (HubStopsUnderLoadIT).
     */
    private static final long MIN_DRAIN_MILLIS = 1_000;

    private final OpcUaSubscriptionEndpoint endpoint;
    private volatile OpcUaConnection connection;
    private OpcUaConnectionStatus status;
    private Handoff handoff;
    private List<HandoffWorker> workers = List.of();
    private SubscriptionSession session;
    private ProducerTemplate gapProducer;

    OpcUaSubscriptionConsumer(OpcUaSubscriptionEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
        this.connection = endpoint.connection();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        // the connection as its file is now: a restarted route picks up a reloaded file
        connection = endpoint.connection();
        OpcUaSubscriptionComponent component = endpoint.getComponent();
        status = component.status(connection.id());
        String password = component.password(connection);
        handoff = new Handoff(connection.id(), connection.handoff(), status, component.partitionKey(connection));
        List<HandoffWorker> started = new ArrayList<>();
        for (int partition = 0; partition < handoff.partitions(); partition++) {
            HandoffWorker worker = new HandoffWorker(connection.id(), handoff, partition, connection.handoff().maxBatch(),
                    this::deliver);
            worker.start();
            started.add(worker);
        }
        workers = started;
        gapProducer = getEndpoint().getCamelContext().createProducerTemplate();
        session = new SubscriptionSession(connection, password, handoff, status,
                component.pki(), this::dataGap, this::discovered);
        session.useWarmClient(component.consumerStarting(connection));
        session.start();
    }

    @Override
    protected void doStop() throws Exception {
        // intake first: the session and its subscriptions end, so the server sends no more (the worker
        // keeps delivering meanwhile, so a notification thread waiting for room gets it); what Milo
        // still hands over after that is refused, counted, so the hand-off no longer fills; then
        // everything queued goes on to the route, within Camel's shutdown budget
        long drainUntil = System.currentTimeMillis() + drainMillis();
        if (session != null) {
            session.stop();
        }
        if (handoff != null) {
            handoff.closeIntake();
        }
        drainWorkers(Math.max(MIN_DRAIN_MILLIS, drainUntil - System.currentTimeMillis()));
        if (handoff != null) {
            handoff.close();
            handoff.discardRemaining();
        }
        if (gapProducer != null) {
            gapProducer.stop();
        }
        endpoint.getComponent().consumerStopped(connection);
        super.doStop();
    }

    /**
     * Lets every worker deliver what its partition holds, all at once, for up to {@code drainMillis};
     * then logs what was queued, delivered and left.
     */
    private void drainWorkers(long drainMillis) {
        if (workers.isEmpty()) {
            return;
        }
        long start = System.nanoTime();
        int queued = handoff.size();
        long deliveredBefore = delivered();
        workers.forEach(worker -> worker.beginStop(drainMillis));
        workers.forEach(worker -> worker.awaitStop(drainMillis));
        log.info("OPC UA hand-off drained at stop connection={} queuedAtStop={} delivered={} left={} tookMs={} limitMs={}"
                        + " refusedAfterSessionClosed={} workers={}",
                connection.id(), queued, delivered() - deliveredBefore, handoff.size(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), drainMillis,
                handoff.refusedAtStop(), workers.size());
        workers = List.of();
    }

    private long delivered() {
        long delivered = 0;
        for (HandoffWorker worker : workers) {
            delivered += worker.deliveredChanges();
        }
        return delivered;
    }

    /** Half of Camel's shutdown timeout: how long a stop may take to hand on what is queued. */
    private long drainMillis() {
        org.apache.camel.spi.ShutdownStrategy strategy = getEndpoint().getCamelContext().getShutdownStrategy();
        return Math.max(MIN_DRAIN_MILLIS, strategy.getTimeUnit().toMillis(strategy.getTimeout()) / 2);
    }

    /**
     * Sends the gap to {@value Endpoints#DATA_GAP} (asset paths are added there) with the node ids
     * in {@value MessageHeaders#NODE_IDS}; a failure is logged with the gap, which is also in the
     * health details and the reconnect counter.
     */
    private void dataGap(Instant start, Instant end, List<String> nodeIds, String reason) {
        DataGap gap = new DataGap("opcua://" + connection.id(), connection.id(), start, end, List.of(), reason);
        try {
            gapProducer.sendBodyAndHeader(Endpoints.DATA_GAP, gap, MessageHeaders.NODE_IDS, nodeIds);
        } catch (RuntimeException e) {
            log.error("OPC UA data gap not published connection={} start={} end={} reason={}",
                    connection.id(), start, end, e.toString());
        }
    }

    /** Hands the discovered variables to {@value Endpoints#NODES_DISCOVERED}, where asset rules meet their browse paths. */
    private void discovered(Map<String, String> nodes) {
        List<DiscoveredNode> body = nodes.entrySet().stream()
                .map(e -> new DiscoveredNode(connection.id(), e.getKey(), e.getValue())).toList();
        try {
            gapProducer.sendBody(Endpoints.NODES_DISCOVERED, body);
        } catch (RuntimeException e) {
            log.error("OPC UA discovered nodes not handed over connection={} nodes={} reason={}",
                    connection.id(), body.size(), e.toString());
        }
    }

    private void deliver(List<SourceReading> readings) {
        status.valuesDelivered();
        Exchange exchange = createExchange(false);
        try {
            exchange.getMessage().setBody(readings);
            getProcessor().process(exchange);
        } catch (Exception e) {
            exchange.setException(e);
        }
        try {
            if (exchange.getException() != null) {
                getExceptionHandler().handleException(
                        "OPC UA batch of " + readings.size() + " readings from " + connection.id() + " failed",
                        exchange,
                        exchange.getException());
            }
        } finally {
            releaseExchange(exchange, false);
        }
    }
}
