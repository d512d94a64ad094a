#pragma once
// The *_scheduled_* fixtures of tools/make_optim_fixtures.py: trajectories whose options change
// between steps, set before each step from a closed-form schedule (linear, step, piecewise).
// Replayed through Optimizer::schedule_option, so that our own schedules produce the values.
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "optim_fixture.hpp"
#include "runtime/optim/option_fields.hpp"
#include "runtime/schedule/constant.hpp"
#include "runtime/schedule/linear.hpp"
#include "runtime/schedule/piecewise.hpp"
#include "runtime/schedule/step.hpp"

namespace regimen::test {

/// A fixture with the schedules of its options and, per step, the values that step used.
struct ScheduledFixture {
  OptimFixture f;
  std::vector<std::pair<std::string, schedule::SchedulePtr>> schedules;  ///< by recipe name: "betas[1]"
  std::vector<std::map<std::string, double>> used;                       ///< used[k]: step k's values
};

/// Our schedule for a fixture's {"kind": "linear", "from": ..., ...}.
inline schedule::SchedulePtr schedule_of(const nlohmann::json& j) {
  const std::string kind = j.at("kind");
  if (kind == "linear") return schedule::linear(j.at("from"), j.at("to"), j.at("steps"));
  if (kind == "step") return schedule::step(j.at("lr"), j.at("step_size"), j.at("gamma"));
  REQUIRE(kind == "piecewise");
  return schedule::piecewise(j.at("boundaries").get<std::vector<double>>(), j.at("values").get<std::vector<double>>());
}

/// tests/fixtures/optim/<name>.json, which must have "schedules".
inline ScheduledFixture load_scheduled_fixture(const std::string& name) {
  ScheduledFixture s{load_optim_fixture(name), {}, {}};
  std::ifstream in(std::string(REGIMEN_SOURCE_DIR) + "/tests/fixtures/optim/" + name + ".json");
  const nlohmann::json j = nlohmann::json::parse(in);
  REQUIRE(j.contains("schedules"));
  for (const auto& [option, spec] : j.at("schedules").items()) s.schedules.emplace_back(option, schedule_of(spec));
  for (const auto& step : j.at("steps")) s.used.push_back(step.at("options").get<std::map<std::string, double>>());
  return s;
}

/// Replays `s` through an Optim (float64 to 1e-9, float32 to 1e-5) whose options follow the
/// fixture's schedules; after every step, each option reads as the value that step used.
template <typename Optim, typename Options>
void check_scheduled(const ScheduledFixture& s, const Options& options) {
  const double lr = s.f.options.at("lr");
  const auto run = [&]<typename T>(T, double rel, double abs) {
    Optim optimizer(schedule::constant(lr), options);
    for (const auto& [option, schedule] : s.schedules) optimizer.schedule_option(option, schedule);
    replay<T>(
        s.f, [&](std::span<T> p, std::span<const T> g) { optimizer.step(p, g); }, rel, abs,
        [&](std::size_t k, std::span<T>) {
          for (const auto& [option, value] : s.used[k]) {
            INFO(option);
            CHECK_THAT(*optimizer.option(option), Catch::Matchers::WithinAbs(value, 1e-15));
          }
        });
  };
  run(double{}, 1e-9, 1e-12);
  run(float{}, 1e-5, 1e-5);
}

/// Sets each scheduled option of `kernel` to its value at step t, as Optimizer::step does.
template <typename Kernel>
void set_scheduled(Kernel& kernel, const ScheduledFixture& s, std::size_t t) {
  for (const auto& [option, schedule] : s.schedules) {
    REQUIRE(optim::write_option(kernel, option, (*schedule)(static_cast<double>(t))));
  }
}

}  // namespace regimen::test
