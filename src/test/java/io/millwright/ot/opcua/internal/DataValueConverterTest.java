package io.millwright.ot.opcua.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.ubyte;
import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;
import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.ulong;
import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.ushort;

import io.millwright.model.SourceReading;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.types.builtin.ByteString;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.ULong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DataValueConverterTest {

    private static final String NODE = "nsu=urn:millwright:sim:plant;s=Line1.Machine1.GoodCount";
    private static final String SOURCE = "opcua://plant-sim";

    @Test
    void readingCarriesConnectionNodeValueStatusAndTimes_whenValueIsGood() {
        Instant source = Instant.parse("2025-11-20T08:15:30.125Z");
        Instant server = Instant.parse("2025-11-20T08:15:30.250Z");
        DataValue value = new DataValue(
                new Variant(uint(4711)), StatusCode.GOOD, new DateTime(source), new DateTime(server));

        SourceReading reading = DataValueConverter.toReading("plant-sim", SOURCE, NODE, value);

        assertThat(reading).isEqualTo(new SourceReading("plant-sim", SOURCE, NODE, 4711L, 0L, source, server));
    }

    // OPC UA Part 4, 7.7.1: a Bad value must not be used, whatever the Variant holds.
    @Test
    void valueIsNull_whenStatusIsBad_evenIfVariantHoldsOne() {
        DataValue value = new DataValue(
                new Variant(42.0), new StatusCode(StatusCodes.Bad_NodeIdUnknown), null, null);

        SourceReading reading = DataValueConverter.toReading("c", SOURCE, NODE, value);

        assertThat(reading.value()).isNull();
        assertThat(reading.statusCode()).isEqualTo(0x80340000L);
        assertThat(reading.sourceTime()).isNull();
        assertThat(reading.serverTime()).isNull();
    }

    // Uncertain values are kept: the pipeline maps them to quality UNCERTAIN.
    @Test
    void valueKept_whenStatusIsUncertain() {
        DataValue value = new DataValue(new Variant(7.5), new StatusCode(StatusCodes.Uncertain_LastUsableValue));

        assertThat(DataValueConverter.toReading("c", SOURCE, NODE, value).value()).isEqualTo(7.5);
    }

    @Test
    void statusIsGood_whenDataValueHasNoStatus() {
        DataValue value = new DataValue(new Variant("running"), null, null, null);

        SourceReading reading = DataValueConverter.toReading("c", SOURCE, NODE, value);

        assertThat(reading.statusCode()).isEqualTo(0L);
        assertThat(reading.value()).isEqualTo("running");
    }

    static Stream<Arguments> plainValues() {
        return Stream.of(
                Arguments.of(null, null),
                Arguments.of("running", "running"),
                Arguments.of(true, true),
                Arguments.of((byte) -3, -3L),
                Arguments.of((short) 1200, 1200L),
                Arguments.of(-7, -7L),
                Arguments.of(9_000_000_000L, 9_000_000_000L),
                Arguments.of(ubyte(255), 255L),
                Arguments.of(ushort(65535), 65535L),
                Arguments.of(uint(4_294_967_295L), 4_294_967_295L),
                Arguments.of(ulong(12L), 12L),
                Arguments.of(ULong.valueOf(new BigInteger("18446744073709551615")), new BigInteger("18446744073709551615")),
                Arguments.of(0.1f, 0.1),
                Arguments.of(21.5, 21.5),
                Arguments.of(new DateTime(Instant.parse("2025-01-02T03:04:05Z")), "2025-01-02T03:04:05Z"),
                Arguments.of(LocalizedText.english("Running"), "Running"),
                Arguments.of(new NodeId(2, "Line1.Speed"), "ns=2;s=Line1.Speed"),
                Arguments.of(ByteString.of(new byte[] {1, 2, 3}), "AQID"),
                Arguments.of(new Integer[] {1, 2}, List.of(1L, 2L)),
                Arguments.of(new double[] {1.5, 2.5}, List.of(1.5, 2.5)));
    }

    @ParameterizedTest
    @MethodSource("plainValues")
    void variantBecomesPlainJava(Object variantValue, Object expected) {
        assertThat(DataValueConverter.plainValue(new Variant(variantValue))).isEqualTo(expected);
    }
}
