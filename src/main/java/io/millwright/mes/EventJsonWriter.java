package io.millwright.mes;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.millwright.model.EventEnvelope;
import io.millwright.model.Signal;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Serializes events to their structured CloudEvents JSON. A signal event, tens of thousands a
 * second, is written straight into bytes: field names pre-encoded, the strings that repeat from
 * one signal to the next (type, source, subject, data schema, tag, name, unit, quality, status
 * code) encoded once and kept, ids and timestamps copied as the ASCII they are. Every other event
 * goes through data binding. Both give the same JSON (EventJsonWriterTest): field order of the
 * records, nulls left out, instants as {@link Instant#toString()} text, strings escaped as
 * Jackson escapes them.
 *
 * <p>Why not data binding for all: in a profile of 50,000 signals a second, serializing envelopes
 * took 38 % of the pipeline thread, most of it in per-property dispatch and instant formatting;
 * with Jackson's streaming generator it still took half of it, most of that escaping the same
 * strings again for every signal (docs/benchmarks.md).
 */
final class EventJsonWriter {

    private static final byte[] SPECVERSION = name("specversion");
    private static final byte[] ID = name("id");
    private static final byte[] TYPE = name("type");
    private static final byte[] SOURCE = name("source");
    private static final byte[] SUBJECT = name("subject");
    private static final byte[] TIME = name("time");
    private static final byte[] DATACONTENTTYPE = name("datacontenttype");
    private static final byte[] DATASCHEMA = name("dataschema");
    private static final byte[] RECEIVEDTIME = name("receivedtime");
    private static final byte[] CORRELATIONID = name("correlationid");
    private static final byte[] DATA = name("data");
    private static final byte[] TAG = name("tag");
    private static final byte[] NAME = name("name");
    private static final byte[] VALUE = name("value");
    private static final byte[] UNIT = name("unit");
    private static final byte[] QUALITY = name("quality");
    private static final byte[] STATUS_CODE = name("statusCode");
    private static final byte[] TRUE = "true".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] FALSE = "false".getBytes(StandardCharsets.US_ASCII);

    /** Each thread's scratch buffer for a signal event: only the finished event is a new array. */
    private static final ThreadLocal<Out> OUT = ThreadLocal.withInitial(() -> new Out(1024));

    /** Most repeated strings kept encoded: a plant's asset paths, tags and units, with room to spare. */
    static final int MAX_KEPT = 200_000;

    private final ObjectMapper mapper;
    private final ObjectWriter bound;
    /** Repeated strings as quoted, escaped UTF-8 JSON strings. */
    private final Map<String, byte[]> kept = new ConcurrentHashMap<>();
    /** The last string of each field {@link #kept(Out, byte[], String, int)} writes (racy, immutable pairs replaced whole). */
    private final Constant[] constants = new Constant[6];
    /** Each node's encoded strings, by source and tag; at most {@link #MAX_KEPT} nodes. */
    private final Map<String, Map<String, NodeStrings>> nodes = new ConcurrentHashMap<>();
    private final AtomicInteger nodesKept = new AtomicInteger();
    /**
     * The last second an event's time and its received time were written in, apart (a source clock may be
     * seconds off the hub's). Shared by the worker threads: immutable pairs, replaced whole.
     */
    private SecondText lastTime;
    private SecondText lastReceivedTime;

    EventJsonWriter(ObjectMapper objectMapper) {
        this.mapper = objectMapper.copy()
                .registerModule(new SimpleModule("millwright-event-instants").addSerializer(Instant.class, new IsoInstantSerializer()));
        this.bound = mapper.writerFor(EventEnvelope.class);
    }

    byte[] write(EventEnvelope<?> event) throws IOException {
        if (!(event.data() instanceof Signal signal)) {
            return bound.writeValueAsBytes(event);
        }
        NodeStrings node = nodeStrings(event.source(), event.subject(), signal);
        Out out = OUT.get().reset();
        out.add('{');
        kept(out, SPECVERSION, event.specversion(), 0);
        once(out, ID, event.id());
        kept(out, TYPE, event.type(), 1);
        encoded(out, SOURCE, node.sourceJson());
        encoded(out, SUBJECT, node.subjectJson());
        lastTime = instant(out, TIME, event.time(), lastTime);
        kept(out, DATACONTENTTYPE, event.datacontenttype(), 2);
        kept(out, DATASCHEMA, event.dataschema(), 3);
        lastReceivedTime = instant(out, RECEIVEDTIME, event.receivedtime(), lastReceivedTime);
        once(out, CORRELATIONID, event.correlationid());
        out.name(DATA);
        out.add('{');
        out.first = true;
        encoded(out, TAG, node.tagJson());
        encoded(out, NAME, node.nameJson());
        value(out, signal.value());
        encoded(out, UNIT, node.unitJson());
        kept(out, QUALITY, signal.quality() == null ? null : signal.quality().name(), 4);
        kept(out, STATUS_CODE, signal.statusCode(), 5);
        out.add('}');
        out.add('}');
        return out.toByteArray();
    }

    /**
     * The encoded source, subject, tag, name and unit of a signal's node: found with two lookups (the
     * source, a handful per hub, then the tag) instead of five in the map of all kept strings, which at
     * 10,000 nodes missed the processor's caches on each (a twelfth of the OPC UA worker's time). A
     * node whose strings changed (a registry reload renamed it) is encoded again.
     */
    private NodeStrings nodeStrings(String source, String subject, Signal signal) {
        String tag = signal.tag();
        Map<String, NodeStrings> ofSource = source == null ? null : nodes.get(source);
        NodeStrings node = ofSource == null || tag == null ? null : ofSource.get(tag);
        if (node != null && node.matches(source, subject, tag, signal.name(), signal.unit())) {
            return node;
        }
        node = new NodeStrings(source, subject, tag, signal.name(), signal.unit(), encoded(source), encoded(subject),
                encoded(tag), encoded(signal.name()), encoded(signal.unit()));
        if (source != null && tag != null && nodesKept.get() < MAX_KEPT) {
            if (nodes.computeIfAbsent(source, any -> new ConcurrentHashMap<>()).put(tag, node) == null) {
                nodesKept.incrementAndGet();
            }
        }
        return node;
    }

    /** A repeated string's encoding, from the kept strings; null for null. */
    private byte[] encoded(String value) {
        if (value == null) {
            return null;
        }
        byte[] encoded = kept.get(value);
        if (encoded == null) {
            encoded = quoted(value);
            if (kept.size() < MAX_KEPT) {
                kept.put(value, encoded);
            }
        }
        return encoded;
    }

    private static void encoded(Out out, byte[] name, byte[] encoded) {
        if (encoded != null) {
            out.name(name);
            out.add(encoded);
        }
    }

    /** One node's repeated strings and their encodings. */
    private record NodeStrings(String source, String subject, String tag, String name, String unit,
            byte[] sourceJson, byte[] subjectJson, byte[] tagJson, byte[] nameJson, byte[] unitJson) {

        boolean matches(String source, String subject, String tag, String name, String unit) {
            return Objects.equals(this.source, source) && Objects.equals(this.subject, subject) && Objects.equals(this.tag, tag)
                    && Objects.equals(this.name, name) && Objects.equals(this.unit, unit);
        }
    }

    private void value(Out out, Object value) throws IOException {
        if (value == null) {
            return;
        }
        out.name(VALUE);
        if (value instanceof Long number) {
            out.ascii(Long.toString(number));
        } else if (value instanceof Double number && Double.isFinite(number)) {
            out.ascii(Double.toString(number));
        } else if (value instanceof String text) {
            out.add(quoted(text));
        } else if (value instanceof Boolean flag) {
            out.add(flag ? TRUE : FALSE);
        } else {
            out.add(mapper.writeValueAsBytes(value)); // arrays, big numbers, NaN: as data binding writes them
        }
    }

    /**
     * A string nearly every event repeats (the spec version, type, content type, schema, quality, status
     * code), in its field's slot: the same instance as last time is copied without a map lookup.
     */
    private void kept(Out out, byte[] name, String value, int slot) {
        if (value == null) {
            return;
        }
        Constant last = constants[slot];
        if (last == null || last.value() != value) {
            last = new Constant(value, encoded(value));
            constants[slot] = last;
        }
        encoded(out, name, last.json());
    }

    /** A field's last string and its encoding. */
    private record Constant(String value, byte[] json) {}

    /** A string seen once (an id): copied as it is when it is plain ASCII, else escaped. */
    private static void once(Out out, byte[] name, String value) {
        if (value != null) {
            out.name(name);
            if (plainAscii(value)) {
                out.add('"');
                out.ascii(value);
                out.add('"');
            } else {
                out.add(quoted(value));
            }
        }
    }

    /**
     * An instant as {@link Instant#toString()} writes it. The date and time of day up to the second are
     * formatted once per second and kept ({@code kept}, returned, possibly new): the signals around it
     * share them; only the fraction is written each time.
     */
    private static SecondText instant(Out out, byte[] name, Instant value, SecondText kept) {
        if (value != null) {
            out.name(name);
            long second = value.getEpochSecond();
            if (kept == null || kept.second() != second) {
                char[] text = new char[30];
                int length = IsoInstantSerializer.format(Instant.ofEpochSecond(second), text);
                if (length < 0) { // a year without four digits
                    out.add('"');
                    out.ascii(value.toString());
                    out.add('"');
                    return kept;
                }
                byte[] prefix = new byte[length]; // '"' and the text up to the second, without its 'Z'
                prefix[0] = '"';
                for (int i = 0; i < length - 1; i++) {
                    prefix[i + 1] = (byte) text[i];
                }
                kept = new SecondText(second, prefix);
            }
            out.add(kept.text());
            int nanos = value.getNano();
            if (nanos > 0) {
                out.add('.');
                if (nanos % 1_000_000 == 0) {
                    out.digits(nanos / 1_000_000, 3);
                } else if (nanos % 1_000 == 0) {
                    out.digits(nanos / 1_000, 6);
                } else {
                    out.digits(nanos, 9);
                }
            }
            out.add('Z');
            out.add('"');
        }
        return kept;
    }

    /** An epoch second and its text, {@code "yyyy-MM-ddTHH:mm:ss} with the opening quote. */
    private record SecondText(long second, byte[] text) {}

    /** Printable ASCII without a quote or backslash: needs no escaping in JSON. */
    private static boolean plainAscii(String value) {
        for (int i = 0, n = value.length(); i < n; i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c > 0x7E || c == '"' || c == '\\') {
                return false;
            }
        }
        return true;
    }

    /** The string as a quoted JSON string in UTF-8, escaped as Jackson's generator escapes it. */
    private static byte[] quoted(String value) {
        byte[] escaped = JsonStringEncoder.getInstance().quoteAsUTF8(value);
        byte[] quoted = new byte[escaped.length + 2];
        quoted[0] = '"';
        System.arraycopy(escaped, 0, quoted, 1, escaped.length);
        quoted[quoted.length - 1] = '"';
        return quoted;
    }

    private static byte[] name(String field) {
        return ("\"" + field + "\":").getBytes(StandardCharsets.US_ASCII);
    }

    /** A growing byte array that knows whether the object it writes has had a field yet. */
    private static final class Out {
        static final int KEPT_CAPACITY = 4096;

        private byte[] bytes;
        private int length;
        boolean first = true;

        Out(int capacity) {
            this.bytes = new byte[capacity];
        }

        /** Empty again, keeping its array (at most {@link #KEPT_CAPACITY} bytes) for the next event. */
        Out reset() {
            if (bytes.length > KEPT_CAPACITY) {
                bytes = new byte[KEPT_CAPACITY];
            }
            length = 0;
            first = true;
            return this;
        }

        void name(byte[] name) {
            if (!first) {
                add(',');
            }
            first = false;
            add(name);
        }

        void add(char c) {
            if (length == bytes.length) {
                bytes = Arrays.copyOf(bytes, bytes.length * 2);
            }
            bytes[length++] = (byte) c;
        }

        void add(byte[] more) {
            if (length + more.length > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more.length));
            }
            System.arraycopy(more, 0, bytes, length, more.length);
            length += more.length;
        }

        /** A number of exactly {@code width} digits, zero-padded. */
        void digits(int value, int width) {
            if (length + width > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + width));
            }
            for (int i = length + width - 1; i >= length; i--) {
                bytes[i] = (byte) ('0' + value % 10);
                value /= 10;
            }
            length += width;
        }

        /** Text known to be ASCII: its chars are its bytes. */
        @SuppressWarnings("deprecation") // String.getBytes(int, int, byte[], int): exactly "low byte of each char"
        void ascii(String text) {
            int n = text.length();
            if (length + n > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + n));
            }
            text.getBytes(0, n, bytes, length);
            length += n;
        }

        byte[] toByteArray() {
            return Arrays.copyOf(bytes, length);
        }
    }
}
