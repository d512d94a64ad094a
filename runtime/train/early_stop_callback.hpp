#pragma once
// Connects an EarlyStop rule to a training run: feeds it the monitored metric each epoch, keeps
// a copy of the best weights (and buffers: batch norm's running statistics belong to them) when
// restore_best is on, and puts them back when training ends.
#include <memory>
#include <vector>

#include "runtime/nn/model.hpp"
#include "runtime/train/best_model.hpp"
#include "runtime/train/callback.hpp"
#include "runtime/train/early_stop.hpp"

namespace regimen::train {

/// The early_stop{...} of a recipe, as a training callback.
class EarlyStopCallback final : public Callback {
 public:
  /// Both must outlive the callback.
  EarlyStopCallback(EarlyStop& rule, nn::Model& model);

  bool on_epoch_end(int epoch, const Metrics& metrics) override;
  std::string stop_reason() const override { return rule_.stop_reason(); }
  void on_train_end(const std::string& stop_reason) override;
  void save(io::ByteWriter& out) const override;
  void load(io::ByteReader& in) override;

 private:
  EarlyStop& rule_;
  nn::Model& model_;
  BestModel best_;
};

}  // namespace regimen::train
