// `regimen run` of a plain script that prints s(t) for t = 0..N prints what the PyTorch and
// Keras fixtures say (tests/fixtures/schedule, written by tools/make_schedule_fixtures.py),
// for built-ins, combinators, a plateau fed its recorded metrics, and the same curves through
// a Lua function schedule. Within 1e-9 relative (1e-15 absolute near zero), as the C++ tests.
#include <cstdio>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "runtime/schedule/schedule_fixture.hpp"
#include "support/run_command.hpp"
#include "support/temp_dir.hpp"

using regimen::testing::regimen_command;
using regimen::testing::run_command;
using regimen::testing::TempDir;

namespace {

std::string lua_number(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.17g", value);
  return buffer;
}

// A fixture's options as Lua: objects become option tables; {"schedule": name, ...} becomes
// schedule.name{...}.
std::string lua_value(const nlohmann::json& j) {
  if (j.is_boolean()) return j.get<bool>() ? "true" : "false";
  if (j.is_number()) return lua_number(j.get<double>());
  if (j.is_string()) return std::string(1, '\'').append(j.get<std::string>()).append(1, '\'');  // GCC 12 -Wrestrict
  std::string text = "{";
  if (j.is_array()) {
    for (const auto& item : j) text += lua_value(item) + ", ";
    return text + "}";
  }
  for (const auto& [key, value] : j.items())
    if (key != "schedule") text += key + " = " + lua_value(value) + ", ";
  text += "}";
  return j.contains("schedule") ? "schedule." + j.at("schedule").get<std::string>() + text : text;
}

// The Lua expression that builds fixture `f`'s schedule.
std::string make(const regimen::test::ScheduleFixture& f) {
  const std::string kind = f.raw.at("schedule");
  if (kind != "join" && kind != "product") return "schedule." + kind + lua_value(f.options);
  std::string pieces;
  const auto& p = f.options.at("pieces");
  for (std::size_t i = 0; i < p.size(); ++i) {
    pieces += lua_value(p[i]) + ", ";
    if (kind == "join" && i + 1 < p.size()) pieces += lua_value(f.options.at("boundaries")[i]) + ", ";
  }
  return "schedule." + kind + "{" + pieces + "}";
}

// Lua that prints "<label> <t> <value>" for every t of the fixture; a plateau observes metric
// t before step t + 1 is read.
std::string printer(const std::string& label, const std::string& schedule, const regimen::test::ScheduleFixture& f) {
  std::string feed;
  if (f.raw.contains("metrics")) {
    std::string metrics = "{";
    for (double m : f.raw.at("metrics").get<std::vector<double>>()) metrics += lua_number(m) + ", ";
    feed = "  if t > 0 then p:observe((" + metrics + "})[t]) end\n";
  }
  return "do\n  local p = " + schedule + "\n  local s = p\n" +
         (label.find("lambda") != std::string::npos ? "  s = schedule.lambda(function(t, ctx) return p(t) end)\n" : "") +
         "  for t = 0, " + std::to_string(f.t.size() - 1) + " do\n" + feed + "    print(string.format('" + label +
         " %d %.17g', t, s(t)))\n  end\nend\n";
}

}  // namespace

TEST_CASE("CLI: a script printing s(t) matches the schedule fixtures", "[cli][schedule]") {
  const std::vector<std::string> names{"cosine_long",       "step_half",          "multistep_repeated",
                                       "exponential",       "exponential_decay_staircase", "inverse_time_smooth",
                                       "piecewise",         "polynomial_cycle",   "linear_up",
                                       "cosine_restarts_tmult2", "one_cycle_cos", "one_cycle_three_phase",
                                       "cyclic_triangular2", "join_warmup_cosine", "product_chained",
                                       "plateau_min_rel"};
  std::map<std::string, regimen::test::ScheduleFixture> fixtures;
  std::string script;
  for (const auto& name : names) {
    const auto f = regimen::test::load_schedule_fixture(name);
    script += printer(name, make(f), f);
    // The same curve through a Lua function schedule that calls the built-in.
    if (name != "plateau_min_rel") script += printer(name + "_lambda", make(f), f);
    fixtures.emplace(name, f);
  }
  TempDir dir;
  const std::string path = dir.write("print_schedules.lua", script);
  const auto result = run_command(regimen_command("run " + path));
  INFO(result.output.substr(0, 2000));
  REQUIRE(result.exit_code == 0);

  std::map<std::string, std::vector<double>> printed;
  std::istringstream lines(result.output);
  std::string label;
  std::size_t t = 0;
  double value = 0;
  while (lines >> label >> t >> value) {
    auto& values = printed[label];
    REQUIRE(t == values.size());
    values.push_back(value);
  }
  CHECK(printed.size() == 2 * names.size() - 1);
  for (const auto& [label, values] : printed) {
    const std::string name = label.substr(0, label.rfind("_lambda") == label.size() - 7 ? label.size() - 7 : label.size());
    const auto& f = fixtures.at(name);
    REQUIRE(values.size() == f.values.size());
    regimen::test::check_curve(label, f, [&printed_values = values](double at) {
      return printed_values[static_cast<std::size_t>(at)];
    });
  }
}
