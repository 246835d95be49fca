// Times an ONNX model in ONNX Runtime (npm onnxruntime-node) on the CPU:
//   node bench_ort.js MODEL.onnx INPUT_NAME DIMS(comma-separated) RUNS THREADS
// Prints one line: median_ms=<x>. The input is float32, filled like
// lstm-run's inputs are by bench_whole_models.py (a sine), which does not
// matter for timing.
const ort = require('onnxruntime-node');

async function main() {
  const [model, name, dimsText, runsText, threadsText] = process.argv.slice(2);
  const dims = dimsText.split(',').map(Number);
  const runs = Number(runsText);
  const session = await ort.InferenceSession.create(model, {
    intraOpNumThreads: Number(threadsText),
    interOpNumThreads: 1,
    executionProviders: ['cpu'],
    graphOptimizationLevel: 'all',
  });
  const count = dims.reduce((a, b) => a * b, 1);
  const data = new Float32Array(count);
  for (let i = 0; i < count; ++i)
    data[i] = Math.sin(0.1 * i);
  const feeds = {[name]: new ort.Tensor('float32', data, dims)};
  await session.run(feeds); // warm-up
  const times = [];
  for (let i = 0; i < runs; ++i) {
    const start = process.hrtime.bigint();
    await session.run(feeds);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  console.log(`median_ms=${times[Math.floor(runs / 2)]}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
