package io.millwright.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.slf4j.LoggerFactory;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.millwright.testsupport.FreePorts;
import io.millwright.testsupport.OidcTestProvider;

/**
 * The hub with an external OpenID provider, a real one (npm {@code oidc-provider}, see
 * {@link OidcTestProvider}) configured as a site configures Keycloak: roles in
 * {@code realm_access.roles}, named {@code plant-<role>}, mapped to the hub's roles. API clients
 * send the provider's access tokens as bearer JWTs; a person logs in through the browser
 * (authorization code with PKCE; the provider refuses a code request without PKCE). The local
 * users keep working beside it (the inherited {@link SecuredHubTest} logins).
 */
class OidcProviderTest extends SecuredHubTest {

    static final String CHROMIUM = "/usr/bin/chromium";
    static final String CHROMEDRIVER = "/usr/bin/chromedriver";
    static final String EXEC_GC = "{\"type\":\"exec\",\"mbean\":\"java.lang:type=Memory\",\"operation\":\"gc\"}";
    static final String READ_HEAP = "{\"type\":\"read\",\"mbean\":\"java.lang:type=Memory\",\"attribute\":\"HeapMemoryUsage\"}";

    static OidcTestProvider provider;
    static OidcTestProvider otherProvider;

    private final ObjectMapper json = new ObjectMapper();

    @DynamicPropertySource
    static void oidc(DynamicPropertyRegistry registry) throws Exception {
        int hubPort = FreePorts.next(); // before the context: the provider knows the hub's redirect URI
        provider = OidcTestProvider.start("http://127.0.0.1:" + hubPort + "/login/oauth2/code/oidc");
        registry.add("server.port", () -> hubPort);
        registry.add("millwright.security.oidc.enabled", () -> "true");
        registry.add("millwright.security.oidc.issuer-uri", provider::issuer);
        registry.add("millwright.security.oidc.client-id", () -> OidcTestProvider.CLIENT_ID);
        registry.add("millwright.security.oidc.client-secret", () -> OidcTestProvider.CLIENT_SECRET);
        registry.add("millwright.security.oidc.role-claim", () -> "realm_access.roles");
        for (String role : List.of("viewer", "operator", "integrator", "admin")) {
            registry.add("millwright.security.oidc.role-mapping.plant-" + role, () -> role);
        }
        registry.add("millwright.security.oidc.scopes", () -> "openid,profile,roles");
        registry.add("millwright.security.oidc.audiences", () -> "millwright");
        // the short-lived token expires within a second, not a minute later
        registry.add("millwright.security.oidc.clock-skew", () -> "0s");
    }

    @AfterAll
    static void stopProviders() throws Exception {
        if (provider != null) {
            provider.close();
        }
        if (otherProvider != null) {
            otherProvider.close();
        }
    }

    @Test
    void viewerTokenReadsButCannotResubmit() throws Exception {
        String token = provider.token("viewer-bot");

        assertThat(bearer("GET", "/api/dead-letters", token, null).statusCode()).isEqualTo(200);
        assertThat(bearer("POST", "/api/dead-letters/1/resubmit", token, "{}").statusCode()).isEqualTo(403);
    }

    @Test
    void operatorTokenResubmits_andAuditLogNamesTheOidcSubject() throws Exception {
        String token = provider.token("operator-bot");
        Logger audit = (Logger) LoggerFactory.getLogger(AuditLog.LOGGER_NAME);
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        audit.addAppender(lines);
        HttpResponse<String> response;
        try {
            response = bearer("POST", "/api/dead-letters/1/resubmit", token, "{}");
        } finally {
            audit.detachAppender(lines);
        }

        // let through: no dead letter 1 exists, so the API answers, but not 401 or 403
        assertThat(response.statusCode()).as(response.body()).isNotIn(401, 403);
        assertThat(lines.list).extracting(ILoggingEvent::getFormattedMessage)
                .anySatisfy(line -> assertThat(line)
                        .contains("user=operator-bot oidc-sub=operator-bot")
                        .contains("action=POST /api/dead-letters/1/resubmit"));
    }

    @Test
    void integratorTokenEditsConnections_operatorTokenCannot() throws Exception {
        assertThat(bearer("POST", "/api/connections", provider.token("operator-bot"), "{}").statusCode()).isEqualTo(403);
        assertThat(bearer("POST", "/api/connections", provider.token("integrator-bot"), "{}").statusCode())
                .isNotIn(401, 403);
    }

    @Test
    void tokenWithoutMappedRoleRefused() throws Exception {
        assertThat(bearer("GET", "/api/dead-letters", provider.token("nobody-bot"), null).statusCode()).isEqualTo(403);
    }

    @Test
    void noTokenOrForgedToken_401() throws Exception {
        assertThat(bearer("GET", "/api/dead-letters", null, null).statusCode()).isEqualTo(401);
        String token = provider.token("admin-bot");
        String[] parts = token.split("\\.");
        // the same header and signature over a payload that claims something else
        String forged = parts[0] + "." + parts[1].substring(0, parts[1].length() - 4) + "AAAA." + parts[2];
        assertThat(bearer("GET", "/api/dead-letters", forged, null).statusCode()).isEqualTo(401);
    }

    @Test
    void tokenOfAnotherIssuer_401() throws Exception {
        otherProvider = OidcTestProvider.start("http://127.0.0.1:1/unused");
        String foreign = otherProvider.token("admin-bot");

        HttpResponse<String> response = bearer("GET", "/api/dead-letters", foreign, null);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                challenge -> assertThat(challenge).startsWith("Bearer").contains("invalid_token")
                        .doesNotContain("typ")); // refused for its key or issuer, not for its form
        // control: the same kind of token from the configured provider is taken
        assertThat(bearer("GET", "/api/dead-letters", provider.token("admin-bot"), null).statusCode()).isEqualTo(200);
    }

    @Test
    void expiredToken_401() throws Exception {
        String token = provider.token("shortlived-bot"); // lives 1 s, and the hub allows no clock skew here

        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(250))
                .until(() -> bearer("GET", "/api/dead-letters", token, null).statusCode() == 401);
        HttpResponse<String> response = bearer("GET", "/api/dead-letters", token, null);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                challenge -> assertThat(challenge).contains("invalid_token").containsIgnoringCase("expired"));
    }

    @Test
    void jolokiaExecDeniedToOperatorToken_allowedToAdminToken() throws Exception {
        String operator = provider.token("operator-bot");
        String admin = provider.token("admin-bot");

        assertThat(jolokiaStatus(bearer("POST", "/actuator/jolokia", operator, READ_HEAP))).isEqualTo(200);
        assertThat(jolokiaStatus(bearer("POST", "/actuator/jolokia", operator, EXEC_GC))).isEqualTo(403);
        assertThat(jolokiaStatus(bearer("POST", "/actuator/jolokia", provider.token("viewer-bot"), EXEC_GC))).isEqualTo(403);
        assertThat(jolokiaStatus(bearer("POST", "/actuator/jolokia", admin, EXEC_GC))).isEqualTo(200);
    }

    @Test
    void localUsersKeepWorkingBesideTheProvider() throws Exception {
        assertThat(send("GET", "/api/dead-letters", "viewer", null).statusCode()).isEqualTo(200);
        assertThat(send("POST", "/api/dead-letters/1/resubmit", "viewer", "{}").statusCode()).isEqualTo(403);
        assertThat(send("GET", "/api/dead-letters", "viewer", "wrong", null).statusCode()).isEqualTo(401);
    }

    /**
     * A person logs in through the browser: Hawtio sends to the login page, which offers the
     * provider; the provider's login and consent; back in Hawtio with the operator role, which
     * resubmits but may not run a Jolokia exec (from the console's own session, with its CSRF token).
     */
    @Test
    void browserLoginAtProvider_operatorRolesApplyInHawtioAndApi() throws Exception {
        Assumptions.assumeTrue(new File(CHROMIUM).canExecute() && new File(CHROMEDRIVER).canExecute(),
                "ASSUMPTION NOT MET: this test drives Debian's Chromium (" + CHROMIUM + ") through chromedriver ("
                        + CHROMEDRIVER + "); install them with: sudo apt-get install chromium chromium-driver");
        Path profile = Files.createTempDirectory(Path.of("target"), "oidc-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile.toAbsolutePath(), "--window-size=1280,900");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
        WebDriver browser = new ChromeDriver(service, options);
        try {
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
            browser.get(uri("/actuator/hawtio/").toString());
            wait.until(ExpectedConditions.urlContains("/login"));
            browser.findElement(By.linkText("OpenID provider")).click();

            // the provider's login form, then its consent page
            wait.until(ExpectedConditions.urlContains(provider.issuer() + "/interaction/"));
            browser.findElement(By.name("login")).sendKeys("otto");
            browser.findElement(By.name("password")).sendKeys("any");
            browser.findElement(By.cssSelector("button[type=submit]")).click();
            By consent = By.cssSelector("input[name=prompt][value=consent]");
            wait.until(page -> page.getCurrentUrl().startsWith(uri("/").toString()) || !page.findElements(consent).isEmpty());
            if (!browser.findElements(consent).isEmpty()) {
                browser.findElement(By.cssSelector("button[type=submit]")).click();
            }

            wait.until(ExpectedConditions.urlContains(uri("/actuator/hawtio/").toString()));
            assertThat(browser.getPageSource()).containsIgnoringCase("hawtio");

            Map<String, Object> exec = fetch(browser, "/actuator/jolokia", EXEC_GC);
            Map<String, Object> read = fetch(browser, "/actuator/jolokia", READ_HEAP);
            Map<String, Object> resubmit = fetch(browser, "/api/dead-letters/1/resubmit", "{}");
            assertThat(read.get("http")).isEqualTo(200L);
            assertThat(json.readTree((String) read.get("body")).path("status").asInt()).isEqualTo(200);
            assertThat(json.readTree((String) exec.get("body")).path("status").asInt()).isEqualTo(403);
            assertThat(resubmit.get("http")).as("resubmit by the OIDC operator: %s", resubmit).isNotIn(401L, 403L);
        } finally {
            browser.quit();
        }
    }

    /** A POST from the page as Hawtio's console sends it: session cookie and the CSRF cookie's token. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> fetch(WebDriver browser, String path, String body) {
        return (Map<String, Object>) ((JavascriptExecutor) browser).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                const xsrf = (document.cookie.match(/XSRF-TOKEN=([^;]+)/) || [])[1] || '';
                fetch(arguments[0], {method: 'POST', credentials: 'same-origin',
                        headers: {'Content-Type': 'application/json', 'X-XSRF-TOKEN': decodeURIComponent(xsrf)},
                        body: arguments[1]})
                    .then(r => r.text().then(t => done({http: r.status, body: t})))
                    .catch(e => done({http: -1, body: String(e)}));
                """, path, body);
    }

    private HttpResponse<String> bearer(String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? BodyPublishers.noBody() : BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return client.send(request.build(), BodyHandlers.ofString());
    }

    private int jolokiaStatus(HttpResponse<String> response) throws Exception {
        if (response.statusCode() != 200) {
            return response.statusCode();
        }
        JsonNode node = json.readTree(response.body());
        return node.path("status").asInt();
    }
}
