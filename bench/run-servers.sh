#!/usr/bin/env bash
# Builds the benchmarks jar and runs the HTTP server comparison (io.vouch.bench.server, about
# 24 min on 2 cores) together with the ONNX Runtime baseline in the same run, writes JMH's JSON to
# bench/target/servers.json, then prints one table per model (bench/README.md, "HTTP server
# comparison").
#
#   bench/run-servers.sh                                  # the whole comparison
#   bench/run-servers.sh -p server=NODE,JETTY     # extra arguments go to JMH
#   SKIP_BUILD=1 bench/run-servers.sh                     # reuse bench/target/vouch-benchmarks.jar
set -euo pipefail
bench=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
root=$(dirname "$bench")
# Points JAVA_HOME at a JDK >= 21, as ./mvnw does.
. "$root/.mvn/find-jdk.sh"

jar="$bench/target/vouch-benchmarks.jar"
result="$bench/target/servers.json"

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  (cd "$root" && ./mvnw -q -pl bench -am package -DskipTests)
fi

echo "load before: $(uptime)"
"$JAVA_HOME/bin/java" -jar "$jar" 'io\.vouch\.bench\.server\.' 'OnnxRuntimeBaseline' "$@" \
  -rf json -rff "$result"
echo "load after: $(uptime)"

echo
echo "== direct path behind each HTTP server vs ONNX Runtime, same run ($(nproc) cores; $result) =="
"$JAVA_HOME/bin/java" -cp "$jar" io.vouch.bench.report.ServerComparisonReport "$result"
