#!/usr/bin/env bash
# Free heap a ZKML proof needs beyond the loaded model, by bisection over fresh JVMs (serial
# collector). Each trial (io.vouch.bench.zk.ZkmlHeapProbe) builds and registers the model, fills the
# heap with ballast until only HEADROOM is free, and runs PROOFS proofs (workload prove) or as many
# rounds of 200 integer inferences of the same model (workload infer); the smallest headroom at
# which the workload runs without OutOfMemoryError is bisected for both. The infer figure is the
# floor any workload needs (allocation buffers, the collector's spaces); prove minus infer is the
# peak live heap of a proof. Compare with the bytes allocated per proof that bench/run-zkml.sh
# reports (JMH -prof gc).
#
#   bench/run-zkml-heap.sh                    # MNIST_MLP (784-128-10), cold: nothing before the ballast
#   WARMUP=3000 bench/run-zkml-heap.sh        # a warm prover: 3000 proofs before the ballast
#   bench/run-zkml-heap.sh SUPPORT_INTENTS
#   HEAP=3g PROOFS=5 STEP_KB=1024 bench/run-zkml-heap.sh DENSE_4M
#   SKIP_BUILD=1 STEP_KB=64 bench/run-zkml-heap.sh
set -euo pipefail
bench=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
root=$(dirname "$bench")
. "$root/.mvn/find-jdk.sh"

model=${1:-MNIST_MLP}
heap=${HEAP:-512m}       # the whole heap: must hold the model's build and registration
proofs=${PROOFS:-20}     # proofs per trial, back to back
step=${STEP_KB:-128}     # bisection resolution
warmup=${WARMUP:-0}      # proofs before the ballast (0: a cold prover, the conservative figure)
jar="$bench/target/vouch-benchmarks.jar"

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  (cd "$root" && ./mvnw -q -pl bench -am package -DskipTests)
fi

# -Xmn8m: a small young generation (eden 6 MB, survivors 1 MB each), so that nearly all of the
# headroom is in one contiguous old generation after a full collection
trial() { # WORKLOAD HEADROOM_KB
  "$JAVA_HOME/bin/java" -XX:+UseSerialGC "-Xms$heap" "-Xmx$heap" -Xmn8m -XX:SurvivorRatio=6 \
    -cp "$jar" io.vouch.bench.zk.ZkmlHeapProbe "$model" "$2" "$proofs" "$warmup" "$1"
}

# 0 if WORKLOAD fits in HEADROOM_KB (its output line in $last_ok), 1 if it ran out of memory
fits() { # WORKLOAD HEADROOM_KB
  local out rc
  set +e
  out=$(trial "$1" "$2" 2>/dev/null)
  rc=$?
  set -e
  echo "  $1, headroom $2 KB: $out" >&2
  case $rc in
    0) last_ok=$out; return 0 ;;
    3) return 1 ;;
    *) echo "trial failed (exit $rc): $(trial "$1" "$2" 2>&1 | tail -3)" >&2; exit 1 ;;
  esac
}

# prints "HEADROOM_KB FREE_BYTES ALLOCATED_PER_PROOF HELPER_ALLOCATED_PER_PROOF LOADED_MODEL" of
# the smallest headroom at which WORKLOAD fits
bisect() { # WORKLOAD
  local lo=0 hi=4096 mid best
  field() { sed -n "s/.* $1=\([0-9]*\).*/\1/p" <<<"$best"; }
  if fits "$1" 0; then
    # what little the fill leaves (about a survivor space) was enough
    best=$last_ok
    echo "0 $(field free) $(field allocatedPerProof) $(field helperAllocatedPerProof) $(field loadedModel)"
    return
  fi
  until fits "$1" "$hi"; do
    lo=$hi
    hi=$((hi * 2))
  done
  best=$last_ok
  while [ $((hi - lo)) -gt "$step" ]; do
    mid=$(((lo + hi) / 2))
    if fits "$1" "$mid"; then hi=$mid; best=$last_ok; else lo=$mid; fi
  done
  echo "$hi $(field free) $(field allocatedPerProof) $(field helperAllocatedPerProof) $(field loadedModel)"
}

echo "== $model: heap $heap, $warmup warm-up + $proofs proofs per trial, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg) ==" >&2
read -r infer_kb infer_free _ _ _ < <(bisect infer)
read -r prove_kb prove_free alloc helper loaded < <(bisect prove)

echo
echo "== $model: free heap a proof needs beyond the loaded model (load $(cut -d' ' -f1-3 /proc/loadavg)) =="
awk -v loaded="$loaded" -v pf="$prove_free" -v pk="$prove_kb" -v inf="$infer_free" -v ik="$infer_kb" \
  -v alloc="$alloc" -v helper="$helper" -v step="$step" 'BEGIN {
  printf "loaded model (live heap after full GC, JVM baseline included): %.1f MB\n", loaded / 1e6
  printf "smallest free heap, proofs:             %.2f MB (%d KB requested, %d KB resolution)\n", pf / 1e6, pk, step
  printf "smallest free heap, integer inference:  %.2f MB (%d KB; the floor of any workload)\n", inf / 1e6, ik
  printf "peak live heap of a proof (difference): %.2f MB\n", (pf - inf) / 1e6
  printf "allocated per proof in that trial, all threads: %.2f MB (helper thread alone: %.2f MB)\n", alloc / 1e6, helper / 1e6
}'
