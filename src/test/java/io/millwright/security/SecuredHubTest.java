package io.millwright.security;

import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.HttpCookie;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.millwright.testsupport.HubTestProperties;

/**
 * The hub's web layer with every login set ({@code <user>} has password {@link #PASSWORD}
 * {@code + <user>}), no brokers, no plant. One Spring context shared by the tests that extend
 * this class (same configuration, so the test framework caches it).
 */
// tests switch metrics export (and so /actuator/prometheus) off unless asked
@AutoConfigureObservability(tracing = false)
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
        "millwright.security.admin-password=" + SecuredHubTest.PASSWORD + "admin",
        "millwright.security.viewer-password=" + SecuredHubTest.PASSWORD + "viewer",
        "millwright.security.operator-password=" + SecuredHubTest.PASSWORD + "operator",
        "millwright.security.integrator-password=" + SecuredHubTest.PASSWORD + "integrator",
        "millwright.security.analyst-password=" + SecuredHubTest.PASSWORD + "analyst",
        HubTestProperties.WEB_ONLY,
        // the log file is named before @DynamicPropertySource applies (logging starts first):
        // without this it would follow the default data dir into the repository's ./data/logs
        "logging.file.name=target/test-data/secured-hub-${random.uuid}/logs/millwright.log"})
abstract class SecuredHubTest {

    static final String PASSWORD = "role-test-Pw-";

    @DynamicPropertySource
    static void dataDir(DynamicPropertyRegistry registry) {
        String dir = HubTestProperties.newDataDir("secured-hub");
        registry.add("millwright.data-dir", () -> dir);
    }

    @LocalServerPort
    int port;

    final HttpClient client = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    /**
     * A browser-like client logged in through the form as {@code user}: requests carry the
     * session cookie and the CSRF token, and skip the password hash that HTTP Basic costs on
     * every request (for tests that send hundreds of requests).
     */
    Session login(String user) throws Exception {
        CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
        HttpClient browser = HttpClient.newBuilder().cookieHandler(cookies)
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
        Session session = new Session(browser, cookies);
        browser.send(HttpRequest.newBuilder(uri("/login")).GET().build(), BodyHandlers.discarding());
        HttpResponse<String> login = browser.send(HttpRequest.newBuilder(uri("/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-XSRF-TOKEN", session.xsrf())
                .POST(BodyPublishers.ofString("username=" + user + "&password=" + PASSWORD + user))
                .build(), BodyHandlers.ofString());
        if (login.statusCode() != 302 || login.headers().firstValue("Location").orElse("").contains("error")) {
            throw new AssertionError("form login of " + user + " failed: " + login.statusCode() + " " + login.headers());
        }
        return session;
    }

    final class Session {
        private final HttpClient browser;
        private final CookieManager cookies;

        private Session(HttpClient browser, CookieManager cookies) {
            this.browser = browser;
            this.cookies = cookies;
        }

        String xsrf() {
            return cookies.getCookieStore().getCookies().stream()
                    .filter(cookie -> cookie.getName().equals("XSRF-TOKEN"))
                    .map(HttpCookie::getValue)
                    .findFirst().orElse("");
        }

        HttpResponse<String> send(String method, String path, String body) throws Exception {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
                    .timeout(Duration.ofSeconds(30))
                    .header("X-XSRF-TOKEN", xsrf())
                    .method(method, body == null ? BodyPublishers.noBody() : BodyPublishers.ofString(body));
            if (body != null) {
                request.header("Content-Type", "application/json");
            }
            return browser.send(request.build(), BodyHandlers.ofString());
        }
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    HttpResponse<String> send(String method, String path, String user, String body) throws Exception {
        return send(method, path, user, user == null ? null : PASSWORD + user, body);
    }

    HttpResponse<String> send(String method, String path, String user, String password, String body)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? BodyPublishers.noBody() : BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (user != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
        return client.send(request.build(), BodyHandlers.ofString());
    }
}
