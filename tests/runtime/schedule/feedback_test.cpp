#include "runtime/schedule/feedback.hpp"

#include <catch2/catch.hpp>

#include "runtime/schedule/arithmetic.hpp"
#include "runtime/schedule/constant.hpp"
#include "runtime/schedule/cosine.hpp"
#include "runtime/schedule/hypergradient.hpp"
#include "runtime/schedule/join.hpp"
#include "runtime/schedule/plateau.hpp"
#include "runtime/schedule/product.hpp"
#include "runtime/schedule/warmup.hpp"

using namespace regimen::schedule;

TEST_CASE("feedback: pure schedules have none", "[schedule]") {
  CHECK(feedback_of(cosine(0.1, 10)).empty());
  CHECK(feedback_of(SchedulePtr{}).empty());
}

TEST_CASE("feedback: found through nested combinators in order of first appearance", "[schedule]") {
  PlateauOptions o;
  o.lr = 1;
  o.monitor = "val_accuracy";
  auto p = std::make_shared<Plateau>(o);
  auto h = std::make_shared<Hypergradient>(0.1, 0.001);
  const auto lr = warmup(5, 0, product({join({cosine(0.1, 10), hypergradient(h)}, {10}), plateau(p)}));
  const auto momentum = clamped(plateau(p), 0, 1);
  const std::vector<SchedulePtr> all{lr, momentum};
  const auto found = feedback_of(all);
  REQUIRE(found.size() == 2);
  CHECK(found[0] == h);
  CHECK(found[1] == p);
  // What a trainer does with them: feed by kind.
  CHECK(found[0]->wants_gradients());
  CHECK(found[0]->monitor().empty());
  CHECK(found[1]->monitor() == "val_accuracy");
  CHECK_FALSE(found[1]->wants_gradients());
  CHECK(found[0]->name() == "hypergradient");
  CHECK(found[1]->name() == "plateau");
}
