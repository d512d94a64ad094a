#pragma once
// Helpers every update rule's .cpp shares: the chunked parallel loop every kernel runs, and
// describe() pieces. Internal to runtime/optim; not part of the public API.
#include <omp.h>

#include <algorithm>
#include <array>
#include <string>
#include <type_traits>

#include <Eigen/Core>

#include "runtime/option_check.hpp"

namespace regimen::optim::detail {

// Every kernel is one loop over its buffers: each element's whole update (m, v, then p) is
// computed at once by the same scalar code, which the compiler vectorizes (-fno-math-errno
// gives exact packet sqrt and division). So every buffer crosses the memory bus once per step;
// one Eigen array statement per buffer is one pass per statement, and over a buffer larger
// than the cache Adam read g and p from memory three times. And since an element's result
// cannot depend on where it falls (vector body or scalar remainder; the build disables FMA
// contraction), it depends neither on the thread count nor on the buffers' addresses.

// The unit of work split over threads: 16 KB of each buffer.
template <typename T>
inline constexpr Eigen::Index kChunk = 16384 / sizeof(T);

// Below this many chunks a buffer is updated on the calling thread: waking a second thread
// costs a few microseconds, as much as updating a few chunks.
inline constexpr Eigen::Index kMinParallelChunks = 8;

// buffer + offset, or nullptr for a buffer the update does not use (an empty state array).
template <typename B>
B* offset(B* buffer, Eigen::Index by) {
  return buffer == nullptr ? nullptr : buffer + by;
}

/// Cuts [0, n) into consecutive chunks of kChunk<T> elements (the last may be shorter) and calls
/// body(size, buffers + begin...) for each, split statically over omp_get_max_threads()
/// threads (what --threads sets), each thread taking at least kMinParallelChunks / 2 chunks.
/// The body takes its buffers as `T* __restrict` parameters: then the compiler knows a store
/// to one cannot change another or a captured scalar, and vectorizes the loop without
/// run-time overlap checks. Every element is computed by the same code whichever thread runs
/// its chunk, so the result does not depend on the thread count. The body must not throw (an
/// exception cannot leave an OpenMP region) nor allocate.
template <typename T, typename Body, typename... B>
void for_each_chunk(Eigen::Index n, Body&& body, B*... buffers) {
  const Eigen::Index chunks = (n + kChunk<T> - 1) / kChunk<T>;
  const auto run = [&](Eigen::Index c) {
    const Eigen::Index begin = c * kChunk<T>;
    body(std::min(kChunk<T>, n - begin), offset(buffers, begin)...);
  };
  const Eigen::Index most = chunks < kMinParallelChunks || omp_in_parallel() ? 1 : chunks / (kMinParallelChunks / 2);
  const int threads = static_cast<int>(std::min<Eigen::Index>(omp_get_max_threads(), most));
  if (threads <= 1) {
    for (Eigen::Index c = 0; c < chunks; ++c) run(c);
    return;
  }
#pragma omp parallel for schedule(static) num_threads(threads)
  for (Eigen::Index c = 0; c < chunks; ++c) run(c);
}

/// Calls f(flags...) with each run-time bool turned into std::true_type or std::false_type, so
/// that the loop in f tests them with `if constexpr` and compiles to one branch-free loop per
/// combination. (A loop that tests a run-time flag, say whether to touch vmax, vectorizes only
/// if the compiler manages to hoist the test out of it, which GCC 12 often does not.)
template <typename F>
void with_flags(F&& f) {
  f();
}
template <typename F, typename... Rest>
void with_flags(F&& f, bool flag, Rest... rest) {
  if (flag) {
    with_flags([&](auto... more) { f(std::true_type{}, more...); }, rest...);
  } else {
    with_flags([&](auto... more) { f(std::false_type{}, more...); }, rest...);
  }
}

inline const char* boolean(bool b) { return b ? "true" : "false"; }

/// "{0.9, 0.999}", as a recipe writes betas.
inline std::string pair(const std::array<double, 2>& values) {
  // Appended piecewise: GCC 12's -Wrestrict misfires on "{" + std::string.
  std::string text(1, '{');
  text.append(format_number(values[0])).append(", ").append(format_number(values[1])).append("}");
  return text;
}

/// Both betas in [0, 1), named as a Lua recipe indexes them: "betas[2] must be in [0, 1), got 1".
inline void require_betas(const std::array<double, 2>& betas) {
  require_unit_interval("betas[1]", betas[0]);
  require_unit_interval("betas[2]", betas[1]);
}

}  // namespace regimen::optim::detail
