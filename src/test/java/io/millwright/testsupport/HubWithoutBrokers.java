package io.millwright.testsupport;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.test.context.TestPropertySource;

/**
 * A hub's Spring context without brokers, for tests that replace the Kafka and Artemis senders by
 * mocks: no embedded Kafka or Artemis and no destinations created on them; Kafka's address one where
 * nothing listens ({@link HubTestProperties#NO_KAFKA}); no consumer of them either (the analytics
 * feed, alerting, the ERP's document notifications and final confirmations: a consumer polling for a broker that is not there holds Camel's shutdown up to
 * its timeout, at JVM exit too); no plant simulator's OPC UA server; test passwords for the admin and
 * the ERP simulator. A test adds its own keys in {@code @SpringBootTest(properties = ...)}; to change one
 * of these it uses {@code @DynamicPropertySource} ({@code @TestPropertySource} wins over
 * {@code @SpringBootTest}'s properties, a dynamic property over both).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@TestPropertySource(properties = {
    "millwright.sim.opcua.enabled=false",
    HubTestProperties.WITHOUT_ARTEMIS,
    HubTestProperties.WITHOUT_KAFKA,
    "millwright.security.admin-password=test-admin-secret",
    "millwright.sim.erp.password=test-sim-secret"
})
public @interface HubWithoutBrokers {}
