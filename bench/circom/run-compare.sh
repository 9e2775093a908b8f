#!/usr/bin/env bash
# Side-by-side on this machine: the same integer MLP proved by Vouch's prover (Java, in-process,
# warm JVM) and by a Groth16 circuit (circom 2 + snarkjs 0.7.6, warm node process). For every
# SHAPE (one hidden ReLU layer, default 64-32-10) it
#   1. builds the seeded random MLP and quantizes it (io.vouch.bench.zk.CircomExport), writes the
#      circuit's main.circom + input.json + the Java engine's logits, and measures Vouch on it;
#   2. compiles circuits/mlp.circom with circom2, runs the Groth16 setup on a cached local
#      powers-of-tau (ptau.sh; benchmark-only, not a real ceremony);
#   3. times witness, prove and verify with snarkjs (measure.mjs), checking that the circuit's
#      output equals the Java integer engine's logits;
# then prints the comparison and, with EXTRAPOLATE_TO (default 784-128-10, unless that shape is
# measured; EXTRAPOLATE_TO= turns it off), compiles that circuit only to count its constraints and
# scales the largest measured Groth16 prove time by the constraint ratio (labelled as such).
#
#   bench/circom/run-compare.sh                      # 64-32-10, about 5 min the first time (ptau)
#   bench/circom/run-compare.sh 64-32-10 196-64-10   # more shapes (2^15 ptau: ~15 min once)
#   bench/circom/run-compare.sh 64-32-10 196-64-10 784-128-10   # measured in full (2^17 ptau: ~80 min once)
#   SKIP_BUILD=1 ROUNDS=5 bench/circom/run-compare.sh
set -euo pipefail
here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
root=$(dirname "$(dirname "$here")")
. "$root/.mvn/find-jdk.sh"
shapes=("$@")
if [ ${#shapes[@]} -eq 0 ]; then shapes=(64-32-10); fi
rounds=${ROUNDS:-5}
extrapolate=${EXTRAPOLATE_TO-784-128-10} # EXTRAPOLATE_TO= turns it off
for shape in "${shapes[@]}"; do
  if [ "$shape" = "$extrapolate" ]; then extrapolate=""; fi # measured: nothing to extrapolate
done
jar="$root/bench/target/vouch-benchmarks.jar"

cd "$here"
if [ ! -x node_modules/.bin/snarkjs ]; then
  npm ci --no-audit --no-fund
fi
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  (cd "$root" && ./mvnw -q -pl bench -am package -DskipTests)
fi
java=("$JAVA_HOME/bin/java" -cp "$jar" "-Dvouch.circuits=$here/circuits/mlp.circom")
snarkjs="$here/node_modules/.bin/snarkjs"

# smallest cached ptau at least 2^power, else make exactly 2^power
ptau_for() {
  local need=$1 p
  for p in $(seq "$need" 20); do
    local f="${VOUCH_PTAU_CACHE:-$HOME/.cache/vouch/ptau}/pot${p}_final.ptau"
    if [ -s "$f" ]; then echo "$f"; return; fi
  done
  "$here/ptau.sh" "$need"
}

# seconds since $1 (date +%s.%N), as a JSON number (bc would print .67 for 0.67)
elapsed() { awk -v s="$1" -v e="$(date +%s.%N)" 'BEGIN { printf "%.3f\n", e - s }'; }

constraints_of() { # r1cs info prints "# of Constraints: N"
  "$snarkjs" r1cs info "$1" | sed -n 's/.*# of Constraints: *\([0-9]*\).*/\1/p'
}

for shape in "${shapes[@]}"; do
  out="$here/build/$shape"
  echo "== $shape: export + Vouch prover (Java, ${rounds} rounds)"
  "${java[@]}" io.vouch.bench.zk.CircomExport "$shape" "$out" "$rounds"
  echo "== $shape: circom compile"
  start=$(date +%s.%N)
  node_modules/.bin/circom2 "$out/main.circom" --r1cs --wasm -o "$out" > "$out/compile.log"
  compile_s=$(elapsed "$start")
  n=$(constraints_of "$out/main.r1cs")
  power=$(node -e "console.log(Math.max(8, Math.ceil(Math.log2($n + 100))))")
  ptau=$(ptau_for "$power")
  echo "   $n constraints, ptau 2^$power ($ptau)"
  # the zkey belongs to one R1CS: set up again when the circuit changed (e.g. a new shift)
  r1cs_sum=$(sha256sum "$out/main.r1cs" | cut -d' ' -f1)
  if [ ! -s "$out/main.zkey" ] || [ "$(cat "$out/setup_r1cs.sha256" 2>/dev/null)" != "$r1cs_sum" ]; then
    start=$(date +%s.%N)
    "$snarkjs" groth16 setup "$out/main.r1cs" "$ptau" "$out/main_0.zkey" > /dev/null
    "$snarkjs" zkey contribute "$out/main_0.zkey" "$out/main.zkey" \
      --name="vouch bench" -e="vouch-bench-not-a-real-ceremony" > /dev/null
    "$snarkjs" zkey export verificationkey "$out/main.zkey" "$out/vk.json" > /dev/null
    rm -f "$out/main_0.zkey"
    elapsed "$start" > "$out/setup_seconds"
    echo "$r1cs_sum" > "$out/setup_r1cs.sha256"
  fi
  echo "{\"constraints\": $n, \"ptauPower\": $power, \"compileSeconds\": $compile_s, \"setupSeconds\": $(cat "$out/setup_seconds")}" > "$out/circuit.json"
  echo "== $shape: snarkjs Groth16 (${rounds} rounds)"
  node measure.mjs "$out" "$rounds"
done

if [ -n "$extrapolate" ]; then
  out="$here/build/$extrapolate"
  echo "== $extrapolate: circuit compiled for its constraint count only; Vouch measured"
  "${java[@]}" io.vouch.bench.zk.CircomExport "$extrapolate" "$out" "$rounds"
  # CircomExport rewrites main.circom only when the circuit changed; recompile then
  if [ ! -s "$out/main.r1cs" ] || [ "$out/main.circom" -nt "$out/main.r1cs" ]; then
    node_modules/.bin/circom2 "$out/main.circom" --r1cs -o "$out" > "$out/compile.log"
  fi
  echo "{\"constraints\": $(constraints_of "$out/main.r1cs"), \"extrapolated\": true}" > "$out/circuit.json"
fi

echo
echo "== ZKML comparison, same machine ($(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg))"
node report.mjs "$here/build" "${shapes[@]}" ${extrapolate:+--extrapolate "$extrapolate"}
