#include "runtime/train/metrics.hpp"

namespace regimen::train {

void Metrics::set(const std::string& name, double value) {
  for (auto& [key, existing] : items_) {
    if (key == name) {
      existing = value;
      return;
    }
  }
  items_.emplace_back(name, value);
}

std::optional<double> Metrics::get(const std::string& name) const {
  for (const auto& [key, value] : items_)
    if (key == name) return value;
  return std::nullopt;
}

void Metrics::merge(const Metrics& other, const std::string& prefix) {
  for (const auto& [key, value] : other.items_) set(prefix + key, value);
}

}  // namespace regimen::train
