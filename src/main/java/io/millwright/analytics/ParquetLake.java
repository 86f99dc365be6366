package io.millwright.analytics;

import com.fasterxml.jackson.databind.JsonNode;
import io.millwright.model.EventType;
import io.millwright.model.IsoInstants;
import io.millwright.ops.TelemetryPressure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data lake writer: canonical events (their CloudEvents JSON) in, Parquet files out under
 * {@code <root>/type=<event name>/date=YYYY-MM-DD/part-<utc time>-<seq>.parquet}, Hive-partitioned.
 *
 * <p>Each partition buffers its plain signals as their own JSON in an NDJSON staging file
 * ({@link NdjsonStaging}: no JNI call per row), and every other event in a table of an in-memory
 * DuckDB, filled through DuckDB's appender; a partition is rolled into one Parquet file (DuckDB
 * {@code COPY (SELECT ... FROM read_ndjson(...) UNION ALL SELECT * FROM <table>) ... (FORMAT PARQUET)},
 * ZSTD) when its buffered events reach {@code rollSize} bytes of JSON, when its oldest row is
 * {@code rollInterval} old, and on {@link #close()} (graceful shutdown). A file is written under a
 * hidden temporary name in the local lake folder, then handed to the {@link LakeStore}: renamed into
 * place, or uploaded to an S3-compatible bucket, so a reader never sees half a file.
 *
 * <p>Who writes: a partition that reaches {@code rollSize} is sealed (taken out of the buffers, its
 * appender closed) on the appending thread, and written by the lake's own writer thread
 * ({@code analytics-lake-writer}, at the side routes' priority, waiting while the telemetry is behind
 * as the side routes do), so the analytics feed never waits for DuckDB's Parquet writer (half a
 * second a file at plant scale, docs/benchmarks.md); only when more than {@value #MOST_SEALED}
 * sealed partitions wait for a writer that works does the appending thread wait for it (a slow disk
 * holds the feed back, as Kafka can, instead of filling memory). A time roll ({@link #rollDue()}, the
 * roll timer) and {@link #flush()} write on their caller's thread. The writer uses a connection of its
 * own to the same in-memory DuckDB, so the appends go on meanwhile; one write at a time.
 *
 * <p>A roll that fails (directory not writable, disk full) keeps the rows (sealed) and is tried
 * again at the next roll; when a partition's rows waiting to be written reach four times
 * {@code rollSize} the oldest are dropped and counted ({@link #droppedEvents()}), so a broken disk
 * never eats the hub's memory. {@link #lastFailure()} says what failed, for the health endpoint.
 */
final class ParquetLake implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ParquetLake.class);
    /** Sealed partitions that may wait for a working writer before the appending thread waits too. */
    static final int MOST_SEALED = 2;
    /** How long a stop waits for the file the writer thread is writing. */
    private static final Duration WRITER_STOP = Duration.ofSeconds(30);
    private static final DateTimeFormatter FILE_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final Path root;
    private final LakeStore store;
    private final long rollSizeBytes;
    private final Duration rollInterval;
    private final Clock clock;
    /** DuckDB, opened on a thread of its own (loading its native library takes about a second at start-up). */
    private final CompletableFuture<DuckDBConnection> duck = new CompletableFuture<>();
    /** Read by the writer too (a staging file DuckDB cannot read goes through the appender). */
    private final Map<String, LakeColumns> columnsByType = new ConcurrentHashMap<>();
    /** The partitions being appended to; under this object's monitor. */
    private final Map<PartitionKey, Buffer> buffers = new LinkedHashMap<>();
    /** Partitions taken out of {@link #buffers} to be written, oldest first; under this object's monitor. */
    private final Deque<Buffer> sealed = new ArrayDeque<>();
    /** One write at a time, on {@link #writerConnection}; taken before this object's monitor, never inside it. */
    private final ReentrantLock writing = new ReentrantLock();
    private DuckDBConnection writerConnection;
    private final TelemetryPressure pressure;
    private final Thread writer;
    /** A size roll sealed a partition: the writer has work. Under this object's monitor. */
    private boolean writerWanted;
    /** The last write failed: the appending thread does not wait for the writer then. Under this object's monitor. */
    private boolean writeFailing;
    private boolean closing;
    private final AtomicLong writtenEvents = new AtomicLong();
    private final AtomicLong writtenFiles = new AtomicLong();
    private final AtomicLong droppedEvents = new AtomicLong();
    private final AtomicLong rejectedEvents = new AtomicLong();
    private final AtomicLong unstagedFiles = new AtomicLong();
    private final Map<PartitionKey, String> failing = new ConcurrentHashMap<>();
    private volatile Instant lastFailureAt;
    private final AtomicLong tableSeq = new AtomicLong();
    /** The signal partition the last signal went to, and its day: most signals of a poll go to the same one. */
    private Buffer lastSignalBuffer;
    private long lastSignalDay;
    private long fileSeq;
    private final boolean stageSignals;
    /** This run's staging files start with it; any other in the staging folder was left by an earlier run. */
    private final String instance = Long.toString(System.currentTimeMillis(), 36) + "-" + Long.toString(ProcessHandle.current().pid(), 36)
            + "-" + Integer.toString(System.identityHashCode(this), 36);
    private long stagingSeq;
    private boolean leftOversRolled;
    private static final ObjectMapper LINES = new ObjectMapper();
    private static final String STAGING = ".staging";

    private static final String SIGNAL = EventType.SIGNAL.eventName();

    private record PartitionKey(String type, LocalDate date) {

        /** The partition's place under the lake's root: {@code type=<type>/date=<day>}. */
        String path() {
            return "type=" + type + "/date=" + date;
        }
    }

    /**
     * A partition's buffered rows: plain signals as NDJSON lines in a staging file ({@link NdjsonStaging}), any
     * other event (and a signal the staging cannot take as it is) through DuckDB's appender into a table; both
     * made when first needed. The roll writes both into one Parquet file.
     */
    private static final class Buffer {
        final PartitionKey key;
        final Instant openedAt;
        String table;
        DuckDBAppender appender;
        NdjsonStaging staging;
        long rows;
        long bytes;

        Buffer(PartitionKey key, Instant openedAt) {
            this.key = key;
            this.openedAt = openedAt;
        }
    }

    ParquetLake(Path root, long rollSizeBytes, Duration rollInterval, Clock clock) {
        this(root, new LocalLakeStore(root.toAbsolutePath().normalize()), rollSizeBytes, rollInterval, clock);
    }

    /**
     * @param root the local lake folder: where files are written first, and kept unless the store is
     *     an S3 bucket without a local copy
     * @param store where finished files go ({@link LocalLakeStore} or {@link S3LakeStore})
     */
    ParquetLake(Path root, LakeStore store, long rollSizeBytes, Duration rollInterval, Clock clock) {
        this(root, store, rollSizeBytes, rollInterval, clock, true);
    }

    /**
     * @param stageSignals whether plain signals are staged as NDJSON and converted at the roll (as shipped), or
     *     appended row by row through DuckDB's appender (as before; for the benchmark's before/after)
     */
    ParquetLake(Path root, LakeStore store, long rollSizeBytes, Duration rollInterval, Clock clock, boolean stageSignals) {
        this(root, store, rollSizeBytes, rollInterval, clock, stageSignals, TelemetryPressure.none());
    }

    /**
     * As the hub runs it.
     *
     * @param pressure the telemetry's: the writer thread runs at the side routes' priority and waits while the
     *     telemetry is behind before each file
     */
    ParquetLake(Path root, LakeStore store, long rollSizeBytes, Duration rollInterval, Clock clock, TelemetryPressure pressure) {
        this(root, store, rollSizeBytes, rollInterval, clock, true, pressure);
    }

    private ParquetLake(Path root, LakeStore store, long rollSizeBytes, Duration rollInterval, Clock clock, boolean stageSignals,
            TelemetryPressure pressure) {
        this.stageSignals = stageSignals;
        this.pressure = pressure;
        this.root = root.toAbsolutePath().normalize();
        this.store = store;
        this.rollSizeBytes = rollSizeBytes;
        this.rollInterval = rollInterval;
        this.clock = clock;
        Thread opening = new Thread(() -> {
            try {
                duck.complete(openDuckDb());
            } catch (Exception | Error e) {
                log.error("DuckDB could not start for the data lake reason={}", e.toString());
                duck.completeExceptionally(e);
            }
        }, "analytics-lake-duckdb");
        opening.setDaemon(true);
        opening.start();
        writer = new Thread(this::writeSealedBySize, "analytics-lake-writer");
        writer.setDaemon(true);
        writer.start();
    }

    private static DuckDBConnection openDuckDb() throws ClassNotFoundException, SQLException {
        Class.forName("org.duckdb.DuckDBDriver");
        DuckDBConnection connection = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:");
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET TimeZone = 'UTC'");
            statement.execute("SET threads = 1");
        }
        return connection;
    }

    /** The lake's DuckDB, waiting for it while it is still being opened. */
    private DuckDBConnection duck() {
        try {
            return duck.join();
        } catch (CompletionException e) {
            throw new IllegalStateException("DuckDB could not start for the data lake: " + e.getCause().getMessage(), e.getCause());
        }
    }

    Path root() {
        return root;
    }

    /** Where the lake's files go: the local folder or {@code s3://bucket/prefix}. */
    String location() {
        return store.location();
    }

    /**
     * Buffers one event of the given type (event name, e.g. {@code signal}) for its partition.
     *
     * @param event the event's CloudEvents JSON
     * @param sizeBytes its size as it arrived, for the size-based roll
     * @throws IllegalArgumentException when the event lacks its {@code id} or has an unreadable time
     */
    synchronized void append(String type, JsonNode event, int sizeBytes) throws SQLException {
        if (!event.path("id").isTextual()) {
            rejectedEvents.incrementAndGet();
            throw new IllegalArgumentException("event has no 'id' (a CloudEvents attribute every lake row carries)");
        }
        LocalDate date;
        try {
            date = partitionDate(event);
        } catch (RuntimeException e) {
            rejectedEvents.incrementAndGet();
            throw new IllegalArgumentException("event " + event.path("id").asText() + " has an unreadable 'time': " + e.getMessage(), e);
        }
        PartitionKey key = new PartitionKey(type, date);
        Buffer buffer = buffers.get(key);
        if (buffer == null) {
            buffer = open(key);
            buffers.put(key, buffer);
        }
        LakeColumns columns = columnsByType.get(type);
        appender(buffer);
        try {
            columns.appendRow(buffer.appender, event);
        } catch (RuntimeException e) {
            rejectedEvents.incrementAndGet();
            throw new IllegalArgumentException("event " + event.path("id").asText() + " does not fit the lake's " + type
                    + " columns: " + e.getMessage(), e);
        }
        buffer.rows++;
        buffer.bytes += sizeBytes;
        if (buffer.bytes >= rollSizeBytes) {
            sealForWriter(buffer);
        }
    }

    /**
     * Buffers one signal read flat ({@link SignalEvent}): the same row as {@link #append(String, JsonNode, int)}
     * gives for its JSON, without a tree.
     */
    synchronized void append(SignalEvent signal, int sizeBytes) throws SQLException {
        append(signal, null, sizeBytes);
    }

    /**
     * Buffers one signal read flat, given the record it was read from: a record on one line is staged as it is
     * ({@link NdjsonStaging}), no JNI call per row; any other goes through the appender as {@link #append(SignalEvent, int)}.
     */
    synchronized void append(SignalEvent signal, byte[] record, int sizeBytes) throws SQLException {
        Instant at = signal.time() != null ? signal.time() : clock.instant();
        long day = Math.floorDiv(at.getEpochSecond(), 86_400L);
        Buffer buffer = lastSignalBuffer;
        if (buffer == null || day != lastSignalDay) {
            PartitionKey key = new PartitionKey(SIGNAL, LocalDate.ofEpochDay(day));
            buffer = buffers.get(key);
            if (buffer == null) {
                buffer = open(key);
                buffers.put(key, buffer);
            }
            lastSignalBuffer = buffer;
            lastSignalDay = day;
        }
        if (record != null && stageSignals && signal.oneLine()) {
            if (buffer.staging == null) {
                buffer.staging = new NdjsonStaging(root.resolve(STAGING).resolve(SIGNAL + "_" + buffer.key.date() + "_" + instance + "-"
                        + (++stagingSeq) + ".ndjson"));
            }
            buffer.staging.add(record, signal);
        } else {
            LakeColumns.appendSignal(appender(buffer), signal);
        }
        buffer.rows++;
        buffer.bytes += sizeBytes;
        if (buffer.bytes >= rollSizeBytes) {
            sealForWriter(buffer);
        }
    }

    /**
     * A full partition to the writer thread; waits while more than {@link #MOST_SEALED} wait for a writer that
     * works (the last write did not fail: then the four-times bound applies instead).
     */
    private void sealForWriter(Buffer buffer) {
        seal(buffer);
        writerWanted = true;
        notifyAll();
        while (sealed.size() > MOST_SEALED && !writeFailing && !closing) {
            try {
                wait(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // stopping: the close writes what is sealed
                return;
            }
        }
    }

    /** Takes a partition out of the buffers, its appended rows flushed to its table, to be written. */
    private void seal(Buffer buffer) {
        buffers.remove(buffer.key, buffer);
        if (lastSignalBuffer == buffer) {
            lastSignalBuffer = null;
        }
        if (buffer.appender != null) {
            try {
                buffer.appender.close(); // flushes: the writer's connection reads the table
            } catch (SQLException e) {
                log.warn("Lake appender not flushed, rows of it may be missing from the file partition={} reason={}",
                        buffer.key, e.getMessage());
            }
            buffer.appender = null;
        }
        sealed.addLast(buffer);
    }

    /** The date partition of an event: the UTC date of its {@code time}, else of its {@code receivedtime}, else today. */
    private LocalDate partitionDate(JsonNode event) {
        JsonNode time = event.path("time");
        if (!time.isTextual()) {
            time = event.path("receivedtime");
        }
        Instant instant = time.isTextual() ? IsoInstants.parse(time.textValue()) : clock.instant();
        return instant.atOffset(ZoneOffset.UTC).toLocalDate();
    }

    private Buffer open(PartitionKey key) {
        columnsByType.computeIfAbsent(key.type(), LakeColumns::of);
        return new Buffer(key, clock.instant());
    }

    /** The buffer's appender, its table created on first use. */
    private DuckDBAppender appender(Buffer buffer) throws SQLException {
        if (buffer.appender == null) {
            String table = createTable(buffer.key.type(), duck());
            DuckDBAppender appender = duck().createAppender("main", table);
            // the feed's thread appends, a roll seals it on the roll timer's or the stop's: every use is under this
            // object's monitor, which is the synchronization DuckDB asks for when confinement is broken
            appender.unsafeBreakThreadConfinement();
            buffer.table = table;
            buffer.appender = appender;
        }
        return buffer.appender;
    }

    /** A new buffer table for an event type's rows, made on the given connection. */
    private String createTable(String type, DuckDBConnection connection) throws SQLException {
        LakeColumns columns = columnsByType.computeIfAbsent(type, LakeColumns::of);
        String table = "buf_" + tableSeq.incrementAndGet();
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE " + table + " (" + columns.ddl() + ")");
        }
        return table;
    }

    /**
     * Rolls every partition whose oldest buffered row is {@code rollInterval} old, with any sealed partition still
     * waiting, on the calling thread; returns the files written.
     */
    List<Path> rollDue() {
        Instant now = clock.instant();
        return roll(buffer -> !buffer.openedAt.plus(rollInterval).isAfter(now));
    }

    /** Rolls every partition now, on the calling thread; returns the files written. */
    List<Path> flush() {
        return roll(buffer -> true);
    }

    /** Seals the partitions that are due and writes them with any sealed one still waiting, on the calling thread. */
    private List<Path> roll(Predicate<Buffer> due) {
        writing.lock();
        try {
            List<Path> written = rollLeftOvers();
            synchronized (this) {
                for (Buffer buffer : List.copyOf(buffers.values())) {
                    if (due.test(buffer)) {
                        seal(buffer);
                    }
                }
            }
            written.addAll(writeSealed());
            return written;
        } finally {
            writing.unlock();
        }
    }

    /** The writer thread: writes what the size rolls seal, until the lake closes. */
    private void writeSealedBySize() {
        pressure.onSideRouteThread();
        while (true) {
            synchronized (this) {
                while (!writerWanted && !closing) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        return; // close() does not interrupt; nothing else should
                    }
                }
                if (closing) {
                    return;
                }
                writerWanted = false;
            }
            try {
                pressure.yieldWhileBehind();
            } catch (InterruptedException e) {
                return;
            }
            writing.lock();
            try {
                writeSealed();
            } catch (RuntimeException | Error e) {
                log.error("Lake writer failed, sealed partitions wait for the next roll reason={}", e.toString(), e);
            } finally {
                writing.unlock();
            }
        }
    }

    /**
     * Writes the sealed partitions, oldest first, until one fails (kept for the next roll: the disk is likely
     * the trouble for the others too) or none is left; under {@link #writing}. Returns the files written.
     */
    private List<Path> writeSealed() {
        List<Path> written = new ArrayList<>();
        while (true) {
            Buffer next;
            synchronized (this) {
                next = sealed.peekFirst();
            }
            if (next == null) {
                return written;
            }
            Instant now = clock.instant();
            Path dir = root.resolve(next.key.path());
            String failure = null;
            Path file = null;
            try {
                file = write(next, dir, now);
            } catch (SQLException | IOException | RuntimeException e) {
                failure = e.getClass().getSimpleName() + ": " + e.getMessage();
            }
            List<Buffer> dropped = new ArrayList<>();
            synchronized (this) {
                if (failure == null) {
                    sealed.remove(next);
                    writeFailing = false;
                } else {
                    dropOldestBeyondBound(next.key, dropped);
                    writeFailing = true;
                }
                notifyAll();
            }
            if (failure == null) {
                if (file != null) {
                    written.add(file);
                }
                continue;
            }
            failed(next.key, failure, now);
            if (dropped.isEmpty()) {
                log.warn("Lake file not written, rows kept for the next roll partition={} events={} reason={}", dir, next.rows, failure);
            }
            for (Buffer buffer : dropped) {
                droppedEvents.addAndGet(buffer.rows);
                log.error("Lake partition dropped after failed writes, events lost from the lake (still on Kafka for its retention)"
                        + " partition={} events={} reason={}", dir, buffer.rows, failure);
                release(buffer);
            }
            return written;
        }
    }

    /**
     * After a failed write: while a partition's rows waiting for a write (sealed, and its open buffer) reach four
     * times the roll size, its oldest sealed rows are taken out, to be dropped; under this object's monitor.
     */
    private void dropOldestBeyondBound(PartitionKey key, List<Buffer> dropped) {
        Buffer open = buffers.get(key);
        long waiting = open != null ? open.bytes : 0;
        for (Buffer buffer : sealed) {
            waiting += buffer.key.equals(key) ? buffer.bytes : 0;
        }
        for (Iterator<Buffer> it = sealed.iterator(); it.hasNext() && waiting >= 4 * rollSizeBytes;) {
            Buffer buffer = it.next();
            if (buffer.key.equals(key)) {
                it.remove();
                dropped.add(buffer);
                waiting -= buffer.bytes;
            }
        }
    }

    /** Writes a sealed partition as one Parquet file (none when it has no rows), then lets go of its rows. */
    private Path write(Buffer buffer, Path dir, Instant now) throws SQLException, IOException {
        String name = "part-" + FILE_TIME.format(now) + "-" + String.format("%06d", ++fileSeq) + ".parquet";
        Path temporary = dir.resolve("." + name + ".tmp");
        long started = System.nanoTime();
        try {
            if (buffer.staging != null) {
                buffer.staging.write();
            }
            if (buffer.rows > 0) {
                Files.createDirectories(dir);
                copy(buffer, temporary);
                store.publish(temporary, dir.resolve(name), buffer.key.path() + "/" + name);
            }
        } catch (SQLException | IOException | RuntimeException e) {
            deleteQuietly(temporary);
            throw e;
        }
        release(buffer);
        writtenEvents.addAndGet(buffer.rows);
        failing.remove(buffer.key);
        if (buffer.rows == 0) {
            return null;
        }
        writtenFiles.incrementAndGet();
        // the log line's thread says whose time it took: the writer's (size), the roll timer's (time), the stop's
        log.debug("Lake file written file={} events={} tookMs={}", dir.resolve(name), buffer.rows, (System.nanoTime() - started) / 1_000_000);
        return dir.resolve(name);
    }

    /** Notes a partition's failed write for health ({@link #lastFailure()}) until its next write succeeds. */
    private void failed(PartitionKey key, String reason, Instant at) {
        failing.put(key, "writing " + store.location() + "/" + key.path() + " failed: " + reason);
        lastFailureAt = at;
    }

    /** The writer's own connection to the lake's DuckDB (the appends go on on the first); under {@link #writing}. */
    private DuckDBConnection writer() throws SQLException {
        if (writerConnection == null) {
            writerConnection = duck().duplicate();
        }
        return writerConnection;
    }

    /**
     * Writes a buffer's rows to one Parquet file: the staged lines through DuckDB's JSON reader (then the appender's
     * rows, if any), in one statement. When DuckDB cannot read the staging file (a record it reads differently from
     * Jackson: a duplicate key, invalid UTF-8, an unpaired surrogate; a line cut by an unclean stop), its lines go
     * through the appender as before, read by Java, and the file is written from the table alone.
     */
    private void copy(Buffer buffer, Path temporary) throws SQLException, IOException {
        String target = " TO '" + sqlString(temporary.toString()) + "' (FORMAT PARQUET, COMPRESSION ZSTD)";
        if (buffer.staging != null) {
            String staged = NdjsonStaging.SELECT + " FROM read_ndjson('" + sqlString(buffer.staging.file().toString()) + "', "
                    + NdjsonStaging.COLUMNS + ")";
            try (Statement statement = writer().createStatement()) {
                statement.execute("COPY (" + staged + (buffer.table != null ? " UNION ALL SELECT * FROM " + buffer.table : "") + ")" + target);
                return;
            } catch (SQLException e) {
                if (!String.valueOf(e.getMessage()).contains(buffer.staging.file().getFileName().toString()) && readable(staged)) {
                    throw e; // not the staged lines: the output (disk), kept for the next roll
                }
                log.warn("Lake staging file not readable by DuckDB, its lines are read one by one file={} reason={}",
                        buffer.staging.file(), e.getMessage());
                unstage(buffer);
                unstagedFiles.incrementAndGet();
            }
        }
        try (Statement statement = writer().createStatement()) {
            statement.execute("COPY " + buffer.table + target);
        }
    }

    /** Whether DuckDB reads every column of every staged line (into a table: a count alone would skip the columns). */
    private boolean readable(String staged) {
        try (Statement statement = writer().createStatement()) {
            statement.execute("CREATE OR REPLACE TEMP TABLE lake_probe AS " + staged);
            return true;
        } catch (SQLException e) {
            return false;
        } finally {
            try (Statement statement = writer().createStatement()) {
                statement.execute("DROP TABLE IF EXISTS lake_probe");
            } catch (SQLException e) {
                log.debug("Dropping the lake's probe reason={}", e.getMessage());
            }
        }
    }

    /** Moves a staging file's lines into the appender, each read as the feed reads it; a line that is no event is dropped. */
    private void unstage(Buffer buffer) throws IOException, SQLException {
        byte[] bytes = Files.readAllBytes(buffer.staging.file());
        if (buffer.table == null) {
            buffer.table = createTable(buffer.key.type(), writer());
        }
        LakeColumns columns = columnsByType.get(buffer.key.type());
        try (DuckDBAppender appender = writer().createAppender("main", buffer.table)) {
            unstage(buffer, bytes, appender, columns);
        }
    }

    private void unstage(Buffer buffer, byte[] bytes, DuckDBAppender appender, LakeColumns columns) throws IOException, SQLException {
        long taken = 0;
        long lost = 0;
        int start = 0;
        for (int i = 0; i <= bytes.length; i++) {
            if (i < bytes.length && bytes[i] != '\n') {
                continue;
            }
            if (i > start) {
                byte[] line = java.util.Arrays.copyOfRange(bytes, start, i);
                SignalEvent signal = SignalEvent.read(LINES.getFactory(), line);
                if (signal != null) {
                    LakeColumns.appendSignal(appender, signal);
                    taken++;
                } else {
                    try {
                        JsonNode event = LINES.readTree(line);
                        if (event == null || !event.isObject() || !event.path("id").isTextual()) {
                            throw new IOException("not an event");
                        }
                        columns.appendRow(appender, event);
                        taken++;
                    } catch (IOException | RuntimeException e) {
                        lost++;
                        log.warn("Lake staging line not readable, dropped file={} line={}", buffer.staging.file(),
                                new String(line, 0, Math.min(line.length, 200), java.nio.charset.StandardCharsets.UTF_8));
                    }
                }
            }
            start = i + 1;
        }
        appender.flush();
        buffer.rows += taken - buffer.staging.rows();
        buffer.staging.close();
        buffer.staging = null;
        droppedEvents.addAndGet(lost);
    }

    /**
     * Rolls the staging files an earlier run left (an unclean stop: what it had written of its chunks), once, at
     * the first roll of this run; a file that cannot be written now stays for the next start.
     */
    private List<Path> rollLeftOvers() {
        List<Path> written = new ArrayList<>();
        if (leftOversRolled) {
            return written;
        }
        leftOversRolled = true;
        Path folder = root.resolve(STAGING);
        if (!Files.isDirectory(folder)) {
            return written;
        }
        List<Path> files;
        try (var list = Files.list(folder)) {
            files = list.filter(f -> f.getFileName().toString().endsWith(".ndjson") && !f.getFileName().toString().contains("_" + instance + "-"))
                    .sorted().toList();
        } catch (IOException e) {
            log.warn("Lake staging folder not readable folder={} reason={}", folder, e.getMessage());
            return written;
        }
        for (Path file : files) {
            String[] parts = file.getFileName().toString().split("_", 3);
            try {
                PartitionKey key = new PartitionKey(parts[0], LocalDate.parse(parts[1]));
                columnsByType.computeIfAbsent(key.type(), LakeColumns::of);
                Buffer buffer = new Buffer(key, clock.instant());
                buffer.staging = NdjsonStaging.leftOver(file);
                buffer.rows = buffer.staging.rows();
                buffer.bytes = Files.size(file);
                log.info("Lake staging file of an earlier run found, rolling it file={} lines={}", file, buffer.rows);
                Path dir = root.resolve(key.path());
                try {
                    Path parquet = write(buffer, dir, clock.instant());
                    if (parquet != null) {
                        written.add(parquet);
                    }
                } catch (SQLException | IOException | RuntimeException e) {
                    failed(key, e.getClass().getSimpleName() + ": " + e.getMessage(), clock.instant());
                    log.warn("Lake staging file of an earlier run not written, left for the next start file={} reason={}", file, e.getMessage());
                    if (buffer.staging != null) {
                        buffer.staging.release();
                    }
                }
            } catch (RuntimeException | IOException e) {
                log.warn("Lake staging file of an earlier run not understood, left as it is file={} reason={}", file, e.getMessage());
            }
        }
        return written;
    }

    /** Lets go of a sealed partition's rows (written or dropped): its table and its staging file; under {@link #writing}. */
    private void release(Buffer buffer) {
        if (buffer.table != null) {
            try (Statement statement = writer().createStatement()) {
                statement.execute("DROP TABLE IF EXISTS " + buffer.table);
            } catch (SQLException e) {
                log.debug("Dropping a lake buffer reason={}", e.getMessage());
            }
            buffer.table = null;
        }
        if (buffer.staging != null) {
            buffer.staging.close();
            buffer.staging = null;
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // nothing to clean up then
        }
    }

    static String sqlString(String text) {
        return text.replace("'", "''");
    }

    /** Events not yet in a file: in the partitions being appended to and in those sealed, waiting for a write. */
    synchronized long bufferedEvents() {
        long rows = 0;
        for (Buffer buffer : buffers.values()) {
            rows += buffer.rows;
        }
        for (Buffer buffer : sealed) {
            rows += buffer.rows;
        }
        return rows;
    }

    /** Sealed partitions waiting for their write (a full partition the writer thread has not written yet, or a failed one). */
    synchronized int filesWaiting() {
        return sealed.size();
    }

    long writtenEvents() {
        return writtenEvents.get();
    }

    long writtenFiles() {
        return writtenFiles.get();
    }

    long droppedEvents() {
        return droppedEvents.get();
    }

    /** Staging files DuckDB could not read, whose lines went through the appender instead. */
    long unstagedFiles() {
        return unstagedFiles.get();
    }

    long rejectedEvents() {
        return rejectedEvents.get();
    }

    /** Why a partition's roll failed, while one's last roll failed; null when every partition's last roll succeeded. */
    String lastFailure() {
        return failing.values().stream().findFirst().orElse(null);
    }

    Instant lastFailureAt() {
        return lastFailureAt;
    }

    /**
     * Stops the writer thread (after the file it is writing), writes every buffered row to Parquet on the calling
     * thread, then closes DuckDB. Rows a failing disk kept stay in their staging files for the next start.
     */
    @Override
    public void close() {
        synchronized (this) {
            closing = true;
            notifyAll();
        }
        try {
            writer.join(WRITER_STOP.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<Path> files = flush();
        writing.lock();
        try {
            long left = bufferedEvents();
            if (left > 0) {
                log.error("Lake closed with events not written events={} reason={}", left, lastFailure());
            }
            log.info("Lake flushed on shutdown files={} location={}", files.size(), store.location());
            store.close();
            synchronized (this) {
                for (Buffer buffer : sealed) {
                    if (buffer.staging != null) {
                        buffer.staging.release(); // on disk: the next start rolls it
                    }
                }
                sealed.clear();
            }
            if (writerConnection != null) {
                try {
                    writerConnection.close();
                } catch (SQLException e) {
                    log.debug("Closing the lake writer's DuckDB connection reason={}", e.getMessage());
                }
            }
            try {
                duck().close();
            } catch (SQLException | IllegalStateException e) {
                log.debug("Closing the lake's DuckDB reason={}", e.getMessage());
            }
        } finally {
            writing.unlock();
        }
    }
}
