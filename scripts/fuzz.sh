#!/usr/bin/env bash
# Runs a libFuzzer campaign against one of lstmc's fuzz targets:
#
#   bash scripts/fuzz.sh TARGET SECONDS [libFuzzer options...]
#
# TARGET: onnx-import (the ONNX importer), npy (lstm-run's .npy reader),
# mlir-pipeline (MLIR input: parse, verify and the front half of the CPU
# pipeline) or runtime (the runtime's checks of a call, on a model whose
# code is instrumented too). The harnesses live in test/fuzz/.
#
# Uses the sanitizer build (build-sanitize/, or $LSTMC_SANITIZER_TREE), made
# by `bash scripts/setup.sh --tests`. The corpus grows in
# <tree>/fuzz/TARGET/corpus, seeded from the test inputs; a crash leaves
# its input in <tree>/fuzz/TARGET/ and fails the run. libFuzzer's final
# statistics (executions, coverage) end the output.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ $# -lt 2 ]; then
  echo "usage: bash scripts/fuzz.sh onnx-import|npy|mlir-pipeline|runtime SECONDS [libFuzzer options...]" >&2
  exit 2
fi
target=$1
seconds=$2
shift 2
tree=${LSTMC_SANITIZER_TREE:-build-sanitize}
fuzzer=$tree/bin/fuzz-$target
if [ ! -x "$fuzzer" ]; then
  echo "fuzz.sh: no $fuzzer; build it with: bash scripts/setup.sh --tests" >&2
  exit 2
fi

work=$tree/fuzz/$target
mkdir -p "$work/corpus"
/usr/bin/python3 test/fuzz/make_seeds.py "$target" "$work/seeds"

# See test/CMakeLists.txt for why these options.
export ASAN_OPTIONS=${ASAN_OPTIONS:-allow_user_poisoning=0:detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
echo "== fuzzing $target for $seconds s"
"$fuzzer" "$work/corpus" "$work/seeds" -max_total_time="$seconds" \
  -print_final_stats=1 -timeout=60 -rss_limit_mb=4096 \
  -artifact_prefix="$work/" "$@"
