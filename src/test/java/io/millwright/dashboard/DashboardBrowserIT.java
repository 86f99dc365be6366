package io.millwright.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.millwright.MillwrightApplication;
import io.millwright.model.Endpoints;
import io.millwright.model.EventEnvelope;
import io.millwright.model.EventType;
import io.millwright.model.OrderOperationEvent;
import io.millwright.testsupport.FreePorts;
import io.millwright.testsupport.HubTestProperties;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.slf4j.LoggerFactory;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The dashboard as a person uses it, in a real browser (Debian's headless Chromium through
 * chromedriver): the whole hub on its embedded defaults with the simulated plant, random ports; the
 * viewer logs in through the form, sees every machine of the plant with its state in words, and sees
 * a state change arrive by server-sent events. Prints the page's load time and the event-to-screen
 * latency (the hub's receive time of the event to the DOM update, one clock). Checks the phone width
 * (390 px, no horizontal scrolling) and, with {@code -Ddashboard.screenshots=docs/images}, writes
 * the README's screenshots. The hub runs with the connected-factory solution template, so the page
 * shows that template's panels only.
 */
class DashboardBrowserIT {

    static final String CHROMIUM = "/usr/bin/chromium";
    static final String CHROMEDRIVER = "/usr/bin/chromedriver";
    static final Set<String> PLANT = Set.of(
            "acme/springfield/assembly/line-1/machine-1", "acme/springfield/assembly/line-1/machine-2",
            "acme/springfield/assembly/line-1/machine-3", "acme/springfield/assembly/line-2/machine-1",
            "acme/springfield/assembly/line-2/machine-2", "acme/springfield/assembly/line-2/machine-3");
    static final String VIEWER_PASSWORD = "viewer-" + UUID.randomUUID();
    static final ObjectMapper JSON = new ObjectMapper();

    static ConfigurableApplicationContext hub;
    static String base;
    static WebDriver browser;
    static Path profile;
    static Path mappings;
    static com.sun.net.httpserver.HttpServer connectorStub;
    static final List<String> STUB_REQUESTS = new java.util.concurrent.CopyOnWriteArrayList<>();

    @BeforeAll
    static void startHubAndBrowser() throws Exception {
        Assumptions.assumeTrue(new File(CHROMIUM).canExecute() && new File(CHROMEDRIVER).canExecute(),
                "ASSUMPTION NOT MET: this test drives Debian's Chromium (" + CHROMIUM + ") through chromedriver (" + CHROMEDRIVER
                        + "); install them with: sudo apt-get install chromium chromium-driver");
        // a copy of mappings/, so that the connector test can add and edit a connector file while the hub runs
        mappings = Files.createTempDirectory("millwright-dashboard-mappings-");
        io.millwright.testsupport.TestFiles.copyTree(Path.of("mappings"), mappings);
        connectorStub = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", FreePorts.next()), 0);
        connectorStub.createContext("/scm", exchange -> {
            STUB_REQUESTS.add(exchange.getRequestURI().getPath() + " " + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        connectorStub.start();
        hub = new SpringApplicationBuilder(MillwrightApplication.class).run(
                "--server.port=0",
                "--millwright.mappings-dir=" + mappings,
                "--millwright.data-dir=" + HubTestProperties.newDataDir("dashboard"),
                "--millwright.sim.opcua.port=" + FreePorts.next(),
                // faster ticks so that machines change state within seconds; a fixed seed for the same plant each run
                "--millwright.sim.opcua.tick=100ms",
                "--millwright.sim.opcua.seed=12",
                "--millwright.sim.erp.port=" + FreePorts.next(),
                "--millwright.artemis.port=" + FreePorts.next(),
                "--millwright.kafka.port=" + FreePorts.next(),
                "--millwright.kafka.controller-port=" + FreePorts.next(),
                "--millwright.erp.confirmation-window=2s",
                "--millwright.security.admin-password=dash-admin-" + UUID.randomUUID(),
                "--millwright.security.viewer-password=" + VIEWER_PASSWORD,
                HubTestProperties.MES_PASSWORD_ARGUMENT,
                "--millwright.sim.erp.password=dash-erp-" + UUID.randomUUID(),
                // the one setting that switches the connected-factory template on (config/solutions/)
                "--millwright.solution=connected-factory");
        base = "http://127.0.0.1:" + hub.getEnvironment().getProperty("local.server.port");

        profile = Files.createTempDirectory("millwright-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--window-size=1280,900");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (hub != null) {
            hub.close();
        }
        if (connectorStub != null) {
            connectorStub.stop(0);
        }
        if (profile != null) {
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void viewerLogsInSeesEveryMachineAndALiveStateChange_onDesktopAndAtPhoneWidth() throws Exception {
        browser.get(base + "/dashboard");
        // not logged in: the browser is sent to the login form
        assertThat(browser.getCurrentUrl()).endsWith("/login");
        browser.findElement(By.id("username")).sendKeys("viewer");
        browser.findElement(By.id("password")).sendKeys(VIEWER_PASSWORD);
        browser.findElement(By.cssSelector("button[type=submit]")).click();
        // back where the viewer wanted to go (Spring Security appends ?continue to the saved request);
        // the click returns before the form's POST and redirect are done
        await("the dashboard after the login").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> assertThat(browser.getCurrentUrl()).contains("/dashboard").doesNotContain("/login"));

        await("every machine of the simulated plant with a state in words").atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> {
                    Map<String, String> shown = shownMachines();
                    assertThat(shown.keySet()).containsExactlyInAnyOrderElementsOf(PLANT);
                    assertThat(shown.values()).allMatch(state -> Set.of("RUNNING", "IDLE", "DOWN", "SETUP").contains(state));
                });
        // the state is said in words, not only in colour
        @SuppressWarnings("unchecked")
        List<List<String>> stateWords = (List<List<String>>) js("return [...document.querySelectorAll('article.machine')]"
                + ".map(card => [card.dataset.state, card.querySelector('.state').innerText]);");
        assertThat(stateWords).hasSize(PLANT.size()).allSatisfy(card -> assertThat(card.get(1)).containsIgnoringCase(card.get(0)));
        double loadMillis = number(js("const n = performance.getEntriesByType('navigation')[0]; return n.loadEventEnd - n.startTime;")).doubleValue();
        double snapshotMillis = number(js("return window.millwrightDashboard.snapshotShownAt;")).doubleValue();

        // a state change reaches the screen by server-sent events
        long changesBefore = number(js("return window.millwrightDashboard.stateChanges.filter(c => c.previousState).length;")).longValue();
        await("a machine's state change on the screen").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> number(js("return window.millwrightDashboard.stateChanges.filter(c => c.previousState).length;"))
                        .longValue() > changesBefore);
        @SuppressWarnings("unchecked")
        Map<String, Object> change = (Map<String, Object>) js(
                "return window.millwrightDashboard.stateChanges.filter(c => c.previousState).slice(-1)[0];");
        Object shownState = js("return document.querySelector(\"article.machine[data-path='" + change.get("path") + "']\").dataset.state;");
        assertThat(shownState).isEqualTo(change.get("state"));
        assertThat(browser.findElement(By.id("announcer")).getAttribute("textContent")).isNotBlank();

        // a few more changes for the latency figures (bounded: what arrives in 20 s)
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500)).until(() ->
                number(js("return window.millwrightDashboard.stateChanges.filter(c => c.previousState).length;")).longValue()
                        >= changesBefore + 5);
        @SuppressWarnings("unchecked")
        List<Number> latencies = (List<Number>) js(
                "return window.millwrightDashboard.stateChanges.filter(c => c.previousState).map(c => c.latencyMs);");
        List<Long> sorted = latencies.stream().map(Number::longValue).sorted().toList();
        assertThat(sorted).isNotEmpty().allMatch(ms -> ms >= 0 && ms < 10_000);
        System.out.printf("DASHBOARD page load %.0f ms (navigation to load event), snapshot on screen %.0f ms after navigation; "
                + "event-to-screen latency over %d state changes: min %d ms, median %d ms, max %d ms; load average %s%n",
                loadMillis, snapshotMillis, sorted.size(), sorted.get(0), sorted.get(sorted.size() / 2), sorted.get(sorted.size() - 1),
                Files.readString(Path.of("/proc/loadavg")).trim());

        // connected-factory uses the plant, OEE, ERP and outcomes panels; the alerts and connection
        // health panels are hidden, the maturity always shows
        await("the template's panels").atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(js("return window.millwrightDashboard.panelsShown;"))
                        .isEqualTo(List.of("plant", "oee", "erp", "outcomes", "maturity")));
        assertThat(browser.findElement(By.id("alerts-panel")).isDisplayed()).isFalse();
        assertThat(browser.findElement(By.id("health-panel")).isDisplayed()).isFalse();
        assertThat(browser.findElement(By.id("solutions")).getText()).contains("connected-factory");
        // the panels that poll: ERP backlog, maturity with five dimensions; the hidden health panel is still
        // filled (the same page serves every template) but not shown
        await("ERP and maturity panels").atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(browser.findElement(By.id("erp-panel")).isDisplayed()).isTrue();
            assertThat(browser.findElement(By.id("erp-backlog")).getText()).startsWith("Backlog:");
            assertThat(browser.findElement(By.id("connections")).getAttribute("textContent")).contains("OPC UA plant-sim: connected");
            assertThat(browser.findElements(By.cssSelector("#maturity > li"))).hasSize(5);
        });
        screenshot("dashboard-desktop.png");

        // keyboard: the first tab stop is the skip link to the machines
        browser.findElement(By.tagName("body")).sendKeys(Keys.TAB);
        assertThat(browser.switchTo().activeElement().getText()).isEqualTo("Skip to the machines");

        // a phone: 390 px wide, nothing to scroll sideways
        browser.manage().window().setSize(new Dimension(390, 844));
        browser.navigate().refresh();
        await("the plant at phone width").atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(shownMachines().keySet()).containsExactlyInAnyOrderElementsOf(PLANT));
        long innerWidth = number(js("return window.innerWidth;")).longValue();
        long scrollWidth = number(js("return document.scrollingElement.scrollWidth;")).longValue();
        assertThat(innerWidth).as("viewport width").isLessThanOrEqualTo(400);
        assertThat(scrollWidth).as("page width at %d px (horizontal scrolling if larger)", innerWidth).isLessThanOrEqualTo(innerWidth);
        screenshot("dashboard-phone.png");
    }

    // "Each template started by one setting": this hub runs with millwright.solution=connected-factory;
    // its settings are on, its flow from config/solutions/connected-factory/routes/ runs at layer 5 and
    // says a completed order in the log, its rules file is added, and the API names its panels
    @Test
    void connectedFactoryTemplate_switchedOnByOneSetting() throws Exception {
        assertThat(hub.getEnvironment().getProperty("millwright.erp.final-confirmation.on-order-completed")).isEqualTo("true");
        assertThat(hub.getEnvironment().getProperty("millwright.analytics.kpi.enabled")).isEqualTo("true");
        assertThat(hub.getEnvironment().getProperty("millwright.alerting.additional-rules-files[0]"))
                .isEqualTo(Path.of("config/solutions/connected-factory/alert-rules.yaml").toString());
        CamelContext camel = hub.getBean(CamelContext.class);
        assertThat(camel.getRouteController().getRouteStatus("cf-order-completed-notice")).isEqualTo(ServiceStatus.Started);
        assertThat(camel.getRoute("cf-order-completed-notice").getProperties())
                .containsEntry("layer", "5").containsEntry("outcome", "throughput");

        Logger logger = (Logger) LoggerFactory.getLogger("io.millwright.flows.cf-order-completed-notice");
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        logger.addAppender(lines);
        try {
            Instant end = Instant.now();
            camel.createProducerTemplate().sendBody(Endpoints.EVENT_FEED, List.of(EventEnvelope.of(EventType.ORDER_COMPLETED,
                    "millwright://test", "acme/springfield/assembly/line-1/machine-1", end, null,
                    new OrderOperationEvent("CF-4711", "0020", "test", end.minusSeconds(60), end, null))));
            await("the completed order in the log").atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(lines.list).extracting(ILoggingEvent::getFormattedMessage)
                            .contains("Order completed order=CF-4711 operation=0020 workUnit=acme/springfield/assembly/line-1/machine-1"));
        } finally {
            logger.detachAppender(lines);
        }

        JsonNode active = JSON.readTree(get(HttpClient.newHttpClient(), "/api/solutions", true).body()).path("active");
        assertThat(active).hasSize(1);
        assertThat(active.get(0).path("name").asText()).isEqualTo("connected-factory");
        assertThat(active.get(0).path("panels").toString()).isEqualTo("[\"plant\",\"oee\",\"erp\",\"outcomes\"]");
        assertThat(active.get(0).path("routes").asText()).endsWith("connected-factory/routes");
    }

    // a connector file added, then edited, while the whole hub runs (simulated plant, embedded Kafka):
    // the production counts reach the stub within seconds, then at the edited URL; a broken edit keeps
    // the running version, and GET /api/connectors says which file, key and why
    @Test
    void connectorFileAddedAndEditedWhileTheHubRuns_takesEffectWithinSeconds() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String stub = "http://127.0.0.1:" + connectorStub.getAddress().getPort();
        Files.writeString(mappings.resolve("transform/connectors/it-scm.jsonata"), "{ \"order\": data.orderId, \"quantity\": data.delta }");
        Path file = mappings.resolve("connectors/it-scm.yaml");
        String v1 = """
                system: SCM
                outcome: cost
                on: [production-count]
                mapping: transform/connectors/it-scm.jsonata
                request:
                  url: %s/scm/v1
                """.formatted(stub);
        long added = System.nanoTime();
        Files.writeString(file, v1);
        await("counts at the added connector's URL").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> STUB_REQUESTS.stream().anyMatch(r -> r.startsWith("/scm/v1 ")));
        long addedMillis = (System.nanoTime() - added) / 1_000_000;
        assertThat(STUB_REQUESTS.stream().filter(r -> r.startsWith("/scm/v1 ")).findFirst().orElseThrow()).contains("\"quantity\"");

        long edited = System.nanoTime();
        Files.writeString(file, v1.replace("/scm/v1", "/scm/v2"));
        await("counts at the edited URL").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> STUB_REQUESTS.stream().anyMatch(r -> r.startsWith("/scm/v2 ")));
        long editedMillis = (System.nanoTime() - edited) / 1_000_000;
        JsonNode running = connector(http, "it-scm");
        assertThat(running.path("version").asInt()).isEqualTo(2);
        assertThat(running.path("state").asText()).isEqualTo("running");

        Files.writeString(file, v1.replace("/scm/v1", "/scm/v2") + "retries: 3\n");
        await("the broken edit shown").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> connector(http, "it-scm").has("rejectedChange"));
        JsonNode kept = connector(http, "it-scm");
        assertThat(kept.path("rejectedChange").asText()).contains("key=retries").contains("unknown key");
        assertThat(kept.path("version").asInt()).as("the running version is kept").isEqualTo(2);
        int before = (int) STUB_REQUESTS.stream().filter(r -> r.startsWith("/scm/v2 ")).count();
        await("the running version still delivers").atMost(Duration.ofSeconds(30))
                .until(() -> STUB_REQUESTS.stream().filter(r -> r.startsWith("/scm/v2 ")).count() > before);
        System.out.printf("CONNECTOR hot reload in the running hub: file added to first request %d ms, edit to first request "
                + "at the new URL %d ms (debounce 500ms, includes the Kafka consumer's partition assignment)%n", addedMillis, editedMillis);
    }

    private static JsonNode connector(HttpClient http, String name) throws Exception {
        for (JsonNode connector : JSON.readTree(get(http, "/api/connectors", true).body()).path("connectors")) {
            if (name.equals(connector.path("name").asText())) {
                return connector;
            }
        }
        throw new AssertionError("connector " + name + " not in GET /api/connectors");
    }

    @Test
    void assetFeedAndMaturityAnswerTheViewer_andNobodyWithoutLogin() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        await("every machine in the asset feed with its state").atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
            JsonNode assets = JSON.readTree(get(http, "/api/assets/states", true).body()).path("assets");
            List<String> withState = new ArrayList<>();
            assets.forEach(asset -> {
                if (!asset.path("state").isNull()) {
                    withState.add(asset.path("path").asText());
                }
            });
            assertThat(withState).containsExactlyInAnyOrderElementsOf(PLANT);
        });
        JsonNode assets = JSON.readTree(get(http, "/api/assets/states", true).body()).path("assets");
        JsonNode machine = find(assets, "acme/springfield/assembly/line-2/machine-3");
        // the position is the registry's (mappings/assets.yaml)
        assertThat(machine.path("position").path("x").asDouble()).isEqualTo(12.0);
        assertThat(machine.path("position").path("y").asDouble()).isEqualTo(8.0);
        assertThat(machine.path("line").asText()).isEqualTo("acme/springfield/assembly/line-2");

        JsonNode maturity = JSON.readTree(get(http, "/api/maturity", true).body());
        List<String> names = new ArrayList<>();
        maturity.path("dimensions").forEach(d -> {
            names.add(d.path("name").asText());
            assertThat(d.path("score").asInt()).isBetween(0, 5);
            assertThat(d.path("evidence")).isNotEmpty();
            assertThat(d.path("nextStep").asText()).isNotBlank();
        });
        assertThat(names).containsExactly("connectivity readiness", "integration maturity", "analytics capability",
                "system convergence", "digital user experience");
        // the simulated plant's connection is up but uses security policy None: scored 3, next step says secure it
        JsonNode connectivity = maturity.path("dimensions").get(0);
        assertThat(connectivity.path("score").asInt()).isEqualTo(3);
        assertThat(connectivity.path("nextStep").asText()).contains("Secure");

        assertThat(get(http, "/api/dashboard", false).statusCode()).isEqualTo(401);
        assertThat(get(http, "/api/assets/states", false).statusCode()).isEqualTo(401);
        assertThat(get(http, "/api/maturity", false).statusCode()).isEqualTo(401);
    }

    private static HttpResponse<String> get(HttpClient http, String path, boolean asViewer) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).header("Accept", "application/json");
        if (asViewer) {
            request.header("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString(("viewer:" + VIEWER_PASSWORD).getBytes(StandardCharsets.UTF_8)));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode find(JsonNode assets, String path) {
        for (JsonNode asset : assets) {
            if (asset.path("path").asText().equals(path)) {
                return asset;
            }
        }
        throw new AssertionError("asset " + path + " not in the feed: " + assets);
    }

    /** Machine cards on screen, path -> state, read in one script (the page re-renders cards as events arrive). */
    @SuppressWarnings("unchecked")
    private static Map<String, String> shownMachines() {
        List<List<String>> cards = (List<List<String>>) js("return [...document.querySelectorAll('article.machine')]"
                + ".filter(card => card.offsetParent !== null).map(card => [card.dataset.path, card.dataset.state]);");
        return cards.stream().collect(Collectors.toMap(card -> card.get(0), card -> card.get(1), (a, b) -> a));
    }

    private static Object js(String script) {
        return ((JavascriptExecutor) browser).executeScript(script);
    }

    private static Number number(Object value) {
        return value == null ? Double.NaN : (Number) value;
    }

    /** Writes a screenshot into the folder named by -Ddashboard.screenshots (e.g. docs/images), if set. */
    private static void screenshot(String name) throws Exception {
        String folder = System.getProperty("dashboard.screenshots");
        if (folder == null || folder.isBlank()) {
            return;
        }
        File shot = ((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Path target = Files.createDirectories(Path.of(folder)).resolve(name);
        Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
        System.out.println("DASHBOARD screenshot " + target.toAbsolutePath());
    }
}
