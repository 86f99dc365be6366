#!/usr/bin/env bash
# Measures the all-in-one hub: seconds from launch to ready (/actuator/health/readiness = 200) and
# the JVM's resident memory after it has run a while. Runs the packaged jar on a fresh data
# directory with the default ports, so stop any running hub first.
#   ./scripts/measure-startup.sh [seconds-to-run-before-rss, default 60]
set -euo pipefail
cd "$(dirname "$0")/.."
settle=${1:-60}
./mvnw -B -q -DskipTests package
jar=$(ls target/millwright-*.jar | grep -v original | head -n 1)
data=$(mktemp -d)
export MILLWRIGHT_ADMIN_PASSWORD=${MILLWRIGHT_ADMIN_PASSWORD:-measure-$RANDOM$RANDOM}
start=$(date +%s%N)
java -Xmx512m -jar "$jar" --millwright.data-dir="$data" > "$data/console.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$data"' EXIT
until curl -sf -o /dev/null http://127.0.0.1:8080/actuator/health/readiness; do
  kill -0 $pid 2>/dev/null || { echo "hub exited; see $data/console.log"; tail -n 20 "$data/console.log"; exit 1; }
  sleep 0.2
done
ready=$(( ($(date +%s%N) - start) / 1000000 ))
echo "ready_ms=$ready (launch to readiness 200)"
echo "rss_kib_at_ready=$(ps -o rss= -p $pid | tr -d ' ')"
sleep "$settle"
echo "rss_kib_after_${settle}s=$(ps -o rss= -p $pid | tr -d ' ')"
posted=$(grep -c "Confirmation posted" "$data/console.log" || true)
echo "confirmations_posted_after_${settle}s=$posted"
