#pragma once
// Standard normal draws by the ziggurat method (Marsaglia & Tsang 2000, "The Ziggurat Method for
// Generating Random Variables", 128 layers), for augmentation noise: one normal per pixel.
// Random::normal() (Box-Muller) costs a log, a sqrt and a cos per draw, about 80 ns; here 99% of
// draws are one 64-bit word, a table lookup and a multiply. The layer index and the value come
// from different bits of the word, which avoids the correlation Doornik (2005) found in the
// original code, where both came from the same 32 bits.
#include "runtime/random.hpp"

namespace regimen::data {

/// A standard normal draw from `rng` (exact in distribution, tails included).
double ziggurat_normal(Random& rng);

}  // namespace regimen::data
