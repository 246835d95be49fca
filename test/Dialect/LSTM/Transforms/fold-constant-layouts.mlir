// RUN: lstm-opt %s -split-input-file -lstm-fold-constant-layouts | FileCheck %s

// CHECK-LABEL: func.func @transpose
// CHECK: %[[C:.*]] = arith.constant dense<{{\[}}[1.000000e+00, 4.000000e+00], [2.000000e+00, 5.000000e+00], [3.000000e+00, 6.000000e+00]]> : tensor<3x2xf32>
// CHECK-NOT: linalg.transpose
// CHECK: return %[[C]]
func.func @transpose() -> tensor<3x2xf32> {
  %c = arith.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>
  %init = tensor.empty() : tensor<3x2xf32>
  %t = linalg.transpose ins(%c : tensor<2x3xf32>) outs(%init : tensor<3x2xf32>) permutation = [1, 0]
  return %t : tensor<3x2xf32>
}

// -----

// A 3-D permutation, as weight packing uses.
// CHECK-LABEL: func.func @transpose_3d
// CHECK: arith.constant dense<{{\[}}{{\[}}[0, 4], [2, 6]], {{\[}}[1, 5], [3, 7]]]> : tensor<2x2x2xi32>
func.func @transpose_3d() -> tensor<2x2x2xi32> {
  %c = arith.constant dense<[[[0, 1], [2, 3]], [[4, 5], [6, 7]]]> : tensor<2x2x2xi32>
  %init = tensor.empty() : tensor<2x2x2xi32>
  %t = linalg.transpose ins(%c : tensor<2x2x2xi32>) outs(%init : tensor<2x2x2xi32>) permutation = [2, 1, 0]
  return %t : tensor<2x2x2xi32>
}

// -----

// CHECK-LABEL: func.func @pad
// CHECK: arith.constant dense<{{\[}}[0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00], [0.000000e+00, 1.000000e+00, 2.000000e+00, 0.000000e+00], [0.000000e+00, 3.000000e+00, 4.000000e+00, 0.000000e+00]]> : tensor<3x4xf32>
// CHECK-NOT: tensor.pad
func.func @pad() -> tensor<3x4xf32> {
  %c = arith.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %zero = arith.constant 0.0 : f32
  %p = tensor.pad %c low[1, 1] high[0, 1] {
  ^bb0(%i: index, %j: index):
    tensor.yield %zero : f32
  } : tensor<2x2xf32> to tensor<3x4xf32>
  return %p : tensor<3x4xf32>
}

// -----

// Reshapes of dense_resource blobs share the blob; pads and transposes make
// new blobs named after the original.
// CHECK-LABEL: func.func @resource_chain
// CHECK: %[[C:.*]] = arith.constant dense_resource<weights_{{.*}}> : tensor<2x2xf32>
// CHECK: return %[[C]]
// CHECK: dialect_resources
// CHECK: weights_{{.*}}: "0x040000000000803F000040400000004000008040"
func.func @resource_chain() -> tensor<2x2xf32> {
  %c = arith.constant dense_resource<weights> : tensor<4xf32>
  %e = tensor.expand_shape %c [[0, 1]] output_shape [2, 2] : tensor<4xf32> into tensor<2x2xf32>
  %init = tensor.empty() : tensor<2x2xf32>
  %t = linalg.transpose ins(%e : tensor<2x2xf32>) outs(%init : tensor<2x2xf32>) permutation = [1, 0]
  return %t : tensor<2x2xf32>
}
{-#
  dialect_resources: {
    builtin: {
      weights: "0x040000000000803F000000400000404000008040"
    }
  }
#-}

// -----

// CHECK-LABEL: func.func @resource_reshape_shares_blob
// CHECK: arith.constant dense_resource<blob> : tensor<2x2xf32>
func.func @resource_reshape_shares_blob() -> tensor<2x2xf32> {
  %c = arith.constant dense_resource<blob> : tensor<4xf32>
  %e = tensor.expand_shape %c [[0, 1]] output_shape [2, 2] : tensor<4xf32> into tensor<2x2xf32>
  return %e : tensor<2x2xf32>
}
{-#
  dialect_resources: {
    builtin: {
      blob: "0x040000000000803F000000400000404000008040"
    }
  }
#-}

// -----

// Non-constant sources and dynamic pads are left alone.
// CHECK-LABEL: func.func @not_constant
// CHECK: linalg.transpose
// CHECK: tensor.pad
func.func @not_constant(%a: tensor<2x3xf32>, %n: index) -> (tensor<3x2xf32>, tensor<?x3xf32>) {
  %init = tensor.empty() : tensor<3x2xf32>
  %t = linalg.transpose ins(%a : tensor<2x3xf32>) outs(%init : tensor<3x2xf32>) permutation = [1, 0]
  %c = arith.constant dense<1.0> : tensor<2x3xf32>
  %zero = arith.constant 0.0 : f32
  %p = tensor.pad %c low[%n, 0] high[0, 0] {
  ^bb0(%i: index, %j: index):
    tensor.yield %zero : f32
  } : tensor<2x3xf32> to tensor<?x3xf32>
  return %t, %p : tensor<3x2xf32>, tensor<?x3xf32>
}

// -----

// Slices and concatenations, as reordering ONNX's gates uses.
// CHECK-LABEL: func.func @slice_and_concat
// CHECK: %[[C:.*]] = arith.constant dense<{{\[}}[5, 6], [1, 2], [9, 10]]> : tensor<3x2xi32>
// CHECK: %[[S:.*]] = arith.constant dense<{{\[}}[2, 4], [10, 12]]> : tensor<2x2xi32>
// CHECK: return %[[C]], %[[S]]
func.func @slice_and_concat() -> (tensor<3x2xi32>, tensor<2x2xi32>) {
  %c = arith.constant dense<[[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12]]> : tensor<3x4xi32>
  %a = tensor.extract_slice %c[1, 0] [1, 2] [1, 1] : tensor<3x4xi32> to tensor<1x2xi32>
  %b = tensor.extract_slice %c[0, 0] [1, 2] [1, 1] : tensor<3x4xi32> to tensor<1x2xi32>
  %d = tensor.extract_slice %c[2, 0] [1, 2] [1, 1] : tensor<3x4xi32> to tensor<1x2xi32>
  %cat = tensor.concat dim(0) %a, %b, %d : (tensor<1x2xi32>, tensor<1x2xi32>, tensor<1x2xi32>) -> tensor<3x2xi32>
  %strided = tensor.extract_slice %c[0, 1] [2, 2] [2, 2] : tensor<3x4xi32> to tensor<2x2xi32>
  return %cat, %strided : tensor<3x2xi32>, tensor<2x2xi32>
}
