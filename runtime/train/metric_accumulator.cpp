#include "runtime/train/metric_accumulator.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <type_traits>

#include "runtime/error.hpp"
#include "runtime/loss/accuracy.hpp"
#include "runtime/loss/class_targets.hpp"
#include "runtime/train/classification_scores.hpp"
#include "runtime/train/metric_catalog.hpp"

namespace regimen::train {

MetricAccumulator::MetricAccumulator(loss::Task task, Index outputs, std::vector<std::string> names)
    : task_(task), outputs_(outputs), names_(std::move(names)) {
  if (outputs < 1) throw InvalidArgument("metrics: the model has no outputs");
  for (const std::string& name : names_) {
    if (!metric_available(name, task_))
      throw InvalidArgument("metrics: '" + name + "' is not a metric this run can report" +
                            metric_unavailable_note(name, task_));
    top_k_.push_back(top_k_of(name));
    any_top_k_ = any_top_k_ || top_k_.back() > 0;
  }
  top_k_hits_.assign(names_.size(), 0);
  const std::size_t columns = static_cast<std::size_t>(outputs_);
  if (task_ == loss::Task::kClassification) confusion_.emplace(outputs_);
  if (task_ == loss::Task::kBinary) {
    true_positives_.assign(columns, 0);
    predicted_.assign(columns, 0);
    actual_.assign(columns, 0);
    if (outputs_ == 1) confusion_.emplace(2);
  }
  if (task_ == loss::Task::kRegression) {
    mean_.assign(columns, 0.0);
    m2_.assign(columns, 0.0);
    residual_.assign(columns, 0.0);
  }
}

void MetricAccumulator::reset() {
  rows_ = 0;
  if (confusion_) confusion_->clear();
  std::fill(top_k_hits_.begin(), top_k_hits_.end(), 0);
  std::fill(true_positives_.begin(), true_positives_.end(), 0);
  std::fill(predicted_.begin(), predicted_.end(), 0);
  std::fill(actual_.begin(), actual_.end(), 0);
  matches_ = 0;
  squared_sum_ = absolute_sum_ = 0.0;
  std::fill(mean_.begin(), mean_.end(), 0.0);
  std::fill(m2_.begin(), m2_.end(), 0.0);
  std::fill(residual_.begin(), residual_.end(), 0.0);
}

void MetricAccumulator::add(const Matrix& prediction, const Matrix& target) {
  switch (task_) {
    case loss::Task::kClassification: add_classification(prediction, target); break;
    case loss::Task::kBinary: add_binary(prediction, target); break;
    case loss::Task::kRegression: add_regression(prediction, target); break;
  }
  rows_ += prediction.rows();
}

void MetricAccumulator::add_classification(const Matrix& logits, const Matrix& target) {
  loss::check_class_targets(logits, target, "accuracy");
  const Index classes = logits.cols();
  for (Index i = 0; i < logits.rows(); ++i) {
    const Index t = loss::class_index(target, i, classes, "accuracy");
    confusion_->add(t, loss::argmax(logits, i));
    if (!any_top_k_) continue;
    Index above = 0;  // classes whose logit beats the target's
    for (Index j = 0; j < classes; ++j) above += logits(i, j) > logits(i, t) ? 1 : 0;
    for (std::size_t m = 0; m < top_k_.size(); ++m)
      if (above < top_k_[m]) ++top_k_hits_[m];
  }
}

void MetricAccumulator::add_binary(const Matrix& logits, const Matrix& target) {
  for (Index i = 0; i < logits.rows(); ++i) {
    for (Index j = 0; j < logits.cols(); ++j) {
      const bool positive = logits(i, j) > 0.0f;
      const bool truth = target(i, j) >= 0.5f;
      const std::size_t c = static_cast<std::size_t>(j);
      true_positives_[c] += positive && truth ? 1 : 0;
      predicted_[c] += positive ? 1 : 0;
      actual_[c] += truth ? 1 : 0;
      matches_ += positive == truth ? 1 : 0;
      if (confusion_) confusion_->add(truth ? 1 : 0, positive ? 1 : 0);
    }
  }
}

void MetricAccumulator::add_regression(const Matrix& prediction, const Matrix& target) {
  for (Index i = 0; i < prediction.rows(); ++i) {
    const double n = static_cast<double>(rows_ + i + 1);
    for (Index j = 0; j < prediction.cols(); ++j) {
      const double y = target(i, j);
      const double d = static_cast<double>(prediction(i, j)) - y;
      const std::size_t c = static_cast<std::size_t>(j);
      squared_sum_ += d * d;
      absolute_sum_ += std::fabs(d);
      residual_[c] += d * d;
      const double delta = y - mean_[c];  // Welford
      mean_[c] += delta / n;
      m2_[c] += delta * (y - mean_[c]);
    }
  }
}

double MetricAccumulator::value(const std::string& name, std::size_t index) const {
  const double rows = static_cast<double>(rows_);
  const double elements = rows * static_cast<double>(outputs_);
  if (top_k_[index] > 0) return static_cast<double>(top_k_hits_[index]) / rows;
  if (name == "accuracy") {
    if (task_ == loss::Task::kBinary) return static_cast<double>(matches_) / elements;
    return static_cast<double>(confusion_->correct()) / rows;
  }
  if (name == "precision" || name == "recall" || name == "f1") {
    MacroScores scores;
    if (task_ == loss::Task::kClassification) {
      scores = macro_scores(*confusion_);
    } else {
      std::vector<LabelCounts> labels;
      for (std::size_t c = 0; c < true_positives_.size(); ++c)
        labels.push_back({true_positives_[c], predicted_[c], actual_[c]});
      scores = macro_scores(labels, false);
    }
    return name == "precision" ? scores.precision : (name == "recall" ? scores.recall : scores.f1);
  }
  if (name == "mse") return squared_sum_ / elements;
  if (name == "mae") return absolute_sum_ / elements;
  // r2
  double sum = 0.0;
  for (std::size_t c = 0; c < m2_.size(); ++c) {
    if (m2_[c] > 0.0) {
      sum += 1.0 - residual_[c] / m2_[c];
    } else {
      sum += residual_[c] == 0.0 ? 1.0 : 0.0;
    }
  }
  return sum / static_cast<double>(m2_.size());
}

void MetricAccumulator::write(Metrics& metrics) const {
  for (std::size_t i = 0; i < names_.size(); ++i)
    metrics.set(names_[i], rows_ == 0 ? std::numeric_limits<double>::quiet_NaN() : value(names_[i], i));
}

}  // namespace regimen::train

namespace regimen::train {
namespace {

// Restores a saved array into one of the same length (the shape comes from the recipe).
template <typename T>
void load_same(io::ByteReader& in, std::vector<T>& target, std::vector<T> saved, const char* what) {
  if (saved.size() != target.size())
    in.fail(std::string("metric counters '") + what + "' have " + std::to_string(saved.size()) + " entries, the run has " +
            std::to_string(target.size()));
  target = std::move(saved);
}

}  // namespace

std::vector<double> MetricAccumulator::additive_counters() const {
  std::vector<double> out{static_cast<double>(rows_)};
  const auto append = [&](const auto& values) { out.insert(out.end(), values.begin(), values.end()); };
  if (confusion_) append(confusion_->counts());
  append(top_k_hits_);
  append(true_positives_);
  append(predicted_);
  append(actual_);
  out.insert(out.end(), {static_cast<double>(matches_), squared_sum_, absolute_sum_});
  const double n = static_cast<double>(rows_);
  for (double mean : mean_) out.push_back(n * mean);  // sum of y
  for (std::size_t c = 0; c < mean_.size(); ++c) out.push_back(m2_[c] + n * mean_[c] * mean_[c]);  // sum of y²
  append(residual_);
  return out;
}

void MetricAccumulator::set_additive_counters(std::span<const double> totals) {
  std::size_t at = 0;
  const auto take = [&](auto&& values) {
    for (auto& value : values) value = static_cast<std::remove_reference_t<decltype(value)>>(totals[at++]);
  };
  rows_ = static_cast<Index>(totals[at++]);
  if (confusion_) take(confusion_->counts());
  take(top_k_hits_);
  take(true_positives_);
  take(predicted_);
  take(actual_);
  matches_ = static_cast<std::int64_t>(totals[at++]);
  squared_sum_ = totals[at++];
  absolute_sum_ = totals[at++];
  const double n = static_cast<double>(rows_);
  for (double& mean : mean_) {
    const double sum = totals[at++];
    mean = n > 0 ? sum / n : 0.0;
  }
  for (std::size_t c = 0; c < m2_.size(); ++c) m2_[c] = std::max(0.0, totals[at++] - n * mean_[c] * mean_[c]);
  take(residual_);
}

void MetricAccumulator::save(io::ByteWriter& out) const {
  out.i64(rows_);
  const std::span<const std::int64_t> confusion = confusion_ ? confusion_->counts() : std::span<const std::int64_t>();
  out.int64s(confusion);
  out.int64s(top_k_hits_);
  out.int64s(true_positives_);
  out.int64s(predicted_);
  out.int64s(actual_);
  out.i64(matches_);
  out.f64(squared_sum_);
  out.f64(absolute_sum_);
  out.doubles(mean_);
  out.doubles(m2_);
  out.doubles(residual_);
}

void MetricAccumulator::load(io::ByteReader& in) {
  rows_ = in.i64();
  std::vector<std::int64_t> confusion = in.int64s();
  const std::size_t cells = confusion_ ? confusion_->counts().size() : 0;
  if (confusion.size() != cells)
    in.fail("confusion counts have " + std::to_string(confusion.size()) + " cells, the run has " + std::to_string(cells));
  if (confusion_) std::copy(confusion.begin(), confusion.end(), confusion_->counts().begin());
  load_same(in, top_k_hits_, in.int64s(), "top_k");
  load_same(in, true_positives_, in.int64s(), "true_positives");
  load_same(in, predicted_, in.int64s(), "predicted");
  load_same(in, actual_, in.int64s(), "actual");
  matches_ = in.i64();
  squared_sum_ = in.f64();
  absolute_sum_ = in.f64();
  load_same(in, mean_, in.doubles(), "mean");
  load_same(in, m2_, in.doubles(), "m2");
  load_same(in, residual_, in.doubles(), "residual");
}

}  // namespace regimen::train
