// The terminal chart: rows per series, the maximum and minimum labelled, the width respected,
// and the curve's shape in the block heights.
#include <catch2/catch.hpp>

#include <sstream>
#include <string>
#include <vector>

#include "runtime/io/terminal_chart.hpp"

using regimen::io::Chart;
using regimen::io::render_terminal;
using regimen::io::Series;
using regimen::io::TerminalChartOptions;

namespace {

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// Display width: one column per UTF-8 character.
std::size_t columns(const std::string& line) {
  std::size_t n = 0;
  for (const char c : line) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

Series line(const std::string& name, int n, double from, double to) {
  Series s{name, "linear", {}, {}};
  for (int i = 0; i < n; ++i) {
    s.x.push_back(i);
    s.y.push_back(from + (to - from) * i / (n - 1));
  }
  return s;
}

}  // namespace

TEST_CASE("Terminal chart: a heading and labelled rows per series, one x axis", "[io]") {
  Chart chart;
  chart.title = "schedules of demo";
  chart.series = {line("lr", 101, 0.1, 0), line("momentum", 101, 0.85, 0.95)};
  const auto lines = lines_of(render_terminal(chart, TerminalChartOptions{60, 3}));
  // title, then (heading + 3 rows) per series, then the axis line and its labels.
  REQUIRE(lines.size() == 1 + 2 * 4 + 2);
  CHECK(lines[0] == "schedules of demo");
  CHECK(lines[1] == "lr: linear");
  CHECK_THAT(lines[2], Catch::StartsWith(" 0.1 \u2524"));
  CHECK_THAT(lines[3], Catch::StartsWith("     \u2502"));
  CHECK_THAT(lines[4], Catch::StartsWith("   0 \u2524"));
  CHECK(lines[5] == "momentum: linear");
  CHECK_THAT(lines[6], Catch::StartsWith("0.95 \u2524"));
  CHECK_THAT(lines[8], Catch::StartsWith("0.85 \u2524"));
  CHECK_THAT(lines[9], Catch::StartsWith("     \u2514\u2500"));
  CHECK(columns(lines[9]) == 60);
  CHECK_THAT(lines[10], Catch::StartsWith("      0") && Catch::EndsWith("100") && Catch::Contains("step"));
  for (const auto& l : lines) CHECK(columns(l) <= 60);
}

TEST_CASE("Terminal chart: a decreasing curve fills the first column and empties the last", "[io]") {
  Chart chart;
  chart.series = {line("lr", 200, 1, 0)};
  const auto lines = lines_of(render_terminal(chart, TerminalChartOptions{40, 2}));
  REQUIRE(lines.size() == 1 + 2 + 2);
  const std::string top = lines[1].substr(lines[1].find("\u2524") + 3);
  const std::string bottom = lines[2].substr(lines[2].find("\u2524") + 3);
  CHECK_THAT(top, Catch::StartsWith("\u2588"));      // full at the maximum
  CHECK_THAT(bottom, Catch::EndsWith("\u2581"));     // one eighth at the minimum
  CHECK(columns(top) < columns(bottom));            // the top row ends where the curve drops below it
}

TEST_CASE("Terminal chart: a constant fills half the height, too few points are interpolated", "[io]") {
  Chart chart;
  chart.series = {Series{"p", "", {0, 10}, {0.5, 0.5}}};
  const auto lines = lines_of(render_terminal(chart, TerminalChartOptions{30, 2}));
  REQUIRE(lines.size() == 1 + 2 + 2);
  CHECK(lines[0] == "p");
  // 16 levels, half = 1 + round(0.5 * 15) = 9 eighths: a full bottom row and one eighth above.
  CHECK_THAT(lines[1], Catch::EndsWith("\u2581"));
  CHECK_THAT(lines[2], Catch::EndsWith("\u2588"));
  CHECK(columns(lines[2]) == 30);
}
