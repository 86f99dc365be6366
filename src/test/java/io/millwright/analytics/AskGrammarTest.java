package io.millwright.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.millwright.model.InvalidEventException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The fixed grammar of {@code GET /api/ask} at a scripted time (2026-11-30 15:30 in Berlin,
 * 14:30 UTC, in the late shift 14:00-22:00 local): what each question is read as, and what it refuses.
 */
class AskGrammarTest {

    private static final String LINES = "acme/springfield/assembly/line-";
    private static final Instant NOW = Instant.parse("2026-11-30T14:30:00Z");
    private static final AskGrammar GRAMMAR = new AskGrammar(LINES, ZoneId.of("Europe/Berlin"),
            new ShiftCalendar(ZoneId.of("Europe/Berlin"), List.of(
                    new AnalyticsProperties.Shift("early", "06:00", "14:00"),
                    new AnalyticsProperties.Shift("late", "14:00", "22:00"),
                    new AnalyticsProperties.Shift("night", "22:00", "06:00"))));

    @Test
    void kpiQuestions() {
        AskGrammar.Question oee = GRAMMAR.parse("OEE line 2 today", NOW);
        assertThat(oee.kind()).isEqualTo(AskGrammar.Kind.KPI);
        assertThat(oee.measure()).isEqualTo("oee");
        assertThat(oee.asset()).isEqualTo(LINES + "2");
        assertThat(oee.from()).as("local midnight").isEqualTo(Instant.parse("2026-11-29T23:00:00Z"));
        assertThat(oee.to()).isEqualTo(NOW);

        AskGrammar.Question yesterday = GRAMMAR.parse("availability of machine 3 line 1 yesterday?", NOW);
        assertThat(yesterday.asset()).isEqualTo(LINES + "1/machine-3");
        assertThat(yesterday.from()).isEqualTo(Instant.parse("2026-11-28T23:00:00Z"));
        assertThat(yesterday.to()).isEqualTo(Instant.parse("2026-11-29T23:00:00Z"));

        AskGrammar.Question shift = GRAMMAR.parse("quality for line 1 machine 2 this shift", NOW);
        assertThat(shift.shift()).isEqualTo("late");
        assertThat(shift.from()).isEqualTo(Instant.parse("2026-11-30T13:00:00Z"));
        assertThat(shift.to()).isEqualTo(NOW);

        AskGrammar.Question last = GRAMMAR.parse("performance line 1 last shift", NOW);
        assertThat(last.shift()).isEqualTo("early");
        assertThat(last.from()).isEqualTo(Instant.parse("2026-11-30T05:00:00Z"));
        assertThat(last.to()).isEqualTo(Instant.parse("2026-11-30T13:00:00Z"));
    }

    @Test
    void tagQuestions() {
        AskGrammar.Question max = GRAMMAR.parse("max temperature of line 1 machine 1 last 4 hours", NOW);
        assertThat(max.kind()).isEqualTo(AskGrammar.Kind.TAG);
        assertThat(max.measure()).isEqualTo("max");
        assertThat(max.tag()).isEqualTo("temperature");
        assertThat(max.from()).isEqualTo(Instant.parse("2026-11-30T10:30:00Z"));

        AskGrammar.Question plain = GRAMMAR.parse("vibration acme/springfield/assembly/line-2/machine-2 last 30 minutes", NOW);
        assertThat(plain.measure()).as("avg when no word is given").isEqualTo("avg");
        assertThat(plain.asset()).isEqualTo("acme/springfield/assembly/line-2/machine-2");
        assertThat(plain.from()).isEqualTo(Instant.parse("2026-11-30T14:00:00Z"));

        AskGrammar.Question day = GRAMMAR.parse("average temperature of line 1 machine 1 on 2026-11-29", NOW);
        assertThat(day.measure()).isEqualTo("avg");
        assertThat(day.from()).isEqualTo(Instant.parse("2026-11-28T23:00:00Z"));
        assertThat(day.to()).isEqualTo(Instant.parse("2026-11-29T23:00:00Z"));
    }

    @Test
    void whatItDoesNotUnderstandIsRefusedWithWhatItDoes() {
        for (String question : new String[] {"why is line 2 slow?", "OEE line 2", "OEE of the canteen today", "", "max oee line 1 today"}) {
            assertThatThrownBy(() -> GRAMMAR.parse(question, NOW)).as(question)
                    .isInstanceOf(InvalidEventException.class)
                    .satisfies(e -> assertThat(((InvalidEventException) e).field()).isEqualTo("q"));
        }
        assertThatThrownBy(() -> GRAMMAR.parse("why is line 2 slow?", NOW))
                .hasMessageContaining("no AI").hasMessageContaining("this shift").hasMessageContaining("last N hours");
    }
}
