package io.millwright.analytics;

import io.millwright.model.EventEnvelope;
import io.millwright.model.EventType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The KPI event at each shift end: when a shift of the calendar has ended (and {@code delay} has
 * passed, so the lake's files hold its last events), one {@code kpi} event per configured asset
 * (a machine, or a line or site by its path prefix) with the shift's availability, performance,
 * quality and OEE and the inputs behind them, from {@link OeeService}. Shift ends are checked from
 * the hub's start on: a shift that ended while the hub was down gets no event (ask
 * {@code /api/kpi/oee} for it).
 */
class ShiftKpiPublisher {

    static final String SOURCE = "millwright://analytics/kpi";
    private static final Logger log = LoggerFactory.getLogger(ShiftKpiPublisher.class);

    /** Data of an {@code io.millwright.kpi.v1} event. */
    record Kpi(String asset, String shift, Instant from, Instant to, Double availability, Double performance, Double quality,
            Double oee, OeeCalculator.Inputs inputs) {}

    private final OeeService oee;
    private final ShiftCalendar calendar;
    private final List<String> assets;
    private final Duration delay;
    private final Clock clock;
    private Instant checkedUpTo;

    ShiftKpiPublisher(OeeService oee, ShiftCalendar calendar, List<String> assets, Duration delay, Clock clock) {
        this.oee = oee;
        this.calendar = calendar;
        this.assets = List.copyOf(assets);
        this.delay = delay;
        this.clock = clock;
        this.checkedUpTo = clock.instant().minus(delay);
    }

    /** The KPI events of the shifts that ended since the last call (each shift once). */
    synchronized List<EventEnvelope<Kpi>> due() {
        Instant upTo = clock.instant().minus(delay);
        if (!upTo.isAfter(checkedUpTo)) {
            return List.of();
        }
        List<EventEnvelope<Kpi>> events = new ArrayList<>();
        for (ShiftCalendar.Span shift : calendar.endingIn(checkedUpTo, upTo)) {
            for (String asset : assets) {
                OeeService.Answer answer = oee.oee(asset, shift.start(), shift.end(), shift.name());
                Kpi kpi = new Kpi(asset, shift.name(), shift.start(), shift.end(), answer.availability(), answer.performance(),
                        answer.quality(), answer.oee(), answer.inputs());
                events.add(EventEnvelope.of(EventType.KPI, SOURCE, asset, shift.end(), null, kpi));
                log.info("Shift KPI asset={} shift={} from={} to={} oee={}", asset, shift.name(), shift.start(), shift.end(), answer.oee());
            }
        }
        checkedUpTo = upTo;
        return events;
    }
}
