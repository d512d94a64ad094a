#include "runtime/io/series.hpp"

#include <cmath>

#include "runtime/error.hpp"
#include "runtime/option_check.hpp"

namespace regimen::io {

void check_chart(const Chart& chart) {
  for (const Series& s : chart.series) {
    const std::string which = "chart: series '" + s.name + "'";
    if (s.x.size() != s.y.size()) {
      throw InvalidArgument(which + " has " + std::to_string(s.x.size()) + " x values and " +
                            std::to_string(s.y.size()) + " y values");
    }
    if (s.x.empty()) throw InvalidArgument(which + " has no points");
    for (std::size_t i = 0; i < s.x.size(); ++i) {
      if (!std::isfinite(s.x[i]) || !std::isfinite(s.y[i]))
        throw InvalidArgument(which + " has a non-finite value at x = " + format_number(s.x[i]));
      if (i > 0 && s.x[i] < s.x[i - 1])
        throw InvalidArgument(which + ": x decreases at x = " + format_number(s.x[i]));
    }
  }
}

}  // namespace regimen::io
