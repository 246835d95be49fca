// RUN: lstm-opt %s -split-input-file -verify-diagnostics -lstm-lower-runtime-checks | FileCheck %s

// The size checks at the start record the first failure; the body runs only
// if none failed. Messages name the layer the check's location names.
// CHECK-LABEL: module attributes {lstm.runtime_checks = ["'r' (Reshape): sizes differ", "'g' (Gather): index out of range"]}
// CHECK: func.func @guarded(%[[X:.*]]: memref<?xf32>, %[[OUT:.*]]: memref<?xf32>, %[[REC:.*]]: memref<i32> {lstm.check_record})
// CHECK: %[[OK:.*]] = arith.cmpi eq
// CHECK: %[[FAILED:.*]] = arith.xori %[[OK]], %true
// CHECK: scf.if %[[FAILED]] {
// CHECK:   %[[PREV:.*]] = memref.load %[[REC]][] : memref<i32>
// CHECK:   %[[FIRST:.*]] = arith.cmpi eq, %[[PREV]], %c0_i32
// CHECK:   %[[ID:.*]] = arith.select %[[FIRST]], %c1_i32, %[[PREV]]
// CHECK:   memref.store %[[ID]], %[[REC]][] : memref<i32>
// CHECK: }
// CHECK: %[[STATUS:.*]] = memref.load %[[REC]][] : memref<i32>
// CHECK: %[[PASSED:.*]] = arith.cmpi eq, %[[STATUS]], %c0_i32
// CHECK: scf.if %[[PASSED]] {
// CHECK:   memref.copy %[[X]], %[[OUT]]
// CHECK:   %[[V:.*]] = memref.load
// The value check records its failure where it stands: index 2.
// CHECK:   scf.if %{{.*}} {
// CHECK:     arith.select %{{.*}}, %c2_i32
// CHECK:   }
// CHECK: }
// CHECK-NEXT: return
// CHECK-NOT: cf.assert
func.func @guarded(%x: memref<?xf32>, %out: memref<?xf32>) {
  %c0 = arith.constant 0 : index
  %n = memref.dim %x, %c0 : memref<?xf32>
  %m = memref.dim %out, %c0 : memref<?xf32>
  %same = arith.cmpi eq, %n, %m : index
  cf.assert %same, "sizes differ" loc(fused<"Reshape">["r"])
  memref.copy %x, %out : memref<?xf32> to memref<?xf32>
  %v = memref.load %x[%c0] : memref<?xf32>
  %zero = arith.constant 0.0 : f32
  %positive = arith.cmpf ogt, %v, %zero : f32
  cf.assert %positive, "index out of range" {lstm.value_check} loc(fused<"Gather">["g"])
  return
}

// -----

// Without size checks, nothing is guarded; the record is still there.
// CHECK-LABEL: module attributes {lstm.runtime_checks = []}
// CHECK: func.func @unchecked(%{{.*}}: memref<4xf32>, %{{.*}}: memref<i32> {lstm.check_record})
// CHECK-NOT: scf.if
func.func @unchecked(%x: memref<4xf32>) {
  return
}

// -----

// A size check after the model started reading memory cannot guard it.
func.func @late_size_check(%x: memref<?xf32>) {
  %c0 = arith.constant 0 : index
  %v = memref.load %x[%c0] : memref<?xf32>
  %n = memref.dim %x, %c0 : memref<?xf32>
  %big = arith.cmpi sgt, %n, %c0 : index
  // expected-error @+1 {{size check 'too small' is not at the start of the function; run lstm-insert-runtime-checks on tensors first}}
  cf.assert %big, "too small"
  return
}
