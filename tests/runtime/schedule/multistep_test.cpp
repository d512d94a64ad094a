#include "runtime/schedule/multistep.hpp"

#include <catch2/catch.hpp>

#include "runtime/error.hpp"
#include "schedule_fixture.hpp"

using Catch::Matchers::WithinRel;
using regimen::InvalidArgument;
using regimen::schedule::multistep;

TEST_CASE("multistep: matches PyTorch's MultiStepLR", "[schedule]") {
  const std::string name = GENERATE(as<std::string>{}, "multistep_repeated", "multistep_default_gamma");
  const auto f = regimen::test::load_schedule_fixture(name);
  const auto s = multistep(f.options.at("lr"), f.options.at("milestones").get<std::vector<double>>(),
                           f.options.at("gamma"));
  regimen::test::check_curve(name, f, [&](double t) { return (*s)(t); });
}

TEST_CASE("multistep: decays at each milestone, twice at a repeated one", "[schedule]") {
  const auto s = multistep(1.0, {3, 5, 5}, 0.5);
  const auto [t, expected] = GENERATE(table<double, double>({
      {0, 1}, {2.999, 1}, {3, 0.5}, {4, 0.5}, {4.5, 0.5}, {5, 0.125}, {100, 0.125},
  }));
  INFO("t=" << t);
  CHECK_THAT((*s)(t), WithinRel(expected, 1e-15));
}

TEST_CASE("multistep: no milestones is a constant, gamma defaults to 0.1", "[schedule]") {
  CHECK((*multistep(0.3, {}))(1e6) == 0.3);
  CHECK_THAT((*multistep(1.0, {10}))(10), WithinRel(0.1, 1e-15));
}

TEST_CASE("multistep: describes itself", "[schedule]") {
  CHECK(multistep(0.1, {30, 80})->describe() == "multistep(lr=0.1, milestones={30, 80}, gamma=0.1)");
  CHECK(multistep(0.1, {})->describe() == "multistep(lr=0.1, milestones={}, gamma=0.1)");
}

TEST_CASE("multistep: rejects bad options by name", "[schedule]") {
  CHECK_THROWS_MATCHES(multistep(0.1, {30, 20}), InvalidArgument,
                       Catch::Message("milestones must not decrease, got 20 after 30"));
  CHECK_THROWS_MATCHES(multistep(0.1, {10, -1}), InvalidArgument,
                       Catch::Message("milestones[2] must be >= 0, got -1"));
  CHECK_THROWS_MATCHES(multistep(-1, {10}), InvalidArgument, Catch::Message("lr must be >= 0, got -1"));
  CHECK_THROWS_MATCHES(multistep(0.1, {10}, 0), InvalidArgument, Catch::Message("gamma must be > 0, got 0"));
}
