// RUN: lstm-opt --show-dialects | FileCheck %s
// RUN: lstm-opt --mlir-elide-resource-strings-if-larger=16 %lstm_src_root/examples/bilstm_proj/model.mlir | FileCheck %s --check-prefix=EXAMPLE

// CHECK: Available Dialects:
// CHECK-SAME: lstm

// The bundled example parses and verifies.
// EXAMPLE-LABEL: func.func @forward
// EXAMPLE: lstm.lstm
// EXAMPLE-SAME: bidirectional = true
// EXAMPLE-SAME: num_layers = 2 : i64
// EXAMPLE-SAME: proj_size = 8 : i64
