package io.millwright.testsupport;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.apache.camel.test.spring.junit5.UseAdviceWith;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The running hub with its side routes on (analytics, alerting, a solution template's flows) and no
 * broker: the side routes' Kafka consumers replaced by {@link #FEED_IN} and {@link #ALERTING_IN}, the
 * publisher's Kafka and Artemis senders by {@code mock:kafka} and {@code mock:artemis}; no plant; HTTP on
 * a random loopback port. A test class adds what it is about (the solution, its logins) with
 * {@code @TestPropertySource} and its data folder (and webhook receiver) with {@code @DynamicPropertySource}.
 */
@CamelSpringBootTest
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
    HubTestProperties.WITHOUT_PLANT,
    HubTestProperties.WITHOUT_ARTEMIS,
    "millwright.kafka.embedded=false",
    HubTestProperties.NO_KAFKA,
    "millwright.mes.create-destinations=false",
    // the ERP routes' own Kafka consumers (maintenance requests, order completed) are no side routes and
    // nothing replaces them here: off, else they poll for a Kafka that is not there
    "millwright.erp.documents.notifications-enabled=false",
    "millwright.erp.final-confirmation.on-order-completed=false",
    // no broker runs; the JMS indicator would turn health DOWN (503)
    "management.health.jms.enabled=false",
    "millwright.sim.erp.password=test-sim-secret",
    "server.address=127.0.0.1"
})
@UseAdviceWith
public abstract class SideRouteHubTest {

    /** Where the analytics feed reads, instead of Kafka (a raw record is parsed there). */
    protected static final String FEED_IN = "direct:test-analytics-feed-kafka";
    /** Where alerting reads, instead of Kafka. */
    protected static final String ALERTING_IN = "direct:test-alerting-kafka";

    @Autowired protected CamelContext camel;
    @Autowired protected ProducerTemplate producer;
    @Autowired protected ObjectMapper json;
    @LocalServerPort protected int port;

    @BeforeEach
    void replaceKafkaConsumersAndSenders() throws Exception {
        if (!camel.isStarted()) {
            AdviceWith.adviceWith(camel, "analytics-feed-consume", route -> route.replaceFromWith(FEED_IN));
            AdviceWith.adviceWith(camel, "alerting-consume", route -> route.replaceFromWith(ALERTING_IN));
            AdviceWith.adviceWith(camel, "mes-event-publish", route -> {
                route.weaveByToUri("bean:kafkaEventSender*").replace().to("mock:kafka");
                route.weaveByToUri("bean:artemisEventSender*").replace().to("mock:artemis");
            });
            camel.start();
        }
        camel.getEndpoint("mock:kafka", MockEndpoint.class).reset();
    }
}
