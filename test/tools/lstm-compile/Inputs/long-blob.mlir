// A dense_resource blob of 24 bytes for a tensor<4xf32> (16 bytes).
func.func @forward() -> tensor<4xf32> {
  %w = arith.constant dense_resource<w> : tensor<4xf32>
  return %w : tensor<4xf32>
}
{-#
  dialect_resources: {
    builtin: {
      w: "0x04000000000000000000000000000000000000000000000000000000"
    }
  }
#-}
