#include "runtime/io/svg_chart.hpp"

#include <algorithm>
#include <cstdio>
#include <sstream>
#include <string>
#include <vector>

#include "runtime/io/ticks.hpp"
#include "runtime/io/xml_escape.hpp"

namespace regimen::io {
namespace {

constexpr int kLeft = 84;     // room for the rotated axis title and the tick labels
constexpr int kRight = 24;
constexpr int kTitleY = 26;
constexpr int kLegendRow = 18;
constexpr int kPanelGap = 18;
constexpr int kBottom = 52;   // x tick labels and the x axis title
constexpr int kMaxMarks = 60; // more epoch lines than this would only grey the panel out
constexpr std::size_t kMaxLegendText = 110;
// Tableau 10: distinct hues that stay apart for common colour blindness.
const char* const kColors[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                               "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};

std::string px(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.2f", value);
  return buffer;
}

// Cuts at a UTF-8 character boundary and marks the cut with an ellipsis.
std::string shorten(const std::string& text, std::size_t limit) {
  if (text.size() <= limit) return text;
  std::size_t cut = limit;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return text.substr(0, cut) + "\u2026";
}

struct Frame {
  double left, top, width, height;
};

// Maps a domain to a pixel range.
struct Scale {
  double lo, hi, from, to;
  double operator()(double v) const { return from + (v - lo) / (hi - lo) * (to - from); }
};

void write_legend(std::ostringstream& out, const Chart& chart, int top) {
  out << "<g class=\"legend\">\n";
  for (std::size_t i = 0; i < chart.series.size(); ++i) {
    const Series& s = chart.series[i];
    const int y = top + static_cast<int>(i) * kLegendRow;
    const char* color = kColors[i % std::size(kColors)];
    std::string text = s.name + (s.description.empty() ? "" : ": " + s.description);
    out << "<g class=\"legend-item\"><line x1=\"" << kLeft << "\" y1=\"" << y - 4 << "\" x2=\"" << kLeft + 24
        << "\" y2=\"" << y - 4 << "\" stroke=\"" << color << "\" stroke-width=\"3\"/><text x=\"" << kLeft + 32
        << "\" y=\"" << y << "\">" << xml_escape(shorten(text, kMaxLegendText)) << "</text></g>\n";
  }
  out << "</g>\n";
}

// The series of each panel (indices into chart.series), panels in order of first appearance.
std::vector<std::vector<std::size_t>> panels_of(const Chart& chart) {
  std::vector<std::vector<std::size_t>> panels;
  std::vector<std::string> names;
  for (std::size_t i = 0; i < chart.series.size(); ++i) {
    const std::string& panel = chart.series[i].panel;
    const auto found = panel.empty() ? names.end() : std::find(names.begin(), names.end(), panel);
    if (found != names.end()) {
      panels[static_cast<std::size_t>(found - names.begin())].push_back(i);
    } else {
      panels.push_back({i});
      names.push_back(panel);
    }
  }
  return panels;
}

void write_panel(std::ostringstream& out, const Chart& chart, const std::vector<std::size_t>& members, const Frame& f,
                 const Axis& x_axis, bool last) {
  const Series& s = chart.series[members.front()];
  double y_lo = s.y.front();
  double y_hi = s.y.front();
  for (const std::size_t m : members) {
    const auto [lo, hi] = std::minmax_element(chart.series[m].y.begin(), chart.series[m].y.end());
    y_lo = std::min(y_lo, *lo);
    y_hi = std::max(y_hi, *hi);
  }
  const Axis y_axis = nice_axis(y_lo, y_hi, 4);
  const Scale sx{x_axis.lo, x_axis.hi, f.left, f.left + f.width};
  const Scale sy{y_axis.lo, y_axis.hi, f.top + f.height, f.top};
  const double bottom = f.top + f.height;
  const std::string name = xml_escape(s.panel.empty() ? s.name : s.panel);

  out << "<g class=\"panel\" data-series=\"" << name << "\" data-x-min=\"" << x_axis.lo << "\" data-x-max=\""
      << x_axis.hi << "\" data-y-min=\"" << y_axis.lo << "\" data-y-max=\"" << y_axis.hi << "\">\n";
  out << "<rect class=\"plot-area\" x=\"" << px(f.left) << "\" y=\"" << px(f.top) << "\" width=\"" << px(f.width)
      << "\" height=\"" << px(f.height) << "\" fill=\"#fbfbfb\" stroke=\"#444\"/>\n";
  out << "<g class=\"grid\" stroke=\"#e3e3e3\">\n";
  for (const double t : y_axis.ticks)
    out << "<line x1=\"" << px(f.left) << "\" y1=\"" << px(sy(t)) << "\" x2=\"" << px(f.left + f.width) << "\" y2=\""
        << px(sy(t)) << "\"/>\n";
  for (const double t : x_axis.ticks)
    out << "<line x1=\"" << px(sx(t)) << "\" y1=\"" << px(f.top) << "\" x2=\"" << px(sx(t)) << "\" y2=\"" << px(bottom)
        << "\"/>\n";
  out << "</g>\n";
  if (!chart.x_marks.empty() && chart.x_marks.size() <= kMaxMarks) {
    out << "<g class=\"marks\" stroke=\"#b8b8b8\" stroke-dasharray=\"3,3\">\n";
    for (const double m : chart.x_marks)
      if (m > x_axis.lo && m < x_axis.hi)
        out << "<line x1=\"" << px(sx(m)) << "\" y1=\"" << px(f.top) << "\" x2=\"" << px(sx(m)) << "\" y2=\""
            << px(bottom) << "\"/>\n";
    out << "</g>\n";
  }
  out << "<g class=\"y-axis\" text-anchor=\"end\">\n";
  for (const double t : y_axis.ticks)
    out << "<line x1=\"" << px(f.left - 5) << "\" y1=\"" << px(sy(t)) << "\" x2=\"" << px(f.left) << "\" y2=\""
        << px(sy(t)) << "\" stroke=\"#444\"/><text x=\"" << px(f.left - 8) << "\" y=\"" << px(sy(t) + 4) << "\">"
        << xml_escape(format_tick(t, y_axis.step)) << "</text>\n";
  const double middle = f.top + f.height / 2;
  // The axis title is the value's name; a note in parentheses stays in the legend.
  const std::string title = s.panel.empty() ? s.name.substr(0, s.name.find(" (")) : s.panel;
  out << "<text class=\"axis-title\" text-anchor=\"middle\" transform=\"translate(14," << px(middle)
      << ") rotate(-90)\">" << xml_escape(shorten(title, static_cast<std::size_t>(f.height / 7))) << "</text>\n";
  out << "</g>\n";
  out << "<g class=\"x-axis\" text-anchor=\"middle\">\n";
  for (const double t : x_axis.ticks) {
    out << "<line x1=\"" << px(sx(t)) << "\" y1=\"" << px(bottom) << "\" x2=\"" << px(sx(t)) << "\" y2=\""
        << px(bottom + 5) << "\" stroke=\"#444\"/>";
    if (last) out << "<text x=\"" << px(sx(t)) << "\" y=\"" << px(bottom + 18) << "\">" << format_tick(t, x_axis.step) << "</text>";
    out << "\n";
  }
  out << "</g>\n";
  for (const std::size_t m : members) {
    const Series& series = chart.series[m];
    out << "<polyline class=\"series\" fill=\"none\" stroke=\"" << kColors[m % std::size(kColors)]
        << "\" stroke-width=\"1.5\" stroke-linejoin=\"round\" points=\"";
    for (std::size_t i = 0; i < series.x.size(); ++i)
      out << (i ? " " : "") << px(sx(series.x[i])) << "," << px(sy(series.y[i]));
    out << "\"><title>" << xml_escape(series.name) << "</title></polyline>\n";
  }
  out << "</g>\n";
}

}  // namespace

std::string render_svg(const Chart& chart, const SvgOptions& options) {
  check_chart(chart);
  const int width = std::max(options.width, kLeft + kRight + 100);
  const int panel_height = std::max(options.panel_height, 40);
  const auto panels = panels_of(chart);
  const int n = static_cast<int>(panels.size());
  const int legend_top = kTitleY + 24;
  const int panels_top = legend_top + static_cast<int>(chart.series.size()) * kLegendRow + 8;
  const int height = panels_top + std::max(n, 1) * (panel_height + kPanelGap) + kBottom;

  double x_lo = 0.0;
  double x_hi = 0.0;
  bool first = true;
  for (const Series& s : chart.series) {
    x_lo = first ? s.x.front() : std::min(x_lo, s.x.front());
    x_hi = first ? s.x.back() : std::max(x_hi, s.x.back());
    first = false;
  }
  const Axis x_axis = exact_axis(x_lo, x_hi, 8);

  std::ostringstream out;
  out.precision(17);
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      << "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"" << width << "\" height=\"" << height
      << "\" viewBox=\"0 0 " << width << " " << height << "\" font-family=\"sans-serif\" font-size=\"12\">\n"
      << "<title>" << xml_escape(chart.title) << "</title>\n"
      << "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
      << "<text class=\"title\" x=\"" << kLeft << "\" y=\"" << kTitleY << "\" font-size=\"16\" font-weight=\"bold\">"
      << xml_escape(chart.title) << "</text>\n";
  if (chart.series.empty()) {
    out << "<text x=\"" << kLeft << "\" y=\"" << legend_top << "\">" << xml_escape(chart.empty_note) << "</text>\n</svg>\n";
    return out.str();
  }
  write_legend(out, chart, legend_top);
  const double plot_width = width - kLeft - kRight;
  for (int i = 0; i < n; ++i) {
    const Frame frame{static_cast<double>(kLeft), static_cast<double>(panels_top + i * (panel_height + kPanelGap)),
                      plot_width, static_cast<double>(panel_height)};
    write_panel(out, chart, panels[static_cast<std::size_t>(i)], frame, x_axis, i + 1 == n);
  }
  const int last_bottom = panels_top + n * (panel_height + kPanelGap) - kPanelGap;
  out << "<text class=\"axis-title\" x=\"" << px(kLeft + plot_width / 2) << "\" y=\"" << last_bottom + 40
      << "\" text-anchor=\"middle\">" << xml_escape(chart.x_label) << "</text>\n";
  out << "</svg>\n";
  return out.str();
}

}  // namespace regimen::io
