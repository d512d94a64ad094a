#pragma once
// Reads a golden schedule curve written by tools/make_schedule_fixtures.py.
#include <fstream>
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
};

/// tests/fixtures/schedule/<name>.json.
inline ScheduleFixture load_schedule_fixture(const std::string& name) {
  const std::string path = std::string(REGIMEN_SOURCE_DIR) + "/tests/fixtures/schedule/" + name + ".json";
  std::ifstream in(path);
  INFO("fixture " << path);
  REQUIRE(in.good());
  const nlohmann::json j = nlohmann::json::parse(in);
  ScheduleFixture f{j.at("options"), j.at("t").get<std::vector<double>>(),
                    j.at("values").get<std::vector<double>>()};
  REQUIRE(f.t.size() == f.values.size());
  REQUIRE(!f.values.empty());
  return f;
}

}  // namespace regimen::test
