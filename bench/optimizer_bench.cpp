// optimizer_bench: how close one optimizer step comes to the machine's memory bandwidth.
//
// An optimizer step over a large model is pure memory traffic: a few flops per element, and
// every element of params, grads and the state buffers crosses the memory bus once (the
// kernels are single-pass, runtime/optim/detail.hpp). So the yardstick is a STREAM triad,
// a[i] = b[i] + s * c[i], timed in the same run over buffers of the same size. For each thread
// count the bench prints every kernel's effective bandwidth,
//
//   bytes moved per step / time per step,
//
// counting each read and each write of a buffer once (the triad: 2 reads + 1 write, as STREAM
// counts it), and that bandwidth as a fraction of the triad's. Every buffer is allocated and
// touched before timing, and the pages faulted in during timed steps are counted: a step that
// allocated a temporary would show thousands.
//
//   optimizer_bench [--size N] [--steps N] [--reps N] [--threads 1,2]
//
// Each repetition times `steps` consecutive steps of the triad and of each optimizer in turn
// (interleaved, so that a burst of load elsewhere on the machine hits all of them alike); the
// table shows the median over repetitions, and the best.
#include <omp.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <memory>
#include <random>
#include <span>
#include <string>
#include <vector>

#include "runtime/optim/adam.hpp"
#include "runtime/optim/adamw.hpp"
#include "runtime/optim/sgd.hpp"
#include "runtime/schedule/constant.hpp"

namespace {

using Clock = std::chrono::steady_clock;

struct Settings {
  std::size_t size = std::size_t{1} << 24;  // 16M parameters, 64 MiB per buffer
  int steps = 10;
  int reps = 9;
  std::vector<int> threads{1, 2};
};

[[noreturn]] void usage(const char* problem) {
  std::fprintf(stderr, "optimizer_bench: %s\nusage: optimizer_bench [--size N] [--steps N] [--reps N] [--threads 1,2]\n",
               problem);
  std::exit(2);
}

long positive(const char* text) {
  char* end = nullptr;
  const long value = std::strtol(text, &end, 10);
  if (end == text || *end != '\0' || value <= 0) usage("expected a positive integer");
  return value;
}

Settings parse(int argc, char** argv) {
  Settings s;
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    if (i + 1 >= argc) usage(("missing value after " + flag).c_str());
    const char* value = argv[++i];
    if (flag == "--size") {
      s.size = static_cast<std::size_t>(positive(value));
    } else if (flag == "--steps") {
      s.steps = static_cast<int>(positive(value));
    } else if (flag == "--reps") {
      s.reps = static_cast<int>(positive(value));
    } else if (flag == "--threads") {
      s.threads.clear();
      std::string list = value;
      for (std::size_t at = 0; at <= list.size();) {
        const std::size_t comma = std::min(list.find(',', at), list.size());
        s.threads.push_back(static_cast<int>(positive(list.substr(at, comma - at).c_str())));
        at = comma + 1;
      }
    } else {
      usage(("unknown option " + flag).c_str());
    }
  }
  return s;
}

// STREAM's triad, split over the threads as the kernels split their chunks (static, contiguous).
void triad(float* __restrict a, const float* __restrict b, const float* __restrict c, float s, std::size_t n) {
  const auto count = static_cast<std::ptrdiff_t>(n);
#pragma omp parallel for schedule(static)
  for (std::ptrdiff_t i = 0; i < count; ++i) a[i] = b[i] + s * c[i];
}

long minor_faults() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_minflt;
}

std::string load_average() {
  std::ifstream in("/proc/loadavg");
  std::string one, five, fifteen;
  in >> one >> five >> fifteen;
  return in ? one + " " + five + " " + fifteen : "unknown";
}

std::string cpu_model() {
  std::ifstream in("/proc/cpuinfo");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("model name", 0) == 0) return line.substr(line.find(':') + 2);
  }
  return "unknown";
}

// One row of the table: a step to time and the bytes it moves.
struct Kernel {
  std::string name;
  double bytes_per_step;
  std::function<void()> step;
  std::vector<double> seconds_per_step;  // one per repetition
  long faults = 0;                       // pages faulted in during the timed steps
};

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t mid = v.size() / 2;
  return v.size() % 2 == 1 ? v[mid] : 0.5 * (v[mid - 1] + v[mid]);
}

}  // namespace

int main(int argc, char** argv) {
  const Settings settings = parse(argc, argv);
  const std::size_t n = settings.size;
  const double buffer_bytes = static_cast<double>(n) * sizeof(float);

  // Every buffer is allocated once, here, and written before the first timed step.
  std::vector<float> params(n), grads(n), scratch(n);
  std::mt19937 rng(42);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  for (std::size_t i = 0; i < n; ++i) {
    params[i] = normal(rng);
    grads[i] = 0.01f * normal(rng);
  }
  using regimen::schedule::constant;
  regimen::optim::SgdOptions sgd_options;
  sgd_options.momentum = 0.9;
  regimen::optim::Sgd sgd(constant(1e-3), sgd_options);
  regimen::optim::Adam adam(constant(1e-3));
  regimen::optim::AdamW adamw(constant(1e-3));
  const std::span<float> p(params);
  const std::span<const float> g(grads);

  std::vector<Kernel> kernels;
  kernels.push_back({"triad", 3 * buffer_bytes, [&] { triad(scratch.data(), params.data(), grads.data(), 0.5f, n); }, {}});
  // params read and written, grads read, the momentum buffer read and written.
  kernels.push_back({"sgd (momentum 0.9)", 5 * buffer_bytes, [&] { sgd.step(p, g); }, {}});
  // params read and written, grads read, m and v each read and written.
  kernels.push_back({"adam", 7 * buffer_bytes, [&] { adam.step(p, g); }, {}});
  kernels.push_back({"adamw", 7 * buffer_bytes, [&] { adamw.step(p, g); }, {}});

  std::printf("optimizer_bench: %zu float parameters (%.0f MiB per buffer), %d steps x %d repetitions\n", n,
              buffer_bytes / (1 << 20), settings.steps, settings.reps);
  std::printf("cpu: %s, %u logical cpus; load average at start: %s\n", cpu_model().c_str(),
              static_cast<unsigned>(omp_get_num_procs()), load_average().c_str());
  std::printf("\n%7s  %-18s %9s %10s %9s %8s %9s %12s\n", "threads", "kernel", "MB/step", "ms/step", "best ms", "GB/s",
              "/ triad", "faults/step");

  for (const int threads : settings.threads) {
    omp_set_num_threads(threads);
    // Warm-up: the first steps allocate the optimizers' state and fault in its pages, and wake
    // the OpenMP threads.
    for (Kernel& k : kernels) {
      k.seconds_per_step.clear();
      k.faults = 0;
      for (int i = 0; i < 3; ++i) k.step();
    }
    for (int rep = 0; rep < settings.reps; ++rep) {
      for (Kernel& k : kernels) {
        const long faults_before = minor_faults();
        const auto start = Clock::now();
        for (int i = 0; i < settings.steps; ++i) k.step();
        const std::chrono::duration<double> elapsed = Clock::now() - start;
        k.faults += minor_faults() - faults_before;
        k.seconds_per_step.push_back(elapsed.count() / settings.steps);
      }
    }
    const double triad_bandwidth = kernels.front().bytes_per_step / median(kernels.front().seconds_per_step);
    for (const Kernel& k : kernels) {
      const double seconds = median(k.seconds_per_step);
      const double best = *std::min_element(k.seconds_per_step.begin(), k.seconds_per_step.end());
      const double bandwidth = k.bytes_per_step / seconds;
      const double faults = static_cast<double>(k.faults) / (settings.reps * settings.steps);
      std::printf("%7d  %-18s %9.1f %10.3f %9.3f %8.2f %9.2f %12.2f\n", threads, k.name.c_str(), k.bytes_per_step / 1e6,
                  seconds * 1e3, best * 1e3, bandwidth / 1e9, bandwidth / triad_bandwidth, faults);
    }
  }
  std::printf("\nms/step and GB/s: medians over repetitions. / triad: a kernel's GB/s over the triad's at the same\n"
              "thread count (the triad writes a buffer it does not read, so each of its stores first reads the\n"
              "line: 4 transfers where STREAM counts 3). faults/step: pages faulted in per timed step; a step\n"
              "that allocated a fresh buffer of this size would fault in %.0f.\n"
              "load average at end: %s\n",
              buffer_bytes / 4096, load_average().c_str());
  // Keep the results observable, so that no step can be optimized away.
  volatile float sink = params[n / 2] + scratch[n / 3];
  (void)sink;
  return 0;
}
