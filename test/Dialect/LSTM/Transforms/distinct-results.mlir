// RUN: lstm-opt %s -lstm-distinct-results | FileCheck %s

// A tensor returned twice: the second output is a copy.
// CHECK-LABEL: func.func @twice
// CHECK-SAME: (%[[X:.*]]: tensor<?x4xf32>)
// CHECK: %[[COPY:.*]] = bufferization.alloc_tensor() copy(%[[X]]) : tensor<?x4xf32>
// CHECK: return %[[X]], %[[COPY]], %{{.*}} : tensor<?x4xf32>, tensor<?x4xf32>, tensor<4xf32>
func.func @twice(%x: tensor<?x4xf32>) -> (tensor<?x4xf32>, tensor<?x4xf32>, tensor<4xf32>) {
  %row = tensor.extract_slice %x[0, 0] [1, 4] [1, 1] : tensor<?x4xf32> to tensor<4xf32>
  return %x, %x, %row : tensor<?x4xf32>, tensor<?x4xf32>, tensor<4xf32>
}
