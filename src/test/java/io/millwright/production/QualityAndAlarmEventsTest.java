package io.millwright.production;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.millwright.enrich.AssetRegistry;
import io.millwright.enrich.AssetTag;
import io.millwright.enrich.EnrichedSignal;
import io.millwright.enrich.FixedContext;
import io.millwright.enrich.TagRole;
import io.millwright.model.EventEnvelope;
import io.millwright.model.EventType;
import io.millwright.model.LimitAlarm;
import io.millwright.model.ProductionCount;
import io.millwright.model.Quality;
import io.millwright.model.QualityEvent;
import io.millwright.model.Signal;
import io.millwright.testsupport.EventSchemas;
import io.millwright.testsupport.TestDatabase;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The quality and alarm events the production capability derives from readings, with the real
 * count ledger on H2: a scrap increment on a machine whose scrap-reason tag reported a code is a
 * quality event with that code and the order context; a measurement beyond its registry limit
 * raises one alarm however long it stays there, and clears only back inside by the hysteresis.
 * Every event is checked against its published JSON Schema.
 */
class QualityAndAlarmEventsTest {

    static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    static final String PRESS = "acme/springfield/pressing/line-3/press-7";
    static final String OVEN = "acme/springfield/pressing/line-3/oven-1";
    static final Instant T0 = Instant.parse("2026-11-30T08:00:00Z");

    TestDatabase db;
    ProductionInterpreter interpreter;
    int second;

    @BeforeEach
    void start() {
        db = TestDatabase.h2();
        AssetRegistry registry = mock(AssetRegistry.class);
        when(registry.fixedContext(any())).thenReturn(FixedContext.NONE);
        OrderContext orders = new OrderContext(db.jdbc(), registry);
        interpreter = new ProductionInterpreter(new MachineStateTracker(orders, registry), orders,
                new CounterLedger(db.jdbc(), db.transactions()), new LimitAlarms(new ProductionProperties(2)));
    }

    @AfterEach
    void stop() {
        db.close();
    }

    @Test
    void scrapWithAReasonCode_isAQualityEvent_withTheOrderContext() throws Exception {
        read(PRESS, TagRole.ORDER, "1000011", null, null);
        read(PRESS, TagRole.OPERATION, "0010", null, null);
        read(PRESS, TagRole.SCRAP_COUNT, 10, null, null); // the counter's baseline
        assertThat(events(read(PRESS, TagRole.SCRAP_COUNT, 12, null, null), EventType.QUALITY))
                .as("no reason code reported yet: the count only").isEmpty();

        read(PRESS, TagRole.SCRAP_REASON, "S07-BURR", null, null);
        List<EventEnvelope<?>> events = read(PRESS, TagRole.SCRAP_COUNT, 15, null, null);
        List<EventEnvelope<?>> quality = events(events, EventType.QUALITY);
        assertThat(quality).hasSize(1);
        EventEnvelope<?> count = events(events, EventType.PRODUCTION_COUNT).get(0);
        QualityEvent data = (QualityEvent) quality.get(0).data();
        assertThat(data).isEqualTo(new QualityEvent("SCRAP", 3, "PC", "S07-BURR", "1000011", "0010", count.id()));
        assertThat(((ProductionCount) count.data()).delta()).isEqualTo(3);
        assertThat(quality.get(0).subject()).isEqualTo(PRESS);
        assertThat(quality.get(0).correlationid()).isEqualTo(count.correlationid()).isNotBlank();
        assertThat(quality.get(0).time()).isEqualTo(count.time());
        EventSchemas.assertValid(JSON.valueToTree(quality.get(0)));

        // control: good parts are no quality event, whatever the reason tag says
        read(PRESS, TagRole.GOOD_COUNT, 100, null, null);
        assertThat(events(read(PRESS, TagRole.GOOD_COUNT, 104, null, null), EventType.QUALITY)).isEmpty();
    }

    @Test
    void measurementBeyondItsLimit_raisesOneAlarm_clearedBackInsideByTheHysteresis() throws Exception {
        read(OVEN, TagRole.ORDER, "1000012", null, null);
        read(OVEN, TagRole.OPERATION, "0020", null, null);
        List<LimitAlarm> alarms = new ArrayList<>();
        // limits 15..85 CEL, hysteresis 2 % of the 70 K band = 1.4 K: a high alarm clears at 83.6 or below
        for (double value : new double[] {80, 85, 86.5, 90, 85.5, 84, 83.7, 83.5, 84, 86, 14, 13}) {
            for (EventEnvelope<?> event : events(read(OVEN, TagRole.MEASUREMENT, value, 15.0, 85.0), EventType.ALARM)) {
                EventSchemas.assertValid(JSON.valueToTree(event));
                assertThat(event.subject()).isEqualTo(OVEN);
                alarms.add((LimitAlarm) event.data());
            }
        }
        assertThat(alarms).extracting(LimitAlarm::status, LimitAlarm::limit, LimitAlarm::value).containsExactly(
                tuple("RAISED", "HIGH", 86.5),
                tuple("CLEARED", "HIGH", 83.5),
                tuple("RAISED", "HIGH", 86.0),
                tuple("CLEARED", "HIGH", 14.0),
                tuple("RAISED", "LOW", 13.0));
        assertThat(alarms.get(1).alarmId()).as("raised and cleared: one alarm").isEqualTo(alarms.get(0).alarmId());
        assertThat(alarms.get(2).alarmId()).as("raised again: a new alarm").isNotEqualTo(alarms.get(0).alarmId());
        assertThat(alarms.get(1).raisedAt()).isEqualTo(alarms.get(0).raisedAt());
        assertThat(alarms).allSatisfy(alarm -> {
            assertThat(alarm.orderId()).isEqualTo("1000012");
            assertThat(alarm.operation()).isEqualTo("0020");
            assertThat(alarm.tag()).isEqualTo("temperature");
        });
    }

    private List<EventEnvelope<?>> read(String asset, TagRole role, Object value, Double low, Double high) {
        AssetTag tag = new AssetTag("press", "ns=1;s=" + asset + "." + role, asset, role, role == TagRole.MEASUREMENT ? "temperature"
                : role.fileName(), role == TagRole.MEASUREMENT ? "CEL" : "PC", low, high);
        Instant time = T0.plusSeconds(second++);
        EnrichedSignal reading = new EnrichedSignal(tag, new Signal(tag.name(), value, tag.unit(), Quality.GOOD, "Good"),
                "opcua://press", time, "c-" + second);
        ProductionInterpreter.Interpretation result = interpreter.interpret(List.of(reading));
        assertThat(result.parked()).as("nothing parked").isEmpty();
        return result.events();
    }

    private static List<EventEnvelope<?>> events(List<EventEnvelope<?>> events, EventType type) {
        return events.stream().filter(e -> e.type().equals(type.cloudEventType())).toList();
    }
}
