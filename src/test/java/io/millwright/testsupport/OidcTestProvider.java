package io.millwright.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A real OpenID provider for tests: npm's {@code oidc-provider} (panva's, OpenID Certified), run by
 * node with {@code src/test/resources/oidc/test-provider.mjs} on a free loopback port, its issuer
 * {@code http://localhost:<port>}, stopped by {@link #close()}. Installed into
 * {@code target/oidc-provider} on first use ({@link NpmTool}). No npm or
 * node, no pass: start-up fails saying so.
 *
 * <p>Its principals (see the script): machine clients {@code viewer-bot}, {@code operator-bot},
 * {@code integrator-bot}, {@code admin-bot}, {@code nobody-bot} (no role), {@code shortlived-bot}
 * (operator, tokens live 1 s), all with secret {@link #CLIENT_SECRET}, get JWT access tokens by the
 * client credentials grant ({@link #token}); the browser client {@code millwright} logs people in
 * ({@code vera} viewer, {@code otto} operator, {@code ada} admin; the provider's development login
 * form takes any password). Roles travel as {@code roles} and as Keycloak's
 * {@code realm_access.roles} with a {@code plant-} prefix.
 */
public final class OidcTestProvider implements AutoCloseable {

    public static final String PACKAGE = "oidc-provider@9.13.3";
    public static final String CLIENT_ID = "millwright";
    public static final String CLIENT_SECRET = "test-oidc-client-secret-0123456789-abcdefghij";
    static final Path INSTALL_DIR = Path.of("target", "oidc-provider").toAbsolutePath();

    private final NpmTool.Started process;
    private final int port;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();

    private OidcTestProvider(NpmTool.Started process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Installs oidc-provider if needed and starts it; {@code hubRedirectUri} is the hub's {@code /login/oauth2/code/oidc}. */
    public static OidcTestProvider start(String hubRedirectUri) throws IOException, InterruptedException {
        Files.createDirectories(INSTALL_DIR);
        // the script next to node_modules, so that node resolves 'oidc-provider' from there
        try (InputStream script = OidcTestProvider.class.getResourceAsStream("/oidc/test-provider.mjs")) {
            Files.copy(script, INSTALL_DIR.resolve("test-provider.mjs"), StandardCopyOption.REPLACE_EXISTING);
        }
        NpmTool.install(INSTALL_DIR, PACKAGE, "the OpenID provider of the tests");
        int port = FreePorts.next();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        String issuer = "http://localhost:" + port;
        // generous: node makes an RSA key at start, which takes seconds on a loaded 2-core machine at nice 15
        NpmTool.Started process = NpmTool.start("oidc-provider on " + issuer,
                List.of("node", INSTALL_DIR.resolve("test-provider.mjs").toString()), INSTALL_DIR,
                Map.of("PORT", String.valueOf(port), "HUB_REDIRECT_URI", hubRedirectUri, "CLIENT_SECRET", CLIENT_SECRET),
                INSTALL_DIR.resolve("provider-" + port + ".log"), Duration.ofSeconds(120), () -> answersDiscovery(http, issuer));
        return new OidcTestProvider(process, port);
    }

    /** {@code http://localhost:<port>}, as the tokens' {@code iss} says. */
    public String issuer() {
        return "http://localhost:" + port;
    }

    /** A JWT access token for the machine client {@code clientId} (client credentials grant). */
    public String token(String clientId) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(issuer() + "/token"))
                .header("Authorization", "Basic " + Base64.getEncoder()
                        .encodeToString((clientId + ":" + CLIENT_SECRET).getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&scope=api"))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("token for " + clientId + ": " + response.statusCode() + " " + response.body());
        }
        JsonNode body = json.readTree(response.body());
        return body.path("access_token").asText();
    }

    private static boolean answersDiscovery(HttpClient http, String issuer) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(issuer + "/.well-known/openid-configuration"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.close();
    }
}
