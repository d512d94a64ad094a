#include "runtime/data/dataset.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>
#include <sstream>
#include <string>

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

}  // namespace

Dataset::Dataset(std::shared_ptr<const Table> table) : table_(std::move(table)) {
  if (!table_) throw InvalidArgument("Dataset: table must not be null");
  if (table_->features.rows() != table_->targets.rows()) {
    throw InvalidArgument("Dataset: features have " + std::to_string(table_->features.rows()) +
                          " rows but targets have " + std::to_string(table_->targets.rows()));
  }
  rows_ = all_rows(table_->features.rows());
}

Dataset::Dataset(std::shared_ptr<const Table> table, std::vector<Index> rows)
    : table_(std::move(table)), rows_(std::move(rows)) {}

const std::string& Dataset::source() const { return table_ ? table_->source : kNoSource; }

Dataset Dataset::take(Index n) const {
  if (n <= 0) throw InvalidArgument("take: n must be positive, got " + std::to_string(n));
  const Index kept = std::min(n, size());
  return Dataset(table_, std::vector<Index>(rows_.begin(), rows_.begin() + kept));
}

std::pair<Dataset, Dataset> Dataset::split(double fraction, std::uint64_t seed) const {
  // Written as a negation so that NaN is rejected too.
  if (!(fraction > 0.0 && fraction < 1.0)) {
    std::ostringstream message;
    message << "validation fraction must be in (0, 1), got " << fraction;
    throw InvalidArgument(message.str());
  }
  const Index held = static_cast<Index>(std::llround(fraction * static_cast<double>(size())));
  if (held == 0 || held == size()) {
    throw InvalidArgument("split: fraction " + std::to_string(fraction) + " of " +
                          std::to_string(size()) + " rows leaves the " +
                          (held == 0 ? "held-out" : "remaining") + " part empty");
  }
  // Like PyTorch's random_split: both parts keep the permuted order.
  std::vector<Index> order = rows_;
  Random(seed).shuffle(std::span<Index>(order));
  const auto cut = order.begin() + (size() - held);
  return {Dataset(table_, std::vector<Index>(order.begin(), cut)),
          Dataset(table_, std::vector<Index>(cut, order.end()))};
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
    // Rows are contiguous in both (row-major), so a sample is two plain copies.
    std::memcpy(x.data() + i * x.cols(), table_->features.data() + row * x.cols(), x_row_bytes);
    std::memcpy(y.data() + i * y.cols(), table_->targets.data() + row * y.cols(), y_row_bytes);
  }
}

}  // namespace regimen::data
