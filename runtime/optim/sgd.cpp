#include "runtime/optim/sgd.hpp"

#include "runtime/error.hpp"
#include "runtime/optim/step_check.hpp"
#include "runtime/option_check.hpp"

namespace regimen::optim {
namespace {

// Caller memory (an arena slice, a host buffer, a Lua tensor) has no alignment we can count on;
// unaligned packet loads cost next to nothing on the CPUs -march=native targets.
template <typename T>
using ArrayMap = Eigen::Map<Eigen::Array<T, Eigen::Dynamic, 1>, Eigen::Unaligned>;
template <typename T>
using ConstArrayMap = Eigen::Map<const Eigen::Array<T, Eigen::Dynamic, 1>, Eigen::Unaligned>;

const char* boolean(bool b) { return b ? "true" : "false"; }

}  // namespace

void validate(const SgdOptions& options) {
  require_non_negative("momentum", options.momentum);
  require_finite("dampening", options.dampening);
  require_non_negative("weight_decay", options.weight_decay);
  // PyTorch's rule: Nesterov's look-ahead is defined for undamped momentum only.
  if (options.nesterov && (options.momentum <= 0.0 || options.dampening != 0.0)) {
    throw InvalidArgument("nesterov requires momentum > 0 and dampening == 0, got momentum=" +
                          format_number(options.momentum) +
                          ", dampening=" + format_number(options.dampening));
  }
}

template <typename T>
SgdKernel<T>::SgdKernel(SgdOptions options) : options_(options) {
  validate(options_);
}

template <typename T>
void SgdKernel<T>::apply(std::span<T> params, std::span<const T> grads, double lr) {
  check_step(params.size(), grads.size(), static_cast<std::size_t>(state_.momentum_buffer.size()), lr);
  const auto n = static_cast<Eigen::Index>(params.size());
  ArrayMap<T> p(params.data(), n);
  ConstArrayMap<T> g(grads.data(), n);
  const T sign = options_.maximize ? T(-1) : T(1);
  const T wd = static_cast<T>(options_.weight_decay);
  const T mu = static_cast<T>(options_.momentum);
  const T eta = static_cast<T>(lr);

  // The effective gradient d = sign*g + wd*p is re-read inside each statement rather than
  // stored: a buffer for it would cost a pass over memory and an allocation.
  if (options_.momentum == 0.0) {
    p -= eta * (sign * g + wd * p);
    return;
  }
  auto& b = state_.momentum_buffer;
  if (b.size() == 0) {
    b = sign * g + wd * p;  // the one allocation: PyTorch's first step clones d, undamped
  } else {
    b = mu * b + static_cast<T>(1.0 - options_.dampening) * (sign * g + wd * p);
  }
  if (options_.nesterov) {
    p -= eta * ((sign * g + wd * p) + mu * b);
  } else {
    p -= eta * b;
  }
}

template class SgdKernel<float>;
template class SgdKernel<double>;

Sgd::Sgd(schedule::SchedulePtr lr, SgdOptions options)
    : Optimizer(std::move(lr)), kernel_(options) {
  check_lr_schedule(this->lr());
}

std::string Sgd::describe() const {
  const SgdOptions& o = options();
  return "sgd(lr=" + lr()->describe() + ", momentum=" + format_number(o.momentum) +
         ", dampening=" + format_number(o.dampening) + ", nesterov=" + boolean(o.nesterov) +
         ", weight_decay=" + format_number(o.weight_decay) +
         ", maximize=" + boolean(o.maximize) + ")";
}

void Sgd::update(std::span<float> params, std::span<const float> grads, double lr) {
  kernel_.apply(params, grads, lr);
}

}  // namespace regimen::optim
