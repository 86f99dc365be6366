/**
 * Plain MQTT JSON sources ({@code millwright.mqtt.sources.*}, none by default): routes on
 * camel-paho-mqtt5 (MQTT 5) and camel-paho (MQTT 3.1.1) per topic filter, a JSONata mapping per
 * source compiled once (or the built-in one) from a message to
 * {@link io.millwright.model.SourceReading}s of source {@code mqtt://<id>}, handed to
 * {@code direct:telemetry-intake}; assets come from the rules in {@code mappings/source-assets.yaml}
 * ({@code enrich}). The mapping runs off the MQTT client's thread, behind a bounded SEDA hand-off per
 * source whose fill {@code ops.TelemetryPressure} watches. Depends on {@code model}, {@code ops} (error
 * policy, directories, telemetry pressure), Camel, Micrometer, Jackson and jsonata-java.
 */
package io.millwright.ot.mqtt;
