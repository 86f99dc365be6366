package io.millwright.analytics;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/ask?q=OEE line 2 today}: a question for chat-ops in the fixed grammar of
 * {@link AskGrammar}, answered from the same data as {@code GET /api/kpi/oee} and
 * {@code GET /api/timeseries} (the answer names that request, so a person can check it). No
 * language model and no external service is involved: a question outside the grammar answers 400
 * with what the endpoint understands. Viewer role (a read).
 */
@RestController
class AskController {

    /** What the question was read as. */
    record Understood(String measure, String tag, String asset, String period, String shift, Instant from, Instant to) {}

    /** The answer: one value (null = no data) and a sentence, with the API request it came from. */
    record Answer(String question, Understood understood, Double value, Long samples, String answer, String source) {}

    private final AskGrammar grammar;
    private final OeeService oee;
    private final RollupStore rollups;
    private final int maxPoints;
    private final Clock clock;

    AskController(OeeService oee, ShiftCalendar calendar, RollupStore rollups, AnalyticsProperties properties) {
        this.grammar = new AskGrammar(properties.ask().linePrefix(), ZoneId.of(properties.oee().zone()), calendar);
        this.oee = oee;
        this.rollups = rollups;
        this.maxPoints = properties.rollups().maxPoints();
        this.clock = Clock.systemUTC();
    }

    @GetMapping("/api/ask")
    Answer ask(@RequestParam(required = false) String q) {
        AskGrammar.Question question = grammar.parse(q, clock.instant());
        Understood understood = new Understood(question.measure(), question.tag(), question.asset(), question.period(), question.shift(),
                question.from(), question.to());
        String when = question.period() + (question.shift() == null ? "" : " (" + question.shift() + ")") + ", " + question.from()
                + " to " + question.to();
        if (question.kind() == AskGrammar.Kind.KPI) {
            OeeService.Answer kpi = oee.oee(question.asset(), question.from(), question.to(), question.shift());
            Double value = switch (question.measure()) {
                case "oee" -> kpi.oee();
                case "availability" -> kpi.availability();
                case "performance" -> kpi.performance();
                default -> kpi.quality();
            };
            String name = question.measure().equals("oee") ? "OEE" : question.measure();
            String text = name + " of " + question.asset() + " " + when + ": "
                    + (value == null ? "no data (no planned or running time, or nothing produced)"
                            : String.format(Locale.ROOT, "%.1f %%", value * 100));
            return new Answer(q, understood, value, null, text, "/api/kpi/oee?asset=" + question.asset() + "&from=" + question.from()
                    + "&to=" + question.to() + (question.shift() == null ? "" : "&shift=" + question.shift()));
        }
        RollupStep step = Duration.between(question.from(), question.to()).toMinutes() <= maxPoints ? RollupStep.ONE_MINUTE : RollupStep.ONE_HOUR;
        List<RollupStore.Point> points = rollups.points(step, question.asset(), question.tag(), question.from(), question.to());
        long samples = points.stream().mapToLong(RollupStore.Point::count).sum();
        Double value = null;
        if (!points.isEmpty()) {
            value = switch (question.measure()) {
                case "max" -> points.stream().mapToDouble(RollupStore.Point::max).max().orElseThrow();
                case "min" -> points.stream().mapToDouble(RollupStore.Point::min).min().orElseThrow();
                case "last" -> points.get(points.size() - 1).last();
                default -> points.stream().mapToDouble(p -> p.avg() * p.count()).sum() / samples;
            };
        }
        String text = question.measure() + " " + question.tag() + " of " + question.asset() + " " + when + ": "
                + (value == null ? "no data" : String.format(Locale.ROOT, "%.3f", value) + " (" + samples + " samples)");
        return new Answer(q, understood, value, samples, text, "/api/timeseries?asset=" + question.asset() + "&tag=" + question.tag()
                + "&from=" + question.from() + "&to=" + question.to() + "&step=" + step.text());
    }

    /** The lake cannot be read (an S3 lake without local copy, a broken folder), as {@code GET /api/kpi/oee} answers: 503 with the reason. */
    @ExceptionHandler(IllegalStateException.class)
    ProblemDetail unavailable(IllegalStateException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, e.getMessage());
    }
}
