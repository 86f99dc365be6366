package io.millwright.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.millwright.testsupport.HubTestProperties;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import io.millwright.MillwrightApplication;

/**
 * The admin password reaches the log only when Millwright generated it, and then exactly once.
 * Each test starts the whole application itself, so the captured output is its start-up from
 * the first line (a cached test context would have started before the capture).
 */
@ExtendWith(OutputCaptureExtension.class)
class AdminPasswordLoggingTest {

    private static final Pattern GENERATED_LINE = Pattern.compile(
            "Generated admin password for user 'admin': (\\S+) \\(set MILLWRIGHT_ADMIN_PASSWORD to choose one\\)");

    @TempDir
    Path dataDir;

    // the password arrives as MILLWRIGHT_ADMIN_PASSWORD, resolved by config/application.yaml's placeholder
    @Test
    void passwordNeverLogged_whenSuppliedThroughEnvironmentVariable(CapturedOutput output) throws Exception {
        String password = "supplied-Admin-Pw-7781";

        try (ConfigurableApplicationContext context = start("--MILLWRIGHT_ADMIN_PASSWORD=" + password)) {
            assertThat(status(context, "admin", password)).isEqualTo(200);
        }

        assertThat(output.getAll()).contains("Tomcat started on port")
                .doesNotContain(password)
                .doesNotContain("Generated admin password")
                .doesNotContain("Using generated security password");
        assertThat(Files.readString(dataDir.resolve("logs/millwright.log"))).doesNotContain(password);
    }

    @Test
    void generatedPasswordLoggedOnceAndAccepted_whenUnset(CapturedOutput output) throws Exception {
        try (ConfigurableApplicationContext context = start("--millwright.security.admin-password=")) {
            Matcher line = GENERATED_LINE.matcher(output.getAll());
            assertThat(line.find()).as("generated password line in:%n%s", output.getAll()).isTrue();
            String generated = line.group(1);

            assertThat(occurrences(output.getAll(), generated)).as("times the password was printed").isEqualTo(1);
            assertThat(output.getAll()).doesNotContain("Using generated security password");
            assertThat(status(context, "admin", generated)).isEqualTo(200);
            assertThat(status(context, "admin", generated + "x")).isEqualTo(401);
        }
    }

    // printed to the console only: neither the log file nor any other file of the data dir holds it
    @Test
    void generatedPasswordInNoFile_whenUnset(CapturedOutput output) throws Exception {
        String generated;
        try (ConfigurableApplicationContext context = start("--millwright.security.admin-password=")) {
            Matcher line = GENERATED_LINE.matcher(output.getAll());
            assertThat(line.find()).as("generated password line in:%n%s", output.getAll()).isTrue();
            generated = line.group(1);
            assertThat(status(context, "admin", generated)).isEqualTo(200);
        }

        Path logFile = dataDir.resolve("logs/millwright.log");
        assertThat(Files.readString(logFile)).contains("printed once on the console, not logged");
        byte[] needle = generated.getBytes(StandardCharsets.UTF_8);
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dataDir)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        assertThat(files).as("files in the data dir").contains(logFile).hasSizeGreaterThan(1);
        for (Path file : files) {
            assertThat(indexOf(Files.readAllBytes(file), needle)).as("password in %s", file).isEqualTo(-1);
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private ConfigurableApplicationContext start(String passwordArgument) {
        return new SpringApplicationBuilder(MillwrightApplication.class).run(
                passwordArgument,
                "--server.port=0",
                "--server.address=127.0.0.1",
                "--millwright.data-dir=" + dataDir,
                "--millwright.sim.opcua.enabled=false",
                "--millwright.sim.erp.enabled=false",
                "--millwright.artemis.embedded=false",
                "--millwright.kafka.embedded=false",
                HubTestProperties.NO_KAFKA_ARGUMENT,
                // no Kafka in this test: no Kafka side-route consumers either (a consumer polling for a broker
                // that is not there holds Camel's shutdown up to its timeout, at JVM exit too)
                "--millwright.analytics.lake.enabled=false",
                "--millwright.analytics.rollups.enabled=false",
                "--millwright.analytics.anomaly.enabled=false",
                "--millwright.alerting.enabled=false",
                // nor the ERP's (document notifications, final confirmations), as HubTestProperties.WITHOUT_KAFKA: each
                // held the hub's close 3-5 s, 8-10 s a start of this test
                "--millwright.erp.documents.notifications-enabled=false",
                "--millwright.erp.final-confirmation.on-order-completed=false",
                "--millwright.mes.create-destinations=false",
                "--millwright.ot.enabled=false",
                "--management.health.jms.enabled=false");
    }

    private static int status(ConfigurableApplicationContext context, String user, String password) throws Exception {
        String port = context.getEnvironment().getProperty("local.server.port");
        String credentials = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/info"))
                .header("Authorization", "Basic " + credentials).GET().build(), BodyHandlers.discarding()).statusCode();
    }

    private static int occurrences(String text, String needle) {
        int count = 0;
        for (int at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
            count++;
        }
        return count;
    }
}
