/**
 * Analytics side routes (layer 3): the data lake (canonical events as Hive-partitioned Parquet
 * under {@code <data-dir>/lake/}, written through an embedded DuckDB) and read-only SQL over it
 * ({@code POST /api/analytics/query}). The routes consume the canonical Kafka topics
 * {@code millwright.events.<type>} in their own consumer group, so they never slow the telemetry
 * path; they read the events' JSON, not the telemetry path's classes. Depends on {@code model}
 * (event types) and {@code ops} (the hub's directories).
 */
package io.millwright.analytics;
