// RUN: lstm-opt %s -split-input-file -lstm-decompose | FileCheck %s

// Absent states become zeros; a single direction needs no concatenation.
// CHECK-LABEL: func.func @single_layer
// CHECK-SAME: (%[[X:.*]]: tensor<5x?x4xf32>, %[[WIH:.*]]: tensor<32x4xf32>, %[[WHH:.*]]: tensor<32x8xf32>, %[[B:.*]]: tensor<32xf32>)
// CHECK: %[[H0:.*]] = linalg.fill {{.*}} -> tensor<?x8xf32>
// CHECK: %[[C0:.*]] = linalg.fill {{.*}} -> tensor<?x8xf32>
// CHECK: %[[OUT:.*]], %[[HN:.*]], %[[CN:.*]] = lstm.layer %[[X]], %[[H0]], %[[C0]] weights(%[[WIH]], %[[WHH]]) biases(%[[B]], %[[B]])
// CHECK-NOT: reverse
// CHECK-SAME: -> (tensor<5x?x8xf32>, tensor<?x8xf32>, tensor<?x8xf32>)
// CHECK: %[[HS:.*]] = tensor.insert_slice %[[HN]] into %{{.*}}[0, 0, 0] [1, %{{.*}}, 8] [1, 1, 1] : tensor<?x8xf32> into tensor<1x?x8xf32>
// CHECK: %[[CS:.*]] = tensor.insert_slice %[[CN]]
// CHECK: return %[[OUT]], %[[HS]], %[[CS]]
func.func @single_layer(%x: tensor<5x?x4xf32>, %w_ih: tensor<32x4xf32>, %w_hh: tensor<32x8xf32>,
    %b: tensor<32xf32>) -> (tensor<5x?x8xf32>, tensor<1x?x8xf32>, tensor<1x?x8xf32>) {
  %out, %h_n, %c_n = lstm.lstm %x weights(%w_ih, %w_hh, %b, %b :
      tensor<32x4xf32>, tensor<32x8xf32>, tensor<32xf32>, tensor<32xf32>)
      {hidden_size = 8 : i64, input_size = 4 : i64}
      : tensor<5x?x4xf32> -> tensor<5x?x8xf32>, tensor<1x?x8xf32>, tensor<1x?x8xf32>
  return %out, %h_n, %c_n : tensor<5x?x8xf32>, tensor<1x?x8xf32>, tensor<1x?x8xf32>
}

// -----

// batch_first transposes input and output, never the states; the reverse
// direction reads h0[1]; outputs are concatenated along features and states
// stacked as [fwd, rev].
// CHECK-LABEL: func.func @bidirectional_batch_first
// CHECK-SAME: (%[[X:.*]]: tensor<3x?x4xf32>, %[[H0:.*]]: tensor<2x3x8xf32>
// CHECK: %[[XT:.*]] = linalg.transpose ins(%[[X]] : tensor<3x?x4xf32>) outs(%{{.*}} : tensor<?x3x4xf32>) permutation = [1, 0, 2]
// CHECK: %[[H0F:.*]] = tensor.extract_slice %[[H0]][0, 0, 0] [1, 3, 8] [1, 1, 1] : tensor<2x3x8xf32> to tensor<3x8xf32>
// CHECK: %[[FWD:.*]], %[[HF:.*]], %[[CF:.*]] = lstm.layer %[[XT]], %[[H0F]]
// CHECK-NOT: reverse
// CHECK-SAME: -> (tensor<?x3x8xf32>
// CHECK: %[[H0R:.*]] = tensor.extract_slice %[[H0]][1, 0, 0] [1, 3, 8] [1, 1, 1]
// CHECK: %[[REV:.*]], %[[HR:.*]], %[[CR:.*]] = lstm.layer %[[XT]], %[[H0R]], %{{.*}} weights(%{{.*}}, %{{.*}}) {reverse}
// CHECK: %[[CAT0:.*]] = tensor.insert_slice %[[FWD]] into %{{.*}}[0, 0, 0] [%{{.*}}, 3, 8] [1, 1, 1] : tensor<?x3x8xf32> into tensor<?x3x16xf32>
// CHECK: %[[CAT:.*]] = tensor.insert_slice %[[REV]] into %[[CAT0]][0, 0, 8] [%{{.*}}, 3, 8] [1, 1, 1]
// CHECK: tensor.insert_slice %[[HF]] into %{{.*}}[0, 0, 0]
// CHECK: tensor.insert_slice %[[HR]] into %{{.*}}[1, 0, 0]
// CHECK: %[[OUT:.*]] = linalg.transpose ins(%[[CAT]] : tensor<?x3x16xf32>) outs(%{{.*}} : tensor<3x?x16xf32>) permutation = [1, 0, 2]
// CHECK: return %[[OUT]]
func.func @bidirectional_batch_first(%x: tensor<3x?x4xf32>, %h0: tensor<2x3x8xf32>,
    %w_ih: tensor<32x4xf32>, %w_hh: tensor<32x8xf32>)
    -> (tensor<3x?x16xf32>, tensor<2x3x8xf32>, tensor<2x3x8xf32>) {
  %out, %h_n, %c_n = lstm.lstm %x h0(%h0 : tensor<2x3x8xf32>) weights(%w_ih, %w_hh, %w_ih, %w_hh :
      tensor<32x4xf32>, tensor<32x8xf32>, tensor<32x4xf32>, tensor<32x8xf32>)
      {batch_first = true, bidirectional = true, has_biases = false, hidden_size = 8 : i64,
       input_size = 4 : i64}
      : tensor<3x?x4xf32> -> tensor<3x?x16xf32>, tensor<2x3x8xf32>, tensor<2x3x8xf32>
  return %out, %h_n, %c_n : tensor<3x?x16xf32>, tensor<2x3x8xf32>, tensor<2x3x8xf32>
}

// -----

// Layer 1 reads layer 0's output; with projections h0 slices are H_out wide,
// c0 slices H wide; lengths go to every layer.
// CHECK-LABEL: func.func @two_layers_projection_lengths
// CHECK-SAME: (%[[X:.*]]: tensor<?x?x4xf32>, %[[LEN:.*]]: tensor<?xi64>, %[[H0:.*]]: tensor<2x?x3xf32>, %[[C0:.*]]: tensor<2x?x8xf32>
// CHECK: %[[H00:.*]] = tensor.extract_slice %[[H0]][0, 0, 0] [1, %{{.*}}, 3]
// CHECK: %[[C00:.*]] = tensor.extract_slice %[[C0]][0, 0, 0] [1, %{{.*}}, 8]
// CHECK: %[[L0:.*]], %{{.*}}, %{{.*}} = lstm.layer %[[X]], %[[H00]], %[[C00]] lengths(%[[LEN]]) weights({{.*}}) projection({{.*}}) : {{.*}} -> (tensor<?x?x3xf32>, tensor<?x3xf32>, tensor<?x8xf32>)
// CHECK: %[[H01:.*]] = tensor.extract_slice %[[H0]][1, 0, 0]
// CHECK: %[[C01:.*]] = tensor.extract_slice %[[C0]][1, 0, 0]
// CHECK: lstm.layer %[[L0]], %[[H01]], %[[C01]] lengths(%[[LEN]])
func.func @two_layers_projection_lengths(%x: tensor<?x?x4xf32>, %len: tensor<?xi64>,
    %h0: tensor<2x?x3xf32>, %c0: tensor<2x?x8xf32>, %w_ih0: tensor<32x4xf32>,
    %w_hh: tensor<32x3xf32>, %w_hr: tensor<3x8xf32>, %w_ih1: tensor<32x3xf32>)
    -> tensor<?x?x3xf32> {
  %out, %h_n, %c_n = lstm.lstm %x h0(%h0 : tensor<2x?x3xf32>) c0(%c0 : tensor<2x?x8xf32>)
      lengths(%len : tensor<?xi64>) weights(%w_ih0, %w_hh, %w_hr, %w_ih1, %w_hh, %w_hr :
      tensor<32x4xf32>, tensor<32x3xf32>, tensor<3x8xf32>,
      tensor<32x3xf32>, tensor<32x3xf32>, tensor<3x8xf32>)
      {has_biases = false, hidden_size = 8 : i64, input_size = 4 : i64, num_layers = 2 : i64,
       proj_size = 3 : i64}
      : tensor<?x?x4xf32> -> tensor<?x?x3xf32>, tensor<2x?x3xf32>, tensor<2x?x8xf32>
  return %out : tensor<?x?x3xf32>
}

// -----

// Unbatched input runs as a batch of one.
// CHECK-LABEL: func.func @unbatched
// CHECK-SAME: (%[[X:.*]]: tensor<5x4xf32>, %[[H0:.*]]: tensor<1x8xf32>
// CHECK: %[[XB:.*]] = tensor.expand_shape %[[X]] {{\[}}[0], [1, 2]] output_shape [5, 1, 4] : tensor<5x4xf32> into tensor<5x1x4xf32>
// CHECK: %[[H0B:.*]] = tensor.expand_shape %[[H0]] {{\[}}[0], [1, 2]] output_shape [1, 1, 8] : tensor<1x8xf32> into tensor<1x1x8xf32>
// CHECK: %[[OUT:.*]], %{{.*}}, %{{.*}} = lstm.layer %[[XB]]
// CHECK-SAME: -> (tensor<5x1x8xf32>, tensor<1x8xf32>, tensor<1x8xf32>)
// CHECK: %[[R0:.*]] = tensor.collapse_shape %[[OUT]] {{\[}}[0, 1], [2]] : tensor<5x1x8xf32> into tensor<5x8xf32>
// CHECK: %[[R1:.*]] = tensor.collapse_shape %{{.*}} {{\[}}[0, 1], [2]] : tensor<1x1x8xf32> into tensor<1x8xf32>
// CHECK: %[[R2:.*]] = tensor.collapse_shape
// CHECK: return %[[R0]], %[[R1]], %[[R2]]
func.func @unbatched(%x: tensor<5x4xf32>, %h0: tensor<1x8xf32>, %w_ih: tensor<32x4xf32>,
    %w_hh: tensor<32x8xf32>) -> (tensor<5x8xf32>, tensor<1x8xf32>, tensor<1x8xf32>) {
  %out, %h_n, %c_n = lstm.lstm %x h0(%h0 : tensor<1x8xf32>)
      weights(%w_ih, %w_hh : tensor<32x4xf32>, tensor<32x8xf32>)
      {has_biases = false, hidden_size = 8 : i64, input_size = 4 : i64}
      : tensor<5x4xf32> -> tensor<5x8xf32>, tensor<1x8xf32>, tensor<1x8xf32>
  return %out, %h_n, %c_n : tensor<5x8xf32>, tensor<1x8xf32>, tensor<1x8xf32>
}

// -----

// Result types more static than the computed ones are restored with casts.
// CHECK-LABEL: func.func @refined_results
// CHECK: %[[OUT:.*]], %{{.*}}, %{{.*}} = lstm.layer
// CHECK-SAME: -> (tensor<?x?x8xf32>
// CHECK: %[[CAST:.*]] = tensor.cast %[[OUT]] : tensor<?x?x8xf32> to tensor<5x3x8xf32>
// CHECK: return %[[CAST]]
func.func @refined_results(%x: tensor<?x?x4xf32>, %w_ih: tensor<32x4xf32>, %w_hh: tensor<32x8xf32>)
    -> tensor<5x3x8xf32> {
  %out, %h_n, %c_n = lstm.lstm %x weights(%w_ih, %w_hh : tensor<32x4xf32>, tensor<32x8xf32>)
      {has_biases = false, hidden_size = 8 : i64, input_size = 4 : i64}
      : tensor<?x?x4xf32> -> tensor<5x3x8xf32>, tensor<1x3x8xf32>, tensor<1x3x8xf32>
  return %out : tensor<5x3x8xf32>
}
