package io.millwright.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
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

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every management surface of the running hub refuses a request without the admin login and
 * serves it with the login; only health is open. Plain HTTP on a random port, as an operator's
 * curl or Hawtio's console would see it.
 */
// the hub of SecuredHubTest (one Spring context with the role tests): every login set, no brokers, no plant
class ManagementSecurityTest extends SecuredHubTest {

    static final String ADMIN_PASSWORD = PASSWORD + "admin";

    // /api/** has no controller in this capability yet: 404 with the login means "let through"
    @ParameterizedTest(name = "{0}: 401 anonymous, {1} as admin")
    @CsvSource({
            "/actuator,                                   200",
            "/actuator/info,                              200",
            "/actuator/metrics,                           200",
            "/actuator/camelroutes,                       200",
            "/actuator/hawtio/,                           200",
            "/actuator/hawtio/index.html,                 200",
            "/actuator/jolokia,                           200",
            "/actuator/jolokia/read/java.lang:type=Memory, 200",
            "/api/anything,                               404",
            "/api/tracking,                               200",
            "/v3/api-docs,                                200",
            "/swagger-ui/index.html,                      200",
            "/,                                           302"})
    void managementPathNeedsAdmin_whenRequestedWithoutCredentials(String path, int statusAsAdmin) throws Exception {
        HttpResponse<String> anonymous = get(path, null);
        HttpResponse<String> wrongPassword = get(path, basic("admin", "not-the-password"));
        HttpResponse<String> admin = get(path, basic("admin", ADMIN_PASSWORD));

        assertThat(anonymous.statusCode()).as("anonymous %s", path).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"Millwright\"");
        assertThat(wrongPassword.statusCode()).as("wrong password %s", path).isEqualTo(401);
        assertThat(admin.statusCode()).as("admin %s", path).isEqualTo(statusAsAdmin);
    }

    @Test
    void jolokiaReadsHeapAsAdmin_whenGetWithBasicCredentials() throws Exception {
        HttpResponse<String> response = get("/actuator/jolokia/read/java.lang:type=Memory", basic("admin", ADMIN_PASSWORD));

        assertThat(response.body()).contains("\"HeapMemoryUsage\"").contains("\"status\":200");
    }

    @Test
    void rootRedirectsToHawtio_whenAdmin() throws Exception {
        HttpResponse<String> response = get("/", basic("admin", ADMIN_PASSWORD));

        assertThat(response.headers().firstValue("Location")).hasValueSatisfying(
                location -> assertThat(location).endsWith("/actuator/hawtio/"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness"})
    void healthOpen_whenRequestedWithoutCredentials(String path) throws Exception {
        // the hub may still be starting its side routes when the first test runs: UP within a bound
        HttpResponse<String> response = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                .until(() -> get(path, null), r -> r.statusCode() != 503);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"status\":\"UP\"")
                // details are for the admin only
                .doesNotContain("components");
    }

    @Test
    void browserSentToLoginForm_whenNavigatingWithoutSession() throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(url("/actuator/hawtio/"))
                .header("Accept", "text/html,application/xhtml+xml").GET().build(), BodyHandlers.ofString());
        HttpResponse<String> form = get("/login", null);

        assertThat(response.statusCode()).isEqualTo(302);
        assertThat(response.headers().firstValue("Location")).hasValue(url("/login").toString());
        assertThat(form.statusCode()).isEqualTo(200);
        assertThat(form.body()).contains("name=\"username\"").contains("name=\"password\"");
    }

    // API and Jolokia clients authenticate every request; no CSRF token is asked of them
    @Test
    void jolokiaPostExecutes_whenBasicCredentialsWithoutCsrfToken() throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(url("/actuator/jolokia"))
                .header("Authorization", basic("admin", ADMIN_PASSWORD))
                .header("Content-Type", "application/json")
                .POST(BodyPublishers.ofString("{\"type\":\"read\",\"mbean\":\"java.lang:type=Runtime\",\"attribute\":\"Uptime\"}"))
                .build(), BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"status\":200");
    }

    @Test
    void jolokiaPostRefused_whenNoCredentials() throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(url("/actuator/jolokia"))
                .header("Content-Type", "application/json")
                .POST(BodyPublishers.ofString("{\"type\":\"version\"}"))
                .build(), BodyHandlers.ofString());

        assertThat(response.statusCode()).isIn(401, 403);
        assertThat(response.body()).doesNotContain("\"agent\"");
    }

    /**
     * What Hawtio's console does after the form login: POST to /actuator/hawtio/jolokia (forwarded
     * to /actuator/jolokia) with the session cookie and the XSRF-TOKEN cookie echoed in
     * X-XSRF-TOKEN. Without the header the same POST is a CSRF attempt and is refused
     * (hawtio#3226's 403 is the refusal a console without the header gets).
     */
    @Test
    void hawtioJolokiaPostWorks_whenSessionFromLoginFormAndCsrfHeaderFromCookie() throws Exception {
        CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
        HttpClient browser = HttpClient.newBuilder().cookieHandler(cookies)
                .followRedirects(HttpClient.Redirect.NEVER).build();

        browser.send(HttpRequest.newBuilder(url("/login")).GET().build(), BodyHandlers.ofString());
        HttpResponse<String> login = browser.send(HttpRequest.newBuilder(url("/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-XSRF-TOKEN", xsrfCookie(cookies))
                .POST(BodyPublishers.ofString("username=admin&password=" + ADMIN_PASSWORD))
                .build(), BodyHandlers.ofString());
        assertThat(login.statusCode()).isEqualTo(302);
        assertThat(login.headers().firstValue("Location")).hasValueSatisfying(
                location -> assertThat(location).doesNotContain("error"));

        HttpResponse<String> console = browser.send(HttpRequest.newBuilder(url("/actuator/hawtio/index.html"))
                .GET().build(), BodyHandlers.ofString());
        assertThat(console.statusCode()).isEqualTo(200);

        HttpRequest.Builder jolokiaPost = HttpRequest.newBuilder(url("/actuator/hawtio/jolokia/"))
                .header("Content-Type", "application/json")
                .POST(BodyPublishers.ofString("{\"type\":\"version\"}"));
        HttpResponse<String> withoutHeader = browser.send(jolokiaPost.copy().build(), BodyHandlers.ofString());
        HttpResponse<String> withHeader = browser.send(
                jolokiaPost.copy().header("X-XSRF-TOKEN", xsrfCookie(cookies)).build(), BodyHandlers.ofString());

        assertThat(withoutHeader.statusCode()).isEqualTo(403);
        assertThat(withHeader.statusCode()).isEqualTo(200);
        assertThat(withHeader.body()).contains("\"agent\"").contains("\"status\":200");
    }

    private static String xsrfCookie(CookieManager cookies) {
        return cookies.getCookieStore().getCookies().stream()
                .filter(cookie -> cookie.getName().equals("XSRF-TOKEN"))
                .map(HttpCookie::getValue)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no XSRF-TOKEN cookie in " + cookies.getCookieStore().getCookies()));
    }

    private HttpResponse<String> get(String path, String authorization) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(url(path)).GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return client.send(request.build(), BodyHandlers.ofString());
    }

    private URI url(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
