package io.millwright.testsupport;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.UUID;
import javax.sql.DataSource;
import org.awaitility.core.ConditionTimeoutException;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A migrated, empty hub store for store tests: H2 in memory, or a fresh schema on the machine's
 * PostgreSQL (127.0.0.1:5432, database {@code test}, trust auth; override with the environment
 * variables {@code MILLWRIGHT_TEST_PG_URL} and {@code MILLWRIGHT_TEST_PG_USER}). PostgreSQL is
 * started with the machine's command when it is down.
 */
public final class TestDatabase implements AutoCloseable {

    private final DataSource dataSource;
    private final Runnable cleanup;

    private TestDatabase(DataSource dataSource, Runnable cleanup) {
        this.dataSource = dataSource;
        this.cleanup = cleanup;
    }

    public static TestDatabase h2() {
        String url = "jdbc:h2:mem:store-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        var dataSource = new DriverManagerDataSource(url, "sa", "");
        migrate(dataSource, null);
        return new TestDatabase(dataSource, () -> new NamedParameterJdbcTemplate(dataSource).getJdbcTemplate().execute("SHUTDOWN"));
    }

    public static TestDatabase postgres() {
        String url = envOr("MILLWRIGHT_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test");
        String user = envOr("MILLWRIGHT_TEST_PG_USER", "postgres");
        ensureReachable(url, user);
        String schema = "mw_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        var admin = new SingleConnectionDataSource(url, user, "", true);
        admin.setAutoCommit(true);
        new NamedParameterJdbcTemplate(admin).getJdbcTemplate().execute("CREATE SCHEMA " + schema);
        var dataSource = new DriverManagerDataSource(url + "?currentSchema=" + schema, user, "");
        migrate(dataSource, schema);
        return new TestDatabase(dataSource, () -> {
            new NamedParameterJdbcTemplate(admin).getJdbcTemplate().execute("DROP SCHEMA " + schema + " CASCADE");
            admin.destroy();
        });
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public NamedParameterJdbcTemplate jdbc() {
        return new NamedParameterJdbcTemplate(dataSource);
    }

    public TransactionTemplate transactions() {
        return new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    }

    @Override
    public void close() {
        cleanup.run();
    }

    private static void migrate(DataSource dataSource, String schema) {
        var config = Flyway.configure().dataSource(dataSource).locations("classpath:db/migration");
        if (schema != null) {
            config.schemas(schema).defaultSchema(schema);
        }
        config.load().migrate();
    }

    private static void ensureReachable(String url, String user) {
        if (canConnect(url, user)) {
            return;
        }
        // the machine's own start command (see the env notes); harmless when it is already up
        try {
            new ProcessBuilder("bash", "-c",
                    "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start")
                    .inheritIO().start().waitFor();
        } catch (IOException e) {
            throw new IllegalStateException("PostgreSQL is not reachable at " + url + " and could not be started: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> canConnect(url, user));
            return;
        } catch (ConditionTimeoutException e) {
            // reported below with what to do
        }
        throw new IllegalStateException("PostgreSQL is not reachable at " + url + " as user " + user
                + "; start it, or point MILLWRIGHT_TEST_PG_URL / MILLWRIGHT_TEST_PG_USER at one");
    }

    private static boolean canConnect(String url, String user) {
        try (Connection ignored = DriverManager.getConnection(url, user, "")) {
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    private static String envOr(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
