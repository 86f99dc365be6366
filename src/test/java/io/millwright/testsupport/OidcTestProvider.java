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
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A real OpenID provider for tests: npm's {@code oidc-provider} (panva's, OpenID Certified), run by
 * node with {@code src/test/resources/oidc/test-provider.mjs} on a free loopback port, its issuer
 * {@code http://localhost:<port>}, stopped by {@link #close()}. Installed into
 * {@code target/oidc-provider} on first use (as {@link S3CompatibleServer} installs s3rver). No npm or
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

    private final Process process;
    private final int port;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();

    private OidcTestProvider(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Installs oidc-provider if needed and starts it; {@code hubRedirectUri} is the hub's {@code /login/oauth2/code/oidc}. */
    public static OidcTestProvider start(String hubRedirectUri) throws IOException, InterruptedException {
        install();
        int port = FreePorts.next();
        Path log = INSTALL_DIR.resolve("provider-" + port + ".log");
        ProcessBuilder builder = new ProcessBuilder(List.of("node", INSTALL_DIR.resolve("test-provider.mjs").toString()))
                .directory(INSTALL_DIR.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("PORT", String.valueOf(port));
        builder.environment().put("HUB_REDIRECT_URI", hubRedirectUri);
        builder.environment().put("CLIENT_SECRET", CLIENT_SECRET);
        OidcTestProvider provider = new OidcTestProvider(builder.start(), port);
        // generous: node makes an RSA key at start, which takes seconds on a loaded 2-core machine at nice 15
        Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
        while (!provider.answersDiscovery()) {
            if (!provider.process.isAlive() || Instant.now().isAfter(deadline)) {
                provider.process.destroyForcibly();
                throw new IllegalStateException("oidc-provider did not answer on " + provider.issuer() + " within 120 s; its log: "
                        + Files.readString(log));
            }
            provider.process.waitFor(100, TimeUnit.MILLISECONDS); // a bounded wait that ends early if the provider dies
        }
        return provider;
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

    private boolean answersDiscovery() {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(issuer() + "/.well-known/openid-configuration"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void install() throws IOException, InterruptedException {
        Files.createDirectories(INSTALL_DIR);
        // the script next to node_modules, so that node resolves 'oidc-provider' from there
        try (InputStream script = OidcTestProvider.class.getResourceAsStream("/oidc/test-provider.mjs")) {
            Files.copy(script, INSTALL_DIR.resolve("test-provider.mjs"), StandardCopyOption.REPLACE_EXISTING);
        }
        if (Files.exists(INSTALL_DIR.resolve("node_modules/oidc-provider/package.json"))) {
            return;
        }
        Process npm;
        try {
            npm = new ProcessBuilder(List.of("npm", "install", "--no-audit", "--no-fund", "--no-save", PACKAGE))
                    .directory(INSTALL_DIR.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IllegalStateException("npm is needed to install " + PACKAGE + " (the OpenID provider of the tests) and"
                    + " could not be run: " + e.getMessage(), e);
        }
        byte[] output = npm.getInputStream().readAllBytes();
        if (!npm.waitFor(540, TimeUnit.SECONDS) || npm.exitValue() != 0) {
            npm.destroyForcibly();
            throw new IllegalStateException("npm install " + PACKAGE + " failed (is the npm registry reachable?):\n" + new String(output));
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
