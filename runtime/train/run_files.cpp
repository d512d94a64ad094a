#include "runtime/train/run_files.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace regimen::train {
namespace {

std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\n\r") == std::string::npos) return text;
  std::string quoted = "\"";
  for (const char c : text) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  quoted += '"';
  return quoted;
}

std::string csv_number(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.17g", value);
  return buffer;
}

// The panel a metric is drawn in: its name without "val_", so that val_loss joins loss.
std::string panel_of(const std::string& name) { return name.starts_with("val_") ? name.substr(4) : name; }

}  // namespace

std::vector<std::string> metric_columns(const std::vector<Metrics>& epochs) {
  std::vector<std::string> names;
  for (const Metrics& metrics : epochs)
    for (const auto& item : metrics.items())
      if (std::find(names.begin(), names.end(), item.first) == names.end()) names.push_back(item.first);
  return names;
}

std::string metrics_csv(const std::vector<Metrics>& epochs) {
  const std::vector<std::string> columns = metric_columns(epochs);
  std::string csv = "epoch";
  for (const std::string& name : columns) {  // appended piece by piece: GCC 12 warns falsely on "," + s
    csv += ',';
    csv += csv_field(name);
  }
  csv += "\n";
  for (std::size_t epoch = 0; epoch < epochs.size(); ++epoch) {
    csv += std::to_string(epoch);
    for (const std::string& name : columns) {
      const auto value = epochs[epoch].get(name);
      csv += ',';
      if (value) csv += csv_number(*value);
    }
    csv += "\n";
  }
  return csv;
}

io::Chart run_curves(const std::vector<Metrics>& epochs, const std::string& title) {
  io::Chart chart;
  chart.title = title;
  chart.x_label = "epoch";
  chart.empty_note = "(no finished epoch)";
  std::vector<std::string> names = metric_columns(epochs);
  // Panels in order: loss first, lr last, the others as they first appear; a val_ series right
  // after its training twin.
  std::vector<std::string> panels;
  for (const std::string& name : names)
    if (std::find(panels.begin(), panels.end(), panel_of(name)) == panels.end()) panels.push_back(panel_of(name));
  std::stable_partition(panels.begin(), panels.end(), [](const std::string& p) { return p == "loss"; });
  std::stable_partition(panels.begin(), panels.end(), [](const std::string& p) { return p != "lr"; });
  for (const std::string& panel : panels) {
    std::string val = "val_";
    val += panel;
    for (const std::string& name : {panel, val}) {
      if (std::find(names.begin(), names.end(), name) == names.end()) continue;
      io::Series series(name, {}, {}, {}, panel);
      for (std::size_t epoch = 0; epoch < epochs.size(); ++epoch) {
        const auto value = epochs[epoch].get(name);
        if (!value || !std::isfinite(*value)) continue;
        series.x.push_back(static_cast<double>(epoch));
        series.y.push_back(*value);
      }
      if (!series.x.empty()) chart.series.push_back(std::move(series));
    }
  }
  return chart;
}

}  // namespace regimen::train
