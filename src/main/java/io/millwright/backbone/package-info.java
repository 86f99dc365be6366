/**
 * The embedded messaging backbone: an ActiveMQ Artemis broker with one TCP acceptor for CORE,
 * AMQP, MQTT and STOMP, and a single-node Kafka broker in KRaft mode, both running in the hub's
 * JVM with their data under {@code millwright.data-dir}. It exposes {@link
 * io.millwright.backbone.EmbeddedArtemisBroker} and {@link
 * io.millwright.backbone.EmbeddedKraftKafka} (started before Camel, stopped after it), their
 * properties records, and health indicators; routes reach the brokers only through Spring Boot's
 * JMS connection factory and Kafka clients, never through these classes. It depends only on
 * {@code ops} for the data directory: switching a broker off ({@code millwright.artemis.embedded=false},
 * {@code millwright.kafka.embedded=false}) points the same routes at an external one.
 */
package io.millwright.backbone;
