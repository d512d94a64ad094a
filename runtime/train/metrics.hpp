#pragma once
// Named metric values of one epoch, in the order they were recorded (Keras names: loss,
// accuracy, val_loss, val_accuracy).
#include <optional>
#include <string>
#include <utility>
#include <vector>

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

}  // namespace regimen::train
