// RUN: lstm-opt %s -split-input-file -lstm-fold-batch-norm | FileCheck %s

// W' = W * a, b' = (b - mean) * a + bias with a = scale / sqrt(var + eps):
// channel 0: a = 2 / sqrt(4) = 1;   W' = W,     b' = (1 - 1) * 1 + 0.5 = 0.5
// channel 1: a = 3 / sqrt(1) = 3;   W' = 3 W,   b' = (2 - 0) * 3 - 1 = 5
// CHECK-LABEL: func.func @conv_then_batch_norm
// CHECK-NOT: lstm.batch_norm
// CHECK-DAG: %[[W:.*]] = arith.constant dense<{{\[}}{{\[}}[1.000000e+00, 2.000000e+00]], {{\[}}[3.000000e+00, 6.000000e+00]]]> : tensor<2x1x2xf32>
// CHECK-DAG: %[[B:.*]] = arith.constant dense<[5.000000e-01, 5.000000e+00]> : tensor<2xf32>
// CHECK: %[[Y:.*]] = lstm.conv %{{.*}}, %[[W]], %[[B]] strides = [1] dilations = [1] padding = [1, 0] groups = 1
// CHECK: return %[[Y]]
func.func @conv_then_batch_norm(%x: tensor<?x1x?xf32>) -> tensor<?x2x?xf32> {
  %w = arith.constant dense<[[[1.0, 2.0]], [[1.0, 2.0]]]> : tensor<2x1x2xf32>
  %b = arith.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %scale = arith.constant dense<[2.0, 3.0]> : tensor<2xf32>
  %shift = arith.constant dense<[0.5, -1.0]> : tensor<2xf32>
  %mean = arith.constant dense<[1.0, 0.0]> : tensor<2xf32>
  %var = arith.constant dense<[4.0, 1.0]> : tensor<2xf32>
  %y = lstm.conv %x, %w, %b strides = [1] dilations = [1] padding = [1, 0] groups = 1
      : tensor<?x1x?xf32>, tensor<2x1x2xf32>, tensor<2xf32> -> tensor<?x2x?xf32>
  %n = lstm.batch_norm %y, %scale, %shift, %mean, %var epsilon = 0.0 : tensor<?x2x?xf32>, tensor<2xf32>
  return %n : tensor<?x2x?xf32>
}

// -----

// A convolution with another user, or non-constant statistics: unchanged.
// CHECK-LABEL: func.func @not_folded
// CHECK: lstm.batch_norm
// CHECK: lstm.batch_norm
func.func @not_folded(%x: tensor<?x1x?xf32>, %mean: tensor<1xf32>) -> (tensor<?x1x?xf32>, tensor<?x1x?xf32>, tensor<?x1x?xf32>) {
  %w = arith.constant dense<1.0> : tensor<1x1x1xf32>
  %p = arith.constant dense<1.0> : tensor<1xf32>
  %y = lstm.conv %x, %w strides = [1] dilations = [1] padding = [0, 0] groups = 1
      : tensor<?x1x?xf32>, tensor<1x1x1xf32> -> tensor<?x1x?xf32>
  %n = lstm.batch_norm %y, %p, %p, %p, %p epsilon = 0.0 : tensor<?x1x?xf32>, tensor<1xf32>
  %z = lstm.conv %x, %w strides = [1] dilations = [1] padding = [0, 0] groups = 1
      : tensor<?x1x?xf32>, tensor<1x1x1xf32> -> tensor<?x1x?xf32>
  %m = lstm.batch_norm %z, %p, %p, %mean, %p epsilon = 0.0 : tensor<?x1x?xf32>, tensor<1xf32>
  return %n, %y, %m : tensor<?x1x?xf32>, tensor<?x1x?xf32>, tensor<?x1x?xf32>
}

// -----

// dense_resource weights (as the importers write them) give dense_resource
// weights; a convolution without bias gets one.
// CHECK-LABEL: func.func @resource_weights
// CHECK: %[[W:.*]] = arith.constant dense_resource<{{.*}}> : tensor<1x1x1xf32>
// CHECK: %[[B:.*]] = arith.constant dense<-2.000000e+00> : tensor<1xf32>
// CHECK: lstm.conv %{{.*}}, %[[W]], %[[B]]
func.func @resource_weights(%x: tensor<?x1x?xf32>) -> tensor<?x1x?xf32> {
  %w = arith.constant dense_resource<conv_weight> : tensor<1x1x1xf32>
  %p = arith.constant dense<[2.0]> : tensor<1xf32>
  %var = arith.constant dense<[4.0]> : tensor<1xf32>
  %y = lstm.conv %x, %w strides = [1] dilations = [1] padding = [0, 0] groups = 1
      : tensor<?x1x?xf32>, tensor<1x1x1xf32> -> tensor<?x1x?xf32>
  %n = lstm.batch_norm %y, %p, %p, %var, %var epsilon = 0.0 : tensor<?x1x?xf32>, tensor<1xf32>
  return %n : tensor<?x1x?xf32>
}

{-#
  dialect_resources: {
    builtin: {
      conv_weight: "0x040000000000803F"
    }
  }
#-}
