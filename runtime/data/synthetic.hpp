#pragma once
// Generated datasets with a known answer, for tests and for trying a recipe without files.
#include <cstdint>
#include <vector>

#include "runtime/data/dataset.hpp"

namespace regimen::data {

/// n samples of a noisy linear model: x ~ U(-1, 1) per feature, y = w·x + b + noise·N(0, 1);
/// a regression dataset (classes 0) with w.size() features and one target column. Per sample the
/// features are drawn first, then the noise (also when noise is 0), so the same seed gives the
/// same x whatever the noise level. Throws InvalidArgument unless n > 0, w is non-empty, and
/// w, b and noise are finite with noise >= 0.
Dataset synthetic_linear(Index n, std::vector<double> w, double b, double noise,
                         std::uint64_t seed);

}  // namespace regimen::data
