package io.millwright;

import io.millwright.ops.Lz4Codec;
import io.millwright.ops.StartupCompilerPriority;
import java.lang.management.ManagementFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.ApplicationListener;

/** Millwright: the industrial integration hub. Starts the runtime with its embedded defaults. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class MillwrightApplication {

    /** The hub's own logback configuration (Spring Boot's console and file appenders). */
    static final String LOGGING_CONFIG = "classpath:millwright-logback.xml";

    /** What logback uses before Spring Boot has read its settings: the console at INFO. */
    static final String EARLY_LOGGING_CONFIG = "millwright-logback-early.xml";

    public static void main(String[] args) {
        useOwnLoggingConfig(args);
        // the JIT's C2 at a low priority until the hub is ready, where it can be given back (StartupCompilerPriority)
        StartupCompilerPriority compiler = StartupCompilerPriority.lowerWhileStarting();
        Lz4Codec.preferNative();
        SpringApplication application = new SpringApplication(MillwrightApplication.class);
        application.addListeners((ApplicationListener<ApplicationReadyEvent>) ready -> compiler.restore());
        StartupSteps.recordWhenRequested(application, args);
        application.run(args);
        warnWhenHeapIsUnbounded();
    }

    /**
     * Names the hub's logback file unless the operator named one ({@code --logging.config},
     * {@code -Dlogging.config}, {@code LOGGING_CONFIG}): a dependency (Eclipse Tahu's tahu-core)
     * ships a {@code logback.xml} at its root that logback and Spring Boot would otherwise take,
     * logging everything at TRACE to the console and nothing to {@code data/logs/millwright.log}.
     */
    static void useOwnLoggingConfig(String[] args) {
        boolean named = System.getProperty("logging.config") != null || System.getenv("LOGGING_CONFIG") != null;
        for (String argument : args) {
            named |= argument.startsWith("--logging.config=");
        }
        if (!named) {
            System.setProperty("logging.config", LOGGING_CONFIG);
            if (System.getProperty("logback.configurationFile") == null) {
                // logback starts with the first logger, before Spring Boot reads logging.config
                System.setProperty("logback.configurationFile", EARLY_LOGGING_CONFIG);
            }
        }
    }

    /**
     * A plain {@code java -jar} lets the JVM take a quarter of the machine's memory for its heap
     * alone; the hub's own launchers (scripts/millwright, the Maven plugin, config/millwright.service)
     * bound it. Say so once, with the fix, when none did.
     */
    static void warnWhenHeapIsUnbounded() {
        boolean bounded = ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .anyMatch(argument -> argument.startsWith("-Xmx") || argument.startsWith("-XX:MaxHeapSize")
                        || argument.startsWith("-XX:MaxRAMPercentage") || argument.startsWith("-XX:MaxRAM="));
        if (!bounded) {
            Logger log = LoggerFactory.getLogger(MillwrightApplication.class);
            log.warn("The heap is not bounded: up to {} MiB may be taken; start the hub with scripts/millwright,"
                    + " or set JAVA_TOOL_OPTIONS=-Xmx512m for java -jar (see docs/benchmarks.md)",
                    Runtime.getRuntime().maxMemory() / (1024 * 1024));
        }
    }
}
