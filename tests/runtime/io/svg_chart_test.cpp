// The SVG writer: one polyline per series with one point per (x, y), points placed by the
// panel's axis domains, text escaped, and bad series rejected. The document's XML validity
// is checked with a real parser by the CLI tests (tests/cli/plot_test.cpp).
#include <catch2/catch.hpp>

#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "runtime/error.hpp"
#include "runtime/io/svg_chart.hpp"

using regimen::io::Chart;
using regimen::io::render_svg;
using regimen::io::Series;

namespace {

Series ramp(const std::string& name, int n, double scale) {
  Series s{name, "ramp", {}, {}};
  for (int i = 0; i < n; ++i) {
    s.x.push_back(i);
    s.y.push_back(scale * i);
  }
  return s;
}

std::vector<std::string> polyline_points(const std::string& svg) {
  std::vector<std::string> found;
  const std::regex polyline(R"(<polyline[^>]* points="([^"]*)\")");
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), polyline); it != std::sregex_iterator(); ++it)
    found.push_back((*it)[1]);
  return found;
}

std::size_t count_points(const std::string& points) {
  std::istringstream in(points);
  std::size_t n = 0;
  for (std::string pair; in >> pair;) ++n;
  return n;
}

std::size_t count(const std::string& text, const std::string& piece) {
  std::size_t n = 0;
  for (auto at = text.find(piece); at != std::string::npos; at = text.find(piece, at + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE("SVG chart: one polyline per series with one point per value", "[io]") {
  Chart chart;
  chart.title = "two";
  chart.series = {ramp("lr", 101, 1e-5), ramp("momentum", 101, 0.009)};
  chart.series[1].x.resize(51);
  chart.series[1].y.resize(51);
  const std::string svg = render_svg(chart);
  const auto points = polyline_points(svg);
  REQUIRE(points.size() == 2);
  CHECK(count_points(points[0]) == 101);
  CHECK(count_points(points[1]) == 51);
  CHECK(count(svg, "class=\"panel\"") == 2);
  CHECK(count(svg, "class=\"legend-item\"") == 2);
  CHECK_THAT(svg, Catch::StartsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\""));
  CHECK_THAT(svg, Catch::EndsWith("</svg>\n"));
}

TEST_CASE("SVG chart: points map the axis domain onto the plot area", "[io]") {
  Chart chart;
  chart.series = {ramp("lr", 11, 0.1)};  // y = 0 .. 1 over x = 0 .. 10: axis [0, 1] exactly
  const std::string svg = render_svg(chart);
  std::smatch area;
  REQUIRE(std::regex_search(
      svg, area, std::regex(R"re(class="plot-area" x="([0-9.]+)" y="([0-9.]+)" width="([0-9.]+)" height="([0-9.]+)")re")));
  const double left = std::stod(area[1]), top = std::stod(area[2]), width = std::stod(area[3]), height = std::stod(area[4]);
  CHECK_THAT(svg, Catch::Contains("data-x-min=\"0\" data-x-max=\"10\" data-y-min=\"0\" data-y-max=\"1\""));
  const auto points = polyline_points(svg);
  REQUIRE(points.size() == 1);
  std::istringstream in(points[0]);
  std::vector<std::pair<double, double>> xy;
  for (std::string pair; in >> pair;) xy.emplace_back(std::stod(pair.substr(0, pair.find(','))), std::stod(pair.substr(pair.find(',') + 1)));
  REQUIRE(xy.size() == 11);
  // (0, 0) is the bottom-left corner of the plot area, (10, 1) the top-right one, (5, 0.5) the middle;
  // coordinates are written to 0.01.
  CHECK_THAT(xy[0].first, Catch::Matchers::WithinAbs(left, 0.006));
  CHECK_THAT(xy[0].second, Catch::Matchers::WithinAbs(top + height, 0.006));
  CHECK_THAT(xy[5].first, Catch::Matchers::WithinAbs(left + width / 2, 0.006));
  CHECK_THAT(xy[5].second, Catch::Matchers::WithinAbs(top + height / 2, 0.006));
  CHECK_THAT(xy[10].first, Catch::Matchers::WithinAbs(left + width, 0.006));
  CHECK_THAT(xy[10].second, Catch::Matchers::WithinAbs(top, 0.006));
}

TEST_CASE("SVG chart: names and descriptions are escaped", "[io]") {
  Chart chart;
  chart.title = "a <b> & \"c\"";
  Series s = ramp("p<1>", 3, 1);
  s.description = "lambda(r&d.lua:3)";
  chart.series = {s};
  const std::string svg = render_svg(chart);
  CHECK_THAT(svg, Catch::Contains("<title>a &lt;b&gt; &amp; &quot;c&quot;</title>"));
  CHECK_THAT(svg, Catch::Contains("p&lt;1&gt;: lambda(r&amp;d.lua:3)"));
  CHECK_THAT(svg, Catch::Contains("data-series=\"p&lt;1&gt;\""));
  CHECK(svg.find("<1>") == std::string::npos);
}

TEST_CASE("SVG chart: epoch marks are drawn inside the x range", "[io]") {
  Chart chart;
  chart.series = {ramp("lr", 31, 1)};
  chart.x_marks = {0, 10, 20, 30};
  const std::string svg = render_svg(chart);
  const auto marks = svg.substr(svg.find("class=\"marks\""));
  CHECK(count(marks.substr(0, marks.find("</g>")), "<line") == 2);  // 10 and 20; 0 and 30 are the frame
}

TEST_CASE("SVG chart: a chart without series is a document with a note", "[io]") {
  Chart chart;
  chart.title = "none";
  const std::string svg = render_svg(chart);
  CHECK_THAT(svg, Catch::Contains("(no scheduled values)") && Catch::EndsWith("</svg>\n"));
  CHECK(polyline_points(svg).empty());
}

TEST_CASE("SVG chart: series with mismatched, missing or non-finite values are rejected", "[io]") {
  Chart chart;
  chart.series = {ramp("lr", 3, 1)};
  chart.series[0].y.pop_back();
  CHECK_THROWS_WITH(render_svg(chart), "chart: series 'lr' has 3 x values and 2 y values");
  chart.series = {Series{"lr", "", {}, {}}};
  CHECK_THROWS_WITH(render_svg(chart), "chart: series 'lr' has no points");
  chart.series = {ramp("lr", 3, 1)};
  chart.series[0].y[2] = std::nan("");
  CHECK_THROWS_AS(render_svg(chart), regimen::InvalidArgument);
  CHECK_THROWS_WITH(render_svg(chart), "chart: series 'lr' has a non-finite value at x = 2");
}
