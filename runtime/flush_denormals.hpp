#pragma once
// Denormal floats (|x| < 1.2e-38) take a slow microcode path on x86: an L2 penalty that shrinks
// the weights of always-black pixels towards zero, or Adam's second moments of gradients that
// vanish, fill buffers with them, and a run's epochs grew from 1 s to 9 s. Training therefore
// flushes them to zero (MXCSR's FTZ and DAZ bits), as TensorFlow's CPU thread pools do; it
// changes a result only where a value would be below 1.2e-38. Scoped to a training run, on the
// calling thread and every OpenMP thread, and restored afterwards, so nothing else (the
// optimizer kernels checked against PyTorch, a host's own code) sees it.
#if defined(__SSE__)
#include <xmmintrin.h>
#endif
#include <omp.h>

namespace regimen {

/// Flushes denormals to zero on this thread and the OpenMP threads while alive.
class ScopedFlushDenormals {
 public:
  ScopedFlushDenormals() {
#if defined(__SSE__)
    saved_ = _mm_getcsr();
    set_everywhere(saved_ | kFlushBits);
#endif
  }
  ~ScopedFlushDenormals() {
#if defined(__SSE__)
    set_everywhere(saved_);
#endif
  }
  ScopedFlushDenormals(const ScopedFlushDenormals&) = delete;
  ScopedFlushDenormals& operator=(const ScopedFlushDenormals&) = delete;

 private:
#if defined(__SSE__)
  static constexpr unsigned kFlushBits = 0x8040;  // FTZ (bit 15) | DAZ (bit 6)

  static void set_everywhere(unsigned csr) {
    _mm_setcsr(csr);
#pragma omp parallel
    _mm_setcsr(csr);
  }

  unsigned saved_ = 0;
#endif
};

}  // namespace regimen
