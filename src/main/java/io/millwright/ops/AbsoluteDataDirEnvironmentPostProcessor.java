package io.millwright.ops;

import java.nio.file.Path;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Makes {@code millwright.data-dir} absolute (against the working directory) before anything reads
 * it. The H2 URL is built from it ({@code jdbc:h2:file:${millwright.data-dir}/db/millwright}), and H2
 * refuses a path that is "implicitly relative": {@code --millwright.data-dir=data} stopped the hub
 * at start-up, while {@code ./data} worked. Every other use (brokers, lake, log file) gets the same
 * folder, now written out in full.
 */
public class AbsoluteDataDirEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

    static final String KEY = "millwright.data-dir";
    static final String PROPERTY_SOURCE_NAME = "millwrightAbsoluteDataDir";

    @Override
    public int getOrder() {
        return ConfigDataEnvironmentPostProcessor.ORDER + 1; // after the config files are read
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        String dataDir = environment.getProperty(KEY);
        if (dataDir == null || dataDir.isBlank() || Path.of(dataDir).isAbsolute()) {
            return;
        }
        String absolute = Path.of(dataDir).toAbsolutePath().normalize().toString();
        environment.getPropertySources().addFirst(new MapPropertySource(PROPERTY_SOURCE_NAME, Map.of(KEY, absolute)));
    }
}
