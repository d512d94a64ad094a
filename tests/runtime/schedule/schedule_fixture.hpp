#pragma once
// Reads a golden schedule curve written by tools/make_schedule_fixtures.py and replays it.
#include <cmath>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

namespace regimen::test {

/// One fixture: the options it was made with and values[i] at t[i].
struct ScheduleFixture {
  nlohmann::json options;
  std::vector<double> t;
  std::vector<double> values;
  nlohmann::json raw;  ///< the whole file, for extra fields ("metrics")
};

/// tests/fixtures/schedule/<name>.json.
inline ScheduleFixture load_schedule_fixture(const std::string& name) {
  const std::string path = std::string(REGIMEN_SOURCE_DIR) + "/tests/fixtures/schedule/" + name + ".json";
  std::ifstream in(path);
  INFO("fixture " << path);
  REQUIRE(in.good());
  const nlohmann::json j = nlohmann::json::parse(in);
  ScheduleFixture f{j.at("options"), j.at("t").get<std::vector<double>>(),
                    j.at("values").get<std::vector<double>>(), j};
  REQUIRE(f.t.size() == f.values.size());
  REQUIRE(!f.values.empty());
  return f;
}

/// Checks value(t[i]) against values[i] for every i: within 1e-9 relative, or 1e-15 absolute
/// where the reference is within rounding of zero (a recursion's 0 may come out as 1e-18).
inline void check_curve(const std::string& name, const ScheduleFixture& f,
                        const std::function<double(double)>& value) {
  for (std::size_t i = 0; i < f.t.size(); ++i) {
    INFO(name << " t=" << f.t[i]);
    const double got = value(f.t[i]);
    if (std::abs(f.values[i]) < 1e-12) {
      CHECK_THAT(got, Catch::Matchers::WithinAbs(f.values[i], 1e-15));
    } else {
      CHECK_THAT(got, Catch::Matchers::WithinRel(f.values[i], 1e-9));
    }
  }
}

}  // namespace regimen::test
