// RUN: lstm-opt %s -split-input-file -verify-diagnostics -convert-lstm-to-vector="rows-per-tile=2 accumulators=8" -canonicalize -cse | FileCheck %s

// H = 20 in 2 blocks of 16, reverse, with lengths. Threads split the blocks;
// steps come in chunks of 256 / N; each thread first projects a chunk's
// inputs onto its blocks, then runs its steps on double-buffered hidden
// states with one barrier per step.
// CHECK-LABEL: func.func @reverse_with_lengths
// CHECK-SAME: (%[[X:.*]]: memref<?x?x4xf32>, %[[WIH:.*]]: memref<2x4x64xf32>, %[[W:.*]]: memref<2x20x64xf32>, %[[B:.*]]: memref<2x64xf32>, %[[H0:.*]]: memref<?x20xf32>, %[[C0:.*]]: memref<?x20xf32>, %[[LEN:.*]]: memref<?xi64>, %[[OUT:.*]]: memref<?x?x20xf32>, %[[HN:.*]]: memref<?x20xf32>, %[[CN:.*]]: memref<?x20xf32>)
// CHECK: %[[N:.*]] = memref.dim %[[X]], %c1
// CHECK: %[[SEQ:.*]] = memref.dim %[[X]], %c0
// An empty batch takes no steps, and must not divide by zero.
// CHECK: %[[EMPTY:.*]] = arith.cmpi eq, %[[N]], %c0
// CHECK: %[[T:.*]] = arith.select %[[EMPTY]], %c0, %[[SEQ]]
// CHECK: %[[NONEMPTY:.*]] = arith.maxui %[[N]], %c1
// CHECK: %[[PER:.*]] = arith.divui %c256, %[[NONEMPTY]]
// CHECK: %[[CHUNK:.*]] = arith.maxui %[[PER]], %c1
// CHECK: %[[ROWS:.*]] = arith.minui %[[CHUNK]], %[[T]]
// CHECK: %[[GATES:.*]] = memref.alloc(%[[ROWS]], %[[N]]) {alignment = 64 : i64} : memref<?x?x2x64xf32>
// CHECK: %[[H:.*]] = memref.alloc(%[[N]]) {alignment = 64 : i64} : memref<2x?x32xf32>
// CHECK: %[[C:.*]] = memref.alloc(%[[N]]) {alignment = 64 : i64} : memref<?x32xf32>
// The barrier's arrival counter and generation, a cache line apart.
// CHECK: %[[STATE:.*]] = memref.alloc() {alignment = 64 : i64} : memref<32xi32>
// CHECK: %[[COUNTER:.*]] = llvm.inttoptr
// CHECK: %[[GEN:.*]] = llvm.getelementptr %[[COUNTER]][16]
// CHECK: omp.parallel {
// CHECK: func.call @omp_get_thread_num()
// CHECK: func.call @omp_get_num_threads()
// Initial states: this thread's units of c0 and h0.
// CHECK: memref.load %[[C0]]
// CHECK: memref.store %{{.*}}, %[[C]]
// CHECK: memref.load %[[H0]]
// CHECK: memref.store %{{.*}}, %[[H]][%c0,
// The barrier: the last thread to arrive resets the counter and bumps the
// generation; the others spin on it, then yield.
// CHECK: %[[SEEN:.*]] = llvm.load %[[GEN]] atomic acquire
// CHECK: llvm.atomicrmw add %[[COUNTER]], %{{.*}} acq_rel
// CHECK: llvm.store %{{.*}}, %[[COUNTER]] atomic monotonic
// CHECK: llvm.store %{{.*}}, %[[GEN]] atomic release
// CHECK: scf.while
// CHECK: llvm.load %[[GEN]] atomic acquire
// CHECK: func.call @sched_yield()
// CHECK: scf.for %[[START:.*]] = %c0 to %[[T]] step %[[CHUNK]] {
// The chunk's input projection, in tiles of 2 rows x 1 block: the row's
// time index is length - 1 - step, clamped for steps past the end.
// CHECK: scf.for %[[PB:.*]] =
// CHECK: scf.for %[[PR:.*]] =
// CHECK: %[[PSTEP:.*]] = arith.divui %[[PR]], %[[N]]
// CHECK: %[[PN:.*]] = arith.remui %[[PR]], %[[N]]
// CHECK: %[[PS:.*]] = arith.addi %[[START]], %[[PSTEP]]
// CHECK: memref.load %[[LEN]][%[[PN]]]
// CHECK: %[[PT:.*]] = arith.maxsi
// CHECK: scf.for %[[K:.*]] = %c0 to %c4 step %c1 iter_args({{.*}}) -> (vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>) {
// CHECK-COUNT-4: vector.load %[[WIH]][%[[PB]], %[[K]], %{{.*}}] : memref<2x4x64xf32>, vector<16xf32>
// CHECK: memref.load %[[X]][%[[PT]], %[[PN]], %[[K]]]
// CHECK-COUNT-4: vector.fma
// CHECK: vector.load %[[B]][%[[PB]], %c0]
// CHECK: vector.store %{{.*}}, %[[GATES]][%[[PSTEP]], %[[PN]], %[[PB]], %c0]
// The chunk's steps.
// CHECK: scf.for %[[CS:.*]] = %c0 to %{{.*}} step %c1 {
// CHECK: %[[S:.*]] = arith.addi %[[START]], %[[CS]]
// CHECK: %[[CUR:.*]] = arith.remui %[[S]], %c2
// CHECK: %[[NEXT:.*]] = arith.subi %c1, %[[CUR]]
// Tiles of two rows and one block: 2 x 4 accumulators. Odd steps walk the
// blocks backwards.
// CHECK: %[[ODD:.*]] = arith.trunci
// CHECK: scf.for %[[LOGICAL:.*]] =
// CHECK: scf.for %[[ROW:.*]] =
// CHECK: %[[BLOCK:.*]] = arith.select %[[ODD]], %{{.*}}, %[[LOGICAL]]
// CHECK: %[[ACC:.*]]:8 = scf.for %[[HK:.*]] = %c0 to %c20 step %c1 iter_args({{.*}}) -> (vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>) {
// CHECK-COUNT-4: vector.load %[[W]][%[[BLOCK]], %[[HK]], %{{.*}}] : memref<2x20x64xf32>, vector<16xf32>
// CHECK: memref.load %[[H]][%[[CUR]], %[[ROW]], %[[HK]]]
// CHECK: vector.broadcast
// CHECK-COUNT-4: vector.fma
// CHECK: scf.yield
// The first row's gates: valid while step < length, the length limited to
// T (out-of-range lengths have failed the model's value check).
// CHECK: %[[L:.*]] = memref.load %[[LEN]][%[[ROW]]]
// CHECK: %[[LI:.*]] = arith.index_cast %[[L]]
// CHECK: %[[LT:.*]] = arith.minui %[[LI]], %[[T]]
// CHECK: %[[VALID:.*]] = arith.cmpi ult, %[[S]], %[[LT]]
// CHECK: %[[TIME:.*]] = arith.maxsi
// CHECK: scf.if %[[VALID]] {
// CHECK: vector.load %[[GATES]][%[[CS]], %[[ROW]], %[[BLOCK]], %c0]
// CHECK: arith.addf %[[ACC]]#0
// CHECK: math.tanh
// CHECK: math.fma
// CHECK: vector.store %{{.*}}, %[[C]]
// CHECK: vector.store %{{.*}}, %[[H]][%[[NEXT]], %[[ROW]],
// 20 is not a multiple of 16: output stores are masked.
// CHECK: vector.create_mask
// CHECK: vector.maskedstore %[[OUT]][%[[TIME]], %[[ROW]],
// CHECK: } else {
// Past the end: the state carries over and the output row is zero.
// CHECK: %[[OLD:.*]] = vector.load %[[H]][%[[CUR]], %[[ROW]],
// CHECK: vector.store %[[OLD]], %[[H]][%[[NEXT]], %[[ROW]],
// CHECK: vector.maskedstore %[[OUT]][%[[S]], %[[ROW]],
// Left-over rows: one row, two blocks per tile.
// CHECK: scf.for %{{.*}} step %c2 {
// CHECK: scf.for %{{.*}} = %c0 to %c20 step %c1 iter_args({{.*}}) -> (vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>)
// CHECK: llvm.atomicrmw add
// CHECK: }
// Final states after each row's last valid step.
// CHECK: memref.store %{{.*}}, %[[CN]]
// CHECK: memref.store %{{.*}}, %[[HN]]
// CHECK: omp.terminator
// CHECK: memref.dealloc %[[STATE]]
// CHECK: memref.dealloc %[[GATES]]
// CHECK: memref.dealloc %[[H]]
// CHECK: memref.dealloc %[[C]]
func.func @reverse_with_lengths(%x: memref<?x?x4xf32>, %wih: memref<2x4x64xf32>,
    %w: memref<2x20x64xf32>, %b: memref<2x64xf32>, %h0: memref<?x20xf32>, %c0: memref<?x20xf32>,
    %len: memref<?xi64>, %out: memref<?x?x20xf32>, %hn: memref<?x20xf32>, %cn: memref<?x20xf32>) {
  lstm.recurrence input(%x : memref<?x?x4xf32>)
      weights(%wih, %w : memref<2x4x64xf32>, memref<2x20x64xf32>) bias(%b : memref<2x64xf32>)
      init(%h0, %c0 : memref<?x20xf32>, memref<?x20xf32>) lengths(%len : memref<?xi64>)
      outs(%out, %hn, %cn : memref<?x?x20xf32>, memref<?x20xf32>, memref<?x20xf32>) {reverse}
  return
}

// -----

// Forward, no lengths, H = 32: every step is valid and no store is masked.
// With a projection, h before it goes to its own buffer and a second phase,
// after a second barrier, computes h and the output block by block.
// CHECK-LABEL: func.func @projection
// CHECK-SAME: %[[OUT:[a-z0-9]*]]: memref<5x?x3xf32, strided<[?, 6, 1], offset: ?>>
// CHECK: %[[T:.*]] = arith.select %{{.*}}, %c0, %c5
// CHECK: %[[H:.*]] = memref.alloc(%{{.*}}) {alignment = 64 : i64} : memref<2x?x16xf32>
// CHECK: %[[C:.*]] = memref.alloc(%{{.*}}) {alignment = 64 : i64} : memref<?x32xf32>
// CHECK: %[[FULL:.*]] = memref.alloc(%{{.*}}) {alignment = 64 : i64} : memref<?x32xf32>
// CHECK: omp.parallel
// CHECK: scf.for %[[START:.*]] = %c0 to %[[T]] step
// CHECK: scf.for %[[CS:.*]] = %c0 to %{{.*}} step %c1 {
// CHECK: %[[S:.*]] = arith.addi %[[START]], %[[CS]]
// CHECK: vector.store %{{.*}}, %[[FULL]]
// CHECK-NOT: vector.maskedstore
// CHECK: llvm.atomicrmw add
// CHECK: scf.for %{{.*}} = %c0 to %c32 step %c1 iter_args({{.*}}) -> (vector<16xf32>, vector<16xf32>) {
// CHECK: memref.load %[[FULL]]
// CHECK: vector.fma
// CHECK: vector.store %{{.*}}, %[[H]]
// CHECK: vector.maskedstore %[[OUT]][%[[S]],
// CHECK: llvm.atomicrmw add
// CHECK: memref.dealloc %[[FULL]]
func.func @projection(%x: memref<5x?x4xf32>, %wih: memref<2x4x64xf32>, %w: memref<2x3x64xf32>,
    %w_hr: memref<1x32x16xf32>, %h0: memref<?x3xf32>, %c0: memref<?x32xf32>,
    %out: memref<5x?x3xf32, strided<[?, 6, 1], offset: ?>>, %hn: memref<?x3xf32>, %cn: memref<?x32xf32>) {
  lstm.recurrence input(%x : memref<5x?x4xf32>) weights(%wih, %w : memref<2x4x64xf32>, memref<2x3x64xf32>)
      projection(%w_hr : memref<1x32x16xf32>) init(%h0, %c0 : memref<?x3xf32>, memref<?x32xf32>)
      outs(%out, %hn, %cn : memref<5x?x3xf32, strided<[?, 6, 1], offset: ?>>, memref<?x3xf32>, memref<?x32xf32>)
  return
}

// -----

// ONNX's variants in the cell update: peepholes, clip, f = 1 - i and other
// activations (f hard sigmoid, g softsign, h leaky relu).
// CHECK-LABEL: func.func @gate_variants
// CHECK-SAME: %[[P:[^:]*]]: memref<1x64xf32>
// CHECK-DAG: %[[LEAK:.*]] = arith.constant dense<1.250000e-01> : vector<16xf32>
// CHECK-DAG: %[[ALPHA:.*]] = arith.constant dense<2.500000e-01> : vector<16xf32>
// CHECK-DAG: %[[BETA:.*]] = arith.constant dense<5.000000e-01> : vector<16xf32>
// CHECK-DAG: %[[ONE:.*]] = arith.constant dense<1.000000e+00> : vector<16xf32>
// CHECK-DAG: %[[NEG_CLIP:.*]] = arith.constant dense<-3.000000e+00> : vector<16xf32>
// CHECK-DAG: %[[CLIP:.*]] = arith.constant dense<3.000000e+00> : vector<16xf32>
// CHECK-DAG: %[[ZERO:.*]] = arith.constant dense<0.000000e+00> : vector<16xf32>
// The input gate: peephole on c_{t-1}, clip, hard sigmoid.
// CHECK: %[[C_PREV:.*]] = vector.load %{{.*}} : memref<2x16xf32>, vector<16xf32>
// CHECK: %[[P_I:.*]] = vector.load %[[P]][%{{.*}}, %c0] : memref<1x64xf32>, vector<16xf32>
// CHECK: %[[I_PEEP:.*]] = math.fma %[[P_I]], %[[C_PREV]], %{{.*}}
// CHECK: %[[I_LO:.*]] = arith.minimumf %[[I_PEEP]], %[[CLIP]]
// CHECK: %[[I_CLIP:.*]] = arith.maximumf %[[I_LO]], %[[NEG_CLIP]]
// CHECK: %[[I_LIN:.*]] = math.fma %[[ALPHA]], %[[I_CLIP]], %[[BETA]]
// CHECK: %[[I_HI:.*]] = arith.minimumf %[[I_LIN]], %[[ONE]]
// CHECK: %[[I:.*]] = arith.maximumf %[[I_HI]], %[[ZERO]]
// CHECK: %[[F:.*]] = arith.subf %[[ONE]], %[[I]]
// CHECK: math.absf
// CHECK: %[[G:.*]] = arith.divf
// CHECK: %[[IG:.*]] = arith.mulf %[[I]], %[[G]]
// CHECK: %[[C:.*]] = math.fma %[[F]], %[[C_PREV]], %[[IG]]
// The output gate's peephole (third slot) reads the new cell state.
// CHECK: %[[P_O:.*]] = vector.load %[[P]][%{{.*}}, %c32]
// CHECK: math.fma %[[P_O]], %[[C]], %{{.*}}
// CHECK: %[[O:.*]] = arith.maximumf %{{.*}}, %[[ZERO]]
// CHECK: vector.store %[[C]]
// CHECK: %[[LEAKY:.*]] = arith.mulf %[[C]], %[[LEAK]]
// CHECK: %[[NONNEG:.*]] = arith.cmpf oge, %[[C]], %[[ZERO]]
// CHECK: %[[HC:.*]] = arith.select %[[NONNEG]], %[[C]], %[[LEAKY]]
// CHECK: arith.mulf %[[O]], %[[HC]]
func.func @gate_variants(%x: memref<5x2x4xf32>, %wih: memref<1x4x64xf32>, %w: memref<1x16x64xf32>,
    %p: memref<1x64xf32>, %s: memref<2x16xf32>, %o: memref<5x2x16xf32>) {
  lstm.recurrence input(%x : memref<5x2x4xf32>) weights(%wih, %w : memref<1x4x64xf32>, memref<1x16x64xf32>)
      peephole(%p : memref<1x64xf32>)
      init(%s, %s : memref<2x16xf32>, memref<2x16xf32>)
      outs(%o, %s, %s : memref<5x2x16xf32>, memref<2x16xf32>, memref<2x16xf32>)
      {activations = [#lstm.activation<hard_sigmoid, alpha = 2.500000e-01 : f32, beta = 5.000000e-01 : f32>,
                      #lstm.activation<softsign>, #lstm.activation<leaky_relu, alpha = 1.250000e-01 : f32>],
       clip = 3.0 : f32, input_forget}
  return
}

// -----

// On tensors the op is left alone, with an error: bufferize first.
func.func @tensors(%x: tensor<5x2x4xf32>, %wih: tensor<1x4x64xf32>, %w: tensor<1x16x64xf32>,
    %h0: tensor<2x16xf32>, %c0: tensor<2x16xf32>, %o: tensor<5x2x16xf32>) -> tensor<5x2x16xf32> {
  // expected-error @+1 {{lstm.recurrence must be bufferized before convert-lstm-to-vector}}
  %r:3 = lstm.recurrence input(%x : tensor<5x2x4xf32>) weights(%wih, %w : tensor<1x4x64xf32>, tensor<1x16x64xf32>)
      init(%h0, %c0 : tensor<2x16xf32>, tensor<2x16xf32>)
      outs(%o, %h0, %c0 : tensor<5x2x16xf32>, tensor<2x16xf32>, tensor<2x16xf32>)
      -> tensor<5x2x16xf32>, tensor<2x16xf32>, tensor<2x16xf32>
  return %r#0 : tensor<5x2x16xf32>
}
