# Sourced by ./mvnw, ./vouch and .ci/run: points JAVA_HOME at a JDK >= 21.
# Order: JAVA_HOME if it is >= 21, then the newest JDK under /usr/lib/jvm. Sets vouch_jdk_major to
# the chosen JDK's feature version (probing a JDK starts a JVM: about 50 ms each).
vouch_java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p' | head -n 1
}
vouch_find_jdk() {
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
    v=$(vouch_java_major "$JAVA_HOME")
    if [ "${v:-0}" -ge 21 ] 2>/dev/null; then vouch_jdk_major=$v; return 0; fi
  fi
  best="" best_v=0
  # find(1), not a glob: ./mvnw runs with `set -f`.
  for d in $(find /usr/lib/jvm -mindepth 1 -maxdepth 1 -type d 2>/dev/null); do
    [ -x "$d/bin/javac" ] || continue
    v=$(vouch_java_major "$d")
    if [ "${v:-0}" -gt "$best_v" ] 2>/dev/null; then best="$d" best_v="$v"; fi
  done
  if [ "$best_v" -ge 21 ] 2>/dev/null; then
    JAVA_HOME="$best"; export JAVA_HOME
    vouch_jdk_major=$best_v
    return 0
  fi
  echo "vouch: no JDK 21 or newer found (JAVA_HOME='${JAVA_HOME:-}', /usr/lib/jvm has none)." >&2
  echo "vouch: install one (e.g. apt-get install openjdk-21-jdk-headless) or set JAVA_HOME to it." >&2
  return 1
}
vouch_find_jdk || exit 2
