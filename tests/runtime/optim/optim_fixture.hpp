#pragma once
// Reads a golden trajectory written by tools/make_optim_fixtures.py (real torch.optim, float64)
// and compares a replay against it.
#include <array>
#include <cmath>
#include <fstream>
#include <span>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "runtime/schedule/constant.hpp"

namespace regimen::test {

/// One fixture: options, the initial parameter, and per step the gradient and the result.
struct OptimFixture {
  nlohmann::json options;
  std::vector<double> initial;
  std::vector<std::vector<double>> grads;   ///< grads[k]: what step k was given
  std::vector<std::vector<double>> params;  ///< params[k]: the parameter after step k
  std::vector<std::vector<double>> x;       ///< schedule-free only: the average x after step k
};

/// tests/fixtures/optim/<name>.json.
inline OptimFixture load_optim_fixture(const std::string& name) {
  const std::string path = std::string(REGIMEN_SOURCE_DIR) + "/tests/fixtures/optim/" + name + ".json";
  std::ifstream in(path);
  INFO("fixture " << path);
  REQUIRE(in.good());
  const nlohmann::json j = nlohmann::json::parse(in);
  OptimFixture f{j.at("options"), j.at("initial").get<std::vector<double>>(), {}, {}, {}};
  for (const auto& step : j.at("steps")) {
    f.grads.push_back(step.at("grad").get<std::vector<double>>());
    f.params.push_back(step.at("params").get<std::vector<double>>());
    if (step.contains("x")) f.x.push_back(step.at("x").get<std::vector<double>>());
  }
  REQUIRE(!f.grads.empty());
  return f;
}

/// Element-wise: within `rel` relative, or within `abs` where the reference is near zero
/// (|expected| < abs / rel). A float32 replay's error tracks the parameters' scale (about 1
/// here), not the value of an element that happens to cross zero, hence abs = rel for float.
template <typename T>
void check_close(std::span<const T> actual, const std::vector<double>& expected, double rel, double abs) {
  REQUIRE(actual.size() == expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    INFO("element " << i);
    const double a = static_cast<double>(actual[i]);
    if (std::abs(expected[i]) < abs / rel) {
      CHECK_THAT(a, Catch::Matchers::WithinAbs(expected[i], abs));
    } else {
      CHECK_THAT(a, Catch::Matchers::WithinRel(expected[i], rel));
    }
  }
}

/// Feeds every recorded gradient to `step(params, grads)` over T, checking after each step.
/// `after(k, params)`, when given, checks more after step k (0-based).
template <typename T, typename Step, typename After>
void replay(const OptimFixture& f, Step&& step, double rel, double abs, After&& after) {
  std::vector<T> params(f.initial.begin(), f.initial.end());
  for (std::size_t k = 0; k < f.grads.size(); ++k) {
    INFO("after step " << k + 1);
    const std::vector<T> grads(f.grads[k].begin(), f.grads[k].end());
    step(std::span<T>(params), std::span<const T>(grads));
    check_close(std::span<const T>(params), f.params[k], rel, abs);
    after(k, std::span<T>(params));
  }
}

template <typename T, typename Step>
void replay(const OptimFixture& f, Step&& step, double rel, double abs) {
  replay<T>(f, step, rel, abs, [](std::size_t, std::span<T>) {});
}

/// The fixture's `betas` option.
inline std::array<double, 2> betas_of(const nlohmann::json& options) {
  return {options.at("betas").at(0).get<double>(), options.at("betas").at(1).get<double>()};
}

/// Replays fixture `name` through Kernel<double> (to 1e-9 relative) and through the float32
/// Optim with a constant lr (to 1e-5); `options_of(json)` builds both's options.
template <template <typename> class Kernel, typename Optim, typename OptionsOf>
void check_fixture(const std::string& name, OptionsOf&& options_of) {
  INFO("fixture " << name);
  const OptimFixture f = load_optim_fixture(name);
  const double lr = f.options.at("lr");
  Kernel<double> kernel(options_of(f.options));
  replay<double>(f, [&](std::span<double> p, std::span<const double> g) { kernel.apply(p, g, lr); }, 1e-9, 1e-12);
  Optim optimizer(schedule::constant(lr), options_of(f.options));
  replay<float>(f, [&](std::span<float> p, std::span<const float> g) { optimizer.step(p, g); }, 1e-5, 1e-5);
}

}  // namespace regimen::test
