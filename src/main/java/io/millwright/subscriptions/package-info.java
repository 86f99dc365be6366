/**
 * MES subscriptions: a registry of who receives which events for which assets, stored in the
 * hub's database (table {@code subscription}) with a REST API at {@code /api/subscriptions}, and
 * their delivery as a durable Artemis anycast queue {@code millwright.subscriptions.<name>} fed by
 * broker-side diverts from the event addresses, filtered on the asset path properties the
 * {@code mes} sender sets (asset path levels and, for field filters, the data fields), or as a Kafka
 * topic {@code millwright.subscriptions.<name>} fed by a filtering consumer in its own group, or as
 * webhooks read from the queue. Depends on {@code model} (event types, header names, the
 * validation error) and on {@code ops} for the hub's Kafka login ({@code KafkaClientProperties});
 * talks to Artemis through its management address, not through {@code backbone}.
 */
package io.millwright.subscriptions;
