#!/usr/bin/env bash
# Prints the path of a prepared (phase 2) powers-of-tau file for 2^POWER constraints, making it
# once and caching it outside the repository (default ~/.cache/vouch/ptau) because preparing it is
# the slow part (TOOLING.md: ~14 s at 2^10, ~65 s at 2^12, ~4.5x per two powers on 2 cores).
#
# The ceremony has ONE local contributor with fixed entropy: fine for timing, worthless for
# security. Never use these files to set up a circuit whose proofs anyone should trust.
#
#   bench/circom/ptau.sh 15
set -euo pipefail
power=${1:?usage: ptau.sh POWER}
here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
cache=${VOUCH_PTAU_CACHE:-$HOME/.cache/vouch/ptau}
mkdir -p "$cache"
final="$cache/pot${power}_final.ptau"
if [ ! -s "$final" ]; then
  snarkjs="$here/node_modules/.bin/snarkjs"
  tmp="$cache/pot${power}.tmp"
  "$snarkjs" powersoftau new bn128 "$power" "$tmp.0.ptau" >&2
  "$snarkjs" powersoftau contribute "$tmp.0.ptau" "$tmp.1.ptau" \
    --name="vouch benchmark only" -e="vouch-bench-not-a-real-ceremony" >&2
  "$snarkjs" powersoftau prepare phase2 "$tmp.1.ptau" "$tmp.final.ptau" >&2
  mv "$tmp.final.ptau" "$final"
  rm -f "$tmp.0.ptau" "$tmp.1.ptau"
fi
echo "$final"
