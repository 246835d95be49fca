#!/usr/bin/env bash
# Installs lstmc's dependencies from Debian 12 packages and builds it in build/.
# Safe to run again: installed packages are kept and the build is incremental.
#
#   bash scripts/setup.sh           what the compiler and its tools need
#   bash scripts/setup.sh --tests   also what the whole test suite needs:
#                                   clang, QEMU, and build-sanitize/, lstmc
#                                   built with AddressSanitizer and
#                                   UndefinedBehaviorSanitizer and its
#                                   libFuzzer harnesses, which build/'s
#                                   ctest runs too
set -euo pipefail
cd "$(dirname "$0")/.."

tests=0
for arg in "$@"; do
  case "$arg" in
  --tests) tests=1 ;;
  *)
    echo "usage: bash scripts/setup.sh [--tests]" >&2
    exit 2
    ;;
  esac
done

packages=(
  # Compiler toolchain: Debian's LLVM/MLIR 22 (bookworm-security).
  cmake ninja-build g++ ccache lld-22 llvm-22-dev llvm-22-tools
  libmlir-22-dev mlir-22-tools libomp-22-dev
  # The ONNX importer, and ONNX's own LSTM node tests.
  libonnx-dev libprotobuf-dev protobuf-compiler
  # Runtime tests.
  libgtest-dev
  # The test oracle and benchmark anchors: PyTorch with a threaded BLAS,
  # and oneDNN.
  python3 python3-numpy python3-torch libopenblas0-pthread libdnnl-dev
  python3-onnx libonnx-testdata
)
if [ "$tests" = 1 ]; then
  packages+=(
    # The sanitizer build and the fuzzers (libFuzzer is clang's).
    clang-22 libclang-rt-22-dev
    # CPUs without this machine's features, for the CPU-feature tests.
    qemu-user
  )
fi

if [ "${LSTMC_SKIP_APT:-0}" != 1 ]; then
  sudo=""
  [ "$(id -u)" = 0 ] || sudo=sudo
  echo "== installing ${#packages[@]} Debian packages"
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q \
    --no-install-recommends "${packages[@]}"
fi

common=(-G Ninja -DCMAKE_BUILD_TYPE=Release
  -DMLIR_DIR=/usr/lib/llvm-22/lib/cmake/mlir
  -DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)

sanitizer_tree=()
if [ "$tests" = 1 ]; then
  echo "== configuring build-sanitize/ (clang, ASan + UBSan, fuzzers)"
  cmake -S . -B build-sanitize "${common[@]}" \
    -DCMAKE_C_COMPILER=clang-22 -DCMAKE_CXX_COMPILER=clang++-22 \
    "-DLSTMC_SANITIZE=Address;Undefined" -DLSTMC_FUZZERS=ON
  echo "== building build-sanitize/"
  cmake --build build-sanitize
  sanitizer_tree=(-DLSTMC_SANITIZER_TREE="$PWD/build-sanitize")
fi

echo "== configuring build/"
cmake -S . -B build "${common[@]}" "${sanitizer_tree[@]}"
echo "== building"
cmake --build build
