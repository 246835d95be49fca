// RUN: lstm-opt %s -lstm-approximate-math | FileCheck %s

// tanh becomes arithmetic: no math ops (and so no libm calls) remain.
// CHECK-LABEL: func.func @tanh
// CHECK-NOT: math.tanh
// CHECK: arith.divf {{.*}} fastmath<ninf,arcp> : vector<16xf32>
// CHECK-NOT: math.
func.func @tanh(%x: vector<16xf32>) -> vector<16xf32> {
  %t = math.tanh %x : vector<16xf32>
  return %t : vector<16xf32>
}

// CHECK-LABEL: func.func @exp
// CHECK-NOT: math.exp
// CHECK: arith.mulf
func.func @exp(%x: f32) -> f32 {
  %e = math.exp %x : f32
  return %e : f32
}
