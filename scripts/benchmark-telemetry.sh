#!/usr/bin/env bash
# Telemetry benchmark (issue #5): a standalone Milo OPC UA server with N variables changing every
# R ms, read by (a) a bare Milo client that sends each change to Kafka and (b) the packaged hub.
# Prints changes offered/received per second, lost, CPU-µs per change, RSS, time to create the
# monitored items, ready time and source->Kafka latency p50/p99. See docs/benchmarks.md.
#   ./scripts/benchmark-telemetry.sh                                   the full table (~16 min)
#   ./scripts/benchmark-telemetry.sh --items 10000 --interval 200ms --seconds 60   one row
#   ./scripts/benchmark-telemetry.sh --only bare|hub ...              one side only
# Other options: --warmup 15s --seconds 30 --grace 10s --start-timeout 180s --max-items-per-call 1000
#   --hub-heap 1g --legacy-hub-connection-file --jfr <dir> --keep (keep logs and work dirs)
#   --no-cds (start the hub without its class data sharing archive; by default it is made untimed first)
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -DskipTests package
./mvnw -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt
exec java -Xmx1g -Dlogback.configurationFile=bench/logback-bench.xml \
  -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" \
  io.millwright.bench.TelemetryBenchmark "$@"
