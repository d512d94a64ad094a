#pragma once
// A chart as a standalone SVG document that a browser opens: a title, a legend (one swatch and
// description per series), then one panel per series stacked vertically over a shared x axis.
// Each panel has its own y axis, because the curves of a run differ by orders of magnitude
// (lr 1e-3, momentum 0.9, batch size 128): a shared or normalized axis would flatten one or
// hide its units. Each panel holds a frame, nice ticks with labels and grid lines, the axis
// title, faint dashed lines at the chart's x marks, and one <polyline> per series drawn in it
// (one, unless series share a panel: Series::panel), with one point per (x, y) of its series.
// The x tick labels and title sit under the last panel.
//
// For readers (and tests) that map points back to values, each panel is a
// <g class="panel" data-series="NAME (or PANEL)" data-x-min data-x-max data-y-min data-y-max> whose
// <rect class="plot-area"> is the region the axis domains map onto (y grows downwards).
#include <string>

#include "runtime/io/series.hpp"

namespace regimen::io {

/// Sizes in SVG user units (pixels).
struct SvgOptions {
  int width = 860;         ///< the whole document
  int panel_height = 130;  ///< one series' plot area
};

/// The SVG text of `chart` (check_chart() first; throws its InvalidArgument). A chart with no
/// series is a valid document holding its title and a note.
std::string render_svg(const Chart& chart, const SvgOptions& options = {});

}  // namespace regimen::io
