#!/usr/bin/env bash
# Builds one module and what it needs (./mvnw package -pl MODULE -am, no tests) for a launcher
# (./vouch, examples/quickstart), showing one progress line per module on stderr:
#
#   vouch: building Vouch chain (6/10)
#
# Maven's own output, and what build plugins print on the way (web3j's "Generating …", SLF4J's
# "No SLF4J providers" warnings, the JDK's sun.misc.Unsafe warnings), goes to LOG only; when the
# build fails its [ERROR] lines are shown with the path of LOG.
#
# Usage: tools/build-quietly.sh MODULE LOG [NAME]   (NAME prefixes the lines; default: vouch)
set -uo pipefail
root=$(CDPATH= cd -- "$(dirname -- "$0")/.." && pwd)
module=$1
log=$2
name=${3:-vouch}
mkdir -p "$(dirname -- "$log")"
started=$(date +%s)

(cd "$root" && ./mvnw -B -ntp -pl "$module" -am package -DskipTests -Dspotless.check.skip=true) 2>&1 \
  | tee "$log" \
  | awk -v name="$name" '
      # "[INFO] Building Vouch chain 0.1.0-SNAPSHOT    [6/10]": the module, then its version.
      /^\[INFO\] Building .* \[[0-9]+\/[0-9]+\]$/ {
        step = $NF
        gsub(/[\[\]]/, "", step)
        what = ""
        for (i = 3; i < NF - 1; i++) what = what (i > 3 ? " " : "") $i
        printf "%s: building %s (%s)\n", name, what, step > "/dev/stderr"
        fflush("/dev/stderr")
      }'
status=${PIPESTATUS[0]}
if [ "$status" -ne 0 ]; then
  echo "$name: the build failed; its errors (all of it in $log):" >&2
  grep -E '^\[ERROR\]' "$log" | head -n 40 >&2
  exit "$status"
fi
echo "$name: built in $(($(date +%s) - started)) s (log: $log)" >&2
