#include "runtime/loss/huber.hpp"

#include "runtime/loss/elementwise.hpp"
#include "runtime/option_check.hpp"

namespace regimen::loss {
namespace {

double checked_delta(double delta) {
  if (!(delta > 0.0))  // written so that NaN fails too
    throw InvalidArgument("delta must be > 0, got " + format_number(delta));
  return delta;
}

}  // namespace

Huber::Huber(double delta) : delta_(checked_delta(delta)) {}

std::string Huber::describe() const { return "huber(delta=" + format_number(delta_) + ")"; }

double Huber::mean(const Matrix& prediction, const Matrix& target, Matrix* grad) const {
  check_same_shape(prediction, target, "huber");
  const double delta = delta_;
  return elementwise_mean(
      prediction, target, grad, [delta](double p, double t) { return huber_term(p - t, delta); },
      [delta](double p, double t) { return huber_derivative(p - t, delta); });
}

double Huber::value(const Matrix& prediction, const Matrix& target) const { return mean(prediction, target, nullptr); }

double Huber::value_and_gradient(const Matrix& prediction, const Matrix& target, Matrix& grad) const {
  return mean(prediction, target, &grad);
}

}  // namespace regimen::loss
