package io.millwright.production;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.millwright.model.Endpoints;
import io.millwright.model.MessageHeaders;
import io.millwright.testsupport.TestDatabase;
import io.millwright.tracking.DeadLetter;
import io.millwright.tracking.DeadLetterResubmitter;
import io.millwright.tracking.DeadLetterRoute;
import io.millwright.tracking.DeadLetterStore;
import java.util.List;
import java.util.Map;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The central hub's booking of the production counts its edges forward (issue 7): the route
 * {@value CentralCountBookingRoute#ROUTE_ID} with the real ledger and dead-letter store on H2, fed
 * as the edge ingress feeds it (the CloudEvents JSON of one event or of a batch).
 */
class CentralCountBookingRouteTest {

    static final String ASSET = "acme/springfield/assembly/line-1/press-4";

    final ObjectMapper json = new ObjectMapper();
    TestDatabase db;
    DefaultCamelContext camel;
    ProducerTemplate producer;
    DeadLetterStore deadLetters;

    @BeforeEach
    void start() throws Exception {
        db = TestDatabase.h2();
        deadLetters = new DeadLetterStore(db.jdbc());
        camel = new DefaultCamelContext();
        producer = camel.createProducerTemplate();
        camel.addRoutes(new CentralCountBookingRoute(new CounterLedger(db.jdbc(), db.transactions()), json, producer));
        camel.addRoutes(new DeadLetterRoute(deadLetters, json));
        camel.start();
    }

    @AfterEach
    void stop() {
        camel.stop();
        db.close();
    }

    static String count(String id, String orderId, String delta, String unit) {
        return """
                {"specversion":"1.0","id":"%s","type":"io.millwright.production-count.v1","source":"sparkplug://plant-1/line-1",\
                "subject":"%s","time":"2026-12-01T08:00:00Z","correlationid":"sig-%s",\
                "data":{%s"operation":"0010","counter":"GOOD","delta":%s,"total":120,"unit":"%s"}}"""
                .formatted(id, ASSET, id, orderId == null ? "" : "\"orderId\":\"" + orderId + "\",", delta, unit);
    }

    static String signal(String id) {
        return """
                {"specversion":"1.0","id":"%s","type":"io.millwright.signal.v1","source":"sparkplug://plant-1/line-1",\
                "subject":"%s","data":{"tag":"good-count","value":120}}""".formatted(id, ASSET);
    }

    long booked() {
        return db.jdbc().queryForObject("SELECT COALESCE(SUM(delta), 0) FROM production_count_ledger", Map.of(), Long.class);
    }

    List<DeadLetter> parked() {
        return deadLetters.list(DeadLetter.Status.PARKED, 10);
    }

    // The edge resends what the central may already hold (after a link failure, a replay): one booking per event id.
    @Test
    void countBookedOnce_whenTheSameEventArrivesAgain() {
        String event = count("e-1", "1000011", "7", "PC");
        producer.sendBody(Endpoints.CENTRAL_COUNT_BOOKING, event);
        producer.sendBody(Endpoints.CENTRAL_COUNT_BOOKING, event);
        producer.sendBody(Endpoints.CENTRAL_COUNT_BOOKING, "[" + signal("s-1") + "," + event + "]");
        assertThat(booked()).isEqualTo(7);
        // control: a second event of the same order operation is booked, a signal beside it is not a count
        producer.sendBody(Endpoints.CENTRAL_COUNT_BOOKING, "[" + signal("s-2") + "," + count("e-2", "1000011", "5", "PC") + "]");
        assertThat(booked()).isEqualTo(12);
        assertThat(parked()).isEmpty();
    }

    // Nothing lost: a count that cannot be booked waits in the dead-letter store, naming field and reason;
    // its neighbours in the same message are booked, and a resubmit neither books it half nor doubles them.
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            no order       |          | 7   | PC     | data.orderId=null: is required
            delta zero     | 1000011  | 0   | PC     | data.delta=0: must be a whole number of parts of at least 1
            negative delta | 1000011  | -3  | PC     | data.delta=-3: must be a whole number
            fraction       | 1000011  | 2.5 | PC     | data.delta=2.5: must be a whole number
            unit too long  | 1000011  | 7   | PIECES | data.unit=PIECES: is longer than 3 characters
            order too long | 1000011123456 | 7 | PC  | data.orderId=1000011123456: is longer than 12 characters
            order not a key | 1000-011 | 7   | PC     | data.orderId=1000-011: must be letters and digits only
            """)
    void countDeadLetteredWithFieldAndReason_whenItCannotBeBooked(String what, String orderId, String delta, String unit,
            String reason) {
        String bad = count("bad-1", orderId, delta, unit);
        producer.sendBody(Endpoints.CENTRAL_COUNT_BOOKING, "[" + count("good-1", "1000011", "4", "PC") + "," + bad + "]");

        assertThat(booked()).as("the good count beside it").isEqualTo(4);
        List<DeadLetter> parked = parked();
        assertThat(parked).hasSize(1);
        DeadLetter letter = parked.get(0);
        assertThat(letter.routeId()).isEqualTo(CentralCountBookingRoute.ROUTE_ID);
        assertThat(letter.reason()).contains("forwarded production count bad-1 not booked", reason);
        assertThat(letter.endpointUri()).isEqualTo(Endpoints.CENTRAL_COUNT_BOOKING);
        assertThat(letter.correlationId()).isEqualTo("sig-bad-1");
        assertThat(parse(letter.payload())).as("the event as it arrived").isEqualTo(parse(bad));

        new DeadLetterResubmitter(deadLetters, producer).resubmit(letter.id());
        assertThat(deadLetters.find(letter.id()).orElseThrow().status()).isEqualTo(DeadLetter.Status.RESUBMITTED);
        assertThat(parked()).as("still bad: parked anew with its reason").singleElement()
                .satisfies(again -> assertThat(again.reason()).contains(reason));
        assertThat(booked()).isEqualTo(4);
    }

    // A parked count resubmitted after its event was booked after all (sent again by the edge) books nothing.
    @Test
    void resubmittedCountBooksNothing_whenItsEventWasBookedMeanwhile() {
        String event = count("e-3", "1000011", "9", "PC");
        long id = deadLetters.park(CentralCountBookingRoute.ROUTE_ID, Endpoints.CENTRAL_COUNT_BOOKING, "database unavailable",
                null, "sig-e-3", event, "{}");
        producer.sendBody(Endpoints.CENTRAL_COUNT_BOOKING, event);
        new DeadLetterResubmitter(deadLetters, producer).resubmit(id);
        assertThat(booked()).isEqualTo(9);
        assertThat(parked()).isEmpty();
    }

    // Exactly one hub posts a count to SAP: an edge that confirms its own counts marks them, and the central does not book them.
    @Test
    void countNotBooked_whenItsEdgeConfirmsItItself() {
        producer.sendBodyAndHeader(Endpoints.CENTRAL_COUNT_BOOKING, count("e-4", "1000011", "6", "PC"),
                MessageHeaders.CONFIRMED_BY, MessageHeaders.CONFIRMED_BY_EDGE);
        assertThat(booked()).isZero();
        // control: the same count unmarked is booked
        producer.sendBody(Endpoints.CENTRAL_COUNT_BOOKING, count("e-4", "1000011", "6", "PC"));
        assertThat(booked()).isEqualTo(6);
    }

    private JsonNode parse(String text) {
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(text, e);
        }
    }
}
