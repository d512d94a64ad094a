// The chunked, multi-threaded kernels (runtime/optim/detail.hpp): every element is updated
// exactly once, and a step gives the same bits whatever the thread count and wherever the
// caller's buffers sit in memory — the contract that makes a run repeatable for a given seed
// and a resumed run identical to an uninterrupted one.
#include <omp.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "runtime/optim/adadelta.hpp"
#include "runtime/optim/adagrad.hpp"
#include "runtime/optim/adam.hpp"
#include "runtime/optim/adamax.hpp"
#include "runtime/optim/adamw.hpp"
#include "runtime/optim/detail.hpp"
#include "runtime/optim/lion.hpp"
#include "runtime/optim/nadam.hpp"
#include "runtime/optim/radam.hpp"
#include "runtime/optim/rmsprop.hpp"
#include "runtime/optim/schedule_free_adamw.hpp"
#include "runtime/optim/sgd.hpp"

using namespace regimen::optim;

namespace {

// Sets omp_get_max_threads() for one scope, as --threads does for a run.
class ThreadCount {
 public:
  explicit ThreadCount(int n) : saved_(omp_get_max_threads()) { omp_set_num_threads(n); }
  ~ThreadCount() { omp_set_num_threads(saved_); }
  ThreadCount(const ThreadCount&) = delete;
  ThreadCount& operator=(const ThreadCount&) = delete;

 private:
  int saved_;
};

// Several steps of a fresh kernel over n elements placed `offset` elements into their buffers;
// returns the parameters. Values and gradients are smooth functions of the index, so that
// every element takes a different path through the update.
template <typename T>
using Steps = std::function<void(std::span<T>, std::span<const T>, double)>;
template <typename T>
using MakeSteps = std::function<Steps<T>()>;

template <typename T>
std::vector<T> run(const MakeSteps<T>& make, std::size_t n, std::size_t offset, int threads) {
  const ThreadCount scope(threads);
  const Steps<T> step = make();
  std::vector<T> p(n + offset), g(n + offset);
  for (std::size_t i = 0; i < n; ++i) p[offset + i] = static_cast<T>(std::cos(0.37 * static_cast<double>(i)));
  for (int k = 0; k < 5; ++k) {
    for (std::size_t i = 0; i < n; ++i) {
      g[offset + i] = static_cast<T>(std::sin(0.11 * static_cast<double>(i) + k) + 0.3 * p[offset + i]);
    }
    step(std::span<T>(p.data() + offset, n), std::span<const T>(g.data() + offset, n), 0.01 * (k + 1));
  }
  return {p.begin() + static_cast<std::ptrdiff_t>(offset), p.end()};
}

template <template <typename> class Kernel, typename T, typename Options>
MakeSteps<T> kernel_steps(Options options) {
  return MakeSteps<T>([options] {
    auto kernel = std::make_shared<Kernel<T>>(options);
    return Steps<T>([kernel](std::span<T> p, std::span<const T> g, double lr) { kernel->apply(p, g, lr); });
  });
}

// Every kernel with its options that touch the most buffers.
template <typename T>
std::vector<std::pair<std::string, MakeSteps<T>>> all_kernels() {
  std::vector<std::pair<std::string, MakeSteps<T>>> kernels;
  const auto add = [&](std::string name, MakeSteps<T> make) { kernels.emplace_back(std::move(name), std::move(make)); };
  SgdOptions sgd{0.9, 0.1, false, 0.01, true};
  add("sgd", kernel_steps<SgdKernel, T>(SgdOptions{}));
  add("sgd momentum", kernel_steps<SgdKernel, T>(sgd));
  sgd.dampening = 0.0;
  sgd.nesterov = true;
  add("sgd nesterov", kernel_steps<SgdKernel, T>(sgd));
  sgd.convention = Convention::keras;
  add("sgd keras", kernel_steps<SgdKernel, T>(sgd));
  add("adam", kernel_steps<AdamKernel, T>(AdamOptions{}));
  add("adam amsgrad", kernel_steps<AdamKernel, T>(AdamOptions{{0.8, 0.99}, 1e-8, 0.01, true, true}));
  AdamOptions keras = AdamOptions::keras();
  keras.amsgrad = true;
  keras.weight_decay = 0.01;
  add("adam keras", kernel_steps<AdamKernel, T>(keras));
  add("adamw", kernel_steps<AdamWKernel, T>(AdamWOptions{}));
  add("adamw amsgrad", kernel_steps<AdamWKernel, T>(AdamWOptions{{0.9, 0.999}, 1e-8, 0.1, true, false}));
  add("rmsprop", kernel_steps<RmspropKernel, T>(RmspropOptions{0.9, 1e-8, 0.01, 0.5, true, false}));
  RmspropOptions rmsprop_keras = RmspropOptions::keras();
  rmsprop_keras.centered = true;
  rmsprop_keras.momentum = 0.5;
  add("rmsprop keras", kernel_steps<RmspropKernel, T>(rmsprop_keras));
  add("adagrad", kernel_steps<AdagradKernel, T>(AdagradOptions{0.1, 0.01, 0.5, 1e-10, false}));
  add("adadelta", kernel_steps<AdadeltaKernel, T>(AdadeltaOptions{}));
  add("adamax", kernel_steps<AdamaxKernel, T>(AdamaxOptions{}));
  add("nadam", kernel_steps<NadamKernel, T>(NadamOptions{}));
  add("radam", kernel_steps<RadamKernel, T>(RadamOptions{}));
  add("lion", kernel_steps<LionKernel, T>(LionOptions{{0.9, 0.99}, 0.1}));
  ScheduleFreeAdamWOptions schedule_free;
  schedule_free.warmup_steps = 2;
  schedule_free.weight_decay = 0.01;
  add("schedule_free_adamw", kernel_steps<ScheduleFreeAdamWKernel, T>(schedule_free));
  return kernels;
}

template <typename T>
bool bitwise_equal(const std::vector<T>& a, const std::vector<T>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(T)) == 0;
}

// Enough elements for many chunks (so two threads share the work), and not a multiple of any
// SIMD width, so that a loop's remainder is exercised too.
template <typename T>
constexpr std::size_t kSize = 12 * detail::kChunk<T> + 45;

}  // namespace

TEST_CASE("Optimizer kernels: for_each_chunk visits every element exactly once", "[optim]") {
  const ThreadCount scope(2);
  const auto chunk = static_cast<std::size_t>(detail::kChunk<float>);
  for (const std::size_t n : {std::size_t{0}, std::size_t{1}, chunk - 1, chunk, chunk + 1, 9 * chunk + 7}) {
    INFO("n = " << n);
    std::vector<int> visits(n, 0);
    std::vector<float> data(n, 0.0f);
    detail::for_each_chunk<float>(
        static_cast<Eigen::Index>(n),
        [&](Eigen::Index size, float* __restrict d) {
          for (Eigen::Index i = 0; i < size; ++i) ++visits[static_cast<std::size_t>(d + i - data.data())];
        },
        data.data());
    CHECK(std::count(visits.begin(), visits.end(), 1) == static_cast<std::ptrdiff_t>(n));
  }
}

TEST_CASE("Optimizer kernels: two threads give the same bits as one (float32)", "[optim]") {
  for (const auto& [name, make] : all_kernels<float>()) {
    INFO(name);
    CHECK(bitwise_equal(run<float>(make, kSize<float>, 0, 1), run<float>(make, kSize<float>, 0, 2)));
  }
}

TEST_CASE("Optimizer kernels: two threads give the same bits as one (float64)", "[optim]") {
  for (const auto& [name, make] : all_kernels<double>()) {
    INFO(name);
    CHECK(bitwise_equal(run<double>(make, kSize<double>, 0, 1), run<double>(make, kSize<double>, 0, 2)));
  }
}

TEST_CASE("Optimizer kernels: the result does not depend on where the buffers start", "[optim]") {
  // An element must not be computed differently for sitting before the first aligned SIMD
  // packet: a resumed run's buffers are fresh allocations at other addresses.
  for (const auto& [name, make] : all_kernels<float>()) {
    INFO(name);
    const std::vector<float> aligned = run<float>(make, kSize<float>, 0, 2);
    for (const std::size_t offset : {1, 2, 3}) {
      INFO("offset " << offset);
      CHECK(bitwise_equal(aligned, run<float>(make, kSize<float>, offset, 2)));
    }
  }
  for (const auto& [name, make] : all_kernels<double>()) {
    INFO(name << " (float64)");
    CHECK(bitwise_equal(run<double>(make, kSize<double>, 0, 1), run<double>(make, kSize<double>, 3, 1)));
  }
}
