#pragma once
// The options a schedule may drive besides lr, found by the name a recipe gives them:
// "momentum", "betas[1]", "betas[2]" (counted from 1, as Lua indexes betas), "weight_decay".
// An optimizer opts in with three lines (see Sgd): its kernel's set_options(), and
//
//   std::optional<double> option(std::string_view n) const override { return read_option(options(), n); }
//   bool set_option(std::string_view n, double v) override { return write_option(kernel_, n, v); }
//
// Options that change the shape of the state (amsgrad) or only make sense fixed (eps) stay numbers.
#include <optional>
#include <string_view>

namespace regimen::optim {

/// The field of `o` named `name`, or nullptr when the options have no such schedulable field.
template <typename Options>
double* option_field(Options& o, std::string_view name) {
  if constexpr (requires { o.momentum; })
    if (name == "momentum") return &o.momentum;
  if constexpr (requires { o.betas[1]; }) {
    if (name == "betas[1]") return &o.betas[0];
    if (name == "betas[2]") return &o.betas[1];
  }
  if constexpr (requires { o.weight_decay; })
    if (name == "weight_decay") return &o.weight_decay;
  return nullptr;
}

/// The value of option `name` in `options`, nullopt for a name that is not schedulable there.
template <typename Options>
std::optional<double> read_option(Options options, std::string_view name) {
  if (const double* field = option_field(options, name)) return *field;
  return std::nullopt;
}

/// Sets option `name` of `kernel` to `value` through kernel.set_options() (which validates);
/// false for a name that is not schedulable there.
template <typename Kernel>
bool write_option(Kernel& kernel, std::string_view name, double value) {
  auto options = kernel.options();
  double* field = option_field(options, name);
  if (!field) return false;
  *field = value;
  kernel.set_options(options);
  return true;
}

}  // namespace regimen::optim
