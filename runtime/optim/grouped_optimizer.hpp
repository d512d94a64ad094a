#pragma once
// Parameter groups: per-group options over one model, as in
//
//   optim.adamw{lr = 1e-3, weight_decay = 0.05, groups = { {match = "*.bias", weight_decay = 0} }}
//
// Each group is a whole optimizer of the same update rule, built with the group's overrides;
// the parameters no group selects form the default group, built with the options as given. A
// parameter belongs to the first group that selects it (PyTorch insists on disjoint groups;
// first-match lets a broad rule follow a narrow one). prepare() lays the model's arena out
// group by group, so that each group's update is still one pass over contiguous memory.
//
// The learning rate: a group that sets its own lr keeps it; the others follow this optimizer's
// (set_lr, a recipe's `schedule = ...`), as a PyTorch scheduler drives every group.
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "runtime/optim/optimizer.hpp"
#include "runtime/optim/parameter_group.hpp"

namespace regimen::optim {

/// One group: what it selects, the optimizer that updates it, whether it has its own lr.
struct ParameterGroup {
  GroupSelector selector;
  std::shared_ptr<Optimizer> optimizer;
  bool own_lr = false;
};

/// An optimizer whose parameters fall into groups with options of their own.
class GroupedOptimizer final : public Optimizer {
 public:
  /// `rest` updates the parameters no group selects. Throws InvalidArgument when a group's
  /// optimizer is of another rule than rest's, or any optimizer has stepped already.
  GroupedOptimizer(std::shared_ptr<Optimizer> rest, std::vector<ParameterGroup> groups);

  std::string name() const override { return rest_->name(); }
  /// The default group's description and the number of groups.
  std::string describe() const override;
  std::optional<double> option(std::string_view name) const override { return rest_->option(name); }
  /// Also for the default group and every group without its own lr.
  void set_lr(schedule::SchedulePtr lr) override;
  /// Assigns every tensor of `arena` to its group and lays the arena out by group (default
  /// group first). Throws InvalidArgument when the assignment would move tensors after the
  /// first step (the moment buffers follow the old layout).
  void prepare(ParameterArena& arena) override;
  /// The default group's optimizer, then each group's.
  std::vector<const Optimizer*> parts() const override;

  const std::vector<ParameterGroup>& groups() const { return groups_; }
  /// After prepare(): the tensor names of the default group (index 0), then of each group.
  const std::vector<std::vector<std::string>>& members() const { return members_; }
  /// After prepare(): "group 2 (match = \"*.gamma\") selects no parameter", for each such group.
  std::vector<std::string> unmatched() const;

 protected:
  /// Steps every part over its range; throws InvalidArgument before prepare().
  void update(std::span<float> params, std::span<const float> grads, double lr) override;
  /// Each part's whole save_state(), as one field per part.
  void write_state(StateWriter& out) const override;
  /// Restores every part or none.
  void read_state(StateReader& in) override;

 private:
  Optimizer& part(std::size_t k) { return k == 0 ? *rest_ : *groups_[k - 1].optimizer; }

  std::shared_ptr<Optimizer> rest_;
  std::vector<ParameterGroup> groups_;
  std::vector<std::pair<std::size_t, std::size_t>> ranges_;  ///< per part, in floats
  std::vector<std::vector<std::string>> members_;
};

}  // namespace regimen::optim
