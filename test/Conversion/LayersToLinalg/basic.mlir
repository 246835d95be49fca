// RUN: lstm-opt %s -split-input-file -lstm-lower-layers | FileCheck %s

// A grouped, padded, strided convolution: the bias broadcast into the
// result, then one generic over (n, f, c, k, o) that reads the padded input
// at o * stride + k * dilation, channel (f / (F / groups)) * (C / groups) + c.
// CHECK-LABEL: func.func @conv
// CHECK-SAME: (%[[X:.*]]: tensor<?x4x?xf32>, %[[W:.*]]: tensor<6x2x3xf32>, %[[B:.*]]: tensor<6xf32>)
// CHECK: %[[INIT:.*]] = linalg.generic {{.*}} ins(%[[B]] : tensor<6xf32>)
// CHECK: %[[PADDED:.*]] = tensor.pad %[[X]] low[0, 0, 2] high[0, 0, 1]
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "reduction", "reduction", "parallel"]} ins(%[[W]] : tensor<6x2x3xf32>) outs(%[[INIT]] : tensor<?x6x?xf32>)
// CHECK: ^bb0(%[[WV:.*]]: f32, %[[ACC:.*]]: f32):
// CHECK-DAG: %[[N:.*]] = linalg.index 0
// CHECK-DAG: %[[C:.*]] = linalg.index 2
// CHECK-DAG: %[[F:.*]] = linalg.index 1
// CHECK: %[[G:.*]] = arith.divui %[[F]], %c3
// CHECK: %[[FIRST:.*]] = arith.muli %[[G]], %c2
// CHECK: %[[CH:.*]] = arith.addi %[[FIRST]], %[[C]]
// CHECK-DAG: %[[O:.*]] = linalg.index 4
// CHECK-DAG: %[[K:.*]] = linalg.index 3
// CHECK: %[[START:.*]] = arith.muli %[[O]], %c2
// CHECK-NOT: arith.muli
// CHECK: %[[POS:.*]] = arith.addi %[[START]], %[[K]]
// CHECK: %[[XV:.*]] = tensor.extract %[[PADDED]][%[[N]], %[[CH]], %[[POS]]]
// CHECK: %[[P:.*]] = arith.mulf %[[XV]], %[[WV]]
// CHECK: arith.addf %[[ACC]], %[[P]]
func.func @conv(%x: tensor<?x4x?xf32>, %w: tensor<6x2x3xf32>, %b: tensor<6xf32>) -> tensor<?x6x?xf32> {
  %y = lstm.conv %x, %w, %b strides = [2] dilations = [1] padding = [2, 1] groups = 2
      : tensor<?x4x?xf32>, tensor<6x2x3xf32>, tensor<6xf32> -> tensor<?x6x?xf32>
  return %y : tensor<?x6x?xf32>
}

// -----

// An ungrouped 2-D convolution: im2col columns (n, c, kh, kw, oh, ow)
// gathered from the padded input, then one product per image over the
// collapsed (F, K) filters and (K, P) columns, loops (n, f, K, p), expanded
// back to (n, f, oh, ow).
// CHECK-DAG: #[[$WMAP:.*]] = affine_map<(d0, d1, d2, d3) -> (d1, d2)>
// CHECK-DAG: #[[$CMAP:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d2, d3)>
// CHECK-DAG: #[[$OMAP:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d3)>
// CHECK-LABEL: func.func @conv2d_columns
// CHECK-SAME: (%[[X:.*]]: tensor<?x3x?x?xf32>, %[[W:.*]]: tensor<8x3x3x2xf32>)
// CHECK: %[[ZERO:.*]] = linalg.fill
// CHECK: %[[PADDED:.*]] = tensor.pad %[[X]] low[0, 0, 1, 0] high[0, 0, 1, 0]
// CHECK: %[[COLS:.*]] = linalg.generic {{.*}} outs(%{{.*}} : tensor<?x3x3x2x?x?xf32>)
// CHECK: tensor.extract %[[PADDED]]
// CHECK: %[[CM:.*]] = tensor.collapse_shape %[[COLS]] {{\[}}[0], [1, 2, 3], [4, 5]] : tensor<?x3x3x2x?x?xf32> into tensor<?x18x?xf32>
// CHECK: %[[WM:.*]] = tensor.collapse_shape %[[W]] {{\[}}[0], [1, 2, 3]] : tensor<8x3x3x2xf32> into tensor<8x18xf32>
// CHECK: %[[IM:.*]] = tensor.collapse_shape %[[ZERO]] {{\[}}[0], [1], [2, 3]] : tensor<?x8x?x?xf32> into tensor<?x8x?xf32>
// CHECK: %[[PROD:.*]] = linalg.generic {indexing_maps = [#[[$WMAP]], #[[$CMAP]], #[[$OMAP]]], iterator_types = ["parallel", "parallel", "reduction", "parallel"]} ins(%[[WM]], %[[CM]] : tensor<8x18xf32>, tensor<?x18x?xf32>) outs(%[[IM]] : tensor<?x8x?xf32>)
// CHECK: tensor.expand_shape %[[PROD]] {{\[}}[0], [1], [2, 3]] output_shape [%{{.*}}, 8, %{{.*}}, %{{.*}}] : tensor<?x8x?xf32> into tensor<?x8x?x?xf32>
func.func @conv2d_columns(%x: tensor<?x3x?x?xf32>, %w: tensor<8x3x3x2xf32>) -> tensor<?x8x?x?xf32> {
  %y = lstm.conv %x, %w strides = [1, 2] dilations = [1, 1] padding = [1, 0, 1, 0] groups = 1
      : tensor<?x3x?x?xf32>, tensor<8x3x3x2xf32> -> tensor<?x8x?x?xf32>
  return %y : tensor<?x8x?x?xf32>
}

// -----

// Max pooling in ceil mode: -inf padding, far enough for the last window
// (here (5 - 1) * 2 + 3 - 8 - 1 = 2 at the end), and a maximum over the
// window's loops.
// CHECK-LABEL: func.func @max_pool_ceil
// CHECK: %[[NEG:.*]] = arith.constant 0xFF800000 : f32
// CHECK: %[[INIT:.*]] = linalg.fill ins(%[[NEG]] : f32)
// CHECK: tensor.pad %{{.*}} low[0, 0, 1] high[0, 0, 2]
// CHECK: tensor.yield %[[NEG]]
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "reduction", "parallel"]} ins(%{{.*}} : tensor<3xf32>) outs(%[[INIT]] : tensor<2x4x5xf32>)
// CHECK: tensor.extract
// CHECK: arith.maximumf
func.func @max_pool_ceil(%x: tensor<2x4x8xf32>) -> tensor<2x4x5xf32> {
  %y = lstm.pool max %x kernel = [3] strides = [2] dilations = [1] padding = [1, 1] ceil_mode
      : tensor<2x4x8xf32> -> tensor<2x4x5xf32>
  return %y : tensor<2x4x5xf32>
}

// -----

// Average pooling: sums over zero padding, divided by the number of window
// elements inside the input (count_include_pad unset).
// CHECK-LABEL: func.func @avg_pool
// CHECK: %[[SUMS:.*]] = linalg.generic
// CHECK: arith.addf
// CHECK: linalg.generic {{.*}} ins(%[[SUMS]] : tensor<2x4x?xf32>)
// CHECK: arith.maxsi
// CHECK: arith.minsi
// CHECK: arith.sitofp
// CHECK: arith.divf
func.func @avg_pool(%x: tensor<2x4x?xf32>) -> tensor<2x4x?xf32> {
  %y = lstm.pool avg %x kernel = [3] strides = [1] dilations = [1] padding = [1, 1]
      : tensor<2x4x?xf32> -> tensor<2x4x?xf32>
  return %y : tensor<2x4x?xf32>
}

// -----

// Batch normalization: one elementwise op reading the parameters by channel.
// CHECK-LABEL: func.func @batch_norm
// CHECK: linalg.generic {indexing_maps = [#[[ID:.*]], #[[CH:.*]], #[[CH]], #[[CH]], #[[CH]], #[[ID]]]
// CHECK: arith.subf
// CHECK: math.sqrt
// CHECK: arith.divf
// CHECK: math.fma
func.func @batch_norm(%x: tensor<?x6x?xf32>, %p: tensor<6xf32>) -> tensor<?x6x?xf32> {
  %y = lstm.batch_norm %x, %p, %p, %p, %p epsilon = 1.0e-05 : tensor<?x6x?xf32>, tensor<6xf32>
  return %y : tensor<?x6x?xf32>
}

// -----

// Layer normalization: the sum, the sum of squared deviations, then one
// elementwise op.
// CHECK-LABEL: func.func @layer_norm
// CHECK: %[[SUM:.*]] = linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "reduction"]}
// CHECK: %[[SQ:.*]] = linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "reduction"]} ins(%{{.*}}, %[[SUM]] :
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %[[SUM]], %[[SQ]], %{{.*}}, %{{.*}} :
// CHECK: math.sqrt
func.func @layer_norm(%x: tensor<?x?x6xf32>, %g: tensor<6xf32>, %b: tensor<6xf32>) -> tensor<?x?x6xf32> {
  %y = lstm.layer_norm %x scale(%g : tensor<6xf32>) bias(%b : tensor<6xf32>) normalized_rank = 1 epsilon = 1.0e-05 : tensor<?x?x6xf32>
  return %y : tensor<?x?x6xf32>
}

// -----

// Activations share the LSTM gates' implementation.
// CHECK-LABEL: func.func @hardtanh
// CHECK: linalg.generic
// CHECK: arith.maximumf %{{.*}}, %{{.*}} : f32
// CHECK: arith.minimumf %{{.*}}, %{{.*}} : f32
func.func @hardtanh(%x: tensor<?x6xf32>) -> tensor<?x6xf32> {
  %y = lstm.activation <hardtanh, alpha = 0.0 : f32, beta = 20.0 : f32> %x : tensor<?x6xf32>
  return %y : tensor<?x6xf32>
}
