#pragma once
// The copy of a model that early stopping puts back with restore_best: its weights and its
// buffers (batch norm's running statistics are part of the model evaluation sees), as Keras'
// restore_best_weights restores every variable, trainable or not.
#include <vector>

#include "runtime/io/byte_stream.hpp"
#include "runtime/nn/model.hpp"

namespace regimen::train {

/// A snapshot of one model's weights and buffers.
class BestModel {
 public:
  /// Copies the model's current weights and buffers (storage is reused from snapshot to snapshot).
  void capture(nn::Model& model);
  /// Puts the snapshot back; does nothing before the first capture.
  void restore(nn::Model& model) const;
  bool empty() const { return weights_.empty(); }

  /// For a checkpoint; load() refuses (ByteReader::fail) a snapshot of another model's size.
  void save(io::ByteWriter& out) const;
  void load(io::ByteReader& in, nn::Model& model);

 private:
  std::vector<float> weights_;
  std::vector<float> buffers_;
};

}  // namespace regimen::train
