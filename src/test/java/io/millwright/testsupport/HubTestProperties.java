package io.millwright.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Shared settings for tests that start the hub's Spring context. */
public final class HubTestProperties {

    /**
     * The embedded Artemis broker's consumer user (security is on: anonymous clients are refused).
     * It may consume and create its own queues but never send; a test that must publish as the hub
     * uses the hub's own user from the running context ({@code spring.artemis.user} and
     * {@code spring.artemis.password}).
     */
    public static final String MES_USER = "mes";

    /** Its password in tests; pass {@link #MES_PASSWORD_ARGUMENT} (or the property) to the hub. */
    public static final String MES_PASSWORD = "test-mes-Pw-11";

    /** The property that sets {@link #MES_PASSWORD} on a hub started by a test. */
    public static final String MES_PASSWORD_PROPERTY = "millwright.artemis.mes-password=" + MES_PASSWORD;

    /** The same as a command-line argument for {@code SpringApplicationBuilder.run(..)}. */
    public static final String MES_PASSWORD_ARGUMENT = "--" + MES_PASSWORD_PROPERTY;

    /**
     * Kafka's address for a hub without its embedded broker whose test needs no Kafka: a port where
     * nothing listens (the hub refuses {@code millwright.kafka.embedded=false} without an address).
     */
    public static final String NO_KAFKA = "spring.kafka.bootstrap-servers=127.0.0.1:1";

    /** The same as a command-line argument for {@code SpringApplicationBuilder.run(..)}. */
    public static final String NO_KAFKA_ARGUMENT = "--" + NO_KAFKA;

    /*
     * Property sets for @SpringBootTest(properties = ...) and @TestPropertySource: each a text block of
     * key=value lines (Spring reads an inlined entry as a properties file), so a test class names the set
     * instead of repeating its keys.
     */

    /**
     * No embedded Kafka: its address where nothing listens ({@link #NO_KAFKA}), no destinations created,
     * and no consumer of it (the analytics side routes, alerting, the ERP's document notifications and
     * final confirmations): a consumer polling for a broker that is not there holds Camel's shutdown up
     * to its timeout, at JVM exit too.
     */
    public static final String WITHOUT_KAFKA = """
            millwright.kafka.embedded=false
            """ + NO_KAFKA + """

            millwright.mes.create-destinations=false
            millwright.analytics.lake.enabled=false
            millwright.analytics.rollups.enabled=false
            millwright.analytics.anomaly.enabled=false
            millwright.alerting.enabled=false
            millwright.erp.documents.notifications-enabled=false
            millwright.erp.final-confirmation.on-order-completed=false
            """;

    /** No embedded Artemis. */
    public static final String WITHOUT_ARTEMIS = "millwright.artemis.embedded=false";

    /** No plant: neither simulator (OPC UA plant, ERP) runs, and the OPC UA adapter is off. */
    public static final String WITHOUT_PLANT = """
            millwright.sim.opcua.enabled=false
            millwright.sim.erp.enabled=false
            millwright.ot.enabled=false
            """;

    /**
     * The hub's web layer alone: no broker (so no JMS health indicator, which would answer DOWN, 503), no
     * plant, HTTP on the loopback address.
     */
    public static final String WEB_ONLY = WITHOUT_PLANT + WITHOUT_ARTEMIS + "\n" + WITHOUT_KAFKA + """
            management.health.jms.enabled=false
            server.address=127.0.0.1
            """;

    private HubTestProperties() {}

    /**
     * {@link HubWithoutBrokers}' properties as command-line arguments, for a test that starts the hub
     * with {@code SpringApplicationBuilder.run(..)}, followed by the test's own {@code more}
     * ({@code --key=value}); a key in {@code more} replaces the fixture's (Spring joins a key given
     * twice on the command line with a comma instead of taking the last).
     */
    public static String[] withoutBrokers(String... more) {
        java.util.Set<String> overridden = new java.util.HashSet<>();
        for (String argument : more) {
            overridden.add(argument.substring(2, argument.contains("=") ? argument.indexOf('=') : argument.length()));
        }
        java.util.List<String> arguments = new java.util.ArrayList<>();
        for (String entry : HubWithoutBrokers.class.getAnnotation(
                org.springframework.test.context.TestPropertySource.class).properties()) {
            for (String property : entry.strip().split("\n")) {
                if (!overridden.contains(property.substring(0, property.indexOf('=')))) {
                    arguments.add("--" + property);
                }
            }
        }
        arguments.addAll(java.util.List.of(more));
        return arguments.toArray(String[]::new);
    }

    /** A fresh data directory under target/, so that each test context starts from an empty store. */
    public static String newDataDir(String name) {
        try {
            Path base = Files.createDirectories(Path.of("target", "test-data"));
            return Files.createTempDirectory(base, name + "-").toAbsolutePath().toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Copies the shipped JSON Schemas ({@code mappings/schemas/}) into a test's own mappings folder:
     * the hub reads its contracts (e.g. the dispatch schema) from the mappings folder it is given.
     */
    public static void copyShippedSchemas(Path mappingsDir) {
        Path shipped = Path.of("mappings", "schemas");
        try (Stream<Path> files = Files.list(shipped)) {
            Path target = Files.createDirectories(mappingsDir.resolve("schemas"));
            for (Path file : (Iterable<Path>) files::iterator) {
                Files.copy(file, target.resolve(file.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
