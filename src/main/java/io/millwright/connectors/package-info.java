/**
 * Enterprise connectors (layer 4): SCM, CRM and PLM sinks configured by files, with no code per
 * customer. Each file in {@code mappings/connectors/} names the canonical event types it takes, a
 * JSONata condition and mapping, and an HTTP target with its authentication (basic, API key,
 * OAuth2 client credentials through camel-http) and retries. What the target refuses or never takes
 * goes to the hub's dead-letter store with the reason and can be resubmitted; every request carries
 * the source event's CloudEvents id as {@code Idempotency-Key}, so a resubmission is recognisable.
 *
 * <p>Uses: {@code model} (event types, endpoints, headers) and {@code ops} (hub directories).
 */
package io.millwright.connectors;
