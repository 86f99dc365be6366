package io.millwright.erp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.millwright.model.ProductionConfirmation;
import io.millwright.sim.erp.ErpSimulator;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8, {@code $batch} as an option: confirmations go to SAP in OData V2 {@code $batch} requests
 * of a given size, one changeset per confirmation, and each result is mapped back to its
 * confirmation: SAP's key of the one it booked, SAP's verdict on the one it refused. One refused
 * confirmation does not take the others of its batch with it; a batch without an answer leaves each
 * of its confirmations without a verdict (to be read back), never as refused.
 */
class SapBatchTest {

    static final String SECRET = "batch-secret-2c4d";

    @TempDir
    Path dataDir;

    SimulatedSapLogon sap;
    ErpSimulator simulator;
    SapConfirmationClient client;
    final ObjectMapper json = JsonMapper.builder().findAndAddModules().build();

    @BeforeEach
    void start() throws Exception {
        sap = SimulatedSapLogon.start(dataDir, "millwright", SECRET);
        simulator = sap.simulator;
        client = new SapConfirmationClient(SapConfirmationClientTest.properties(simulator.serviceUrl(), SECRET), json);
    }

    @AfterEach
    void stop() {
        sap.close();
    }

    @Test
    void eachResultMappedBackToItsConfirmation_whenOneOfABatchIsRefused() {
        List<ProductionConfirmation> confirmations = List.of(
                SapConfirmationClientTest.confirmation("1000011", "MW-B-1", "3"),
                SapConfirmationClientTest.confirmation("1000011", "MW-B-2", "4"),
                SapConfirmationClientTest.confirmation("9999999", "MW-B-3", "5"), // no such order in SAP
                SapConfirmationClientTest.confirmation("1000011", "MW-B-4", "6"),
                SapConfirmationClientTest.confirmation("1000011", "MW-B-5", "7"));
        int postsBefore = simulator.postsReceived();

        List<SapConfirmationClient.BatchOutcome> outcomes = client.postBatch(confirmations, 4);

        assertThat(simulator.postsReceived() - postsBefore).as("two $batch requests: 4 + 1 confirmations").isEqualTo(2);
        assertThat(outcomes).extracting(o -> o.confirmation().idempotencyKey())
                .containsExactly("MW-B-1", "MW-B-2", "MW-B-3", "MW-B-4", "MW-B-5");
        SapConfirmationClient.BatchOutcome refused = outcomes.get(2);
        assertThat(refused.posted()).isNull();
        assertThat(refused.failure()).isInstanceOf(ErpRejectedException.class)
                .hasMessageContaining("key=MW-B-3").hasMessageContaining("9999999");
        // what SAP holds: the four others, once each, under the key the batch answered for each
        assertThat(simulator.confirmations()).extracting(c -> c.get("ConfirmationText"))
                .containsExactlyInAnyOrder("MW-B-1", "MW-B-2", "MW-B-4", "MW-B-5");
        for (int i : new int[] {0, 1, 3, 4}) {
            SapConfirmationClient.BatchOutcome outcome = outcomes.get(i);
            assertThat(outcome.failure()).as(outcome.confirmation().idempotencyKey()).isNull();
            assertThat(client.find(outcome.confirmation())).as("read back " + outcome.confirmation().idempotencyKey())
                    .contains(outcome.posted());
        }
        Map<Object, Object> yieldByKey = simulator.confirmations().stream()
                .collect(java.util.stream.Collectors.toMap(c -> c.get("ConfirmationText"), c -> c.get("ConfirmationYieldQuantity")));
        assertThat(new java.math.BigDecimal(String.valueOf(yieldByKey.get("MW-B-4")))).isEqualByComparingTo("6");
    }

    @Test
    void noConfirmationRefused_whenTheBatchGetsNoVerdict() {
        simulator.failNextPosts(1, 503);
        List<ProductionConfirmation> confirmations = List.of(
                SapConfirmationClientTest.confirmation("1000011", "MW-B-6", "1"),
                SapConfirmationClientTest.confirmation("1000011", "MW-B-7", "2"));

        List<SapConfirmationClient.BatchOutcome> outcomes = client.postBatch(confirmations, 10);

        assertThat(outcomes).hasSize(2).allSatisfy(outcome -> {
            assertThat(outcome.posted()).isNull();
            assertThat(outcome.failure()).isInstanceOf(ErpUnavailableException.class).hasMessageContaining("HTTP 503");
        });
        assertThat(simulator.confirmations()).isEmpty();

        // the next attempt goes through; each is in SAP once
        assertThat(client.postBatch(confirmations, 10)).allSatisfy(outcome -> assertThat(outcome.posted()).isNotNull());
        assertThat(simulator.confirmations()).extracting(c -> c.get("ConfirmationText")).containsExactlyInAnyOrder("MW-B-6", "MW-B-7");
    }
}
