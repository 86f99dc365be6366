/**
 * MES-facing publishing: canonical events in CloudEvents 1.0 structured JSON on Kafka topics and
 * Artemis multicast addresses {@code millwright.events.<type>} (MQTT clients see them on
 * {@code millwright/events/<type>}). Exposes the route {@code direct:mes-event-publish}. Depends
 * on {@code model} only.
 */
package io.millwright.mes;
