//===- bench_dnnl.cpp - Time oneDNN's LSTM and sgemm ------------*- C++ -*-===//
//
//   lstm-bench-dnnl lstm H I B T RUNS [--layers L --bidirectional --proj P]
//   lstm-bench-dnnl sgemm M K N RUNS
//
// Times oneDNN's LSTM forward-inference primitive (weights reordered once,
// outside the timing, into the layout the primitive prefers) or dnnl_sgemm,
// after one warm-up run, and prints one time in milliseconds per line. The
// thread count is OMP_NUM_THREADS.
//
//===----------------------------------------------------------------------===//

#include <oneapi/dnnl/dnnl.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <random>
#include <string>
#include <vector>

using namespace dnnl;
using tag = memory::format_tag;
using dt = memory::data_type;

namespace {
void fill(memory &m, std::mt19937 &rng, float scale) {
  std::uniform_real_distribution<float> dist(-scale, scale);
  size_t count = m.get_desc().get_size() / sizeof(float);
  float *data = static_cast<float *>(m.get_data_handle());
  for (size_t i = 0; i < count; ++i)
    data[i] = dist(rng);
}

void timeRuns(int runs, const std::function<void()> &body) {
  body(); // warm-up
  for (int i = 0; i < runs; ++i) {
    auto start = std::chrono::steady_clock::now();
    body();
    std::chrono::duration<double, std::milli> ms =
        std::chrono::steady_clock::now() - start;
    std::printf("%.6f\n", ms.count());
  }
}

int benchLSTM(int argc, char **argv) {
  memory::dim H = std::atol(argv[2]), I = std::atol(argv[3]),
              N = std::atol(argv[4]), T = std::atol(argv[5]);
  int runs = std::atoi(argv[6]);
  memory::dim L = 1, D = 1, P = 0;
  for (int i = 7; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--layers"))
      L = std::atol(argv[++i]);
    else if (!std::strcmp(argv[i], "--bidirectional"))
      D = 2;
    else if (!std::strcmp(argv[i], "--proj"))
      P = std::atol(argv[++i]);
  }
  // oneDNN runs all layers of one primitive with the same width, so this
  // times the common case, I == D * H_out for every layer but the first.
  memory::dim Hout = P ? P : H;
  if (L > 1 && I != D * Hout) {
    std::fprintf(stderr, "multi-layer oneDNN LSTMs need I == D * H_out\n");
    return 2;
  }
  engine eng(engine::kind::cpu, 0);
  stream s(eng);
  auto direction = D == 2 ? rnn_direction::bidirectional_concat
                          : rnn_direction::unidirectional_left2right;
  memory::desc srcLayer({T, N, I}, dt::f32, tag::tnc);
  memory::desc srcIter({L, D, N, Hout}, dt::f32, tag::ldnc);
  memory::desc srcIterC({L, D, N, H}, dt::f32, tag::ldnc);
  memory::desc weightsLayerAny({L, D, I, 4, H}, dt::f32, tag::any);
  memory::desc weightsIterAny({L, D, Hout, 4, H}, dt::f32, tag::any);
  memory::desc weightsProjAny =
      P ? memory::desc({L, D, H, P}, dt::f32, tag::any) : memory::desc();
  memory::desc bias({L, D, 4, H}, dt::f32, tag::ldgo);
  memory::desc dstLayer({T, N, D * Hout}, dt::f32, tag::tnc);
  memory::desc dstIter({L, D, N, Hout}, dt::f32, tag::ldnc);
  memory::desc dstIterC({L, D, N, H}, dt::f32, tag::ldnc);
  lstm_forward::desc desc(prop_kind::forward_inference, direction, srcLayer,
                          srcIter, srcIterC, weightsLayerAny, weightsIterAny,
                          memory::desc(), weightsProjAny, bias, dstLayer,
                          dstIter, dstIterC);
  lstm_forward::primitive_desc pd(desc, eng);

  std::mt19937 rng(0);
  auto make = [&](const memory::desc &d, float scale) {
    memory m(d, eng);
    fill(m, rng, scale);
    return m;
  };
  // Weights in PyTorch-like plain layouts, reordered once to the primitive's.
  auto reordered = [&](memory::desc plain, memory::desc wanted) {
    memory src = make(plain, 0.05f);
    memory dst(wanted, eng);
    reorder(src, dst).execute(s, src, dst);
    return dst;
  };
  memory weightsLayer = reordered(
      memory::desc({L, D, I, 4, H}, dt::f32, tag::ldigo),
      pd.weights_layer_desc());
  memory weightsIter = reordered(
      memory::desc({L, D, Hout, 4, H}, dt::f32, tag::ldigo),
      pd.weights_iter_desc());
  std::unordered_map<int, memory> args = {
      {DNNL_ARG_SRC_LAYER, make(srcLayer, 1.0f)},
      {DNNL_ARG_SRC_ITER, make(srcIter, 1.0f)},
      {DNNL_ARG_SRC_ITER_C, make(srcIterC, 1.0f)},
      {DNNL_ARG_WEIGHTS_LAYER, weightsLayer},
      {DNNL_ARG_WEIGHTS_ITER, weightsIter},
      {DNNL_ARG_BIAS, make(bias, 0.05f)},
      {DNNL_ARG_DST_LAYER, memory(dstLayer, eng)},
      {DNNL_ARG_DST_ITER, memory(dstIter, eng)},
      {DNNL_ARG_DST_ITER_C, memory(dstIterC, eng)},
      {DNNL_ARG_SCRATCHPAD, memory(pd.scratchpad_desc(), eng)}};
  if (P)
    args[DNNL_ARG_WEIGHTS_PROJECTION] = reordered(
        memory::desc({L, D, H, P}, dt::f32, tag::ldio),
        pd.weights_projection_desc());
  if (pd.workspace_desc().get_size())
    args[DNNL_ARG_WORKSPACE] = memory(pd.workspace_desc(), eng);
  lstm_forward primitive(pd);
  timeRuns(runs, [&] {
    primitive.execute(s, args);
    s.wait();
  });
  return 0;
}

int benchSgemm(char **argv) {
  dnnl_dim_t M = std::atol(argv[2]), K = std::atol(argv[3]),
             N = std::atol(argv[4]);
  int runs = std::atoi(argv[5]);
  std::vector<float> a(M * K, 0.5f), b(K * N, 0.25f), c(M * N);
  timeRuns(runs, [&] {
    dnnl_sgemm('N', 'N', M, N, K, 1.0f, a.data(), K, b.data(), N, 0.0f,
               c.data(), N);
  });
  return 0;
}
} // namespace

int main(int argc, char **argv) {
  if (argc >= 7 && !std::strcmp(argv[1], "lstm"))
    return benchLSTM(argc, argv);
  if (argc == 6 && !std::strcmp(argv[1], "sgemm"))
    return benchSgemm(argv);
  std::fprintf(stderr,
               "usage: lstm-bench-dnnl lstm H I B T RUNS [--layers L] "
               "[--bidirectional] [--proj P]\n"
               "       lstm-bench-dnnl sgemm M K N RUNS\n");
  return 2;
}
