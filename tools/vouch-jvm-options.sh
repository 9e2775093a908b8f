#!/usr/bin/env bash
# The JVM options `vouch ARGS` starts with, chosen from ARGS; a user's JAVA_OPTS come after them
# and win (JAVA_OPTS=-XX:TieredStopAtLevel=4 restores the full JIT). Sourced by ./vouch; run by
# the CLI tests (VouchProcess: `bash tools/vouch-jvm-options.sh ARGS`), so both start alike.
#
# A client command (model list, infer, verify, devnet status, …) lives a second or two and spends
# it loading classes and running code once: the JIT's profiling tier and C2 compiling on the same
# two cores cost more than they give back. Those run on C1 alone (-XX:TieredStopAtLevel=1):
# `vouch model list` 2.1 → 1.7 s, a refused `vouch infer` 2.0 → 1.5 s on this machine
# (bench/README.md, "CLI start-up"). Commands that compute for long keep the full JIT, where C2's
# code is several times faster on the field arithmetic: a node (node run), proving and compiling
# (zk, and model push of a ZKML model, which compiles it: zkml in its arguments or VOUCH_LEVELS), benchmarks (bench), the demo (a whole
# network in one process) and training (train-intents). `devnet up` starts its supervisor, nodes
# and validators as JVMs of their own with the full JIT; only the command itself runs on C1.
vouch_jvm_options() {
  case "${1:-}" in
    node | zk | bench | demo | train-intents) return 0 ;;
    model)
      if [ "${2:-}" = push ]; then
        local a
        for a in "$@" "${VOUCH_LEVELS:-}"; do
          case "$a" in *zkml*) return 0 ;; esac
        done
      fi
      ;;
  esac
  echo "-XX:TieredStopAtLevel=1"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  vouch_jvm_options "$@"
fi
