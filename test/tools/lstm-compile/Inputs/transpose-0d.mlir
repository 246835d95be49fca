// A linalg.transpose of 0-d tensors: MLIR 22's verifier crashes on it;
// lstm-compile reports it.
func.func @t(%x: tensor<f32>, %i: tensor<f32>) -> tensor<f32> {
 %t = linalg.transpose ins(%x : tensor<f32>) outs(%i : tensor<f32>) permutation = []
 return %t : tensor<f32>
}
