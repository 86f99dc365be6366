/**
 * Sparkplug B 3.0 primary host application ({@code millwright.sparkplug.*}, off by default):
 * {@link io.millwright.ot.sparkplug.SparkplugHost} on Paho MQTT v3 with Eclipse Tahu's payload codec
 * (docs/adr/0004-sparkplug-host-on-tahu-codec.md says why not camel-tahu's {@code tahu-host}),
 * the session logic (births, aliases, seq, bdSeq-matched deaths, rebirth requests) in
 * {@code SparkplugSessions}, and two routes: readings to {@code direct:telemetry-intake} (sources
 * {@code sparkplug://<group>/<node>[/<device>]}) and data-gap events to the publishing seam.
 * Depends on {@code model} only (the endpoints, {@link io.millwright.model.SourceReading},
 * {@link io.millwright.model.DataGap} and {@link io.millwright.model.AssetLookup}, which {@code enrich}
 * implements), on Camel, Paho, Tahu, Micrometer and Spring.
 */
package io.millwright.ot.sparkplug;
