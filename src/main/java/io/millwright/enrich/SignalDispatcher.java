package io.millwright.enrich;

import io.millwright.erp.CounterLedger;
import io.millwright.model.CounterKind;
import io.millwright.model.EventEnvelope;
import io.millwright.model.EventType;
import io.millwright.model.Quality;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * Decides what an enriched signal means by its role and returns the canonical events to publish:
 * always the signal itself; a machine-state event when a state changed; a production-count event
 * when a counter grew (booked in the {@link CounterLedger} for the ERP). Order and operation
 * readings update the order context. Only GOOD values change state, counts or orders
 * (OPC 10000-4 7.39: Bad values must not be used, Uncertain ones only with care).
 */
@Component
public class SignalDispatcher {

    private final MachineStateTracker states;
    private final OrderContext orders;
    private final CounterLedger ledger;

    public SignalDispatcher(MachineStateTracker states, OrderContext orders, CounterLedger ledger) {
        this.states = states;
        this.orders = orders;
        this.ledger = ledger;
    }

    public List<EventEnvelope<?>> dispatch(EnrichedSignal reading, String correlationId) {
        List<EventEnvelope<?>> events = new ArrayList<>(2);
        events.add(event(EventType.SIGNAL, reading, correlationId, reading.signal()));
        if (reading.signal().quality() != Quality.GOOD) {
            return events;
        }
        String assetPath = reading.asset().assetPath();
        switch (reading.asset().role()) {
            case STATE -> states.onState(reading)
                    .ifPresent(change -> events.add(event(EventType.MACHINE_STATE, reading, correlationId, change)));
            case GOOD_COUNT -> count(reading, CounterKind.GOOD, correlationId, events);
            case SCRAP_COUNT -> count(reading, CounterKind.SCRAP, correlationId, events);
            case ORDER -> orders.updateOrder(assetPath, text(reading));
            case OPERATION -> orders.updateOperation(assetPath, text(reading));
            case MEASUREMENT -> {
                // published as a signal only; limit alerts hang off the analytics side routes
            }
        }
        return events;
    }

    private void count(EnrichedSignal reading, CounterKind kind, String correlationId, List<EventEnvelope<?>> events) {
        OrderContext.OrderOperation running = orders.current(reading.asset().assetPath())
                .orElse(new OrderContext.OrderOperation(null, null));
        ledger.record(reading.asset().assetPath(), kind, reading.signal().value(), reading.asset().unit(),
                        running.orderId(), running.operation(), reading.time())
                .ifPresent(count -> events.add(event(EventType.PRODUCTION_COUNT, reading, correlationId, count)));
    }

    private static String text(EnrichedSignal reading) {
        Object value = reading.signal().value();
        return value == null ? null : value.toString().trim();
    }

    private static <T> EventEnvelope<T> event(EventType type, EnrichedSignal reading, String correlationId, T data) {
        return EventEnvelope.of(type, reading.source(), reading.asset().assetPath(), reading.time(), correlationId, data);
    }
}
