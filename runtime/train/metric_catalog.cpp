#include "runtime/train/metric_catalog.hpp"

#include <algorithm>
#include <cctype>

namespace regimen::train {
namespace {

const std::vector<std::string> kClassification{"accuracy", "top_5_accuracy", "precision", "recall", "f1"};
const std::vector<std::string> kBinary{"accuracy", "precision", "recall", "f1"};
const std::vector<std::string> kRegression{"mse", "mae", "r2"};

bool listed(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

bool starts_with(const std::string& text, const std::string& prefix) { return text.rfind(prefix, 0) == 0; }

}  // namespace

std::vector<std::string> metric_choices(loss::Task task) {
  switch (task) {
    case loss::Task::kClassification: return kClassification;
    case loss::Task::kBinary: return kBinary;
    case loss::Task::kRegression: return kRegression;
  }
  return {};
}

std::vector<std::string> default_metrics(loss::Task task) {
  if (task == loss::Task::kRegression) return {};
  return {"accuracy"};
}

int top_k_of(const std::string& name) {
  const std::string head = "top_";
  const std::string tail = "_accuracy";
  if (name.size() <= head.size() + tail.size() || !starts_with(name, head) ||
      name.compare(name.size() - tail.size(), tail.size(), tail) != 0)
    return 0;
  const std::string k = name.substr(head.size(), name.size() - head.size() - tail.size());
  if (k.size() > 6 || k[0] == '0' || !std::all_of(k.begin(), k.end(), [](char c) { return std::isdigit(c) != 0; }))
    return 0;
  return std::stoi(k);
}

bool metric_available(const std::string& name, loss::Task task) {
  if (task == loss::Task::kClassification && top_k_of(name) > 0) return true;
  return listed(metric_choices(task), name);
}

std::string metric_unavailable_note(const std::string& name, loss::Task task) {
  const bool top_k = top_k_of(name) > 0;
  const bool classifying = top_k || listed(kClassification, name);
  if (classifying && task == loss::Task::kRegression) return " (" + name + " needs a classification loss)";
  if (top_k && task == loss::Task::kBinary) return " (" + name + " needs loss.cross_entropy)";
  if (listed(kRegression, name) && task != loss::Task::kRegression) return " (" + name + " needs a regression loss)";
  if (starts_with(name, "top_") && name.size() > 13 && name.compare(name.size() - 9, 9, "_accuracy") == 0)
    return " (write k as a whole number >= 1, as in 'top_5_accuracy')";
  return "";
}

}  // namespace regimen::train
