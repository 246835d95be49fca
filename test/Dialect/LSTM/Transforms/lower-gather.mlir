// RUN: lstm-opt %s -split-input-file -lstm-lower-gather | FileCheck %s

// An embedding: rows of the table at each index, clamped into the table.
// CHECK-LABEL: func.func @embedding
// CHECK-SAME: (%[[TABLE:.*]]: tensor<10x4xf32>, %[[IDS:.*]]: tensor<?x?xi64>)
// CHECK: %[[INIT:.*]] = tensor.empty(%{{.*}}, %{{.*}}) : tensor<?x?x4xf32>
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #{{.*}}], iterator_types = ["parallel", "parallel", "parallel"]} ins(%[[IDS]] : tensor<?x?xi64>) outs(%[[INIT]] : tensor<?x?x4xf32>)
// CHECK: ^bb0(%[[ID:.*]]: i64, %{{.*}}: f32):
// CHECK:   %[[I:.*]] = arith.index_cast %[[ID]] : i64 to index
// CHECK-NOT: arith.select
// CHECK:   %[[LOW:.*]] = arith.minsi %[[I]], %{{.*}} : index
// CHECK:   %[[IN:.*]] = arith.maxsi %[[LOW]], %{{.*}} : index
// CHECK:   %[[COL:.*]] = linalg.index 2 : index
// CHECK:   %[[V:.*]] = tensor.extract %[[TABLE]][%[[IN]], %[[COL]]] : tensor<10x4xf32>
// CHECK:   linalg.yield %[[V]] : f32
func.func @embedding(%table: tensor<10x4xf32>, %ids: tensor<?x?xi64>) -> tensor<?x?x4xf32> {
  %rows = lstm.gather %table[%ids] axis = 0 : tensor<10x4xf32>, tensor<?x?xi64> -> tensor<?x?x4xf32>
  return %rows : tensor<?x?x4xf32>
}

// -----

// ONNX's Gather along an inner axis, negative indices counting from the end.
// CHECK-LABEL: func.func @inner_axis
// CHECK: ^bb0(%[[ID:.*]]: i32, %{{.*}}: f32):
// CHECK:   %[[I:.*]] = arith.index_cast %[[ID]] : i32 to index
// CHECK:   %[[NEG:.*]] = arith.cmpi slt, %[[I]], %{{.*}} : index
// CHECK:   %[[WRAPPED:.*]] = arith.addi %[[I]], %{{.*}} : index
// CHECK:   arith.select %[[NEG]], %[[WRAPPED]], %[[I]] : index
// CHECK:   %[[D0:.*]] = linalg.index 0 : index
// CHECK:   %[[D2:.*]] = linalg.index 2 : index
// CHECK:   tensor.extract %{{.*}}[%[[D0]], %{{.*}}, %[[D2]]] : tensor<2x?x3xf32>
func.func @inner_axis(%x: tensor<2x?x3xf32>, %ids: tensor<5xi32>) -> tensor<2x5x3xf32> {
  %r = lstm.gather %x[%ids] axis = 1 wrap_negative : tensor<2x?x3xf32>, tensor<5xi32> -> tensor<2x5x3xf32>
  return %r : tensor<2x5x3xf32>
}
