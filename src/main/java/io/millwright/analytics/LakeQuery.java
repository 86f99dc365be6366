package io.millwright.analytics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.millwright.ops.HubDirectoriesProperties;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;

/**
 * Read-only SQL over the lake: each query gets a fresh in-memory DuckDB with one view per event
 * type over its Parquet files ({@code signal}, {@code machine_state}, {@code production_count}, ...,
 * and {@code lake} over all of them), Hive partitions as columns {@code type} and {@code date}.
 *
 * <p>Read-only by three locks: the statement must be a single {@code SELECT} (DuckDB's own parser
 * says so through {@code json_serialize_sql}); DuckDB may touch no file outside the lake folder
 * ({@code allowed_directories}, {@code enable_external_access=false}); and the configuration is
 * locked before the query runs. Limits: a query running longer than the timeout is cancelled, at
 * most {@code maxRows} rows are returned (the answer says it was cut), DuckDB's memory is capped.
 */
public class LakeQuery implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(LakeQuery.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path root;
    private final AnalyticsProperties.Query settings;
    private final String unreadableReason;
    private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "analytics-query-timeout");
        thread.setDaemon(true);
        return thread;
    });

    /** One column of an answer: its name and DuckDB type. */
    public record Column(String name, String type) {}

    /** An answer: columns, rows (values as JSON scalars; times as ISO text), whether rows were cut at the limit. */
    public record Result(List<Column> columns, List<List<Object>> rows, int rowCount, boolean truncated, long elapsedMillis) {}

    /** The query could not run: not a single SELECT, a syntax or binding error, a missing table. */
    public static class InvalidQueryException extends RuntimeException {
        InvalidQueryException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The query ran longer than {@code millwright.analytics.query.timeout} and was cancelled. */
    public static class QueryTimeoutException extends RuntimeException {
        QueryTimeoutException(String message) {
            super(message);
        }
    }

    /**
     * The lake cannot be read by this hub: it is in an S3 bucket without a local copy
     * ({@code millwright.analytics.lake.s3.local-copy=false}). The query API answers 409 with the reason;
     * the OEE API, as for any lake it cannot read (an {@link IllegalStateException}), 503 with the reason.
     */
    public static class LakeUnreadableException extends IllegalStateException {
        LakeUnreadableException(String message) {
            super(message);
        }
    }

    LakeQuery(Path root, AnalyticsProperties.Query settings) {
        this(root, settings, null);
    }

    /** @param unreadableReason why the lake is not in {@code root} (an S3 lake without a local copy), or null */
    LakeQuery(Path root, AnalyticsProperties.Query settings, String unreadableReason) {
        this.root = root.toAbsolutePath().normalize();
        this.settings = settings;
        this.unreadableReason = unreadableReason;
    }

    private void requireReadable() {
        if (unreadableReason != null) {
            throw new LakeUnreadableException(unreadableReason);
        }
    }

    static Path lakeRoot(HubDirectoriesProperties directories) {
        return directories.data().resolve("lake").toAbsolutePath().normalize();
    }

    /** Runs one read-only query; at most {@code maxRows} rows (capped by the configured limit). */
    public Result query(String sql, Integer maxRows) {
        if (sql == null || sql.isBlank()) {
            throw new InvalidQueryException("field 'sql' is required: one SELECT statement over the lake's views", null);
        }
        requireReadable();
        int limit = Math.min(maxRows == null ? settings.maxRows() : Math.max(1, maxRows), settings.maxRows());
        long started = System.nanoTime();
        AtomicBoolean timedOut = new AtomicBoolean();
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:")) {
            prepare(duck);
            requireSingleSelect(duck, sql);
            try (Statement statement = duck.createStatement()) {
                ScheduledFuture<?> cancel = watchdog.schedule(() -> {
                    timedOut.set(true);
                    try {
                        statement.cancel();
                    } catch (SQLException e) {
                        log.debug("Cancelling a lake query reason={}", e.getMessage());
                    }
                }, settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
                try (ResultSet rs = statement.executeQuery(sql)) {
                    ResultSetMetaData meta = rs.getMetaData();
                    List<Column> columns = new ArrayList<>();
                    for (int c = 1; c <= meta.getColumnCount(); c++) {
                        columns.add(new Column(meta.getColumnLabel(c), meta.getColumnTypeName(c)));
                    }
                    List<List<Object>> rows = new ArrayList<>();
                    boolean truncated = false;
                    while (rs.next()) {
                        if (rows.size() == limit) {
                            truncated = true;
                            break;
                        }
                        List<Object> row = new ArrayList<>(columns.size());
                        for (int c = 1; c <= columns.size(); c++) {
                            row.add(jsonValue(rs.getObject(c)));
                        }
                        rows.add(row);
                    }
                    return new Result(columns, rows, rows.size(), truncated, (System.nanoTime() - started) / 1_000_000);
                } finally {
                    cancel.cancel(false);
                }
            }
        } catch (SQLException e) {
            if (timedOut.get()) {
                throw new QueryTimeoutException("the query ran longer than " + settings.timeout()
                        + " (millwright.analytics.query.timeout) and was cancelled");
            }
            throw new InvalidQueryException("the query failed: " + e.getMessage(), e);
        }
    }

    /** Internal reads over the lake's views (KPIs): the caller's SQL, bound parameters. */
    interface Work<T> {
        T run(Connection duck) throws SQLException;
    }

    /** Runs internal reads on a fresh DuckDB with the lake's views and locks, as a query gets. */
    <T> T read(Work<T> work) {
        requireReadable();
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:")) {
            prepare(duck);
            return work.run(duck);
        } catch (SQLException e) {
            throw new IllegalStateException("reading the lake " + root + " failed: " + e.getMessage(), e);
        }
    }

    /** Views over the lake, then the locks. */
    private void prepare(Connection duck) throws SQLException {
        List<String> types = eventTypes();
        try (Statement statement = duck.createStatement()) {
            statement.execute("SET TimeZone = 'UTC'");
            statement.execute("SET threads = 2");
            statement.execute("SET memory_limit = '" + settings.memoryLimit().toMegabytes() + "MB'");
            String lake = ParquetLake.sqlString(root.toString());
            for (String type : types) {
                statement.execute("CREATE VIEW \"" + LakeColumns.viewName(type) + "\" AS SELECT * FROM read_parquet('" + lake
                        + "/type=" + type + "/*/*.parquet', hive_partitioning = true, union_by_name = true)");
            }
            if (!types.isEmpty()) {
                statement.execute("CREATE VIEW lake AS SELECT * FROM read_parquet('" + lake
                        + "/*/*/*.parquet', hive_partitioning = true, union_by_name = true)");
            }
            statement.execute("SET allowed_directories = ['" + lake + "/']");
            statement.execute("SET enable_external_access = false");
            statement.execute("SET lock_configuration = true");
        }
    }

    /** The event types with at least one Parquet file, e.g. {@code signal}. */
    List<String> eventTypes() {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        List<String> types = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
                String name = dir.getFileName().toString();
                if (name.matches("type=[a-z0-9]+(-[a-z0-9]+)*") && hasParquet(dir)) {
                    types.add(name.substring("type=".length()));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("the lake folder " + root + " cannot be read: " + e.getMessage(), e);
        }
        return types;
    }

    private static boolean hasParquet(Path typeDir) throws IOException {
        try (Stream<Path> files = Files.walk(typeDir, 2)) {
            return files.anyMatch(p -> p.getFileName().toString().endsWith(".parquet") && !p.getFileName().toString().startsWith("."));
        }
    }

    /** DuckDB's parser must see exactly one SELECT (json_serialize_sql serializes SELECT statements only). */
    private static void requireSingleSelect(Connection duck, String sql) throws SQLException {
        try (PreparedStatement check = duck.prepareStatement("SELECT json_serialize_sql(?::VARCHAR)")) {
            check.setString(1, sql);
            try (ResultSet rs = check.executeQuery()) {
                rs.next();
                JsonNode parsed;
                try {
                    parsed = JSON.readTree(rs.getString(1));
                } catch (IOException e) {
                    throw new InvalidQueryException("the query could not be checked: " + e.getMessage(), e);
                }
                if (parsed.path("error").asBoolean(false)) {
                    String message = parsed.path("error_message").asText("not a SELECT statement");
                    throw new InvalidQueryException("only one read-only SELECT statement is allowed: " + message, null);
                }
                if (parsed.path("statements").size() != 1) {
                    throw new InvalidQueryException("only one SELECT statement is allowed, found " + parsed.path("statements").size(), null);
                }
            }
        }
    }

    private static Object jsonValue(Object value) {
        if (value == null || value instanceof String || value instanceof Boolean || value instanceof Integer
                || value instanceof Long || value instanceof Double || value instanceof BigDecimal || value instanceof BigInteger
                || value instanceof Short || value instanceof Float || value instanceof Byte) {
            return value;
        }
        if (value instanceof java.sql.Timestamp timestamp) {
            return timestamp.toInstant().toString();
        }
        if (value instanceof java.time.OffsetDateTime time) {
            return time.toInstant().toString();
        }
        if (value instanceof java.util.Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(k), jsonValue(v)));
            return out;
        }
        return value.toString();
    }

    @Override
    public void destroy() {
        watchdog.shutdownNow();
    }
}
