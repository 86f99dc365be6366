package io.millwright.erp;

import static org.assertj.core.api.Assertions.assertThat;

import io.millwright.sim.erp.ErpSimulator;
import io.millwright.sim.erp.ErpSimulatorProperties;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * A backlog of production confirmations for the fault runs of packaged hubs ({@link ErpKillNineIT},
 * {@link ErpTwoHubsIT}): released orders in the ERP simulator, each confirmation in the outbox with
 * the ledger increment (the plant's count) it was built from, and the end check: the ERP holds each
 * key once and its total per order equals the plant's.
 */
final class ErpBacklog {

    static final String OPERATION = "0010";
    static final String ASSET = "acme/springfield/assembly/line-1/machine-1";

    final List<String> orders;
    final int confirmations;
    /** Yield per order as counted by the plant (the ledger). */
    final Map<String, BigDecimal> plant = new HashMap<>();

    /** {@code orders} order ids from 3000001 on; {@code confirmations} spread over them in turn. */
    ErpBacklog(int orders, int confirmations) {
        this.orders = Stream.iterate(3_000_001, i -> i + 1).limit(orders).map(String::valueOf).toList();
        this.confirmations = confirmations;
    }

    /** The ERP simulator (in this JVM) with this backlog's orders released, operation 0010 each. */
    ErpSimulator simulator(int port, String password, Path stateDir) {
        List<ErpSimulatorProperties.ReleasedOrder> released = orders.stream()
                .map(id -> new ErpSimulatorProperties.ReleasedOrder(id, List.of(OPERATION), "PC", "1010", "WC1")).toList();
        return new ErpSimulator(new ErpSimulatorProperties(true, port, "127.0.0.1", "millwright", password,
                Duration.ofMinutes(30), List.of()), released, stateDir);
    }

    /**
     * Writes the backlog: per confirmation a ledger increment of 1-20 parts (seeded, so every run
     * has the same figures) taken into it, and the pending outbox row, created an hour ago.
     */
    ErpBacklog enqueue(NamedParameterJdbcTemplate jdbc) {
        Random random = new Random(8);
        Instant created = Instant.now().minusSeconds(3600);
        List<MapSqlParameterSource> ledger = new ArrayList<>();
        List<MapSqlParameterSource> outbox = new ArrayList<>();
        for (int i = 0; i < confirmations; i++) {
            String order = orders.get(i % orders.size());
            int yield = 1 + random.nextInt(20);
            String key = "MW-" + order + "-" + OPERATION + "-" + (i + 1);
            plant.merge(order, BigDecimal.valueOf(yield), BigDecimal::add);
            Timestamp at = Timestamp.from(created.plusMillis(i));
            ledger.add(new MapSqlParameterSource("order", order).addValue("delta", yield).addValue("at", at).addValue("key", key)
                    .addValue("asset", ASSET));
            outbox.add(new MapSqlParameterSource("order", order).addValue("yield", yield).addValue("at", at).addValue("key", key)
                    .addValue("date", java.sql.Date.valueOf(LocalDate.of(2026, 11, 30))));
        }
        jdbc.batchUpdate("""
                INSERT INTO production_count_ledger (asset_path, order_id, operation, counter, delta, unit, observed_at, confirmation_key)
                VALUES (:asset, :order, '0010', 'GOOD', :delta, 'PC', :at, :key)
                """, ledger.toArray(MapSqlParameterSource[]::new));
        jdbc.batchUpdate("""
                INSERT INTO confirmation_outbox (idempotency_key, order_id, operation, yield_quantity, scrap_quantity, unit,
                    posting_date, status, attempts, created_at, updated_at)
                VALUES (:key, :order, '0010', :yield, 0, 'PC', :date, 'PENDING', 0, :at, :at)
                """, outbox.toArray(MapSqlParameterSource[]::new));
        return this;
    }

    /** What the SAP team checks: no key in the ERP twice, every confirmation there, ERP total = plant total per order. */
    void assertErpEqualsPlant(ErpSimulator erp) {
        List<Map<String, Object>> held = erp.confirmations();
        Map<Object, Long> perKey = held.stream().collect(Collectors.groupingBy(c -> c.get("ConfirmationText"), Collectors.counting()));
        assertThat(perKey.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList())
                .as("keys in the ERP more than once").isEmpty();
        assertThat(held).as("confirmations in the ERP").hasSize(confirmations);
        for (String order : orders) {
            assertThat(erp.totalYield(order, OPERATION)).as("ERP total of order " + order + " vs plant")
                    .isEqualByComparingTo(plant.getOrDefault(order, BigDecimal.ZERO));
        }
    }

    /** Rows that needed more than one attempt (the faults were real). */
    static long retried(NamedParameterJdbcTemplate jdbc) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM confirmation_outbox WHERE attempts > 1", Map.of(), Long.class);
    }

    static int countWhere(NamedParameterJdbcTemplate jdbc, String condition) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM confirmation_outbox WHERE " + condition, Map.of(), Integer.class);
    }
}
