#!/usr/bin/env bash
# How long a short `vouch` command takes from the shell, as a user runs it (./vouch: the launcher,
# a new JVM, the command against a devnet), for this checkout and the baselines measured in the
# same run, alternated round by round so that all see the same machine:
#
#   - "full JIT": this checkout with JAVA_OPTS=-XX:TieredStopAtLevel=4 (the launcher's choice of
#     C1 alone for client commands undone; tools/vouch-jvm-options.sh);
#   - "baseline": another checkout's ./vouch (--baseline DIR, e.g. a worktree of an older commit,
#     built once with `DIR/vouch --version`), when given.
#
# Usage: bench/run-cli-startup.sh [--rounds N] [--baseline DIR]
# Prints each command's median wall time per variant and its ratio to the baseline (or to the full
# JIT). Starts a devnet of its own in a temporary folder and stops it at the end.
set -euo pipefail
root=$(CDPATH= cd -- "$(dirname -- "$0")/.." && pwd)
rounds=9
baseline=""
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds=$2; shift 2 ;;
    --baseline) baseline=$(CDPATH= cd -- "$2" && pwd); shift 2 ;;
    *) echo "usage: bench/run-cli-startup.sh [--rounds N] [--baseline DIR]" >&2; exit 2 ;;
  esac
done
work=$(mktemp -d)
trap 'cd "$work" && "$root/vouch" devnet down >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
cd "$work"
"$root/vouch" --version >/dev/null # builds when needed, before anything is timed
[ -z "$baseline" ] || "$baseline/vouch" --version >/dev/null
echo "starting a devnet in $work ..."
"$root/vouch" devnet up --nodes 1 --validators 0 >/dev/null

commands=("--version" "devnet status" "model list" "request show 1")
variants=("this" "full-jit")
[ -z "$baseline" ] || variants+=("baseline")

now_ms() { date +%s%3N; }
run() { # variant command...
  local v=$1
  shift
  case "$v" in
    this) "$root/vouch" "$@" ;;
    full-jit) JAVA_OPTS="${JAVA_OPTS:-} -XX:TieredStopAtLevel=4" "$root/vouch" "$@" ;;
    baseline) "$baseline/vouch" "$@" ;;
  esac >/dev/null 2>&1 || true # `request show 1` is refused (no request 1): timed all the same
}
for ((r = 0; r < rounds; r++)); do
  for c in "${commands[@]}"; do
    for v in "${variants[@]}"; do
      # shellcheck disable=SC2086 # the command's words
      t0=$(now_ms); run "$v" $c; t1=$(now_ms)
      echo "$c|$v|$((t1 - t0))" >>"$work/times"
    done
  done
done

median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
ref=${baseline:+baseline}
ref=${ref:-full-jit}
printf "%-16s" "median ms"
for v in "${variants[@]}"; do printf "%12s" "$v"; done
printf "  %s\n" "this / $ref"
for c in "${commands[@]}"; do
  printf "%-16s" "$c"
  for v in "${variants[@]}"; do
    m=$(grep -F -e "$c|$v|" "$work/times" | cut -d'|' -f3 | median)
    printf "%12s" "$m"
    eval "m_$(echo "$v" | tr - _)=$m"
  done
  this_m=$m_this
  ref_m=$(eval echo "\$m_$(echo "$ref" | tr - _)")
  awk -v a="$this_m" -v b="$ref_m" 'BEGIN { printf "%14.2f\n", a / b }'
done
echo "($rounds rounds, variants alternated within each round; load: $(cut -d' ' -f1-3 /proc/loadavg))"
