#include "runtime/data/synthetic.hpp"

#include <cmath>
#include <string>

#include "runtime/error.hpp"
#include "runtime/random.hpp"

namespace regimen::data {
namespace {

void validate(Index n, const std::vector<double>& w, double b, double noise) {
  const std::string where = "synthetic_linear: ";
  if (n <= 0) throw InvalidArgument(where + "n must be positive, got " + std::to_string(n));
  if (w.empty()) throw InvalidArgument(where + "w must have at least one weight");
  for (std::size_t j = 0; j < w.size(); ++j) {
    if (!std::isfinite(w[j]))
      throw InvalidArgument(where + "w[" + std::to_string(j) + "] must be finite");
  }
  if (!std::isfinite(b)) throw InvalidArgument(where + "b must be finite");
  if (!(noise >= 0.0) || !std::isfinite(noise)) {
    throw InvalidArgument(where + "noise must be >= 0, got " + std::to_string(noise));
  }
}

}  // namespace

Dataset synthetic_linear(Index n, std::vector<double> w, double b, double noise,
                         std::uint64_t seed) {
  validate(n, w, b, noise);
  const auto d = static_cast<Index>(w.size());
  auto table = std::make_shared<Table>();
  table->features.resize(n, d);
  table->targets.resize(n, 1);
  table->source = "synthetic.linear";
  Random random(seed);
  for (Index i = 0; i < n; ++i) {
    // y is summed in double from the float features, so it is exactly w·x for the stored x.
    double y = b;
    for (Index j = 0; j < d; ++j) {
      const auto x = static_cast<float>(2.0 * random.uniform() - 1.0);
      table->features(i, j) = x;
      y += w[static_cast<std::size_t>(j)] * static_cast<double>(x);
    }
    y += noise * random.normal();
    table->targets(i, 0) = static_cast<float>(y);
  }
  return Dataset(std::move(table));
}

}  // namespace regimen::data
