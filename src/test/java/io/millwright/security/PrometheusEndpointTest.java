package io.millwright.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;

/** /actuator/prometheus is behind the login and carries the hub's millwright_* meters. */
class PrometheusEndpointTest extends SecuredHubTest {

    @Test
    void scrapeRefused_whenAnonymous() throws Exception {
        assertThat(send("GET", "/actuator/prometheus", null, null).statusCode()).isEqualTo(401);
    }

    @Test
    void scrapeHasMillwrightMeters_whenViewer() throws Exception {
        HttpResponse<String> response = send("GET", "/actuator/prometheus", "viewer", null);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/plain"));
        assertThat(response.body())
                .containsPattern("(?m)^millwright_routes\\{.*state=\"started\".*\\} [0-9.]+$")
                .containsPattern("(?m)^millwright_inflight_exchanges(\\{.*\\})? [0-9.]+$")
                .containsPattern("(?m)^millwright_route_files\\{.*state=\"rejected\".*\\} 0.0$")
                .contains("jvm_memory_used_bytes");
    }
}
