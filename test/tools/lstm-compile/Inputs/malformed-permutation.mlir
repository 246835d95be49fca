// A linalg.transpose whose permutation is not an array: MLIR 22's parser
// crashes on it; lstm-compile reports it.
func.func @t(%c: tensor<2x3xf32>, %i: tensor<3x2xf32>) -> tensor<3x2xf32> {
  %t = linalg.transpose ins(%c : tensor<2x3xf32>) outs(%i : tensor<3x2xf32>) permutation = x[1, 0]
  return %t : tensor<3x2xf32>
}
