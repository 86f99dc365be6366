#!/usr/bin/env bash
# Sparkplug B benchmark (issue #7): an edge node publishes NBIRTH then NDATA (metrics by alias,
# Tahu-encoded, QoS 0) to the MQTT broker as fast as it can; a bare Paho subscriber (the broker's
# own rate) and the hub's Sparkplug host with its ingest route (decoding to canonical readings) take
# the same stream in the same run. Prints metrics received, lost and metrics/s per side and the
# hub/bare ratio. Needs the broker (Mosquitto on 127.0.0.1:1883: mosquitto -d -p 1883). See docs/benchmarks.md.
#   ./scripts/benchmark-sparkplug.sh                                   20,000 messages x 10 metrics
#   ./scripts/benchmark-sparkplug.sh --messages 50000 --metrics 20 --broker tcp://127.0.0.1:1883
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -o -DskipTests test-compile
./mvnw -B -q -o dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt
exec java -Xmx512m -Dlogback.configurationFile=bench/logback-bench.xml \
  -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" \
  io.millwright.bench.sparkplug.SparkplugBenchmark "$@"
