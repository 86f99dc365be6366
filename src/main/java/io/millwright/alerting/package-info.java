/**
 * Alerting side route: alert rules integrators edit ({@code analytics-bridge/alert-rules.yaml}: a
 * condition on an event type's fields, a for-duration, severity, deduplication key, a clear
 * condition) evaluated on the canonical events read from Kafka in its own consumer group; raised
 * and cleared {@code alert} events are published through {@code direct:mes-event-publish} and
 * sent to the webhook channel. A broken rules file or a failing channel shows in health and never
 * reaches the telemetry path. Depends on {@code model} (event types, envelopes, endpoints) and
 * {@code ops} (reading a Kafka poll at a time, {@link io.millwright.ops.KafkaRecordBatches}).
 */
package io.millwright.alerting;
