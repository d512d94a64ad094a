#include "runtime/schedule/product.hpp"

#include <catch2/catch.hpp>

#include "piece_builder.hpp"
#include "runtime/error.hpp"
#include "runtime/schedule/constant.hpp"
#include "runtime/schedule/cosine.hpp"
#include "runtime/schedule/feedback.hpp"
#include "runtime/schedule/plateau.hpp"
#include "schedule_fixture.hpp"

using Catch::Matchers::WithinRel;
using regimen::InvalidArgument;
using namespace regimen::schedule;

TEST_CASE("product: matches PyTorch's ChainedScheduler of multiplicative schedulers", "[schedule]") {
  const auto f = regimen::test::load_schedule_fixture("product_chained");
  std::vector<SchedulePtr> factors;
  for (const auto& piece : f.options.at("pieces")) factors.push_back(regimen::test::build_piece(piece));
  const auto s = product(factors);
  regimen::test::check_curve("product_chained", f, [&](double t) { return (*s)(t); });
}

TEST_CASE("product: a cosine times a plateau factor drops when the metric stalls", "[schedule]") {
  PlateauOptions o;
  o.lr = 1.0;
  o.factor = 0.5;
  o.patience = 1;
  auto state = std::make_shared<Plateau>(o);
  const auto s = product({cosine(0.1, 100), plateau(state)});
  CHECK_THAT((*s)(50), WithinRel(0.05, 1e-15));
  const auto feedback = feedback_of(s);
  REQUIRE(feedback.size() == 1);
  CHECK(feedback[0] == state);
  for (double metric : {1.0, 1.0, 1.0}) feedback[0]->observe(metric);
  CHECK_THAT((*s)(50), WithinRel(0.025, 1e-15));
  CHECK_THAT((*s)(0), WithinRel(0.05, 1e-15));
}

TEST_CASE("product: feedback_of lists a schedule used twice once", "[schedule]") {
  PlateauOptions o;
  o.lr = 1.0;
  const auto p = plateau(o);
  const auto s = product({p, p, constant(2)});
  CHECK(feedback_of(s).size() == 1);
  const std::vector<SchedulePtr> both{s, p};
  CHECK(feedback_of(both).size() == 1);
  CHECK(feedback_of(constant(1)).empty());
}

TEST_CASE("product: describes itself and needs a schedule", "[schedule]") {
  CHECK(product({constant(2), constant(0.5)})->describe() == "product(constant(lr=2), constant(lr=0.5))");
  CHECK((*product({constant(2), constant(0.5)}))(3) == 1.0);
  CHECK_THROWS_MATCHES(product({}), InvalidArgument, Catch::Message("product needs at least one schedule"));
}
