#!/usr/bin/env bash
# Installs the pinned node tools (solcjs, anvil, forge) of the root package.json into <repo>/node_modules.
#
# Installs only when node_modules is missing or older than package-lock.json: a stamp file written
# after a successful install records that node_modules matches the lock; otherwise it does nothing.
#
# Why `npm install --no-save` and not `npm ci`: a lock written where the registry carried only the
# linux-amd64 platform packages lacks the other platforms' optional entries, and `npm ci` refuses
# such a lock ("Missing: @foundry-rs/anvil-darwin-amd64@ from lock file"). `npm install --no-save`
# installs exactly the locked versions (package.json pins exact versions too), checks their
# integrity hashes and never rewrites the lock. Optional dependencies stay on: the native binaries
# of anvil and forge come through them (@foundry-rs/anvil-linux-amd64, @foundry-rs/forge-linux-amd64).
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
lock="$repo_root/package-lock.json"
stamp="$repo_root/node_modules/.vouch-node-tools.stamp"

fail() {
  echo "ensure-node-tools: $*" >&2
  exit 1
}

command -v node >/dev/null 2>&1 \
  || fail "node is not on PATH. Install Node.js 18 or newer (e.g. 'apt-get install nodejs npm') and re-run."
command -v npm >/dev/null 2>&1 \
  || fail "npm is not on PATH. Install npm (e.g. 'apt-get install npm') and re-run."
[[ -f "$lock" ]] || fail "$lock is missing; it is committed with package.json, restore it from git."

up_to_date() {
  [[ -f "$stamp" && ! "$lock" -nt "$stamp" && -d "$repo_root/node_modules/solc" ]]
}

up_to_date && exit 0

# Several Maven builds may run at once (parallel modules, several shells): serialize the install.
if command -v flock >/dev/null 2>&1; then
  mkdir -p "$repo_root/target"
  exec 9>"$repo_root/target/.node-tools.lock"
  flock 9
  # Another build may have installed while this one waited.
  up_to_date && exit 0
fi

echo "ensure-node-tools: installing pinned node tools (npm install --no-save in $repo_root) ..."
(cd "$repo_root" && npm install --no-save --no-audit --no-fund --include=optional) \
  || fail "npm install failed (see above). Check that the npm registry is reachable, then re-run."
# The native binaries come through optional dependencies (@foundry-rs/<tool>-linux-amd64).
for tool in anvil forge; do
  binary="$repo_root/node_modules/@foundry-rs/$tool-linux-amd64/bin/$tool"
  if [[ "$(uname -s)-$(uname -m)" == "Linux-x86_64" && ! -x "$binary" ]]; then
    fail "npm finished but $binary is missing: was it run with --omit=optional? Remove node_modules and re-run."
  fi
done
touch "$stamp"
echo "ensure-node-tools: node tools ready (solc $(cd "$repo_root" && node -p "require('solc/package.json').version"))."
