# Sourced by engram's scripts: finds a JDK 21 or newer and exports JAVA_HOME and JAVA.
# Looks at $JAVA_HOME, then `java` on the PATH, then the JDKs under /usr/lib/jvm and
# /opt/java, newest first. Says what is missing when none fits.

# changed_since FILE PATH...: whether anything under the paths is newer than FILE (the build
# checks of bin/engram and bin/bench).
changed_since() { local file=$1; shift; [ -n "$(find "$@" -newer "$file" -print -quit 2>/dev/null)" ]; }

engram_java_version() {
  # Prints the feature version (17, 21, 25, ...) of the java binary $1: from the JDK's release
  # file when there is one (starting a JVM just to ask costs 0.1-0.2 s on every launch).
  local release version
  release="$(dirname "$(readlink -f "$1")")/../release"
  if [ -f "$release" ]; then
    version=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$release")
    if [ "$version" = 1 ]; then version=8; fi
    if [ -n "$version" ]; then echo "$version"; return; fi
  fi
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p' | head -1
}

engram_find_jdk() {
  local candidate version
  for candidate in ${JAVA_HOME:+"$JAVA_HOME/bin/java"} "$(command -v java 2>/dev/null)" \
      $(ls -d /usr/lib/jvm/*/bin/java /opt/java/*/bin/java 2>/dev/null | sort -rV); do
    [ -x "$candidate" ] || continue
    [ -x "$(dirname "$candidate")/javac" ] || continue
    version=$(engram_java_version "$candidate")
    if [ -n "$version" ] && [ "$version" -ge 21 ]; then
      JAVA="$candidate"
      JAVA_HOME=$(cd "$(dirname "$candidate")/.." && pwd)
      export JAVA JAVA_HOME
      # Maven 3.9's Guice warns about sun.misc.Unsafe on JDK 24+; the warning is not ours to fix.
      if [ "$version" -ge 24 ]; then
        case "${MAVEN_OPTS:-}" in *sun-misc-unsafe*) ;; *) export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow";; esac
      fi
      return 0
    fi
  done
  echo "engram: no JDK 21 or newer found (looked at \$JAVA_HOME, java on the PATH, /usr/lib/jvm, /opt/java);" \
       "install one (e.g. apt-get install openjdk-21-jdk) or set JAVA_HOME" >&2
  return 1
}

# PyTorch's bundled oneDNN returned NaN gradients from convolution backward passes with its AVX2
# and AVX-512 kernels on the AMD EPYC machines we build on (forward passes were fine; limiting
# the ISA to AVX made training converge). Users who know their CPU is fine can override it.
export ONEDNN_MAX_CPU_ISA="${ONEDNN_MAX_CPU_ISA:-AVX}"
