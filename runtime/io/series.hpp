#pragma once
// What a chart draws: named series of (x, y) points over a shared x axis. Plain data, filled by
// whoever samples the curves (the interpreter samples a recipe's schedules over its planned
// run) and read by the SVG and terminal renderers (svg_chart.hpp, terminal_chart.hpp).
#include <string>
#include <vector>

namespace regimen::io {

/// One curve: points (x[i], y[i]) in order of increasing x; x and y have the same length.
struct Series {
  std::string name;         ///< the legend's and the panel's label: "lr", "momentum"
  std::string description;  ///< what the curve is, for the legend: "cosine(lr=0.001, T_max=100, eta_min=0)"
  std::vector<double> x;
  std::vector<double> y;
};

/// Several curves over one x axis, each drawn in a panel of its own (their magnitudes differ).
struct Chart {
  std::string title;             ///< "schedules of fashion_mnist_mlp"
  std::string x_label = "step";  ///< the x axis title
  std::vector<Series> series;
  std::vector<double> x_marks;   ///< x values marked with a faint vertical line (epoch starts)
};

/// Throws InvalidArgument unless every series has as many x as y, at least one point, finite
/// values and non-decreasing x: "chart: series 'lr' has a non-finite value at x = 12".
void check_chart(const Chart& chart);

}  // namespace regimen::io
