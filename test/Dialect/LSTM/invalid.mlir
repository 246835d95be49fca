// RUN: lstm-opt %s -split-input-file -verify-diagnostics

// input_size must be positive.
func.func @input_size_must_be_positive(%x: tensor<5x3x4xf32>, %w_ih: tensor<32x4xf32>, %w_hh: tensor<32x8xf32>) {
  // expected-error @+1 {{input_size must be greater than zero}}
  %out, %h_n, %c_n = lstm.lstm %x weights(%w_ih, %w_hh : tensor<32x4xf32>, tensor<32x8xf32>) {has_biases = false, hidden_size = 8 : i64, input_size = 0 : i64} : tensor<5x3x4xf32> -> tensor<5x3x8xf32>, tensor<1x3x8xf32>, tensor<1x3x8xf32>
  return
}

// -----

// hidden_size must be positive.
func.func @hidden_size_must_be_positive(%x: tensor<5x3x4xf32>, %w_ih: tensor<32x4xf32>, %w_hh: tensor<32x8xf32>) {
  // expected-error @+1 {{hidden_size must be greater than zero}}
  %out, %h_n, %c_n = lstm.lstm %x weights(%w_ih, %w_hh : tensor<32x4xf32>, tensor<32x8xf32>) {has_biases = false, hidden_size = -8 : i64, input_size = 4 : i64} : tensor<5x3x4xf32> -> tensor<5x3x8xf32>, tensor<1x3x8xf32>, tensor<1x3x8xf32>
  return
}

// -----

// num_layers must be positive.
func.func @num_layers_must_be_positive(%x: tensor<5x3x4xf32>, %w_ih: tensor<32x4xf32>, %w_hh: tensor<32x8xf32>) {
  // expected-error @+1 {{num_layers must be greater than zero}}
  %out, %h_n, %c_n = lstm.lstm %x weights(%w_ih, %w_hh : tensor<32x4xf32>, tensor<32x8xf32>) {has_biases = false, hidden_size = 8 : i64, input_size = 4 : i64, num_layers = 0 : i64} : tensor<5x3x4xf32> -> tensor<5x3x8xf32>, tensor<1x3x8xf32>, tensor<1x3x8xf32>
  return
}

// -----

// Dropout is a probability.
func.func @dropout_is_a_probability(%x: tensor<5x3x4xf32>, %w_ih: tensor<32x4xf32>, %w_hh: tensor<32x8xf32>) {
  // expected-error @+1 {{dropout should be a number in range [0, 1] representing the probability of an element being zeroed}}
  %out, %h_n, %c_n = lstm.lstm %x weights(%w_ih, %w_hh : tensor<32x4xf32>, tensor<32x8xf32>) {has_biases = false, hidden_size = 8 : i64, input_size = 4 : i64, dropout = 1.5 : f64} : tensor<5x3x4xf32> -> tensor<5x3x8xf32>, tensor<1x3x8xf32>, tensor<1x3x8xf32>
  return
}

// -----

// proj_size cannot be negative.
func.func @proj_size_cannot_be_negative(%x: tensor<5x3x4xf32>, %w_ih: tensor<32x4xf32>, %w_hh: tensor<32x8xf32>) {
  // expected-error @+1 {{proj_size should be a positive integer or zero to disable projections}}
  %out, %h_n, %c_n = lstm.lstm %x weights(%w_ih, %w_hh : tensor<32x4xf32>, tensor<32x8xf32>) {has_biases = false, hidden_size = 8 : i64, input_size = 4 : i64, proj_size = -1 : i64} : tensor<5x3x4xf32> -> tensor<5x3x8xf32>, tensor<1x3x8xf32>, tensor<1x3x8xf32>
  return
}

// -----

// proj_size must be smaller than hidden_size.
func.func @proj_size_must_be_smaller_than_hidden_size(%x: tensor<5x3x4xf32>, %w_ih: tensor<32x4xf32>, %w_hh: tensor<32x8xf32>) {
  // expected-error @+1 {{proj_size has to be smaller than hidden_size}}
  %out, %h_n, %c_n = lstm.lstm %x weights(%w_ih, %w_hh : tensor<32x4xf32>, tensor<32x8xf32>) {has_biases = false, hidden_size = 8 : i64, input_size = 4 : i64, proj_size = 8 : i64} : tensor<5x3x4xf32> -> tensor<5x3x8xf32>, tensor<1x3x8xf32>, tensor<1x3x8xf32>
  return
}

// -----

// Input is 2-D or 3-D.
func.func @input_is_2_d_or_3_d(%x: tensor<5x3x1x4xf32>, %w_ih: tensor<32x4xf32>, %w_hh: tensor<32x8xf32>) {
  // expected-error @+1 {{LSTM: Expected input to be 2D or 3D, got 4D instead}}
  %out, %h_n, %c_n = lstm.lstm %x weights(%w_ih, %w_hh : tensor<32x4xf32>, tensor<32x8xf32>) {has_biases = false, hidden_size = 8 : i64, input_size = 4 : i64} : tensor<5x3x1x4xf32> -> tensor<5x3x8xf32>, tensor<1x3x8xf32>, tensor<1x3x8xf32>
  return
}

// -----

// Input features match input_size.
func.func @input_features_match_input_size(%x: tensor<5x3x6xf32>, %w_ih: tensor<32x4xf32>, %w_hh: tensor<32x8xf32>) {
  // expected-error @+1 {{input.size(-1) must be equal to input_size. Expected 4, got 6}}
  %out, %h_n, %c_n = lstm.lstm %x weights(%w_ih, %w_hh : tensor<32x4xf32>, tensor<32x8xf32>) {has_biases = false, hidden_size = 8 : i64, input_size = 4 : i64} : tensor<5x3x6xf32> -> tensor<5x3x8xf32>, tensor<1x3x8xf32>, tensor<1x3x8xf32>
  return
}

// -----

// Input is f32.
func.func @input_is_f32(%x: tensor<5x3x4xf64>, %w_ih: tensor<32x4xf32>, %w_hh: tensor<32x8xf32>) {
  // expected-error @+1 {{operand #0 must be ranked tensor of 32-bit float values}}
  %out, %h_n, %c_n = lstm.lstm %x weights(%w_ih, %w_hh : tensor<32x4xf32>, tensor<32x8xf32>) {has_biases = false, hidden_size = 8 : i64, input_size = 4 : i64} : tensor<5x3x4xf64> -> tensor<5x3x8xf32>, tensor<1x3x8xf32>, tensor<1x3x8xf32>
  return
}

// -----

// Weight count follows _flat_weights.
func.func @weight_count_follows_flat_weights(%x: tensor<5x3x4xf32>, %w_ih: tensor<32x4xf32>, %w_hh: tensor<32x8xf32>) {
  // expected-error @+1 {{expected 4 weights (4 per layer and direction in _flat_weights order), got 2}}
  %out, %h_n, %c_n = lstm.lstm %x weights(%w_ih, %w_hh : tensor<32x4xf32>, tensor<32x8xf32>) {hidden_size = 8 : i64, input_size = 4 : i64} : tensor<5x3x4xf32> -> tensor<5x3x8xf32>, tensor<1x3x8xf32>, tensor<1x3x8xf32>
  return
}

// -----

// weight_ih is (4H, input_size).
func.func @weight_ih_is_4h_input_size(%x: tensor<5x3x4xf32>, %w_ih: tensor<32x5xf32>, %w_hh: tensor<32x8xf32>) {
  // expected-error @+1 {{weight_ih_l0 must have size (32, 4), got [32, 5]}}
  %out, %h_n, %c_n = lstm.lstm %x weights(%w_ih, %w_hh : tensor<32x5xf32>, tensor<32x8xf32>) {has_biases = false, hidden_size = 8 : i64, input_size = 4 : i64} : tensor<5x3x4xf32> -> tensor<5x3x8xf32>, tensor<1x3x8xf32>, tensor<1x3x8xf32>
  return
}

// -----

// weight_hh is (4H, H_out).
func.func @weight_hh_is_4h_h_out(%x: tensor<5x3x4xf32>, %w_ih: tensor<32x4xf32>, %w_hh: tensor<32x8xf32>, %w_hr: tensor<3x8xf32>) {
  // expected-error @+1 {{weight_hh_l0 must have size (32, 3), got [32, 8]}}
  %out, %h_n, %c_n = lstm.lstm %x weights(%w_ih, %w_hh, %w_hr : tensor<32x4xf32>, tensor<32x8xf32>, tensor<3x8xf32>) {has_biases = false, hidden_size = 8 : i64, input_size = 4 : i64, proj_size = 3 : i64} : tensor<5x3x4xf32> -> tensor<5x3x3xf32>, tensor<1x3x3xf32>, tensor<1x3x8xf32>
  return
}

// -----

// Biases are (4H).
func.func @biases_are_4h(%x: tensor<5x3x4xf32>, %w_ih: tensor<32x4xf32>, %w_hh: tensor<32x8xf32>, %b: tensor<8xf32>) {
  // expected-error @+1 {{bias_ih_l0 must have size (32), got [8]}}
  %out, %h_n, %c_n = lstm.lstm %x weights(%w_ih, %w_hh, %b, %b : tensor<32x4xf32>, tensor<32x8xf32>, tensor<8xf32>, tensor<8xf32>) {hidden_size = 8 : i64, input_size = 4 : i64} : tensor<5x3x4xf32> -> tensor<5x3x8xf32>, tensor<1x3x8xf32>, tensor<1x3x8xf32>
  return
}

// -----

// weight_hr is (proj_size, H).
func.func @weight_hr_is_proj_size_h(%x: tensor<5x3x4xf32>, %w_ih: tensor<32x4xf32>, %w_hh: tensor<32x3xf32>, %w_hr: tensor<8x3xf32>) {
  // expected-error @+1 {{weight_hr_l0 must have size (3, 8), got [8, 3]}}
  %out, %h_n, %c_n = lstm.lstm %x weights(%w_ih, %w_hh, %w_hr : tensor<32x4xf32>, tensor<32x3xf32>, tensor<8x3xf32>) {has_biases = false, hidden_size = 8 : i64, input_size = 4 : i64, proj_size = 3 : i64} : tensor<5x3x4xf32> -> tensor<5x3x3xf32>, tensor<1x3x3xf32>, tensor<1x3x8xf32>
  return
}

// -----

// Layer 1 reads D * H_out features (reverse weights named _reverse).
func.func @layer_1_reads_d_h_out_features_reverse_weights_n(%x: tensor<5x3x4xf32>, %w_ih: tensor<32x4xf32>, %w_hh: tensor<32x8xf32>) {
  // expected-error @+1 {{weight_ih_l1 must have size (32, 16), got [32, 4]}}
  %out, %h_n, %c_n = lstm.lstm %x weights(%w_ih, %w_hh, %w_ih, %w_hh, %w_ih, %w_hh, %w_ih, %w_hh : tensor<32x4xf32>, tensor<32x8xf32>, tensor<32x4xf32>, tensor<32x8xf32>, tensor<32x4xf32>, tensor<32x8xf32>, tensor<32x4xf32>, tensor<32x8xf32>) {has_biases = false, hidden_size = 8 : i64, input_size = 4 : i64, bidirectional = true, num_layers = 2 : i64} : tensor<5x3x4xf32> -> tensor<5x3x16xf32>, tensor<4x3x8xf32>, tensor<4x3x8xf32>
  return
}

// -----

// Batched input takes 3-D states.
func.func @batched_input_takes_3_d_states(%x: tensor<5x3x4xf32>, %w_ih: tensor<32x4xf32>, %w_hh: tensor<32x8xf32>, %h0: tensor<1x8xf32>) {
  // expected-error @+1 {{For batched 3-D input, hx and cx should also be 3-D but got 2-D hidden[0]}}
  %out, %h_n, %c_n = lstm.lstm %x h0(%h0 : tensor<1x8xf32>) weights(%w_ih, %w_hh : tensor<32x4xf32>, tensor<32x8xf32>) {has_biases = false, hidden_size = 8 : i64, input_size = 4 : i64} : tensor<5x3x4xf32> -> tensor<5x3x8xf32>, tensor<1x3x8xf32>, tensor<1x3x8xf32>
  return
}

// -----

// h0 is (D * num_layers, N, H_out).
func.func @h0_is_d_num_layers_n_h_out(%x: tensor<5x3x4xf32>, %h0: tensor<2x4x8xf32>, %w_ih: tensor<32x4xf32>, %w_hh: tensor<32x8xf32>) {
  // expected-error @+1 {{Expected hidden[0] size (2, 3, 8), got [2, 4, 8]}}
  %out, %h_n, %c_n = lstm.lstm %x h0(%h0 : tensor<2x4x8xf32>) weights(%w_ih, %w_hh, %w_ih, %w_hh : tensor<32x4xf32>, tensor<32x8xf32>, tensor<32x4xf32>, tensor<32x8xf32>) {has_biases = false, hidden_size = 8 : i64, input_size = 4 : i64, bidirectional = true} : tensor<5x3x4xf32> -> tensor<5x3x16xf32>, tensor<2x3x8xf32>, tensor<2x3x8xf32>
  return
}

// -----

// c0 is (D * num_layers, N, hidden_size), also with projections.
func.func @c0_is_d_num_layers_n_hidden_size_also_with_proje(%x: tensor<5x3x4xf32>, %w_ih: tensor<32x4xf32>, %w_hh: tensor<32x3xf32>, %w_hr: tensor<3x8xf32>, %c0: tensor<1x3x3xf32>) {
  // expected-error @+1 {{Expected hidden[1] size (1, 3, 8), got [1, 3, 3]}}
  %out, %h_n, %c_n = lstm.lstm %x c0(%c0 : tensor<1x3x3xf32>) weights(%w_ih, %w_hh, %w_hr : tensor<32x4xf32>, tensor<32x3xf32>, tensor<3x8xf32>) {has_biases = false, hidden_size = 8 : i64, input_size = 4 : i64, proj_size = 3 : i64} : tensor<5x3x4xf32> -> tensor<5x3x3xf32>, tensor<1x3x3xf32>, tensor<1x3x8xf32>
  return
}

// -----

// Unbatched input takes 2-D states.
func.func @unbatched_input_takes_2_d_states(%x: tensor<5x4xf32>, %w_ih: tensor<32x4xf32>, %w_hh: tensor<32x8xf32>, %c0: tensor<1x1x8xf32>) {
  // expected-error @+1 {{For unbatched 2-D input, hx and cx should also be 2-D but got 3-D hidden[1]}}
  %out, %h_n, %c_n = lstm.lstm %x c0(%c0 : tensor<1x1x8xf32>) weights(%w_ih, %w_hh : tensor<32x4xf32>, tensor<32x8xf32>) {has_biases = false, hidden_size = 8 : i64, input_size = 4 : i64} : tensor<5x4xf32> -> tensor<5x8xf32>, tensor<1x8xf32>, tensor<1x8xf32>
  return
}

// -----

// Unbatched states are (D * num_layers, H).
func.func @unbatched_states_are_d_num_layers_h(%x: tensor<5x4xf32>, %w_ih: tensor<32x4xf32>, %w_hh: tensor<32x8xf32>, %h0: tensor<1x7xf32>) {
  // expected-error @+1 {{Expected hidden[0] size (1, 8), got [1, 7]}}
  %out, %h_n, %c_n = lstm.lstm %x h0(%h0 : tensor<1x7xf32>) weights(%w_ih, %w_hh : tensor<32x4xf32>, tensor<32x8xf32>) {has_biases = false, hidden_size = 8 : i64, input_size = 4 : i64} : tensor<5x4xf32> -> tensor<5x8xf32>, tensor<1x8xf32>, tensor<1x8xf32>
  return
}

// -----

// Lengths need a batch.
func.func @lengths_need_a_batch(%x: tensor<5x4xf32>, %w_ih: tensor<32x4xf32>, %w_hh: tensor<32x8xf32>, %len: tensor<1xi64>) {
  // expected-error @+1 {{lengths require batched 3-D input}}
  %out, %h_n, %c_n = lstm.lstm %x lengths(%len : tensor<1xi64>) weights(%w_ih, %w_hh : tensor<32x4xf32>, tensor<32x8xf32>) {has_biases = false, hidden_size = 8 : i64, input_size = 4 : i64} : tensor<5x4xf32> -> tensor<5x8xf32>, tensor<1x8xf32>, tensor<1x8xf32>
  return
}

// -----

// Lengths are int64.
func.func @lengths_are_int64(%x: tensor<5x3x4xf32>, %w_ih: tensor<32x4xf32>, %w_hh: tensor<32x8xf32>, %len: tensor<3xi32>) {
  // expected-error @+1 {{lengths must be a 1-D tensor of int64, got 'tensor<3xi32>'}}
  %out, %h_n, %c_n = lstm.lstm %x lengths(%len : tensor<3xi32>) weights(%w_ih, %w_hh : tensor<32x4xf32>, tensor<32x8xf32>) {has_biases = false, hidden_size = 8 : i64, input_size = 4 : i64} : tensor<5x3x4xf32> -> tensor<5x3x8xf32>, tensor<1x3x8xf32>, tensor<1x3x8xf32>
  return
}

// -----

// Lengths are 1-D.
func.func @lengths_are_1_d(%x: tensor<5x3x4xf32>, %w_ih: tensor<32x4xf32>, %w_hh: tensor<32x8xf32>, %len: tensor<3x1xi64>) {
  // expected-error @+1 {{lengths must be a 1-D tensor of int64, got 'tensor<3x1xi64>'}}
  %out, %h_n, %c_n = lstm.lstm %x lengths(%len : tensor<3x1xi64>) weights(%w_ih, %w_hh : tensor<32x4xf32>, tensor<32x8xf32>) {has_biases = false, hidden_size = 8 : i64, input_size = 4 : i64} : tensor<5x3x4xf32> -> tensor<5x3x8xf32>, tensor<1x3x8xf32>, tensor<1x3x8xf32>
  return
}

// -----

// One length per batch element.
func.func @one_length_per_batch_element(%x: tensor<5x3x4xf32>, %w_ih: tensor<32x4xf32>, %w_hh: tensor<32x8xf32>, %len: tensor<4xi64>) {
  // expected-error @+1 {{lengths must have one entry per batch element: expected size (3), got [4]}}
  %out, %h_n, %c_n = lstm.lstm %x lengths(%len : tensor<4xi64>) weights(%w_ih, %w_hh : tensor<32x4xf32>, tensor<32x8xf32>) {has_biases = false, hidden_size = 8 : i64, input_size = 4 : i64} : tensor<5x3x4xf32> -> tensor<5x3x8xf32>, tensor<1x3x8xf32>, tensor<1x3x8xf32>
  return
}

// -----

// Output is (L, N, D * H_out).
func.func @output_is_l_n_d_h_out(%x: tensor<5x3x4xf32>, %w_ih: tensor<32x4xf32>, %w_hh: tensor<32x8xf32>) {
  // expected-error @+1 {{Expected output size (5, 3, 8), got [5, 3, 16]}}
  %out, %h_n, %c_n = lstm.lstm %x weights(%w_ih, %w_hh : tensor<32x4xf32>, tensor<32x8xf32>) {has_biases = false, hidden_size = 8 : i64, input_size = 4 : i64} : tensor<5x3x4xf32> -> tensor<5x3x16xf32>, tensor<1x3x8xf32>, tensor<1x3x8xf32>
  return
}

// -----

// batch_first output is (N, L, D * H_out).
func.func @batch_first_output_is_n_l_d_h_out(%x: tensor<5x3x4xf32>, %w_ih: tensor<32x4xf32>, %w_hh: tensor<32x8xf32>) {
  // expected-error @+1 {{Expected output size (5, 3, 8), got [3, 5, 8]}}
  %out, %h_n, %c_n = lstm.lstm %x weights(%w_ih, %w_hh : tensor<32x4xf32>, tensor<32x8xf32>) {has_biases = false, hidden_size = 8 : i64, input_size = 4 : i64, batch_first = true} : tensor<5x3x4xf32> -> tensor<3x5x8xf32>, tensor<1x5x8xf32>, tensor<1x5x8xf32>
  return
}

// -----

// h_n is (D * num_layers, N, H_out).
func.func @h_n_is_d_num_layers_n_h_out(%x: tensor<5x3x4xf32>, %w_ih: tensor<32x4xf32>, %w_hh: tensor<32x8xf32>) {
  // expected-error @+1 {{Expected h_n size (1, 3, 8), got [2, 3, 8]}}
  %out, %h_n, %c_n = lstm.lstm %x weights(%w_ih, %w_hh : tensor<32x4xf32>, tensor<32x8xf32>) {has_biases = false, hidden_size = 8 : i64, input_size = 4 : i64} : tensor<5x3x4xf32> -> tensor<5x3x8xf32>, tensor<2x3x8xf32>, tensor<1x3x8xf32>
  return
}

// -----

// Dynamic dims must still agree where static.
func.func @dynamic_dims_must_still_agree_where_static(%x: tensor<?x3x4xf32>, %w_ih: tensor<32x4xf32>, %w_hh: tensor<32x8xf32>) {
  // expected-error @+1 {{Expected c_n size (1, 3, 8), got [1, ?, 4]}}
  %out, %h_n, %c_n = lstm.lstm %x weights(%w_ih, %w_hh : tensor<32x4xf32>, tensor<32x8xf32>) {has_biases = false, hidden_size = 8 : i64, input_size = 4 : i64} : tensor<?x3x4xf32> -> tensor<?x3x8xf32>, tensor<1x3x8xf32>, tensor<1x?x4xf32>
  return
}

// -----

func.func @layer_input_is_3d(%x: tensor<5x4xf32>, %s: tensor<2x8xf32>, %w_ih: tensor<32x4xf32>, %w_hh: tensor<32x8xf32>) {
  // expected-error @+1 {{input must be (T, N, I), got 'tensor<5x4xf32>'}}
  %out, %h_n, %c_n = lstm.layer %x, %s, %s weights(%w_ih, %w_hh) : (tensor<5x4xf32>, tensor<2x8xf32>, tensor<2x8xf32>, tensor<32x4xf32>, tensor<32x8xf32>) -> (tensor<5x2x8xf32>, tensor<2x8xf32>, tensor<2x8xf32>)
  return
}

// -----

func.func @layer_weight_hh_rows_are_4h(%x: tensor<5x2x4xf32>, %s: tensor<2x8xf32>, %w_ih: tensor<32x4xf32>, %w_hh: tensor<30x8xf32>) {
  // expected-error @+1 {{weight_hh must be (4H, H_out) with a static 4H, got 'tensor<30x8xf32>'}}
  %out, %h_n, %c_n = lstm.layer %x, %s, %s weights(%w_ih, %w_hh) : (tensor<5x2x4xf32>, tensor<2x8xf32>, tensor<2x8xf32>, tensor<32x4xf32>, tensor<30x8xf32>) -> (tensor<5x2x8xf32>, tensor<2x8xf32>, tensor<2x8xf32>)
  return
}

// -----

func.func @layer_biases_come_together(%x: tensor<5x2x4xf32>, %s: tensor<2x8xf32>, %w_ih: tensor<32x4xf32>, %w_hh: tensor<32x8xf32>, %b: tensor<32xf32>) {
  // expected-error @+1 {{bias_ih and bias_hh come together}}
  %out:3 = "lstm.layer"(%x, %s, %s, %w_ih, %w_hh, %b) <{operandSegmentSizes = array<i32: 1, 1, 1, 0, 1, 1, 1, 0, 0, 0>}> : (tensor<5x2x4xf32>, tensor<2x8xf32>, tensor<2x8xf32>, tensor<32x4xf32>, tensor<32x8xf32>, tensor<32xf32>) -> (tensor<5x2x8xf32>, tensor<2x8xf32>, tensor<2x8xf32>)
  return
}

// -----

func.func @layer_weight_ih_reads_input_features(%x: tensor<5x2x4xf32>, %s: tensor<2x8xf32>, %w_ih: tensor<32x5xf32>, %w_hh: tensor<32x8xf32>) {
  // expected-error @+1 {{weight_ih must have size (32, 4), got [32, 5]}}
  %out, %h_n, %c_n = lstm.layer %x, %s, %s weights(%w_ih, %w_hh) : (tensor<5x2x4xf32>, tensor<2x8xf32>, tensor<2x8xf32>, tensor<32x5xf32>, tensor<32x8xf32>) -> (tensor<5x2x8xf32>, tensor<2x8xf32>, tensor<2x8xf32>)
  return
}

// -----

func.func @layer_states_are_per_batch_row(%x: tensor<5x2x4xf32>, %s: tensor<3x8xf32>, %w_ih: tensor<32x4xf32>, %w_hh: tensor<32x8xf32>) {
  // expected-error @+1 {{h0 must have size (2, 8), got [3, 8]}}
  %out, %h_n, %c_n = lstm.layer %x, %s, %s weights(%w_ih, %w_hh) : (tensor<5x2x4xf32>, tensor<3x8xf32>, tensor<3x8xf32>, tensor<32x4xf32>, tensor<32x8xf32>) -> (tensor<5x2x8xf32>, tensor<2x8xf32>, tensor<2x8xf32>)
  return
}

// -----

func.func @layer_projection_sets_h_out(%x: tensor<5x2x4xf32>, %h: tensor<2x3xf32>, %c: tensor<2x8xf32>, %w_ih: tensor<32x4xf32>, %w_hh: tensor<32x3xf32>, %w_hr: tensor<3x8xf32>) {
  // expected-error @+1 {{output must have size (5, 2, 3), got [5, 2, 8]}}
  %out, %h_n, %c_n = lstm.layer %x, %h, %c weights(%w_ih, %w_hh) projection(%w_hr) : (tensor<5x2x4xf32>, tensor<2x3xf32>, tensor<2x8xf32>, tensor<32x4xf32>, tensor<32x3xf32>, tensor<3x8xf32>) -> (tensor<5x2x8xf32>, tensor<2x3xf32>, tensor<2x8xf32>)
  return
}

// -----

func.func @recurrence_has_three_outs(%x: tensor<5x2x4xf32>, %wih: tensor<1x4x64xf32>, %w: tensor<1x16x64xf32>, %s: tensor<2x16xf32>, %o: tensor<5x2x16xf32>) {
  // expected-error @+1 {{expects 3 outs (output, h_n, c_n), got 2}}
  %r:2 = lstm.recurrence input(%x : tensor<5x2x4xf32>) weights(%wih, %w : tensor<1x4x64xf32>, tensor<1x16x64xf32>) init(%s, %s : tensor<2x16xf32>, tensor<2x16xf32>) outs(%o, %s : tensor<5x2x16xf32>, tensor<2x16xf32>) -> tensor<5x2x16xf32>, tensor<2x16xf32>
  return
}

// -----

func.func @recurrence_weights_are_panels(%x: tensor<5x2x4xf32>, %wih: tensor<1x4x64xf32>, %w: tensor<64x16xf32>, %s: tensor<2x16xf32>, %o: tensor<5x2x16xf32>) {
  // expected-error @+1 {{weight_hh must be static panels (nb, H_out, 4B), got 'tensor<64x16xf32>'}}
  %r:3 = lstm.recurrence input(%x : tensor<5x2x4xf32>) weights(%wih, %w : tensor<1x4x64xf32>, tensor<64x16xf32>) init(%s, %s : tensor<2x16xf32>, tensor<2x16xf32>) outs(%o, %s, %s : tensor<5x2x16xf32>, tensor<2x16xf32>, tensor<2x16xf32>) -> tensor<5x2x16xf32>, tensor<2x16xf32>, tensor<2x16xf32>
  return
}

// -----

func.func @recurrence_blocks_cover_hidden_units(%x: tensor<5x2x4xf32>, %wih: tensor<2x4x64xf32>, %w: tensor<2x16x64xf32>, %s: tensor<2x16xf32>, %o: tensor<5x2x16xf32>) {
  // expected-error @+1 {{16 hidden units do not fill 2 blocks of 16}}
  %r:3 = lstm.recurrence input(%x : tensor<5x2x4xf32>) weights(%wih, %w : tensor<2x4x64xf32>, tensor<2x16x64xf32>) init(%s, %s : tensor<2x16xf32>, tensor<2x16xf32>) outs(%o, %s, %s : tensor<5x2x16xf32>, tensor<2x16xf32>, tensor<2x16xf32>) -> tensor<5x2x16xf32>, tensor<2x16xf32>, tensor<2x16xf32>
  return
}

// -----

func.func @recurrence_without_projection_reads_h(%x: tensor<5x2x4xf32>, %wih: tensor<1x4x64xf32>, %w: tensor<1x8x64xf32>, %h: tensor<2x8xf32>, %c: tensor<2x16xf32>, %o: tensor<5x2x8xf32>) {
  // expected-error @+1 {{without a projection, weight_hh must read 16 features, got 8}}
  %r:3 = lstm.recurrence input(%x : tensor<5x2x4xf32>) weights(%wih, %w : tensor<1x4x64xf32>, tensor<1x8x64xf32>) init(%h, %c : tensor<2x8xf32>, tensor<2x16xf32>) outs(%o, %h, %c : tensor<5x2x8xf32>, tensor<2x8xf32>, tensor<2x16xf32>) -> tensor<5x2x8xf32>, tensor<2x8xf32>, tensor<2x16xf32>
  return
}

// -----

func.func @recurrence_projection_panels(%x: tensor<5x2x4xf32>, %wih: tensor<1x4x64xf32>, %w: tensor<1x8x64xf32>, %w_hr: tensor<1x16x8xf32>, %h: tensor<2x8xf32>, %c: tensor<2x16xf32>, %o: tensor<5x2x8xf32>) {
  // expected-error @+1 {{weight_hr must be panels (np, 16, 16) covering 8 outputs, got 'tensor<1x16x8xf32>'}}
  %r:3 = lstm.recurrence input(%x : tensor<5x2x4xf32>) weights(%wih, %w : tensor<1x4x64xf32>, tensor<1x8x64xf32>) projection(%w_hr : tensor<1x16x8xf32>) init(%h, %c : tensor<2x8xf32>, tensor<2x16xf32>) outs(%o, %h, %c : tensor<5x2x8xf32>, tensor<2x8xf32>, tensor<2x16xf32>) -> tensor<5x2x8xf32>, tensor<2x8xf32>, tensor<2x16xf32>
  return
}

// -----

func.func @recurrence_input_weights_read_input_features(%x: tensor<5x2x4xf32>, %wih: tensor<1x5x64xf32>, %w: tensor<1x16x64xf32>, %s: tensor<2x16xf32>, %o: tensor<5x2x16xf32>) {
  // expected-error @+1 {{weight_ih must have size (1, 4, 64), got [1, 5, 64]}}
  %r:3 = lstm.recurrence input(%x : tensor<5x2x4xf32>) weights(%wih, %w : tensor<1x5x64xf32>, tensor<1x16x64xf32>) init(%s, %s : tensor<2x16xf32>, tensor<2x16xf32>) outs(%o, %s, %s : tensor<5x2x16xf32>, tensor<2x16xf32>, tensor<2x16xf32>) -> tensor<5x2x16xf32>, tensor<2x16xf32>, tensor<2x16xf32>
  return
}

// -----

func.func @recurrence_bias_is_packed(%x: tensor<5x2x4xf32>, %wih: tensor<1x4x64xf32>, %w: tensor<1x16x64xf32>, %b: tensor<64xf32>, %s: tensor<2x16xf32>, %o: tensor<5x2x16xf32>) {
  // expected-error @+1 {{bias must have size (1, 64), got [64]}}
  %r:3 = lstm.recurrence input(%x : tensor<5x2x4xf32>) weights(%wih, %w : tensor<1x4x64xf32>, tensor<1x16x64xf32>) bias(%b : tensor<64xf32>) init(%s, %s : tensor<2x16xf32>, tensor<2x16xf32>) outs(%o, %s, %s : tensor<5x2x16xf32>, tensor<2x16xf32>, tensor<2x16xf32>) -> tensor<5x2x16xf32>, tensor<2x16xf32>, tensor<2x16xf32>
  return
}

// -----

func.func @recurrence_states_per_batch_row(%x: tensor<5x3x4xf32>, %wih: tensor<1x4x64xf32>, %w: tensor<1x16x64xf32>, %s: tensor<2x16xf32>, %o: tensor<5x2x16xf32>) {
  // expected-error @+1 {{h0 must have size (3, 16), got [2, 16]}}
  %r:3 = lstm.recurrence input(%x : tensor<5x3x4xf32>) weights(%wih, %w : tensor<1x4x64xf32>, tensor<1x16x64xf32>) init(%s, %s : tensor<2x16xf32>, tensor<2x16xf32>) outs(%o, %s, %s : tensor<5x2x16xf32>, tensor<2x16xf32>, tensor<2x16xf32>) -> tensor<5x2x16xf32>, tensor<2x16xf32>, tensor<2x16xf32>
  return
}

// -----

func.func @recurrence_lengths_are_i64(%x: tensor<5x2x4xf32>, %wih: tensor<1x4x64xf32>, %w: tensor<1x16x64xf32>, %s: tensor<2x16xf32>, %len: tensor<2xi32>, %o: tensor<5x2x16xf32>) {
  // expected-error @+1 {{expects element type 'i64' for 'tensor<2xi32>'}}
  %r:3 = lstm.recurrence input(%x : tensor<5x2x4xf32>) weights(%wih, %w : tensor<1x4x64xf32>, tensor<1x16x64xf32>) init(%s, %s : tensor<2x16xf32>, tensor<2x16xf32>) lengths(%len : tensor<2xi32>) outs(%o, %s, %s : tensor<5x2x16xf32>, tensor<2x16xf32>, tensor<2x16xf32>) -> tensor<5x2x16xf32>, tensor<2x16xf32>, tensor<2x16xf32>
  return
}

// -----

func.func @recurrence_tensors_or_buffers(%x: tensor<5x2x4xf32>, %wih: tensor<1x4x64xf32>, %w: tensor<1x16x64xf32>, %s: tensor<2x16xf32>, %o: memref<5x2x16xf32>) {
  // expected-error @+1 {{expects all operands to be tensors or all memrefs}}
  lstm.recurrence input(%x : tensor<5x2x4xf32>) weights(%wih, %w : tensor<1x4x64xf32>, tensor<1x16x64xf32>) init(%s, %s : tensor<2x16xf32>, tensor<2x16xf32>) outs(%o, %s, %s : memref<5x2x16xf32>, tensor<2x16xf32>, tensor<2x16xf32>)
  return
}

// -----

func.func @layer_three_activations(%x: tensor<5x2x4xf32>, %s: tensor<2x8xf32>, %w_ih: tensor<32x4xf32>, %w_hh: tensor<32x8xf32>) {
  // expected-error @+1 {{expects 3 activations (f, g, h), got 2}}
  %out, %h_n, %c_n = lstm.layer %x, %s, %s weights(%w_ih, %w_hh) {activations = [#lstm.activation<sigmoid>, #lstm.activation<tanh>]} : (tensor<5x2x4xf32>, tensor<2x8xf32>, tensor<2x8xf32>, tensor<32x4xf32>, tensor<32x8xf32>) -> (tensor<5x2x8xf32>, tensor<2x8xf32>, tensor<2x8xf32>)
  return
}

// -----

func.func @layer_clip_is_positive(%x: tensor<5x2x4xf32>, %s: tensor<2x8xf32>, %w_ih: tensor<32x4xf32>, %w_hh: tensor<32x8xf32>) {
  // expected-error @+1 {{clip must be positive, got 0}}
  %out, %h_n, %c_n = lstm.layer %x, %s, %s weights(%w_ih, %w_hh) {clip = 0.0 : f32} : (tensor<5x2x4xf32>, tensor<2x8xf32>, tensor<2x8xf32>, tensor<32x4xf32>, tensor<32x8xf32>) -> (tensor<5x2x8xf32>, tensor<2x8xf32>, tensor<2x8xf32>)
  return
}

// -----

func.func @layer_peephole_is_3h(%x: tensor<5x2x4xf32>, %s: tensor<2x8xf32>, %w_ih: tensor<32x4xf32>, %w_hh: tensor<32x8xf32>, %p: tensor<32xf32>) {
  // expected-error @+1 {{peephole must have size (24), got [32]}}
  %out, %h_n, %c_n = lstm.layer %x, %s, %s weights(%w_ih, %w_hh) peephole(%p) : (tensor<5x2x4xf32>, tensor<2x8xf32>, tensor<2x8xf32>, tensor<32x4xf32>, tensor<32x8xf32>, tensor<32xf32>) -> (tensor<5x2x8xf32>, tensor<2x8xf32>, tensor<2x8xf32>)
  return
}

// -----

func.func @activation_parameter_count(%x: tensor<5x2x4xf32>, %s: tensor<2x8xf32>, %w_ih: tensor<32x4xf32>, %w_hh: tensor<32x8xf32>) {
  // expected-error @+1 {{activation affine takes 2 parameters, got 1}}
  %out, %h_n, %c_n = lstm.layer %x, %s, %s weights(%w_ih, %w_hh) {activations = [#lstm.activation<sigmoid>, #lstm.activation<affine, alpha = 1.0 : f32>, #lstm.activation<tanh>]} : (tensor<5x2x4xf32>, tensor<2x8xf32>, tensor<2x8xf32>, tensor<32x4xf32>, tensor<32x8xf32>) -> (tensor<5x2x8xf32>, tensor<2x8xf32>, tensor<2x8xf32>)
  return
}

// -----

func.func @activation_kind_is_known(%x: tensor<5x2x4xf32>, %s: tensor<2x8xf32>, %w_ih: tensor<32x4xf32>, %w_hh: tensor<32x8xf32>) {
  // expected-error @+2 {{failed to parse LSTM_ActivationAttr parameter 'kind'}}
  // expected-error @+1 {{expected ::mlir::lstm::ActivationKind to be one of: sigmoid, tanh, relu, affine, leaky_relu, thresholded_relu, scaled_tanh, hard_sigmoid, elu, softsign, softplus}}
  %out, %h_n, %c_n = lstm.layer %x, %s, %s weights(%w_ih, %w_hh) {activations = [#lstm.activation<sigmoid>, #lstm.activation<gelu>, #lstm.activation<tanh>]} : (tensor<5x2x4xf32>, tensor<2x8xf32>, tensor<2x8xf32>, tensor<32x4xf32>, tensor<32x8xf32>) -> (tensor<5x2x8xf32>, tensor<2x8xf32>, tensor<2x8xf32>)
  return
}

// -----

func.func @recurrence_peephole_is_packed(%x: tensor<5x2x4xf32>, %w_ih: tensor<1x4x64xf32>, %w: tensor<1x16x64xf32>, %p: tensor<1x48xf32>, %s: tensor<2x16xf32>, %o: tensor<5x2x16xf32>) {
  // expected-error @+1 {{peephole must have size (1, 64), got [1, 48]}}
  %r:3 = lstm.recurrence input(%x : tensor<5x2x4xf32>) weights(%w_ih, %w : tensor<1x4x64xf32>, tensor<1x16x64xf32>) peephole(%p : tensor<1x48xf32>) init(%s, %s : tensor<2x16xf32>, tensor<2x16xf32>) outs(%o, %s, %s : tensor<5x2x16xf32>, tensor<2x16xf32>, tensor<2x16xf32>) -> tensor<5x2x16xf32>, tensor<2x16xf32>, tensor<2x16xf32>
  return
}

// -----

func.func @gather_axis_out_of_range(%t: tensor<10x4xf32>, %i: tensor<3xi64>) {
  // expected-error @+1 {{axis 2 is out of range for a source of rank 2}}
  %r = lstm.gather %t[%i] axis = 2 : tensor<10x4xf32>, tensor<3xi64> -> tensor<10x4x3xf32>
  return
}

// -----

func.func @gather_wrong_result_shape(%t: tensor<10x4xf32>, %i: tensor<3xi64>) {
  // expected-error @+1 {{result must have the source's shape with the indices' in place of dimension 0, i.e. (3, 4), got [4, 3]}}
  %r = lstm.gather %t[%i] axis = 0 : tensor<10x4xf32>, tensor<3xi64> -> tensor<4x3xf32>
  return
}

// -----

func.func @gather_element_type(%t: tensor<10x4xf32>, %i: tensor<3xi64>) {
  // expected-error @+1 {{result element type must be the source's}}
  %r = lstm.gather %t[%i] axis = 0 : tensor<10x4xf32>, tensor<3xi64> -> tensor<3x4xi64>
  return
}

// -----

func.func @gather_float_indices(%t: tensor<10x4xf32>, %i: tensor<3xf32>) {
  // expected-error @+1 {{operand #1 must be ranked tensor of 32-bit signless integer or 64-bit signless integer values}}
  %r = lstm.gather %t[%i] axis = 0 : tensor<10x4xf32>, tensor<3xf32> -> tensor<3x4xf32>
  return
}

// -----

func.func @conv_channels(%x: tensor<?x5x?xf32>, %w: tensor<6x2x3xf32>) {
  // expected-error @+1 {{input has 5 channels; weight 'tensor<6x2x3xf32>' with groups = 2 expects 4}}
  %y = lstm.conv %x, %w strides = [1] dilations = [1] padding = [0, 0] groups = 2 : tensor<?x5x?xf32>, tensor<6x2x3xf32> -> tensor<?x6x?xf32>
  return
}

// -----

func.func @conv_groups(%x: tensor<?x4x?xf32>, %w: tensor<6x1x3xf32>) {
  // expected-error @+1 {{groups (4) must be positive and divide the 6 output channels}}
  %y = lstm.conv %x, %w strides = [1] dilations = [1] padding = [0, 0] groups = 4 : tensor<?x4x?xf32>, tensor<6x1x3xf32> -> tensor<?x6x?xf32>
  return
}

// -----

func.func @conv_result_shape(%x: tensor<2x4x10xf32>, %w: tensor<6x4x3xf32>) {
  // expected-error @+1 {{result must have shape (2, 6, 4) (? for run-time sizes), got 'tensor<2x6x8xf32>'}}
  %y = lstm.conv %x, %w strides = [2] dilations = [1] padding = [0, 0] groups = 1 : tensor<2x4x10xf32>, tensor<6x4x3xf32> -> tensor<2x6x8xf32>
  return
}

// -----

func.func @conv_too_small(%x: tensor<2x4x2xf32>, %w: tensor<6x4x3xf32>) {
  // expected-error @+1 {{input size 2 along spatial dimension 0 (with padding 0) is smaller than the window's extent 5}}
  %y = lstm.conv %x, %w strides = [1] dilations = [2] padding = [0, 0] groups = 1 : tensor<2x4x2xf32>, tensor<6x4x3xf32> -> tensor<2x6x1xf32>
  return
}

// -----

func.func @conv_attributes(%x: tensor<2x4x9xf32>, %w: tensor<6x4x3xf32>) {
  // expected-error @+1 {{expects 1 strides and dilations and 2 pads for its 1 spatial dimensions}}
  %y = lstm.conv %x, %w strides = [1, 1] dilations = [1] padding = [0, 0] groups = 1 : tensor<2x4x9xf32>, tensor<6x4x3xf32> -> tensor<2x6x7xf32>
  return
}

// -----

func.func @conv_negative_pad(%x: tensor<2x4x9xf32>, %w: tensor<6x4x3xf32>) {
  // expected-error @+1 {{pads must not be negative}}
  %y = lstm.conv %x, %w strides = [1] dilations = [1] padding = [-1, 0] groups = 1 : tensor<2x4x9xf32>, tensor<6x4x3xf32> -> tensor<2x6x6xf32>
  return
}

// -----

func.func @conv_dynamic_weight(%x: tensor<2x4x9xf32>, %w: tensor<?x4x3xf32>) {
  // expected-error @+1 {{expects a static weight of the input's rank}}
  %y = lstm.conv %x, %w strides = [1] dilations = [1] padding = [0, 0] groups = 1 : tensor<2x4x9xf32>, tensor<?x4x3xf32> -> tensor<2x?x7xf32>
  return
}

// -----

func.func @pool_avg_dilations(%x: tensor<2x4x9xf32>) {
  // expected-error @+1 {{average pooling takes no dilations}}
  %y = lstm.pool avg %x kernel = [2] strides = [1] dilations = [2] padding = [0, 0] : tensor<2x4x9xf32> -> tensor<2x4x7xf32>
  return
}

// -----

func.func @pool_ceil_mode(%x: tensor<2x4x8xf32>) {
  // ceil((8 + 2 - 3) / 2) + 1 = 5.
  // expected-error @+1 {{result must have shape (2, 4, 5)}}
  %y = lstm.pool max %x kernel = [3] strides = [2] dilations = [1] padding = [1, 1] ceil_mode : tensor<2x4x8xf32> -> tensor<2x4x4xf32>
  return
}

// -----

func.func @pool_kernel(%x: tensor<2x4x8xf32>) {
  // expected-error @+1 {{expects 1 positive kernel sizes}}
  %y = lstm.pool max %x kernel = [0] strides = [2] dilations = [1] padding = [0, 0] : tensor<2x4x8xf32> -> tensor<2x4x4xf32>
  return
}

// -----

func.func @pool_count_include_pad(%x: tensor<2x4x8xf32>) {
  // expected-error @+1 {{count_include_pad is for average pooling}}
  %y = lstm.pool max %x kernel = [2] strides = [2] dilations = [1] padding = [0, 0] count_include_pad : tensor<2x4x8xf32> -> tensor<2x4x4xf32>
  return
}

// -----

func.func @pool_padding_extent(%x: tensor<2x4x8xf32>) {
  // expected-error @+1 {{padding of spatial axis 0 (0, 2) must be smaller than the window's extent 2: a window would lie entirely in the padding}}
  %y = lstm.pool avg %x kernel = [2] strides = [1] dilations = [1] padding = [0, 2] : tensor<2x4x8xf32> -> tensor<2x4x9xf32>
  return
}

// -----

func.func @pool_padding_dilated_extent(%x: tensor<2x4x8xf32>) {
  // expected-error @+1 {{padding of spatial axis 0 (3, 0) must be smaller than the window's extent 3}}
  %y = lstm.pool max %x kernel = [2] strides = [1] dilations = [2] padding = [3, 0] : tensor<2x4x8xf32> -> tensor<2x4x9xf32>
  return
}

// -----

func.func @batch_norm_channels(%x: tensor<?x5xf32>, %p: tensor<6xf32>) {
  // expected-error @+1 {{input has 5 channels, the parameters 6}}
  %y = lstm.batch_norm %x, %p, %p, %p, %p epsilon = 1.0e-05 : tensor<?x5xf32>, tensor<6xf32>
  return
}

// -----

func.func @batch_norm_rank(%x: tensor<5xf32>, %p: tensor<5xf32>) {
  // expected-error @+1 {{expects an input of rank 2 or more (N, C, ...)}}
  %y = lstm.batch_norm %x, %p, %p, %p, %p epsilon = 1.0e-05 : tensor<5xf32>, tensor<5xf32>
  return
}

// -----

func.func @layer_norm_rank(%x: tensor<?x6xf32>) {
  // expected-error @+1 {{normalized_rank 3 must lie in [1, 2]}}
  %y = lstm.layer_norm %x normalized_rank = 3 epsilon = 1.0e-05 : tensor<?x6xf32>
  return
}

// -----

func.func @layer_norm_scale(%x: tensor<?x6xf32>, %g: tensor<5xf32>) {
  // expected-error @+1 {{expects scale and bias of the normalized shape, static, got 'tensor<5xf32>'}}
  %y = lstm.layer_norm %x scale(%g : tensor<5xf32>) normalized_rank = 1 epsilon = 1.0e-05 : tensor<?x6xf32>
  return
}

// -----

func.func @activation_parameters(%x: tensor<?x6xf32>) {
  // expected-error @+1 {{activation hardtanh takes 2 parameters, got 1}}
  %y = lstm.activation <hardtanh, alpha = 0.0 : f32> %x : tensor<?x6xf32>
  return
}
