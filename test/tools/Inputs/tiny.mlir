// A one-layer nn.LSTM(4, 8) with constant weights, signed like the models
// lstm-import-torch writes.
func.func @forward(
    %input: tensor<?x?x4xf32> {lstm.name = "input", lstm.dynamic_dims = ["T", "N"]},
    %h0: tensor<1x?x8xf32> {lstm.name = "h0", lstm.dynamic_dims = ["N"], lstm.optional},
    %c0: tensor<1x?x8xf32> {lstm.name = "c0", lstm.dynamic_dims = ["N"], lstm.optional},
    %lengths: tensor<?xi64> {lstm.name = "lengths", lstm.dynamic_dims = ["N"], lstm.lengths_of = "T"})
    -> (tensor<?x?x8xf32> {lstm.name = "output", lstm.dynamic_dims = ["T", "N"]},
        tensor<1x?x8xf32> {lstm.name = "h_n", lstm.dynamic_dims = ["N"]},
        tensor<1x?x8xf32> {lstm.name = "c_n", lstm.dynamic_dims = ["N"]})
    attributes {lstm.batch_dim = "N"} {
  %w_ih = arith.constant dense<0.125> : tensor<32x4xf32>
  %w_hh = arith.constant dense<-0.0625> : tensor<32x8xf32>
  %out, %h_n, %c_n = lstm.lstm %input h0(%h0 : tensor<1x?x8xf32>) c0(%c0 : tensor<1x?x8xf32>)
      lengths(%lengths : tensor<?xi64>) weights(%w_ih, %w_hh : tensor<32x4xf32>, tensor<32x8xf32>)
      {has_biases = false, hidden_size = 8 : i64, input_size = 4 : i64}
      : tensor<?x?x4xf32> -> tensor<?x?x8xf32>, tensor<1x?x8xf32>, tensor<1x?x8xf32>
  return %out, %h_n, %c_n : tensor<?x?x8xf32>, tensor<1x?x8xf32>, tensor<1x?x8xf32>
}
