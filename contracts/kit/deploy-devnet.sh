#!/usr/bin/env bash
# Deploys a consumer contract of this Foundry project to a running Vouch devnet with `forge create`.
#
#   contracts/kit/deploy-devnet.sh [--devnet DIR] FILE:CONTRACT [CONSTRUCTOR ARGS AFTER THE HUB ...]
#   e.g. contracts/kit/deploy-devnet.sh example/ExampleConsumer.sol:ExampleConsumer my-model 1 ""
#
# The devnet folder (default: VOUCH_DEVNET, else .vouch/devnet under the current directory, where
# `vouch devnet up` writes it) gives the chain's RPC URL and the devnet's user key (devnet.json) and
# the InferenceHub's address (deployment.json). The hub is passed as the first constructor argument
# (a VouchConsumer's constructor takes it first), the rest as given. It runs, in this folder:
#
#   forge create FILE:CONTRACT --rpc-url RPC --private-key KEY --broadcast --constructor-args HUB ARGS...
#
# and prints forge's output, whose "Deployed to: 0x…" line is the contract's address. forge comes
# from the repository's node_modules (tools/ensure-node-tools.sh) or FORGE; it compiles offline with
# the pinned solc (foundry.toml). The devnet's keys are anvil's public development keys: on any
# other network run forge create yourself with your own key (e.g. --interactive or --account).
set -euo pipefail

kit="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$kit/../.." && pwd)"
devnet="${VOUCH_DEVNET:-.vouch/devnet}"
if [[ "${1:-}" == "--devnet" ]]; then
  devnet="${2:?--devnet needs a folder}"
  shift 2
fi
if [[ $# -lt 1 || "$1" == -h || "$1" == --help ]]; then
  sed -n '2,17p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
  exit 2
fi
contract="$1"
shift

devnet="$(cd "$devnet" 2>/dev/null && pwd)" || {
  echo "deploy-devnet: no devnet folder at ${VOUCH_DEVNET:-.vouch/devnet} (start one: ./vouch devnet up)" >&2
  exit 2
}
for f in devnet.json deployment.json; do
  [[ -f "$devnet/$f" ]] || {
    echo "deploy-devnet: $devnet/$f is missing; is the devnet up? (./vouch devnet up)" >&2
    exit 2
  }
done
field() { node -p "JSON.parse(require('fs').readFileSync(process.argv[1], 'utf8'))[process.argv[2]]" "$1" "$2"; }
rpc="$(field "$devnet/devnet.json" rpcUrl)"
key="$(field "$devnet/devnet.json" userKey)"
hub="$(field "$devnet/deployment.json" inferenceHub)"

forge="${FORGE:-$root/node_modules/.bin/forge}"
if [[ ! -x "$forge" ]]; then
  forge="$(command -v forge || true)"
fi
[[ -n "$forge" && -x "$forge" ]] || {
  echo "deploy-devnet: forge not found; run 'bash tools/ensure-node-tools.sh' in $root (or set FORGE)" >&2
  exit 2
}

cd "$kit"
exec "$forge" create "$contract" --rpc-url "$rpc" --private-key "$key" --broadcast \
  --constructor-args "$hub" "$@"
