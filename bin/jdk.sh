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

# engram_onednn JAR: sets ONEDNN_MAX_CPU_ISA, the widest instruction set PyTorch's oneDNN may use,
# unless it is set already (docs/architecture.md, "oneDNN's instruction sets"). Early on, oneDNN's
# AVX2 / AVX-512 convolution backward passes returned NaN gradients on the AMD EPYC machines engram
# is built on, and limiting it to AVX fixed that, at about half the training speed where the wide
# kernels are sound. So each machine is checked once per CPU and PyTorch build: a seeded training
# run of engram's image network limited to AVX, then one with every instruction set
# (dev.engram.encode.BackwardPassCheck); when they agree, DEFAULT (no limit), else AVX. The verdict
# is kept beside JAR, in cds/onednn-KEY; a check that cannot run leaves AVX.
engram_onednn() {
  [ -n "${ONEDNN_MAX_CPU_ISA:-}" ] && return 0
  local jar=$1 dir key verdict reference rc
  dir="$(dirname "$jar")/cds"
  key=$( { grep -m2 -E '^(model name|flags)' /proc/cpuinfo 2>/dev/null || uname -m
           ls "$(dirname "$jar")/lib" 2>/dev/null | grep -E '^pytorch-native' || true; } | cksum | cut -d' ' -f1)
  verdict="$dir/onednn-$key"
  # A check that could not run (no PyTorch, out of memory, ...) is not retried until the jar changes.
  if [ ! -s "$verdict" ] && { [ ! -f "$verdict.failed" ] || changed_since "$verdict.failed" "$jar"; } &&
     mkdir -p "$dir" 2>/dev/null && [ -w "$dir" ] && reference=$(mktemp "$dir/.onednn.XXXXXX"); then
    rm -f "$reference"
    echo "engram: checking PyTorch's training with every instruction set of this CPU (once per machine) ..." >&2
    local check=("$JAVA" --enable-native-access=ALL-UNNAMED -Dai.djl.offline=true -Xlog:disable
                 -Xlog:all=warning:stderr -cp "$jar" dev.engram.encode.BackwardPassCheck "$reference")
    rc=0
    ONEDNN_MAX_CPU_ISA=AVX "${check[@]}" </dev/null >/dev/null 2>"$reference.log" || rc=10
    [ $rc -eq 0 ] && { ONEDNN_MAX_CPU_ISA=DEFAULT "${check[@]}" </dev/null >/dev/null 2>>"$reference.log" || rc=$?; }
    case $rc in
      0) echo DEFAULT >"$verdict.new" && mv -f "$verdict.new" "$verdict" ;;
      1) echo "engram: it disagrees with the run limited to AVX ($(grep -v -i warn "$reference.log" | tail -1));" \
              "oneDNN stays limited to AVX here" >&2
         echo AVX >"$verdict.new" && mv -f "$verdict.new" "$verdict" ;;
      *) cp "$reference.log" "$verdict.failed" 2>/dev/null || true
         echo "engram: the check could not run (oneDNN stays limited to AVX); what it said: $verdict.failed" >&2 ;;
    esac
    rm -f "$reference" "$reference.log"
  fi
  ONEDNN_MAX_CPU_ISA=$(cat "$verdict" 2>/dev/null || echo AVX)
  export ONEDNN_MAX_CPU_ISA
}
