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

void save_metrics(io::ByteWriter& out, const std::vector<Metrics>& epochs) {
  out.u64(epochs.size());
  for (const Metrics& metrics : epochs) {
    out.u64(metrics.items().size());
    for (const auto& [name, value] : metrics.items()) {
      out.string(name);
      out.f64(value);
    }
  }
}

std::vector<Metrics> load_metrics(io::ByteReader& in) {
  const std::uint64_t count = in.u64();
  if (count > in.remaining() / 8) in.fail("truncated: " + std::to_string(count) + " epochs of metrics cannot fit");
  std::vector<Metrics> epochs(static_cast<std::size_t>(count));
  for (Metrics& metrics : epochs) {
    const std::uint64_t values = in.u64();
    if (values > in.remaining() / 16) in.fail("truncated: " + std::to_string(values) + " metrics cannot fit");
    for (std::uint64_t i = 0; i < values; ++i) {
      std::string name = in.string();
      metrics.set(name, in.f64());
    }
  }
  return epochs;
}

}  // namespace regimen::train
