#!/usr/bin/env bash
# Builds the benchmarks jar and runs the direct-path JMH suite (a few minutes on 2 cores), writes
# JMH's JSON to bench/target/direct.json, then prints every figure as a ratio against the ONNX
# Runtime baseline measured in the same run.
#
#   bench/run-direct.sh                      # the whole suite
#   bench/run-direct.sh DirectPathLatency    # extra arguments go to JMH (a regex, -p model=MNIST_MLP, ...)
#   SKIP_BUILD=1 bench/run-direct.sh         # reuse bench/target/vouch-benchmarks.jar
set -euo pipefail
bench=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
root=$(dirname "$bench")
# Points JAVA_HOME at a JDK >= 21, as ./mvnw does.
. "$root/.mvn/find-jdk.sh"

jar="$bench/target/vouch-benchmarks.jar"
result="$bench/target/direct.json"

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  (cd "$root" && ./mvnw -q -pl bench -am package -DskipTests)
fi

filter=("io.vouch.bench.direct.")
if [ $# -gt 0 ]; then filter=(); fi
"$JAVA_HOME/bin/java" -jar "$jar" "${filter[@]}" "$@" -rf json -rff "$result"

echo
echo "== direct path vs ONNX Runtime, same run ($(nproc) cores; $result) =="
"$JAVA_HOME/bin/java" -cp "$jar" io.vouch.bench.report.DirectPathReport "$result"
