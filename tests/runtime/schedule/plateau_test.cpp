#include "runtime/schedule/plateau.hpp"

#include <limits>

#include <catch2/catch.hpp>

#include "runtime/error.hpp"
#include "schedule_fixture.hpp"

using regimen::InvalidArgument;
using namespace regimen::schedule;

namespace {

PlateauOptions options_of(const nlohmann::json& j) {
  PlateauOptions o;
  o.lr = j.at("lr");
  o.mode = j.at("mode");
  o.factor = j.at("factor");
  o.patience = j.at("patience");
  o.threshold = j.at("threshold");
  o.threshold_mode = j.at("threshold_mode");
  o.cooldown = j.at("cooldown");
  o.min_lr = j.at("min_lr");
  o.eps = j.at("eps");
  o.monitor = j.at("monitor");
  return o;
}

PlateauOptions with_lr(double lr) {
  PlateauOptions o;
  o.lr = lr;
  return o;
}

}  // namespace

TEST_CASE("plateau: matches PyTorch's ReduceLROnPlateau fed a recorded metric sequence", "[schedule]") {
  const std::string name =
      GENERATE(as<std::string>{}, "plateau_min_rel", "plateau_min_abs", "plateau_max_rel", "plateau_max_abs", "plateau_eps");
  const auto f = regimen::test::load_schedule_fixture(name);
  const auto metrics = f.raw.at("metrics").get<std::vector<double>>();
  REQUIRE(metrics.size() + 1 == f.values.size());
  auto state = std::make_shared<Plateau>(options_of(f.options));
  const auto s = plateau(state);
  CHECK(state->monitor() == f.options.at("monitor").get<std::string>());
  // values[i] is the rate after i observed epochs; the step t does not matter.
  std::vector<double> rates{(*s)(0)};
  for (double m : metrics) {
    state->observe(m);
    rates.push_back((*s)(12345));
  }
  regimen::test::check_curve(name, f, [&](double t) { return rates[static_cast<std::size_t>(t)]; });
}

TEST_CASE("plateau: waits patience bad epochs, then reduces and cools down", "[schedule]") {
  PlateauOptions o = with_lr(1.0);
  o.factor = 0.5;
  o.patience = 2;
  o.cooldown = 1;
  Plateau p(o);
  p.observe(1.0);  // first metric: always better
  CHECK(p.best() == 1.0);
  p.observe(1.0);
  p.observe(1.0);
  CHECK(p.num_bad_epochs() == 2);
  CHECK(p.lr() == 1.0);
  p.observe(1.0);  // third bad epoch > patience
  CHECK(p.lr() == 0.5);
  CHECK(p.cooldown_counter() == 1);
  p.observe(2.0);  // bad, but in cooldown: not counted
  CHECK(p.num_bad_epochs() == 0);
  CHECK(p.cooldown_counter() == 0);
  p.observe(0.5);  // better
  CHECK(p.best() == 0.5);
}

TEST_CASE("plateau: relative threshold needs a real improvement, min_lr is a floor", "[schedule]") {
  PlateauOptions o = with_lr(1.0);
  o.patience = 0;
  o.threshold = 0.1;
  o.min_lr = 0.05;
  Plateau p(o);
  p.observe(1.0);
  p.observe(0.95);  // not below 1.0 * (1 - 0.1)
  CHECK(p.lr() == 0.1);
  CHECK(p.best() == 1.0);
  p.observe(0.85);  // below 0.9: better
  CHECK(p.lr() == 0.1);
  p.observe(0.85);
  CHECK(p.lr() == 0.05);  // max(0.1 * 0.1, min_lr)
  p.observe(0.85);
  CHECK(p.lr() == 0.05);
}

TEST_CASE("plateau: a NaN metric counts as a bad epoch", "[schedule]") {
  PlateauOptions o = with_lr(1.0);
  o.patience = 0;
  Plateau p(o);
  p.observe(std::numeric_limits<double>::quiet_NaN());
  CHECK(p.lr() == 0.1);
}

TEST_CASE("plateau: state round-trips and the copy continues identically", "[schedule]") {
  const auto f = regimen::test::load_schedule_fixture("plateau_min_abs");
  const auto metrics = f.raw.at("metrics").get<std::vector<double>>();
  Plateau original(options_of(f.options));
  CHECK(original.state() == std::vector<double>{0.05, std::numeric_limits<double>::infinity(), 0, 0});
  for (std::size_t i = 0; i < 60; ++i) original.observe(metrics[i]);
  Plateau resumed(options_of(f.options));
  resumed.set_state(original.state());
  CHECK(resumed.state() == original.state());
  for (std::size_t i = 60; i < metrics.size(); ++i) {
    original.observe(metrics[i]);
    resumed.observe(metrics[i]);
    REQUIRE(resumed.lr() == original.lr());
  }
}

TEST_CASE("plateau: rejects a state of the wrong shape", "[schedule]") {
  Plateau p(with_lr(0.1));
  CHECK_THROWS_MATCHES(p.set_state(std::vector<double>{0.1, 1}), InvalidArgument,
                       Catch::Message("plateau state must hold 4 numbers (lr, best, num_bad_epochs, cooldown_counter), got 2"));
  CHECK_THROWS_MATCHES(p.set_state(std::vector<double>{0.1, 1, 1.5, 0}), InvalidArgument,
                       Catch::Message("num_bad_epochs must be a whole number, got 1.5"));
  CHECK_THROWS_MATCHES(p.set_state(std::vector<double>{-0.1, 1, 0, 0}), InvalidArgument,
                       Catch::Message("lr must be >= 0, got -0.1"));
}

TEST_CASE("plateau: describes itself", "[schedule]") {
  CHECK(plateau(with_lr(0.1))->describe() ==
        "plateau(lr=0.1, mode=min, factor=0.1, patience=10, threshold=0.0001, threshold_mode=rel, cooldown=0, "
        "min_lr=0, eps=1e-08, monitor=val_loss)");
}

TEST_CASE("plateau: rejects bad options by name", "[schedule]") {
  PlateauOptions o = with_lr(0.1);
  o.mode = "auto";
  CHECK_THROWS_MATCHES(Plateau(o), InvalidArgument, Catch::Message("mode must be one of 'min', 'max', got 'auto'"));
  o = with_lr(0.1);
  o.threshold_mode = "relative";
  CHECK_THROWS_MATCHES(Plateau(o), InvalidArgument,
                       Catch::Message("threshold_mode must be one of 'rel', 'abs', got 'relative'"));
  o = with_lr(0.1);
  o.factor = 1.0;
  CHECK_THROWS_MATCHES(Plateau(o), InvalidArgument, Catch::Message("factor must be in [0, 1), got 1"));
  o = with_lr(0.1);
  o.patience = -1;
  CHECK_THROWS_MATCHES(Plateau(o), InvalidArgument, Catch::Message("patience must be >= 0, got -1"));
  o = with_lr(0.1);
  o.cooldown = -2;
  CHECK_THROWS_MATCHES(Plateau(o), InvalidArgument, Catch::Message("cooldown must be >= 0, got -2"));
  o = with_lr(0.1);
  o.min_lr = -1;
  CHECK_THROWS_MATCHES(Plateau(o), InvalidArgument, Catch::Message("min_lr must be >= 0, got -1"));
  o = with_lr(0.1);
  o.monitor = "";
  CHECK_THROWS_MATCHES(Plateau(o), InvalidArgument, Catch::Message("monitor must name a metric, got ''"));
  CHECK_THROWS_MATCHES(Plateau(with_lr(-1)), InvalidArgument, Catch::Message("lr must be >= 0, got -1"));
}
