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
 * quality and OEE and the inputs behind them, from {@link OeeService}.
 *
 * <p>How far it has published is kept ({@link Mark}, the database in the hub) and moved on only
 * after the events were published ({@link #published}): a failed publish is tried again at the
 * next check, and the shifts that ended while the hub was down are published at its next start,
 * back to {@code catch-up} before it (older ones are skipped, logged with their window). On the
 * very first start nothing is back-filled, and the start is kept as the mark. Each shift's event carries the shift end as its time.
 */
class ShiftKpiPublisher {

    static final String SOURCE = "millwright://analytics/kpi";
    private static final Logger log = LoggerFactory.getLogger(ShiftKpiPublisher.class);

    /** Data of an {@code io.millwright.kpi.v1} event. */
    record Kpi(String asset, String shift, Instant from, Instant to, Double availability, Double performance, Double quality,
            Double oee, OeeCalculator.Inputs inputs) {}

    /** Where the publisher keeps how far it has published. */
    interface Mark {
        /** The time up to which every shift end was published; null = never ran. */
        Instant load();

        void store(Instant publishedUpTo);
    }

    /** The events of the shifts that ended in (after, upTo]; hand it to {@link #published} once they are out. */
    record Due(Instant after, Instant upTo, List<EventEnvelope<Kpi>> events) {}

    private final OeeService oee;
    private final ShiftCalendar calendar;
    private final List<String> assets;
    private final Duration delay;
    private final Clock clock;
    private final Mark mark;
    private Instant checkedUpTo;

    /** Without a kept mark: from now on only (tests, and a hub without its database). */
    ShiftKpiPublisher(OeeService oee, ShiftCalendar calendar, List<String> assets, Duration delay, Clock clock) {
        this(oee, calendar, assets, delay, Duration.ZERO, new Mark() {
            @Override
            public Instant load() {
                return null;
            }

            @Override
            public void store(Instant publishedUpTo) {
                // kept in memory only
            }
        }, clock);
    }

    ShiftKpiPublisher(OeeService oee, ShiftCalendar calendar, List<String> assets, Duration delay, Duration catchUp, Mark mark,
            Clock clock) {
        this.oee = oee;
        this.calendar = calendar;
        this.assets = List.copyOf(assets);
        this.delay = delay;
        this.clock = clock;
        this.mark = mark;
        Instant upTo = clock.instant().minus(delay);
        Instant kept = mark.load();
        Instant earliest = upTo.minus(catchUp);
        if (kept == null) {
            // the first start: nothing back-filled; kept at once, so a stop before the first check still counts as down time
            this.checkedUpTo = upTo;
            mark.store(upTo);
        } else if (kept.isBefore(earliest)) {
            List<ShiftCalendar.Span> skipped = calendar.endingIn(kept, earliest);
            if (!skipped.isEmpty()) {
                log.warn("Shift KPI events skipped: {} shift ends from={} to={} are older than millwright.analytics.kpi.catch-up={}"
                        + " (ask /api/kpi/oee for them)", skipped.size(), kept, earliest, catchUp);
            }
            this.checkedUpTo = earliest;
        } else {
            this.checkedUpTo = kept;
        }
    }

    /** The KPI events of the shifts that ended since the last {@link #published} mark (each shift once). */
    synchronized Due next() {
        Instant after = checkedUpTo;
        Instant upTo = clock.instant().minus(delay);
        if (!upTo.isAfter(after)) {
            return new Due(after, after, List.of());
        }
        List<EventEnvelope<Kpi>> events = new ArrayList<>();
        for (ShiftCalendar.Span shift : calendar.endingIn(after, upTo)) {
            for (String asset : assets) {
                OeeService.Answer answer = oee.oee(asset, shift.start(), shift.end(), shift.name());
                Kpi kpi = new Kpi(asset, shift.name(), shift.start(), shift.end(), answer.availability(), answer.performance(),
                        answer.quality(), answer.oee(), answer.inputs());
                events.add(EventEnvelope.of(EventType.KPI, SOURCE, asset, shift.end(), null, kpi));
                log.info("Shift KPI asset={} shift={} from={} to={} oee={}", asset, shift.name(), shift.start(), shift.end(), answer.oee());
            }
        }
        return new Due(after, upTo, events);
    }

    /** The due events are out: move the mark on (and keep it). */
    synchronized void published(Due due) {
        if (due.upTo().isAfter(checkedUpTo)) {
            checkedUpTo = due.upTo();
            mark.store(checkedUpTo);
        }
    }
}
