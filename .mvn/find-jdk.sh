# Sourced by ./mvnw and ./turnpike: makes JAVA_HOME point at a JDK 21 or newer.
# The machine's default java may be older (17 here), so a JDK 21+ installed beside it is
# picked up without the user having to set anything.

turnpike_java_major() {
  # Prints the feature version of the java binary $1 (17, 21, 25, ...), or nothing.
  "$1" -XshowSettings:properties -version 2>&1 |
    sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p' | head -n 1
}

turnpike_is_jdk21() {
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 1
  major=$(turnpike_java_major "$1/bin/java")
  [ -n "$major" ] && [ "$major" -ge 21 ]
}

turnpike_find_jdk() {
  if [ -n "${JAVA_HOME:-}" ] && turnpike_is_jdk21 "$JAVA_HOME"; then
    return 0
  fi
  if command -v javac >/dev/null 2>&1; then
    candidate=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
    if turnpike_is_jdk21 "$candidate"; then
      JAVA_HOME=$candidate
      export JAVA_HOME
      return 0
    fi
  fi
  # Newest first, so a JDK 25 wins over a JDK 21 when both are present. find, not a glob:
  # mvnw runs with globbing off (set -f).
  for candidate in $(find /usr/lib/jvm /opt/java /usr/local/lib/jvm "$HOME/.sdkman/candidates/java" \
      -mindepth 1 -maxdepth 1 2>/dev/null | sort -V -r); do
    if turnpike_is_jdk21 "$candidate"; then
      JAVA_HOME=$candidate
      export JAVA_HOME
      return 0
    fi
  done
  echo "Turnpike needs a JDK 21 or newer, and none was found." >&2
  echo "Install one (for example: apt-get install openjdk-21-jdk-headless, or Temurin 21 from adoptium.net)" >&2
  echo "and set JAVA_HOME to it." >&2
  return 1
}
