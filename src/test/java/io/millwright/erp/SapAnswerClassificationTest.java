package io.millwright.erp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.sun.net.httpserver.HttpServer;
import io.millwright.model.ProductionConfirmation;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue 8, hole 6: what each answer to a POST means, against a stub that answers like SAP
 * Gateway (CSRF fetch, then the POST's status and body as given).
 */
class SapAnswerClassificationTest {

    static final String SAP_ERROR = "{\"error\":{\"code\":\"%s\",\"message\":{\"lang\":\"en\",\"value\":\"%s\"}}}";

    HttpServer stub;
    volatile int status;
    volatile String body;
    SapConfirmationClient client;

    @BeforeEach
    void start() throws IOException {
        stub = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        stub.createContext("/sap", exchange -> {
            try (exchange) {
                byte[] answer;
                int code;
                if (exchange.getRequestMethod().equals("GET")) {
                    exchange.getResponseHeaders().set("X-CSRF-Token", "token-1");
                    code = 200;
                    answer = "{}".getBytes(StandardCharsets.UTF_8);
                } else {
                    exchange.getRequestBody().readAllBytes();
                    code = status;
                    answer = body.getBytes(StandardCharsets.UTF_8);
                }
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(code, answer.length == 0 ? -1 : answer.length);
                if (answer.length > 0) {
                    exchange.getResponseBody().write(answer);
                }
            }
        });
        stub.start();
        var settings = new ErpProperties("http://127.0.0.1:" + stub.getAddress().getPort() + "/sap/API_PROD_ORDER_CONFIRMATION_2_SRV",
                "millwright", "secret", "", Duration.ofSeconds(10), Duration.ofSeconds(5), Duration.ofSeconds(1),
                Duration.ofSeconds(1), Duration.ofSeconds(5), 50, null, null, null, null);
        client = new SapConfirmationClient(settings, JsonMapper.builder().findAndAddModules().build());
    }

    @AfterEach
    void stop() {
        stub.stop(0);
    }

    static ProductionConfirmation confirmation() {
        return new ProductionConfirmation("1000011", "0010", BigDecimal.ONE, BigDecimal.ZERO, "PC", false,
                LocalDate.of(2026, 11, 30), "MW-1000011-0010-1");
    }

    /**
     * Each answer's class. Failed before for: 401/403 (retried for ever as "unavailable"), 404 with
     * SAP's error JSON (retried for ever), lock errors with a 400 and SAP's lock message (parked as
     * a business refusal), and 201 without ConfirmationGroup (marked posted with an empty key).
     */
    @ParameterizedTest(name = "HTTP {0} {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
            "401|-|authorization",
            "403|sap:CO/004:No authorization for plant 1010|authorization",
            "400|sap:RU/105:Order 4711 does not exist|rejected",
            "404|sap:/IWBEP/CM_MGW_RT/020:Resource not found for segment|rejected",
            "404|-|retried-answered",
            "400|sap:MC/601:Object requested is currently locked by user BATCH|retried-answered",
            "409|-|retried-answered",
            "408|-|retried-unanswered",
            "429|-|retried-answered",
            "500|sap:/IWBEP/CM_MGW_RT/000:Internal error|retried-answered",
            "503|-|retried-answered",
            "502|-|retried-unanswered",
            "504|-|retried-unanswered",
            "201|{\"d\":{\"unexpected\":true}}|retried-answered",
            "200|-|retried-answered"})
    void answerClassified(int httpStatus, String answer, String expected) {
        status = httpStatus;
        if (answer.equals("-")) {
            body = "";
        } else if (answer.startsWith("sap:")) {
            String[] parts = answer.split(":", 3);
            body = SAP_ERROR.formatted(parts[1], parts[2]);
        } else {
            body = answer;
        }
        switch (expected) {
            case "authorization" -> assertThatThrownBy(() -> client.post(confirmation()))
                    .isInstanceOf(ErpAuthorizationException.class).hasMessageContaining("HTTP " + httpStatus);
            case "rejected" -> assertThatThrownBy(() -> client.post(confirmation()))
                    .isExactlyInstanceOf(ErpRejectedException.class)
                    .hasMessageContaining("key=MW-1000011-0010-1");
            case "retried-answered", "retried-unanswered" -> assertThatThrownBy(() -> client.post(confirmation()))
                    .isInstanceOfSatisfying(ErpUnavailableException.class, e -> {
                        assertThat(e.httpStatus()).isEqualTo(httpStatus);
                        assertThat(e.answered()).isEqualTo(expected.equals("retried-answered"));
                    });
            default -> throw new IllegalArgumentException(expected);
        }
    }
}
