package io.millwright.analytics;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The plant's shifts ({@code millwright.analytics.oee.shifts}): each a daily interval in the plant's
 * time zone, crossing midnight when it ends before it starts (22:00 to 06:00). The planned time of
 * a window is its overlap with the shifts (ISO 22400 planned busy time); without shifts, the whole window.
 */
final class ShiftCalendar {

    private final ZoneId zone;
    private final List<AnalyticsProperties.Shift> shifts;

    ShiftCalendar(ZoneId zone, List<AnalyticsProperties.Shift> shifts) {
        this.zone = zone;
        this.shifts = List.copyOf(shifts);
    }

    /** The planned intervals within [from, to), sorted; only those of the named shift when {@code shiftName} is set. */
    List<OeeCalculator.Interval> planned(Instant from, Instant to, String shiftName) {
        if (shiftName != null && shifts.stream().noneMatch(s -> s.name().equals(shiftName))) {
            throw io.millwright.model.InvalidEventException.field("shift", shiftName, "no such shift in millwright.analytics.oee.shifts "
                    + shifts.stream().map(AnalyticsProperties.Shift::name).toList());
        }
        if (shifts.isEmpty()) {
            // no calendar: every hour is planned
            return List.of(new OeeCalculator.Interval(from, to));
        }
        List<OeeCalculator.Interval> intervals = new ArrayList<>();
        LocalDate first = from.atZone(zone).toLocalDate().minusDays(1);
        LocalDate last = to.atZone(zone).toLocalDate();
        for (LocalDate day = first; !day.isAfter(last); day = day.plusDays(1)) {
            for (AnalyticsProperties.Shift shift : shifts) {
                if (shiftName != null && !shift.name().equals(shiftName)) {
                    continue;
                }
                LocalTime start = LocalTime.parse(shift.start());
                LocalTime end = LocalTime.parse(shift.end());
                Instant s = ZonedDateTime.of(day, start, zone).toInstant();
                Instant e = ZonedDateTime.of(end.isAfter(start) ? day : day.plusDays(1), end, zone).toInstant();
                Instant cs = s.isAfter(from) ? s : from;
                Instant ce = e.isBefore(to) ? e : to;
                if (ce.isAfter(cs)) {
                    intervals.add(new OeeCalculator.Interval(cs, ce));
                }
            }
        }
        intervals.sort(Comparator.comparing(OeeCalculator.Interval::start));
        // shifts that touch or overlap (06-14, 14-22) merge, so no time is planned twice
        List<OeeCalculator.Interval> merged = new ArrayList<>();
        for (OeeCalculator.Interval interval : intervals) {
            OeeCalculator.Interval previous = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (previous != null && !interval.start().isAfter(previous.end())) {
                merged.set(merged.size() - 1, new OeeCalculator.Interval(previous.start(),
                        interval.end().isAfter(previous.end()) ? interval.end() : previous.end()));
            } else {
                merged.add(interval);
            }
        }
        return merged;
    }

    /** One shift on one day: [start, end). */
    record Span(String name, Instant start, Instant end) {}

    /** The shifts that end in (after, upTo], by end time. */
    List<Span> endingIn(Instant after, Instant upTo) {
        return spans(after, upTo).stream().filter(s -> s.end().isAfter(after) && !s.end().isAfter(upTo)).toList();
    }

    /** The shift that runs at this time, or null (none, or no calendar). */
    Span current(Instant at) {
        return spans(at, at).stream().filter(s -> !s.start().isAfter(at) && s.end().isAfter(at)).findFirst().orElse(null);
    }

    /** The latest shift that ended at or before this time, or null (no calendar). */
    Span previous(Instant at) {
        return spans(at.minus(java.time.Duration.ofDays(2)), at).stream().filter(s -> !s.end().isAfter(at))
                .reduce((a, b) -> b).orElse(null);
    }

    /** Every shift of the days around [from, to], sorted by end. */
    private List<Span> spans(Instant from, Instant to) {
        List<Span> spans = new ArrayList<>();
        LocalDate first = from.atZone(zone).toLocalDate().minusDays(1);
        LocalDate last = to.atZone(zone).toLocalDate().plusDays(1);
        for (LocalDate day = first; !day.isAfter(last); day = day.plusDays(1)) {
            for (AnalyticsProperties.Shift shift : shifts) {
                LocalTime start = LocalTime.parse(shift.start());
                LocalTime end = LocalTime.parse(shift.end());
                spans.add(new Span(shift.name(), ZonedDateTime.of(day, start, zone).toInstant(),
                        ZonedDateTime.of(end.isAfter(start) ? day : day.plusDays(1), end, zone).toInstant()));
            }
        }
        spans.sort(Comparator.comparing(Span::end));
        return spans;
    }
}
