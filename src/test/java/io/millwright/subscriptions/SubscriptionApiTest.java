package io.millwright.subscriptions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.millwright.testsupport.EmbeddedArtemisHubTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The subscription registry's REST API on the running hub with its embedded Artemis: idempotent
 * create, read, change, pause, resume, delete, each reflected on the broker; bad input answered
 * 400 with the field; nothing without the admin login.
 */
class SubscriptionApiTest extends EmbeddedArtemisHubTest {

    static final String LINE_1 = """
            {"name": "%s", "owner": "mes-team", "types": ["machine-state", "production-count"],
             "assetFilter": "acme/springfield/assembly/line-1/#", "delivery": {"type": "queue"}}""";

    @Autowired ObjectMapper json;

    @Test
    void lifecycle_createIdempotent_change_pause_resume_delete() throws Exception {
        HttpResponse<String> created = send("POST", "/api/subscriptions", LINE_1.formatted("line-1-mes"));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(created.headers().firstValue("Location")).hasValue("/api/subscriptions/line-1-mes");
        JsonNode status = json.readTree(created.body());
        assertThat(status.path("queue").asText()).isEqualTo("millwright.subscriptions.line-1-mes");
        assertThat(status.path("delivery").path("pending").asLong()).isZero();

        assertThat(send("POST", "/api/subscriptions", LINE_1.formatted("line-1-mes")).statusCode()).as("unchanged").isEqualTo(200);
        HttpResponse<String> other = send("POST", "/api/subscriptions",
                LINE_1.formatted("line-1-mes").replace("line-1/#", "line-2/#"));
        assertThat(other.statusCode()).as("another definition by the same name").isEqualTo(409);

        HttpResponse<String> changed = send("PUT", "/api/subscriptions/line-1-mes",
                LINE_1.formatted("line-1-mes").replace("line-1/#", "+/machine-1"));
        assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);
        assertThat(json.readTree(changed.body()).path("subscription").path("assetFilter").asText())
                .isEqualTo("acme/springfield/assembly/+/machine-1");

        HttpResponse<String> paused = send("POST", "/api/subscriptions/line-1-mes/pause", null);
        assertThat(json.readTree(paused.body()).path("paused").asBoolean()).isTrue();
        assertThat(json.readTree(paused.body()).path("delivery").path("paused").asBoolean()).isTrue();
        HttpResponse<String> resumed = send("POST", "/api/subscriptions/line-1-mes/resume", null);
        assertThat(json.readTree(resumed.body()).path("delivery").path("paused").asBoolean()).isFalse();

        JsonNode list = json.readTree(send("GET", "/api/subscriptions", null).body());
        assertThat(list.findValuesAsText("name")).contains("line-1-mes");

        assertThat(send("DELETE", "/api/subscriptions/line-1-mes", null).statusCode()).isEqualTo(204);
        assertThat(send("GET", "/api/subscriptions/line-1-mes", null).statusCode()).isEqualTo(404);
    }

    @ParameterizedTest(name = "{0} -> 400 naming {1}")
    @CsvSource(delimiter = '|', value = {
            "\"types\": [\"machine-state\", \"machine-stat\"]                          | types[1]",
            "\"types\": [\"signal\"]                                                   | types[0]",
            "\"types\": []                                                             | types",
            "\"assetFilter\": \"acme/#/line-1\"                                        | assetFilter",
            "\"assetFilter\": \"acme/spring field\"                                    | assetFilter",
            "\"owner\": \"\"                                                           | owner",
            "\"name\": \"no spaces\"                                                   | name",
            "\"delivery\": {\"type\": \"carrier-pigeon\"}                              | delivery.type",
            "\"filter\": {\"data.quantity\": {\"gt\": \"ten\"}}                        | filter.data.quantity",
            "\"delivery\": {\"type\": \"webhook\", \"secret\": \"0123456789abcdef\"}       | delivery.url",
            "\"delivery\": {\"type\": \"webhook\", \"url\": \"ftp://mes/x\", \"secret\": \"0123456789abcdef\"} | delivery.url",
            "\"delivery\": {\"type\": \"webhook\", \"url\": \"http://mes/x\", \"secret\": \"short\"} | delivery.secret",
            "\"delivery\": {\"type\": \"webhook\", \"url\": \"http://mes/x\", \"secret\": \"0123456789abcdef\", \"mode\": \"xml\"} | delivery.mode"})
    void invalidSubscription_isRefusedNamingTheField(String override, String field) throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        var body = (com.fasterxml.jackson.databind.node.ObjectNode) mapper.readTree(LINE_1.formatted("bad-one"));
        body.setAll((com.fasterxml.jackson.databind.node.ObjectNode) mapper.readTree("{" + override + "}"));

        HttpResponse<String> response = send("POST", "/api/subscriptions", body.toString());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        JsonNode error = json.readTree(response.body());
        assertThat(error.path("field").asText()).isEqualTo(field);
        assertThat(error.path("detail").asText()).isNotBlank();
    }

    @Test
    void webhookSubscription_secretNeverShown_deadLettersListed() throws Exception {
        String hook = """
                {"name": "hook", "owner": "mes-team", "types": ["machine-state"], "assetFilter": "#",
                 "delivery": {"type": "webhook", "url": "http://127.0.0.1:9/events", "secret": "s3cret-0123456789abc", "mode": "binary"}}""";
        HttpResponse<String> created = send("POST", "/api/subscriptions", hook);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(created.body()).doesNotContain("s3cret");
        assertThat(json.readTree(created.body()).path("delivery").path("deadLetters").asLong()).isZero();
        assertThat(send("POST", "/api/subscriptions", hook).statusCode()).as("unchanged").isEqualTo(200);
        assertThat(send("GET", "/api/subscriptions/hook", null).body()).doesNotContain("s3cret");

        HttpResponse<String> dead = send("GET", "/api/subscriptions/hook/dead-letters", null);
        assertThat(dead.statusCode()).isEqualTo(200);
        assertThat(json.readTree(dead.body()).size()).isZero();
        assertThat(send("POST", "/api/subscriptions/hook/dead-letters/1/resend", null).statusCode()).isEqualTo(404);
        assertThat(send("DELETE", "/api/subscriptions/hook", null).statusCode()).isEqualTo(204);
    }

    @Test
    void asyncApiCatalog_jsonByDefault_yamlWhenAsked() throws Exception {
        HttpResponse<String> json = send("GET", "/api/asyncapi", null);
        assertThat(json.statusCode()).isEqualTo(200);
        assertThat(json.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        assertThat(this.json.readTree(json.body()).path("asyncapi").asText()).isEqualTo("3.0.0");

        HttpResponse<String> yaml = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/asyncapi"))
                .header("Authorization", adminLogin())
                .header("Accept", "application/yaml").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(yaml.statusCode()).isEqualTo(200);
        assertThat(yaml.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/yaml"));
        assertThat(yaml.body()).startsWith("asyncapi: 3.0.0").contains("millwright.subscriptions.{name}");
    }

    @Test
    void anonymous_isRefused() throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/subscriptions"))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(401);
    }
}
