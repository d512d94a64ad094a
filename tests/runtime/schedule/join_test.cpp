#include "runtime/schedule/join.hpp"

#include <catch2/catch.hpp>

#include "piece_builder.hpp"
#include "runtime/error.hpp"
#include "runtime/schedule/constant.hpp"
#include "runtime/schedule/feedback.hpp"
#include "runtime/schedule/linear.hpp"
#include "runtime/schedule/plateau.hpp"
#include "schedule_fixture.hpp"

using Catch::Matchers::WithinRel;
using regimen::InvalidArgument;
using namespace regimen::schedule;

TEST_CASE("join: matches PyTorch's SequentialLR", "[schedule]") {
  const std::string name = GENERATE(as<std::string>{}, "join_warmup_cosine", "join_three");
  const auto f = regimen::test::load_schedule_fixture(name);
  std::vector<SchedulePtr> pieces;
  for (const auto& piece : f.options.at("pieces")) pieces.push_back(regimen::test::build_piece(piece));
  const auto s = join(pieces, f.options.at("boundaries").get<std::vector<double>>());
  regimen::test::check_curve(name, f, [&](double t) { return (*s)(t); });
}

TEST_CASE("join: each later schedule starts from its own step 0 at its boundary", "[schedule]") {
  const auto ramp = linear(0, 10, 10);  // 1 per step
  const auto s = join({ramp, ramp, constant(7)}, {5, 8});
  const auto [t, expected] = GENERATE(table<double, double>({
      {0, 0}, {4, 4}, {4.5, 4.5}, {5, 0}, {7, 2}, {8, 7}, {100, 7},
  }));
  INFO("t=" << t);
  CHECK((*s)(t) == expected);
}

TEST_CASE("join: a single schedule is itself, feedback of every piece is found", "[schedule]") {
  CHECK((*join({constant(3)}, {}))(10) == 3);
  PlateauOptions o;
  o.lr = 0.1;
  const auto s = join({plateau(o), constant(1), plateau(o)}, {1, 2});
  CHECK(feedback_of(s).size() == 2);
}

TEST_CASE("join: describes itself", "[schedule]") {
  CHECK(join({constant(1), constant(0.5)}, {10})->describe() == "join(constant(lr=1), 10, constant(lr=0.5))");
}

TEST_CASE("join: rejects mismatched lengths and unsorted boundaries", "[schedule]") {
  CHECK_THROWS_MATCHES(join({constant(1), constant(2)}, {}), InvalidArgument,
                       Catch::Message("join needs one schedule more than boundaries, got 2 schedules for 0 boundaries"));
  CHECK_THROWS_MATCHES(join({constant(1), constant(2), constant(3)}, {10, 5}), InvalidArgument,
                       Catch::Message("boundaries must be increasing, got 5 after 10"));
  CHECK_THROWS_MATCHES(join({constant(1), constant(2)}, {-1}), InvalidArgument,
                       Catch::Message("boundaries[1] must be >= 0, got -1"));
  CHECK_THROWS_MATCHES(join({constant(1), nullptr}, {1}), InvalidArgument, Catch::Message("join: a schedule is missing"));
}
