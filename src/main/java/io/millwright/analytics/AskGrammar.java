package io.millwright.analytics;

import io.millwright.model.InvalidEventException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fixed grammar of {@code GET /api/ask}: no language model, no external service, only these
 * patterns (case does not matter, {@code of}/{@code for}/{@code on} optional):
 *
 * <pre>
 * question := measure [of|for] asset period
 * measure  := oee | availability | performance | quality           (GET /api/kpi/oee)
 *           | [avg|average|max|maximum|min|minimum|last] TAG       (GET /api/timeseries; avg when no word is given)
 * asset    := line N | line N machine M | machine M [of] line N | an asset path with '/'
 * period   := today | yesterday | this shift | last shift | last N hours | last N minutes | on YYYY-MM-DD
 * </pre>
 *
 * "line N" is {@code <line-prefix>N} ({@code millwright.analytics.ask.line-prefix}); days and
 * shifts are those of the plant's zone and shift calendar.
 */
final class AskGrammar {

    static final String UNDERSTOOD = "measure [of] asset period: measure = oee | availability | performance | quality"
            + " | [avg|max|min|last] <tag> (e.g. temperature); asset = line N | line N machine M | machine M line N | an asset path;"
            + " period = today | yesterday | this shift | last shift | last N hours | last N minutes | on YYYY-MM-DD."
            + " Examples: 'OEE line 2 today', 'max temperature of line 1 machine 1 last 4 hours'";

    enum Kind { KPI, TAG }

    /** A question understood: what, of which asset, over [from, to), and how it was read back. */
    record Question(Kind kind, String measure, String tag, String asset, Instant from, Instant to, String period, String shift) {}

    private static final List<String> KPIS = List.of("oee", "availability", "performance", "quality");
    private static final Pattern QUESTION = Pattern.compile(
            "^(?:(?<kpi>oee|availability|performance|quality)|(?:(?<agg>avg|average|max|maximum|min|minimum|last)\\s+)?(?<tag>[a-z][a-z0-9_-]*))"
                    + "\\s+(?:(?:of|for|on)\\s+)?(?:the\\s+)?(?<asset>.+?)\\s+(?<period>today|yesterday|this shift|last shift|last \\d{1,3} hours?"
                    + "|last \\d{1,4} minutes?|on \\d{4}-\\d{2}-\\d{2})\\s*\\??$");
    private static final Pattern LINE = Pattern.compile("^line\\s*(\\d+)$");
    private static final Pattern LINE_MACHINE = Pattern.compile("^line\\s*(\\d+)\\s*,?\\s*machine\\s*(\\d+)$");
    private static final Pattern MACHINE_LINE = Pattern.compile("^machine\\s*(\\d+)\\s*,?\\s*(?:of\\s+|on\\s+)?line\\s*(\\d+)$");

    private final String linePrefix;
    private final ZoneId zone;
    private final ShiftCalendar calendar;

    AskGrammar(String linePrefix, ZoneId zone, ShiftCalendar calendar) {
        this.linePrefix = linePrefix;
        this.zone = zone;
        this.calendar = calendar;
    }

    Question parse(String text, Instant now) {
        String q = text == null ? "" : text.trim().toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
        Matcher m = QUESTION.matcher(q);
        if (q.isEmpty() || !m.matches()) {
            throw InvalidEventException.field("q", text, "is not a question this endpoint understands (a fixed grammar, no AI). It understands: "
                    + UNDERSTOOD);
        }
        String asset = asset(text, m.group("asset"));
        String period = m.group("period");
        Instant from;
        Instant to = now;
        String shift = null;
        ZonedDateTime local = now.atZone(zone);
        if (period.equals("today")) {
            from = local.toLocalDate().atStartOfDay(zone).toInstant();
        } else if (period.equals("yesterday")) {
            to = local.toLocalDate().atStartOfDay(zone).toInstant();
            from = local.toLocalDate().minusDays(1).atStartOfDay(zone).toInstant();
        } else if (period.equals("this shift") || period.equals("last shift")) {
            ShiftCalendar.Span span = period.equals("this shift") ? calendar.current(now) : calendar.previous(now);
            if (span == null) {
                throw InvalidEventException.field("q", text, "asks for a shift, but millwright.analytics.oee.shifts has none at " + now);
            }
            from = span.start();
            to = period.equals("this shift") ? now : span.end();
            shift = span.name();
        } else if (period.startsWith("on ")) {
            LocalDate day;
            try {
                day = LocalDate.parse(period.substring(3));
            } catch (DateTimeParseException e) {
                throw InvalidEventException.field("q", text, "names no real day: " + period.substring(3));
            }
            from = day.atStartOfDay(zone).toInstant();
            to = day.plusDays(1).atStartOfDay(zone).toInstant();
        } else {
            String[] words = period.split(" ");
            long amount = Long.parseLong(words[1]);
            if (amount < 1) {
                throw InvalidEventException.field("q", text, "asks for the last 0 " + words[2]);
            }
            from = now.minus(words[2].startsWith("hour") ? Duration.ofHours(amount) : Duration.ofMinutes(amount));
        }
        if (m.group("kpi") != null) {
            return new Question(Kind.KPI, m.group("kpi"), null, asset, from, to, period, shift);
        }
        String tag = m.group("tag");
        if (KPIS.contains(tag)) {
            throw InvalidEventException.field("q", text, "is not understood: " + tag + " takes no avg/max/min/last");
        }
        return new Question(Kind.TAG, aggregate(m.group("agg")), tag, asset, from, to, period, shift);
    }

    private String asset(String text, String words) {
        String asset = words.trim();
        Matcher line = LINE.matcher(asset);
        if (line.matches()) {
            return linePrefix + line.group(1);
        }
        Matcher lineMachine = LINE_MACHINE.matcher(asset);
        if (lineMachine.matches()) {
            return linePrefix + lineMachine.group(1) + "/machine-" + lineMachine.group(2);
        }
        Matcher machineLine = MACHINE_LINE.matcher(asset);
        if (machineLine.matches()) {
            return linePrefix + machineLine.group(2) + "/machine-" + machineLine.group(1);
        }
        if (asset.contains("/") && !asset.contains(" ")) {
            // an asset path as written (paths are lower case in the registry)
            return asset;
        }
        throw InvalidEventException.field("q", text, "names no asset I know ('" + asset + "'): line N, line N machine M, or an asset path");
    }

    private static String aggregate(String word) {
        if (word == null) {
            return "avg";
        }
        return switch (word) {
            case "average" -> "avg";
            case "maximum" -> "max";
            case "minimum" -> "min";
            default -> word;
        };
    }
}
