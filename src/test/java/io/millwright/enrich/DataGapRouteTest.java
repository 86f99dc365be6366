package io.millwright.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.millwright.model.DataGap;
import io.millwright.model.DataGapRecorder;
import io.millwright.model.Endpoints;
import io.millwright.model.EventEnvelope;
import io.millwright.model.EventType;
import io.millwright.model.MessageHeaders;
import io.millwright.ops.ErrorPolicies;
import io.millwright.testsupport.EventSchemas;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A source adapter's data gap gets its asset paths from the registry and goes out as a data-gap
 * event; after its publication, and only then, the recorders (the outcomes' KPIs) keep it once.
 */
class DataGapRouteTest {

    private static final String NODE = "nsu=urn:millwright:sim:plant;s=";
    private static final Instant START = Instant.parse("2026-11-30T10:00:00.125Z");
    private static final Instant END = Instant.parse("2026-11-30T10:00:14.500Z");

    private final Queue<Object> published = new ConcurrentLinkedQueue<>();
    /** What the recorder was given, as "event id -> gap", in order. */
    private final Queue<String> recorded = new ConcurrentLinkedQueue<>();
    private volatile boolean publishFails;
    private final ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private CamelContext camel;

    @BeforeEach
    void start() throws Exception {
        camel = new DefaultCamelContext();
        camel.addRoutes(new ErrorPolicies());
        DataGapRecorder recorder = (eventId, gap) -> recorded.add(eventId + " -> " + gap);
        camel.addRoutes(new DataGapRoute(new AssetRegistry(Path.of("mappings/assets.yaml")), List.of(recorder)));
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                // failures reach the data-gap route's own error policy, as from the real publish route
                from(Endpoints.EVENT_PUBLISH).errorHandler(noErrorHandler()).process(e -> {
                    if (publishFails) {
                        throw new IllegalStateException("backbone down");
                    }
                    published.add(e.getMessage().getBody());
                    e.getMessage().setBody("what the publish route answers");
                });
                from(Endpoints.DEAD_LETTER).process(e -> published.add("dead letter: " + e.getMessage().getBody()));
            }
        });
        camel.start();
    }

    @AfterEach
    void stop() {
        camel.stop();
    }

    @Test
    void assetPathsOfTheConnectionsNodes_sortedOnce_inAValidDurableEvent() throws Exception {
        DataGap gap = new DataGap("opcua://plant-sim", "plant-sim", START, END, List.of(), "session lost");
        List<String> nodes = List.of(NODE + "Line2.Machine1.State", NODE + "Line1.Machine2.GoodCount",
                NODE + "Line1.Machine2.State", NODE + "Not.In.Registry");

        camel.createProducerTemplate().sendBodyAndHeader(Endpoints.DATA_GAP, gap, MessageHeaders.NODE_IDS, nodes);

        assertThat(published).hasSize(1);
        EventEnvelope<?> event = (EventEnvelope<?>) published.peek();
        assertThat(event.type()).isEqualTo("io.millwright.data-gap.v1");
        assertThat(event.source()).isEqualTo("opcua://plant-sim");
        assertThat(event.time()).isEqualTo(START);
        assertThat(event.data()).isEqualTo(new DataGap("opcua://plant-sim", "plant-sim", START, END,
                List.of("acme/springfield/assembly/line-1/machine-2", "acme/springfield/assembly/line-2/machine-1"),
                "session lost"));
        JsonNode written = json.valueToTree(event);
        EventSchemas.assertValid(written);
        assertThat(written.path("data").path("start").asText()).isEqualTo("2026-11-30T10:00:00.125Z");
    }

    @Test
    void assetPathsGivenByTheAdapter_arePublishedAsGiven() {
        DataGap gap = new DataGap("sparkplug://plant/edge-1", "plant/edge-1", START, END,
                List.of("acme/springfield/assembly/line-9/machine-1"), "edge node offline");

        camel.createProducerTemplate().sendBody(Endpoints.DATA_GAP, gap);

        assertThat(published).hasSize(1);
        assertThat(((EventEnvelope<?>) published.peek()).data()).isEqualTo(gap);
    }

    @Test
    void publishedGapIsRecordedOnce_withTheEventsId() {
        DataGap gap = new DataGap("opcua://plant-sim", "plant-sim", START, END, List.of(), "session lost");

        camel.createProducerTemplate().sendBody(Endpoints.DATA_GAP, gap);

        EventEnvelope<?> event = (EventEnvelope<?>) published.peek();
        assertThat(recorded).containsExactly(event.id() + " -> " + event.data());
    }

    // Sparkplug B builds its data-gap event itself: it passes the same seam, so it is published as given and recorded
    @Test
    void eventBuiltByTheAdapter_publishedAsGivenAndRecorded() {
        DataGap gap = new DataGap("sparkplug://plant/edge-1", "plant/edge-1", START, END,
                List.of("acme/springfield/assembly/line-9/machine-1"), "edge node offline");
        EventEnvelope<DataGap> event = EventEnvelope.of(EventType.DATA_GAP, gap.source(), "plant/edge-1", END, null, gap);

        camel.createProducerTemplate().sendBody(Endpoints.DATA_GAP, event);

        assertThat(published).containsExactly(event);
        assertThat(recorded).containsExactly(event.id() + " -> " + gap);
    }

    // control: a gap that did not go out is dead-lettered (to be resubmitted), not counted
    @Test
    void gapNotRecorded_whenItsPublicationFailed() {
        publishFails = true;
        DataGap gap = new DataGap("opcua://plant-sim", "plant-sim", START, END, List.of(), "session lost");

        camel.createProducerTemplate().sendBody(Endpoints.DATA_GAP, gap);

        assertThat(published).singleElement().asString().startsWith("dead letter: ");
        assertThat(recorded).isEmpty();
    }
}
