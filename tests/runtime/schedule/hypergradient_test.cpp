#include "runtime/schedule/hypergradient.hpp"

#include <vector>

#include <catch2/catch.hpp>

#include "runtime/error.hpp"
#include "runtime/schedule/arithmetic.hpp"

using Catch::Matchers::WithinRel;
using regimen::InvalidArgument;
using namespace regimen::schedule;

namespace {

// Plain SGD on f(x) = sum(a_i * x_i^2) / 2 with the schedule's rate; returns the final rates.
std::vector<double> run_sgd(const std::shared_ptr<Hypergradient>& state, const SchedulePtr& lr, int steps) {
  std::vector<float> x{1.0f, -2.0f, 0.5f}, g(3);
  const float a[] = {1.0f, 3.0f, 0.5f};
  std::vector<double> rates;
  for (int step = 0; step < steps; ++step) {
    for (int i = 0; i < 3; ++i) g[i] = a[i] * x[i];
    state->observe_gradients(g);
    const double rate = (*lr)(step);
    rates.push_back(rate);
    for (int i = 0; i < 3; ++i) x[i] -= static_cast<float>(rate) * g[i];
  }
  return rates;
}

}  // namespace

TEST_CASE("hypergradient: lr_t = lr_{t-1} + beta * g_t . g_{t-1}", "[schedule]") {
  auto state = std::make_shared<Hypergradient>(0.1, 0.01);
  const auto s = hypergradient(state);
  CHECK((*s)(0) == 0.1);
  state->observe_gradients(std::vector<float>{1, 2});  // no previous gradient: unchanged
  CHECK((*s)(0) == 0.1);
  state->observe_gradients(std::vector<float>{3, -1});  // g . g_prev = 1
  CHECK_THAT((*s)(1), WithinRel(0.11, 1e-15));
  state->observe_gradients(std::vector<float>{-1, 0});  // = -3
  CHECK_THAT((*s)(2), WithinRel(0.08, 1e-15));
  CHECK((*s)(2) == (*s)(1000));  // the value is the current rate, whatever t
}

TEST_CASE("hypergradient: grows a too-small rate, shrinks an oscillating one", "[schedule]") {
  auto slow = std::make_shared<Hypergradient>(0.01, 0.01);
  const auto rates = run_sgd(slow, hypergradient(slow), 20);
  CHECK(rates.back() > 0.05);
  // A rate of 0.6 makes the curvature-3 coordinate overshoot (|1 - 0.6 * 3| = 0.8, sign flips).
  auto fast = std::make_shared<Hypergradient>(0.6, 0.01);
  const auto fast_rates = run_sgd(fast, hypergradient(fast), 5);
  CHECK(fast_rates.back() < 0.6);
}

TEST_CASE("hypergradient: clamp keeps the used rate in bounds while the inner rate adapts", "[schedule]") {
  auto state = std::make_shared<Hypergradient>(0.01, 10.0);
  const auto s = clamped(hypergradient(state), 0.0, 0.02);
  state->observe_gradients(std::vector<float>{1});
  state->observe_gradients(std::vector<float>{-1});  // lr = 0.01 - 10
  CHECK(state->lr() < 0);
  CHECK((*s)(0) == 0.0);
  state->observe_gradients(std::vector<float>{-1});
  state->observe_gradients(std::vector<float>{-1});
  CHECK((*s)(0) == 0.02);
}

TEST_CASE("hypergradient: state round-trips and the copy continues identically", "[schedule]") {
  auto original = std::make_shared<Hypergradient>(0.05, 0.001);
  CHECK(original->state() == std::vector<double>{0.05});
  original->observe_gradients(std::vector<float>{0.25f, -1.5f});
  original->observe_gradients(std::vector<float>{0.5f, -1.0f});
  const auto saved = original->state();
  REQUIRE(saved.size() == 3);
  CHECK(saved[1] == 0.5);
  CHECK(saved[2] == -1.0);
  auto resumed = std::make_shared<Hypergradient>(0.05, 0.001);
  resumed->set_state(saved);
  original->observe_gradients(std::vector<float>{0.1f, 0.3f});
  resumed->observe_gradients(std::vector<float>{0.1f, 0.3f});
  CHECK(resumed->lr() == original->lr());
}

TEST_CASE("hypergradient: rejects bad options, gradients and states", "[schedule]") {
  CHECK_THROWS_MATCHES(Hypergradient(-1, 0.1), InvalidArgument, Catch::Message("lr must be >= 0, got -1"));
  CHECK_THROWS_MATCHES(Hypergradient(0.1, -0.1), InvalidArgument, Catch::Message("beta must be >= 0, got -0.1"));
  Hypergradient h(0.1, 0.01);
  CHECK_THROWS_MATCHES(h.observe_gradients({}), InvalidArgument, Catch::Message("hypergradient: the gradient is empty"));
  h.observe_gradients(std::vector<float>{1, 2});
  CHECK_THROWS_MATCHES(h.observe_gradients(std::vector<float>{1}), InvalidArgument,
                       Catch::Message("hypergradient: the gradient has 1 elements but the previous one had 2"));
  CHECK_THROWS_MATCHES(h.set_state(std::vector<double>{}), InvalidArgument,
                       Catch::Message("hypergradient state must hold at least the lr, got nothing"));
  CHECK_THROWS_MATCHES(h.set_state(std::vector<double>{0.1, 0.1}), InvalidArgument,
                       Catch::Message("hypergradient state: entry 2 (0.1) is not a float32 gradient value"));
  CHECK(hypergradient(0.01, 1e-4)->describe() == "hypergradient(lr=0.01, beta=0.0001)");
  CHECK(h.wants_gradients());
  CHECK(h.monitor().empty());
}
