/**
 * Analytics side routes (layer 3), each reading the canonical Kafka topics
 * {@code millwright.events.<type>} in its own consumer group, so none slows the telemetry path;
 * they read the events' JSON, not the telemetry path's classes:
 * <ul>
 *   <li>the data lake: every event as Hive-partitioned Parquet under {@code <data-dir>/lake/},
 *       written through an embedded DuckDB, and read-only SQL over it ({@code POST /api/analytics/query});
 *   <li>rollups per tag at 1 min and 1 h in the hub's database ({@code GET /api/timeseries});
 *   <li>OEE per machine, line and shift from the lake ({@code GET /api/kpi/oee});
 *   <li>anomaly detection on measurements, publishing {@code anomaly} and {@code maintenance-request}
 *       events through {@code direct:mes-event-publish}.
 * </ul>
 * The lake, the rollups and anomaly detection share one reader, the analytics feed (its own Camel
 * component, {@code analytics-feed:}), which takes the records the hub has just published from the
 * publisher through {@link io.millwright.model.PublishedRecordListener} and reads the rest from Kafka.
 * Depends on {@code model} (event types, envelopes, endpoints, the published-record listener) and
 * {@code ops} (the hub's directories, the Kafka login, reading a Kafka poll at a time).
 */
package io.millwright.analytics;
