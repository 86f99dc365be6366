package io.millwright.production;

import io.millwright.enrich.EnrichedSignal;
import io.millwright.model.MachineState;
import io.millwright.model.MachineStateChanged;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * Remembers the last state of each machine and reports a change. The first state seen after a
 * start is reported with no previous state, so a subscriber always learns the current state.
 */
@Component
public class MachineStateTracker {

    private final Map<String, MachineState> lastState = new ConcurrentHashMap<>();
    private final OrderContext orderContext;

    public MachineStateTracker(OrderContext orderContext) {
        this.orderContext = orderContext;
    }

    /** The change this reading makes, or empty when the machine was already in that state. */
    public Optional<MachineStateChanged> onState(EnrichedSignal reading) {
        MachineState state = MachineState.parse("value", reading.signal().value());
        String assetPath = reading.asset().assetPath();
        MachineState previous = lastState.put(assetPath, state);
        if (previous == state) {
            return Optional.empty();
        }
        OrderContext.OrderOperation running = orderContext.current(assetPath).orElse(null);
        return Optional.of(new MachineStateChanged(state, previous,
                running == null ? null : running.orderId(), running == null ? null : running.operation()));
    }
}
