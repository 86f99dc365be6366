package io.millwright.erp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.millwright.model.ProductionConfirmation;
import io.millwright.testsupport.TestDatabase;
import java.security.Principal;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;

/**
 * Issue 8, tracking: {@code /api/tracking} lists confirmations with their status in lower case,
 * shows one with its lineage (the ledger increments it was built from) and audit log, and
 * resubmits or discards a parked one with the user recorded. On H2 ({@link TrackingH2Test}) and
 * PostgreSQL ({@link TrackingPostgresIT}).
 */
abstract class TrackingContract {

    static final String ASSET = "acme/springfield/assembly/line-1/machine-1";
    static final Principal ALICE = () -> "alice";

    TestDatabase db;
    ConfirmationOutbox outbox;
    MockMvc api;
    List<ProductionConfirmation> queued;

    abstract TestDatabase openDatabase();

    @BeforeEach
    void open() {
        db = openDatabase();
        outbox = new ConfirmationOutbox(db.jdbc());
        api = MockMvcBuilders.standaloneSetup(new TrackingController(new ConfirmationTracking(db.jdbc(), db.transactions(), outbox)))
                .build();
        count("4000001", "GOOD", 5);
        count("4000001", "SCRAP", 1);
        count("4000002", "GOOD", 7);
        count("4000003", "GOOD", 9);
        queued = new ConfirmationWindow(db.jdbc(), db.transactions(), outbox).close();
        outbox.markParked(key("4000001"), "SAP rejected confirmation: Order 4000001 is closed (RU/111)");
        outbox.markPosted(key("4000002"), new PostedConfirmation("0000100007", "00000001"));
        outbox.markParked(key("4000003"), "SAP refused the hub's authorization: HTTP 403");
    }

    @AfterEach
    void close() {
        db.close();
    }

    void count(String order, String counter, long delta) {
        db.jdbc().update("""
                INSERT INTO production_count_ledger (asset_path, order_id, operation, counter, delta, unit, observed_at)
                VALUES (:asset, :order, '0010', :counter, :delta, 'PC', :at)
                """, new MapSqlParameterSource("asset", ASSET).addValue("order", order).addValue("counter", counter)
                .addValue("delta", delta).addValue("at", Timestamp.from(Instant.parse("2026-11-30T08:00:00Z"))));
    }

    String key(String order) {
        return queued.stream().filter(c -> c.orderId().equals(order)).findFirst().orElseThrow().idempotencyKey();
    }

    @Test
    void listFiltersByStatusAndPages() throws Exception {
        api.perform(get("/api/tracking").param("status", "parked"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.items", hasSize(2)))
                .andExpect(jsonPath("$.items[0].status").value("parked"))
                .andExpect(jsonPath("$.items[0].documentType").value("production-confirmation"))
                .andExpect(jsonPath("$.items[0].assetPath").value(ASSET))
                .andExpect(jsonPath("$.next").value(nullValue()));
        api.perform(get("/api/tracking").param("status", "confirmed"))
                .andExpect(jsonPath("$.items[0].orderId").value("4000002"))
                .andExpect(jsonPath("$.items[0].erpDocument.confirmationGroup").value("0000100007"));
        api.perform(get("/api/tracking").param("limit", "2"))
                .andExpect(jsonPath("$.items", hasSize(2)))
                .andExpect(jsonPath("$.next").value("2"));
        api.perform(get("/api/tracking").param("page", "2").param("limit", "2"))
                .andExpect(jsonPath("$.items", hasSize(1)));
        api.perform(get("/api/tracking").param("status", "lost"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("status=lost")))
                .andExpect(jsonPath("$.errors[0].name").value("status"));
    }

    @Test
    void recordShowsLineage() throws Exception {
        api.perform(get("/api/tracking/" + key("4000001")))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.yieldQuantity").value(5))
                .andExpect(jsonPath("$.lineage", hasSize(2)))
                .andExpect(jsonPath("$.lineage[*].counter", contains("GOOD", "SCRAP")))
                .andExpect(jsonPath("$.lineage[0].assetPath").value(ASSET));
        api.perform(get("/api/tracking/MW-nothing")).andExpect(status().isNotFound());
    }

    @Test
    void resubmitAndDiscardAreAuditedWithTheUser() throws Exception {
        api.perform(post("/api/tracking/" + key("4000001") + "/resubmit").principal(ALICE))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.status").value("resubmitted"))
                .andExpect(jsonPath("$.audit[0].action").value("resubmit"))
                .andExpect(jsonPath("$.audit[0].user").value("alice"));
        assertThat(outbox.find(key("4000001")).orElseThrow().readBackFirst()).as("read back before any POST").isTrue();

        api.perform(post("/api/tracking/" + key("4000002") + "/resubmit").principal(ALICE))
                .andExpect(status().isConflict());
        api.perform(post("/api/tracking/" + key("4000003") + "/discard").principal(ALICE)
                        .contentType(MediaType.APPLICATION_JSON).content("{}"))
                .andExpect(status().isBadRequest());
        api.perform(post("/api/tracking/" + key("4000003") + "/discard").principal(ALICE)
                        .contentType(MediaType.APPLICATION_JSON).content("{\"reason\":\"booked by hand in CO11N\"}"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.status").value("discarded"))
                .andExpect(jsonPath("$.audit[0].detail").value("booked by hand in CO11N"));
        assertThat(outbox.find(key("4000003")).orElseThrow().status()).isEqualTo(OutboxEntry.Status.DISCARDED);
    }
}
