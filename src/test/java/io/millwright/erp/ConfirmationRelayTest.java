package io.millwright.erp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.millwright.model.ProductionConfirmation;
import io.millwright.sim.erp.ErpSimulator;
import io.millwright.sim.erp.ErpSimulatorProperties;
import io.millwright.tracking.DeadLetter;
import io.millwright.tracking.DeadLetterResubmitter;
import io.millwright.tracking.DeadLetterRoute;
import io.millwright.tracking.DeadLetterStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.apache.camel.spring.boot.CamelAutoConfiguration;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.AfterAll;
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
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The relay on H2 (Flyway schema, temp dir) against the real simulated SAP service: each
 * confirmation reaches SAP exactly once, whatever SAP does on the way.
 */
@CamelSpringBootTest
@SpringBootTest(classes = ConfirmationRelayTest.RelayTestApplication.class)
class ConfirmationRelayTest {

    static final Path DATA_DIR = tempDir();
    static final ErpSimulator SIMULATOR = startSimulator();

    @SpringBootConfiguration
    @ImportAutoConfiguration({DataSourceAutoConfiguration.class, DataSourceTransactionManagerAutoConfiguration.class,
            JdbcTemplateAutoConfiguration.class, FlywayAutoConfiguration.class, JacksonAutoConfiguration.class,
            TransactionAutoConfiguration.class, CamelAutoConfiguration.class})
    @EnableConfigurationProperties(ErpProperties.class)
    @Import({ErpConfiguration.class, ConfirmationOutbox.class, ConfirmationRelay.class, ConfirmationRelayRoute.class,
            DeadLetterStore.class, DeadLetterRoute.class, DeadLetterResubmitter.class})
    static class RelayTestApplication {
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
    }

    @AfterAll
    static void stopSimulator() {
        SIMULATOR.close();
    }

    @Autowired
    ConfirmationOutbox outbox;
    @Autowired
    DeadLetterStore deadLetters;
    @Autowired
    DeadLetterResubmitter resubmitter;

    @Test
    void postedOnceAndMarkedPosted_whenPending() {
        ProductionConfirmation confirmation = confirmation("1000011", "7");

        assertThat(outbox.enqueue(confirmation)).isTrue();
        assertThat(outbox.enqueue(confirmation)).as("enqueue is idempotent on the key").isFalse();

        OutboxEntry posted = awaitStatus(confirmation, OutboxEntry.Status.POSTED);
        assertThat(postedInSap(confirmation)).isEqualTo(1);
        assertThat(posted.posted().confirmationGroup()).hasSize(10);
        assertThat(posted.attempts()).isEqualTo(1);
    }

    // the exactly-once proof: SAP committed but the answer was lost; a blind retry would post twice
    @Test
    void confirmationPostedOnce_whenSapTimesOutAfterCommit() {
        ProductionConfirmation confirmation = confirmation("1000012", "5");
        SIMULATOR.commitButDropResponseForNextPosts(1);

        outbox.enqueue(confirmation);

        OutboxEntry posted = awaitStatus(confirmation, OutboxEntry.Status.POSTED);
        assertThat(postedInSap(confirmation)).as("confirmations SAP holds for the key").isEqualTo(1);
        assertThat(posted.attempts()).as("one POST, then a read-back").isEqualTo(1);
        assertThat(SIMULATOR.totalYield("1000012", "0010")).isEqualByComparingTo("5");
    }

    @Test
    void postedOnce_whenSapUnavailableTwice() {
        ProductionConfirmation confirmation = confirmation("1000013", "4");
        SIMULATOR.failNextPosts(2, 503);

        outbox.enqueue(confirmation);

        OutboxEntry posted = awaitStatus(confirmation, OutboxEntry.Status.POSTED);
        assertThat(postedInSap(confirmation)).isEqualTo(1);
        assertThat(posted.attempts()).isEqualTo(3);
        assertThat(posted.lastError()).isNull();
    }

    @Test
    void parkedAndDeadLetteredWithSapReason_whenOrderUnknown() {
        ProductionConfirmation confirmation = confirmation("4711", "1");

        outbox.enqueue(confirmation);

        OutboxEntry parked = awaitStatus(confirmation, OutboxEntry.Status.PARKED);
        String reason = "SAP rejected confirmation key=" + confirmation.idempotencyKey()
                + " order=4711 operation=0010: Order 4711 does not exist (RU/105); field OrderID";
        assertThat(parked.lastError()).isEqualTo(reason);
        await().atMost(Duration.ofSeconds(10)).until(() -> deadLetters.list(DeadLetter.Status.PARKED, 100).stream()
                .anyMatch(d -> d.payload().contains(confirmation.idempotencyKey())));
        DeadLetter deadLetter = deadLetterOf(confirmation);
        assertThat(deadLetter.reason()).isEqualTo(reason);
        assertThat(deadLetter.routeId()).isEqualTo("erp-confirmation-deliver");
        assertThat(deadLetter.endpointUri()).isEqualTo("direct://erp-confirmation-deliver");
        assertThat(deadLetter.exceptionClass()).isEqualTo(ErpRejectedException.class.getName());
        assertThat(postedInSap(confirmation)).isZero();

        // resubmit puts it back in the outbox; SAP refuses again, so it is parked anew with a new dead letter
        resubmitter.resubmit(deadLetter.id());
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                deadLetters.list(DeadLetter.Status.PARKED, 100).stream()
                        .filter(d -> d.payload().contains(confirmation.idempotencyKey())).count()).isEqualTo(1));
        assertThat(outbox.find(confirmation.idempotencyKey()).orElseThrow().status()).isEqualTo(OutboxEntry.Status.PARKED);
    }

    private OutboxEntry awaitStatus(ProductionConfirmation confirmation, OutboxEntry.Status status) {
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(
                outbox.find(confirmation.idempotencyKey()).orElseThrow().status()).isEqualTo(status));
        return outbox.find(confirmation.idempotencyKey()).orElseThrow();
    }

    private DeadLetter deadLetterOf(ProductionConfirmation confirmation) {
        return deadLetters.list(DeadLetter.Status.PARKED, 100).stream()
                .filter(d -> d.payload().contains(confirmation.idempotencyKey()))
                .findFirst().orElseThrow();
    }

    private static long postedInSap(ProductionConfirmation confirmation) {
        return SIMULATOR.confirmations().stream()
                .filter(c -> confirmation.idempotencyKey().equals(c.get("ConfirmationText"))).count();
    }

    private static ProductionConfirmation confirmation(String order, String yield) {
        String key = "MW-" + order + "-" + UUID.randomUUID().toString().substring(0, 8);
        return new ProductionConfirmation(order, "0010", new BigDecimal(yield), BigDecimal.ZERO, "PC", false,
                LocalDate.of(2026, 1, 2), key);
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("millwright-erp-relay");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ErpSimulator startSimulator() {
        try {
            return new ErpSimulator(
                    new ErpSimulatorProperties(true, 0, "127.0.0.1", "millwright", "test-secret", Duration.ofMinutes(30), List.of()),
                    List.of(order("1000011"), order("1000012"), order("1000013")),
                    DATA_DIR.resolve("sim/erp")).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ErpSimulatorProperties.ReleasedOrder order(String id) {
        return new ErpSimulatorProperties.ReleasedOrder(id, List.of("0010"), "PC", "1010", "WC1");
    }
}
