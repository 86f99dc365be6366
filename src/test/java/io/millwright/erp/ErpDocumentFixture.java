package io.millwright.erp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.millwright.sim.erp.ErpSimulator;
import io.millwright.sim.erp.ErpSimulatorProperties;
import io.millwright.testsupport.TestDatabase;
import io.millwright.tracking.DeadLetterStore;
import java.io.IOException;
import java.nio.file.Files;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;

/**
 * What the ERP document tests share: the simulated SAP system over HTTP (all its services), a hub
 * store with the real migrations (H2, or PostgreSQL in the *PostgresIT subclasses), the outbox, and
 * a relay whose polls the test drives as the
 * relay route does (a refusal parks and dead-letters, no verdict waits).
 */
abstract class ErpDocumentFixture {

    static final String ASSET = "acme/springfield/assembly/line-1/machine-1";
    static ErpSimulator simulator;

    TestDatabase db;
    ConfirmationOutbox outbox;
    DeadLetterStore deadLetters;
    ErpProperties settings;
    SapConfirmationClient sap;
    OperationCompletions completions;
    final ObjectMapper json = JsonMapper.builder().findAndAddModules().build();
    final RelayHolesContract.MovableClock clock = new RelayHolesContract.MovableClock();

    static void startSimulator(String... orders) throws IOException {
        List<ErpSimulatorProperties.ReleasedOrder> released = new ArrayList<>();
        for (String order : orders) {
            released.add(new ErpSimulatorProperties.ReleasedOrder(order, List.of("0010"), "PC", "1010", "WC1"));
        }
        simulator = new ErpSimulator(new ErpSimulatorProperties(true, 0, "127.0.0.1", "millwright", "test-secret",
                Duration.ofMinutes(30), List.of()), released, Files.createTempDirectory("millwright-erp-documents")).start();
    }

    @AfterAll
    static void stopSimulator() {
        simulator.close();
    }

    /** The hub store the test runs on: H2 here, PostgreSQL in the *PostgresIT subclasses. */
    TestDatabase openDatabase() {
        return TestDatabase.h2();
    }

    @BeforeEach
    void openStore() {
        db = openDatabase();
        outbox = new ConfirmationOutbox(db.jdbc());
        deadLetters = new DeadLetterStore(db.jdbc());
        settings = new ErpProperties(simulator.serviceUrl(), "millwright", "test-secret", "", Duration.ofSeconds(10),
                Duration.ofSeconds(3), Duration.ofMillis(100), Duration.ofMillis(100), Duration.ofMillis(400), 50,
                Duration.ofSeconds(30), Duration.ofSeconds(60), null, null);
        sap = new SapConfirmationClient(settings, json);
        completions = new OperationCompletions(db.jdbc());
        simulator.failNextPosts(0, 503);
        simulator.commitButDropResponseForNextPosts(0);
    }

    @AfterEach
    void closeStore() {
        db.close();
    }

    /** The document types of the running hub, over this store and the simulator. */
    ErpDocumentTypes types() {
        ODataDocumentClient client = sap.odata();
        return new ErpDocumentTypes(List.of(new ConfirmationDocumentType(sap, completions),
                new GoodsMovementType(client, simulator.serviceUrl(ErpSimulator.MATERIAL_DOCUMENT_PATH)),
                new MaintenanceNotificationType(client, simulator.serviceUrl(ErpSimulator.MAINT_NOTIFICATION_PATH))));
    }

    ConfirmationRelay relay() {
        return new ConfirmationRelay(outbox, sap, settings, json, db.transactions(), clock, "relay-test")
                .withTypes(types());
    }

    /** Polls until nothing is due (at most 20 polls): every pending row posted, parked or waiting for a back-off. */
    void drainAfter(Duration wait, ConfirmationRelay relay) {
        clock.advance(wait);
        drain(relay);
    }

    /** Polls until nothing is due (at most 20 polls): every pending row posted, parked or waiting for a back-off. */
    void drain(ConfirmationRelay relay) {
        for (int i = 0; i < 20; i++) {
            if (pollOnce(relay) == 0) {
                return;
            }
        }
    }

    /** One poll as the relay route does it: the oldest due row of each order. @return rows that were due */
    int pollOnce(ConfirmationRelay relay) {
        List<OutboxEntry> due = relay.due();
        deliverEach(relay, due);
        return due.size();
    }

    /**
     * One poll as the relay route does it with {@code millwright.erp.post-batch-size} over 1: the
     * never-sent due rows in {@code $batch} requests, then the rest one by one. @return rows that were due
     */
    int pollBatched(ConfirmationRelay relay) {
        List<OutboxEntry> due = relay.due();
        deliverEach(relay, relay.deliverBatch(due));
        return due.size();
    }

    private void deliverEach(ConfirmationRelay relay, List<OutboxEntry> entries) {
        for (OutboxEntry entry : entries) {
            try {
                relay.deliver(entry);
            } catch (ErpRejectedException rejection) {
                relay.park(entry, rejection, () -> deadLetters.park("erp-confirmation-deliver",
                        ConfirmationRelayRoute.DELIVER, rejection.getMessage(), rejection.getClass().getName(),
                        entry.idempotencyKey(), payload(relay, entry), "{}"));
            } catch (ErpUnavailableException unavailable) {
                relay.wait(entry, unavailable);
            }
        }
    }

    private static String payload(ConfirmationRelay relay, OutboxEntry entry) {
        try {
            return relay.payload(entry);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A counted increment in the ledger, as the production capability books it. */
    void count(String order, String counter, long delta) {
        db.jdbc().update("""
                INSERT INTO production_count_ledger (asset_path, order_id, operation, counter, delta, unit, observed_at)
                VALUES (:asset, :order, '0010', :counter, :delta, 'PC', :at)
                """, new MapSqlParameterSource("asset", ASSET).addValue("order", order).addValue("counter", counter)
                .addValue("delta", delta).addValue("at", Timestamp.from(Instant.now())));
    }

    ConfirmationWindow window() {
        return new ConfirmationWindow(db.jdbc(), db.transactions(), outbox, settings);
    }
}
