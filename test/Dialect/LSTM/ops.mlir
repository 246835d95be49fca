// RUN: lstm-opt %s -split-input-file | lstm-opt -split-input-file | FileCheck %s
// RUN: lstm-opt %s -split-input-file -mlir-print-op-generic | lstm-opt -split-input-file | FileCheck %s

// CHECK-LABEL: func.func @single_layer
// CHECK: lstm.lstm %{{.*}} weights(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} : tensor<80x10xf32>, tensor<80x20xf32>, tensor<80xf32>, tensor<80xf32>)
// CHECK-SAME: {hidden_size = 20 : i64, input_size = 10 : i64}
// CHECK-SAME: : tensor<5x3x10xf32> -> tensor<5x3x20xf32>, tensor<1x3x20xf32>, tensor<1x3x20xf32>
func.func @single_layer(%x: tensor<5x3x10xf32>, %w_ih: tensor<80x10xf32>,
    %w_hh: tensor<80x20xf32>, %b_ih: tensor<80xf32>, %b_hh: tensor<80xf32>)
    -> tensor<5x3x20xf32> {
  %out, %h_n, %c_n = lstm.lstm %x weights(%w_ih, %w_hh, %b_ih, %b_hh :
      tensor<80x10xf32>, tensor<80x20xf32>, tensor<80xf32>, tensor<80xf32>)
      {hidden_size = 20 : i64, input_size = 10 : i64}
      : tensor<5x3x10xf32> -> tensor<5x3x20xf32>, tensor<1x3x20xf32>, tensor<1x3x20xf32>
  return %out : tensor<5x3x20xf32>
}

// -----

// Two layers: layer 1 reads the 20 features of layer 0.
// CHECK-LABEL: func.func @two_layers
// CHECK: lstm.lstm
// CHECK-SAME: num_layers = 2 : i64
// CHECK-SAME: -> tensor<5x3x20xf32>, tensor<2x3x20xf32>, tensor<2x3x20xf32>
func.func @two_layers(%x: tensor<5x3x10xf32>, %w_ih0: tensor<80x10xf32>,
    %w_hh0: tensor<80x20xf32>, %b0: tensor<80xf32>, %w_ih1: tensor<80x20xf32>)
    -> tensor<2x3x20xf32> {
  %out, %h_n, %c_n = lstm.lstm %x weights(%w_ih0, %w_hh0, %b0, %b0, %w_ih1, %w_hh0, %b0, %b0 :
      tensor<80x10xf32>, tensor<80x20xf32>, tensor<80xf32>, tensor<80xf32>,
      tensor<80x20xf32>, tensor<80x20xf32>, tensor<80xf32>, tensor<80xf32>)
      {hidden_size = 20 : i64, input_size = 10 : i64, num_layers = 2 : i64}
      : tensor<5x3x10xf32> -> tensor<5x3x20xf32>, tensor<2x3x20xf32>, tensor<2x3x20xf32>
  return %h_n : tensor<2x3x20xf32>
}

// -----

// bias=False: two weights per layer.
// CHECK-LABEL: func.func @no_bias
// CHECK: lstm.lstm %{{.*}} weights(%{{.*}}, %{{.*}} : tensor<16x4xf32>, tensor<16x4xf32>)
// CHECK-SAME: has_biases = false
func.func @no_bias(%x: tensor<7x2x4xf32>, %w_ih: tensor<16x4xf32>, %w_hh: tensor<16x4xf32>)
    -> tensor<7x2x4xf32> {
  %out, %h_n, %c_n = lstm.lstm %x weights(%w_ih, %w_hh : tensor<16x4xf32>, tensor<16x4xf32>)
      {has_biases = false, hidden_size = 4 : i64, input_size = 4 : i64}
      : tensor<7x2x4xf32> -> tensor<7x2x4xf32>, tensor<1x2x4xf32>, tensor<1x2x4xf32>
  return %out : tensor<7x2x4xf32>
}

// -----

// batch_first swaps L and N in input and output, never in the states.
// CHECK-LABEL: func.func @batch_first
// CHECK: lstm.lstm
// CHECK-SAME: batch_first = true
// CHECK-SAME: : tensor<3x5x4xf32> -> tensor<3x5x8xf32>, tensor<1x3x8xf32>, tensor<1x3x8xf32>
func.func @batch_first(%x: tensor<3x5x4xf32>, %w_ih: tensor<32x4xf32>, %w_hh: tensor<32x8xf32>)
    -> tensor<3x5x8xf32> {
  %out, %h_n, %c_n = lstm.lstm %x weights(%w_ih, %w_hh : tensor<32x4xf32>, tensor<32x8xf32>)
      {batch_first = true, has_biases = false, hidden_size = 8 : i64, input_size = 4 : i64}
      : tensor<3x5x4xf32> -> tensor<3x5x8xf32>, tensor<1x3x8xf32>, tensor<1x3x8xf32>
  return %out : tensor<3x5x8xf32>
}

// -----

// bidirectional: weights per layer are forward then reverse; output has
// D * H features and the states D * num_layers entries.
// CHECK-LABEL: func.func @bidirectional
// CHECK: lstm.lstm
// CHECK-SAME: bidirectional = true
// CHECK-SAME: -> tensor<5x3x16xf32>, tensor<2x3x8xf32>, tensor<2x3x8xf32>
func.func @bidirectional(%x: tensor<5x3x4xf32>, %w_ih: tensor<32x4xf32>, %w_hh: tensor<32x8xf32>)
    -> tensor<5x3x16xf32> {
  %out, %h_n, %c_n = lstm.lstm %x weights(%w_ih, %w_hh, %w_ih, %w_hh :
      tensor<32x4xf32>, tensor<32x8xf32>, tensor<32x4xf32>, tensor<32x8xf32>)
      {bidirectional = true, has_biases = false, hidden_size = 8 : i64, input_size = 4 : i64}
      : tensor<5x3x4xf32> -> tensor<5x3x16xf32>, tensor<2x3x8xf32>, tensor<2x3x8xf32>
  return %out : tensor<5x3x16xf32>
}

// -----

// proj_size: W_hh reads H_out = proj_size features, W_hr is (P, H), h is
// (.., P) and c stays (.., H).
// CHECK-LABEL: func.func @projection
// CHECK: lstm.lstm
// CHECK-SAME: proj_size = 3 : i64
// CHECK-SAME: -> tensor<5x2x3xf32>, tensor<1x2x3xf32>, tensor<1x2x8xf32>
func.func @projection(%x: tensor<5x2x4xf32>, %w_ih: tensor<32x4xf32>, %w_hh: tensor<32x3xf32>,
    %b: tensor<32xf32>, %w_hr: tensor<3x8xf32>) -> tensor<1x2x8xf32> {
  %out, %h_n, %c_n = lstm.lstm %x weights(%w_ih, %w_hh, %b, %b, %w_hr :
      tensor<32x4xf32>, tensor<32x3xf32>, tensor<32xf32>, tensor<32xf32>, tensor<3x8xf32>)
      {hidden_size = 8 : i64, input_size = 4 : i64, proj_size = 3 : i64}
      : tensor<5x2x4xf32> -> tensor<5x2x3xf32>, tensor<1x2x3xf32>, tensor<1x2x8xf32>
  return %c_n : tensor<1x2x8xf32>
}

// -----

// Everything at once: 2 layers, bidirectional, projected, batch_first.
// CHECK-LABEL: func.func @bidirectional_projection_two_layers
// CHECK: lstm.lstm
// CHECK-SAME: -> tensor<3x5x6xf32>, tensor<4x3x3xf32>, tensor<4x3x8xf32>
func.func @bidirectional_projection_two_layers(%x: tensor<3x5x4xf32>,
    %w_ih0: tensor<32x4xf32>, %w_hh: tensor<32x3xf32>, %w_hr: tensor<3x8xf32>,
    %w_ih1: tensor<32x6xf32>) -> tensor<3x5x6xf32> {
  %out, %h_n, %c_n = lstm.lstm %x weights(%w_ih0, %w_hh, %w_hr, %w_ih0, %w_hh, %w_hr,
      %w_ih1, %w_hh, %w_hr, %w_ih1, %w_hh, %w_hr :
      tensor<32x4xf32>, tensor<32x3xf32>, tensor<3x8xf32>,
      tensor<32x4xf32>, tensor<32x3xf32>, tensor<3x8xf32>,
      tensor<32x6xf32>, tensor<32x3xf32>, tensor<3x8xf32>,
      tensor<32x6xf32>, tensor<32x3xf32>, tensor<3x8xf32>)
      {batch_first = true, bidirectional = true, has_biases = false, hidden_size = 8 : i64,
       input_size = 4 : i64, num_layers = 2 : i64, proj_size = 3 : i64}
      : tensor<3x5x4xf32> -> tensor<3x5x6xf32>, tensor<4x3x3xf32>, tensor<4x3x8xf32>
  return %out : tensor<3x5x6xf32>
}

// -----

// Initial states h0 and c0, each optional on its own.
// CHECK-LABEL: func.func @initial_states
// CHECK: lstm.lstm %{{.*}} h0(%{{.*}} : tensor<1x3x8xf32>) c0(%{{.*}} : tensor<1x3x8xf32>) weights
// CHECK: lstm.lstm %{{.*}} h0(%{{.*}} : tensor<1x3x8xf32>) weights
// CHECK: lstm.lstm %{{.*}} c0(%{{.*}} : tensor<1x3x8xf32>) weights
func.func @initial_states(%x: tensor<5x3x4xf32>, %h0: tensor<1x3x8xf32>, %c0: tensor<1x3x8xf32>,
    %w_ih: tensor<32x4xf32>, %w_hh: tensor<32x8xf32>) -> tensor<5x3x8xf32> {
  %out, %h_n, %c_n = lstm.lstm %x h0(%h0 : tensor<1x3x8xf32>) c0(%c0 : tensor<1x3x8xf32>)
      weights(%w_ih, %w_hh : tensor<32x4xf32>, tensor<32x8xf32>)
      {has_biases = false, hidden_size = 8 : i64, input_size = 4 : i64}
      : tensor<5x3x4xf32> -> tensor<5x3x8xf32>, tensor<1x3x8xf32>, tensor<1x3x8xf32>
  %out1, %h_n1, %c_n1 = lstm.lstm %x h0(%h0 : tensor<1x3x8xf32>)
      weights(%w_ih, %w_hh : tensor<32x4xf32>, tensor<32x8xf32>)
      {has_biases = false, hidden_size = 8 : i64, input_size = 4 : i64}
      : tensor<5x3x4xf32> -> tensor<5x3x8xf32>, tensor<1x3x8xf32>, tensor<1x3x8xf32>
  %out2, %h_n2, %c_n2 = lstm.lstm %x c0(%c0 : tensor<1x3x8xf32>)
      weights(%w_ih, %w_hh : tensor<32x4xf32>, tensor<32x8xf32>)
      {has_biases = false, hidden_size = 8 : i64, input_size = 4 : i64}
      : tensor<5x3x4xf32> -> tensor<5x3x8xf32>, tensor<1x3x8xf32>, tensor<1x3x8xf32>
  return %out : tensor<5x3x8xf32>
}

// -----

// A padded PackedSequence: one int64 length per batch element.
// CHECK-LABEL: func.func @lengths
// CHECK: lstm.lstm %{{.*}} lengths(%{{.*}} : tensor<3xi64>) weights
func.func @lengths(%x: tensor<5x3x4xf32>, %len: tensor<3xi64>, %w_ih: tensor<32x4xf32>,
    %w_hh: tensor<32x8xf32>) -> tensor<5x3x8xf32> {
  %out, %h_n, %c_n = lstm.lstm %x lengths(%len : tensor<3xi64>)
      weights(%w_ih, %w_hh : tensor<32x4xf32>, tensor<32x8xf32>)
      {has_biases = false, hidden_size = 8 : i64, input_size = 4 : i64}
      : tensor<5x3x4xf32> -> tensor<5x3x8xf32>, tensor<1x3x8xf32>, tensor<1x3x8xf32>
  return %out : tensor<5x3x8xf32>
}

// -----

// Unbatched 2-D input takes and gives 2-D states.
// CHECK-LABEL: func.func @unbatched
// CHECK: lstm.lstm %{{.*}} h0(%{{.*}} : tensor<2x8xf32>) c0(%{{.*}} : tensor<2x8xf32>)
// CHECK-SAME: : tensor<5x4xf32> -> tensor<5x16xf32>, tensor<2x8xf32>, tensor<2x8xf32>
func.func @unbatched(%x: tensor<5x4xf32>, %h0: tensor<2x8xf32>, %c0: tensor<2x8xf32>,
    %w_ih: tensor<32x4xf32>, %w_hh: tensor<32x8xf32>) -> tensor<5x16xf32> {
  %out, %h_n, %c_n = lstm.lstm %x h0(%h0 : tensor<2x8xf32>) c0(%c0 : tensor<2x8xf32>)
      weights(%w_ih, %w_hh, %w_ih, %w_hh :
      tensor<32x4xf32>, tensor<32x8xf32>, tensor<32x4xf32>, tensor<32x8xf32>)
      {bidirectional = true, has_biases = false, hidden_size = 8 : i64, input_size = 4 : i64}
      : tensor<5x4xf32> -> tensor<5x16xf32>, tensor<2x8xf32>, tensor<2x8xf32>
  return %out : tensor<5x16xf32>
}

// -----

// Dynamic sequence length and batch; results may refine dynamic dims.
// CHECK-LABEL: func.func @dynamic_dims
// CHECK: lstm.lstm
// CHECK-SAME: : tensor<?x?x4xf32> -> tensor<?x?x8xf32>, tensor<1x?x8xf32>, tensor<1x?x8xf32>
// CHECK: lstm.lstm
// CHECK-SAME: : tensor<?x?x4xf32> -> tensor<?x3x8xf32>, tensor<1x3x8xf32>, tensor<1x3x8xf32>
func.func @dynamic_dims(%x: tensor<?x?x4xf32>, %h0: tensor<1x?x8xf32>, %len: tensor<?xi64>,
    %w_ih: tensor<32x4xf32>, %w_hh: tensor<32x8xf32>) -> tensor<?x?x8xf32> {
  %out, %h_n, %c_n = lstm.lstm %x h0(%h0 : tensor<1x?x8xf32>) lengths(%len : tensor<?xi64>)
      weights(%w_ih, %w_hh : tensor<32x4xf32>, tensor<32x8xf32>)
      {has_biases = false, hidden_size = 8 : i64, input_size = 4 : i64}
      : tensor<?x?x4xf32> -> tensor<?x?x8xf32>, tensor<1x?x8xf32>, tensor<1x?x8xf32>
  %out1, %h_n1, %c_n1 = lstm.lstm %x weights(%w_ih, %w_hh : tensor<32x4xf32>, tensor<32x8xf32>)
      {has_biases = false, hidden_size = 8 : i64, input_size = 4 : i64}
      : tensor<?x?x4xf32> -> tensor<?x3x8xf32>, tensor<1x3x8xf32>, tensor<1x3x8xf32>
  return %out : tensor<?x?x8xf32>
}

// -----

// dropout is kept; inference ignores it.
// CHECK-LABEL: func.func @dropout
// CHECK: lstm.lstm
// CHECK-SAME: dropout = 5.000000e-01 : f64
func.func @dropout(%x: tensor<5x3x4xf32>, %w_ih: tensor<32x4xf32>, %w_hh: tensor<32x8xf32>,
    %w_ih1: tensor<32x8xf32>) -> tensor<5x3x8xf32> {
  %out, %h_n, %c_n = lstm.lstm %x weights(%w_ih, %w_hh, %w_ih1, %w_hh :
      tensor<32x4xf32>, tensor<32x8xf32>, tensor<32x8xf32>, tensor<32x8xf32>)
      {dropout = 0.5 : f64, has_biases = false, hidden_size = 8 : i64, input_size = 4 : i64,
       num_layers = 2 : i64}
      : tensor<5x3x4xf32> -> tensor<5x3x8xf32>, tensor<2x3x8xf32>, tensor<2x3x8xf32>
  return %out : tensor<5x3x8xf32>
}

// -----

// CHECK-LABEL: func.func @layer
// CHECK: lstm.layer %{{.*}}, %{{.*}}, %{{.*}} lengths(%{{.*}}) weights(%{{.*}}, %{{.*}}) biases(%{{.*}}, %{{.*}}) projection(%{{.*}}) {reverse} : (tensor<?x?x4xf32>, tensor<?x3xf32>, tensor<?x8xf32>, tensor<?xi64>, tensor<32x4xf32>, tensor<32x3xf32>, tensor<32xf32>, tensor<32xf32>, tensor<3x8xf32>) -> (tensor<?x?x3xf32>, tensor<?x3xf32>, tensor<?x8xf32>)
// CHECK: lstm.layer %{{.*}}, %{{.*}}, %{{.*}} weights(%{{.*}}, %{{.*}}) : (tensor<5x2x4xf32>
func.func @layer(%x: tensor<?x?x4xf32>, %h0: tensor<?x3xf32>, %c0: tensor<?x8xf32>,
    %len: tensor<?xi64>, %w_ih: tensor<32x4xf32>, %w_hh: tensor<32x3xf32>, %b: tensor<32xf32>,
    %w_hr: tensor<3x8xf32>, %x2: tensor<5x2x4xf32>, %s: tensor<2x8xf32>, %w_hh2: tensor<32x8xf32>)
    -> tensor<?x?x3xf32> {
  %out, %h_n, %c_n = lstm.layer %x, %h0, %c0 lengths(%len) weights(%w_ih, %w_hh)
      biases(%b, %b) projection(%w_hr) {reverse}
      : (tensor<?x?x4xf32>, tensor<?x3xf32>, tensor<?x8xf32>, tensor<?xi64>, tensor<32x4xf32>,
         tensor<32x3xf32>, tensor<32xf32>, tensor<32xf32>, tensor<3x8xf32>)
      -> (tensor<?x?x3xf32>, tensor<?x3xf32>, tensor<?x8xf32>)
  %out2, %h_n2, %c_n2 = lstm.layer %x2, %s, %s weights(%w_ih, %w_hh2)
      : (tensor<5x2x4xf32>, tensor<2x8xf32>, tensor<2x8xf32>, tensor<32x4xf32>, tensor<32x8xf32>)
      -> (tensor<5x2x8xf32>, tensor<2x8xf32>, tensor<2x8xf32>)
  return %out : tensor<?x?x3xf32>
}

// -----

// ONNX's gate variants: peepholes, activations with parameters, clip and
// coupled input and forget gates.
// CHECK-LABEL: func.func @layer_gate_variants
// CHECK: lstm.layer %{{.*}}, %{{.*}}, %{{.*}} weights(%{{.*}}, %{{.*}}) peephole(%{{.*}}) {activations = [#lstm.activation<hard_sigmoid, alpha = 2.000000e-01 : f32, beta = 5.000000e-01 : f32>, #lstm.activation<leaky_relu, alpha = 1.000000e-01 : f32>, #lstm.activation<softsign>], clip = 3.000000e+00 : f32, input_forget}
func.func @layer_gate_variants(%x: tensor<5x2x4xf32>, %s: tensor<2x8xf32>, %w_ih: tensor<32x4xf32>,
    %w_hh: tensor<32x8xf32>, %p: tensor<24xf32>) -> tensor<5x2x8xf32> {
  %out, %h_n, %c_n = lstm.layer %x, %s, %s weights(%w_ih, %w_hh) peephole(%p)
      {activations = [#lstm.activation<hard_sigmoid, alpha = 0.2 : f32, beta = 0.5 : f32>,
                      #lstm.activation<leaky_relu, alpha = 0.1 : f32>,
                      #lstm.activation<softsign>],
       clip = 3.0 : f32, input_forget}
      : (tensor<5x2x4xf32>, tensor<2x8xf32>, tensor<2x8xf32>, tensor<32x4xf32>, tensor<32x8xf32>,
         tensor<24xf32>) -> (tensor<5x2x8xf32>, tensor<2x8xf32>, tensor<2x8xf32>)
  return %out : tensor<5x2x8xf32>
}

// CHECK-LABEL: func.func @recurrence_gate_variants
// CHECK: lstm.recurrence input(%{{.*}} : tensor<5x2x4xf32>) weights(%{{.*}}, %{{.*}} : tensor<1x4x64xf32>, tensor<1x16x64xf32>) peephole(%{{.*}} : tensor<1x64xf32>) init({{.*}}) outs({{.*}}) {activations = [#lstm.activation<sigmoid>, #lstm.activation<elu, alpha = 1.000000e+00 : f32>, #lstm.activation<tanh>], clip = 5.000000e-01 : f32}
func.func @recurrence_gate_variants(%x: tensor<5x2x4xf32>, %w_ih: tensor<1x4x64xf32>,
    %w: tensor<1x16x64xf32>, %p: tensor<1x64xf32>, %s: tensor<2x16xf32>,
    %o: tensor<5x2x16xf32>) -> tensor<5x2x16xf32> {
  %r:3 = lstm.recurrence input(%x : tensor<5x2x4xf32>)
      weights(%w_ih, %w : tensor<1x4x64xf32>, tensor<1x16x64xf32>) peephole(%p : tensor<1x64xf32>)
      init(%s, %s : tensor<2x16xf32>, tensor<2x16xf32>)
      outs(%o, %s, %s : tensor<5x2x16xf32>, tensor<2x16xf32>, tensor<2x16xf32>)
      {activations = [#lstm.activation<sigmoid>, #lstm.activation<elu, alpha = 1.0 : f32>,
                      #lstm.activation<tanh>], clip = 0.5 : f32}
      -> tensor<5x2x16xf32>, tensor<2x16xf32>, tensor<2x16xf32>
  return %r#0 : tensor<5x2x16xf32>
}

// lstm.recurrence with tensor semantics (results) and buffer semantics.
// CHECK-LABEL: func.func @recurrence
// CHECK: lstm.recurrence input(%{{.*}} : tensor<?x?x4xf32>) weights(%{{.*}}, %{{.*}} : tensor<2x4x64xf32>, tensor<2x3x64xf32>) bias(%{{.*}} : tensor<2x64xf32>) projection(%{{.*}} : tensor<1x20x16xf32>) init(%{{.*}}, %{{.*}} : tensor<?x3xf32>, tensor<?x20xf32>) lengths(%{{.*}} : tensor<?xi64>) outs(%{{.*}}, %{{.*}}, %{{.*}} : tensor<?x?x3xf32>, tensor<?x3xf32>, tensor<?x20xf32>) {reverse} -> tensor<?x?x3xf32>, tensor<?x3xf32>, tensor<?x20xf32>
// CHECK: lstm.recurrence input(%{{.*}} : memref<5x2x4xf32>) weights(%{{.*}}, %{{.*}} : memref<1x4x64xf32>, memref<1x16x64xf32>) init(%{{.*}}, %{{.*}} : memref<2x16xf32>, memref<2x16xf32>) outs(%{{.*}}, %{{.*}}, %{{.*}} : memref<5x2x16xf32>, memref<2x16xf32>, memref<2x16xf32>){{$}}
func.func @recurrence(%x: tensor<?x?x4xf32>, %w_ih: tensor<2x4x64xf32>, %w: tensor<2x3x64xf32>,
    %b: tensor<2x64xf32>, %w_hr: tensor<1x20x16xf32>, %h0: tensor<?x3xf32>, %c0: tensor<?x20xf32>,
    %len: tensor<?xi64>, %o: tensor<?x?x3xf32>, %mx: memref<5x2x4xf32>, %mwih: memref<1x4x64xf32>,
    %mw: memref<1x16x64xf32>, %ms: memref<2x16xf32>, %mo: memref<5x2x16xf32>) -> tensor<?x?x3xf32> {
  %r:3 = lstm.recurrence input(%x : tensor<?x?x4xf32>)
      weights(%w_ih, %w : tensor<2x4x64xf32>, tensor<2x3x64xf32>) bias(%b : tensor<2x64xf32>)
      projection(%w_hr : tensor<1x20x16xf32>) init(%h0, %c0 : tensor<?x3xf32>, tensor<?x20xf32>)
      lengths(%len : tensor<?xi64>) outs(%o, %h0, %c0 : tensor<?x?x3xf32>, tensor<?x3xf32>, tensor<?x20xf32>)
      {reverse} -> tensor<?x?x3xf32>, tensor<?x3xf32>, tensor<?x20xf32>
  lstm.recurrence input(%mx : memref<5x2x4xf32>) weights(%mwih, %mw : memref<1x4x64xf32>, memref<1x16x64xf32>)
      init(%ms, %ms : memref<2x16xf32>, memref<2x16xf32>)
      outs(%mo, %ms, %ms : memref<5x2x16xf32>, memref<2x16xf32>, memref<2x16xf32>)
  return %r#0 : tensor<?x?x3xf32>
}

// -----

// lstm.gather: an embedding, and ONNX's Gather on an inner axis.
// CHECK-LABEL: func.func @gather
// CHECK: lstm.gather %{{.*}}[%{{.*}}] axis = 0 : tensor<10x4xf32>, tensor<?x?xi64> -> tensor<?x?x4xf32>
// CHECK: lstm.gather %{{.*}}[%{{.*}}] axis = 1 wrap_negative : tensor<2x?x3xf32>, tensor<i32> -> tensor<2x3xf32>
func.func @gather(%table: tensor<10x4xf32>, %ids: tensor<?x?xi64>, %x: tensor<2x?x3xf32>,
    %i: tensor<i32>) -> (tensor<?x?x4xf32>, tensor<2x3xf32>) {
  %rows = lstm.gather %table[%ids] axis = 0 : tensor<10x4xf32>, tensor<?x?xi64> -> tensor<?x?x4xf32>
  %col = lstm.gather %x[%i] axis = 1 wrap_negative : tensor<2x?x3xf32>, tensor<i32> -> tensor<2x3xf32>
  return %rows, %col : tensor<?x?x4xf32>, tensor<2x3xf32>
}

// -----

// The layers around LSTMs.
// CHECK-LABEL: func.func @layers
// CHECK: lstm.conv %{{.*}}, %{{.*}}, %{{.*}} strides = [2] dilations = [1] padding = [2, 1] groups = 2 : tensor<?x4x?xf32>, tensor<6x2x3xf32>, tensor<6xf32> -> tensor<?x6x?xf32>
// CHECK: lstm.conv %{{.*}}, %{{.*}} strides = [1, 1] dilations = [2, 1] padding = [0, 0, 0, 0] groups = 1 : tensor<1x3x9x5xf32>, tensor<4x3x3x2xf32> -> tensor<1x4x5x4xf32>
// CHECK: lstm.pool max %{{.*}} kernel = [2, 1] strides = [2, 1] dilations = [1, 1] padding = [0, 0, 0, 0] : tensor<?x4x8x?xf32> -> tensor<?x4x4x?xf32>
// CHECK: lstm.pool avg %{{.*}} kernel = [3] strides = [2] dilations = [1] padding = [1, 1] ceil_mode count_include_pad : tensor<2x3x8xf32> -> tensor<2x3x5xf32>
// CHECK: lstm.batch_norm %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} epsilon = 9.99999974E-6 : tensor<?x6x?xf32>, tensor<6xf32>
// CHECK: lstm.layer_norm %{{.*}} scale(%{{.*}} : tensor<6xf32>) normalized_rank = 1 epsilon = 9.99999974E-6 : tensor<?x?x6xf32>
// CHECK: lstm.layer_norm %{{.*}} normalized_rank = 2 epsilon = 1.000000e-03 : tensor<?x?x6xf32>
// CHECK: lstm.activation <hardtanh, alpha = 0.000000e+00 : f32, beta = 2.000000e+01 : f32> %{{.*}} : tensor<?x6x?xf32>
func.func @layers(%x: tensor<?x4x?xf32>, %w: tensor<6x2x3xf32>, %b: tensor<6xf32>,
    %image: tensor<1x3x9x5xf32>, %w2: tensor<4x3x3x2xf32>,
    %maps: tensor<?x4x8x?xf32>, %seq: tensor<2x3x8xf32>, %feat: tensor<?x?x6xf32>)
    -> (tensor<?x6x?xf32>, tensor<1x4x5x4xf32>, tensor<?x4x4x?xf32>, tensor<2x3x5xf32>, tensor<?x?x6xf32>, tensor<?x?x6xf32>) {
  %y = lstm.conv %x, %w, %b strides = [2] dilations = [1] padding = [2, 1] groups = 2
      : tensor<?x4x?xf32>, tensor<6x2x3xf32>, tensor<6xf32> -> tensor<?x6x?xf32>
  %z = lstm.conv %image, %w2 strides = [1, 1] dilations = [2, 1] padding = [0, 0, 0, 0] groups = 1
      : tensor<1x3x9x5xf32>, tensor<4x3x3x2xf32> -> tensor<1x4x5x4xf32>
  %p = lstm.pool max %maps kernel = [2, 1] strides = [2, 1] dilations = [1, 1] padding = [0, 0, 0, 0]
      : tensor<?x4x8x?xf32> -> tensor<?x4x4x?xf32>
  %a = lstm.pool avg %seq kernel = [3] strides = [2] dilations = [1] padding = [1, 1] ceil_mode count_include_pad
      : tensor<2x3x8xf32> -> tensor<2x3x5xf32>
  %n = lstm.batch_norm %y, %b, %b, %b, %b epsilon = 1.0e-05 : tensor<?x6x?xf32>, tensor<6xf32>
  %l = lstm.layer_norm %feat scale(%b : tensor<6xf32>) normalized_rank = 1 epsilon = 1.0e-05 : tensor<?x?x6xf32>
  %l2 = lstm.layer_norm %feat normalized_rank = 2 epsilon = 1.0e-03 : tensor<?x?x6xf32>
  %h = lstm.activation <hardtanh, alpha = 0.0 : f32, beta = 20.0 : f32> %n : tensor<?x6x?xf32>
  return %h, %z, %p, %a, %l, %l2 : tensor<?x6x?xf32>, tensor<1x4x5x4xf32>, tensor<?x4x4x?xf32>, tensor<2x3x5xf32>, tensor<?x?x6xf32>, tensor<?x?x6xf32>
}
