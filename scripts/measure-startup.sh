#!/usr/bin/env bash
# Measures the all-in-one hub: seconds from launch to ready (/actuator/health/readiness = 200) and
# the JVM's resident memory after it has run a while, started the way an operator starts it.
# Runs on a fresh data directory with the default ports, so stop any running hub first.
#   ./scripts/measure-startup.sh [seconds-to-run-before-rss, default 60] [launcher, default script]
# launcher: script   scripts/millwright (the extracted jar with -Xmx512m, bounded direct memory, from its class data
#                    sharing archive: made untimed before, when this jar has none yet, so the figure is a start after
#                    the first, as a service restarts; the first start of a new jar adds the training start)
#           service  config/millwright.service's ExecStart: scripts/millwright, as script
#           maven    ./mvnw spring-boot:run (the plugin's -Xmx512m)
#           jar      plain java -jar, no limit (what the hub warns about)
set -euo pipefail
cd "$(dirname "$0")/.."
settle=${1:-60}
launcher=${2:-script}
./mvnw -B -q -DskipTests package
jar=$(ls target/millwright-*.jar | grep -v original | head -n 1)
data=$(mktemp -d)
export MILLWRIGHT_ADMIN_PASSWORD=${MILLWRIGHT_ADMIN_PASSWORD:-measure-$RANDOM$RANDOM}
if [ "$launcher" = script ] || [ "$launcher" = service ]; then
  # untimed: the archive the launcher's first start of this jar makes (nothing to do when it exists)
  MILLWRIGHT_JAR="$jar" MILLWRIGHT_CDS=auto scripts/millwright --prepare-cds-if-missing
fi
start=$(date +%s%N)
case "$launcher" in
  script|service) MILLWRIGHT_JAR="$jar" scripts/millwright --millwright.data-dir="$data" > "$data/console.log" 2>&1 & ;;
  maven)   ./mvnw -B -q spring-boot:run -Dspring-boot.run.arguments="--millwright.data-dir=$data" > "$data/console.log" 2>&1 & ;;
  jar)     java -jar "$jar" --millwright.data-dir="$data" > "$data/console.log" 2>&1 & ;;
  *) echo "unknown launcher '$launcher' (script, service, maven, jar)" >&2; exit 2 ;;
esac
launched=$!
trap 'pkill -f "millwright.data-dir=$data" 2>/dev/null || true; pkill -P $launched 2>/dev/null || true; kill $launched 2>/dev/null || true; wait $launched 2>/dev/null || true; rm -rf "$data"' EXIT
until curl -sf -o /dev/null http://127.0.0.1:8080/actuator/health/readiness; do
  kill -0 $launched 2>/dev/null || { echo "hub exited; see $data/console.log"; tail -n 20 "$data/console.log"; exit 1; }
  sleep 0.2
done
ready=$(( ($(date +%s%N) - start) / 1000000 ))
# the hub's JVM: the launched process itself, or (Maven) the forked MillwrightApplication
hub=$(pgrep -f "millwright.data-dir=$data" | while read -r p; do
        if grep -q "MillwrightApplication\|millwright-.*\.jar" /proc/$p/cmdline 2>/dev/null && ! grep -q plexus /proc/$p/cmdline; then echo $p; fi
      done | tail -n 1)
echo "launcher=$launcher hub_pid=$hub"
echo "ready_ms=$ready (launch to readiness 200)"
echo "rss_kib_at_ready=$(ps -o rss= -p "$hub" | tr -d ' ')"
echo "max_heap=$(grep -o 'up to [0-9]* MiB may be taken' "$data/console.log" || echo 'bounded (no unbounded-heap warning)')"
sleep "$settle"
echo "rss_kib_after_${settle}s=$(ps -o rss= -p "$hub" | tr -d ' ')"
posted=$(grep -c "Confirmation posted" "$data/console.log" || true)
echo "confirmations_posted_after_${settle}s=$posted"
