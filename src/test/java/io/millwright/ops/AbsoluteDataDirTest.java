package io.millwright.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.FileSystemResource;

/**
 * {@code --millwright.data-dir=data} (relative, without {@code ./}) stopped the hub at start-up: H2
 * refuses the "implicitly relative" path in the shipped {@code spring.datasource.url}. The data dir
 * is made absolute before the URL is resolved.
 */
class AbsoluteDataDirTest {

    @Test
    void shippedDatabaseUrlOpens_whenDataDirIsRelativeWithoutDotSlash() throws Exception {
        String dataDir = "target/test-data/relative-" + System.nanoTime();
        StandardEnvironment environment = hubEnvironment(dataDir);

        new AbsoluteDataDirEnvironmentPostProcessor().postProcessEnvironment(environment, new SpringApplication());

        assertThat(environment.getProperty("millwright.data-dir")).isEqualTo(Path.of(dataDir).toAbsolutePath().toString());
        try (Connection connection = DriverManager.getConnection(environment.getProperty("spring.datasource.url"), "sa", "")) {
            assertThat(connection.isValid(5)).isTrue();
        }
        assertThat(Path.of(dataDir, "db", "millwright.mv.db")).exists();
    }

    // control: the same shipped URL without the post-processor is what H2 refused
    @Test
    void h2RefusesTheShippedUrl_withoutTheAbsoluteDataDir() throws Exception {
        StandardEnvironment environment = hubEnvironment("target/test-data/relative-refused");

        assertThatThrownBy(() -> DriverManager.getConnection(environment.getProperty("spring.datasource.url"), "sa", "").close())
                .hasMessageContaining("implicitly relative");
    }

    @Test
    void absoluteDataDirLeftAsGiven() throws Exception {
        String absolute = Path.of("target", "test-data").toAbsolutePath().toString();
        StandardEnvironment environment = hubEnvironment(absolute);

        new AbsoluteDataDirEnvironmentPostProcessor().postProcessEnvironment(environment, new SpringApplication());

        assertThat(environment.getPropertySources().contains(AbsoluteDataDirEnvironmentPostProcessor.PROPERTY_SOURCE_NAME)).isFalse();
        assertThat(environment.getProperty("millwright.data-dir")).isEqualTo(absolute);
    }

    /** The shipped config/application.yaml with a command-line style data dir in front of it. */
    private static StandardEnvironment hubEnvironment(String dataDir) throws Exception {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("commandLineArgs", Map.of("millwright.data-dir", dataDir)));
        for (PropertySource<?> source : new YamlPropertySourceLoader().load("config/application.yaml",
                new FileSystemResource("config/application.yaml"))) {
            environment.getPropertySources().addLast(source);
        }
        return environment;
    }
}
