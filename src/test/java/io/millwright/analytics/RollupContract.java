package io.millwright.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.millwright.testsupport.TestDatabase;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * Rollups of a scripted series, exact to the sample, window boundaries included: buckets are
 * half-open, a sample at 10:01:00.000 belongs to 10:01, one at 10:00:59.999 to 10:00. Run on H2
 * ({@link RollupStoreH2Test}) and PostgreSQL ({@link RollupStorePostgresIT}).
 */
abstract class RollupContract {

    private static final String A = "acme/springfield/assembly/line-1/machine-1";
    private static final ObjectMapper JSON = new ObjectMapper();

    abstract TestDatabase openDatabase();

    /** The template the store writes with; a variant may wrap it the way a driver behaves. */
    NamedParameterJdbcTemplate jdbc(TestDatabase db) {
        return db.jdbc();
    }

    TestDatabase db;
    RollupStore store;
    RollupAggregator aggregator;

    @BeforeEach
    void open() throws Exception {
        db = openDatabase();
        store = new RollupStore(jdbc(db), db.transactions());
        aggregator = new RollupAggregator(store);
    }

    @AfterEach
    void close() {
        db.close();
    }

    private void sample(String time, double value) {
        aggregator.add(A, "temperature", Instant.parse(time), value);
    }

    @Test
    void scriptedSeriesRollsUpExactly_boundariesIncluded_acrossSeveralFlushes() {
        sample("2026-11-30T10:00:00.000Z", 1.0);
        sample("2026-11-30T10:00:30Z", 5.0);
        sample("2026-11-30T10:00:59.999Z", 3.0);
        aggregator.flush();
        sample("2026-11-30T10:01:00.000Z", 10.0);
        sample("2026-11-30T10:01:59.999Z", -2.0);
        // late and out of order: counts in 10:00 but is not its last value
        sample("2026-11-30T10:00:15Z", 2.0);
        aggregator.flush();
        sample("2026-11-30T10:59:59.999Z", 7.0);
        sample("2026-11-30T11:00:00.000Z", 100.0);
        aggregator.flush();
        aggregator.flush(); // nothing held: no change

        Instant from = Instant.parse("2026-11-30T10:00:00Z");
        Instant to = Instant.parse("2026-11-30T12:00:00Z");
        assertThat(store.points(RollupStep.ONE_MINUTE, A, "temperature", from, to)).containsExactly(
                point("2026-11-30T10:00:00Z", 1.0, 5.0, 11.0 / 4, 4, 3.0),
                point("2026-11-30T10:01:00Z", -2.0, 10.0, 4.0, 2, -2.0),
                point("2026-11-30T10:59:00Z", 7.0, 7.0, 7.0, 1, 7.0),
                point("2026-11-30T11:00:00Z", 100.0, 100.0, 100.0, 1, 100.0));
        assertThat(store.points(RollupStep.ONE_HOUR, A, "temperature", from, to)).containsExactly(
                point("2026-11-30T10:00:00Z", -2.0, 10.0, 26.0 / 7, 7, 7.0),
                point("2026-11-30T11:00:00Z", 100.0, 100.0, 100.0, 1, 100.0));
        // [from, to): the bucket starting at 'to' is out, the one starting at 'from' is in
        assertThat(store.points(RollupStep.ONE_MINUTE, A, "temperature",
                Instant.parse("2026-11-30T10:01:00Z"), Instant.parse("2026-11-30T11:00:00Z")))
                .extracting(RollupStore.Point::time)
                .containsExactly(Instant.parse("2026-11-30T10:01:00Z"), Instant.parse("2026-11-30T10:59:00Z"));
        assertThat(store.points(RollupStep.ONE_MINUTE, A, "pressure", from, to)).isEmpty();
    }

    @Test
    void bucketsNotMergedYetAreReadWithTheStoredOnes_neverTwice() {
        sample("2026-11-30T10:00:00Z", 1.0);
        sample("2026-11-30T10:00:30Z", 5.0);
        aggregator.flush();
        sample("2026-11-30T10:00:40Z", 3.0);   // same minute, held
        sample("2026-11-30T10:00:10Z", 9.0);   // late: counts, but 3.0 stays the minute's last value
        sample("2026-11-30T10:01:00Z", 10.0);  // a minute the store does not hold yet

        Instant from = Instant.parse("2026-11-30T10:00:00Z");
        Instant to = Instant.parse("2026-11-30T11:00:00Z");
        List<RollupStore.Point> expected = List.of(
                point("2026-11-30T10:00:00Z", 1.0, 9.0, 18.0 / 4, 4, 3.0),
                point("2026-11-30T10:01:00Z", 10.0, 10.0, 10.0, 1, 10.0));
        assertThat(store.points(RollupStep.ONE_MINUTE, A, "temperature", from, to)).hasSize(1); // the store alone lags
        assertThat(aggregator.points(RollupStep.ONE_MINUTE, A, "temperature", from, to)).isEqualTo(expected);
        assertThat(aggregator.points(RollupStep.ONE_HOUR, A, "temperature", from, to))
                .containsExactly(point("2026-11-30T10:00:00Z", 1.0, 10.0, 28.0 / 5, 5, 10.0));
        assertThat(aggregator.points(RollupStep.ONE_MINUTE, A, "pressure", from, to)).isEmpty();

        aggregator.flush();
        assertThat(store.points(RollupStep.ONE_MINUTE, A, "temperature", from, to)).isEqualTo(expected);
        assertThat(aggregator.points(RollupStep.ONE_MINUTE, A, "temperature", from, to)).isEqualTo(expected);
        // [from, to) applies to the held buckets too
        assertThat(aggregator.points(RollupStep.ONE_MINUTE, A, "temperature", from, Instant.parse("2026-11-30T10:01:00Z")))
                .containsExactly(expected.get(0));
    }

    @Test
    void signalEventsRollUpUnderTheirRegistryName_onlyNumericGoodValuesCount() throws Exception {
        // the registry name the telemetry path put in the event (an entry's or an asset rule's name:), not the node id
        String node = "nsu=urn:millwright:sim:plant;s=Line1.Machine1.";
        assertThat(aggregator.add(signal(node + "T_PV", "temperature", "20.5", "GOOD", "2026-11-30T08:00:01Z"))).isTrue();
        assertThat(aggregator.add(signal(node + "T_PV", "temperature", "21.5", "GOOD", "2026-11-30T08:00:02Z"))).isTrue();
        assertThat(aggregator.add(signal(node + "T_PV", "temperature", null, "BAD", "2026-11-30T08:00:03Z"))).isFalse();
        assertThat(aggregator.add(signal(node + "T_PV", "temperature", "99", "UNCERTAIN", "2026-11-30T08:00:04Z"))).isFalse();
        assertThat(aggregator.add(signal(node + "T_PV", "temperature", "\"hot\"", "GOOD", "2026-11-30T08:00:05Z"))).isFalse();
        // a signal without a name (written before names were carried): the last part of its id, as the registry names it
        assertThat(aggregator.add(signal(node + "Vibration", null, "2.5", "GOOD", "2026-11-30T08:00:06Z"))).isTrue();
        aggregator.flush();

        Instant from = Instant.parse("2026-11-30T08:00:00Z");
        Instant to = Instant.parse("2026-11-30T08:01:00Z");
        assertThat(store.points(RollupStep.ONE_MINUTE, A, "temperature", from, to))
                .containsExactly(point("2026-11-30T08:00:00Z", 20.5, 21.5, 21.0, 2, 21.5));
        assertThat(store.points(RollupStep.ONE_MINUTE, A, "Vibration", from, to)).hasSize(1);
        assertThat(store.points(RollupStep.ONE_MINUTE, A, "T_PV", from, to)).isEmpty();
        assertThat(aggregator.skippedSignals()).isEqualTo(3);
    }

    private static com.fasterxml.jackson.databind.JsonNode signal(String tag, String name, String value, String quality, String time)
            throws Exception {
        String v = value == null ? "" : "\"value\":" + value + ",";
        String n = name == null ? "" : "\"name\":\"" + name + "\",";
        return JSON.readTree("""
                {"specversion":"1.0","id":"x","type":"io.millwright.signal.v1","source":"opcua://plant-sim","subject":"%s",
                 "time":"%s","data":{"tag":"%s",%s%s"quality":"%s"}}""".formatted(A, time, tag, n, v, quality));
    }

    private static RollupStore.Point point(String time, double min, double max, double avg, long count, double last) {
        return new RollupStore.Point(Instant.parse(time), min, max, avg, count, last);
    }

}
