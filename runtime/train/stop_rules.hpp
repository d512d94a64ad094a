#pragma once
// A composed early stop (early_stop = { {...}, {...} }) as a training callback: every rule sees
// every epoch (so their windows and bests stay current), and the first rule in order that fires
// stops the run, which reports it: "val_accuracy reached 0.9 target at epoch 7 (rule 2)".
// Keeps a copy of the best weights and buffers for the one rule that may restore them.
#include <memory>
#include <vector>

#include "runtime/nn/model.hpp"
#include "runtime/train/best_model.hpp"
#include "runtime/train/callback.hpp"
#include "runtime/train/stop_rule.hpp"

namespace regimen::train {

/// Stop rules, asked in order.
class StopRules final : public Callback {
 public:
  /// Starts each rule (clocks start now); `model` must outlive the callback. Throws
  /// InvalidArgument when more than one rule restores weights.
  StopRules(std::vector<std::shared_ptr<StopRule>> rules, nn::Model& model);

  bool on_epoch_end(int epoch, const Metrics& metrics) override;
  bool on_step_end(const StepEnd& step) override;
  std::string stop_reason() const override { return reason_; }
  void on_train_end(const std::string& stop_reason) override;
  void save(io::ByteWriter& out) const override;
  void load(io::ByteReader& in) override;

 private:
  bool fire(std::size_t index);

  std::vector<std::shared_ptr<StopRule>> rules_;
  nn::Model& model_;
  BestModel best_;
  std::string reason_;
};

}  // namespace regimen::train
