// RUN: lstm-opt %s -split-input-file -one-shot-bufferize="bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map" | FileCheck %s

// lstm.recurrence bufferizes in place into its outs and has no results.
// CHECK-LABEL: func.func @in_place
// CHECK-SAME: (%[[X:.*]]: memref<?x?x8xf32>, %[[WIH:.*]]: memref<2x8x64xf32>, %[[W:.*]]: memref<2x20x64xf32>, %[[H0:.*]]: memref<?x20xf32>, %[[C0:.*]]: memref<?x20xf32>, %[[O:.*]]: memref<?x?x20xf32>, %[[HN:.*]]: memref<?x20xf32>, %[[CN:.*]]: memref<?x20xf32>)
// CHECK: lstm.recurrence input(%[[X]] : memref<?x?x8xf32>) weights(%[[WIH]], %[[W]] : memref<2x8x64xf32>, memref<2x20x64xf32>) init(%[[H0]], %[[C0]] : memref<?x20xf32>, memref<?x20xf32>) outs(%[[O]], %[[HN]], %[[CN]] : memref<?x?x20xf32>, memref<?x20xf32>, memref<?x20xf32>){{$}}
// CHECK: return %[[O]], %[[HN]], %[[CN]]
func.func @in_place(%x: tensor<?x?x8xf32>, %w_ih: tensor<2x8x64xf32>, %w: tensor<2x20x64xf32>,
    %h0: tensor<?x20xf32>, %c0: tensor<?x20xf32>, %out: tensor<?x?x20xf32>, %hn: tensor<?x20xf32>,
    %cn: tensor<?x20xf32>) -> (tensor<?x?x20xf32>, tensor<?x20xf32>, tensor<?x20xf32>) {
  %r:3 = lstm.recurrence input(%x : tensor<?x?x8xf32>)
      weights(%w_ih, %w : tensor<2x8x64xf32>, tensor<2x20x64xf32>)
      init(%h0, %c0 : tensor<?x20xf32>, tensor<?x20xf32>)
      outs(%out, %hn, %cn : tensor<?x?x20xf32>, tensor<?x20xf32>, tensor<?x20xf32>)
      -> tensor<?x?x20xf32>, tensor<?x20xf32>, tensor<?x20xf32>
  return %r#0, %r#1, %r#2 : tensor<?x?x20xf32>, tensor<?x20xf32>, tensor<?x20xf32>
}

// -----

// Outs from tensor.empty become allocations; since their contents are never
// read, nothing is copied into them.
// CHECK-LABEL: func.func @empty_outs
// CHECK: %[[O:.*]] = memref.alloc() {alignment = 64 : i64} : memref<5x2x16xf32>
// CHECK-NOT: memref.copy
// CHECK: lstm.recurrence {{.*}} outs(%[[O]], %{{.*}}, %{{.*}} :
func.func @empty_outs(%x: tensor<5x2x4xf32>, %w_ih: tensor<1x4x64xf32>, %w: tensor<1x16x64xf32>,
    %h0: tensor<2x16xf32>, %c0: tensor<2x16xf32>) -> tensor<5x2x16xf32> {
  %o = tensor.empty() : tensor<5x2x16xf32>
  %h = tensor.empty() : tensor<2x16xf32>
  %c = tensor.empty() : tensor<2x16xf32>
  %r:3 = lstm.recurrence input(%x : tensor<5x2x4xf32>)
      weights(%w_ih, %w : tensor<1x4x64xf32>, tensor<1x16x64xf32>)
      init(%h0, %c0 : tensor<2x16xf32>, tensor<2x16xf32>)
      outs(%o, %h, %c : tensor<5x2x16xf32>, tensor<2x16xf32>, tensor<2x16xf32>)
      -> tensor<5x2x16xf32>, tensor<2x16xf32>, tensor<2x16xf32>
  return %r#0 : tensor<5x2x16xf32>
}
