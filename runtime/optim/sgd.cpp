#include "runtime/optim/sgd.hpp"

#include "runtime/error.hpp"
#include "runtime/optim/detail.hpp"
#include "runtime/optim/state_io.hpp"
#include "runtime/optim/step_check.hpp"
#include "runtime/option_check.hpp"

namespace regimen::optim {
namespace {

using detail::ArrayMap;
using detail::ConstArrayMap;

template <typename State, typename Visit>
void visit_state(State& s, const SgdOptions& o, Visit&& f) {
  f("momentum_buffer", s.momentum_buffer, o.momentum != 0.0);
}

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
  if (options.convention == Convention::keras) {
    require(options.momentum <= 1.0, "momentum", "in [0, 1] with convention = \"keras\"", options.momentum);
    require(options.dampening == 0.0, "dampening", "0 with convention = \"keras\" (Keras' SGD has none)",
            options.dampening);
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
  auto& b = state_.momentum_buffer;

  if (options_.convention == Convention::keras) {
    if (options_.weight_decay != 0.0) p = p - p * wd * eta;
    if (options_.momentum == 0.0) {
      p -= eta * (sign * g);
      return;
    }
    if (b.size() == 0) b.setZero(n);  // the one allocation; Keras' velocity starts at zero
    b = mu * b - eta * (sign * g);
    if (options_.nesterov) {
      p += mu * b - eta * (sign * g);
    } else {
      p += b;
    }
    return;
  }

  // The effective gradient d = sign*g + wd*p is re-read inside each statement rather than
  // stored: a buffer for it would cost a pass over memory and an allocation.
  if (options_.momentum == 0.0) {
    p -= eta * (sign * g + wd * p);
    return;
  }
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
         ", dampening=" + format_number(o.dampening) + ", nesterov=" + detail::boolean(o.nesterov) +
         ", weight_decay=" + format_number(o.weight_decay) + ", maximize=" + detail::boolean(o.maximize) +
         ", convention=" + to_string(o.convention) + ")";
}

void Sgd::update(std::span<float> params, std::span<const float> grads, double lr) {
  kernel_.apply(params, grads, lr);
}

void Sgd::write_state(StateWriter& out) const { visit_state(state(), options(), out); }

void Sgd::read_state(StateReader& in) {
  SgdState<float> s;
  visit_state(s, options(), in);
  in.finish();
  kernel_.state() = std::move(s);
}

}  // namespace regimen::optim
