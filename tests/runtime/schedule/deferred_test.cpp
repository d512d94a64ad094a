// Deferred schedules (lengths known once the run is planned) and by_epoch: unresolved use is a
// clear error, resolution builds the schedule for the run, nested ones resolve innermost first.
#include "runtime/schedule/deferred.hpp"

#include <cmath>
#include <numbers>

#include <catch2/catch.hpp>

#include "runtime/error.hpp"
#include "runtime/schedule/arithmetic.hpp"
#include "runtime/schedule/by_epoch.hpp"
#include "runtime/schedule/constant.hpp"
#include "runtime/schedule/cosine.hpp"
#include "runtime/schedule/feedback.hpp"
#include "runtime/schedule/join.hpp"
#include "runtime/schedule/linear.hpp"
#include "runtime/schedule/plateau.hpp"

using namespace regimen::schedule;
using regimen::InvalidArgument;

namespace {

// cosine(lr, T_max = `epochs` epochs of the run).
std::shared_ptr<Deferred> cosine_in_epochs(double lr, double epochs) {
  return std::make_shared<Deferred>("cosine(T_max='epochs')", "cosine: T_max needs a recipe", std::vector<SchedulePtr>{},
                                    [=](const RunLength& run) { return cosine(lr, epochs * run.steps_per_epoch()); });
}

}  // namespace

TEST_CASE("Deferred: evaluating before the run is known names what is missing", "[schedule]") {
  const auto s = cosine_in_epochs(1.0, 2);
  CHECK_THROWS_MATCHES((*s)(0), InvalidArgument, Catch::Message("cosine: T_max needs a recipe"));
  CHECK(s->describe() == "cosine(T_max='epochs')");
  CHECK(s->depends_on_run());
  CHECK(depends_on_run(scaled(s, 0.5)));
  CHECK_FALSE(depends_on_run(constant(0.1)));
}

TEST_CASE("Deferred: resolution builds the schedule for the run, again for another run", "[schedule]") {
  const auto s = cosine_in_epochs(1.0, 2);
  const SchedulePtr lr = scaled(s, 0.5);  // found inside a combinator
  resolve_lengths(std::span<const SchedulePtr>(&lr, 1), RunLength::uniform(10, 5));
  CHECK(s->resolved());
  CHECK_FALSE(depends_on_run(lr));
  CHECK(s->describe() == "cosine(lr=1, T_max=20, eta_min=0)");
  CHECK((*lr)(10) == Approx(0.25));
  CHECK((*lr)(20) == 0.0);
  resolve_lengths(std::span<const SchedulePtr>(&lr, 1), RunLength::uniform(5, 5));
  CHECK((*lr)(5) == Approx(0.25));
}

TEST_CASE("Deferred: a deferred join of deferred pieces resolves innermost first", "[schedule]") {
  const auto inner = cosine_in_epochs(1.0, 1);
  const auto p = std::make_shared<Plateau>(PlateauOptions{.lr = 0.5});
  const SchedulePtr piece = plateau(p);
  const auto outer = std::make_shared<Deferred>(
      "join", "join needs a recipe", std::vector<SchedulePtr>{inner, piece},
      [=](const RunLength& run) { return join({inner, piece}, {run.steps_per_epoch()}); });
  // The plateau is found through the unresolved join too.
  CHECK(feedback_of(SchedulePtr(outer)).size() == 1);
  const SchedulePtr all[] = {outer};
  CHECK(deferred_of(all).size() == 2);
  CHECK(deferred_of(all)[0] == inner);
  resolve_lengths(all, RunLength::uniform(4, 3));
  CHECK((*outer)(0) == 1.0);
  CHECK((*outer)(2) == Approx(0.5));
  CHECK((*outer)(4) == 0.5);
  CHECK(feedback_of(SchedulePtr(outer)).size() == 1);
}

TEST_CASE("by_epoch: the value holds through each epoch", "[schedule]") {
  const RunLength run = RunLength::uniform(10, 4);
  const SchedulePtr s = by_epoch(cosine(1.0, 4), run);
  const auto [t, epoch] = GENERATE(table<double, double>({{0, 0}, {9, 0}, {10, 1}, {19, 1}, {20, 2}, {39, 3}, {40, 4}}));
  INFO("t=" << t);
  CHECK((*s)(t) == Approx((1 + std::cos(std::numbers::pi * epoch / 4)) / 2).margin(1e-15));
  CHECK(s->describe() == "by_epoch(cosine(lr=1, T_max=4, eta_min=0), steps_per_epoch=10)");
}

TEST_CASE("by_epoch: epochs of different lengths", "[schedule]") {
  const SchedulePtr s = by_epoch(linear(0, 10, 10), RunLength::of_epochs({3, 1, 2}, 3));  // value = epoch
  const auto [t, epoch] = GENERATE(table<double, double>({{0, 0}, {2, 0}, {3, 1}, {4, 2}, {5, 2}, {6, 3}, {8, 4}}));
  INFO("t=" << t);
  CHECK((*s)(t) == epoch);
}
