package io.millwright.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.millwright.testsupport.HubTestProperties;
import io.millwright.testsupport.TestKeystores;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Base64;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The hub's HTTP over TLS by configuration: {@code server.ssl.*} (in config/application.yaml from
 * {@code MILLWRIGHT_HTTP_TLS}, {@code MILLWRIGHT_HTTP_KEYSTORE}, {@code MILLWRIGHT_TLS_KEYSTORE_PASSWORD})
 * with a key store made by keytool as the README says. A client that trusts the certificate gets
 * the login-protected API over HTTPS; one that does not is refused in the handshake.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
        "millwright.security.admin-password=" + HttpsTest.ADMIN_PASSWORD,
        HubTestProperties.WEB_ONLY,
        "logging.file.name=target/test-data/https-${random.uuid}/logs/millwright.log"})
class HttpsTest {

    static final String ADMIN_PASSWORD = "test-admin-Https-1";
    static Path keystore;

    @DynamicPropertySource
    static void tls(DynamicPropertyRegistry registry) throws IOException {
        Path dir = Path.of(HubTestProperties.newDataDir("https"));
        keystore = TestKeystores.selfSigned(Files.createDirectories(dir.resolve("tls")), "hub");
        registry.add("millwright.data-dir", dir::toString);
        registry.add("server.ssl.enabled", () -> "true");
        registry.add("server.ssl.key-store", keystore::toString);
        registry.add("server.ssl.key-store-password", () -> TestKeystores.PASSWORD);
    }

    @LocalServerPort
    int port;

    @Test
    void apiAnswersOverHttps_toAClientThatTrustsTheCertificate() throws Exception {
        HttpClient client = HttpClient.newBuilder().sslContext(trusting(keystore)).connectTimeout(Duration.ofSeconds(5)).build();

        var anonymous = client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/actuator/info"))
                .GET().build(), BodyHandlers.ofString());
        var admin = client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/actuator/info"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        ("admin:" + ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8)))
                .GET().build(), BodyHandlers.ofString());

        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(admin.statusCode()).isEqualTo(200);
    }

    @Test
    void clientWithoutTheCertificateIsRefusedInTheHandshake() {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

        assertThatThrownBy(() -> client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/actuator/health"))
                .GET().build(), BodyHandlers.ofString()))
                .isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void plainHttpGetsNoPage() throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

        var response = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health"))
                .timeout(Duration.ofSeconds(10)).GET().build(), BodyHandlers.ofString());

        // Tomcat answers plain HTTP on a TLS connector with 400 ("This combination of host and port requires TLS")
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).doesNotContain("\"status\"");
    }

    static SSLContext trusting(Path store) throws Exception {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            trusted.load(in, TestKeystores.PASSWORD.toCharArray());
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }
}
