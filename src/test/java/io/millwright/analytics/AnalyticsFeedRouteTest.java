package io.millwright.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.millwright.model.EventType;
import io.millwright.ops.KafkaRecordBatches;
import io.millwright.ops.TelemetryPressure;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The analytics feed: one reader for the lake, the rollups and anomaly detection. A Kafka poll (as
 * camel-kafka's batching mode hands it over: a list of one exchange per record) is parsed once and
 * the same parsed poll reaches every side route; the feed reads the union of their topics; and it
 * waits before a poll while the telemetry path is behind.
 */
class AnalyticsFeedRouteTest {

    private static final String FEED_IN = "direct:test-feed-kafka";

    private final ObjectMapper json = new ObjectMapper();
    private final List<AnalyticsPoll> seenByA = new CopyOnWriteArrayList<>();
    private final List<AnalyticsPoll> seenByB = new CopyOnWriteArrayList<>();
    private CamelContext camel;

    record Step(String pollEndpoint, Set<EventType> eventTypes) implements AnalyticsFeedStep {}

    @AfterEach
    void stop() {
        if (camel != null) {
            camel.stop();
        }
    }

    @Test
    void readsTheUnionOfItsSideRoutesTopicsOnce() {
        String topics = AnalyticsFeedRoute.topics(List.of(
                new Step("direct:a", EnumSet.of(EventType.SIGNAL)),
                new Step("direct:b", EnumSet.of(EventType.SIGNAL, EventType.MACHINE_STATE))));
        assertThat(topics.split(",")).containsExactlyInAnyOrder(
                EventType.SIGNAL.destination(), EventType.MACHINE_STATE.destination());
    }

    @Test
    void eachRecordIsParsedOnce_andTheSamePollReachesEverySideRoute() throws Exception {
        start(TelemetryPressure.none());
        long appended = System.currentTimeMillis();
        camel.createProducerTemplate().sendBody(FEED_IN, List.of(
                record("{\"id\":\"s-1\",\"type\":\"io.millwright.signal.v1\",\"data\":{\"value\":1}}", appended),
                record("not json", appended),
                record("{\"id\":\"s-2\",\"type\":\"io.millwright.signal.v1\",\"data\":{\"value\":2}}", appended)));

        assertThat(seenByA).hasSize(1);
        assertThat(seenByB).hasSize(1);
        AnalyticsPoll poll = seenByA.get(0);
        assertThat(seenByB.get(0)).as("the same parsed poll, not a second parse").isSameAs(poll);
        assertThat(poll.events()).extracting(event -> event.json().path("id").asText()).containsExactly("s-1", "s-2");
        assertThat(poll.events()).extracting(AnalyticsPoll.Event::appendedAt).containsOnly(appended);
        assertThat(poll.unreadable()).hasSize(1);
        assertThat(new String(poll.unreadable().get(0).record(), StandardCharsets.UTF_8)).isEqualTo("not json");
    }

    @Test
    void waitsBeforeAPollWhileTheTelemetryIsBehind() throws Exception {
        TelemetryPressure pressure = new TelemetryPressure(0.5, Duration.ofMillis(400));
        AtomicReference<Double> fill = new AtomicReference<>(0.9); // the OPC UA hand-off 90 % full
        pressure.register(fill::get);
        start(pressure);

        long begin = System.nanoTime();
        camel.createProducerTemplate().sendBody(FEED_IN, List.of(record("{\"id\":\"s-1\",\"type\":\"io.millwright.signal.v1\"}", 1L)));
        long waitedMillis = (System.nanoTime() - begin) / 1_000_000;
        assertThat(seenByA).hasSize(1); // the wait is bounded: the poll is worked on after max-wait
        assertThat(waitedMillis).as("ms before the side routes got the poll").isGreaterThanOrEqualTo(380);
        assertThat(pressure.waitedMillis()).isGreaterThanOrEqualTo(380);

        fill.set(0.0); // caught up: no wait
        camel.createProducerTemplate().sendBody(FEED_IN, List.of(record("{\"id\":\"s-2\",\"type\":\"io.millwright.signal.v1\"}", 2L)));
        assertThat(seenByA).hasSize(2);
        assertThat(pressure.waitedMillis()).as("no more waiting once the telemetry caught up").isLessThan(800);
    }

    private void start(TelemetryPressure pressure) throws Exception {
        camel = new DefaultCamelContext();
        List<AnalyticsFeedStep> steps = new ArrayList<>(List.of(
                new Step("direct:step-a", EnumSet.of(EventType.SIGNAL)),
                new Step("direct:step-b", EnumSet.of(EventType.SIGNAL, EventType.MACHINE_STATE))));
        camel.addRoutes(new AnalyticsFeedRoute(steps, "test-analytics", json, pressure));
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:step-a").process(exchange -> seenByA.add(exchange.getMessage().getBody(AnalyticsPoll.class)));
                from("direct:step-b").process(exchange -> seenByB.add(exchange.getMessage().getBody(AnalyticsPoll.class)));
            }
        });
        AdviceWith.adviceWith(camel, AnalyticsFeedRoute.ROUTE_ID, route -> route.replaceFromWith(FEED_IN));
        camel.start();
    }

    /** One record of a poll, as the feed's consumer hands it over: the value and Kafka's timestamp. */
    private static KafkaRecordBatches.Record record(String value, long timestamp) {
        return new KafkaRecordBatches.Record(value.getBytes(StandardCharsets.UTF_8), timestamp);
    }
}
