# Sourced by ./vouch: whether the CLI must be (re)built before it runs. A function of its own so
# that cli's LauncherBuildCheckTest can drive it on a folder of stand-in files.
#
#   vouch_needs_build ROOT   succeeds (0) when a build is needed, fails (1) when the CLI is current
#
# Two marks in cli/target, both written by ./vouch's build only:
#   .vouch-build.stamp  the time the last build started: a source newer than it changed since
#                       (an edit made during a build counts, so the next call rebuilds);
#   .vouch-build.done   the time it finished: a jar of the class path, the class-path file or the
#                       CLI's jar newer than it was written by something else (./mvnw package or
#                       verify of some modules, an IDE), so the jars may no longer fit together
#                       (a class moved between modules: NoClassDefFoundError) — rebuild, and Maven
#                       makes them fit again.
# The check stays fast: the class-path entries are compared with bash's -nt (no process per
# entry), the sources with one find.
vouch_needs_build() {
  local root=$1
  local jar="$root/cli/target/vouch-cli.jar"
  local cp_file="$root/cli/target/classpath.txt"
  local stamp="$root/cli/target/.vouch-build.stamp"
  local done="$root/cli/target/.vouch-build.done"
  [ -f "$jar" ] && [ -f "$cp_file" ] && [ -f "$stamp" ] && [ -f "$done" ] || return 0
  if [ "$jar" -nt "$done" ] || [ "$cp_file" -nt "$done" ]; then
    return 0
  fi
  local entry classpath
  classpath=$(<"$cp_file")
  local IFS=:
  for entry in $classpath; do
    [ -e "$entry" ] || return 0 # a cleaned module or ~/.m2
    [ "$entry" -nt "$done" ] && return 0 # packaged since the last build, not by it
  done
  [ -n "$(find "$root" -mindepth 1 \
    \( -name target -o -name node_modules -o -name .git -o -name .vouch -o -name .idea \
       -o -path "$root/bench" -o -path "$root/examples" -o -path '*/src/test' \) -prune \
    -o -type f \( -path '*/src/*' -o -name pom.xml -o -name '*.mjs' -o -path "$root/.mvn/*" \
       -o -path "$root/package-lock.json" \) \
    -newer "$stamp" -print -quit)" ]
}
