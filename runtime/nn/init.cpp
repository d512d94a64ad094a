#include "runtime/nn/init.hpp"

#include <cmath>
#include <stdexcept>
#include <string>

#include "runtime/error.hpp"

namespace regimen::nn {
namespace {

// Keras' RandomNormal default.
constexpr double kNormalStd = 0.05;

// Half-width of a uniform initializer; both variants keep Var(W) = limit^2 / 3.
double uniform_limit(Init init, Index fan_in, Index fan_out) {
  if (init == Init::kHe) return std::sqrt(6.0 / static_cast<double>(fan_in));
  return std::sqrt(6.0 / static_cast<double>(fan_in + fan_out));
}

}  // namespace

std::string_view init_name(Init init) {
  switch (init) {
    case Init::kHe:
      return "he";
    case Init::kXavier:
      return "xavier";
    case Init::kNormal:
      return "normal";
    case Init::kZeros:
      return "zeros";
  }
  throw std::logic_error("nn: unknown Init");
}

Init parse_init(std::string_view name, std::string_view layer) {
  if (name == "he") return Init::kHe;
  if (name == "xavier") return Init::kXavier;
  if (name == "normal") return Init::kNormal;
  if (name == "zeros") return Init::kZeros;
  throw InvalidArgument(std::string(layer) + ": unknown init '" + std::string(name) +
                        "' (expected 'he', 'xavier', 'normal' or 'zeros')");
}

void draw_weights(Init init, Index fan_in, Index fan_out, MatrixMap weights, Random& rng) {
  switch (init) {
    case Init::kZeros:
      weights.setZero();
      return;
    case Init::kNormal:
      for (Index i = 0; i < weights.rows(); ++i) {
        for (Index j = 0; j < weights.cols(); ++j) weights(i, j) = static_cast<float>(kNormalStd * rng.normal());
      }
      return;
    case Init::kHe:
    case Init::kXavier: {
      const double limit = uniform_limit(init, fan_in, fan_out);
      for (Index i = 0; i < weights.rows(); ++i) {
        for (Index j = 0; j < weights.cols(); ++j) {
          weights(i, j) = static_cast<float>(limit * (2.0 * rng.uniform() - 1.0));
        }
      }
      return;
    }
  }
}

}  // namespace regimen::nn
