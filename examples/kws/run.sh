#!/bin/bash
# The README's worked example, end to end: one keyword spotter imported from
# PyTorch and from ONNX, compiled, run, and compared with PyTorch.
# Usage: examples/kws/run.sh [BUILD_DIR [OUT_DIR]]
set -euo pipefail
here=$(dirname "$0")
bin=${1:-build}/bin
out=${2:-build/kws}

/usr/bin/python3 "$here/make_model.py" "$out"
"$bin/lstm-import-torch" "$out/kws.pt" -o "$out/kws.mlir"
"$bin/lstm-compile" "$out/kws.mlir" -o "$out/kws_torch.so"
"$bin/lstm-compile" "$out/kws.onnx" -o "$out/kws_onnx.so"
mkdir -p "$out/torch" "$out/onnx"
"$bin/lstm-run" "$out/kws_torch.so" --input features="$out/features.npy" \
  --output-dir "$out/torch"
"$bin/lstm-run" "$out/kws_onnx.so" --input features="$out/features.npy" \
  --output-dir "$out/onnx"
/usr/bin/python3 "$here/compare.py" "$out"
