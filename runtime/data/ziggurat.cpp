#include "runtime/data/ziggurat.hpp"

#include <array>
#include <cmath>
#include <cstdint>

namespace regimen::data {
namespace {

constexpr int kLayers = 128;
constexpr double kTail = 3.442619855899;         // r: where the base layer's tail starts
constexpr double kArea = 9.91256303526217e-3;    // v: the area of each layer
constexpr double kScale = 2147483648.0;          // 2^31: a draw is a signed 32-bit integer

// Marsaglia & Tsang's zigset for the normal: layer i holds |x| < x_i; a draw j in layer i is
// accepted at once when |j| < k[i] (inside the layer's rectangle below the curve).
struct Tables {
  std::array<double, kLayers> k{}, w{}, f{};
  Tables() {
    double d = kTail, t = kTail;
    const double q = kArea / std::exp(-0.5 * d * d);
    k[0] = d / q * kScale;
    k[1] = 0.0;
    w[0] = q / kScale;
    w[kLayers - 1] = d / kScale;
    f[0] = 1.0;
    f[kLayers - 1] = std::exp(-0.5 * d * d);
    for (int i = kLayers - 2; i >= 1; --i) {
      d = std::sqrt(-2.0 * std::log(kArea / d + std::exp(-0.5 * d * d)));
      k[i + 1] = d / t * kScale;
      t = d;
      f[i] = std::exp(-0.5 * d * d);
      w[i] = d / kScale;
    }
  }
};

const Tables& tables() {
  static const Tables built;
  return built;
}

// A uniform in (0, 1], never 0, so that its log is finite.
double open_uniform(Random& rng) { return 1.0 - rng.uniform(); }

}  // namespace

double ziggurat_normal(Random& rng) {
  const Tables& z = tables();
  for (;;) {
    const std::uint64_t word = rng.next_u64();
    const int layer = static_cast<int>(word & (kLayers - 1));
    const auto j = static_cast<std::int32_t>(static_cast<std::uint32_t>(word >> 32));
    const double x = static_cast<double>(j) * z.w[layer];
    if (std::abs(static_cast<double>(j)) < z.k[layer]) return x;
    if (layer == 0) {
      // The tail beyond r, by Marsaglia's exponential rejection.
      double tx, ty;
      do {
        tx = -std::log(open_uniform(rng)) / kTail;
        ty = -std::log(open_uniform(rng));
      } while (ty + ty < tx * tx);
      return j > 0 ? kTail + tx : -kTail - tx;
    }
    // The wedge between the rectangle and the curve.
    if (z.f[layer] + rng.uniform() * (z.f[layer - 1] - z.f[layer]) < std::exp(-0.5 * x * x)) return x;
  }
}

}  // namespace regimen::data
