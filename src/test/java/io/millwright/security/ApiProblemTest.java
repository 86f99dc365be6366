package io.millwright.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;

import io.millwright.tracking.DeadLetterStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Malformed parameters answer 400 with an RFC 9457 problem naming the parameter and the reason,
 * never a class name: the cases issue 11 found on the dead-letter API.
 */
class ApiProblemTest extends SecuredHubTest {

    private final ObjectMapper json = new ObjectMapper();

    @Autowired
    DeadLetterStore deadLetters;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "/api/dead-letters?limit=abc         | limit  | query | 'abc' is not an integer",
            "/api/dead-letters?status=FOO        | status | query | 'FOO' is not one of PARKED, RESUBMITTED, DISCARDED",
            "/api/dead-letters?limit=1e99        | limit  | query | '1e99' is not an integer",
            "/api/dead-letters/abc               | id     | path  | 'abc' is not an integer"})
    void badRequestNamesParameter_whenValueMalformed(String path, String name, String in, String reason)
            throws Exception {
        HttpResponse<String> response = send("GET", path, "viewer", null);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        JsonNode problem = json.readTree(response.body());
        assertThat(problem.path("status").asInt()).isEqualTo(400);
        assertThat(problem.path("title").asText()).isEqualTo("Bad Request");
        assertThat(problem.path("detail").asText()).isEqualTo("parameter '" + name + "': " + reason);
        assertThat(problem.path("instance").asText()).isEqualTo(path.replaceAll("\\?.*", ""));
        assertThat(problem.path("errors").get(0).path("name").asText()).isEqualTo(name);
        assertThat(problem.path("errors").get(0).path("in").asText()).isEqualTo(in);
        assertThat(response.body()).doesNotContain("java.").doesNotContain("io.millwright")
                .doesNotContain("Exception").doesNotContain("For input string");
    }

    // Review of issue 8: the reconciliation API answered its errors with its own {"error": ...} map.
    // A missing order or operation is the hub's problem body naming the parameter.
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "/api/reconciliation?operation=0010            | order",
            "/api/reconciliation?order=1000011             | operation",
            "/api/reconciliation?order=1000011&operation=  | operation"})
    void reconciliationNamesMissingParameter_inTheHubsProblemBody(String path, String name) throws Exception {
        HttpResponse<String> response = send("GET", path, "viewer", null);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        JsonNode problem = json.readTree(response.body());
        assertThat(problem.path("status").asInt()).isEqualTo(400);
        assertThat(problem.path("instance").asText()).isEqualTo("/api/reconciliation");
        assertThat(problem.path("detail").asText()).startsWith("parameter '" + name + "': ").contains("is required");
        assertThat(problem.path("errors").get(0).path("name").asText()).isEqualTo(name);
        assertThat(problem.path("errors").get(0).path("in").asText()).isEqualTo("query");
        assertThat(problem.has("error")).as("no map of the controller's own").isFalse();
    }

    // The ERP is not running in this test (its simulator is off): reconciliation cannot read SAP and
    // says so as a 502 problem, not a map of its own.
    @org.junit.jupiter.api.Test
    void reconciliationAnswersBadGatewayProblem_whenTheErpCannotBeRead() throws Exception {
        HttpResponse<String> response = send("GET", "/api/reconciliation?order=1000011&operation=0010", "viewer", null);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(502);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        JsonNode problem = json.readTree(response.body());
        assertThat(problem.path("status").asInt()).isEqualTo(502);
        assertThat(problem.path("detail").asText()).startsWith("the ERP could not be read, so nothing was reconciled: ");
        assertThat(problem.has("error")).isFalse();
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
            "GET  | /api/dead-letters?limit=5 | 200",
            "GET  | /api/dead-letters/987654  | 404",
            "POST | /api/dead-letters/987654/resubmit | 404"})
    void validRequestsStillAnswered_whenWellFormed(String method, String path, int status) throws Exception {
        assertThat(send(method, path, "admin", null).statusCode()).isEqualTo(status);
    }

    // the dead-letter API answered these with a bare text body of its own (review of issue 11)
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
            "GET  | /api/dead-letters/987654          | 404 | dead letter 987654 does not exist",
            "POST | /api/dead-letters/987654/resubmit | 404 | dead letter 987654 does not exist"})
    void unknownDeadLetter_answersProblem(String method, String path, int status, String detail) throws Exception {
        assertProblem(send(method, path, "admin", null), status, detail, path);
    }

    @Test
    void deadLetterThatCannotBeResubmitted_answersConflictProblem() throws Exception {
        long id = deadLetters.park("test-route", null, "why", "java.lang.IllegalStateException", null, "{}", null);
        String path = "/api/dead-letters/" + id + "/resubmit";

        assertProblem(send("POST", path, "admin", null), 409,
                "dead letter " + id + " has no endpoint to resubmit to (route test-route)", path);
    }

    private void assertProblem(HttpResponse<String> response, int status, String detail, String path) throws Exception {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        JsonNode problem = json.readTree(response.body());
        assertThat(problem.path("status").asInt()).isEqualTo(status);
        assertThat(problem.path("detail").asText()).isEqualTo(detail);
        assertThat(problem.path("instance").asText()).isEqualTo(path);
    }
}
