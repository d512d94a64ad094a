#include "runtime/schedule/cosine.hpp"

#include <catch2/catch.hpp>

#include "runtime/error.hpp"
#include "schedule_fixture.hpp"

using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;
using regimen::InvalidArgument;
using regimen::schedule::cosine;

TEST_CASE("cosine: matches PyTorch's CosineAnnealingLR up to T_max", "[schedule]") {
  const std::string name = GENERATE(as<std::string>{}, "cosine_eta_min", "cosine_zero_floor");
  const auto f = regimen::test::load_schedule_fixture(name);
  const auto s = cosine(f.options.at("lr"), f.options.at("T_max"), f.options.at("eta_min"));
  for (std::size_t i = 0; i < f.t.size(); ++i) {
    INFO(name << " t=" << f.t[i]);
    // PyTorch reaches 0 at T_max through its recursion only to within rounding.
    if (f.values[i] < 1e-12) {
      CHECK_THAT((*s)(f.t[i]), WithinAbs(f.values[i], 1e-15));
    } else {
      CHECK_THAT((*s)(f.t[i]), WithinRel(f.values[i], 1e-9));
    }
  }
}

TEST_CASE("cosine: starts at lr, halves at T_max/2, ends at eta_min", "[schedule]") {
  const auto s = cosine(0.1, 10, 0.02);
  const auto [t, expected] = GENERATE(table<double, double>({
      {0, 0.1}, {5, 0.06}, {10, 0.02},
  }));
  INFO("t=" << t);
  CHECK_THAT((*s)(t), WithinRel(expected, 1e-15));
}

TEST_CASE("cosine: holds eta_min after T_max instead of climbing back", "[schedule]") {
  const auto s = cosine(0.1, 10, 0.02);
  const double t = GENERATE(10.5, 11.0, 15.0, 20.0, 1e6);
  INFO("t=" << t);
  CHECK((*s)(t) == 0.02);
  CHECK_THAT((*cosine(0.1, 10))(20), WithinAbs(0.0, 0.0));
}

TEST_CASE("cosine: describes itself", "[schedule]") {
  CHECK(cosine(0.001, 100)->describe() == "cosine(lr=0.001, T_max=100, eta_min=0)");
  CHECK(cosine(0.1, 4220, 1e-5)->describe() == "cosine(lr=0.1, T_max=4220, eta_min=1e-05)");
}

TEST_CASE("cosine: rejects bad options by name", "[schedule]") {
  CHECK_THROWS_MATCHES(cosine(-1, 10), InvalidArgument, Catch::Message("lr must be >= 0, got -1"));
  CHECK_THROWS_MATCHES(cosine(0.1, 0), InvalidArgument, Catch::Message("T_max must be > 0, got 0"));
  CHECK_THROWS_MATCHES(cosine(0.1, 10, -0.5), InvalidArgument,
                       Catch::Message("eta_min must be >= 0, got -0.5"));
}
