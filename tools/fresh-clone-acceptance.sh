#!/usr/bin/env bash
# A new user's first session, as written in the README, with the real launcher (./vouch) on a
# fresh clone — what CI runs after `./mvnw verify` (.ci/run), and what anyone can run by hand:
#
#   1. `./vouch --help` twice: the first call may build the CLI, the second must not (it prints no
#      "building" line) and its time is reported (about half a second on this machine); the launcher
#      starts a client command on C1 alone and a proving one with the full JIT;
#   2. `./vouch devnet up`, then `./vouch devnet down` (a devnet that lived before);
#   3. the README's "Try it" block exactly as written (devnet up on a new chain, train-intents,
#      push, infer on the direct path and on chain, verify both);
#   4. `examples/quickstart` (the SDK program) against that devnet;
#   5. `./vouch devnet down`.
#
# Run from the repository's root of a clone you can spare: it writes the block's files
# (intents.tsv, my.onnx, r.json, oc.json) and .vouch/ there. Exit 0 only when every step passed;
# a failed step names itself and shows its output.
set -euo pipefail
root=$(CDPATH= cd -- "$(dirname -- "$0")/.." && pwd)
cd "$root"
work=$(mktemp -d)
trap './vouch devnet down >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

step() { echo "== acceptance: $*"; }
fail() {
  echo "acceptance FAILED: $1" >&2
  [ -f "$work/out" ] && sed -e 's/^/  | /' "$work/out" >&2
  exit 1
}
now_ms() { date +%s%3N; }

step "./vouch --help (first call; builds the CLI when needed)"
./vouch --help >"$work/out" 2>&1 || fail "./vouch --help"

step "./vouch --help again (must start without building)"
t0=$(now_ms)
./vouch --help >"$work/out" 2>&1 || fail "./vouch --help (second call)"
t1=$(now_ms)
if grep -q "building" "$work/out"; then fail "the second ./vouch --help rebuilt the CLI"; fi
echo "   second ./vouch --help: $((t1 - t0)) ms, no build"

step "./vouch picks the JIT per command (tools/vouch-jvm-options.sh)"
jit() { JAVA_OPTS=-XX:+PrintFlagsFinal ./vouch "$@" 2>&1 | sed -n 's/^ *intx TieredStopAtLevel *= *\([0-9]\).*/\1/p'; }
[ "$(jit model list --help)" = 1 ] || fail "./vouch model list does not run on C1 alone (TieredStopAtLevel $(jit model list --help))"
[ "$(jit zk prove --help)" = 4 ] || fail "./vouch zk prove does not run with the full JIT (TieredStopAtLevel $(jit zk prove --help))"
echo "   model list: C1 alone; zk prove: the full JIT"

step "./vouch devnet up, then down (a devnet that lived before the README's)"
./vouch devnet up >"$work/out" 2>&1 || fail "devnet up"
./vouch devnet down >"$work/out" 2>&1 || fail "devnet down"

step "README 'Try it' block, as written"
awk '/^## Try it/ { on = 1; next } on && /^```/ { if (inside) exit; inside = 1; next } inside' \
  README.md >"$work/try-it.sh"
grep -q "devnet up" "$work/try-it.sh" || fail "no 'Try it' block found in README.md"
t0=$(now_ms)
bash -euo pipefail "$work/try-it.sh" >"$work/out" 2>&1 || fail "the README's 'Try it' block"
t1=$(now_ms)
finality=$(sed -n 's/.*"finality" *: *"\([A-Z_]*\)".*/\1/p' oc.json | head -n 1)
[ "$finality" = FINALIZED ] || fail "the on-chain result is not final: \"${finality:-no finality field}\" in oc.json"
echo "   the block ran in $(((t1 - t0) / 1000)) s; the on-chain result: ${finality:-?}"

step "examples/quickstart against the devnet"
examples/quickstart >"$work/out" 2>&1 || fail "examples/quickstart"
tail -n 3 "$work/out" | sed -e 's/^/   /'

step "./vouch devnet down"
./vouch devnet down >"$work/out" 2>&1 || fail "devnet down"
echo "== acceptance: passed"
