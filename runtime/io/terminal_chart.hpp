#pragma once
// A chart as a few lines of text for the terminal: per series a heading (name and description)
// and a small area chart drawn with the eight Unicode lower blocks (U+2581..U+2588), so that
// each row of text resolves eight levels; the top row is labelled with the series' maximum and
// the bottom row with its minimum. One x axis under the last series gives the x range. Like
// the SVG (svg_chart.hpp), each series has its own vertical scale.
//
//   lr: cosine(lr=0.001, T_max=100, eta_min=0)
//      0.001 ┤█████▇▇▆▅▄▃▂▁
//            │█████████████▇▆▅▄▃▂
//            │██████████████████████▆▅▃▂▁
//          0 ┤████████████████████████████▇▆▄▂▁
//            └──────────────────────────────────
//             0             step             100
#include <string>

#include "runtime/io/series.hpp"

namespace regimen::io {

/// Sizes in terminal cells.
struct TerminalChartOptions {
  int width = 80;  ///< whole lines, labels included (at least 20 columns of plot are kept)
  int rows = 4;    ///< text rows per series (at least 2 are drawn)
};

/// The text of `chart` (check_chart() first; throws its InvalidArgument), lines ending in '\n'.
/// Each plot column shows the mean of the points that fall in it (the curve interpolated at
/// its middle when none do).
std::string render_terminal(const Chart& chart, const TerminalChartOptions& options = {});

}  // namespace regimen::io
