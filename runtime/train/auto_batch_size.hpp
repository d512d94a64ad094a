#pragma once
// batch_size = "auto": the largest batch whose memory fits a budget. The memory is counted, not
// probed: a built model knows what each layer keeps per sample (nn::Layer::bytes_per_sample),
// and the trainer adds the batch itself, its targets and the loss gradient; the fixed part is
// the parameters, their gradients and up to two optimizer slots each (Adam's moments). The
// batch is a power of two (the conventional choice; it also keeps SIMD loops free of
// remainders), or the whole training set when that is smaller. The data set itself is not
// counted: it is in memory whatever the batch.
#include <cstddef>
#include <string>

#include "runtime/nn/model.hpp"

namespace regimen::train {

/// What batch_size = "auto" chose, and from what.
struct AutoBatchSize {
  Index batch_size = 0;
  std::size_t bytes_per_sample = 0;  ///< the layers' per-sample bytes, plus batch, targets, loss gradient
  std::size_t fixed_bytes = 0;       ///< parameters, gradients, two optimizer slots
  std::size_t budget = 0;

  /// "256 (memory_budget 64 MB: 210 KB per sample, 4.2 MB for the parameters)".
  std::string describe() const;
};

/// The largest power of two b (or train_rows, if smaller) with fixed + b x per-sample bytes
/// within `budget`, for a built model and `target_columns` target values per sample. Throws
/// InvalidArgument, with both figures, when not even one sample fits.
AutoBatchSize pick_batch_size(const nn::Model& model, Index target_columns, Index train_rows, std::size_t budget);

}  // namespace regimen::train
