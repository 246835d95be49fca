// RUN: lstm-opt %s -split-input-file -verify-diagnostics -convert-lstm-to-gpu -canonicalize -cse | FileCheck %s
// RUN: lstm-opt %s -split-input-file -verify-diagnostics -convert-lstm-to-gpu=host-loops -canonicalize -cse | FileCheck %s --check-prefix=HOST

// H = 20 in one block of 32 units, reverse, with lengths. Everything happens
// on one chain of async tokens, one stream once lowered: operands to the
// device, the input projection of all steps, one fused kernel per step on
// double-buffered hidden states, results back, buffers freed, and one wait
// at the end. The time loop carries no token: each step depends on the
// stream's token, as does what follows the loop.
// CHECK-LABEL: func.func @reverse_with_lengths
// CHECK-SAME: (%[[X:[^:]*]]: memref<?x?x4xf32>, %[[WIH:[^:]*]]: memref<1x4x128xf32>, %[[W:[^:]*]]: memref<1x20x128xf32>, %[[B:[^:]*]]: memref<1x128xf32>, %[[H0:[^:]*]]: memref<?x20xf32>, %[[C0:[^:]*]]: memref<?x20xf32>, %[[LEN:[^:]*]]: memref<?xi64>, %[[OUT:[^:]*]]: memref<?x?x20xf32>, %[[HN:[^:]*]]: memref<?x20xf32>, %[[CN:[^:]*]]: memref<?x20xf32>)
// An empty batch launches nothing.
// CHECK: %[[N:.*]] = memref.dim %[[X]], %c1
// CHECK: %[[NONEMPTY:.*]] = arith.cmpi ne, %[[N]], %c0
// CHECK: scf.if %[[NONEMPTY]] {
// CHECK: %[[T:.*]] = memref.dim %[[X]], %c0
// CHECK: %[[START:.*]] = gpu.wait async
// CHECK: %[[DX:.*]], %[[T1:.*]] = gpu.alloc async [%[[START]]] (%[[T]], %[[N]]) : memref<?x?x4xf32>
// CHECK: gpu.memcpy async [%[[T1]]] %[[DX]], %[[X]]
// CHECK: %[[DW:.*]], %{{.*}} = gpu.alloc async {{.*}} : memref<1x20x128xf32>
// CHECK: %[[DB:.*]], %{{.*}} = gpu.alloc async {{.*}} : memref<1x128xf32>
// CHECK: %[[DLEN:.*]], %{{.*}} = gpu.alloc async {{.*}} : memref<?xi64>
// CHECK: %[[DH0:.*]], %{{.*}} = gpu.alloc async {{.*}} : memref<?x20xf32>
// CHECK: %[[DC:.*]], %{{.*}} = gpu.alloc async {{.*}} : memref<?x20xf32>
// CHECK: %[[SPARE:.*]], %{{.*}} = gpu.alloc async {{.*}} (%[[N]]) : memref<?x20xf32>
// CHECK: %[[GATES:.*]], %{{.*}} = gpu.alloc async {{.*}} (%[[T]], %[[N]]) : memref<?x?x1x128xf32>
// CHECK: %[[DOUT:.*]], %[[T2:.*]] = gpu.alloc async {{.*}} (%[[T]], %[[N]]) : memref<?x?x20xf32>
// The input projection: a block per (step, row) and hidden-unit block, a
// thread per gate column.
// CHECK: %[[ROWS:.*]] = arith.muli %[[T]], %[[N]]
// CHECK: %[[PROJECTED:.*]] = gpu.launch async [%[[T2]]] blocks({{.*}}) in ({{.*}} = %[[ROWS]], {{.*}} = %c1, {{.*}} = %c1) threads({{.*}}) in ({{.*}} = %c128, {{.*}} = %c1, {{.*}} = %c1) module(@lstm_kernels) function(@recurrence0_input_projection)
// CHECK: memref.load %[[DB]]
// CHECK: scf.for
// CHECK: math.fma
// CHECK: memref.store %{{.*}}, %[[GATES]]
// The steps: the loop carries the hidden states, swapped.
// CHECK: %[[LOOP:.*]]:2 = scf.for %[[S:.*]] = %c0 to %[[T]] step %c1 iter_args(%[[CUR:.*]] = %[[DH0]], %[[NEXT:.*]] = %[[SPARE]])
// CHECK: gpu.launch async [%[[PROJECTED]]] blocks(%[[ROW:.*]], %[[BLOCK:.*]], %{{.*}}) in ({{.*}} = %[[N]], {{.*}} = %c1, {{.*}} = %c1) threads(%[[LANE:.*]], %{{.*}}, %{{.*}}) in ({{.*}} = %c32, {{.*}} = %c1, {{.*}} = %c1) module(@lstm_kernels) function(@recurrence0_step)
// Units past H = 20 in the block do nothing.
// CHECK: %[[IN_RANGE:.*]] = arith.cmpi ult, %[[LANE]], %c20
// CHECK: scf.if %[[IN_RANGE]]
// CHECK: %[[LENGTH:.*]] = memref.load %[[DLEN]][%[[ROW]]]
// CHECK: %[[LI:.*]] = arith.index_cast %[[LENGTH]]
// CHECK: %[[LT:.*]] = arith.minui %[[LI]], %{{.*}}
// CHECK: %[[VALID:.*]] = arith.cmpi ult, %[[S]], %[[LT]]
// CHECK: %[[LAST:.*]] = arith.subi %[[LT]], %c1
// CHECK: %[[TIME:.*]] = arith.subi %[[LAST]], %[[S]]
// CHECK: scf.if %[[VALID]] {
// Each gate: its projected input plus the recurrent product, coalesced
// across the threads of the block.
// CHECK: %[[GI:.*]] = memref.load %[[GATES]][%[[TIME]], %[[ROW]], %c0, %[[LANE]]]
// CHECK: scf.for %[[K:.*]] = %c0 to %c20 step %c1 iter_args(%[[ACC:.*]] = %[[GI]])
// CHECK: %[[HK:.*]] = memref.load %[[CUR]][%[[ROW]], %[[K]]]
// CHECK: %[[WK:.*]] = memref.load %[[DW]][%c0, %[[K]], %[[LANE]]]
// CHECK: math.fma %[[HK]], %[[WK]], %[[ACC]]
// CHECK-COUNT-3: scf.for
// CHECK: %[[C_PREV:.*]] = memref.load %[[DC]][%[[ROW]], %[[LANE]]]
// CHECK: math.tanh
// CHECK: %[[C_NEW:.*]] = math.fma %{{.*}}, %[[C_PREV]], %{{.*}}
// CHECK: memref.store %[[C_NEW]], %[[DC]][%[[ROW]], %[[LANE]]]
// CHECK: %[[H:.*]] = arith.mulf
// CHECK: memref.store %[[H]], %[[NEXT]][%[[ROW]], %[[LANE]]]
// CHECK: memref.store %[[H]], %[[DOUT]][%[[TIME]], %[[ROW]], %[[LANE]]]
// Past the sequence's end: the state carries over, the output is zero.
// CHECK: } else {
// CHECK: %[[KEEP:.*]] = memref.load %[[CUR]][%[[ROW]], %[[LANE]]]
// CHECK: memref.store %[[KEEP]], %[[NEXT]][%[[ROW]], %[[LANE]]]
// CHECK: memref.store %{{.*}}, %[[DOUT]][%[[S]], %[[ROW]], %[[LANE]]]
// CHECK: scf.yield %[[NEXT]], %[[CUR]]
// CHECK: %[[R1:.*]] = gpu.memcpy async [%[[PROJECTED]]] %[[OUT]], %[[DOUT]]
// CHECK: %[[R2:.*]] = gpu.memcpy async [%[[R1]]] %[[HN]], %[[LOOP]]#0
// CHECK: gpu.memcpy async [%[[R2]]] %[[CN]], %[[DC]]
// CHECK-COUNT-10: gpu.dealloc async
// CHECK: gpu.wait [%{{.*}}]
// CHECK-NEXT: }
// CHECK-NEXT: return

// The same code on the host: buffers, copies and parallel loops.
// HOST-LABEL: func.func @reverse_with_lengths
// HOST-NOT: gpu.
// HOST: memref.copy
// HOST: scf.parallel (%{{.*}}, %{{.*}}) = (%c0, %c0) to (%{{.*}}, %c128)
// HOST: scf.for
// HOST: scf.parallel (%{{.*}}, %{{.*}}) = (%c0, %c0) to (%{{.*}}, %c32)
// HOST: memref.dealloc
// HOST-NOT: gpu.
func.func @reverse_with_lengths(%x: memref<?x?x4xf32>, %wih: memref<1x4x128xf32>,
    %w: memref<1x20x128xf32>, %b: memref<1x128xf32>, %h0: memref<?x20xf32>, %c0: memref<?x20xf32>,
    %len: memref<?xi64>, %out: memref<?x?x20xf32>, %hn: memref<?x20xf32>, %cn: memref<?x20xf32>) {
  lstm.recurrence input(%x : memref<?x?x4xf32>)
      weights(%wih, %w : memref<1x4x128xf32>, memref<1x20x128xf32>) bias(%b : memref<1x128xf32>)
      init(%h0, %c0 : memref<?x20xf32>, memref<?x20xf32>) lengths(%len : memref<?xi64>)
      outs(%out, %hn, %cn : memref<?x?x20xf32>, memref<?x20xf32>, memref<?x20xf32>) {reverse}
  return
}

// -----

// With a projection, a second kernel per step computes h W_hr^T. The output
// is a strided view (one direction of a bidirectional layer): it is staged
// through a contiguous host buffer.
// CHECK-LABEL: func.func @projection
// CHECK-SAME: %[[OUT:[^:]*]]: memref<5x?x3xf32, strided<[?, 6, 1], offset: ?>>
// CHECK: scf.for
// CHECK: gpu.launch async {{.*}} function(@recurrence0_step)
// CHECK: gpu.launch async {{.*}} function(@recurrence0_projection)
// CHECK: %[[STAGED:.*]] = memref.alloc(%{{.*}}) : memref<5x?x3xf32>
// CHECK: %[[COPIED:.*]] = gpu.memcpy async [%{{.*}}] %[[STAGED]]
// CHECK: gpu.wait [%[[COPIED]]]
// CHECK: memref.copy %[[STAGED]], %[[OUT]]
// CHECK: memref.dealloc %[[STAGED]]
func.func @projection(%x: memref<5x?x4xf32>, %wih: memref<1x4x128xf32>, %w: memref<1x3x128xf32>,
    %w_hr: memref<1x32x32xf32>, %h0: memref<?x3xf32>, %c0: memref<?x32xf32>,
    %out: memref<5x?x3xf32, strided<[?, 6, 1], offset: ?>>, %hn: memref<?x3xf32>, %cn: memref<?x32xf32>) {
  lstm.recurrence input(%x : memref<5x?x4xf32>) weights(%wih, %w : memref<1x4x128xf32>, memref<1x3x128xf32>)
      projection(%w_hr : memref<1x32x32xf32>) init(%h0, %c0 : memref<?x3xf32>, memref<?x32xf32>)
      outs(%out, %hn, %cn : memref<5x?x3xf32, strided<[?, 6, 1], offset: ?>>, memref<?x3xf32>, memref<?x32xf32>)
  return
}

// -----

func.func @tensors(%x: tensor<5x2x4xf32>, %wih: tensor<1x4x128xf32>, %w: tensor<1x16x128xf32>,
    %h0: tensor<2x16xf32>, %c0: tensor<2x16xf32>, %o: tensor<5x2x16xf32>) -> tensor<5x2x16xf32> {
  // expected-error @+1 {{lstm.recurrence must be bufferized before convert-lstm-to-gpu}}
  %r:3 = lstm.recurrence input(%x : tensor<5x2x4xf32>) weights(%wih, %w : tensor<1x4x128xf32>, tensor<1x16x128xf32>)
      init(%h0, %c0 : tensor<2x16xf32>, tensor<2x16xf32>)
      outs(%o, %h0, %c0 : tensor<5x2x16xf32>, tensor<2x16xf32>, tensor<2x16xf32>)
      -> tensor<5x2x16xf32>, tensor<2x16xf32>, tensor<2x16xf32>
  return %r#0 : tensor<5x2x16xf32>
}
