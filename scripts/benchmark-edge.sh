#!/usr/bin/env bash
# Store-and-forward benchmark (issue #7): (drain) an edge and a central Artemis with the hub's link
# configuration; the central is down while the edge publishes N machine-state events, then the time
# until the central's ingress consumer has them all, beside Artemis's own core producer->consumer
# rate for the same message size on the same broker, in the same run; (rss) the packaged hub with
# --spring.profiles.active=edge started by scripts/millwright (its edge JVM options): VmRSS once ready
# and after idling, and the CPU it used meanwhile. See docs/benchmarks.md.
#   ./scripts/benchmark-edge.sh                          both parts, 20,000 events, the launcher's edge heap
#   ./scripts/benchmark-edge.sh --only drain --events 50000
#   ./scripts/benchmark-edge.sh --only rss --idle 30s --sim off        an edge next to real machines
#   ./scripts/benchmark-edge.sh --only rss --heap 80m --jvm "-XX:TieredStopAtLevel=4 -XX:CICompilerCount=2"
#   ./scripts/benchmark-edge.sh --only rss --launcher off --heap 256m  plain java -Xmx256m -jar
#   ./scripts/benchmark-edge.sh --only rss --sim apart --idle 300s --beside shipped --env "MALLOC_ARENA_MAX=1" --jvm "..."
#       5 minutes of a central outage with a live OPC UA connection, the launcher as shipped measured beside the variant
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -DskipTests package
./mvnw -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt
exec java -Xmx512m -Dlogback.configurationFile=bench/logback-bench.xml \
  -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" \
  io.millwright.bench.edge.EdgeLinkBenchmark "$@"
