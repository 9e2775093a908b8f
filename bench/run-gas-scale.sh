#!/usr/bin/env bash
# The contracts at scale (issue 12): gas of request() (ZKML, routed to the court), submitResult and
# a committee draw with 10, 1,000 and 10,000 registered inference nodes and as many validators,
# through forge with every top-level call its own transaction (contracts/scale/foundry.toml:
# isolate; the registrations run in one call each, they are not what is measured). Prints the
# "GAS …" lines; contracts/README.md "Gas at scale" carries them. About 15 s of CPU (chain's
# ScaleGasForgeTest runs the same with the build and bounds the growth).
#
#   bench/run-gas-scale.sh              # all three rows
#   bench/run-gas-scale.sh 'With1000Nodes'   # a forge --match-test pattern
set -euo pipefail
bench=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
root=$(dirname "$bench")
bash "$root/tools/ensure-node-tools.sh" >/dev/null
forge="${FORGE:-$root/node_modules/@foundry-rs/forge-linux-amd64/bin/forge}"
cd "$root/contracts/scale"
"$forge" test --offline --color never -vv --match-test "${1:-Nodes}" | grep -E '^\s*GAS|PASS|FAIL|Suite result'
