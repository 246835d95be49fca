// RUN: lstm-opt %s -split-input-file -verify-diagnostics -lstm-insert-runtime-checks -cse | FileCheck %s

// A reshape's element counts are compared before anything else runs: the
// check and the size arithmetic it needs move to the start.
// CHECK-LABEL: func.func @reshape
// CHECK-SAME: (%[[X:.*]]: tensor<?x4xf32>, %[[N:.*]]: index)
// CHECK: %[[D:.*]] = tensor.dim %[[X]], %{{.*}} : tensor<?x4xf32>
// CHECK: cf.assert %{{.*}}, "dimension #0 of input/output operand #1 is incompatible with inferred dimension size (linalg.fill)"
// CHECK: %[[NONNEG:.*]] = arith.cmpi sge, %[[N]], %{{.*}} : index
// CHECK: cf.assert %[[NONNEG]], "the target shape has a negative size (tensor.reshape)"
// CHECK: %[[IN:.*]] = arith.muli %[[D]], %{{.*}} : index
// CHECK: %[[OUT:.*]] = arith.muli %[[N]], %{{.*}} : index
// CHECK: %[[SAME:.*]] = arith.cmpi eq, %[[IN]], %[[OUT]] : index
// CHECK: cf.assert %[[SAME]], "the input and the target shape have different numbers of elements (tensor.reshape)"
// CHECK-NOT: cf.assert
// CHECK: linalg.fill
// CHECK: tensor.reshape
func.func @reshape(%x: tensor<?x4xf32>, %n: index) -> tensor<?x8xf32> {
  %zero = arith.constant 0.0 : f32
  %filled = linalg.fill ins(%zero : f32) outs(%x : tensor<?x4xf32>) -> tensor<?x4xf32>
  %c8 = arith.constant 8 : index
  %n64 = arith.index_cast %n : index to i64
  %c8_64 = arith.index_cast %c8 : index to i64
  %shape = tensor.from_elements %n64, %c8_64 : tensor<2xi64>
  %r = tensor.reshape %filled(%shape) : (tensor<?x4xf32>, tensor<2xi64>) -> tensor<?x8xf32>
  return %r : tensor<?x8xf32>
}

// -----

// Static shapes need no checks, and sizes are never negative.
// CHECK-LABEL: func.func @static_shapes
// CHECK-NOT: cf.assert
func.func @static_shapes(%x: tensor<3x4xf32>, %y: tensor<3x4xf32>, %z: tensor<?xf32>) -> tensor<3x4xf32> {
  %e = tensor.empty() : tensor<3x4xf32>
  %r = linalg.add ins(%x, %y : tensor<3x4xf32>, tensor<3x4xf32>) outs(%e : tensor<3x4xf32>) -> tensor<3x4xf32>
  %c0 = arith.constant 0 : index
  %d = tensor.dim %z, %c0 : tensor<?xf32>
  %f = tensor.empty(%d) : tensor<?xf32>
  return %r : tensor<3x4xf32>
}

// -----

// lstm.lstm checks PyTorch's rules on its dynamic sizes: a non-empty
// sequence, the feature size, and the states' batch against the input's.
// CHECK-LABEL: func.func @lstm
// CHECK-SAME: (%[[X:.*]]: tensor<?x?x?xf32>, %[[H0:.*]]: tensor<1x?x8xf32>
// CHECK-DAG: cf.assert %{{.*}}, "Expected sequence length to be larger than 0 in RNN (lstm.lstm)"
// CHECK-DAG: cf.assert %{{.*}}, "input.size(-1) must be equal to input_size. Expected 4 (lstm.lstm)"
// CHECK-DAG: cf.assert %{{.*}}, "Expected hidden[0] size (1, N, 8), N being the input's batch size (lstm.lstm)"
// CHECK: lstm.lstm
func.func @lstm(%x: tensor<?x?x?xf32>, %h0: tensor<1x?x8xf32>, %w_ih: tensor<32x4xf32>,
    %w_hh: tensor<32x8xf32>) -> tensor<?x?x8xf32> {
  %out, %h_n, %c_n = lstm.lstm %x h0(%h0 : tensor<1x?x8xf32>)
      weights(%w_ih, %w_hh : tensor<32x4xf32>, tensor<32x8xf32>)
      {hidden_size = 8 : i64, input_size = 4 : i64, has_biases = false}
      : tensor<?x?x?xf32> -> tensor<?x?x8xf32>, tensor<1x?x8xf32>, tensor<1x?x8xf32>
  return %out : tensor<?x?x8xf32>
}

// -----

// Sequence lengths are values: their check stays after the reduction that
// computes it, marked as a value check.
// CHECK-LABEL: func.func @lengths
// CHECK: cf.assert %{{.*}}, "lengths must have one entry per batch element: size (N), N being the input's batch size (lstm.lstm)"
// CHECK: linalg.reduce
// CHECK: cf.assert %{{.*}}, "Length of all samples {{.*}} (lstm.lstm)" {lstm.value_check}
// CHECK-NEXT: lstm.lstm
func.func @lengths(%x: tensor<5x?x4xf32>, %lengths: tensor<?xi64>, %w_ih: tensor<32x4xf32>,
    %w_hh: tensor<32x8xf32>) -> tensor<5x?x8xf32> {
  %out, %h_n, %c_n = lstm.lstm %x lengths(%lengths : tensor<?xi64>)
      weights(%w_ih, %w_hh : tensor<32x4xf32>, tensor<32x8xf32>)
      {hidden_size = 8 : i64, input_size = 4 : i64, has_biases = false}
      : tensor<5x?x4xf32> -> tensor<5x?x8xf32>, tensor<1x?x8xf32>, tensor<1x?x8xf32>
  return %out : tensor<5x?x8xf32>
}

// -----

// Indices are values too; an empty table is a size check.
// CHECK-LABEL: func.func @gather
// CHECK: cf.assert %{{.*}}, "index out of range in self: the indexed dimension is empty (lstm.gather)"
// CHECK: linalg.reduce
// CHECK: cf.assert %{{.*}}, "index out of range in self: every index must lie in range (lstm.gather)" {lstm.value_check}
// CHECK-NEXT: lstm.gather
func.func @gather(%table: tensor<?x4xf32>, %indices: tensor<?xi64>) -> tensor<?x4xf32> {
  %rows = lstm.gather %table[%indices] axis = 0 : tensor<?x4xf32>, tensor<?xi64> -> tensor<?x4xf32>
  return %rows : tensor<?x4xf32>
}

// -----

// Integer division of sizes is checked for a zero divisor.
// CHECK-LABEL: func.func @division
// CHECK: %[[NONZERO:.*]] = arith.cmpi ne, %{{.*}}, %{{.*}} : index
// CHECK: cf.assert %[[NONZERO]], "division by zero (arith.divui)"
// CHECK: arith.divui
func.func @division(%x: tensor<?xf32>, %y: tensor<?xf32>) -> index {
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?xf32>
  %m = tensor.dim %y, %c0 : tensor<?xf32>
  %q = arith.divui %n, %m : index
  return %q : index
}

// -----

// A check that no input can pass is an error.
func.func @always_fails(%x: tensor<4xf32>) -> tensor<?x3xf32> {
  %shape = arith.constant dense<[2, 3]> : tensor<2xi64>
  // expected-error @+1 {{the model fails on every input: the input and the target shape have different numbers of elements (tensor.reshape)}}
  %r = tensor.reshape %x(%shape) : (tensor<4xf32>, tensor<2xi64>) -> tensor<?x3xf32>
  return %r : tensor<?x3xf32>
}

// -----

// A size check on sizes computed from tensor contents cannot run first.
func.func @computed_size(%x: tensor<?xf32>, %sizes: tensor<1xindex>) -> tensor<?xf32> {
  %c0 = arith.constant 0 : index
  %size = tensor.extract %sizes[%c0] : tensor<1xindex>
  // expected-error @+1 {{compares sizes that the model computes, so it cannot run before the model does; this is not supported}}
  %s = tensor.extract_slice %x[0] [%size] [1] : tensor<?xf32> to tensor<?xf32>
  return %s : tensor<?xf32>
}
