package io.millwright.bench.erp;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.millwright.erp.ConfirmationOutbox;
import io.millwright.erp.ErpBenchmarkBridge;
import io.millwright.erp.ErpProperties;
import io.millwright.erp.SapConfirmationClient;
import io.millwright.model.ProductionConfirmation;
import io.millwright.sim.erp.ErpSimulator;
import io.millwright.sim.erp.ErpSimulatorProperties;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * ERP benchmark (issue 8): the confirmation relay against the ERP simulator with a fixed processing
 * time per entity (default 65 ms), on H2 and on PostgreSQL, next to a bare client measured in the
 * same run (the same HTTP client posting straight to the simulator, no outbox, no database).
 * Prints, per database: confirmations/s at concurrency 1, 4, 8 (concurrency = relays on one outbox,
 * as hub instances on one database), each divided by its ceiling (concurrency / 65 ms) and by the
 * bare client's rate; the hub-added latency per confirmation at concurrency 1; the drain time of a
 * backlog (default 10,000) at the highest concurrency; on PostgreSQL the outbox commits per WAL fsync.
 *
 * <p>Each relay polls as the route {@code erp-confirmation-relay} does: the due rows (oldest per order),
 * delivered one after another, then a wait of {@code --relay-interval} (default 100 ms; the hub's
 * default is 2 s). With {@code --post-batch-size} over 1 (default 8) the same levels run again with
 * the relays posting in {@code $batch} requests ({@code millwright.erp.post-batch-size}) and the bare
 * client posting {@code $batch} requests of that size; the simulator spends its time per changeset, so
 * the ceiling is the same. Run with {@code scripts/benchmark-erp.sh}.
 */
public final class ErpBenchmark {

    private static final int ORDERS = 64;

    private final Duration delay;
    private final Duration relayInterval;
    private final int perRelay;
    private final int backlog;
    private final int[] levels;
    /** Confirmations per {@code $batch} request in the batch rows (0 = single POSTs only). */
    private final int postBatchSize;
    private final ObjectMapper json = JsonMapper.builder().findAndAddModules().build();
    private final ErpSimulator erp;
    private final Path work;
    private final String runId = UUID.randomUUID().toString().substring(0, 6);
    private final AtomicInteger keys = new AtomicInteger();
    /** Of the last drain: the relays' time in polls minus their time in POSTs, per confirmation delivered (ms). */
    private double lastOverheadMillis;
    /** Of the last drain: the relays' time in POSTs per confirmation delivered (ms). */
    private double lastPostMillis;

    private ErpBenchmark(Map<String, String> options) throws IOException {
        delay = Duration.ofMillis(Long.parseLong(options.getOrDefault("delay-ms", "65")));
        relayInterval = Duration.ofMillis(Long.parseLong(options.getOrDefault("relay-interval-ms", "100")));
        perRelay = Integer.parseInt(options.getOrDefault("per-relay", "150"));
        backlog = Integer.parseInt(options.getOrDefault("backlog", "10000"));
        postBatchSize = Integer.parseInt(options.getOrDefault("post-batch-size", "8"));
        levels = Arrays.stream(options.getOrDefault("levels", "1,4,8").split(",")).mapToInt(Integer::parseInt).toArray();
        work = Files.createTempDirectory("millwright-erp-bench");
        List<ErpSimulatorProperties.ReleasedOrder> orders = IntStream.range(0, ORDERS)
                .mapToObj(i -> new ErpSimulatorProperties.ReleasedOrder(String.valueOf(5_000_001 + i), List.of("0010"), "PC", "1010", "WC1"))
                .toList();
        erp = new ErpSimulator(new ErpSimulatorProperties(true, 0, "127.0.0.1", "millwright", "bench-secret",
                Duration.ofMinutes(30), List.of()), orders, work.resolve("erp")).start();
        erp.delayEachPost(delay);
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new java.util.HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        ErpBenchmark bench = new ErpBenchmark(options);
        List<String> databases = List.of(options.getOrDefault("db", "h2,postgres").split(","));
        System.out.println("ERP benchmark: simulator +" + bench.delay.toMillis() + " ms per entity, " + ORDERS + " orders, "
                + bench.perRelay + " confirmations per relay and level, backlog " + bench.backlog + ", relay interval "
                + bench.relayInterval.toMillis() + " ms, $batch size " + bench.postBatchSize + " (SAP's time per changeset);"
                + " load before: " + uptime());
        try {
            for (String database : databases) {
                bench.run(database.trim());
            }
        } finally {
            bench.erp.close();
        }
        System.out.println("load after: " + uptime());
    }

    private void run(String database) throws Exception {
        System.out.println();
        System.out.println("== " + database + " ==");
        System.out.printf("%-8s %-12s %10s %10s %10s %10s %10s%n", "mode", "concurrency", "hub/s", "bare/s", "ceiling/s", "hub/ceil",
                "hub/bare");
        // warm-up, not measured: the JIT, the HTTP clients' and the simulator's first requests, the pool; a cold first
        // level made the bare client look slower than the hub (a negative hub-added latency in the last run)
        bareRate(2, 30, 1);
        try (Store store = Store.open(database, work)) {
            enqueue(store, 30);
            drain(store, 2, 30, 1);
        }
        double hubMillisAtOne = 0;
        double bareMillisAtOne = 0;
        double overheadAtOne = 0;
        double postAtOne = 0;
        for (int relays : levels) {
            int count = perRelay * relays;
            double bare = bareRate(relays, count, 1);
            double hub;
            try (Store store = Store.open(database, work)) {
                enqueue(store, count);
                hub = count / drain(store, relays, count, 1);
            }
            double ceiling = relays / (delay.toMillis() / 1000.0);
            System.out.printf("%-8s %-12d %10.1f %10.1f %10.1f %10.2f %10.2f%n", "POST", relays, hub, bare, ceiling, hub / ceiling,
                    hub / bare);
            if (relays == 1) {
                hubMillisAtOne = 1000.0 / hub;
                bareMillisAtOne = 1000.0 / bare;
                overheadAtOne = lastOverheadMillis;
                postAtOne = lastPostMillis;
            }
        }
        if (postBatchSize > 1) {
            // $batch: the same ceiling, as SAP spends its time per changeset, one after another
            for (int relays : levels) {
                int count = perRelay * relays;
                double bare = bareRate(relays, count, postBatchSize);
                double hub;
                try (Store store = Store.open(database, work)) {
                    enqueue(store, count);
                    hub = count / drain(store, relays, count, postBatchSize);
                }
                double ceiling = relays / (delay.toMillis() / 1000.0);
                System.out.printf("%-8s %-12d %10.1f %10.1f %10.1f %10.2f %10.2f%n", "$batch" + postBatchSize, relays, hub, bare, ceiling,
                        hub / ceiling, hub / bare);
            }
        }
        if (hubMillisAtOne > 0) {
            System.out.printf("hub-added latency per confirmation (concurrency 1): %.1f ms (hub %.1f ms, bare client %.1f ms, ERP %d ms)%n",
                    hubMillisAtOne - bareMillisAtOne, hubMillisAtOne, bareMillisAtOne, delay.toMillis());
            // measured on the same confirmations, so the load's drift between two runs does not enter it
            System.out.printf("hub-added time per confirmation inside the relay (concurrency 1; poll time minus POST time, same"
                    + " confirmations): %.1f ms (POST %.1f ms incl. the ERP's %d ms)%n", overheadAtOne, postAtOne, delay.toMillis());
        }
        int relays = levels[levels.length - 1];
        try (Store store = Store.open(database, work)) {
            enqueue(store, backlog);
            Store.WalSnapshot before = store.walSnapshot();
            double seconds = drain(store, relays, backlog, 1);
            store.closePool();
            Store.WalSnapshot after = store.walSnapshot();
            System.out.printf("drain of a %,d-confirmation backlog at concurrency %d: %.1f s (%.1f/s, ceiling %.1f/s; hub-added %.1f ms"
                    + " per confirmation inside the relay)%n", backlog, relays, seconds, backlog / seconds,
                    relays / (delay.toMillis() / 1000.0), lastOverheadMillis);
            if (before != null && after != null) {
                long commits = after.commits() - before.commits();
                long fsyncs = after.fsyncs() - before.fsyncs();
                System.out.printf("outbox commits per WAL fsync: %.2f (%,d outbox row writes, each its own commit; %,d WAL fsyncs"
                        + " cluster-wide, other sessions included, so a lower bound)%n", fsyncs == 0 ? Double.NaN : (double) commits / fsyncs,
                        commits, fsyncs);
            } else {
                System.out.println("outbox commits per fsync: n/a on H2 (MVStore writes its log in the background, no fsync per commit)");
            }
        }
    }

    /**
     * The same client posting straight to the simulator from {@code threads} threads: no outbox, no
     * database; with {@code batchSize} over 1 in {@code $batch} requests of that many.
     */
    private double bareRate(int threads, int count, int batchSize) throws Exception {
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long start = System.nanoTime();
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            // one client per thread, as one per hub instance (the client itself is safe to share, see SharedSapClientConcurrencyTest)
            SapConfirmationClient client = ErpBenchmarkBridge.client(settings(), json);
            futures.add(pool.submit(() -> {
                for (int i = next.getAndAdd(batchSize); i < count; i = next.getAndAdd(batchSize)) {
                    if (batchSize <= 1) {
                        client.post(confirmation(i));
                    } else {
                        List<ProductionConfirmation> batch = new ArrayList<>();
                        for (int j = i; j < Math.min(count, i + batchSize); j++) {
                            batch.add(confirmation(j));
                        }
                        client.postBatch(batch, batchSize);
                    }
                }
                return null;
            }));
        }
        for (Future<?> future : futures) {
            future.get();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        return count / seconds;
    }

    /** Runs {@code relays} relays ({@code post-batch-size} {@code batchSize}) until {@code count} rows are posted; seconds taken. */
    private double drain(Store store, int relays, int count, int batchSize) throws Exception {
        ConfirmationOutbox outbox = ErpBenchmarkBridge.outbox(store.jdbc());
        AtomicBoolean done = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(relays);
        long start = System.nanoTime();
        List<Future<?>> futures = new ArrayList<>();
        List<ErpBenchmarkBridge.Relay> started = new ArrayList<>();
        for (int r = 0; r < relays; r++) {
            SapConfirmationClient client = ErpBenchmarkBridge.client(settings(), json);
            ErpBenchmarkBridge.Relay relay = ErpBenchmarkBridge.relay(outbox, client, settings(), json, store.transactions(),
                    "bench-" + runId + "-" + r, batchSize);
            started.add(relay);
            futures.add(pool.submit(() -> {
                while (!done.get()) {
                    relay.poll();
                    Thread.sleep(relayInterval.toMillis());
                }
                return null;
            }));
        }
        while (store.posted() < count) {
            Thread.sleep(50);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        done.set(true);
        for (Future<?> future : futures) {
            future.get();
        }
        pool.shutdown();
        long pollNanos = started.stream().mapToLong(ErpBenchmarkBridge.Relay::pollNanos).sum();
        long postNanos = started.stream().mapToLong(ErpBenchmarkBridge.Relay::postNanos).sum();
        long delivered = Math.max(1, started.stream().mapToLong(ErpBenchmarkBridge.Relay::delivered).sum());
        lastOverheadMillis = (pollNanos - postNanos) / 1e6 / delivered;
        lastPostMillis = postNanos / 1e6 / delivered;
        return seconds;
    }

    private void enqueue(Store store, int count) {
        List<MapSqlParameterSource> rows = new ArrayList<>();
        Instant created = Instant.now().minusSeconds(600);
        for (int i = 0; i < count; i++) {
            ProductionConfirmation c = confirmation(i);
            rows.add(new MapSqlParameterSource("key", c.idempotencyKey()).addValue("order", c.orderId())
                    .addValue("at", Timestamp.from(created.plusMillis(i))).addValue("date", java.sql.Date.valueOf(c.postingDate())));
        }
        store.jdbc().batchUpdate("""
                INSERT INTO confirmation_outbox (idempotency_key, order_id, operation, yield_quantity, scrap_quantity, unit,
                    posting_date, status, attempts, created_at, updated_at)
                VALUES (:key, :order, '0010', 1, 0, 'PC', :date, 'PENDING', 0, :at, :at)
                """, rows.toArray(MapSqlParameterSource[]::new));
    }

    private ProductionConfirmation confirmation(int i) {
        String order = String.valueOf(5_000_001 + (i % ORDERS));
        return new ProductionConfirmation(order, "0010", BigDecimal.ONE, BigDecimal.ZERO, "PC", false, LocalDate.of(2026, 11, 30),
                "MWB-" + runId + "-" + keys.incrementAndGet());
    }

    private ErpProperties settings() {
        // request timeout 15 s: on a loaded machine a cold first CSRF fetch took longer than 10 s
        return new ErpProperties(erp.serviceUrl(), "millwright", "bench-secret", "", Duration.ofSeconds(10), Duration.ofSeconds(15),
                relayInterval, Duration.ofMillis(200), Duration.ofSeconds(2), ORDERS, Duration.ofSeconds(20), Duration.ofSeconds(45),
                null, null);
    }

    private static String uptime() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "n/a";
        }
    }

    /** A fresh, migrated database with a connection pool, as the hub's. */
    private static final class Store implements AutoCloseable {

        record WalSnapshot(long commits, long fsyncs) {}

        private final HikariDataSource pool;
        private final String schema;
        private final String adminUrl;

        private Store(HikariDataSource pool, String schema, String adminUrl) {
            this.pool = pool;
            this.schema = schema;
            this.adminUrl = adminUrl;
        }

        static Store open(String database, Path work) throws Exception {
            HikariConfig config = new HikariConfig();
            config.setMaximumPoolSize(16);
            String schema = null;
            String adminUrl = null;
            if (database.equals("postgres")) {
                adminUrl = System.getenv().getOrDefault("MILLWRIGHT_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test");
                schema = "mw_bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
                try (var connection = java.sql.DriverManager.getConnection(adminUrl, "postgres", "")) {
                    connection.createStatement().execute("CREATE SCHEMA " + schema);
                }
                config.setJdbcUrl(adminUrl + "?currentSchema=" + schema);
                config.setUsername("postgres");
            } else {
                config.setJdbcUrl("jdbc:h2:file:" + work.resolve("h2-" + UUID.randomUUID()).resolve("db") + ";DB_CLOSE_ON_EXIT=FALSE");
                config.setUsername("sa");
            }
            config.setPassword("");
            HikariDataSource pool = new HikariDataSource(config);
            var flyway = Flyway.configure().dataSource(pool).locations("classpath:db/migration");
            if (schema != null) {
                flyway.schemas(schema).defaultSchema(schema);
            }
            flyway.load().migrate();
            return new Store(pool, schema, adminUrl);
        }

        NamedParameterJdbcTemplate jdbc() {
            return new NamedParameterJdbcTemplate(pool);
        }

        TransactionTemplate transactions() {
            return new TransactionTemplate(new DataSourceTransactionManager(pool));
        }

        int posted() {
            return jdbc().queryForObject("SELECT COUNT(*) FROM confirmation_outbox WHERE status = 'POSTED'", Map.of(), Integer.class);
        }

        /** Row writes to the outbox (each an autocommit statement) and WAL fsyncs so far; null on H2. */
        WalSnapshot walSnapshot() throws Exception {
            if (schema == null) {
                return null;
            }
            try (var connection = java.sql.DriverManager.getConnection(adminUrl, "postgres", "");
                    var statement = connection.createStatement();
                    var rows = statement.executeQuery("SELECT (SELECT COALESCE(SUM(n_tup_ins + n_tup_upd + n_tup_del), 0) "
                            + "FROM pg_stat_user_tables WHERE schemaname = '" + schema + "' AND relname = 'confirmation_outbox'), "
                            + "(SELECT wal_sync FROM pg_stat_wal)")) {
                rows.next();
                return new WalSnapshot(rows.getLong(1), rows.getLong(2));
            }
        }

        /** Closes the pool: its backends exit and flush their statistics. */
        void closePool() throws InterruptedException {
            pool.close();
            Thread.sleep(1500);
        }

        @Override
        public void close() throws Exception {
            pool.close();
            if (schema != null) {
                try (var connection = java.sql.DriverManager.getConnection(adminUrl, "postgres", "")) {
                    connection.createStatement().execute("DROP SCHEMA " + schema + " CASCADE");
                }
            }
        }
    }
}
