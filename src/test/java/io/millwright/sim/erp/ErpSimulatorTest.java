package io.millwright.sim.erp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/** The simulated SAP service as a curl user sees it: plain HTTP, no hub code. */
class ErpSimulatorTest {

    static final String USER = "millwright";
    static final String PASSWORD = "test-secret";

    @TempDir
    Path dataDir;

    ErpSimulator simulator;
    HttpClient http;
    final ObjectMapper json = new ObjectMapper();

    @BeforeEach
    void start() throws Exception {
        simulator = new ErpSimulator(settings(), orders(), dataDir.resolve("sim/erp")).start();
        http = HttpClient.newBuilder().cookieHandler(new CookieManager()).connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterEach
    void stop() {
        simulator.close();
    }

    static ErpSimulatorProperties settings() {
        return new ErpSimulatorProperties(true, 0, "127.0.0.1", USER, PASSWORD, Duration.ofMinutes(30), List.of());
    }

    static List<ErpSimulatorProperties.ReleasedOrder> orders() {
        return List.of(
                new ErpSimulatorProperties.ReleasedOrder("1000011", List.of("0010"), "PC", "1010", "L1-M1"),
                new ErpSimulatorProperties.ReleasedOrder("1000012", List.of("0010"), "PC", "1010", "L1-M2"));
    }

    @Test
    void metadataIsEdmxWithTheConfirmationEntitySet_whenRequested() throws Exception {
        HttpResponse<String> response = send(get("$metadata"));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        DocumentBuilderFactory factory = DocumentBuilderFactory.newDefaultInstance();
        factory.setNamespaceAware(true);
        Document edmx = factory.newDocumentBuilder()
                .parse(new ByteArrayInputStream(response.body().getBytes(StandardCharsets.UTF_8)));
        assertThat(edmx.getDocumentElement().getLocalName()).isEqualTo("Edmx");
        assertThat(edmx.getDocumentElement().getNamespaceURI()).isEqualTo("http://schemas.microsoft.com/ado/2007/06/edmx");
        assertThat(response.body())
                .contains("EntitySet Name=\"ProdnOrdConf2\"")
                .contains("Name=\"ConfirmationGroup\" Type=\"Edm.String\"")
                .contains("Name=\"ConfirmationYieldQuantity\" Type=\"Edm.Decimal\"")
                .contains("Precision=\"13\" Scale=\"3\"")
                .contains("Name=\"PostingDate\" Type=\"Edm.DateTime\"");
    }

    @Test
    void postRefusedWithCsrfRequired_whenNoTokenSent() throws Exception {
        HttpResponse<String> response = send(post(confirmation("1000011", "0010", "5.000"), null));

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.headers().firstValue("X-CSRF-Token")).hasValue("Required");
        assertThat(simulator.confirmations()).isEmpty();
    }

    @Test
    void postRefusedWithCsrfRequired_whenTokenSentWithoutSessionCookie() throws Exception {
        String token = fetchToken();
        HttpClient noCookies = HttpClient.newHttpClient();

        HttpResponse<String> response = noCookies.send(post(confirmation("1000011", "0010", "5.000"), token),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(simulator.confirmations()).isEmpty();
    }

    @Test
    void confirmationCreatedWithServerAssignedKeys_whenTokenAndCookieSent() throws Exception {
        String token = fetchToken();

        HttpResponse<String> first = send(post(confirmation("1000011", "0010", "5.000"), token));
        HttpResponse<String> second = send(post(confirmation("1000011", "0010", "2.500"), token));
        HttpResponse<String> other = send(post(confirmation("1000012", "0010", "1.000"), token));

        assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
        JsonNode d1 = json.readTree(first.body()).path("d");
        JsonNode d2 = json.readTree(second.body()).path("d");
        JsonNode d3 = json.readTree(other.body()).path("d");
        // same order operation, same group (SAP's RUECK); the counter increases within it
        assertThat(d1.path("ConfirmationGroup").asText()).hasSize(10).isEqualTo(d2.path("ConfirmationGroup").asText());
        assertThat(d1.path("ConfirmationCount").asText()).isEqualTo("00000001");
        assertThat(d2.path("ConfirmationCount").asText()).isEqualTo("00000002");
        assertThat(d3.path("ConfirmationGroup").asText()).isNotEqualTo(d1.path("ConfirmationGroup").asText());
        assertThat(d1.path("ConfirmationYieldQuantity").asText()).isEqualTo("5.000");
        assertThat(simulator.totalYield("1000011", "0010")).isEqualByComparingTo(new BigDecimal("7.5"));
    }

    @Test
    void filterReturnsTheConfirmationInV2Json_whenFilteredByOrder() throws Exception {
        String token = fetchToken();
        send(post(confirmation("1000011", "0010", "5.000"), token));
        send(post(confirmation("1000012", "0010", "3.000"), token));

        HttpResponse<String> response = send(get(
                "ProdnOrdConf2?$filter=" + encode("OrderID eq '1000011' and OrderOperation eq '0010'") + "&$format=json"));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode results = json.readTree(response.body()).path("d").path("results");
        assertThat(results).hasSize(1);
        JsonNode entity = results.get(0);
        assertThat(entity.path("OrderID").asText()).isEqualTo("1000011");
        assertThat(entity.path("PostingDate").asText()).isEqualTo("/Date(1767225600000)/");
        assertThat(entity.path("ConfirmationYieldQuantity").isTextual()).isTrue();
        assertThat(entity.path("ConfirmationYieldQuantity").asText()).isEqualTo("5.000");
    }

    @Test
    void singleEntityReadByKey_whenGroupAndCountGiven() throws Exception {
        JsonNode created = json.readTree(send(post(confirmation("1000011", "0010", "5.000"), fetchToken())).body()).path("d");
        String key = "ProdnOrdConf2(ConfirmationGroup='" + created.path("ConfirmationGroup").asText()
                + "',ConfirmationCount='" + created.path("ConfirmationCount").asText() + "')";

        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(simulator.serviceUrl() + key))
                .header("Authorization", basic()).header("Accept", "application/json").GET().build());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(json.readTree(response.body()).path("d").path("ConfirmationText").asText()).isEqualTo("key-1000011-5.000");
    }

    @Test
    void sapErrorJson_whenOrderUnknown() throws Exception {
        HttpResponse<String> response = send(post(confirmation("4711", "0010", "5.000"), fetchToken()));

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode error = json.readTree(response.body()).path("error");
        assertThat(error.path("code").asText()).isEqualTo("RU/105");
        assertThat(error.path("message").path("value").asText()).isEqualTo("Order 4711 does not exist");
        assertThat(error.path("message").path("lang").asText()).isEqualTo("en");
        JsonNode detail = error.path("innererror").path("errordetails").get(0);
        assertThat(detail.path("propertyref").asText()).isEqualTo("OrderID");
        assertThat(detail.path("severity").asText()).isEqualTo("error");
        assertThat(error.path("innererror").path("transactionid").asText()).isNotBlank();
        assertThat(simulator.confirmations()).isEmpty();
    }

    @Test
    void sapErrorJson_whenQuantityNegative() throws Exception {
        HttpResponse<String> response = send(post(confirmation("1000011", "0010", "-1.000"), fetchToken()));

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode error = json.readTree(response.body()).path("error");
        assertThat(error.path("code").asText()).isEqualTo("RU/320");
        assertThat(error.path("innererror").path("errordetails").get(0).path("propertyref").asText())
                .isEqualTo("ConfirmationYieldQuantity");
        assertThat(simulator.confirmations()).isEmpty();
    }

    @Test
    void sapErrorJson_whenOperationNotInOrder() throws Exception {
        HttpResponse<String> response = send(post(confirmation("1000011", "0020", "1.000"), fetchToken()));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json.readTree(response.body()).path("error").path("code").asText()).isEqualTo("RU/106");
    }

    @Test
    void unauthorizedWithBasicChallenge_whenNoCredentials() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(simulator.serviceUrl() + "$metadata")).GET().build());

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"SAP\"");
    }

    @Test
    void confirmationsKept_whenSimulatorRestarts() throws Exception {
        send(post(confirmation("1000011", "0010", "5.000"), fetchToken()));
        simulator.close();

        simulator = new ErpSimulator(settings(), orders(), dataDir.resolve("sim/erp")).start();
        HttpResponse<String> next = send(post(confirmation("1000011", "0010", "1.000"), fetchToken()));

        assertThat(simulator.confirmations()).hasSize(2);
        assertThat(json.readTree(next.body()).path("d").path("ConfirmationCount").asText()).isEqualTo("00000002");
    }

    private String fetchToken() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(simulator.serviceUrl()))
                .header("Authorization", basic()).header("X-CSRF-Token", "Fetch").GET().build());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.headers().firstValue("X-CSRF-Token").orElseThrow();
    }

    private HttpRequest get(String path) {
        return HttpRequest.newBuilder(URI.create(simulator.serviceUrl() + path)).header("Authorization", basic()).GET().build();
    }

    private HttpRequest post(String body, String token) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(simulator.serviceUrl() + "ProdnOrdConf2"))
                .header("Authorization", basic())
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            builder.header("X-CSRF-Token", token);
        }
        return builder.build();
    }

    static String confirmation(String order, String operation, String yield) {
        return """
                {"OrderID":"%s","Sequence":"0","OrderOperation":"%s","ConfirmationYieldQuantity":"%s",
                 "ConfirmationScrapQuantity":"0.000","ConfirmationUnit":"PC","PostingDate":"/Date(1767225600000)/",
                 "FinalConfirmationType":"","ConfirmationText":"key-%s-%s"}
                """.formatted(order, operation, yield, order, yield);
    }

    private HttpResponse<String> send(HttpRequest request) throws Exception {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static String basic() {
        return "Basic " + Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
    }

    private static String encode(String text) {
        return java.net.URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
