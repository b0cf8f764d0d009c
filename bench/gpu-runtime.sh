#!/usr/bin/env bash
# Runs Tauon on a GPU machine that may have no JDK. `build` (here, with JDK 25): a small jlink
# runtime plus tauon.jar and this script in target/gpu-runtime/ (and a .tar.gz of it).
# `run` (there, inside the unpacked bundle): info, the GEMM benchmark on cuda and cpu, and the
# CPU-vs-GPU check for sizes 64..4096, all logged to gpu-results-<host>-<time>.txt.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
mode="${1:-build}"

build() {
  local root; root="$(cd "$here/.." && pwd)"
  local jdk="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
  [ -x "$jdk/bin/jlink" ] || { echo "gpu-runtime: needs a JDK 25 with jlink (set JAVA_HOME)" >&2; exit 3; }
  "$root/tauon" --version >/dev/null   # builds target/tauon.jar when stale
  local jar="$root/target/tauon.jar" out="$root/target/gpu-runtime"
  local found; found="$("$jdk/bin/jdeps" --print-module-deps --ignore-missing-deps --multi-release 25 "$jar")"
  # jdk.incubator.vector is added on the command line, so jdeps may not list it; name it anyway.
  local modules; modules="$(printf '%s\n' java.base java.management jdk.incubator.vector ${found//,/ } | sort -u | paste -sd, -)"
  echo "gpu-runtime: jdeps says $found; linking $modules"
  rm -rf "$out"
  mkdir -p "$out"
  "$jdk/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files \
    --compress=zip-6 --output "$out/runtime"
  cp "$jar" "$out/tauon.jar"
  cp "$here/gpu-runtime.sh" "$out/gpu-runtime.sh"
  tar -C "$root/target" -czf "$root/target/gpu-runtime.tar.gz" gpu-runtime
  echo "gpu-runtime: runtime $(du -sh "$out/runtime" | cut -f1), bundle $(du -sh "$out" | cut -f1)," \
       "tarball $(du -h "$root/target/gpu-runtime.tar.gz" | cut -f1)"
  echo "gpu-runtime: smoke test with the linked runtime:"
  "$out/gpu-runtime.sh" java info
  echo "gpu-runtime: copy target/gpu-runtime.tar.gz to the GPU machine, then: tar xzf gpu-runtime.tar.gz && gpu-runtime/gpu-runtime.sh run"
}

# The linked runtime's java with the flags Tauon needs; TAUON_JAVA_OPTS adds more
# (e.g. -Dtauon.cuda.libdir=DIR, -Dtauon.cuda.autoMinMnk=N, -Xmx32g).
tauon() {
  # shellcheck disable=SC2086
  "$here/runtime/bin/java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
    ${TAUON_JAVA_OPTS:-} -jar "$here/tauon.jar" "$@"
}

run() {
  [ -x "$here/runtime/bin/java" ] || { echo "gpu-runtime: run this from the unpacked bundle (runtime/ beside it)" >&2; exit 3; }
  local log; log="$here/gpu-results-$(hostname)-$(date +%Y%m%d-%H%M%S).txt"
  {
    echo "## $(date -Is) $(hostname)"
    command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv || true
    echo "## info";                  tauon info
    echo "## check (GPU vs CPU)";    tauon bench gemm --backend cuda --check --sizes 64,128,256,512,1024,2048,4096 || echo "CHECK FAILED"
    echo "## gemm cuda";             tauon bench gemm --backend cuda --sizes 1024,2048,4096
    echo "## gemm cpu";              tauon bench gemm --backend cpu --sizes 1024,2048,4096
    echo "## threshold sweep cuda";  tauon bench gemm --backend cuda --sizes 128,256,384,512,768 --seconds 1
    echo "## threshold sweep cpu";   tauon bench gemm --backend cpu --sizes 128,256,384,512,768 --seconds 1
    echo "## step cuda";             tauon bench step --batch 256 --backend cuda --profile
    echo "## step cpu";              tauon bench step --batch 256 --backend cpu
  } 2>&1 | tee "$log"
  echo "gpu-runtime: results in $log"
}

case "$mode" in
  build) build ;;
  run) run ;;
  java) shift; tauon "$@" ;;
  *) echo "usage: $0 [build|run|java ARGS...]" >&2; exit 2 ;;
esac
