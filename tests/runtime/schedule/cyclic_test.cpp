#include "runtime/schedule/cyclic.hpp"

#include <catch2/catch.hpp>

#include "runtime/error.hpp"
#include "schedule_fixture.hpp"

using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;
using regimen::InvalidArgument;
using regimen::schedule::cyclic;
using regimen::schedule::CyclicOptions;

namespace {

CyclicOptions options(double base_lr, double max_lr, double up, const char* mode = "triangular") {
  CyclicOptions o;
  o.base_lr = base_lr;
  o.max_lr = max_lr;
  o.step_size_up = up;
  o.mode = mode;
  return o;
}

}  // namespace

TEST_CASE("cyclic: matches PyTorch's CyclicLR in its three modes", "[schedule]") {
  const std::string name = GENERATE(as<std::string>{}, "cyclic_triangular", "cyclic_triangular2", "cyclic_exp_range");
  const auto f = regimen::test::load_schedule_fixture(name);
  CyclicOptions o = options(f.options.at("base_lr"), f.options.at("max_lr"), f.options.at("step_size_up"),
                            f.options.at("mode").get<std::string>().c_str());
  o.step_size_down = f.options.at("step_size_down").get<double>();
  o.gamma = f.options.at("gamma");
  const auto s = cyclic(o);
  regimen::test::check_curve(name, f, [&](double t) { return (*s)(t); });
}

TEST_CASE("cyclic: triangles between base_lr and max_lr", "[schedule]") {
  const auto s = cyclic(options(0.0, 1.0, 4));
  const auto [t, expected] = GENERATE(table<double, double>({{0, 0}, {2, 0.5}, {4, 1}, {6, 0.5}, {8, 0}, {12, 1}}));
  INFO("t=" << t);
  CHECK_THAT((*s)(t), WithinAbs(expected, 1e-15));
}

TEST_CASE("cyclic: triangular2 halves each cycle, exp_range scales by gamma^t", "[schedule]") {
  const auto halving = cyclic(options(0.0, 1.0, 4, "triangular2"));
  CHECK((*halving)(4) == 1.0);
  CHECK((*halving)(12) == 0.5);
  CHECK((*halving)(20) == 0.25);
  CyclicOptions o = options(0.0, 1.0, 4, "exp_range");
  o.gamma = 0.9;
  CHECK_THAT((*cyclic(o))(12), WithinRel(0.9 * 0.9 * 0.9 * 0.9 * 0.9 * 0.9 * 0.9 * 0.9 * 0.9 * 0.9 * 0.9 * 0.9, 1e-14));
}

TEST_CASE("cyclic: step_size_down makes the falling side longer", "[schedule]") {
  CyclicOptions o = options(0.0, 1.0, 2);
  o.step_size_down = 6;
  const auto s = cyclic(o);
  CHECK((*s)(2) == 1.0);
  CHECK_THAT((*s)(5), WithinRel(0.5, 1e-15));
  CHECK((*s)(8) == 0.0);
  CHECK(s->describe() == "cyclic(base_lr=0, max_lr=1, step_size_up=2, step_size_down=6, mode=triangular, gamma=1)");
  CHECK(cyclic(options(0.001, 0.1, 2000))->describe() ==
        "cyclic(base_lr=0.001, max_lr=0.1, step_size_up=2000, step_size_down=2000, mode=triangular, gamma=1)");
}

TEST_CASE("cyclic: rejects bad options by name", "[schedule]") {
  CHECK_THROWS_MATCHES(cyclic(options(0.1, 1, 4, "sawtooth")), InvalidArgument,
                       Catch::Message("mode must be one of 'triangular', 'triangular2', 'exp_range', got 'sawtooth'"));
  CHECK_THROWS_MATCHES(cyclic(options(0.1, 1, 0)), InvalidArgument, Catch::Message("step_size_up must be > 0, got 0"));
  CyclicOptions o = options(0.1, 1, 4);
  o.step_size_down = -1;
  CHECK_THROWS_MATCHES(cyclic(o), InvalidArgument, Catch::Message("step_size_down must be > 0, got -1"));
  CHECK_THROWS_MATCHES(cyclic(options(-0.1, 1, 4)), InvalidArgument, Catch::Message("base_lr must be >= 0, got -0.1"));
}
