#!/usr/bin/env bash
# MES subscription benchmark (issue #9): machine-state events published by the hub's Artemis sender
# and delivered to 1, 10 and 50 queue subscriptions (broker diverts, one consumer each), beside
# Artemis's own `artemis perf client` and a bare Core JMS producer/consumer on one queue with messages
# of the same size, measured in the same run; and webhook deliveries/s to a local receiver. Embedded
# Artemis (artemis perf in a JVM of its own). See docs/benchmarks.md.
#   ./scripts/benchmark-mes.sh                                        2,000 events, 500 webhook events
#   ./scripts/benchmark-mes.sh --events 10000 --subscriptions 1,10,50 --webhook-events 2000
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -o -DskipTests test-compile
./mvnw -B -q -o dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt
# Artemis's own `artemis perf client` (artemis-cli, the broker's version) for the baseline, in its own JVM
./mvnw -B -q -f bench/artemis-cli/pom.xml dependency:build-classpath -Dmdep.outputFile="$PWD/target/artemis-cli-classpath.txt"
exec java -Xmx1g -Dlogback.configurationFile=bench/logback-bench.xml \
  -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" \
  io.millwright.bench.mes.MesSubscriptionBenchmark "$@"
