package io.millwright;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import java.net.URL;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged hub logs through its own logback file, not through the {@code logback.xml} a
 * dependency ships at its root (tahu-core's: TRACE, console only, no log file).
 */
class MillwrightLoggingConfigTest {

    @AfterEach
    void clear() {
        System.clearProperty("logging.config");
        System.clearProperty("logback.configurationFile");
    }

    @Test
    void hubNamesItsOwnConfig_unlessTheOperatorNamedOne() {
        System.clearProperty("logging.config");
        MillwrightApplication.useOwnLoggingConfig(new String[] {"--millwright.data-dir=x"});
        assertThat(System.getProperty("logging.config")).isEqualTo(MillwrightApplication.LOGGING_CONFIG);
        assertThat(System.getProperty("logback.configurationFile")).isEqualTo(MillwrightApplication.EARLY_LOGGING_CONFIG);
        assertThat(getClass().getClassLoader().getResource(MillwrightApplication.EARLY_LOGGING_CONFIG)).isNotNull();

        System.clearProperty("logging.config");
        MillwrightApplication.useOwnLoggingConfig(new String[] {"--logging.config=file:/etc/millwright/logback.xml"});
        assertThat(System.getProperty("logging.config")).isNull();
    }

    @Test
    void ownConfigLogsInfoToConsoleAndTheLogFile(@TempDir Path dir) throws Exception {
        // the root logback.xml on the class path is a dependency's; the hub must not rely on it
        URL foreign = getClass().getClassLoader().getResource("logback.xml");
        assertThat(foreign).as("a dependency's logback.xml (tahu-core)").isNotNull();
        assertThat(foreign.toString()).contains("tahu-core");

        Path logFile = dir.resolve("millwright.log");
        LoggerContext context = new LoggerContext();
        context.putProperty("LOG_FILE", logFile.toString());
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(getClass().getClassLoader().getResource(
                MillwrightApplication.LOGGING_CONFIG.substring("classpath:".length())));

        ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        assertThat(root.getLevel()).isEqualTo(ch.qos.logback.classic.Level.INFO);
        var file = (ch.qos.logback.core.FileAppender<?>) root.getAppender("FILE");
        assertThat(file).as("the file appender of logging.file.name").isNotNull();
        assertThat(Path.of(file.getFile())).isEqualTo(logFile);
        assertThat(root.getAppender("CONSOLE")).isNotNull();
        context.stop();
    }
}
