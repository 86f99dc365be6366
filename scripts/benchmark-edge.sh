#!/usr/bin/env bash
# Store-and-forward benchmark (issue #7): (drain) an edge and a central Artemis with the hub's link
# configuration; the central is down while the edge publishes N machine-state events, then the time
# until the central's ingress consumer has them all, beside Artemis's own core producer->consumer
# rate for the same message size on the same broker, in the same run; (rss) the packaged hub with
# --spring.profiles.active=edge: VmRSS once ready and after idling. See docs/benchmarks.md.
#   ./scripts/benchmark-edge.sh                          both parts, 20,000 events, heap 256m
#   ./scripts/benchmark-edge.sh --only drain --events 50000
#   ./scripts/benchmark-edge.sh --only rss --heap 200m --idle 20s
#   ./scripts/benchmark-edge.sh --only rss --heap 160m --jvm "-XX:+UseSerialGC -XX:TieredStopAtLevel=1" --sim off
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -DskipTests package
./mvnw -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt
exec java -Xmx512m -Dlogback.configurationFile=bench/logback-bench.xml \
  -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" \
  io.millwright.bench.edge.EdgeLinkBenchmark "$@"
