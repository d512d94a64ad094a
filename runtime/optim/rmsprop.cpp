#include "runtime/optim/rmsprop.hpp"

#include "runtime/optim/detail.hpp"
#include "runtime/optim/state_io.hpp"
#include "runtime/optim/step_check.hpp"
#include "runtime/option_check.hpp"

namespace regimen::optim {
namespace {

using detail::ArrayMap;
using detail::ConstArrayMap;

template <typename State, typename Visit>
void visit_state(State& s, const RmspropOptions& o, Visit&& f) {
  f("square_avg", s.square_avg, true);
  f("grad_avg", s.grad_avg, o.centered);
  f("momentum_buffer", s.momentum_buffer, o.momentum > 0.0);
}

}  // namespace

void validate(const RmspropOptions& options) {
  require_unit_interval("alpha", options.alpha);
  require_positive("eps", options.eps);
  require_non_negative("weight_decay", options.weight_decay);
  require_non_negative("momentum", options.momentum);
}

template <typename T>
RmspropKernel<T>::RmspropKernel(RmspropOptions options) : options_(options) {
  validate(options_);
}

template <typename T>
void RmspropKernel<T>::apply(std::span<T> params, std::span<const T> grads, double lr) {
  check_step(params.size(), grads.size(), static_cast<std::size_t>(state_.square_avg.size()), lr);
  const auto n = static_cast<Eigen::Index>(params.size());
  const bool momentum = options_.momentum > 0.0;
  if (state_.square_avg.size() == 0) {
    state_.square_avg.setZero(n);
    if (options_.centered) state_.grad_avg.setZero(n);
    if (momentum) state_.momentum_buffer.setZero(n);
  }
  ArrayMap<T> p(params.data(), n);
  ConstArrayMap<T> g(grads.data(), n);
  auto& v = state_.square_avg;
  auto& a = state_.grad_avg;
  auto& b = state_.momentum_buffer;
  const T alpha = static_cast<T>(options_.alpha);
  const T one_minus_alpha = static_cast<T>(1.0 - options_.alpha);
  const T sign = options_.maximize ? T(-1) : T(1);
  const T wd = static_cast<T>(options_.weight_decay);
  const T mu = static_cast<T>(options_.momentum);
  const T eps = static_cast<T>(options_.eps);
  const T eta = static_cast<T>(lr);

  if (options_.convention == Convention::keras) {
    if (options_.weight_decay != 0.0) p = p - p * wd * eta;
    v = alpha * v + one_minus_alpha * g.square();
    if (options_.centered) a = alpha * a + one_minus_alpha * (sign * g);
    // The increment lr*g/sqrt(...) is re-read by the statements that need it, never stored.
    if (options_.centered && momentum) {
      b = mu * b + eta * (sign * g) / (v - a.square() + eps).sqrt();
      p -= b;
    } else if (options_.centered) {
      p -= eta * (sign * g) / (v - a.square() + eps).sqrt();
    } else if (momentum) {
      b = mu * b + eta * (sign * g) / (v + eps).sqrt();
      p -= b;
    } else {
      p -= eta * (sign * g) / (v + eps).sqrt();
    }
    return;
  }

  // The effective gradient d = sign*g + wd*p is re-read in each statement; p is written last.
  v = alpha * v + one_minus_alpha * (sign * g + wd * p).square();
  if (options_.centered) a = alpha * a + one_minus_alpha * (sign * g + wd * p);
  if (options_.centered && momentum) {
    b = mu * b + (sign * g + wd * p) / ((v - a.square()).sqrt() + eps);
    p -= eta * b;
  } else if (options_.centered) {
    p -= eta * ((sign * g + wd * p) / ((v - a.square()).sqrt() + eps));
  } else if (momentum) {
    b = mu * b + (sign * g + wd * p) / (v.sqrt() + eps);
    p -= eta * b;
  } else {
    p -= eta * ((sign * g + wd * p) / (v.sqrt() + eps));
  }
}

template class RmspropKernel<float>;
template class RmspropKernel<double>;

Rmsprop::Rmsprop(schedule::SchedulePtr lr, RmspropOptions options) : Optimizer(std::move(lr)), kernel_(options) {
  check_lr_schedule(this->lr());
}

std::string Rmsprop::describe() const {
  const RmspropOptions& o = options();
  return "rmsprop(lr=" + lr()->describe() + ", alpha=" + format_number(o.alpha) + ", eps=" + format_number(o.eps) +
         ", weight_decay=" + format_number(o.weight_decay) + ", momentum=" + format_number(o.momentum) +
         ", centered=" + detail::boolean(o.centered) + ", maximize=" + detail::boolean(o.maximize) +
         ", convention=" + to_string(o.convention) + ")";
}

void Rmsprop::update(std::span<float> params, std::span<const float> grads, double lr) {
  kernel_.apply(params, grads, lr);
}

void Rmsprop::write_state(StateWriter& out) const { visit_state(state(), options(), out); }

void Rmsprop::read_state(StateReader& in) {
  RmspropState<float> s;
  visit_state(s, options(), in);
  in.finish();
  kernel_.state() = std::move(s);
}

}  // namespace regimen::optim
