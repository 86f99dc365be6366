package io.millwright.mes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.millwright.model.EventEnvelope;
import io.millwright.model.EventType;
import io.millwright.model.MachineState;
import io.millwright.model.MachineStateChanged;
import io.millwright.model.Quality;
import io.millwright.model.Signal;
import io.millwright.testsupport.EventSchemas;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The streaming writer for signal events gives byte for byte what Jackson's data binding gives
 * (the JSON every consumer and the schemas know), whatever the value's type.
 */
class EventJsonWriterTest {

    // as Spring Boot configures its ObjectMapper: ISO-8601 text for instants
    static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    static final EventJsonWriter WRITER = new EventJsonWriter(JSON);

    static Stream<Signal> signals() {
        return Stream.of(
                new Signal("nsu=urn:x;s=Line1.Temperature", 61.25, "CEL", Quality.GOOD, "0x00000000"),
                new Signal("ns=2;s=Count", 1207L, "PC", Quality.UNCERTAIN, "0x40940000"),
                new Signal("ns=2;s=\"DB_Press\".\"State\"", "running \\ \"quoted\" ü", null, Quality.GOOD, "0x00000000"),
                new Signal("ns=2;s=Alarm", true, null, Quality.GOOD, "0x00000000"),
                new Signal("ns=2;s=Bad", null, "CEL", Quality.BAD, "0x80740000"),
                new Signal("ns=2;s=Array", List.of(1L, 2L, 3L), null, Quality.GOOD, "0x00000000"),
                new Signal("ns=2;s=Big", new BigInteger("18446744073709551615"), null, Quality.GOOD, "0x00000000"),
                new Signal("ns=2;s=Tiny", 1.0E-7, null, Quality.GOOD, "0x00000000"),
                new Signal("ns=2;s=NotANumber", Double.NaN, "CEL", Quality.GOOD, "0x00000000"),
                new Signal("ns=2;s=Negative", -273.15, "CEL", Quality.GOOD, "0x00000000"),
                new Signal("ns=2;s=Tab\tand\u0001control", "line\nbreak", "m³/h", Quality.GOOD, "0x00000000"));
    }

    @ParameterizedTest
    @MethodSource("signals")
    void signalWrittenExactlyAsDataBindingWritesIt(Signal signal) throws Exception {
        // times in the same second and in others, each fraction width, before 1970, and none
        for (Instant time : Arrays.asList(Instant.parse("2026-11-30T08:00:01.250100Z"), Instant.parse("2026-11-30T08:00:01Z"),
                Instant.parse("2026-11-30T08:00:01.123Z"), Instant.parse("2026-11-30T08:00:02.000000001Z"),
                Instant.parse("1969-12-31T23:59:59.500Z"), Instant.parse("2026-11-30T08:00:01.999999Z"), null)) {
            EventEnvelope<Signal> event = EventEnvelope.of(EventType.SIGNAL, "opcua://plant-sim", "acme/site/area/line-1/cell-1",
                    time, "corr-1", signal);
            String written = new String(WRITER.write(event), StandardCharsets.UTF_8);
            assertThat(written).isEqualTo(JSON.writeValueAsString(event));
            EventSchemas.assertValid(JSON.readTree(written));
        }
    }

    // ids, sources and subjects an integrator chose may hold any text: escaped as Jackson escapes it,
    // also the second time a repeated string is written (from the writer's kept encodings)
    @Test
    void anyTextInTheEnvelopeIsEscapedAsDataBindingEscapesIt() throws Exception {
        for (int i = 0; i < 2; i++) {
            EventEnvelope<Signal> event = EventEnvelope.of(EventType.SIGNAL, "opcua://Presse \"Süd\"", "acme/Köln/hall\\1/line-1",
                    Instant.parse("2026-11-30T08:00:01.250Z"), "corr \"ü\" \u0007",
                    new Signal("ns=2;s=Temp", 20.5, "°C", Quality.GOOD, "0x00000000"));
            String written = new String(WRITER.write(event), StandardCharsets.UTF_8);
            assertThat(written).isEqualTo(JSON.writeValueAsString(event));
        }
    }

    // a node's strings are kept per source and tag; a registry reload that moves or renames the node
    // (new asset path, name or unit) is written with the new strings, not the kept ones
    @Test
    void aNodeRenamedByARegistryReloadIsWrittenWithItsNewStrings() throws Exception {
        Instant time = Instant.parse("2026-11-30T08:00:01.250Z");
        List<EventEnvelope<Signal>> events = List.of(
                EventEnvelope.of(EventType.SIGNAL, "opcua://press", "acme/site/area/line-1/cell-1", time, "c-1",
                        new Signal("ns=2;s=Temp", "temperature", 20.5, "CEL", Quality.GOOD, "0x00000000")),
                EventEnvelope.of(EventType.SIGNAL, "opcua://press", "acme/site/area/line-2/cell-1", time, "c-2",
                        new Signal("ns=2;s=Temp", "oil temperature", 20.5, "FAH", Quality.GOOD, "0x00000000")),
                EventEnvelope.of(EventType.SIGNAL, "opcua://press", "acme/site/area/line-2/cell-1", time, "c-3",
                        new Signal("ns=2;s=Temp", null, 20.5, null, Quality.GOOD, "0x00000000")),
                // the same node id on another connection: another node
                EventEnvelope.of(EventType.SIGNAL, "opcua://oven", "acme/site/area/line-9/cell-9", time, "c-4",
                        new Signal("ns=2;s=Temp", "zone temperature", 180.0, "CEL", Quality.GOOD, "0x00000000")));
        EventJsonWriter writer = new EventJsonWriter(JSON);
        for (int round = 0; round < 2; round++) {
            for (EventEnvelope<Signal> event : events) {
                assertThat(new String(writer.write(event), StandardCharsets.UTF_8)).isEqualTo(JSON.writeValueAsString(event));
            }
        }
    }

    @Test
    void otherEventsGoThroughDataBinding() throws Exception {
        EventEnvelope<MachineStateChanged> event = EventEnvelope.of(EventType.MACHINE_STATE, "opcua://plant-sim",
                "acme/site/area/line-1/cell-1", Instant.parse("2026-11-30T08:00:01.250Z"), "corr-1",
                new MachineStateChanged(MachineState.DOWN, MachineState.RUNNING, "1000011", "0010"));
        assertThat(new String(WRITER.write(event), StandardCharsets.UTF_8)).isEqualTo(JSON.writeValueAsString(event));
    }
}
