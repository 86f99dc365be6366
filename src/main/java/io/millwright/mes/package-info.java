/**
 * MES-facing publishing: canonical events in CloudEvents 1.0 structured JSON on the Kafka topics
 * and Artemis multicast addresses {@code millwright.events.<type>} (MQTT clients see them on
 * {@code millwright/events/<type>}), created at start-up. Kafka gets every event asynchronously
 * through one idempotent producer, which tells in-process readers (the analytics feed) of each
 * acknowledged record ({@link io.millwright.model.PublishedRecordListener}); Artemis gets each batch in one transaction, signals
 * non-persistent, states and counts persistent. Exposes the route {@code direct:mes-event-publish}
 * and {@link io.millwright.mes.MesProperties}. Depends on {@code model}, and on {@code ops} for the
 * batch entry shared by the flows ({@link io.millwright.ops.FlowBatches}).
 */
package io.millwright.mes;
