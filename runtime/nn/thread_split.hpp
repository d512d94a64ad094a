#pragma once
// Splits a layer's products over threads ourselves instead of letting Eigen do it.
//
// Eigen's own parallel GEMM shares packed blocks between its threads and makes them wait for
// one another in busy loops several times per product. On a machine with more runnable
// threads than cores (a laptop, a CI box, a shared server) a waiting thread spins through the
// whole time slice of the thread it waits for: an epoch that takes 1 s on one thread took
// 5-30 s on two. Here each thread computes its own contiguous share of the result with a
// serial Eigen product (Eigen runs serially inside a parallel region), so threads meet only
// once, at the region's end. The shares depend on the thread count alone, so a run is
// bit-for-bit repeatable for a given thread count.
#include <omp.h>

#include <Eigen/Core>
#include <algorithm>

#include "runtime/tensor.hpp"

namespace regimen::nn {

/// A contiguous range [begin, begin + size) of some items.
struct Share {
  Index begin = 0;
  Index size = 0;
};

/// Part `part` of `parts` near-equal contiguous shares of n items (earlier parts never larger).
inline Share share_of(Index n, int part, int parts) {
  const Index begin = n * part / parts;
  return {begin, n * (part + 1) / parts - begin};
}

/// How many threads to split `rows` over: Eigen's thread budget (Eigen::setNbThreads, else
/// OpenMP's), as long as each thread gets at least `min_rows` rows. Even a small product is
/// split when there is more than one thread: outside a parallel region Eigen would split it
/// itself, the costly way.
inline int split_threads(Index rows, Index min_rows = 16) {
  const Index by_rows = rows / std::max<Index>(min_rows, 1);
  return static_cast<int>(std::max<Index>(1, std::min<Index>(Eigen::nbThreads(), by_rows)));
}

/// Calls body(part, parts) for part = 0..parts-1, on `parts` threads when parts > 1. The body
/// must not throw (an exception cannot leave an OpenMP region): check arguments first.
template <typename Body>
void run_split(int parts, Body&& body) {
  if (parts <= 1) {
    body(0, 1);
    return;
  }
#pragma omp parallel num_threads(parts)
  {
    // The runtime may grant fewer threads than asked; the shares follow what it granted.
    body(omp_get_thread_num(), omp_get_num_threads());
  }
}

}  // namespace regimen::nn
