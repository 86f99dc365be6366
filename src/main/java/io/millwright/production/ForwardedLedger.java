package io.millwright.production;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The ledger rows an edge has handed on: on an edge whose counts the central hub confirms
 * ({@code millwright.erp.confirmed-by=central}) a row is marked {@code forwarded_at} when the central hub's
 * broker acknowledged its production-count event (the edge link tells, {@code direct:production-ledger-forwarded}),
 * and deleted once that is longer ago than {@code millwright.production.forwarded-ledger-retention}: the central
 * hub's ledger holds the count from then on. A row never marked (not delivered yet, or on any other hub) is never
 * deleted here.
 */
@Component
public class ForwardedLedger {

    private static final Logger log = LoggerFactory.getLogger(ForwardedLedger.class);

    private final NamedParameterJdbcTemplate jdbc;
    private final ProductionProperties settings;
    private final Clock clock;

    @Autowired
    public ForwardedLedger(NamedParameterJdbcTemplate jdbc, ProductionProperties settings) {
        this(jdbc, settings, Clock.systemUTC());
    }

    ForwardedLedger(NamedParameterJdbcTemplate jdbc, ProductionProperties settings, Clock clock) {
        this.jdbc = jdbc;
        this.settings = settings;
        this.clock = clock;
    }

    /**
     * Marks the rows of these production-count event ids forwarded, now (a row marked before keeps its time).
     *
     * @return rows marked
     */
    public int markForwarded(Collection<String> countEventIds) {
        if (countEventIds.isEmpty()) {
            return 0;
        }
        int marked = jdbc.update("""
                UPDATE production_count_ledger SET forwarded_at = :now
                WHERE count_event_id IN (:ids) AND forwarded_at IS NULL
                """, new MapSqlParameterSource("ids", countEventIds).addValue("now", Timestamp.from(clock.instant())));
        log.debug("Ledger rows marked forwarded rows={} ids={}", marked, countEventIds.size());
        return marked;
    }

    /**
     * Deletes the rows forwarded longer ago than the retention.
     *
     * @return rows deleted
     */
    public int prune() {
        Instant cutoff = clock.instant().minus(settings.forwardedLedgerRetention());
        int pruned = jdbc.update("DELETE FROM production_count_ledger WHERE forwarded_at < :cutoff",
                new MapSqlParameterSource("cutoff", Timestamp.from(cutoff)));
        if (pruned > 0) {
            log.info("Forwarded ledger rows pruned rows={} forwardedBefore={} retention={}", pruned, cutoff,
                    settings.forwardedLedgerRetention());
        }
        return pruned;
    }
}
