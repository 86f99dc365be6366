package io.millwright.production;

import io.millwright.enrich.AssetRegistry;
import io.millwright.enrich.AssetTag;
import io.millwright.enrich.EnrichedSignal;
import io.millwright.model.InvalidEventException;
import io.millwright.model.MachineState;
import io.millwright.model.MachineStateChanged;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * Remembers the last state of each machine and reports a change. The first state seen after a
 * start is reported with no previous state, so a subscriber always learns the current state.
 * A state tag with a value map in the asset registry ({@code states: {"1": running, ...}}) has its
 * source code translated; without one, the source must report the state names themselves.
 *
 * <p>A reading older than the machine's last state (a resubmitted dead letter, a replayed or late
 * value) is a fact of the past: its event is published with its own time and no previous state,
 * and the machine's current state stays the newer one, so the next change names the right
 * previous state.
 */
@Component
public class MachineStateTracker {

    private record LastState(MachineState state, Instant time) {}

    private final Map<String, LastState> lastState = new ConcurrentHashMap<>();
    private final OrderContext orderContext;
    private final AssetRegistry registry;

    public MachineStateTracker(OrderContext orderContext, AssetRegistry registry) {
        this.orderContext = orderContext;
        this.registry = registry;
    }

    /** The change this reading makes, or empty when the machine was already in that state. */
    public Optional<MachineStateChanged> onState(EnrichedSignal reading) {
        MachineState state = state(reading.asset(), reading.signal().value());
        String assetPath = reading.asset().assetPath();
        LastState before = lastState.get(assetPath);
        MachineState previous;
        if (before != null && isOlder(reading.time(), before.time())) {
            previous = null; // unknown at that time; the current state is left as it is
        } else {
            lastState.put(assetPath, new LastState(state, reading.time()));
            previous = before == null ? null : before.state();
            if (previous == state) {
                return Optional.empty();
            }
        }
        OrderContext.OrderOperation running = orderContext.current(assetPath).orElse(null);
        return Optional.of(new MachineStateChanged(state, previous,
                running == null ? null : running.orderId(), running == null ? null : running.operation()));
    }

    private static boolean isOlder(Instant time, Instant than) {
        return time != null && than != null && time.isBefore(than);
    }

    /**
     * The machine state a reading says: by the tag's value map when it has one (the registry as it
     * is now, so a resubmit after the map was completed succeeds), else by name.
     */
    private MachineState state(AssetTag tag, Object value) {
        Map<String, MachineState> codes = registry.stateMap(tag.connection(), tag.nodeId());
        if (codes.isEmpty()) {
            return MachineState.parse("value", value);
        }
        String code = code(value);
        MachineState state = code == null ? null : codes.get(code);
        if (state == null) {
            throw InvalidEventException.field("value", value, "asset '" + tag.assetPath() + "' tag '" + tag.nodeId()
                    + "': state code '" + code + "' is not in the tag's value map; known codes: " + codes.keySet()
                    + ". Add it under the tag's 'states' in the asset registry and resubmit this message");
        }
        return state;
    }

    /** A value as a state code: numbers without a fraction as whole numbers ({@code 1.0} -> {@code 1}), text trimmed. */
    private static String code(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Double || value instanceof Float || value instanceof BigDecimal) {
            BigDecimal number = new BigDecimal(value.toString());
            try {
                return number.toBigIntegerExact().toString();
            } catch (ArithmeticException notWhole) {
                return number.toPlainString();
            }
        }
        return value.toString().trim();
    }
}
