// RUN: lstm-opt %s -split-input-file -lstm-fuse-elementwise | FileCheck %s

// im2col columns (a gather) read once per filter by the product: kept as
// their own op, gathered once.
// CHECK-LABEL: func.func @columns_stay
// CHECK: %[[COLS:.*]] = linalg.generic
// CHECK: tensor.extract
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %[[COLS]] :
// CHECK-NOT: tensor.extract
#cols = affine_map<(c, o) -> (c, o)>
#w = affine_map<(f, c, o) -> (f, c)>
#in = affine_map<(f, c, o) -> (c, o)>
#out = affine_map<(f, c, o) -> (f, o)>
func.func @columns_stay(%x: tensor<4x12xf32>, %w: tensor<8x4xf32>, %acc: tensor<8x10xf32>) -> tensor<8x10xf32> {
  %init = tensor.empty() : tensor<4x10xf32>
  %cols = linalg.generic {indexing_maps = [#cols], iterator_types = ["parallel", "parallel"]} outs(%init : tensor<4x10xf32>) {
  ^bb0(%o: f32):
    %c = linalg.index 0 : index
    %i = linalg.index 1 : index
    %c2 = arith.constant 2 : index
    %j = arith.addi %i, %c2 : index
    %v = tensor.extract %x[%c, %j] : tensor<4x12xf32>
    linalg.yield %v : f32
  } -> tensor<4x10xf32>
  %r = linalg.generic {indexing_maps = [#w, #in, #out], iterator_types = ["parallel", "reduction", "parallel"]}
      ins(%w, %cols : tensor<8x4xf32>, tensor<4x10xf32>) outs(%acc : tensor<8x10xf32>) {
  ^bb0(%a: f32, %b: f32, %s: f32):
    %p = arith.mulf %a, %b : f32
    %t = arith.addf %s, %p : f32
    linalg.yield %t : f32
  } -> tensor<8x10xf32>
  return %r : tensor<8x10xf32>
}

// -----

// Without a gather, a producer read several times is fused as upstream's
// linalg-fuse-elementwise-ops fuses it.
// CHECK-LABEL: func.func @cheap_producer_fuses
// CHECK: linalg.generic
// CHECK: arith.negf
// CHECK: arith.mulf
// CHECK-NOT: linalg.generic
#cols = affine_map<(c, o) -> (c, o)>
#w = affine_map<(f, c, o) -> (f, c)>
#in = affine_map<(f, c, o) -> (c, o)>
#out = affine_map<(f, c, o) -> (f, o)>
func.func @cheap_producer_fuses(%x: tensor<4x10xf32>, %w: tensor<8x4xf32>, %acc: tensor<8x10xf32>) -> tensor<8x10xf32> {
  %init = tensor.empty() : tensor<4x10xf32>
  %neg = linalg.generic {indexing_maps = [#cols, #cols], iterator_types = ["parallel", "parallel"]} ins(%x : tensor<4x10xf32>) outs(%init : tensor<4x10xf32>) {
  ^bb0(%a: f32, %o: f32):
    %n = arith.negf %a : f32
    linalg.yield %n : f32
  } -> tensor<4x10xf32>
  %r = linalg.generic {indexing_maps = [#w, #in, #out], iterator_types = ["parallel", "reduction", "parallel"]}
      ins(%w, %neg : tensor<8x4xf32>, tensor<4x10xf32>) outs(%acc : tensor<8x10xf32>) {
  ^bb0(%a: f32, %b: f32, %s: f32):
    %p = arith.mulf %a, %b : f32
    %t = arith.addf %s, %p : f32
    linalg.yield %t : f32
  } -> tensor<8x10xf32>
  return %r : tensor<8x10xf32>
}

// -----

// A contraction on collapsed operands (a convolution's (F, K) x (K, P))
// keeps them: folding the reshapes into it would make the short window
// dimension (3) its innermost loop instead of P (12).
// CHECK-LABEL: func.func @contraction_keeps_reshapes
// CHECK: tensor.collapse_shape %{{.*}} {{\[}}[0, 1], [2, 3]] : tensor<2x3x3x4xf32> into tensor<6x12xf32>
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "reduction", "parallel"]} ins(%{{.*}}, %{{.*}} : tensor<8x6xf32>, tensor<6x12xf32>) outs(%{{.*}} : tensor<8x12xf32>)
// CHECK: tensor.expand_shape %{{.*}} {{\[}}[0], [1, 2]] output_shape [8, 3, 4] : tensor<8x12xf32> into tensor<8x3x4xf32>
#w = affine_map<(f, k, p) -> (f, k)>
#in = affine_map<(f, k, p) -> (k, p)>
#out = affine_map<(f, k, p) -> (f, p)>
func.func @contraction_keeps_reshapes(%cols: tensor<2x3x3x4xf32>, %w: tensor<8x6xf32>, %acc: tensor<8x12xf32>) -> tensor<8x3x4xf32> {
  %c = tensor.collapse_shape %cols [[0, 1], [2, 3]] : tensor<2x3x3x4xf32> into tensor<6x12xf32>
  %r = linalg.generic {indexing_maps = [#w, #in, #out], iterator_types = ["parallel", "reduction", "parallel"]}
      ins(%w, %c : tensor<8x6xf32>, tensor<6x12xf32>) outs(%acc : tensor<8x12xf32>) {
  ^bb0(%a: f32, %b: f32, %s: f32):
    %p = arith.mulf %a, %b : f32
    %t = arith.addf %s, %p : f32
    linalg.yield %t : f32
  } -> tensor<8x12xf32>
  %e = tensor.expand_shape %r [[0], [1, 2]] output_shape [8, 3, 4] : tensor<8x12xf32> into tensor<8x3x4xf32>
  return %e : tensor<8x3x4xf32>
}
