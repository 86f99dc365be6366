package io.millwright.production;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.millwright.enrich.AssetRegistry;
import io.millwright.enrich.AssetTag;
import io.millwright.enrich.EnrichedSignal;
import io.millwright.enrich.TagRole;
import io.millwright.model.MachineState;
import io.millwright.model.MachineStateChanged;
import io.millwright.model.Quality;
import io.millwright.model.Signal;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A late state reading (a resubmitted dead letter) is published as what it was, and never becomes
 * the machine's current state. Before, the tracker took the last reading processed as the current
 * state: a resubmitted DOWN of 15:49 turned a RUNNING machine DOWN, the next live event named DOWN
 * as its previous state, and a second parked DOWN gave no event at all (found against node-opcua).
 */
class MachineStateTrackerTest {

    static final String ASSET = "acme/springfield/assembly/line-1/machine-1";
    static final AssetTag STATE_TAG = new AssetTag("press", "ns=1;s=State", ASSET, TagRole.STATE, "State", null, null, null);
    static final Instant T0 = Instant.parse("2026-11-30T15:49:00Z");

    final MachineStateTracker tracker = tracker();

    @Test
    void lateReadings_arePublishedWithoutPrevious_andLeaveTheCurrentStateAlone() {
        assertThat(tracker.onState(reading("running", T0.plusSeconds(60)))).map(MachineStateChanged::state)
                .contains(MachineState.RUNNING);

        // two parked DOWN readings of the past, resubmitted after the machine went on running
        Optional<MachineStateChanged> late1 = tracker.onState(reading("down", T0.plusSeconds(23)));
        Optional<MachineStateChanged> late2 = tracker.onState(reading("down", T0.plusSeconds(39)));
        assertThat(late1).map(MachineStateChanged::state).contains(MachineState.DOWN);
        assertThat(late1).map(MachineStateChanged::previousState).isEmpty();
        assertThat(late2).map(MachineStateChanged::state).contains(MachineState.DOWN);

        // the machine is still RUNNING: the same state again is no change, the next change names RUNNING
        assertThat(tracker.onState(reading("running", T0.plusSeconds(70)))).isEmpty();
        assertThat(tracker.onState(reading("idle", T0.plusSeconds(80))))
                .map(MachineStateChanged::previousState).contains(MachineState.RUNNING);
    }

    static EnrichedSignal reading(String state, Instant time) {
        return new EnrichedSignal(STATE_TAG, new Signal("State", state, null, Quality.GOOD, "Good"), "opcua://press", time,
                "c-" + time.toEpochMilli());
    }

    static MachineStateTracker tracker() {
        OrderContext orders = mock(OrderContext.class);
        when(orders.current(any())).thenReturn(Optional.empty());
        AssetRegistry registry = mock(AssetRegistry.class);
        when(registry.stateMap(any(), any())).thenReturn(Map.of());
        return new MachineStateTracker(orders, registry);
    }
}
