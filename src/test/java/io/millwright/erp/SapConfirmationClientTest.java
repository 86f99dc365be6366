package io.millwright.erp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.json.JsonMapper;
import io.millwright.model.ProductionConfirmation;
import io.millwright.sim.erp.ErpSimulator;
import io.millwright.sim.erp.ErpSimulatorProperties;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client against the real simulated SAP service. */
class SapConfirmationClientTest {

    @TempDir
    Path dataDir;

    ErpSimulator simulator;
    SapConfirmationClient client;

    @BeforeEach
    void start() throws Exception {
        simulator = new ErpSimulator(
                new ErpSimulatorProperties(true, 0, "127.0.0.1", "millwright", "test-secret", Duration.ofMinutes(30), List.of()),
                List.of(new ErpSimulatorProperties.ReleasedOrder("1000011", List.of("0010"), "PC", "1010", "L1-M1")),
                dataDir.resolve("sim/erp")).start();
        client = new SapConfirmationClient(properties(simulator.serviceUrl(), "test-secret"), JsonMapper.builder().findAndAddModules().build());
    }

    @AfterEach
    void stop() {
        simulator.close();
    }

    static ErpProperties properties(String baseUrl, String password) {
        return new ErpProperties(baseUrl, "millwright", password, "", Duration.ofSeconds(10), Duration.ofSeconds(5),
                Duration.ofMillis(200), Duration.ofMillis(200), Duration.ofSeconds(2), 50, null, null, null, null);
    }

    static ProductionConfirmation confirmation(String order, String key, String yield) {
        return new ProductionConfirmation(order, "0010", new BigDecimal(yield), BigDecimal.ZERO, "PC", false,
                LocalDate.of(2026, 1, 1), key);
    }

    @Test
    void confirmationPostedWithSapKeys_whenOrderReleased() {
        PostedConfirmation posted = client.post(confirmation("1000011", "MW-1000011-0010-1", "12"));

        assertThat(posted.confirmationGroup()).hasSize(10);
        assertThat(posted.confirmationCount()).isEqualTo("00000001");
        assertThat(simulator.confirmations()).singleElement()
                .satisfies(c -> assertThat(c).containsEntry("ConfirmationText", "MW-1000011-0010-1")
                        .containsEntry("ConfirmationYieldQuantity", new BigDecimal("12.000"))
                        .containsEntry("PostingDate", LocalDate.of(2026, 1, 1)));
    }

    // SAP Gateway answers 403 "X-CSRF-Token: Required" when the session expired: refetch once, post once
    @Test
    void postedOnceAfterRefetchingToken_whenCsrfTokensInvalidated() {
        client.post(confirmation("1000011", "MW-1", "1"));
        simulator.invalidateCsrfTokens();
        int postsBefore = simulator.postsReceived();

        client.post(confirmation("1000011", "MW-2", "2"));

        assertThat(simulator.postsReceived() - postsBefore).as("refused POST + retried POST").isEqualTo(2);
        assertThat(simulator.confirmations()).extracting(c -> c.get("ConfirmationText")).containsExactly("MW-1", "MW-2");
    }

    @Test
    void rejectedWithSapReason_whenOrderUnknown() {
        assertThatThrownBy(() -> client.post(confirmation("4711", "MW-4711", "1")))
                .isInstanceOfSatisfying(ErpRejectedException.class, e -> {
                    assertThat(e.getMessage()).isEqualTo(
                            "SAP rejected confirmation key=MW-4711 order=4711 operation=0010: Order 4711 does not exist (RU/105); field OrderID");
                    assertThat(e.sapCode()).isEqualTo("RU/105");
                    assertThat(e.httpStatus()).isEqualTo(400);
                    assertThat(e.orderId()).isEqualTo("4711");
                    assertThat(e.idempotencyKey()).isEqualTo("MW-4711");
                });
        assertThat(simulator.confirmations()).isEmpty();
    }

    @Test
    void unavailable_whenSapAnswers503() {
        simulator.failNextPosts(1, 503);

        assertThatThrownBy(() -> client.post(confirmation("1000011", "MW-503", "1")))
                .isInstanceOfSatisfying(ErpUnavailableException.class, e -> assertThat(e.httpStatus()).isEqualTo(503));
        assertThat(simulator.confirmations()).isEmpty();
    }

    @Test
    void authorizationRefusedNamingTheSetting_whenPasswordWrong() {
        SapConfirmationClient wrong = new SapConfirmationClient(properties(simulator.serviceUrl(), "wrong"), JsonMapper.builder().build());

        // issue 8, hole 6: a refused logon parks (with an alert) instead of being retried for ever
        assertThatThrownBy(() -> wrong.post(confirmation("1000011", "MW-401", "1")))
                .isInstanceOf(ErpAuthorizationException.class)
                .hasMessageContaining("MILLWRIGHT_ERP_PASSWORD")
                .hasMessageNotContaining("wrong");
    }

    @Test
    void readBackFindsPostedConfirmationOnly_whenKeyKnown() {
        PostedConfirmation posted = client.post(confirmation("1000011", "MW-it's-1", "3"));

        assertThat(client.findByIdempotencyKey("MW-it's-1")).contains(posted);
        assertThat(client.findByIdempotencyKey("MW-never-posted")).isEmpty();
    }
}
