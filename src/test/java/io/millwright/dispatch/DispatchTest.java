package io.millwright.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.millwright.mes.OutgoingEvent;
import io.millwright.model.Endpoints;
import io.millwright.model.MessageHeaders;
import io.millwright.production.OrderContext;
import io.millwright.production.OrderContext.OrderOperation;
import io.millwright.testsupport.EventSchemas;
import io.millwright.testsupport.EmbeddedArtemisHubTest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.ConsumerTemplate;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Order dispatch in, by REST and by the Artemis queue, on the running hub with its embedded
 * Artemis (Kafka replaced by a mock): it drives the order context, below a machine's own order
 * nodes, emits order-started / order-completed once, and refuses bad input naming the field.
 */
class DispatchTest extends EmbeddedArtemisHubTest {

    static final String DISPATCH = """
            {"id": "%s", "jobOrder": "%s", "operation": "0010", "workUnit": "%s", "dispatchStatus": "%s",
             "startTime": "2026-11-30T08:00:00Z"}""";

    @Autowired ProducerTemplate producer;
    @Autowired ConsumerTemplate consumer;
    @Autowired OrderContext orders;
    @Autowired ObjectMapper json;

    @Test
    void restDispatch_drivesOrderContext_emitsStartedOnce_thenCompleted() throws Exception {
        String unit = "acme/springfield/assembly/line-1/machine-3";
        HttpResponse<String> started = post(DISPATCH.formatted("d-1", "2000013", unit, "Running"));
        assertThat(started.statusCode()).as(started.body()).isEqualTo(200);
        assertThat(orders.current(unit)).hasValue(new OrderOperation("2000013", "0010"));
        assertThat(post(DISPATCH.formatted("d-1", "2000013", unit, "Running")).statusCode()).isEqualTo(200);

        HttpResponse<String> completed = post(DISPATCH.formatted("d-1", "2000013", unit, "Completed"));
        assertThat(completed.statusCode()).isEqualTo(200);
        assertThat(orders.current(unit)).isEmpty();

        List<JsonNode> events = publishedEvents(2);
        assertThat(events).extracting(e -> e.path("type").asText())
                .containsExactly("io.millwright.order-started.v1", "io.millwright.order-completed.v1");
        for (JsonNode event : events) {
            EventSchemas.assertValid(event);
            assertThat(event.path("subject").asText()).isEqualTo(unit);
            assertThat(event.path("data").path("orderId").asText()).isEqualTo("2000013");
            assertThat(event.path("data").path("dispatchId").asText()).isEqualTo("d-1");
        }
    }

    @Test
    void nodeValueTakesPrecedenceOverDispatch() throws Exception {
        String unit = "acme/springfield/assembly/line-2/machine-3";
        assertThat(post(DISPATCH.formatted("d-2", "2000023", unit, "Running")).statusCode()).isEqualTo(200);
        assertThat(orders.current(unit)).hasValue(new OrderOperation("2000023", "0010"));

        orders.updateOrder(unit, "3000023");
        assertThat(orders.current(unit)).as("order node only: dispatch still applies").hasValue(new OrderOperation("2000023", "0010"));
        orders.updateOperation(unit, "0020");
        assertThat(orders.current(unit)).as("complete node values win").hasValue(new OrderOperation("3000023", "0020"));
    }

    @Test
    void queueDispatch_drivesOrderContext_invalidGoesToDeadLetterWithReason() throws Exception {
        String unit = "acme/springfield/assembly/line-1/machine-4";
        producer.sendBody(Endpoints.DISPATCH_QUEUE, DISPATCH.formatted("q-1", "2000014", unit, "Running"));
        await().atMost(Duration.ofSeconds(30)).until(() -> orders.current(unit).isPresent());
        assertThat(orders.current(unit)).hasValue(new OrderOperation("2000014", "0010"));

        producer.sendBody(Endpoints.DISPATCH_QUEUE, "{\"jobOrder\": \"2000014\", \"operation\": \"0010\"}");
        Exchange dead = consumer.receive(Endpoints.DISPATCH_DEAD_LETTER, 30_000);
        assertThat(dead).isNotNull();
        assertThat(dead.getMessage().getHeader(MessageHeaders.DEAD_LETTER_REASON, String.class)).startsWith("workUnit=");
        assertThat(dead.getMessage().getBody(String.class)).contains("2000014");
    }

    @ParameterizedTest(name = "{0} -> 400 naming {1}")
    @CsvSource(delimiter = '|', value = {
            "{\"jobOrder\": \"1\", \"operation\": \"0010\"}                                            | workUnit",
            "{\"jobOrder\": \"1234567890123\", \"operation\": \"0010\", \"workUnit\": \"a/b\"}          | jobOrder",
            "{\"jobOrder\": \"1\", \"operation\": \"0010\", \"workUnit\": \"no-level\"}                | workUnit",
            "{\"jobOrder\": \"1\", \"operation\": \"0010\", \"workUnit\": \"a/b\", \"dispatchStatus\": \"Paused\"} | dispatchStatus",
            "{\"jobOrder\": \"1\", \"operation\": \"0010\", \"workUnit\": \"a/b\", \"startTime\": \"yesterday\"} | startTime",
            "{\"jobOrder\": \"1\", \"operation\": \"0010\", \"workUnit\": \"a/b\", \"shift\": 2}           | shift",
            "not json                                                                                     | body"})
    void invalidDispatch_isRefusedNamingTheField(String body, String field) throws Exception {
        HttpResponse<String> response = post(body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(json.readTree(response.body()).path("field").asText()).isEqualTo(field);
    }

    private List<JsonNode> publishedEvents(int count) throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() -> kafka.getReceivedExchanges().stream()
                .mapToInt(e -> e.getMessage().getBody(List.class).size()).sum() >= count);
        List<JsonNode> events = new ArrayList<>();
        for (Exchange exchange : kafka.getReceivedExchanges()) {
            for (Object event : exchange.getMessage().getBody(List.class)) {
                events.add(json.readTree(((OutgoingEvent) event).json()));
            }
        }
        return events;
    }

    private HttpResponse<String> post(String body) throws Exception {
        return send("POST", "/api/dispatch", body);
    }
}
