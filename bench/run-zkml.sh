#!/usr/bin/env bash
# Builds the benchmarks jar and runs the ZKML JMH suite (integer inference, prove, verify for
# MNIST_MLP 784-128-10, SUPPORT_INTENTS 512-64-8, DENSE_4M 2048-1024-1024-1024-10, LENET5 (LeNet-5
# on 28×28), CNN_264K (a CIFAR-sized CNN of 263,330 parameters), KWS_HEAD (a keyword-spotting head)
# and TRANSFORMER_250K (a 2-layer transformer encoder of 250,250 parameters); about 10 min on 2 cores) with
# JMH's GC profiler, writes JMH's JSON to bench/target/zkml.json and prints
# prove and verify as multiples of the integer inference measured in the same run, beside the
# megabytes each allocates per operation (gc.alloc.rate.norm: every thread of the benchmark JVM,
# the prover's helper thread included). bench/run-zkml-heap.sh measures peak live heap instead.
#
#   bench/run-zkml.sh                        # the whole suite
#   bench/run-zkml.sh -p model=MNIST_MLP     # extra arguments go to JMH
#   SKIP_BUILD=1 bench/run-zkml.sh
set -euo pipefail
bench=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
root=$(dirname "$bench")
# Points JAVA_HOME at a JDK >= 21, as ./mvnw does.
. "$root/.mvn/find-jdk.sh"

jar="$bench/target/vouch-benchmarks.jar"
result="$bench/target/zkml.json"

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  (cd "$root" && ./mvnw -q -pl bench -am package -DskipTests)
fi

"$JAVA_HOME/bin/java" -jar "$jar" "io.vouch.bench.zk.ZkmlBenchmarks" -prof gc "$@" -rf json -rff "$result"

echo
echo "== ZKML vs integer inference, same run ($(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); $result) =="
"$JAVA_HOME/bin/java" -cp "$jar" io.vouch.bench.zk.ZkmlReport "$result"
