#!/usr/bin/env bash
# A lying node against the real contracts (issue 12): 1,000 requests from a node that lies on 20 %
# of them under a 10 % audit, and the requests until its first slash over 50 seeds
# (contracts/scale/test/LyingNodeSim.t.sol, forge profile "sim"). Prints the "SIM …" lines;
# contracts/README.md "Economics" carries them. About 15 s of CPU.
set -euo pipefail
bench=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
root=$(dirname "$bench")
bash "$root/tools/ensure-node-tools.sh" >/dev/null
forge="${FORGE:-$root/node_modules/@foundry-rs/forge-linux-amd64/bin/forge}"
cd "$root/contracts/scale"
FOUNDRY_PROFILE=sim "$forge" test --offline --color never -vv --match-contract LyingNodeSim | grep -E '^\s*SIM|PASS|FAIL|Suite result'
