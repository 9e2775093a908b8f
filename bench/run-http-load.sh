#!/usr/bin/env bash
# Builds the benchmarks jar and runs the HTTP load test of issue 9 against a node in its own JVM
# (a fresh one per scenario, loopback only): baseline, 500 idle connections, 500 slow-header
# connections, 50 connections declaring 32 MiB bodies, 30 s each, while two well-behaved clients
# call /health and /v1/infer. Prints Markdown tables and writes bench/target/http-load.json; the
# nodes' logs go to bench/target/http-load/. About 3 minutes.
#
#   bench/run-http-load.sh                                   # the four scenarios, default sizes
#   bench/run-http-load.sh --scenarios idle --idle-connections 600 --duration-s 20
#   bench/run-http-load.sh --help                            # every flag (sizes, timeouts, heap)
#   SKIP_BUILD=1 bench/run-http-load.sh                      # reuse bench/target/vouch-benchmarks.jar
set -euo pipefail
bench=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
root=$(dirname "$bench")
# Points JAVA_HOME at a JDK >= 21, as ./mvnw does.
. "$root/.mvn/find-jdk.sh"

jar="$bench/target/vouch-benchmarks.jar"
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  (cd "$root" && ./mvnw -q -pl bench -am package -DskipTests)
fi

# Each attacking connection costs a descriptor in this JVM and one in the node's (it inherits the
# limit): raise the soft limit to the hard one when it is below what the largest scenario needs.
need=4096
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt "$need" ]; then
  ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
  if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt "$need" ]; then
    echo "run-http-load: open-file limit $(ulimit -n) < $need; large scenarios may fail to open connections" >&2
  fi
fi
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), open files $(ulimit -n)"

extra=()
# protobuf-java (ONNX writing) still uses sun.misc.Unsafe; JDK 24+ warns about it unless allowed.
[ "$(vouch_java_major "$JAVA_HOME")" -ge 24 ] 2>/dev/null && extra+=(--sun-misc-unsafe-memory-access=allow)
# From the root: the defaults --out bench/target/http-load.json, --work-dir bench/target/http-load.
cd "$root"
exec "$JAVA_HOME/bin/java" "${extra[@]}" -cp "$jar" io.vouch.bench.http.HttpLoadTest "$@"
