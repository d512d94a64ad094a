#include "runtime/io/terminal_chart.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "runtime/io/ticks.hpp"

namespace regimen::io {
namespace {

// U+2581..U+2588: one to eight eighths of a cell, bottom up.
const char* const kBlocks[] = {" ", "\u2581", "\u2582", "\u2583", "\u2584", "\u2585", "\u2586", "\u2587", "\u2588"};
constexpr int kMinPlotWidth = 20;

// The curve linearly interpolated at x (held flat beyond its ends).
double interpolate(const Series& s, double x) {
  const auto it = std::lower_bound(s.x.begin(), s.x.end(), x);
  if (it == s.x.begin()) return s.y.front();
  if (it == s.x.end()) return s.y.back();
  const auto i = static_cast<std::size_t>(it - s.x.begin());
  const double span = s.x[i] - s.x[i - 1];
  if (span <= 0.0) return s.y[i];
  return s.y[i - 1] + (s.y[i] - s.y[i - 1]) * (x - s.x[i - 1]) / span;
}

// One value per plot column: the mean of the points in the column's x range.
std::vector<double> columns_of(const Series& s, double x_lo, double x_hi, int width) {
  std::vector<double> sum(static_cast<std::size_t>(width), 0.0);
  std::vector<int> count(static_cast<std::size_t>(width), 0);
  const double span = x_hi - x_lo;
  for (std::size_t i = 0; i < s.x.size(); ++i) {
    const int c = span > 0.0 ? std::clamp(static_cast<int>((s.x[i] - x_lo) / span * width), 0, width - 1) : 0;
    sum[static_cast<std::size_t>(c)] += s.y[i];
    ++count[static_cast<std::size_t>(c)];
  }
  std::vector<double> values(static_cast<std::size_t>(width));
  for (int c = 0; c < width; ++c) {
    const auto k = static_cast<std::size_t>(c);
    values[k] = count[k] > 0 ? sum[k] / count[k] : interpolate(s, x_lo + (c + 0.5) / width * span);
  }
  return values;
}

std::string pad_left(const std::string& text, std::size_t width) {
  return text.size() >= width ? text : std::string(width - text.size(), ' ') + text;
}

std::string repeat(const char* piece, int times) {
  std::string out;
  for (int i = 0; i < times; ++i) out += piece;
  return out;
}

}  // namespace

std::string render_terminal(const Chart& chart, const TerminalChartOptions& options) {
  check_chart(chart);
  std::ostringstream out;
  if (chart.series.empty()) {
    out << (chart.title.empty() ? "" : chart.title + "\n") << "(no scheduled values)\n";
    return out.str();
  }
  const int rows = std::max(2, options.rows);  // a row for the maximum, one for the minimum
  std::size_t label_width = 1;
  double x_lo = chart.series.front().x.front();
  double x_hi = chart.series.front().x.back();
  for (const Series& s : chart.series) {
    const auto [lo, hi] = std::minmax_element(s.y.begin(), s.y.end());
    label_width = std::max({label_width, format_short(*lo).size(), format_short(*hi).size()});
    x_lo = std::min(x_lo, s.x.front());
    x_hi = std::max(x_hi, s.x.back());
  }
  const int plot_width = std::max(kMinPlotWidth, options.width - static_cast<int>(label_width) - 2);
  if (!chart.title.empty()) out << chart.title << "\n";
  for (const Series& s : chart.series) {
    out << s.name << (s.description.empty() ? "" : ": " + s.description) << "\n";
    const auto [lo_it, hi_it] = std::minmax_element(s.y.begin(), s.y.end());
    const double lo = *lo_it;
    const double hi = *hi_it;
    const int levels = rows * 8;
    std::vector<int> heights;
    for (const double v : columns_of(s, x_lo, x_hi, plot_width)) {
      // At least one eighth, so that the curve stays visible where it sits at its minimum; a
      // constant curve fills half the height.
      const double share = hi > lo ? (v - lo) / (hi - lo) : 0.5;
      heights.push_back(1 + static_cast<int>(std::lround(std::clamp(share, 0.0, 1.0) * (levels - 1))));
    }
    for (int r = rows - 1; r >= 0; --r) {
      const std::string label = r == rows - 1 ? format_short(hi) : r == 0 ? format_short(lo) : "";
      const bool labelled = !label.empty();
      out << pad_left(label, label_width) << " " << (labelled ? "\u2524" : "\u2502");
      std::string line;
      for (const int h : heights) line += kBlocks[std::clamp(h - r * 8, 0, 8)];
      while (!line.empty() && line.back() == ' ') line.pop_back();
      out << line << "\n";
    }
  }
  out << std::string(label_width + 1, ' ') << "\u2514" << repeat("\u2500", plot_width) << "\n";
  const std::string left = format_short(x_lo);
  const std::string right = format_short(x_hi);
  const std::string& title = chart.x_label;
  std::string axis(static_cast<std::size_t>(plot_width), ' ');
  axis.replace(0, std::min(left.size(), axis.size()), left.substr(0, axis.size()));
  if (right.size() < axis.size()) axis.replace(axis.size() - right.size(), right.size(), right);
  const std::size_t middle = (axis.size() - std::min(title.size(), axis.size())) / 2;
  if (middle > left.size() && middle + title.size() + right.size() < axis.size())
    axis.replace(middle, title.size(), title);
  while (!axis.empty() && axis.back() == ' ') axis.pop_back();
  out << std::string(label_width + 2, ' ') << axis << "\n";
  return out.str();
}

}  // namespace regimen::io
