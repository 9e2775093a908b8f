#!/usr/bin/env bash
# ZKML finality on chain (issue 12): a devnet of real processes (anvil, one inference node, three
# validator processes, the model hub; loopback only), anvil switched to mining only a block a
# second, then 50 on-chain ZKML requests one after another (after 2 unmeasured warm-up requests).
# Prints each step's median and p95 in blocks (submitted → committee drawn → quorum = finalized)
# and seconds, the first request's timeline and a Markdown table (bench/README.md "ZKML
# finality"); writes bench/target/zkml-finality.json, the processes' logs in
# bench/target/zkml-finality/devnet/. About 3 minutes (each request is bounded by
# --request-timeout-s).
#
#   bench/run-zkml-finality.sh                          # 50 requests, 3 validators, 1 s blocks
#   bench/run-zkml-finality.sh --requests 10 --in-flight 4
#   bench/run-zkml-finality.sh --help                   # every flag
#   SKIP_BUILD=1 bench/run-zkml-finality.sh             # reuse bench/target/vouch-benchmarks.jar
set -euo pipefail
bench=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
root=$(dirname "$bench")
# Points JAVA_HOME at a JDK >= 21, as ./mvnw does.
. "$root/.mvn/find-jdk.sh"
bash "$root/tools/ensure-node-tools.sh" >/dev/null

jar="$bench/target/vouch-benchmarks.jar"
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  (cd "$root" && ./mvnw -q -pl bench -am package -DskipTests)
fi

extra=(--enable-native-access=ALL-UNNAMED "-Dvouch.root=$root")
# protobuf-java (ONNX writing) still uses sun.misc.Unsafe; JDK 24+ warns about it unless allowed.
[ "$(vouch_java_major "$JAVA_HOME")" -ge 24 ] 2>/dev/null && extra+=(--sun-misc-unsafe-memory-access=allow)
# From the root: the defaults --out bench/target/zkml-finality.json, --work-dir bench/target/zkml-finality.
cd "$root"
exec "$JAVA_HOME/bin/java" "${extra[@]}" -cp "$jar" io.vouch.bench.finality.ZkmlFinality "$@"
