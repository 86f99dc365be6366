package io.millwright.production;

import io.millwright.enrich.EnrichedSignal;
import io.millwright.model.CounterKind;
import io.millwright.model.Endpoints;
import io.millwright.model.EventEnvelope;
import io.millwright.model.EventIds;
import io.millwright.model.EventType;
import io.millwright.model.InvalidEventException;
import io.millwright.model.Parked;
import io.millwright.model.ProductionCount;
import io.millwright.model.QualityEvent;
import io.millwright.model.Quality;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;

/**
 * Decides what a batch of enriched signals means for production, by each tag's role: a state
 * reading may change the machine state (a machine-state event); a counter reading may add parts
 * (booked in the {@link CounterLedger}, a production-count event); order and operation readings
 * update the {@link OrderContext}; a scrap increment on an asset with a scrap-reason code is also a
 * quality event; a measurement beyond its registry limits raises a limit alarm ({@link LimitAlarms}),
 * cleared when it comes back. Only GOOD values count (OPC 10000-4 7.39: Bad values must not
 * be used, Uncertain ones only with care).
 *
 * <p>One bad reading never holds back the others: a state that is not a machine state, a count
 * without a known order, a counter that is not a whole number, or a database failure while
 * booking parks just those readings, each with its reason, resubmittable to
 * {@link Endpoints#PRODUCTION_INTERPRET}; the rest of the batch gives its events.
 */
@Component
public class ProductionInterpreter {

    /** Route id of the production capability, where parked readings are booked to. */
    public static final String ROUTE_ID = "production-interpret";

    /** The events a batch gave and the readings parked from it. */
    public record Interpretation(List<EventEnvelope<?>> events, List<Parked> parked) {}

    private static final Logger log = LoggerFactory.getLogger(ProductionInterpreter.class);

    private final MachineStateTracker states;
    private final OrderContext orders;
    private final CounterLedger ledger;
    private final LimitAlarms alarms;
    /** The latest scrap reason code each asset's scrap-reason tag reported. */
    private final Map<String, String> scrapReasons = new ConcurrentHashMap<>();

    public ProductionInterpreter(MachineStateTracker states, OrderContext orders, CounterLedger ledger, LimitAlarms alarms) {
        this.states = states;
        this.orders = orders;
        this.ledger = ledger;
        this.alarms = alarms;
    }

    public Interpretation interpret(List<EnrichedSignal> readings) {
        List<EventEnvelope<?>> events = new ArrayList<>();
        List<Parked> parked = new ArrayList<>(0);
        List<CounterReading> counts = new ArrayList<>();
        List<EnrichedSignal> countSignals = new ArrayList<>();
        for (EnrichedSignal reading : readings) {
            if (reading.signal().quality() != Quality.GOOD) {
                continue;
            }
            String assetPath = reading.asset().assetPath();
            try {
                switch (reading.asset().role()) {
                    case STATE -> states.onState(reading)
                            .ifPresent(change -> events.add(event(EventType.MACHINE_STATE, reading, change)));
                    case GOOD_COUNT, SCRAP_COUNT -> {
                        counts.add(counterReading(reading));
                        countSignals.add(reading);
                    }
                    case ORDER -> orders.updateOrder(assetPath, text(reading));
                    case OPERATION -> orders.updateOperation(assetPath, text(reading));
                    case SCRAP_REASON -> scrapReason(assetPath, text(reading));
                    case MEASUREMENT -> alarms.evaluate(reading, orders.current(assetPath).orElse(null))
                            .ifPresent(alarm -> events.add(event(EventType.ALARM, reading, alarm)));
                }
            } catch (InvalidEventException | DataAccessException e) {
                parked.add(park(reading, e));
            }
        }
        if (!counts.isEmpty()) {
            book(counts, countSignals, events, parked);
        }
        return new Interpretation(events, parked);
    }

    private void book(List<CounterReading> counts, List<EnrichedSignal> signals, List<EventEnvelope<?>> events, List<Parked> parked) {
        List<CounterBooking> bookings;
        try {
            bookings = ledger.book(counts);
        } catch (DataAccessException e) {
            log.warn("Counter readings parked, the ledger could not book them readings={} reason={}", counts.size(), e.getMessage());
            signals.forEach(signal -> parked.add(park(signal, e)));
            return;
        }
        for (int i = 0; i < bookings.size(); i++) {
            CounterBooking booking = bookings.get(i);
            EnrichedSignal signal = signals.get(i);
            if (booking.count() != null) {
                // the id the ledger increment names as its production-count event (lineage)
                String id = counts.get(i).source() != null ? counts.get(i).source().countEventId() : EventIds.next();
                EventEnvelope<ProductionCount> count = EventEnvelope.of(id, EventType.PRODUCTION_COUNT, signal.source(),
                        signal.asset().assetPath(), signal.time(), signal.correlationId(), booking.count());
                events.add(count);
                quality(signal, count).ifPresent(events::add);
            } else if (booking.problem() != null) {
                parked.add(park(signal, booking.problem()));
            }
        }
    }

    private void scrapReason(String assetPath, String code) {
        if (code == null || code.isEmpty()) {
            scrapReasons.remove(assetPath);
        } else {
            scrapReasons.put(assetPath, code);
        }
    }

    /**
     * A scrap increment on an asset whose scrap-reason tag has reported a code is also a quality
     * event with that code; without a code there is no quality event (the count still says scrap).
     */
    private Optional<EventEnvelope<QualityEvent>> quality(EnrichedSignal signal, EventEnvelope<ProductionCount> count) {
        ProductionCount data = count.data();
        String reason = scrapReasons.get(signal.asset().assetPath());
        if (data.counter() != CounterKind.SCRAP || data.delta() < 1 || reason == null) {
            return Optional.empty();
        }
        return Optional.of(event(EventType.QUALITY, signal, new QualityEvent(QualityEvent.SCRAP, data.delta(), data.unit(), reason,
                data.orderId(), data.operation(), count.id())));
    }

    private CounterReading counterReading(EnrichedSignal reading) {
        OrderContext.OrderOperation running = orders.current(reading.asset().assetPath())
                .orElse(new OrderContext.OrderOperation(null, null));
        CounterKind kind = switch (reading.asset().role()) {
            case GOOD_COUNT -> CounterKind.GOOD;
            case SCRAP_COUNT -> CounterKind.SCRAP;
            default -> throw new IllegalArgumentException("not a counter role: " + reading.asset().role());
        };
        return new CounterReading(reading.asset().assetPath(), kind, reading.signal().value(), reading.asset().unit(),
                running.orderId(), running.operation(), reading.time(), CounterWidth.parse(reading.asset().counterWidth()),
                new CounterReading.Source(reading.correlationId(), EventIds.next(), reading.source(), reading.signal().tag()));
    }

    private static Parked park(EnrichedSignal reading, RuntimeException cause) {
        return Parked.of(ROUTE_ID, Endpoints.PRODUCTION_INTERPRET, cause, reading.correlationId(), reading);
    }

    private static String text(EnrichedSignal reading) {
        Object value = reading.signal().value();
        return value == null ? null : value.toString().trim();
    }

    private static <T> EventEnvelope<T> event(EventType type, EnrichedSignal reading, T data) {
        return EventEnvelope.of(type, reading.source(), reading.asset().assetPath(), reading.time(), reading.correlationId(), data);
    }
}
