#!/usr/bin/env bash
# Analytics benchmark (issue #10), one JVM, hub and bare side by side in the same run:
# events/s written to the Parquet lake by the hub's lake writer vs a bare DuckDB appender of the
# same rows, and one aggregate query through the hub's lake query (the code behind
# POST /api/analytics/query, in-process) vs DuckDB reading the same files directly. See docs/benchmarks.md.
#   ./scripts/benchmark-analytics.sh                         200000 events, 3 rounds (first is warm-up)
#   ./scripts/benchmark-analytics.sh --events 50000 --rounds 2
# With --feed first: the side routes' cost per signal, stage by stage (Kafka records, parse, lake,
# rollups, anomaly detection; thread CPU-us per signal) beside a bare Jackson parse and a bare
# DuckDB appender of the same records (AnalyticsFeedBenchmark, issue #5):
#   ./scripts/benchmark-analytics.sh --feed                  200000 signals, 10000 tags, 3 rounds
#   ./scripts/benchmark-analytics.sh --feed --signals 400000 --rounds 4
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -o -DskipTests test-compile
./mvnw -B -q -o dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt
main=io.millwright.bench.analytics.AnalyticsBenchmark
if [[ "${1:-}" == "--feed" ]]; then
  main=io.millwright.bench.analytics.AnalyticsFeedBenchmark
  shift
fi
exec java -Xmx1g -Dlogback.configurationFile=bench/logback-bench.xml \
  -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" \
  "$main" "$@"
