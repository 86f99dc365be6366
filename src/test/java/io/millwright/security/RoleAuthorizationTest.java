package io.millwright.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;


/**
 * The authorization map and the Jolokia policy, role by role, over plain HTTP as curl or Hawtio's
 * console sees them. A path without a controller on this branch answers 404 or 405 once let
 * through; what matters per row is "refused" (403) or "let through" (anything but 401 and 403).
 */
class RoleAuthorizationTest extends SecuredHubTest {

    private static final String REFUSED = "refused";
    private static final String ALLOWED = "allowed";

    private final ObjectMapper json = new ObjectMapper();

    @ParameterizedTest(name = "{0} {1} {2}: {3}")
    @CsvSource({
            // reads: every role
            "viewer,     GET,    /api/dead-letters,                     allowed",
            "viewer,     GET,    /actuator/metrics,                     allowed",
            "viewer,     GET,    /v3/api-docs,                          allowed",
            "analyst,    GET,    /api/dead-letters,                     allowed",
            // operator actions
            "viewer,     POST,   /api/dead-letters/1/resubmit,          refused",
            "analyst,    POST,   /api/dead-letters/1/resubmit,          refused",
            "operator,   POST,   /api/dead-letters/1/resubmit,          allowed",
            "operator,   POST,   /api/dead-letters/1/discard,           allowed",
            "operator,   POST,   /api/tracking/parked/7/resubmit,       allowed",
            "operator,   POST,   /api/subscriptions/line1/pause,        allowed",
            "operator,   POST,   /api/subscriptions/line1/resume,       allowed",
            "operator,   POST,   /api/alerts/42/ack,                    allowed",
            "viewer,     POST,   /api/alerts/42/ack,                    refused",
            "integrator, POST,   /api/dead-letters/1/resubmit,          allowed",
            "admin,      POST,   /api/dead-letters/1/resubmit,          allowed",
            // integrator resources
            "operator,   POST,   /api/connections,                      refused",
            "operator,   POST,   /api/subscriptions,                    refused",
            "operator,   DELETE, /api/routes/flow-1,                    refused",
            "integrator, POST,   /api/connections,                      allowed",
            "integrator, PUT,    /api/mappings/transform/a.jsonata,     allowed",
            "integrator, DELETE, /api/subscriptions/line1,              allowed",
            "integrator, POST,   /api/dispatch,                         allowed",
            "admin,      POST,   /api/connections,                      allowed",
            // analytics
            "viewer,     POST,   /api/analytics/query,                  refused",
            "operator,   POST,   /api/analytics/query,                  refused",
            "integrator, POST,   /api/analytics/query,                  refused",
            "analyst,    POST,   /api/analytics/query,                  allowed",
            "admin,      POST,   /api/analytics/query,                  allowed",
            // everything else: admin only
            "integrator, POST,   /api/reconciliation/run,               refused",
            "integrator, POST,   /actuator/loggers/io.millwright,       refused",
            "viewer,     GET,    /actuator/env,                         refused",
            "admin,      POST,   /api/reconciliation/run,               allowed"})
    void roleDecidesAccess_whenRequestMatchesAuthorizationMap(String user, String method, String path, String expected)
            throws Exception {
        HttpResponse<String> response = send(method, path, user, method.equals("GET") ? null : "{}");

        if (expected.equals(REFUSED)) {
            assertThat(response.statusCode()).as("%s %s %s", user, method, path).isEqualTo(403);
        } else {
            assertThat(response.statusCode()).as("%s %s %s: %s", user, method, path, response.body())
                    .isNotIn(401, 403);
        }
    }

    @Test
    void unknownUserRefused_whenPasswordOfAnotherRole() throws Exception {
        assertThat(send("GET", "/api/dead-letters", "viewer", PASSWORD + "admin", null).statusCode()).isEqualTo(401);
        assertThat(send("GET", "/api/dead-letters", null, null, null).statusCode()).isEqualTo(401);
    }

    @ParameterizedTest(name = "{0} reads through Jolokia")
    @CsvSource({"viewer", "operator", "integrator", "analyst", "admin"})
    void jolokiaReadAllowed_whenAnyRole(String user) throws Exception {
        assertThat(jolokiaPost(user, "{\"type\":\"read\",\"mbean\":\"java.lang:type=Memory\",\"attribute\":\"HeapMemoryUsage\"}"))
                .isEqualTo(200);
        assertThat(jolokiaGet(user, "/read/java.lang:type=Runtime/Uptime")).isEqualTo(200);
    }

    @ParameterizedTest(name = "{0} may not exec or write")
    @CsvSource({"viewer", "operator", "integrator", "analyst"})
    void jolokiaExecAndWriteRefused_whenNotAdmin(String user) throws Exception {
        assertThat(jolokiaPost(user, "{\"type\":\"exec\",\"mbean\":\"java.lang:type=Memory\",\"operation\":\"gc\"}"))
                .isEqualTo(403);
        assertThat(jolokiaPost(user, "{\"type\":\"write\",\"mbean\":\"java.lang:type=Memory\",\"attribute\":\"Verbose\",\"value\":false}"))
                .isEqualTo(403);
    }

    @Test
    void jolokiaExecAndWriteAllowed_whenAdminPosts() throws Exception {
        assertThat(jolokiaPost("admin", "{\"type\":\"exec\",\"mbean\":\"java.lang:type=Memory\",\"operation\":\"gc\"}"))
                .isEqualTo(200);
        assertThat(jolokiaPost("admin", "{\"type\":\"write\",\"mbean\":\"java.lang:type=Memory\",\"attribute\":\"Verbose\",\"value\":false}"))
                .isEqualTo(200);
    }

    // a GET carries no CSRF token: a foreign page could fire it with the console's session cookie
    @ParameterizedTest(name = "GET {0} refused for admin")
    @CsvSource({"/exec/java.lang:type=Memory/gc", "/write/java.lang:type=Memory/Verbose/false"})
    void jolokiaExecOrWriteByGetRefused_whenAdmin(String path) throws Exception {
        assertThat(jolokiaGet("admin", path)).isEqualTo(403);
    }

    @ParameterizedTest(name = "{0}.{1} denied to admin")
    @CsvSource(delimiter = '|', value = {
            "com.sun.management:type=HotSpotDiagnostic | dumpHeap(java.lang.String,boolean) | [\"target/never.hprof\", true]",
            "com.sun.management:type=DiagnosticCommand | gcHeapInfo                           | []",
            "com.sun.management:type=DiagnosticCommand | vmSystemProperties                   | []",
            "com.sun.management:type=HotSpotDiagnostic | setVMOption                          | [\"HeapDumpOnOutOfMemoryError\", \"true\"]"})
    void dangerousMbeanOperationDenied_whenAdmin(String mbean, String operation, String arguments) throws Exception {
        String body = "{\"type\":\"exec\",\"mbean\":\"" + mbean + "\",\"operation\":\"" + operation
                + "\",\"arguments\":" + arguments + "}";
        assertThat(jolokiaPost("admin", body)).isEqualTo(403);
    }

    @Test
    void systemPropertiesHidden_whenViewerReadsRuntime() throws Exception {
        assertThat(jolokiaGet("viewer", "/read/java.lang:type=Runtime/SystemProperties")).isEqualTo(403);
        assertThat(jolokiaGet("admin", "/read/java.lang:type=Runtime/SystemProperties")).isEqualTo(200);
    }

    /** Jolokia answers HTTP 200 with its own status in the body; the HTTP status if that is not 200. */
    private int jolokiaPost(String user, String body) throws Exception {
        return jolokiaStatus(send("POST", "/actuator/jolokia", user, body));
    }

    private int jolokiaGet(String user, String path) throws Exception {
        return jolokiaStatus(send("GET", "/actuator/jolokia" + path, user, null));
    }

    private int jolokiaStatus(HttpResponse<String> response) throws IOException {
        if (response.statusCode() != 200) {
            return response.statusCode();
        }
        JsonNode node = json.readTree(response.body());
        return node.path("status").asInt();
    }
}
