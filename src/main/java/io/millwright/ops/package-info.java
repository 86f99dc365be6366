/**
 * Operations: the platform's error policies (route configurations every flow opts into by
 * {@code routeConfigurationId}), and the flow files in {@code routes/}: loaded at start-up and
 * hot-reloaded, each file validated in a throwaway context before its routes are swapped, so a
 * broken file never stops the running flows ({@link io.millwright.ops.RouteFiles} reports the
 * state of every file), and the directories every capability reads
 * ({@link io.millwright.ops.HubDirectoriesProperties}), and the entry every batch flow shares
 * ({@link io.millwright.ops.FlowBatches}: list, one item or JSON in; resubmit point; parking),
 * the platform's {@code millwright_*} meters ({@link io.millwright.ops.HubMetrics}) and the REST
 * API's answer to bad input (RFC 9457 problem+json naming the parameter or field,
 * {@link io.millwright.ops.ApiProblemResolver}), and the Kafka clients' shared settings: the login
 * ({@link io.millwright.ops.KafkaClientProperties}) and lz4's native codec in the packaged jar
 * ({@link io.millwright.ops.Lz4Codec}). Depends on {@code model} only: failures
 * reach the dead-letter store through {@code direct:tracking-dead-letter}.
 */
package io.millwright.ops;
