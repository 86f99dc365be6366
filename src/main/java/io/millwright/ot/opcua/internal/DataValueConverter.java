package io.millwright.ot.opcua.internal;

import io.millwright.model.SourceReading;
import java.lang.reflect.Array;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.eclipse.milo.opcua.stack.core.types.builtin.ByteString;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.ExpandedNodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.QualifiedName;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.ULong;

/**
 * Turns a Milo {@link DataValue} into a {@link SourceReading}, so nothing downstream depends on
 * Milo types: value, raw 32-bit status code, source and server timestamps.
 *
 * <p>A Bad value carries no usable value (OPC UA Part 4, 7.7.1): {@code value} is null then,
 * whatever the Variant held; a DataValue without a status is Good. Integers of every width (signed
 * and unsigned) become {@code Long}, a UInt64 above {@link Long#MAX_VALUE} a {@link BigInteger};
 * Float becomes the {@code Double} of its decimal text (0.1f is 0.1, not 0.10000000149); DateTime
 * an ISO-8601 string; LocalizedText its text; NodeId, ExpandedNodeId and QualifiedName their
 * parseable string; ByteString base64; arrays a {@code List}. Other types (structures) become
 * their {@code toString()}.
 */
public final class DataValueConverter {

    private DataValueConverter() {}

    /** The reading of one value of one node; {@code nodeId} as written in the connection file. */
    public static SourceReading toReading(String connection, String source, String nodeId, DataValue value) {
        StatusCode status = value.statusCode();
        long code = status == null ? StatusCode.GOOD.value() : status.value();
        return new SourceReading(
                connection,
                source,
                nodeId,
                status != null && status.isBad() ? null : plainValue(value.value()),
                code,
                instantOrNull(value.sourceTime()),
                instantOrNull(value.serverTime()));
    }

    /** The Variant's value as plain Java; null for an empty Variant. */
    public static Object plainValue(Variant variant) {
        return variant == null ? null : plain(variant.value());
    }

    private static Object plain(Object value) {
        if (value == null || value instanceof String || value instanceof Boolean) {
            return value;
        }
        if (value instanceof Double) {
            return value;
        }
        if (value instanceof Float f) {
            return Double.valueOf(f.toString());
        }
        if (value instanceof ULong u) {
            long raw = u.longValue();
            return raw >= 0 ? Long.valueOf(raw) : new BigInteger(u.toString());
        }
        if (value instanceof Number n) {
            // Byte, Short, Integer, Long and Milo's UByte, UShort, UInteger
            return n.longValue();
        }
        if (value instanceof DateTime t) {
            return isoOrNull(t);
        }
        if (value instanceof LocalizedText text) {
            return text.text();
        }
        if (value instanceof NodeId id) {
            return id.toParseableString();
        }
        if (value instanceof ExpandedNodeId id) {
            return id.toParseableString();
        }
        if (value instanceof QualifiedName name) {
            return name.toParseableString();
        }
        if (value instanceof ByteString bytes) {
            return Base64.getEncoder().encodeToString(bytes.bytesOrEmpty());
        }
        if (value instanceof StatusCode code) {
            return code.value();
        }
        if (value instanceof UUID uuid) {
            return uuid.toString();
        }
        if (value.getClass().isArray()) {
            int length = Array.getLength(value);
            List<Object> list = new ArrayList<>(length);
            for (int i = 0; i < length; i++) {
                list.add(plain(Array.get(value, i)));
            }
            return list;
        }
        return value.toString();
    }

    private static String isoOrNull(DateTime time) {
        Instant instant = instantOrNull(time);
        return instant == null ? null : instant.toString();
    }

    private static Instant instantOrNull(DateTime time) {
        return time == null || time.isNull() ? null : time.getJavaInstant();
    }
}
