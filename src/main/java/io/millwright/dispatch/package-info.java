/**
 * Order dispatch in (MES to hub): {@code POST /api/dispatch} and the Artemis queue
 * {@code millwright.dispatch} take a B2MML-inspired dispatch (job order, operation, work unit,
 * status, start), checked against {@code mappings/schemas/dispatch.v1.schema.json}; it drives the
 * {@link io.millwright.production.OrderContext} (a node value takes precedence) and emits
 * {@code order-started} / {@code order-completed} events to {@code direct:mes-event-publish}.
 * Depends on {@code model}, on {@code production} for the order context, and on {@code ops} for
 * the mappings folder.
 */
package io.millwright.dispatch;
