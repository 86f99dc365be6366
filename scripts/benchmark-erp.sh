#!/usr/bin/env bash
# ERP benchmark (issue #8): the confirmation relay against the ERP simulator with 65 ms added per
# entity, on H2 and on PostgreSQL (127.0.0.1:5432, db test, trust auth; MILLWRIGHT_TEST_PG_URL to
# change), next to a bare client measured in the same run. Prints confirmations/s at concurrency
# 1, 4, 8 (relays on one outbox) against the ceiling (concurrency / 65 ms) and the bare client, the
# hub-added latency per confirmation, the drain time of a 10,000-confirmation backlog and, on
# PostgreSQL, outbox commits per WAL fsync; then the same levels with OData $batch (relays with
# millwright.erp.post-batch-size 8, the bare client posting $batch requests of 8; the simulator adds
# its 65 ms per changeset, so the ceiling is the same). See docs/benchmarks.md.
#   ./scripts/benchmark-erp.sh                                  both databases (~6 min on 2 cores)
#   ./scripts/benchmark-erp.sh --db postgres --backlog 2000     one database, a smaller backlog
# Other options: --levels 1,4,8 --per-relay 150 --delay-ms 65 --relay-interval-ms 100 --post-batch-size 8 (0: no $batch rows)
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -o -DskipTests test-compile
./mvnw -B -q -o dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt
uptime
exec java -Xmx1g -Dlogback.configurationFile=bench/logback-bench.xml \
  -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" \
  io.millwright.bench.erp.ErpBenchmark "$@"
