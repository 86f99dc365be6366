package io.millwright.erp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.millwright.model.Endpoints;
import io.millwright.model.EventEnvelope;
import io.millwright.model.ProductionConfirmation;
import io.millwright.sim.erp.ErpSimulator;
import io.millwright.sim.erp.ErpSimulatorProperties;
import io.millwright.testsupport.EventSchemas;
import io.millwright.tracking.DeadLetter;
import io.millwright.tracking.DeadLetterResubmitter;
import io.millwright.tracking.DeadLetterRoute;
import io.millwright.tracking.DeadLetterStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Principal;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.spring.boot.CamelAutoConfiguration;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.flyway.FlywayAutoConfiguration;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.JdbcTemplateAutoConfiguration;
import org.springframework.boot.autoconfigure.transaction.TransactionAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;

/**
 * Issue 8, what an operator sees and does on the ERP path, with the relay running against the real
 * simulated SAP service on H2: a 403 parks one order with an alert while the others flow; bulk and
 * edited resubmits (an edited copy never books a quantity SAP holds already); discard closes the dead
 * letter; the scheduled reconciliation raises an alert on a variance.
 */
@CamelSpringBootTest
@SpringBootTest(classes = ErpOperatorActionsTest.OperatorTestApplication.class)
class ErpOperatorActionsTest {

    static final Path DATA_DIR = tempDir();
    static final ErpSimulator SIMULATOR = startSimulator();
    static final Principal OLIVIA = () -> "olivia";
    static final List<JsonNode> EVENTS = new CopyOnWriteArrayList<>();
    static final ObjectMapper EVENT_JSON = JsonMapper.builder().findAndAddModules()
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .serializationInclusion(JsonInclude.Include.NON_NULL).build();

    @SpringBootConfiguration
    @ImportAutoConfiguration({DataSourceAutoConfiguration.class, DataSourceTransactionManagerAutoConfiguration.class,
            JdbcTemplateAutoConfiguration.class, FlywayAutoConfiguration.class, JacksonAutoConfiguration.class,
            TransactionAutoConfiguration.class, CamelAutoConfiguration.class})
    @EnableConfigurationProperties({ErpProperties.class, ErpOAuth2Properties.class, ErpReconciliationProperties.class})
    @Import({ErpConfiguration.class, ConfirmationOutbox.class, ConfirmationRelay.class, ConfirmationRelayRoute.class,
            ConfirmationTracking.class, Reconciliation.class, ScheduledReconciliation.class, ReconciliationRoute.class,
            DeadLetterStore.class, DeadLetterRoute.class, DeadLetterResubmitter.class})
    static class OperatorTestApplication {

        /** The hub's event publishing, as a subscriber would see it: every event as CloudEvents JSON. */
        @Bean
        RouteBuilder eventPublishing() {
            return new RouteBuilder() {
                @Override
                public void configure() {
                    from(Endpoints.EVENT_PUBLISH).routeId("test-event-publish").split(body()).process(exchange ->
                            EVENTS.add(EVENT_JSON.valueToTree(exchange.getMessage().getBody(EventEnvelope.class))));
                }
            };
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("millwright.data-dir", DATA_DIR::toString);
        registry.add("spring.datasource.url", () -> "jdbc:h2:file:" + DATA_DIR.resolve("db/millwright"));
        registry.add("millwright.erp.base-url", SIMULATOR::serviceUrl);
        registry.add("millwright.erp.username", () -> "millwright");
        registry.add("millwright.erp.password", () -> "test-secret");
        registry.add("millwright.erp.relay-interval", () -> "200ms");
        registry.add("millwright.erp.retry-backoff", () -> "200ms");
        registry.add("millwright.erp.max-retry-backoff", () -> "1s");
        registry.add("millwright.erp.request-timeout", () -> "3s");
        registry.add("millwright.erp.processing-timeout", () -> "3500ms");
        registry.add("millwright.erp.claim-lease", () -> "7s");
        registry.add("millwright.erp.reconciliation.interval", () -> "1s");
    }

    @AfterAll
    static void stopSimulator() {
        SIMULATOR.close();
    }

    @Autowired
    ConfirmationOutbox outbox;
    @Autowired
    ConfirmationTracking tracking;
    @Autowired
    DeadLetterStore deadLetters;
    @Autowired
    NamedParameterJdbcTemplate jdbc;

    MockMvc api;

    @BeforeEach
    void api() {
        api = MockMvcBuilders.standaloneSetup(new TrackingController(tracking)).build();
    }

    // issue 8, hole 6: 401/403 park with the reason and raise an alert; one such order never blocks the others
    @Test
    void forbiddenOrderParkedWithOneAlert_whileOthersFlow_andBulkResubmitDeliversItAfterTheFix() throws Exception {
        SIMULATOR.forbidOrder("2000002");
        ProductionConfirmation a1 = enqueue("2000001", "4");
        ProductionConfirmation b1 = enqueue("2000002", "5");
        ProductionConfirmation b2 = enqueue("2000002", "6");
        ProductionConfirmation c1 = enqueue("2000003", "7");
        ProductionConfirmation a2 = enqueue("2000001", "8");

        awaitStatus(a1, OutboxEntry.Status.POSTED);
        awaitStatus(a2, OutboxEntry.Status.POSTED);
        awaitStatus(c1, OutboxEntry.Status.POSTED);
        awaitStatus(b1, OutboxEntry.Status.PARKED);
        assertThat(outbox.find(b1.idempotencyKey()).orElseThrow().lastError()).contains("HTTP 403").contains("No authorization for order 2000002");
        // parked and dead-lettered together
        assertThat(parkedDeadLetters(b1)).hasSize(1);
        JsonNode alert = awaitAlert(ErpAlerts.AUTHORIZATION, "2000002", "RAISED");
        EventSchemas.assertValid(alert);
        assertThat(alert.path("data").path("severity").asText()).isEqualTo("critical");
        assertThat(alert.path("data").path("summary").asText()).contains("403");

        SIMULATOR.permitOrder("2000002");
        // b2 waits behind b1 (one order's confirmations go in order) or was parked as well: resubmit what is parked
        await().atMost(Duration.ofSeconds(10)).until(() -> outbox.find(b2.idempotencyKey()).orElseThrow().status() == OutboxEntry.Status.PARKED
                || outbox.find(b2.idempotencyKey()).orElseThrow().status() == OutboxEntry.Status.PENDING);
        int parked = (int) List.of(b1, b2).stream()
                .filter(c -> outbox.find(c.idempotencyKey()).orElseThrow().status() == OutboxEntry.Status.PARKED).count();
        api.perform(post("/api/tracking/resubmit").param("status", "parked").param("order", "2000002").principal(OLIVIA))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.resubmitted").value(parked));

        awaitStatus(b1, OutboxEntry.Status.POSTED);
        awaitStatus(b2, OutboxEntry.Status.POSTED);
        assertThat(List.of(a1, a2, b1, b2, c1)).allSatisfy(c -> assertThat(postedInSap(c)).as(c.idempotencyKey()).isEqualTo(1));
        assertThat(SIMULATOR.totalYield("2000002", "0010")).isEqualByComparingTo("11");
        assertThat(parkedDeadLetters(b1)).as("the resubmit closed the dead letter").isEmpty();
        assertThat(tracking.get(b1.idempotencyKey()).orElseThrow().get("audit").toString()).contains("olivia");
        EventSchemas.assertValid(awaitAlert(ErpAlerts.AUTHORIZATION, "2000002", "CLEARED"));
        assertThat(alerts(ErpAlerts.AUTHORIZATION, "2000002", "RAISED")).as("one alert for the order, not one per confirmation")
                .hasSize(1);
        // control: the orders that flowed never raised one
        assertThat(alerts(ErpAlerts.AUTHORIZATION, "2000001", "RAISED")).isEmpty();
    }

    // today's bug: discard left the dead letter PARKED, inviting a resubmit of what was discarded
    @Test
    void discardClosesTheDeadLetter() throws Exception {
        ProductionConfirmation unknown = enqueue("4711", "1");
        awaitStatus(unknown, OutboxEntry.Status.PARKED);
        assertThat(parkedDeadLetters(unknown)).hasSize(1);

        api.perform(post("/api/tracking/" + unknown.idempotencyKey() + "/discard").principal(OLIVIA)
                        .contentType(MediaType.APPLICATION_JSON).content("{\"reason\":\"order 4711 was a test order\"}"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.status").value("discarded"));

        assertThat(parkedDeadLetters(unknown)).isEmpty();
        assertThat(deadLetters.list(DeadLetter.Status.DISCARDED, 100)).extracting(DeadLetter::correlationId)
                .contains(unknown.idempotencyKey());
        assertThat(postedInSap(unknown)).isZero();
    }

    @Test
    void editedResubmitPostsATrackedCopy_andKeepsTheOriginal() throws Exception {
        ProductionConfirmation wrongUnit = enqueue("2000004", "9", "KG");
        awaitStatus(wrongUnit, OutboxEntry.Status.PARKED);
        String original = wrongUnit.idempotencyKey();

        api.perform(post("/api/tracking/" + original + "/resubmit").principal(OLIVIA)
                        .contentType(MediaType.APPLICATION_JSON).content("{\"yieldQuantity\": -2}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].name").value("yieldQuantity"))
                .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("negative")));
        String copy = com.jayway.jsonpath.JsonPath.read(api.perform(post("/api/tracking/" + original + "/resubmit").principal(OLIVIA)
                        .contentType(MediaType.APPLICATION_JSON).content("{\"unit\": \"PC\", \"reason\": \"counted in pieces\"}"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.replaces").value(original))
                .andExpect(jsonPath("$.lineage[0].delta").value(9))
                .andReturn().getResponse().getContentAsString(), "$.key");

        await().atMost(Duration.ofSeconds(15)).until(() -> outbox.find(copy).orElseThrow().status() == OutboxEntry.Status.POSTED);
        assertThat(SIMULATOR.confirmations()).filteredOn(c -> copy.equals(c.get("ConfirmationText"))).singleElement()
                .satisfies(c -> assertThat(c).containsEntry("ConfirmationUnit", "PC")
                        .containsEntry("ConfirmationYieldQuantity", new BigDecimal("9.000")));
        assertThat(postedInSap(wrongUnit)).as("the original is never posted").isZero();
        var kept = tracking.get(original).orElseThrow();
        assertThat(kept).containsEntry("status", "resubmitted").containsEntry("replacedBy", copy).containsEntry("unit", "KG");
        assertThat(kept.get("audit").toString()).contains("resubmit-edited").contains("olivia").contains("counted in pieces");
        assertThat(parkedDeadLetters(wrongUnit)).isEmpty();
    }

    // never change a quantity twice: the original is read back before an edited copy is made
    @Test
    void editedResubmitRefused_whenSapHoldsTheOriginalAlready() throws Exception {
        SIMULATOR.forbidOrder("2000006");
        ProductionConfirmation parked = enqueue("2000006", "3");
        awaitStatus(parked, OutboxEntry.Status.PARKED);
        SIMULATOR.permitOrder("2000006");
        SIMULATOR.bookByHand("2000006", "0010", new BigDecimal("3"), parked.idempotencyKey());

        api.perform(post("/api/tracking/" + parked.idempotencyKey() + "/resubmit").principal(OLIVIA)
                        .contentType(MediaType.APPLICATION_JSON).content("{\"yieldQuantity\": 4}"))
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("twice")));

        assertThat(outbox.find(parked.idempotencyKey()).orElseThrow().status()).isEqualTo(OutboxEntry.Status.POSTED);
        assertThat(SIMULATOR.totalYield("2000006", "0010")).as("no edited copy booked").isEqualByComparingTo("3");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM confirmation_outbox WHERE replaces = :key",
                new MapSqlParameterSource("key", parked.idempotencyKey()), Integer.class)).isZero();
    }

    @Test
    void scheduledReconciliationRaisesAlert_whenSapHoldsMoreThanThePlantCounted() {
        ProductionConfirmation counted = enqueue("2000005", "10");
        awaitStatus(counted, OutboxEntry.Status.POSTED);
        // control: while plant, hub and ERP agree, no variance alert
        await().pollDelay(Duration.ofMillis(2500)).atMost(Duration.ofSeconds(5))
                .until(() -> alerts(ErpAlerts.VARIANCE, "2000005/0010", "RAISED").isEmpty());

        SIMULATOR.bookByHand("2000005", "0010", new BigDecimal("2"), "booked by hand");

        JsonNode alert = awaitAlert(ErpAlerts.VARIANCE, "2000005/0010", "RAISED");
        EventSchemas.assertValid(alert);
        assertThat(alert.path("data").path("summary").asText()).contains("ERP {good=12").contains("plant {good=10")
                .contains("variance (plant - ERP) {good=-2");
    }

    private ProductionConfirmation enqueue(String order, String yield) {
        return enqueue(order, yield, "PC");
    }

    /** A confirmation with the ledger increment it was built from, as the confirmation window leaves them. */
    private ProductionConfirmation enqueue(String order, String yield, String unit) {
        String key = "MW-" + order + "-" + UUID.randomUUID().toString().substring(0, 8);
        ProductionConfirmation confirmation = new ProductionConfirmation(order, "0010", new BigDecimal(yield), BigDecimal.ZERO, unit,
                false, LocalDate.of(2026, 1, 2), key);
        jdbc.update("""
                INSERT INTO production_count_ledger (asset_path, order_id, operation, counter, delta, unit, observed_at, confirmation_key)
                VALUES ('acme/springfield/assembly/line-1/machine-1', :order, '0010', 'GOOD', :delta, :unit, :at, :key)
                """, new MapSqlParameterSource("order", order).addValue("delta", Long.parseLong(yield)).addValue("unit", unit)
                .addValue("at", Timestamp.from(Instant.now())).addValue("key", key));
        assertThat(outbox.enqueue(confirmation)).isTrue();
        return confirmation;
    }

    private void awaitStatus(ProductionConfirmation confirmation, OutboxEntry.Status status) {
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(
                outbox.find(confirmation.idempotencyKey()).orElseThrow().status()).isEqualTo(status));
    }

    private List<DeadLetter> parkedDeadLetters(ProductionConfirmation confirmation) {
        return deadLetters.list(DeadLetter.Status.PARKED, 1000).stream()
                .filter(d -> confirmation.idempotencyKey().equals(d.correlationId())).toList();
    }

    private static List<JsonNode> alerts(String rule, String key, String status) {
        return EVENTS.stream().filter(e -> e.path("type").asText().equals("io.millwright.alert.v1"))
                .filter(e -> e.path("data").path("rule").asText().equals(rule) && e.path("data").path("key").asText().equals(key)
                        && e.path("data").path("status").asText().equals(status))
                .toList();
    }

    private static JsonNode awaitAlert(String rule, String key, String status) {
        await().atMost(Duration.ofSeconds(15)).until(() -> !alerts(rule, key, status).isEmpty());
        return alerts(rule, key, status).get(0);
    }

    private static long postedInSap(ProductionConfirmation confirmation) {
        return SIMULATOR.confirmations().stream()
                .filter(c -> confirmation.idempotencyKey().equals(c.get("ConfirmationText"))).count();
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("millwright-erp-operator");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ErpSimulator startSimulator() {
        try {
            return new ErpSimulator(
                    new ErpSimulatorProperties(true, 0, "127.0.0.1", "millwright", "test-secret", Duration.ofMinutes(30), List.of()),
                    List.of(order("2000001"), order("2000002"), order("2000003"), order("2000004"), order("2000005"),
                            order("2000006")),
                    DATA_DIR.resolve("sim/erp")).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ErpSimulatorProperties.ReleasedOrder order(String id) {
        return new ErpSimulatorProperties.ReleasedOrder(id, List.of("0010"), "PC", "1010", "WC1");
    }
}
