#pragma once
// A dataset is a shared, immutable table of samples plus a list of row indices, so take() and
// split() are cheap views. Features are float32, or bytes for images (a quarter of the memory;
// a batch is converted as it is gathered); a classification target is one column of class
// indices (0..classes-1), a regression target one or more float columns.
#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "runtime/data/image_shape.hpp"
#include "runtime/tensor.hpp"

namespace regimen::data {

/// Samples stored as unsigned bytes, one per row.
using ByteMatrix = Eigen::Matrix<std::uint8_t, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

/// The samples behind one or more datasets.
struct Table {
  Matrix features;   ///< one sample per row; empty when byte_features holds the samples
  ByteMatrix byte_features;  ///< the samples as bytes, when they are stored so
  std::array<float, 256> byte_values{};  ///< what byte b of byte_features stands for
  Matrix targets;    ///< one row per sample
  int classes = 0;   ///< number of classes when targets are class indices, else 0
  std::string source;  ///< where it came from, for messages ("train-images-idx3-ubyte.gz")
  ImageShape image;    ///< the layout of a sample when samples are images (IDX), else empty
  /// Samples and targets the table does not own (a host's buffers), used instead of features
  /// and targets when set; they must outlive every dataset over the table.
  std::optional<ConstMatrixMap> borrowed_features;
  std::optional<ConstMatrixMap> borrowed_targets;

  Index rows() const {
    if (borrowed_features) return borrowed_features->rows();
    return byte_features.size() > 0 ? byte_features.rows() : features.rows();
  }
  Index cols() const {
    if (borrowed_features) return borrowed_features->cols();
    return byte_features.size() > 0 ? byte_features.cols() : features.cols();
  }
  Index target_rows() const { return borrowed_targets ? borrowed_targets->rows() : targets.rows(); }
  Index target_cols() const { return borrowed_targets ? borrowed_targets->cols() : targets.cols(); }
  const float* target_data() const { return borrowed_targets ? borrowed_targets->data() : targets.data(); }
  /// Float samples, row-major, when they are not bytes.
  const float* feature_data() const { return borrowed_features ? borrowed_features->data() : features.data(); }
};

struct Normalizer;

/// A view of some rows of a Table, in a fixed order, optionally normalized as it is gathered.
class Dataset {
 public:
  Dataset() = default;
  /// All rows of `table`, in order.
  explicit Dataset(std::shared_ptr<const Table> table);

  Index size() const { return static_cast<Index>(rows_.size()); }
  Index features() const { return table_ ? table_->cols() : 0; }
  Index target_columns() const { return table_ ? table_->target_cols() : 0; }
  int classes() const { return table_ ? table_->classes : 0; }
  /// The layout of a sample when the samples are images; empty otherwise.
  ImageShape image_shape() const { return table_ ? table_->image : ImageShape{}; }
  const std::string& source() const;

  /// The first n rows (all when n >= size()); n must be positive.
  Dataset take(Index n) const;
  /// A seeded random split: returns {rest, held-out}, the held-out part holding
  /// round(fraction * size()) rows; fraction in (0, 1), both parts non-empty. With `stratify`
  /// (class targets only) each class is split on its own, round(fraction * its count) held
  /// out, so both parts keep the class proportions.
  std::pair<Dataset, Dataset> split(double fraction, std::uint64_t seed, bool stratify = false) const;
  /// The same rows, mapped by `normalizer` (normalizer.hpp) as they are gathered; a null
  /// normalizer gives the raw samples. Throws InvalidArgument when its width differs.
  Dataset normalized(std::shared_ptr<const Normalizer> normalizer) const;
  /// The normalizer gather() applies, or null.
  const std::shared_ptr<const Normalizer>& normalizer() const { return normalizer_; }

  /// Copies the given positions (0..size()-1, in this view's order) into x and y, resizing them
  /// only when the row count changes.
  void gather(std::span<const Index> positions, Matrix& x, Matrix& y) const;

 private:
  Dataset(std::shared_ptr<const Table> table, std::vector<Index> rows);
  void split_by_class(std::span<const Index> order, double fraction, std::vector<Index>& rest,
                      std::vector<Index>& held) const;
  std::shared_ptr<const Table> table_;
  std::vector<Index> rows_;  ///< rows of table_
  std::shared_ptr<const Normalizer> normalizer_;
};

}  // namespace regimen::data
