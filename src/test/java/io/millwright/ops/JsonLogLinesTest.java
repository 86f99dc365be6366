package io.millwright.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.millwright.model.MessageHeaders;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.spring.boot.CamelAutoConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * JSON log lines, as an operator switches them on ({@code logging.structured.format.file: ecs} with the hub's
 * {@code millwright-logback.xml}): a route's log line is one JSON object, and it carries the correlation id
 * of the message it logged ({@code correlationid}, from {@link MessageHeaders#CORRELATION_ID}) next to
 * Camel's route id, so an operator goes from an event to its log lines. A small Spring Boot application
 * with Camel and the hub's logging set-up, not the whole hub: the log file is what is checked.
 */
class JsonLogLinesTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /**
     * Spring Boot passes the logging settings to logback as system properties and leaves them set: a
     * later test in this JVM would write JSON (or into this test's file) without being asked.
     */
    @AfterEach
    void clearLoggingSystemProperties() {
        for (String key : List.of("LOG_FILE", "LOG_PATH", "CONSOLE_LOG_STRUCTURED_FORMAT", "FILE_LOG_STRUCTURED_FORMAT")) {
            System.clearProperty(key);
        }
    }

    @Test
    void routeLogLineIsJsonWithTheCorrelationId_whenStructuredFileLoggingIsOn() throws Exception {
        Path logFile = dir.resolve("millwright.log");
        String correlationId = "corr-" + UUID.randomUUID();

        try (ConfigurableApplicationContext app = start(logFile, "ecs")) {
            ProducerTemplate producer = app.getBean(CamelContext.class).createProducerTemplate();
            producer.sendBodyAndHeader("direct:json-log", "with id", MessageHeaders.CORRELATION_ID, correlationId);
            // control: a message without a correlation id must not show the previous one
            producer.sendBody("direct:json-log", "without id");
        }

        List<JsonNode> lines = jsonLines(logFile);
        JsonNode withId = lines.stream().filter(l -> l.path("message").asText().equals("json-log with id"))
                .findFirst().orElseThrow(() -> new AssertionError("no JSON line 'json-log with id' in " + lines));
        // ECS nests dotted names (Spring Boot 3.5): camel.routeId is {"camel":{"routeId":...}}
        assertThat(withId.path("correlationid").asText()).as("the message's correlation id in %s", withId)
                .isEqualTo(correlationId);
        assertThat(withId.at("/camel/routeId").asText()).as("Camel's route id in %s", withId).isEqualTo("json-log-test");
        assertThat(withId.at("/log/level").asText()).as("the level in %s", withId).isEqualTo("INFO");
        JsonNode withoutId = lines.stream().filter(l -> l.path("message").asText().equals("json-log without id"))
                .findFirst().orElseThrow();
        assertThat(withoutId.has("correlationid")).as("a line of a message without correlation id").isFalse();
    }

    @Test
    void logLinesAreText_whenNoStructuredFormatIsSet() throws Exception {
        Path logFile = dir.resolve("millwright.log");

        try (ConfigurableApplicationContext app = start(logFile, null)) {
            app.getBean(CamelContext.class).createProducerTemplate().sendBody("direct:json-log", "plain");
        }

        List<String> lines = Files.readAllLines(logFile);
        assertThat(lines).anySatisfy(line -> assertThat(line).contains("json-log plain").doesNotStartWith("{"));
    }

    private static ConfigurableApplicationContext start(Path logFile, String format) {
        // arguments, as an operator passes them: they override config/application.yaml (read from the
        // working folder), whose logging.file.name points into the data folder
        List<String> args = new ArrayList<>(List.of(
                "--logging.config=classpath:millwright-logback.xml",
                "--logging.file.name=" + logFile,
                "--millwright.data-dir=" + logFile.getParent(),
                "--camel.main.use-mdc-logging=true",
                "--camel.main.name=json-log-test",
                "--spring.main.banner-mode=off"));
        if (format != null) {
            args.add("--logging.structured.format.file=" + format);
        }
        return new SpringApplicationBuilder(LoggingApp.class).web(WebApplicationType.NONE).run(args.toArray(String[]::new));
    }

    private static List<JsonNode> jsonLines(Path file) throws Exception {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            if (!line.isBlank()) {
                lines.add(JSON.readTree(line)); // every line must be JSON
            }
        }
        return lines;
    }

    @SpringBootConfiguration
    @ImportAutoConfiguration(CamelAutoConfiguration.class)
    @Import(CorrelationMdcConfiguration.class)
    static class LoggingApp {

        @Bean
        RouteBuilder jsonLogRoute() {
            return new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:json-log").routeId("json-log-test").log("json-log ${body}");
                }
            };
        }
    }
}
