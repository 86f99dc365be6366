package io.millwright.analytics;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One signal partition's buffered events as NDJSON, on disk: each record's own JSON bytes as they
 * came from Kafka, one line each, with one field added before its closing brace,
 * {@code "__lake":{"t":<time µs>,"r":<receivedtime µs>,"v":"<value as text>"}}: the values the flat
 * parse ({@link SignalEvent}) already computed and that DuckDB would otherwise compute differently
 * (its timestamp parse, its rendering of a number as text). At the roll DuckDB's vectorised JSON
 * reader builds the columns in one statement ({@link #COLUMNS}, {@link #SELECT}); no JNI call per row.
 *
 * <p>Lines are gathered in a chunk in memory and written with positional writes: a write that fails
 * (disk full) keeps the chunk, which grows, and is written again at the same offset later, so a line
 * is never half written and never lost while the process runs (the lake's 4 × roll-size bound then
 * applies, as to the appender's rows). What is on disk survives an unclean stop: the next start rolls it.
 */
final class NdjsonStaging implements AutoCloseable {

    /** The added field's name; a record that has its own gives DuckDB a duplicate key, and the roll reads that file in Java. */
    static final String KEY = "__lake";
    /** The columns DuckDB reads from each line (everything else in the record is skipped). */
    static final String COLUMNS = "columns = {id: 'VARCHAR', type: 'VARCHAR', source: 'VARCHAR', subject: 'VARCHAR', correlationid: 'VARCHAR',"
            + " data: 'STRUCT(tag VARCHAR, \"value\" VARCHAR, unit VARCHAR, quality VARCHAR, \"statusCode\" VARCHAR, \"name\" VARCHAR)',"
            + " " + KEY + ": 'STRUCT(t BIGINT, r BIGINT, v VARCHAR)'}, format = 'newline_delimited'";
    /**
     * The signal columns of {@link LakeColumns#of}, in order and typed as there: a number's (or boolean's) text
     * and value from {@code v} (Java's text, as the appender wrote it; {@code CAST} reads it back to the same
     * double), a string value as DuckDB unescapes it, the times from their µs.
     */
    static final String SELECT = "SELECT id, type AS cetype, source, subject,"
            + " make_timestamp(" + KEY + ".t)::TIMESTAMPTZ AS \"time\", make_timestamp(" + KEY + ".r)::TIMESTAMPTZ AS receivedtime,"
            + " correlationid, data.tag AS tag,"
            + " CASE " + KEY + ".v WHEN 'true' THEN 1.0::DOUBLE WHEN 'false' THEN 0.0::DOUBLE ELSE CAST(" + KEY + ".v AS DOUBLE) END AS \"value\","
            + " coalesce(" + KEY + ".v, data.\"value\") AS value_text, data.unit AS unit, data.quality AS quality,"
            + " data.\"statusCode\" AS statuscode, data.\"name\" AS \"name\"";

    private static final byte[] TIME = (",\"" + KEY + "\":{\"t\":").getBytes(StandardCharsets.US_ASCII);
    private static final byte[] RECEIVED = ",\"r\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] VALUE = ",\"v\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NULL = "null".getBytes(StandardCharsets.US_ASCII);
    private static final int CHUNK = 64 * 1024;
    private static final Logger log = LoggerFactory.getLogger(NdjsonStaging.class);

    private final Path file;
    private FileChannel channel;
    private byte[] chunk = new byte[CHUNK];
    private int used;
    /** Bytes of the file that hold whole lines. */
    private long written;
    private long rows;

    /** A new staging file (created at the first write). */
    NdjsonStaging(Path file) {
        this.file = file;
    }

    /** A staging file an earlier run left behind, as it is. */
    static NdjsonStaging leftOver(Path file) throws IOException {
        NdjsonStaging staging = new NdjsonStaging(file);
        // counted through one chunk-sized buffer: a left-over file may be as large as the roll size
        byte[] buffer = new byte[CHUNK];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                staging.written += n;
                for (int i = 0; i < n; i++) {
                    if (buffer[i] == '\n') {
                        staging.rows++;
                    }
                }
            }
        }
        return staging;
    }

    Path file() {
        return file;
    }

    long rows() {
        return rows;
    }

    /** Adds a flat signal's record (one line: {@link SignalEvent#oneLine()}) with the values it was read to. */
    void add(byte[] record, SignalEvent signal) {
        int end = record.length - 1;
        while (end > 0 && record[end] != '}') {
            end--; // trailing whitespace
        }
        String valueText = signal.hasNumber() ? signal.valueText() : null;
        ensure(end + 80 + (valueText == null ? 0 : valueText.length()));
        byte[] c = chunk;
        int at = used;
        System.arraycopy(record, 0, c, at, end);
        at += end;
        at = put(c, at, TIME);
        at = putMicros(c, at, signal.timeMicros());
        at = put(c, at, RECEIVED);
        at = putMicros(c, at, signal.receivedMicros());
        if (valueText != null) {
            at = put(c, at, VALUE);
            for (int i = 0; i < valueText.length(); i++) {
                c[at++] = (byte) valueText.charAt(i); // a number's or boolean's text: ASCII
            }
            c[at++] = '"';
        }
        c[at++] = '}';
        c[at++] = '}';
        c[at++] = '\n';
        used = at;
        rows++;
    }

    /** Writes what is gathered in memory to the file; on failure it stays in memory, to be written again. */
    void write() throws IOException {
        if (used == 0) {
            return;
        }
        if (channel == null) {
            Files.createDirectories(file.getParent());
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        }
        ByteBuffer buffer = ByteBuffer.wrap(chunk, 0, used);
        long position = written;
        while (buffer.hasRemaining()) {
            position += channel.write(buffer, position);
        }
        written = position;
        used = 0;
        if (chunk.length > CHUNK) {
            chunk = new byte[CHUNK]; // grown while the disk failed
        }
    }

    /** Room for {@code bytes} more: the chunk written out when full, grown when that fails. */
    private void ensure(int bytes) {
        if (used + bytes <= chunk.length) {
            return;
        }
        try {
            write();
        } catch (IOException e) {
            // kept in memory, written again at the next chunk or at the roll (which then reports the failure)
        }
        if (used + bytes > chunk.length) {
            chunk = Arrays.copyOf(chunk, Math.max(chunk.length * 2, used + bytes));
        }
    }

    private static int put(byte[] c, int at, byte[] bytes) {
        System.arraycopy(bytes, 0, c, at, bytes.length);
        return at + bytes.length;
    }

    private static int putMicros(byte[] c, int at, long micros) {
        if (micros == SignalEvent.ABSENT) {
            return put(c, at, NULL);
        }
        long v = micros;
        if (v < 0) {
            c[at++] = '-';
            v = -v;
        }
        int digits = 1;
        for (long p = 10; digits < 19 && p <= v; p *= 10) {
            digits++;
        }
        for (int i = at + digits - 1; i >= at; i--) {
            c[i] = (byte) ('0' + v % 10);
            v /= 10;
        }
        return at + digits;
    }

    /** Writes what is in memory if it can, and closes the file, keeping it: the next start rolls it. */
    void release() {
        try {
            write();
        } catch (IOException e) {
            log.error("Lake staging lines not written, lost from the lake"
                    + " (still on Kafka for its retention) file={} bytes={} reason={}", file, used, e.getMessage());
        }
        try {
            if (channel != null) {
                channel.close();
            }
        } catch (IOException e) {
            // closing anyway
        }
        channel = null;
    }

    /** Closes the file and deletes it: its rows are in a Parquet file or were dropped. */
    @Override
    public void close() {
        try {
            if (channel != null) {
                channel.close();
            }
        } catch (IOException e) {
            // deleted anyway
        }
        channel = null;
        used = 0;
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a leftover is rolled at the next start; its rows would then be there twice: say so
            log.warn("Lake staging file not deleted file={} reason={}", file,
                    e.getMessage());
        }
    }
}
