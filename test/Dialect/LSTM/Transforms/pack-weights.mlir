// RUN: lstm-opt %s -split-input-file -lstm-pack-weights | FileCheck %s
// RUN: lstm-opt %s -split-input-file -lstm-pack-weights=block-size=8 | FileCheck %s --check-prefix=B8

// H = 20 in blocks of 16: 2 blocks, padded to 32 units. W_ih and W_hh
// become gate-interleaved panels (nb, features, 4B), the biases are packed
// and summed, W_hr becomes panels over its outputs (np, H, B).
// CHECK-LABEL: func.func @projected_reverse
// CHECK-SAME: (%[[IN:.*]]: tensor<?x?x4xf32>, %[[H0:.*]]: tensor<?x3xf32>, %[[C0:.*]]: tensor<?x20xf32>, %[[LEN:.*]]: tensor<?xi64>, %[[WIH:.*]]: tensor<80x4xf32>, %[[WHH:.*]]: tensor<80x3xf32>, %[[B:.*]]: tensor<80xf32>, %[[WHR:.*]]: tensor<3x20xf32>)
// W_ih: (4H, I) -> (4, H, I) -> (4, 32, I) -> (4, 2, 16, I) -> (2, I, 4, 16) -> (2, I, 64).
// CHECK: %[[E:.*]] = tensor.expand_shape %[[WIH]] {{\[}}[0, 1], [2]] output_shape [4, 20, 4]
// CHECK: %[[P:.*]] = tensor.pad %[[E]] low[0, 0, 0] high[0, 12, 0]
// CHECK: %[[E2:.*]] = tensor.expand_shape %[[P]] {{\[}}[0], [1, 2], [3]] output_shape [4, 2, 16, 4]
// CHECK: %[[T:.*]] = linalg.transpose ins(%[[E2]] : tensor<4x2x16x4xf32>) outs(%{{.*}} : tensor<2x4x4x16xf32>) permutation = [1, 3, 0, 2]
// CHECK: %[[WIHP:.*]] = tensor.collapse_shape %[[T]] {{\[}}[0], [1], [2, 3]] : tensor<2x4x4x16xf32> into tensor<2x4x64xf32>
// CHECK: %[[WHHP:.*]] = tensor.collapse_shape {{.*}} into tensor<2x3x64xf32>
// Biases: (4H) -> (4, H) -> (4, 32) -> (4, 2, 16) -> (2, 4, 16) -> (2, 64).
// CHECK: tensor.expand_shape %[[B]] {{\[}}[0, 1]] output_shape [4, 20]
// CHECK: linalg.transpose ins(%{{.*}} : tensor<4x2x16xf32>) outs(%{{.*}} : tensor<2x4x16xf32>) permutation = [1, 0, 2]
// CHECK: %[[BIH:.*]] = tensor.collapse_shape {{.*}} into tensor<2x64xf32>
// CHECK: %[[BHH:.*]] = tensor.collapse_shape {{.*}} into tensor<2x64xf32>
// CHECK: %[[BIAS:.*]] = linalg.add ins(%[[BIH]], %[[BHH]] : tensor<2x64xf32>, tensor<2x64xf32>)
// W_hr: (P, H) -> (16, H) -> (1, 16, H) -> (1, H, 16).
// CHECK: tensor.pad %[[WHR]] low[0, 0] high[13, 0]
// CHECK: %[[WHRP:.*]] = linalg.transpose ins(%{{.*}} : tensor<1x16x20xf32>) outs(%{{.*}} : tensor<1x20x16xf32>) permutation = [0, 2, 1]
// CHECK: %[[OUT:.*]] = tensor.empty(%{{.*}}, %{{.*}}) : tensor<?x?x3xf32>
// CHECK: %[[HN:.*]] = tensor.empty(%{{.*}}) : tensor<?x3xf32>
// CHECK: %[[CN:.*]] = tensor.empty(%{{.*}}) : tensor<?x20xf32>
// CHECK: %[[R:.*]]:3 = lstm.recurrence input(%[[IN]] : tensor<?x?x4xf32>) weights(%[[WIHP]], %[[WHHP]] : tensor<2x4x64xf32>, tensor<2x3x64xf32>) bias(%[[BIAS]] : tensor<2x64xf32>) projection(%[[WHRP]] : tensor<1x20x16xf32>) init(%[[H0]], %[[C0]] : tensor<?x3xf32>, tensor<?x20xf32>) lengths(%[[LEN]] : tensor<?xi64>) outs(%[[OUT]], %[[HN]], %[[CN]] : {{.*}}) {reverse}
// CHECK: return %[[R]]#0

// A block of 8 divides H = 20 poorly too: 3 blocks, padded to 24.
// B8-LABEL: func.func @projected_reverse
// B8: tensor.pad %{{.*}} low[0, 0, 0] high[0, 4, 0]
// B8: lstm.recurrence input(%{{.*}} : tensor<?x?x4xf32>) weights(%{{.*}}, %{{.*}} : tensor<3x4x32xf32>, tensor<3x3x32xf32>) bias(%{{.*}} : tensor<3x32xf32>) projection(%{{.*}} : tensor<1x20x8xf32>)
func.func @projected_reverse(%x: tensor<?x?x4xf32>, %h0: tensor<?x3xf32>, %c0: tensor<?x20xf32>,
    %len: tensor<?xi64>, %w_ih: tensor<80x4xf32>, %w_hh: tensor<80x3xf32>, %b: tensor<80xf32>,
    %w_hr: tensor<3x20xf32>) -> tensor<?x?x3xf32> {
  %out, %h_n, %c_n = lstm.layer %x, %h0, %c0 lengths(%len) weights(%w_ih, %w_hh) biases(%b, %b)
      projection(%w_hr) {reverse}
      : (tensor<?x?x4xf32>, tensor<?x3xf32>, tensor<?x20xf32>, tensor<?xi64>, tensor<80x4xf32>,
         tensor<80x3xf32>, tensor<80xf32>, tensor<80xf32>, tensor<3x20xf32>)
      -> (tensor<?x?x3xf32>, tensor<?x3xf32>, tensor<?x20xf32>)
  return %out : tensor<?x?x3xf32>
}

// -----

// Without biases there is no bias operand; H = 32 needs no padding.
// CHECK-LABEL: func.func @no_bias
// CHECK-NOT: tensor.pad
// CHECK-NOT: linalg.add
// CHECK: lstm.recurrence input(%{{.*}} : tensor<7x2x5xf32>) weights(%{{.*}}, %{{.*}} : tensor<2x5x64xf32>, tensor<2x32x64xf32>) init
// CHECK-NOT: reverse
func.func @no_bias(%x: tensor<7x2x5xf32>, %h0: tensor<2x32xf32>, %c0: tensor<2x32xf32>,
    %w_ih: tensor<128x5xf32>, %w_hh: tensor<128x32xf32>) -> tensor<7x2x32xf32> {
  %out, %h_n, %c_n = lstm.layer %x, %h0, %c0 weights(%w_ih, %w_hh)
      : (tensor<7x2x5xf32>, tensor<2x32xf32>, tensor<2x32xf32>, tensor<128x5xf32>,
         tensor<128x32xf32>) -> (tensor<7x2x32xf32>, tensor<2x32xf32>, tensor<2x32xf32>)
  return %out : tensor<7x2x32xf32>
}

// -----

// Peepholes p_i, p_f, p_o (3H) are padded with a zero fourth gate and packed
// like the biases; the gate variants carry over.
// CHECK-LABEL: func.func @peephole
// CHECK-SAME: %[[PEEP:[^:]*]]: tensor<60xf32>
// CHECK: %[[PADDED:.*]] = tensor.pad %[[PEEP]] low[0] high[20]
// CHECK: tensor.expand_shape %[[PADDED]] {{\[}}[0, 1]] output_shape [4, 20]
// CHECK: linalg.transpose ins(%{{.*}} : tensor<4x2x16xf32>) outs(%{{.*}} : tensor<2x4x16xf32>) permutation = [1, 0, 2]
// CHECK: %[[PACKED:.*]] = tensor.collapse_shape {{.*}} into tensor<2x64xf32>
// CHECK: lstm.recurrence {{.*}} peephole(%[[PACKED]] : tensor<2x64xf32>)
// CHECK-SAME: {activations = [#lstm.activation<sigmoid>, #lstm.activation<relu>, #lstm.activation<tanh>], clip = 2.000000e+00 : f32, input_forget}
func.func @peephole(%x: tensor<7x2x5xf32>, %s: tensor<2x20xf32>, %w_ih: tensor<80x5xf32>,
    %w_hh: tensor<80x20xf32>, %p: tensor<60xf32>) -> tensor<7x2x20xf32> {
  %out, %h_n, %c_n = lstm.layer %x, %s, %s weights(%w_ih, %w_hh) peephole(%p)
      {activations = [#lstm.activation<sigmoid>, #lstm.activation<relu>, #lstm.activation<tanh>],
       clip = 2.0 : f32, input_forget}
      : (tensor<7x2x5xf32>, tensor<2x20xf32>, tensor<2x20xf32>, tensor<80x5xf32>,
         tensor<80x20xf32>, tensor<60xf32>) -> (tensor<7x2x20xf32>, tensor<2x20xf32>, tensor<2x20xf32>)
  return %out : tensor<7x2x20xf32>
}
