#pragma once
// Named metric values of one epoch, in the order they were recorded (Keras names: loss,
// accuracy, val_loss, val_accuracy).
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "runtime/io/byte_stream.hpp"

namespace regimen::train {

/// An ordered list of (name, value) pairs.
class Metrics {
 public:
  /// Sets `name` to `value`, appending it if new.
  void set(const std::string& name, double value);
  /// The value of `name`, if recorded.
  std::optional<double> get(const std::string& name) const;
  /// Every recorded value, in order.
  const std::vector<std::pair<std::string, double>>& items() const { return items_; }
  /// Copies every entry of `other`, prefixing names ("val_" + "loss").
  void merge(const Metrics& other, const std::string& prefix = "");

 private:
  std::vector<std::pair<std::string, double>> items_;
};

/// A list of epochs' metrics, for a checkpoint, and back.
void save_metrics(io::ByteWriter& out, const std::vector<Metrics>& epochs);
std::vector<Metrics> load_metrics(io::ByteReader& in);

}  // namespace regimen::train
