#include "runtime/data/dataset.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>
#include <sstream>
#include <string>

#include "runtime/data/normalizer.hpp"
#include "runtime/error.hpp"
#include "runtime/random.hpp"

namespace regimen::data {
namespace {

// Returned by source() for a default-constructed dataset, so the reference is always valid.
const std::string kNoSource;

std::vector<Index> all_rows(Index n) {
  std::vector<Index> rows(static_cast<std::size_t>(n));
  std::iota(rows.begin(), rows.end(), Index{0});
  return rows;
}

Index held_out_count(double fraction, Index rows) {
  return static_cast<Index>(std::llround(fraction * static_cast<double>(rows)));
}

}  // namespace

Dataset::Dataset(std::shared_ptr<const Table> table) : table_(std::move(table)) {
  if (!table_) throw InvalidArgument("Dataset: table must not be null");
  if (table_->rows() != table_->target_rows()) {
    throw InvalidArgument("Dataset: features have " + std::to_string(table_->rows()) +
                          " rows but targets have " + std::to_string(table_->target_rows()));
  }
  rows_ = all_rows(table_->rows());
}

Dataset::Dataset(std::shared_ptr<const Table> table, std::vector<Index> rows)
    : table_(std::move(table)), rows_(std::move(rows)) {}

const std::string& Dataset::source() const { return table_ ? table_->source : kNoSource; }

Dataset Dataset::take(Index n) const {
  if (n <= 0) throw InvalidArgument("take: n must be positive, got " + std::to_string(n));
  const Index kept = std::min(n, size());
  Dataset part(table_, std::vector<Index>(rows_.begin(), rows_.begin() + kept));
  part.normalizer_ = normalizer_;
  return part;
}

Dataset Dataset::normalized(std::shared_ptr<const Normalizer> normalizer) const {
  if (normalizer && static_cast<Index>(normalizer->shift.size()) != features()) {
    throw InvalidArgument("the normalizer was fitted on " + std::to_string(normalizer->shift.size()) +
                          " features, but this dataset has " + std::to_string(features()));
  }
  Dataset mapped = *this;
  mapped.normalizer_ = std::move(normalizer);
  return mapped;
}

std::pair<Dataset, Dataset> Dataset::split(double fraction, std::uint64_t seed, bool stratify) const {
  // Written as a negation so that NaN is rejected too.
  if (!(fraction > 0.0 && fraction < 1.0)) {
    std::ostringstream message;
    message << "validation fraction must be in (0, 1), got " << fraction;
    throw InvalidArgument(message.str());
  }
  if (stratify && classes() == 0) throw InvalidArgument("stratify needs class targets, and this dataset is a regression");
  // Like PyTorch's random_split: both parts keep the permuted order.
  std::vector<Index> order = rows_;
  Random(seed).shuffle(std::span<Index>(order));
  std::vector<Index> rest, held;
  if (stratify) {
    split_by_class(order, fraction, rest, held);
  } else {
    const auto cut = order.begin() + (size() - held_out_count(fraction, size()));
    rest.assign(order.begin(), cut);
    held.assign(cut, order.end());
  }
  if (held.empty() || rest.empty()) {
    throw InvalidArgument("split: fraction " + std::to_string(fraction) + " of " + std::to_string(size()) +
                          " rows leaves the " + (held.empty() ? "held-out" : "remaining") + " part empty");
  }
  Dataset first(table_, std::move(rest)), second(table_, std::move(held));
  first.normalizer_ = second.normalizer_ = normalizer_;
  return {std::move(first), std::move(second)};
}

void Dataset::split_by_class(std::span<const Index> order, double fraction, std::vector<Index>& rest,
                             std::vector<Index>& held) const {
  const auto class_of = [&](Index row) { return static_cast<std::size_t>(table_->target_data()[row * table_->target_cols()]); };
  std::vector<Index> count(static_cast<std::size_t>(classes()), 0);
  for (const Index row : order) ++count[class_of(row)];
  // The first round(fraction * count) rows of each class, in the shuffled order, are held out.
  std::vector<Index> to_hold(count.size());
  for (std::size_t c = 0; c < count.size(); ++c) to_hold[c] = held_out_count(fraction, count[c]);
  for (const Index row : order) {
    Index& left = to_hold[class_of(row)];
    (left > 0 ? held : rest).push_back(row);
    if (left > 0) --left;
  }
}

void Dataset::gather(std::span<const Index> positions, Matrix& x, Matrix& y) const {
  const Index n = static_cast<Index>(positions.size());
  // Eigen's resize is a no-op at equal size, so steady batches never reallocate.
  x.resize(n, features());
  y.resize(n, target_columns());
  const std::size_t x_row_bytes = sizeof(float) * static_cast<std::size_t>(x.cols());
  const std::size_t y_row_bytes = sizeof(float) * static_cast<std::size_t>(y.cols());
  for (Index i = 0; i < n; ++i) {
    const Index position = positions[static_cast<std::size_t>(i)];
    if (position < 0 || position >= size()) {
      throw InvalidArgument("gather: position " + std::to_string(position) + " out of range [0, " +
                            std::to_string(size()) + ")");
    }
    const Index row = rows_[static_cast<std::size_t>(position)];
    // Rows are contiguous in both (row-major), so a sample is two plain copies, or a lookup
    // per byte.
    float* x_row = x.data() + i * x.cols();
    if (table_->byte_features.size() > 0) {
      const std::uint8_t* bytes = table_->byte_features.data() + row * x.cols();
      for (Index j = 0; j < x.cols(); ++j) x_row[j] = table_->byte_values[bytes[j]];
    } else {
      std::memcpy(x_row, table_->feature_data() + row * x.cols(), x_row_bytes);
    }
    std::memcpy(y.data() + i * y.cols(), table_->target_data() + row * y.cols(), y_row_bytes);
    // Normalized while the row is still in cache, not in a second pass over the batch.
    if (normalizer_) {
      const float* shift = normalizer_->shift.data();
      const float* scale = normalizer_->scale.data();
      for (Index j = 0; j < x.cols(); ++j) x_row[j] = (x_row[j] - shift[j]) * scale[j];
    }
  }
}

}  // namespace regimen::data
