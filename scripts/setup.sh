#!/usr/bin/env bash
# Installs lstmc's dependencies from Debian 12 packages and builds it in build/.
# Safe to run again: installed packages are kept and the build is incremental.
set -euo pipefail
cd "$(dirname "$0")/.."

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

if [ "${LSTMC_SKIP_APT:-0}" != 1 ]; then
  sudo=""
  [ "$(id -u)" = 0 ] || sudo=sudo
  echo "== installing ${#packages[@]} Debian packages"
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q \
    --no-install-recommends "${packages[@]}"
fi

echo "== configuring build/"
cmake -G Ninja -S . -B build \
  -DCMAKE_BUILD_TYPE=Release \
  -DMLIR_DIR=/usr/lib/llvm-22/lib/cmake/mlir \
  -DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache
echo "== building"
cmake --build build
