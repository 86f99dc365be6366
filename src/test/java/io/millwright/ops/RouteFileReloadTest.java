package io.millwright.ops;

import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.kamelet.springboot.KameletComponentAutoConfiguration;
import org.apache.camel.spring.boot.CamelAutoConfiguration;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The routes folder as an integrator uses it: files dropped, edited, broken and deleted while the
 * hub runs. Camel 4.17's own reload removes every route before a failed load; these tests pin
 * that a bad save here changes nothing that runs.
 */
@SpringBootTest(
        classes = {
            CamelAutoConfiguration.class, KameletComponentAutoConfiguration.class, RouteFilesConfiguration.class,
            RouteFileReloadTest.JavaRoutes.class
        },
        properties = {"logging.file.name=", "millwright.routes.reload-debounce=200ms", "camel.main.jmx-enabled=false"})
@ExtendWith(OutputCaptureExtension.class)
class RouteFileReloadTest {

    private static final Path ROUTES_DIR = createTempDir();
    /** A further folder (millwright.routes.additional-dirs), as a solution template's routes/ folder is. */
    private static final Path EXTRA_DIR = createTempDir();
    private static final Duration BOUND = ofSeconds(10);

    @Autowired
    CamelContext camelContext;

    @Autowired
    ProducerTemplate producer;

    @Autowired
    RouteFiles routeFiles;

    @DynamicPropertySource
    static void routesDir(DynamicPropertyRegistry registry) {
        // Files present before the hub starts: one good, one broken.
        write("ready-at-start.camel.yaml", echoRoute("ready-at-start", "ready"));
        write("broken-at-start.camel.yaml", "- route:\n    id: broken-at-start\n    from: [\n");
        registry.add("millwright.routes-dir", ROUTES_DIR::toString);
        writeTo(EXTRA_DIR, "extra-at-start.camel.yaml", echoRoute("extra-at-start", "extra"));
        registry.add("millwright.routes.additional-dirs[0]", EXTRA_DIR::toString);
        registry.add("camel.component.kamelet.location", () -> "file:" + kameletsDir());
    }

    @Configuration(proxyBeanMethods = false)
    static class JavaRoutes {
        @Bean
        RouteBuilder javaEcho() {
            return new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:java-echo").routeId("java-echo").setBody(constant("java"));
                }
            };
        }
    }

    @Nested
    class AtStartup {

        @Test
        void validFileRunsAndInvalidFileSkipped_whenPresentAtStart() {
            assertThat(producer.requestBody("direct:ready-at-start", "x", String.class)).isEqualTo("ready:x");
            RouteFileStatus broken = routeFiles.status("broken-at-start.camel.yaml").orElseThrow();
            assertThat(broken.routeIds()).isEmpty();
            assertThat(broken.lastError()).contains("broken-at-start.camel.yaml:4:");
            assertThat(camelContext.getRoute("broken-at-start")).isNull();
            assertThat(producer.requestBody("direct:java-echo", "x", String.class)).isEqualTo("java");
        }
    }

    @Nested
    class WhileRunning {

        @Test
        void routeLoadedAndProcessesMessages_whenValidFileDropped() {
            long written = System.nanoTime();
            write("dropped.camel.yaml", echoRoute("dropped", "v1"));

            await().atMost(BOUND).until(() -> isStarted("dropped"));
            System.out.printf("figure: file write to route started = %d ms (debounce 200ms)%n",
                    (System.nanoTime() - written) / 1_000_000);
            assertThat(producer.requestBody("direct:dropped", "x", String.class)).isEqualTo("v1:x");
            RouteFileStatus status = routeFiles.status("dropped.camel.yaml").orElseThrow();
            assertThat(status.routeIds()).containsExactly("dropped");
            assertThat(status.lastLoaded()).isNotNull();
            assertThat(status.lastError()).isNull();
        }

        @Test
        void routesReplaced_whenFileModified() {
            write("modified.camel.yaml", echoRoute("modified", "v1"));
            await().atMost(BOUND).until(() -> isStarted("modified"));
            assertThat(producer.requestBody("direct:modified", "x", String.class)).isEqualTo("v1:x");

            write("modified.camel.yaml", echoRoute("modified", "v2"));

            await().atMost(BOUND).untilAsserted(() ->
                    assertThat(producer.requestBody("direct:modified", "x", String.class)).isEqualTo("v2:x"));
            assertThat(routeFiles.status("modified.camel.yaml").orElseThrow().routeIds()).containsExactly("modified");
        }

        @Test
        void routesRemoved_whenFileDeleted() throws IOException {
            write("deleted.camel.yaml", echoRoute("deleted", "v1"));
            write("bystander.camel.yaml", echoRoute("bystander", "b"));
            await().atMost(BOUND).until(() -> isStarted("deleted") && isStarted("bystander"));

            Files.delete(ROUTES_DIR.resolve("deleted.camel.yaml"));

            // the loader removes the routes, then the file's status: wait for both
            await().atMost(BOUND).until(() -> camelContext.getRoute("deleted") == null
                    && routeFiles.status("deleted.camel.yaml").isEmpty());
            assertThat(producer.requestBody("direct:bystander", "x", String.class)).isEqualTo("b:x");
            assertThat(producer.requestBody("direct:java-echo", "x", String.class)).isEqualTo("java");
        }

        @Test
        void fileRejectedAndRoutesUnchanged_whenYamlSyntaxBroken(CapturedOutput output) {
            loadOwnAndNeighbour("syntax");

            // a quote opened on line 8 and never closed
            write("syntax.camel.yaml", echoRoute("syntax", "v2").replace("\"v2:${body}\"", "\"v2:${body}"));

            Path file = ROUTES_DIR.resolve("syntax.camel.yaml");
            await().atMost(BOUND).until(() -> output.getOut().contains("Route file rejected file=" + file + " line="));
            assertThat(output.getOut()).containsPattern("reason=while scanning a quoted scalar \\(from line 8, column \\d+\\)");
            assertThat(output.getOut()).contains("running routes unchanged (still running [syntax])");
            assertStillRunning("syntax");
        }

        @Test
        void fileRejectedAndRoutesUnchanged_whenEipKeyUnknown(CapturedOutput output) {
            loadOwnAndNeighbour("unknown-eip");

            write("unknown-eip.camel.yaml", echoRoute("unknown-eip", "v2").replace("- setBody:", "- sett-body:"));

            Path file = ROUTES_DIR.resolve("unknown-eip.camel.yaml");
            await().atMost(BOUND).until(() -> output.getOut().contains("Route file rejected file=" + file + " line="));
            assertThat(output.getOut()).containsPattern("reason=.*sett-body");
            assertThat(routeFiles.status("unknown-eip.camel.yaml").orElseThrow().lastError()).contains("sett-body");
            assertStillRunning("unknown-eip");
        }

        @Test
        void fileRejectedAndRoutesUnchanged_whenEndpointOptionUnknown(CapturedOutput output) {
            loadOwnAndNeighbour("bad-option");

            write("bad-option.camel.yaml", echoRoute("bad-option", "v2").replace("uri: mock:bad-option",
                    "uri: log:bad-option\n            parameters:\n              showAlll: true"));

            await().atMost(BOUND).until(() -> output.getOut().contains("unknown option 'showAlll' for component 'log'"));
            assertStillRunning("bad-option");
        }

        @Test
        void previousVersionRestored_whenNewVersionFailsToStart(CapturedOutput output) {
            loadOwnAndNeighbour("fails-start");

            // valid YAML and model; the simple expression only fails to compile when the route is created
            write("fails-start.camel.yaml", echoRoute("fails-start", "v2").replace("\"v2:${body}\"", "\"v2:${body\""));

            await().atMost(BOUND).until(() -> output.getOut().contains("reason=route 'fails-start' failed to start"));
            assertThat(routeFiles.status("fails-start.camel.yaml").orElseThrow().routeIds())
                    .containsExactly("fails-start");
            assertStillRunning("fails-start");
        }

        @Test
        void fileRejectedAndOwnerUntouched_whenRouteIdOwnedByAnotherFile(CapturedOutput output) {
            write("owner.camel.yaml", echoRoute("owner", "owner"));
            await().atMost(BOUND).until(() -> isStarted("owner"));

            write("intruder.camel.yaml", echoRoute("owner", "intruder").replace("direct:owner", "direct:intruder"));

            await().atMost(BOUND).until(() -> output.getOut().contains("route id 'owner' is already used by "
                    + ROUTES_DIR.resolve("owner.camel.yaml")));
            assertThat(producer.requestBody("direct:owner", "x", String.class)).isEqualTo("owner:x");
            assertThat(camelContext.hasEndpoint("direct:intruder")).isNull();
            assertThat(routeFiles.status("owner.camel.yaml").orElseThrow().routeIds()).containsExactly("owner");
            assertThat(routeFiles.status("intruder.camel.yaml").orElseThrow().routeIds()).isEmpty();
        }

        @Test
        void fileRejectedAndJavaRouteUntouched_whenRouteIdOwnedByJavaRoute(CapturedOutput output) {
            write("java-clash.camel.yaml", echoRoute("java-echo", "yaml").replace("direct:java-echo", "direct:clash"));

            await().atMost(BOUND).until(() -> output.getOut().contains("route id 'java-echo' is already used by "
                    + "a route of the hub not loaded from the routes folder"));
            assertThat(producer.requestBody("direct:java-echo", "x", String.class)).isEqualTo("java");
        }

        // A Kamelet creates a route of its own for the flow that uses it; a reload must not leak it.
        @Test
        void kameletRoutesReplacedAndRemoved_withTheFileThatUsesThem() throws IOException {
            String flow = echoRoute("kamelet-user", "v1").replace("uri: mock:kamelet-user", "uri: kamelet:shout-action");
            write("kamelet-user.camel.yaml", flow);
            await().atMost(BOUND).until(() -> isStarted("kamelet-user"));
            assertThat(producer.requestBody("direct:kamelet-user", "x", String.class)).isEqualTo("V1:X");
            assertThat(kameletRouteIds()).hasSize(1);

            write("kamelet-user.camel.yaml", flow.replace("v1:", "v2:"));
            await().atMost(BOUND).untilAsserted(() ->
                    assertThat(producer.requestBody("direct:kamelet-user", "x", String.class)).isEqualTo("V2:X"));
            assertThat(kameletRouteIds()).hasSize(1);

            Files.delete(ROUTES_DIR.resolve("kamelet-user.camel.yaml"));
            await().atMost(BOUND).until(() -> camelContext.getRoute("kamelet-user") == null);
            assertThat(kameletRouteIds()).isEmpty();
        }

        private List<String> kameletRouteIds() {
            return camelContext.getRoutes().stream().map(Route::getRouteId)
                    .filter(id -> id.startsWith("shout-action")).toList();
        }

        /** Loads {@code <id>.camel.yaml} (v1) and a neighbour file, and waits until both run. */
        private void loadOwnAndNeighbour(String id) {
            write(id + ".camel.yaml", echoRoute(id, "v1"));
            write(id + "-neighbour.camel.yaml", echoRoute(id + "-neighbour", "n"));
            await().atMost(BOUND).until(() -> isStarted(id) && isStarted(id + "-neighbour"));
        }

        /** The file's earlier version, its neighbour and the Java route all run and answer as before. */
        private void assertStillRunning(String id) {
            assertThat(isStarted(id)).as("route %s still started", id).isTrue();
            assertThat(producer.requestBody("direct:" + id, "x", String.class)).isEqualTo("v1:x");
            assertThat(producer.requestBody("direct:" + id + "-neighbour", "x", String.class)).isEqualTo("n:x");
            assertThat(producer.requestBody("direct:java-echo", "x", String.class)).isEqualTo("java");
            RouteFileStatus status = routeFiles.status(id + ".camel.yaml").orElseThrow();
            assertThat(status.routeIds()).containsExactly(id);
            assertThat(status.isRejected()).isTrue();
        }
    }

    // a template's routes/ folder: loaded at start and watched like the routes folder, with the same
    // checks; a file there cannot take a route id a file of the routes folder owns
    @Nested
    class FurtherFolder {

        @Test
        void loadedAtStart_editedWhileRunning_andCannotTakeARouteIdOfTheRoutesFolder(CapturedOutput output) {
            assertThat(routeFiles.additionalDirectories()).containsExactly(EXTRA_DIR);
            assertThat(producer.requestBody("direct:extra-at-start", "x", String.class)).isEqualTo("extra:x");
            assertThat(routeFiles.statuses(EXTRA_DIR)).singleElement()
                    .satisfies(st -> assertThat(st.routeIds()).containsExactly("extra-at-start"));

            writeTo(EXTRA_DIR, "extra-at-start.camel.yaml", echoRoute("extra-at-start", "extra-v2"));
            await().atMost(BOUND).untilAsserted(() ->
                    assertThat(producer.requestBody("direct:extra-at-start", "x", String.class)).isEqualTo("extra-v2:x"));

            write("folder-owner.camel.yaml", echoRoute("folder-owner", "owner"));
            await().atMost(BOUND).until(() -> isStarted("folder-owner"));
            writeTo(EXTRA_DIR, "clash.camel.yaml", echoRoute("folder-owner", "intruder").replace("direct:folder-owner", "direct:clash"));
            // the reason names the other folder's file that owns the id
            String reason = "route id 'folder-owner' is already used by " + ROUTES_DIR.resolve("folder-owner.camel.yaml");
            await().atMost(BOUND).until(() -> output.getOut().contains(reason));
            assertThat(producer.requestBody("direct:folder-owner", "x", String.class)).isEqualTo("owner:x");
            assertThat(routeFiles.statuses(EXTRA_DIR)).filteredOn(st -> st.file().endsWith("clash.camel.yaml"))
                    .singleElement().satisfies(st -> {
                        assertThat(st.routeIds()).isEmpty();
                        assertThat(st.lastError()).contains(reason);
                    });
        }
    }

    private boolean isStarted(String routeId) {
        return camelContext.getRoute(routeId) != null
                && camelContext.getRouteController().getRouteStatus(routeId) == ServiceStatus.Started;
    }

    /** A flow answering {@code <label>:<body>} on {@code direct:<id>}, copied to {@code mock:<id>}. */
    static String echoRoute(String id, String label) {
        return """
                - route:
                    id: %1$s
                    description: Test flow answering with its label
                    from:
                      uri: direct:%1$s
                      steps:
                        - setBody:
                            simple: "%2$s:${body}"
                        - to:
                            uri: mock:%1$s
                """.formatted(id, label);
    }

    static void write(String name, String content) {
        writeTo(ROUTES_DIR, name, content);
    }

    static void writeTo(Path dir, String name, String content) {
        try {
            Path target = dir.resolve(name);
            Files.writeString(target, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path kameletsDir() {
        try {
            Path dir = Files.createDirectories(ROUTES_DIR.resolveSibling(ROUTES_DIR.getFileName() + "-kamelets"));
            Files.writeString(dir.resolve("shout-action.kamelet.yaml"), """
                    apiVersion: camel.apache.org/v1
                    kind: Kamelet
                    metadata:
                      name: shout-action
                      labels:
                        camel.apache.org/kamelet.type: action
                    spec:
                      definition:
                        title: Shout
                        description: Upper-cases the body
                      template:
                        from:
                          uri: kamelet:source
                          steps:
                            - setBody:
                                simple: "${body.toUpperCase()}"
                    """);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path createTempDir() {
        try {
            return Files.createTempDirectory("millwright-routes-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
