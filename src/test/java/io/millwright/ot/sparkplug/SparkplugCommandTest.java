package io.millwright.ot.sparkplug;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.millwright.model.Endpoints;
import io.millwright.ot.sparkplug.SparkplugCommand.MetricWrite;
import io.millwright.testsupport.MqttTestBroker;
import io.millwright.testsupport.OtHubTest;
import io.millwright.testsupport.PrivateMqttBroker;
import java.math.BigInteger;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.camel.ProducerTemplate;
import org.eclipse.tahu.message.SparkplugBPayloadDecoder;
import org.eclipse.tahu.message.model.Metric;
import org.eclipse.tahu.message.model.MetricDataType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Commands to edge nodes through Mosquitto: a REST call writes node metrics (NCMD) and a route writes
 * device metrics (DCMD); a Tahu-decoding edge node in the test receives them with their names, data
 * types and values; each is in the audit log with who sent it; bad values are refused before anything
 * is published, and a viewer may not send.
 */
class SparkplugCommandTest extends OtHubTest {

    private static final String GROUP = SPARKPLUG_GROUP;

    @Autowired SparkplugHost host;
    @Autowired ProducerTemplate producer;
    @Autowired ObjectMapper json;

    private final ListAppender<ILoggingEvent> audit = new ListAppender<>();
    private TestEdgeNode edge;

    @BeforeEach
    void edgeNodeAndAudit() throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(host::isConnected);
        edge = new TestEdgeNode(MqttTestBroker.URL, GROUP, "line-7", 0);
        audit.start();
        ((Logger) LoggerFactory.getLogger(SparkplugCommands.AUDIT_LOGGER)).addAppender(audit);
    }

    @AfterEach
    void close() throws Exception {
        ((Logger) LoggerFactory.getLogger(SparkplugCommands.AUDIT_LOGGER)).detachAppender(audit);
        edge.close();
    }

    @Test
    void restCommand_reachesTheEdgeNodeAsNcmd_withTypesAndValues_andIsAudited() throws Exception {
        HttpResponse<String> sent = send("integrator", "POST", "/api/sparkplug/" + GROUP + "/line-7/commands", """
                {"metrics": [{"name": "Output/Setpoint", "type": "Double", "value": 42.5},
                             {"name": "Mode/Auto", "type": "Boolean", "value": true},
                             {"name": "Batch/Size", "type": "UInt32", "value": 4000000000}]}""");

        assertThat(sent.statusCode()).as(sent.body()).isEqualTo(202);
        JsonNode answer = json.readTree(sent.body());
        assertThat(answer.path("topic").asText()).isEqualTo("spBv1.0/" + GROUP + "/NCMD/line-7");
        byte[] payload = edge.commands.poll(30, TimeUnit.SECONDS);
        assertThat(payload).as("NCMD at the edge node").isNotNull();
        List<Metric> metrics = new SparkplugBPayloadDecoder().buildFromByteArray(payload, null).getMetrics();
        assertThat(metrics).extracting(Metric::getName).containsExactly("Output/Setpoint", "Mode/Auto", "Batch/Size");
        assertThat(metrics).extracting(Metric::getDataType)
                .containsExactly(MetricDataType.Double, MetricDataType.Boolean, MetricDataType.UInt32);
        assertThat(metrics).extracting(Metric::getValue).containsExactly(42.5, true, 4_000_000_000L);
        assertThat(auditLines()).anySatisfy(line -> assertThat(line)
                .contains("user=integrator", "action=sparkplug-command", "topic=spBv1.0/" + GROUP + "/NCMD/line-7",
                        "metrics=[Output/Setpoint, Mode/Auto, Batch/Size]", "status=sent")
                // the values written stay out of the audit line (its timestamp may hold the digits "42.5")
                .satisfies(l -> assertThat(l.substring(l.indexOf(" user="))).doesNotContain("42.5", "4000000000")));
    }

    // a write without "type" takes the metric's type from the node's (or device's) last BIRTH certificate
    @Test
    void commandWithoutType_takesTheTypeFromTheBirth_unknownMetricIs400() throws Exception {
        edge.publish("NBIRTH", null, SparkplugPayloads.payload(0).named("bdSeq", null, MetricDataType.Int64, 0L)
                .named("Output/Setpoint", 1L, MetricDataType.Float, 10.0f).bytes());
        edge.publish("DBIRTH", "press-3", SparkplugPayloads.payload(1).named("Batch/Size", 2L, MetricDataType.UInt16, 100).bytes());
        await().atMost(Duration.ofSeconds(30)).until(() -> host.birthType(GROUP, "line-7", "press-3", "Batch/Size").isPresent());

        HttpResponse<String> toNode = send("integrator", "POST", "/api/sparkplug/" + GROUP + "/line-7/commands",
                "{\"metrics\": [{\"name\": \"Output/Setpoint\", \"value\": 42.5}]}");
        assertThat(toNode.statusCode()).as(toNode.body()).isEqualTo(202);
        Metric setpoint = new SparkplugBPayloadDecoder().buildFromByteArray(edge.commands.poll(30, TimeUnit.SECONDS), null)
                .getMetrics().get(0);
        assertThat(setpoint.getDataType()).isEqualTo(MetricDataType.Float);
        assertThat(setpoint.getValue()).isEqualTo(42.5f);

        HttpResponse<String> toDevice = send("integrator", "POST", "/api/sparkplug/" + GROUP + "/line-7/press-3/commands",
                "{\"metrics\": [{\"name\": \"Batch/Size\", \"value\": 70000}]}");
        assertThat(toDevice.statusCode()).as("70000 does not fit the BIRTH's UInt16").isEqualTo(400);
        assertThat(json.readTree(toDevice.body()).path("field").asText()).isEqualTo("metrics[0].value");

        HttpResponse<String> unknown = send("integrator", "POST", "/api/sparkplug/" + GROUP + "/line-7/commands",
                "{\"metrics\": [{\"name\": \"Not/Born\", \"value\": 1}]}");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(json.readTree(unknown.body()).path("field").asText()).isEqualTo("metrics[0].type");
        assertThat(json.readTree(unknown.body()).path("detail").asText()).contains("Not/Born", "BIRTH");
        assertThat(edge.commands).as("nothing sent for the refused ones").isEmpty();
    }

    @Test
    void routeCommand_reachesTheDeviceAsDcmd_andIsAuditedWithTheRoute() throws Exception {
        Object sent = producer.requestBody(Endpoints.SPARKPLUG_COMMAND, new SparkplugCommand(GROUP, "line-7", "press-3",
                List.of(new MetricWrite("Counter/Reset", "Int64", 0), new MetricWrite("Recipe", "String", "R-17"))));

        assertThat(sent).isInstanceOf(SparkplugCommands.Sent.class);
        Map.Entry<String, byte[]> command = edge.deviceCommands.poll(30, TimeUnit.SECONDS);
        assertThat(command).as("DCMD at the edge node").isNotNull();
        assertThat(command.getKey()).isEqualTo("spBv1.0/" + GROUP + "/DCMD/line-7/press-3");
        List<Metric> metrics = new SparkplugBPayloadDecoder().buildFromByteArray(command.getValue(), null).getMetrics();
        assertThat(metrics).extracting(Metric::getName, Metric::getValue)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("Counter/Reset", 0L), org.assertj.core.groups.Tuple.tuple("Recipe", "R-17"));
        assertThat(auditLines()).anySatisfy(line -> assertThat(line)
                .contains("user=route:ot-sparkplug-command", "topic=spBv1.0/" + GROUP + "/DCMD/line-7/press-3"));
        assertThat(edge.commands).as("no NCMD for a device command").isEmpty();
    }

    @Test
    void badValue_400NamingTheField_nothingPublished_viewerRefused() throws Exception {
        HttpResponse<String> outOfRange = send("admin", "POST", "/api/sparkplug/" + GROUP + "/line-7/commands",
                "{\"metrics\": [{\"name\": \"Speed\", \"type\": \"Int8\", \"value\": 300}]}");
        assertThat(outOfRange.statusCode()).as(outOfRange.body()).isEqualTo(400);
        assertThat(json.readTree(outOfRange.body()).path("field").asText()).isEqualTo("metrics[0].value");
        // the field is named once, by the problem: not again inside the reason ("metrics[0].value=300: ...")
        assertThat(json.readTree(outOfRange.body()).path("detail").asText())
                .isEqualTo("field 'metrics[0].value': '300' must be between -128 and 127");
        assertThat(json.readTree(outOfRange.body()).path("errors").get(0).path("reason").asText())
                .isEqualTo("'300' must be between -128 and 127");

        HttpResponse<String> unknownType = send("admin", "POST", "/api/sparkplug/" + GROUP + "/line-7/commands",
                "{\"metrics\": [{\"name\": \"Speed\", \"type\": \"Real\", \"value\": 3}]}");
        assertThat(unknownType.statusCode()).isEqualTo(400);
        assertThat(json.readTree(unknownType.body()).path("field").asText()).isEqualTo("metrics[0].type");

        HttpResponse<String> viewer = send("viewer", "POST", "/api/sparkplug/" + GROUP + "/line-7/commands",
                "{\"metrics\": [{\"name\": \"Speed\", \"type\": \"Int8\", \"value\": 3}]}");
        assertThat(viewer.statusCode()).isEqualTo(403);
        assertThat(edge.commands.poll(1, TimeUnit.SECONDS)).as("nothing reached the edge node").isNull();
    }

    // every provisioned Sparkplug connection sends commands over its own session: here its broker is one the
    // settings' host is not connected to, so the NCMD/DCMD can only have come through the provisioned connection
    @Test
    void commandThroughProvisionedConnection_reachesTheEdgeNodeOnItsBroker_audited_unknownConnectionIs404() throws Exception {
        String name = "cmd-spb-" + RUN;
        String group = GROUP + "-own";
        try (PrivateMqttBroker broker = PrivateMqttBroker.start();
                TestEdgeNode remote = new TestEdgeNode(broker.url, group, "line-9", 0)) {
            HttpResponse<String> created = send("integrator", "POST", "/api/connections", """
                    {"name": "%s", "type": "sparkplug", "host-id": "mwtest-cmd-host-%s", "broker-url": "%s", "group-ids": ["%s"]}"""
                    .formatted(name, RUN, broker.url, group));
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> json.readTree(send("viewer", "GET", "/api/connections/" + name, null)
                        .body()).path("status").path("connected").asBoolean());

                HttpResponse<String> toNode = send("integrator", "POST", "/api/sparkplug/" + group + "/line-9/commands?connection=" + name,
                        "{\"metrics\": [{\"name\": \"Output/Setpoint\", \"type\": \"Double\", \"value\": 7.25}]}");
                assertThat(toNode.statusCode()).as(toNode.body()).isEqualTo(202);
                assertThat(json.readTree(toNode.body()).path("connection").asText()).isEqualTo(name);
                byte[] ncmd = remote.commands.poll(30, TimeUnit.SECONDS);
                assertThat(ncmd).as("NCMD at the edge node on the connection's broker").isNotNull();
                assertThat(new SparkplugBPayloadDecoder().buildFromByteArray(ncmd, null).getMetrics())
                        .extracting(Metric::getName, Metric::getDataType, Metric::getValue)
                        .containsExactly(org.assertj.core.groups.Tuple.tuple("Output/Setpoint", MetricDataType.Double, 7.25));
                assertThat(auditLines()).anySatisfy(line -> assertThat(line).contains("user=integrator", "connection=" + name,
                        "topic=spBv1.0/" + group + "/NCMD/line-9", "status=sent"));

                // a route names the connection in the command
                producer.requestBody(Endpoints.SPARKPLUG_COMMAND, new SparkplugCommand(group, "line-9", "press-1",
                        List.of(new MetricWrite("Recipe", "String", "R-9")), name));
                Map.Entry<String, byte[]> dcmd = remote.deviceCommands.poll(30, TimeUnit.SECONDS);
                assertThat(dcmd).as("DCMD at the edge node on the connection's broker").isNotNull();
                assertThat(dcmd.getKey()).isEqualTo("spBv1.0/" + group + "/DCMD/line-9/press-1");
                assertThat(new SparkplugBPayloadDecoder().buildFromByteArray(dcmd.getValue(), null).getMetrics().get(0).getValue())
                        .isEqualTo("R-9");
                assertThat(auditLines()).anySatisfy(line -> assertThat(line).contains("user=route:ot-sparkplug-command",
                        "connection=" + name, "topic=spBv1.0/" + group + "/DCMD/line-9/press-1"));
            } finally {
                send("integrator", "DELETE", "/api/connections/" + name, null);
            }
        }

        String write = "{\"metrics\": [{\"name\": \"Speed\", \"type\": \"Int8\", \"value\": 3}]}";
        HttpResponse<String> unknown = send("integrator", "POST", "/api/sparkplug/" + GROUP + "/line-7/commands?connection=no-such-" + RUN,
                write);
        assertThat(unknown.statusCode()).as(unknown.body()).isEqualTo(404);
        assertThat(unknown.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        JsonNode problem = json.readTree(unknown.body());
        assertThat(problem.path("field").asText()).isEqualTo("connection");
        assertThat(problem.path("detail").asText()).contains("no-such-" + RUN, "/api/connections");
        // the members of the hub's other problems (ops.ApiProblemResolver's 400s): RFC 9457's, then field and errors
        assertThat(problem.path("status").asInt()).isEqualTo(404);
        assertThat(problem.path("title").asText()).isEqualTo("Not Found");
        assertThat(problem.path("instance").asText()).isEqualTo("/api/sparkplug/" + GROUP + "/line-7/commands");
        assertThat(problem.path("errors")).singleElement().satisfies(error -> {
            assertThat(error.path("name").asText()).isEqualTo("connection");
            assertThat(error.path("in").asText()).isEqualTo("query");
            assertThat(error.path("reason").asText()).contains("no-such-" + RUN);
        });
        HttpResponse<String> deleted = send("integrator", "POST", "/api/sparkplug/" + GROUP + "/line-7/commands?connection=" + name, write);
        assertThat(deleted.statusCode()).as("the deleted connection sends no more").isEqualTo(404);
        HttpResponse<String> viewer = send("viewer", "POST", "/api/sparkplug/" + GROUP + "/line-7/commands?connection=" + name, write);
        assertThat(viewer.statusCode()).isEqualTo(403);
        // control: none of these went through the settings' host to the edge node of the shared broker
        assertThat(edge.commands.poll(1, TimeUnit.SECONDS)).as("nothing reached the settings' edge node").isNull();
    }

    @Test
    void uint64_beyondLong_isSentAsBigInteger() {
        Object value = SparkplugCommands.value("v", MetricDataType.UInt64, new BigInteger("18446744073709551615"));
        assertThat(value).isEqualTo(new BigInteger("18446744073709551615"));
    }

    private List<String> auditLines() {
        return audit.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }
}
