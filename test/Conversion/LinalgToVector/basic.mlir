// RUN: lstm-opt %s -split-input-file -lstm-vectorize-linalg -canonicalize -cse | FileCheck %s

// A bias and ReLU over a dynamic batch: unit tiles over the rows, one
// vector<10> over the classes.
// CHECK-LABEL: func.func @bias_relu
// CHECK: scf.for %[[ROW:.*]] = %c0 to %{{.*}} step %c1
// CHECK: %[[ROW_X:.*]] = tensor.extract_slice %{{.*}}[%[[ROW]], 0] [1, 10] [1, 1]
// CHECK: %[[X:.*]] = vector.transfer_read %[[ROW_X]][%c0, %c0], %{{.*}} {in_bounds = [true]} : tensor<1x10xf32>, vector<10xf32>
// CHECK: %[[B:.*]] = vector.transfer_read %{{.*}}[%c0], %{{.*}} {in_bounds = [true]} : tensor<10xf32>, vector<10xf32>
// CHECK: %[[SUM:.*]] = arith.addf %[[X]], %[[B]] : vector<10xf32>
// CHECK: %[[RELU:.*]] = arith.maximumf %[[SUM]], %{{.*}} : vector<10xf32>
// CHECK: vector.transfer_write %[[RELU]]
func.func @bias_relu(%x: tensor<?x10xf32>, %b: tensor<10xf32>) -> tensor<?x10xf32> {
  %c0 = arith.constant 0 : index
  %zero = arith.constant 0.0 : f32
  %n = tensor.dim %x, %c0 : tensor<?x10xf32>
  %init = tensor.empty(%n) : tensor<?x10xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>],
                       iterator_types = ["parallel", "parallel"]}
      ins(%x, %b : tensor<?x10xf32>, tensor<10xf32>) outs(%init : tensor<?x10xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %s = arith.addf %a, %c : f32
    %m = arith.maximumf %s, %zero : f32
    linalg.yield %m : f32
  } -> tensor<?x10xf32>
  return %r : tensor<?x10xf32>
}

// -----

// A linear layer (M, K) x (K, N): loops (m, k, n) tiled with the reduction
// innermost, one vector<5> FMA row per step of K on an accumulator that the
// K loop carries (read before it, written after it). The multiply and add
// become one math.fma.
// CHECK-LABEL: func.func @linear
// CHECK: scf.for %{{.*}} = %c0 to %{{.*}} step %c1
// CHECK: %[[ACC0:.*]] = vector.transfer_read {{.*}} : tensor<1x5xf32>, vector<5xf32>
// CHECK: %[[SUMS:.*]] = scf.for %{{.*}} = %c0 to %c3 step %c1 iter_args(%[[ACC:.*]] = %[[ACC0]]) -> (vector<5xf32>)
// CHECK: %[[X:.*]] = vector.transfer_read {{.*}} : tensor<1x1xf32>, vector<5xf32>
// CHECK: %[[W:.*]] = vector.transfer_read {{.*}} : tensor<1x5xf32>, vector<5xf32>
// CHECK: %[[NEXT:.*]] = math.fma %[[X]], %[[W]], %[[ACC]] : vector<5xf32>
// CHECK: scf.yield %[[NEXT]]
// CHECK: vector.transfer_write %[[SUMS]]
// CHECK-NOT: vector.extract
func.func @linear(%x: tensor<?x3xf32>, %w: tensor<3x5xf32>, %acc: tensor<?x5xf32>) -> tensor<?x5xf32> {
  %r = linalg.generic {indexing_maps = [affine_map<(m, k, n) -> (m, k)>, affine_map<(m, k, n) -> (k, n)>, affine_map<(m, k, n) -> (m, n)>],
                       iterator_types = ["parallel", "reduction", "parallel"]}
      ins(%x, %w : tensor<?x3xf32>, tensor<3x5xf32>) outs(%acc : tensor<?x5xf32>) {
  ^bb0(%a: f32, %b: f32, %c: f32):
    %p = arith.mulf %a, %b : f32
    %s = arith.addf %c, %p : f32
    linalg.yield %s : f32
  } -> tensor<?x5xf32>
  return %r : tensor<?x5xf32>
}

// -----

// A long or dynamic innermost loop goes in vectors of 16: the whole tiles
// first, unmasked, then one masked remainder tile.
// CHECK-LABEL: func.func @dynamic_features
// CHECK: %[[N:.*]] = tensor.dim
// CHECK: %[[WHOLE:.*]] = affine.apply #{{.*}}()[%[[N]]]
// CHECK: scf.for %{{.*}} = %c0 to %[[WHOLE]] step %c16
// CHECK: vector.transfer_read {{.*}} {in_bounds = [true]} : tensor<16xf32>, vector<16xf32>
// CHECK: math.tanh %{{.*}} : vector<16xf32>
// CHECK: vector.transfer_write {{.*}} {in_bounds = [true]} : vector<16xf32>, tensor<16xf32>
// CHECK: scf.for %[[J:.*]] = %[[WHOLE]] to %[[N]] step %c16
// CHECK: %[[SIZE:.*]] = affine.apply #{{.*}}(%[[J]])[%[[N]]]
// CHECK: %[[MASK:.*]] = vector.create_mask %[[SIZE]] : vector<16xi1>
// CHECK: vector.transfer_read {{.*}}, %[[MASK]] {in_bounds = [true]} : tensor<?xf32>, vector<16xf32>
// CHECK: math.tanh %{{.*}} : vector<16xf32>
// CHECK: vector.transfer_write {{.*}}, %[[MASK]] {in_bounds = [true]} : vector<16xf32>, tensor<?xf32>
func.func @dynamic_features(%x: tensor<?xf32>) -> tensor<?xf32> {
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?xf32>
  %init = tensor.empty(%n) : tensor<?xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]}
      ins(%x : tensor<?xf32>) outs(%init : tensor<?xf32>) {
  ^bb0(%a: f32, %o: f32):
    %t = math.tanh %a : f32
    linalg.yield %t : f32
  } -> tensor<?xf32>
  return %r : tensor<?xf32>
}

// -----

// A reduction over a row: vectorized whole when short; a longer row is
// reduced in 16 partial results (whole vectors carried in a register, then a
// remainder whose masked-off lanes keep their partials), merged by one
// vector reduction.
// CHECK-LABEL: func.func @row_max
// CHECK: %[[LOWEST:.*]] = arith.constant dense<0xFF800000> : vector<16xf32>
// CHECK: vector.reduction <maximumf>, %{{.*}}, %{{.*}} : vector<12xf32> into f32
// CHECK: %[[MASK:.*]] = vector.constant_mask [4] : vector<16xi1>
// CHECK: scf.for
// CHECK: %[[WHOLE:.*]] = scf.for %[[J:.*]] = %c0 to %c96 step %c16 iter_args(%[[PARTIAL:.*]] = %[[LOWEST]]) -> (vector<16xf32>)
// CHECK: %[[X:.*]] = vector.transfer_read %{{.*}}[%c0, %[[J]]], %{{.*}} {in_bounds = [true]} : tensor<1x100xf32>, vector<16xf32>
// CHECK: %[[MAX:.*]] = arith.maximumf %[[X]], %[[PARTIAL]] : vector<16xf32>
// CHECK: scf.yield %[[MAX]]
// CHECK: %[[TAIL:.*]] = vector.transfer_read %{{.*}}[%c0, %c96], %{{.*}}, %[[MASK]] {in_bounds = [true]} : tensor<1x100xf32>, vector<16xf32>
// CHECK: %[[TAIL_MAX:.*]] = arith.maximumf %[[TAIL]], %[[WHOLE]] : vector<16xf32>
// CHECK: %[[LANES:.*]] = arith.select %[[MASK]], %[[TAIL_MAX]], %[[WHOLE]]
// CHECK: %[[INIT:.*]] = tensor.extract
// CHECK: %[[ROW_MAX:.*]] = vector.reduction <maximumf>, %[[LANES]], %[[INIT]] fastmath<reassoc> : vector<16xf32> into f32
// CHECK: tensor.insert %[[ROW_MAX]]
// CHECK-NOT: linalg.generic
func.func @row_max(%x: tensor<?x12xf32>, %acc: tensor<?xf32>, %y: tensor<?x100xf32>) -> (tensor<?xf32>, tensor<?xf32>) {
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>],
                       iterator_types = ["parallel", "reduction"]}
      ins(%x : tensor<?x12xf32>) outs(%acc : tensor<?xf32>) {
  ^bb0(%a: f32, %m: f32):
    %s = arith.maximumf %a, %m : f32
    linalg.yield %s : f32
  } -> tensor<?xf32>
  %r2 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>],
                        iterator_types = ["parallel", "reduction"]}
      ins(%y : tensor<?x100xf32>) outs(%acc : tensor<?xf32>) {
  ^bb0(%a: f32, %m: f32):
    %s = arith.maximumf %a, %m : f32
    linalg.yield %s : f32
  } -> tensor<?xf32>
  return %r, %r2 : tensor<?xf32>, tensor<?xf32>
}

// -----

// A sum over a row of run-time length (a softmax's denominator over time):
// the remainder's mask is the row's length past its whole vectors.
// CHECK-LABEL: func.func @dynamic_row_sum
// CHECK: %[[ZERO:.*]] = arith.constant dense<0.000000e+00> : vector<16xf32>
// CHECK: %[[N:.*]] = tensor.dim %{{.*}}, %c1
// CHECK: %[[WHOLE:.*]] = affine.apply #{{.*}}()[%[[N]]]
// CHECK: %[[REST:.*]] = arith.subi %[[N]], %[[WHOLE]]
// CHECK: %[[MASK:.*]] = vector.create_mask %[[REST]] : vector<16xi1>
// CHECK: scf.for
// CHECK: %[[SUMS:.*]] = scf.for %{{.*}} = %c0 to %[[WHOLE]] step %c16 iter_args(%[[PARTIAL:.*]] = %[[ZERO]]) -> (vector<16xf32>)
// CHECK: %[[E:.*]] = math.exp %{{.*}} : vector<16xf32>
// CHECK: arith.addf %[[E]], %[[PARTIAL]] : vector<16xf32>
// CHECK: vector.transfer_read %{{.*}}[%c0, %[[WHOLE]]], %{{.*}}, %[[MASK]]
// CHECK: math.exp
// CHECK: %[[TAIL:.*]] = arith.addf %{{.*}}, %[[SUMS]] : vector<16xf32>
// CHECK: %[[LANES:.*]] = arith.select %[[MASK]], %[[TAIL]], %[[SUMS]]
// CHECK: vector.reduction <add>, %[[LANES]], %{{.*}} fastmath<reassoc> : vector<16xf32> into f32
// CHECK-NOT: linalg.generic
func.func @dynamic_row_sum(%x: tensor<?x?xf32>, %acc: tensor<?xf32>) -> tensor<?xf32> {
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>],
                       iterator_types = ["parallel", "reduction"]}
      ins(%x : tensor<?x?xf32>) outs(%acc : tensor<?xf32>) {
  ^bb0(%a: f32, %s: f32):
    %e = math.exp %a : f32
    %t = arith.addf %e, %s : f32
    linalg.yield %t : f32
  } -> tensor<?xf32>
  return %r : tensor<?xf32>
}

// -----

// A dot-like sum of one row with a constant in its body: the constant is
// broadcast, the multiply-add becomes an FMA on the partial sums.
// CHECK-LABEL: func.func @scaled_sum
// CHECK-DAG: %[[TWO:.*]] = arith.constant dense<2.000000e+00> : vector<16xf32>
// CHECK: %[[SUMS:.*]] = scf.for {{.*}} iter_args(%[[PARTIAL:.*]] = %{{.*}}) -> (vector<16xf32>)
// CHECK: %[[X:.*]] = vector.transfer_read
// CHECK: math.fma %[[X]], %[[TWO]], %[[PARTIAL]] : vector<16xf32>
// CHECK: arith.select
// CHECK: %[[INIT:.*]] = tensor.extract %{{.*}}[] : tensor<f32>
// CHECK: vector.reduction <add>, %{{.*}}, %[[INIT]] fastmath<reassoc>
func.func @scaled_sum(%x: tensor<?xf32>, %acc: tensor<f32>) -> tensor<f32> {
  %r = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> ()>],
                       iterator_types = ["reduction"]}
      ins(%x : tensor<?xf32>) outs(%acc : tensor<f32>) {
  ^bb0(%a: f32, %s: f32):
    %two = arith.constant 2.0 : f32
    %m = arith.mulf %a, %two : f32
    %t = arith.addf %m, %s : f32
    linalg.yield %t : f32
  } -> tensor<f32>
  return %r : tensor<f32>
}

// -----

// An integer division in a row reduction's body stays scalar: the masked
// remainder would divide on lanes past the row's end too.
// CHECK-LABEL: func.func @row_sum_of_quotients
// CHECK: linalg.generic
// CHECK-SAME: iterator_types = ["parallel", "reduction"]
func.func @row_sum_of_quotients(%x: tensor<?x100xi32>, %d: tensor<?x100xi32>, %acc: tensor<?xi32>) -> tensor<?xi32> {
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>],
                       iterator_types = ["parallel", "reduction"]}
      ins(%x, %d : tensor<?x100xi32>, tensor<?x100xi32>) outs(%acc : tensor<?xi32>) {
  ^bb0(%a: i32, %b: i32, %s: i32):
    %q = arith.divsi %a, %b : i32
    %t = arith.addi %q, %s : i32
    linalg.yield %t : i32
  } -> tensor<?xi32>
  return %r : tensor<?xi32>
}
