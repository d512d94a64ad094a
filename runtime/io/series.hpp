#pragma once
// What a chart draws: named series of (x, y) points over a shared x axis. Plain data, filled by
// whoever samples the curves (the interpreter samples a recipe's schedules over its planned
// run) and read by the SVG and terminal renderers (svg_chart.hpp, terminal_chart.hpp).
#include <string>
#include <utility>
#include <vector>

namespace regimen::io {

/// One curve: points (x[i], y[i]) in order of increasing x; x and y have the same length.
struct Series {
  Series() = default;
  /// A constructor rather than aggregate initialization, so that a series built without a panel
  /// leaves no member uninitialized in the compiler's eyes (-Wmissing-field-initializers).
  Series(std::string name_, std::string description_, std::vector<double> x_, std::vector<double> y_,
         std::string panel_ = {})
      : name(std::move(name_)), description(std::move(description_)), x(std::move(x_)), y(std::move(y_)),
        panel(std::move(panel_)) {}

  std::string name;         ///< the legend's and the panel's label: "lr", "momentum"
  std::string description;  ///< what the curve is, for the legend: "cosine(lr=0.001, T_max=100, eta_min=0)"
  std::vector<double> x;
  std::vector<double> y;
  /// Series with the same non-empty panel share one panel whose y axis covers them all and is
  /// titled by it ("loss" for loss and val_loss); empty: a panel of its own, titled by name.
  std::string panel;
};

/// Several curves over one x axis, each drawn in a panel of its own (their magnitudes differ).
struct Chart {
  std::string title;             ///< "schedules of fashion_mnist_mlp"
  std::string x_label = "step";  ///< the x axis title
  std::vector<Series> series;
  std::vector<double> x_marks;   ///< x values marked with a faint vertical line (epoch starts)
  std::string empty_note = "(no scheduled values)";  ///< shown instead of panels when there is no series
};

/// Throws InvalidArgument unless every series has as many x as y, at least one point, finite
/// values and non-decreasing x: "chart: series 'lr' has a non-finite value at x = 12".
void check_chart(const Chart& chart);

}  // namespace regimen::io
