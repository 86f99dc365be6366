package io.millwright.ot.sparkplug;

import static io.millwright.ot.sparkplug.SparkplugPayloads.death;
import static io.millwright.ot.sparkplug.SparkplugPayloads.payload;
import static org.assertj.core.api.Assertions.assertThat;

import io.millwright.model.DataGap;
import io.millwright.model.SourceReading;
import io.millwright.ot.sparkplug.SparkplugSessions.Outcome;
import io.millwright.ot.sparkplug.SparkplugSessions.RebirthReason;
import java.time.Instant;
import org.eclipse.tahu.message.model.MetricDataType;
import org.junit.jupiter.api.Test;

/** The host's session logic on payloads encoded by Tahu: births, aliases, seq, bdSeq, rebirths, gaps. */
class SparkplugSessionsTest {

    private static final Instant T0 = Instant.parse("2026-11-30T10:00:00Z");
    private final SparkplugSessions sessions = new SparkplugSessions(
            (source, connection, tag) -> "acme/" + connection.replace('/', '-'), true);

    private byte[] nbirth(long bdSeq) {
        return payload(0).named("bdSeq", null, MetricDataType.Int64, bdSeq)
                .named("Node Control/Rebirth", null, MetricDataType.Boolean, false)
                .named("Uptime", 1L, MetricDataType.Int64, 10L).bytes();
    }

    private byte[] dbirth(long seq) {
        return payload(seq).named("Temperature", 2L, MetricDataType.Float, 21.5f)
                .named("GoodCount", 3L, MetricDataType.UInt32, 7L).bytes();
    }

    @Test
    void birthAndDataByAliasBecomeReadings_withSourceNamingGroupNodeDevice() {
        Outcome birth = sessions.onMessage("spBv1.0/g1/NBIRTH/n1", nbirth(0), T0);
        assertThat(birth.readings()).extracting(SourceReading::nodeId).containsExactly("Uptime"); // no bdSeq, no Node Control
        assertThat(birth.readings().get(0).source()).isEqualTo("sparkplug://g1/n1");
        assertThat(birth.readings().get(0).value()).isEqualTo(10L);

        Outcome dbirth = sessions.onMessage("spBv1.0/g1/DBIRTH/n1/d1", dbirth(1), T0);
        assertThat(dbirth.readings()).extracting(SourceReading::nodeId).containsExactly("Temperature", "GoodCount");
        assertThat(dbirth.readings().get(0).connection()).isEqualTo("g1/n1/d1");
        assertThat(dbirth.readings().get(0).value()).isEqualTo(21.5d);

        Outcome data = sessions.onMessage("spBv1.0/g1/DDATA/n1/d1",
                payload(2).alias(3, MetricDataType.UInt32, 9L).alias(2, MetricDataType.Float, 22.25f).bytes(), T0);
        assertThat(data.rebirth()).isNull();
        assertThat(data.readings()).extracting(SourceReading::nodeId, SourceReading::value, SourceReading::statusCode)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("GoodCount", 9L, 0L),
                        org.assertj.core.groups.Tuple.tuple("Temperature", 22.25d, 0L));
        Outcome ndata = sessions.onMessage("spBv1.0/g1/NDATA/n1", payload(3).alias(1, MetricDataType.Int64, 11L).bytes(), T0);
        assertThat(ndata.readings()).extracting(SourceReading::source, SourceReading::value).containsExactly(
                org.assertj.core.groups.Tuple.tuple("sparkplug://g1/n1", 11L));
    }

    @Test
    void deathWithMatchingBdSeqMarksNodeAndDevicesBad_andRebirthReportsOneGap() {
        sessions.onMessage("spBv1.0/g1/NBIRTH/n1", nbirth(5), T0);
        sessions.onMessage("spBv1.0/g1/DBIRTH/n1/d1", dbirth(1), T0);

        // a late will of an older session (bdSeq 4) is ignored
        Outcome stale = sessions.onMessage("spBv1.0/g1/NDEATH/n1", death(4), T0.plusSeconds(1));
        assertThat(stale.readings()).isEmpty();
        assertThat(sessions.isOnline("g1/n1")).isTrue();

        Instant died = T0.plusSeconds(2);
        Outcome dead = sessions.onMessage("spBv1.0/g1/NDEATH/n1", death(5), died);
        assertThat(dead.readings()).extracting(SourceReading::nodeId).containsExactly("Uptime", "Temperature", "GoodCount");
        assertThat(dead.readings()).allSatisfy(r -> {
            assertThat(r.value()).isNull();
            assertThat(r.statusCode()).isEqualTo(SparkplugSessions.BAD_NO_COMMUNICATION);
            assertThat(r.sourceTime()).isEqualTo(died);
        });
        assertThat(dead.gaps()).isEmpty(); // reported when data flows again
        assertThat(sessions.isOnline("g1/n1")).isFalse();
        // the same death again (explicit NDEATH, then the will) changes nothing
        assertThat(sessions.onMessage("spBv1.0/g1/NDEATH/n1", death(5), died).readings()).isEmpty();

        Instant back = T0.plusSeconds(30);
        Outcome reborn = sessions.onMessage("spBv1.0/g1/NBIRTH/n1", payload(0).at(java.util.Date.from(back))
                .named("bdSeq", null, MetricDataType.Int64, 6L).named("Uptime", 1L, MetricDataType.Int64, 0L).bytes(), back);
        assertThat(reborn.gaps()).hasSize(1);
        DataGap gap = reborn.gaps().get(0);
        assertThat(gap.source()).isEqualTo("sparkplug://g1/n1");
        assertThat(gap.connection()).isEqualTo("g1/n1");
        assertThat(gap.start()).isEqualTo(died);
        assertThat(gap.end()).isEqualTo(back);
        assertThat(gap.assetPaths()).containsExactly("acme/g1-n1", "acme/g1-n1-d1");
        // a second birth does not report the gap twice
        assertThat(sessions.onMessage("spBv1.0/g1/NBIRTH/n1", nbirth(6), back).gaps()).isEmpty();
    }

    @Test
    void deviceDeathMarksOnlyThatDeviceBad_andItsBirthReportsItsGap() {
        sessions.onMessage("spBv1.0/g1/NBIRTH/n1", nbirth(0), T0);
        sessions.onMessage("spBv1.0/g1/DBIRTH/n1/d1", dbirth(1), T0);
        Instant died = T0.plusSeconds(5);
        Outcome dead = sessions.onMessage("spBv1.0/g1/DDEATH/n1/d1", payload(2).at(java.util.Date.from(died)).bytes(), T0.plusSeconds(6));
        assertThat(dead.readings()).extracting(SourceReading::nodeId).containsExactly("Temperature", "GoodCount");
        assertThat(dead.readings()).allSatisfy(r -> assertThat(r.sourceTime()).isEqualTo(died)); // DDEATH's own timestamp
        assertThat(sessions.isOnline("g1/n1")).isTrue();

        Outcome back = sessions.onMessage("spBv1.0/g1/DBIRTH/n1/d1", dbirth(3), T0.plusSeconds(9));
        assertThat(back.rebirth()).isNull();
        assertThat(back.gaps()).singleElement().satisfies(g -> {
            assertThat(g.source()).isEqualTo("sparkplug://g1/n1/d1");
            assertThat(g.start()).isEqualTo(died);
            assertThat(g.assetPaths()).containsExactly("acme/g1-n1-d1");
        });
    }

    @Test
    void sequenceGapRequestsOneRebirthUntilTheNodeIsBornAgain() {
        sessions.onMessage("spBv1.0/g1/NBIRTH/n1", nbirth(0), T0);
        Outcome gap = sessions.onMessage("spBv1.0/g1/NDATA/n1", payload(3).alias(1, MetricDataType.Int64, 1L).bytes(), T0);
        assertThat(gap.rebirth()).isNotNull();
        assertThat(gap.rebirth().reason()).isEqualTo(RebirthReason.SEQUENCE_GAP);
        assertThat(gap.rebirth().topic()).isEqualTo("spBv1.0/g1/NCMD/n1");
        assertThat(gap.readings()).hasSize(1); // the values themselves are good
        // outstanding: not asked again
        assertThat(sessions.onMessage("spBv1.0/g1/NDATA/n1", payload(9).alias(1, MetricDataType.Int64, 2L).bytes(), T0).rebirth()).isNull();
        sessions.onMessage("spBv1.0/g1/NBIRTH/n1", nbirth(0), T0);
        // wraps 255 -> 0 without a gap
        Outcome inOrder = sessions.onMessage("spBv1.0/g1/NDATA/n1", payload(1).alias(1, MetricDataType.Int64, 3L).bytes(), T0);
        assertThat(inOrder.rebirth()).isNull();
    }

    @Test
    void seqWrapsFrom255To0WithoutRebirth() {
        sessions.onMessage("spBv1.0/g1/NBIRTH/n1", nbirth(0), T0);
        Outcome last = null;
        for (int i = 1; i <= 258; i++) {
            last = sessions.onMessage("spBv1.0/g1/NDATA/n1", payload(i % 256).alias(1, MetricDataType.Int64, (long) i).bytes(), T0);
            assertThat(last.rebirth()).as("message %d", i).isNull();
        }
        assertThat(last.readings().get(0).value()).isEqualTo(258L);
    }

    @Test
    void unknownAliasOrDataBeforeBirthRequestsRebirth() {
        Outcome early = sessions.onMessage("spBv1.0/g2/NDATA/n1", payload(1).alias(1, MetricDataType.Int64, 1L).bytes(), T0);
        assertThat(early.rebirth().reason()).isEqualTo(RebirthReason.NOT_BORN);
        assertThat(early.readings()).isEmpty();

        sessions.onMessage("spBv1.0/g1/NBIRTH/n1", nbirth(0), T0);
        Outcome unknown = sessions.onMessage("spBv1.0/g1/NDATA/n1",
                payload(1).alias(1, MetricDataType.Int64, 5L).alias(42, MetricDataType.Int64, 5L).bytes(), T0);
        assertThat(unknown.rebirth()).isNotNull();
        assertThat(unknown.rebirth().reason()).isEqualTo(RebirthReason.UNKNOWN_ALIAS);
        assertThat(unknown.readings()).extracting(SourceReading::value).containsExactly(5L); // the known alias still counts
        assertThat(unknown.rebirth().detail()).contains("42");
    }
}
