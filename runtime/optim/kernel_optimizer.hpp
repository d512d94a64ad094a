#pragma once
// The one Optimizer class shell every update rule shares. A rule's header keeps only what is
// its own (options, state, the Kernel<T> template doing one pass over a flat buffer, and a
// small Rule struct naming them); KernelOptimizer<Rule> turns that into an Optimizer.
//
// Kernels are templates over float and double. Float32 parameters step through Kernel<float>;
// float64 parameters (a Lua script's float64 tensors, fidelity checks against PyTorch) step
// through a Kernel<double> created on the first float64 step. One optimizer steps one dtype:
// its state is in that precision, so the other dtype is refused rather than silently rounded.
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "runtime/error.hpp"
#include "runtime/optim/optimizer.hpp"
#include "runtime/optim/option_fields.hpp"
#include "runtime/optim/state_io.hpp"
#include "runtime/optim/step_check.hpp"

namespace regimen::optim {

/// An Optimizer over an update rule. `Rule` supplies:
///
///   static constexpr const char* kName;                 the DSL name ("adam")
///   using Options = ...;                                its options struct
///   template <typename T> using Kernel = ...;           the update over a flat buffer of T
///   static std::string describe(const Options&);        "betas={0.9, 0.999}, eps=1e-08, ..."
///   template <typename S, typename Visit>
///   static void visit_state(S&, const Options&, Visit&&);   the saved fields, in order
///
/// Options may follow a schedule (option_fields.hpp) exactly when Kernel has set_options().
template <typename Rule>
class KernelOptimizer : public Optimizer {
 public:
  using Options = typename Rule::Options;
  template <typename T>
  using Kernel = typename Rule::template Kernel<T>;
  template <typename T>
  using State = std::remove_cvref_t<decltype(std::declval<const Kernel<T>&>().state())>;

  /// Throws InvalidArgument for a bad option or a negative lr at t = 0.
  explicit KernelOptimizer(schedule::SchedulePtr lr, Options options = {})
      : Optimizer(std::move(lr)), kernel_(options) {
    check_lr_schedule(this->lr());
  }

  std::string name() const override { return Rule::kName; }
  /// "adam(lr=constant(lr=0.001), betas={0.9, 0.999}, ...)".
  std::string describe() const override {
    return std::string(Rule::kName) + "(lr=" + lr()->describe() + ", " + Rule::describe(options()) + ")";
  }
  const Options& options() const { return kernel_.options(); }
  std::optional<double> option(std::string_view name) const override {
    if constexpr (kSchedulable) return read_option(options(), name);
    return std::nullopt;
  }
  /// The float32 state (empty while the optimizer steps float64 parameters).
  const State<float>& state() const { return kernel_.state(); }
  State<float>& state() { return kernel_.state(); }
  /// Whether this optimizer steps float64 parameters.
  bool float64() const { return kernel64_.has_value(); }

 protected:
  void update(std::span<float> params, std::span<const float> grads, double lr) override {
    if (kernel64_) refuse_mix("float64", "float32");
    kernel_.apply(params, grads, lr);
  }
  void update_float64(std::span<double> params, std::span<const double> grads, double lr) override {
    if (!kernel64_) {
      if (steps() > 0) refuse_mix("float32", "float64");
      kernel64_.emplace(options());
    }
    kernel64_->apply(params, grads, lr);
  }
  bool set_option(std::string_view name, double value) override {
    if constexpr (kSchedulable) {
      if (kernel64_) write_option(*kernel64_, name, value);
      return write_option(kernel_, name, value);
    }
    return false;
  }
  void write_state(StateWriter& out) const override {
    if (kernel64_) {
      Rule::visit_state(kernel64_->state(), options(), out);
    } else {
      Rule::visit_state(kernel_.state(), options(), out);
    }
  }
  /// A float64 state (saved by an optimizer that stepped float64) makes this one step float64.
  void read_state(StateReader& in) override {
    if (in.float64()) {
      State<double> s;
      Rule::visit_state(s, options(), in);
      in.finish();
      kernel64_.emplace(options());
      kernel64_->state() = std::move(s);
      kernel_.state() = State<float>{};
    } else {
      State<float> s;
      Rule::visit_state(s, options(), in);
      in.finish();
      kernel_.state() = std::move(s);
      kernel64_.reset();
    }
  }

  Kernel<float>& kernel() { return kernel_; }
  /// The float64 kernel; nullptr until the first float64 step.
  Kernel<double>* kernel64() { return kernel64_ ? &*kernel64_ : nullptr; }
  const Kernel<double>* kernel64() const { return kernel64_ ? &*kernel64_ : nullptr; }

 private:
  static constexpr bool kSchedulable = requires(Kernel<float>& k, const Options& o) { k.set_options(o); };

  [[noreturn]] void refuse_mix(const char* has, const char* asked) const {
    throw InvalidArgument(std::string(Rule::kName) + " has stepped " + has + " parameters and cannot step " + asked +
                          " ones (use one optimizer per dtype)");
  }

  Kernel<float> kernel_;
  std::optional<Kernel<double>> kernel64_;
};

}  // namespace regimen::optim
