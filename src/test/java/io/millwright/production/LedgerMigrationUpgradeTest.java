package io.millwright.production;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.config.YamlPropertiesFactoryBean;
import org.springframework.core.io.FileSystemResource;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A hub upgraded over its existing database: V39 (forwarded counts booked once) is numbered below
 * migrations the last release already applied (each capability numbers its own range, up to V90).
 * With the hub's Flyway settings ({@code config/application.yaml}) the upgrade applies it; without
 * out-of-order, Flyway would refuse the start.
 */
class LedgerMigrationUpgradeTest {

    static final Path MIGRATIONS = Path.of("src", "main", "resources", "db", "migration");

    @TempDir Path dir;

    @Test
    void aDatabaseOfTheLastReleaseTakesV39_withTheHubsFlywaySettings() throws Exception {
        DataSource database = lastRelease("upgraded");
        Flyway upgrade = Flyway.configure().dataSource(database).locations("classpath:db/migration").outOfOrder(hubOutOfOrder()).load();
        upgrade.migrate();

        assertThat(Stream.of(upgrade.info().applied()).filter(m -> m.getVersion().getVersion().equals("39")))
                .singleElement().satisfies(m -> assertThat(m.getState().isApplied() && !m.getState().isFailed()).isTrue());
        JdbcTemplate jdbc = new JdbcTemplate(database);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM INFORMATION_SCHEMA.INDEXES WHERE INDEX_NAME = 'UX_LEDGER_COUNT_EVENT_ID'",
                Integer.class)).isPositive();
    }

    // control: the same upgrade without out-of-order is what a hub would have met at its start
    @Test
    void withoutOutOfOrder_theUpgradeIsRefused() throws Exception {
        DataSource database = lastRelease("refused");
        assertThatThrownBy(() -> Flyway.configure().dataSource(database).locations("classpath:db/migration").load().migrate())
                .isInstanceOf(FlywayException.class).hasMessageContaining("39");
    }

    /** A database the last release made: every migration but V39 applied. */
    private DataSource lastRelease(String name) throws IOException {
        Path release = Files.createDirectories(dir.resolve(name + "-release"));
        try (Stream<Path> files = Files.list(MIGRATIONS)) {
            for (Path file : files.filter(f -> !f.getFileName().toString().startsWith("V39__")).toList()) {
                Files.copy(file, release.resolve(file.getFileName()));
            }
        }
        JdbcDataSource database = new JdbcDataSource();
        database.setURL("jdbc:h2:mem:" + name + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
        database.setUser("sa");
        Flyway.configure().dataSource(database).locations("filesystem:" + release.toAbsolutePath()).load().migrate();
        return database;
    }

    /** {@code spring.flyway.out-of-order} as the hub reads it from its configuration. */
    private static boolean hubOutOfOrder() {
        YamlPropertiesFactoryBean yaml = new YamlPropertiesFactoryBean();
        yaml.setResources(new FileSystemResource("config/application.yaml"));
        Properties properties = yaml.getObject();
        return Boolean.parseBoolean(properties.getProperty("spring.flyway.out-of-order", "false"));
    }
}
