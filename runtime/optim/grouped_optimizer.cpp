#include "runtime/optim/grouped_optimizer.hpp"

#include "runtime/error.hpp"
#include "runtime/optim/state_io.hpp"
#include "runtime/parameter_arena.hpp"

namespace regimen::optim {

GroupedOptimizer::GroupedOptimizer(std::shared_ptr<Optimizer> rest, std::vector<ParameterGroup> groups)
    : Optimizer(rest ? rest->lr() : nullptr), rest_(std::move(rest)), groups_(std::move(groups)) {
  if (!rest_) throw std::logic_error("GroupedOptimizer: no default optimizer");
  for (std::size_t k = 0; k <= groups_.size(); ++k) {
    const Optimizer& o = part(k);
    if (o.name() != rest_->name())
      throw InvalidArgument("parameter group " + std::to_string(k) + " is " + o.name() + ", expected " + rest_->name());
    if (o.steps() != 0) throw InvalidArgument("parameter groups need optimizers that have not stepped yet");
  }
  set_lr(rest_->lr());  // one schedule object for all who follow it: stateful ones see one feed
}

void GroupedOptimizer::set_lr(schedule::SchedulePtr lr) {
  Optimizer::set_lr(lr);
  rest_->set_lr(lr);
  for (ParameterGroup& g : groups_)
    if (!g.own_lr) g.optimizer->set_lr(lr);
}

std::string GroupedOptimizer::describe() const {
  const std::size_t n = groups_.size();
  return rest_->describe() + " with " + std::to_string(n) + (n == 1 ? " parameter group" : " parameter groups");
}

std::vector<const Optimizer*> GroupedOptimizer::parts() const {
  std::vector<const Optimizer*> all{rest_.get()};
  for (const ParameterGroup& g : groups_) all.push_back(g.optimizer.get());
  return all;
}

void GroupedOptimizer::prepare(ParameterArena& arena) {
  const std::vector<ParameterInfo>& parameters = arena.parameters();
  std::vector<int> assignment(parameters.size(), 0);
  std::vector<std::vector<std::string>> members(groups_.size() + 1);
  for (std::size_t i = 0; i < parameters.size(); ++i) {
    for (std::size_t g = 0; g < groups_.size(); ++g) {
      if (groups_[g].selector.selects(parameters[i])) {
        assignment[i] = static_cast<int>(g + 1);
        break;
      }
    }
    members[static_cast<std::size_t>(assignment[i])].push_back(parameters[i].name);
  }
  if (steps() > 0 && members != members_)
    throw InvalidArgument("parameter groups cannot change after the first step");
  std::vector<std::pair<std::size_t, std::size_t>> ranges = arena.group_by(assignment);
  const std::size_t end = arena.values().size();
  ranges.resize(groups_.size() + 1, {end, end});  // trailing groups that select nothing
  ranges_ = std::move(ranges);
  members_ = std::move(members);
}

std::vector<std::string> GroupedOptimizer::unmatched() const {
  std::vector<std::string> messages;
  for (std::size_t g = 0; g < groups_.size() && g + 1 < members_.size(); ++g) {
    if (members_[g + 1].empty())
      messages.push_back("group " + std::to_string(g + 1) + " (" + groups_[g].selector.describe() +
                         ") selects no parameter");
  }
  return messages;
}

void GroupedOptimizer::update(std::span<float> params, std::span<const float> grads, double /*lr*/) {
  if (ranges_.empty() || ranges_.back().second > params.size() || params.size() != grads.size()) {
    throw InvalidArgument(name() + ": parameter groups select tensors of a model by name; use this optimizer in a "
                                   "recipe (or prepare() it with the model's arena)");
  }
  for (std::size_t k = 0; k < ranges_.size(); ++k) {
    const auto [begin, end] = ranges_[k];
    part(k).step(params.subspan(begin, end - begin), grads.subspan(begin, end - begin));
  }
}

void GroupedOptimizer::write_state(StateWriter& out) const {
  const std::vector<const Optimizer*> all = parts();
  for (std::size_t k = 0; k < all.size(); ++k) out("group." + std::to_string(k), all[k]->save_state());
}

void GroupedOptimizer::read_state(StateReader& in) {
  std::vector<std::vector<std::byte>> states(groups_.size() + 1);
  for (std::size_t k = 0; k < states.size(); ++k) in("group." + std::to_string(k), states[k]);
  in.finish();
  std::vector<std::vector<std::byte>> backups;
  for (std::size_t k = 0; k < states.size(); ++k) backups.push_back(part(k).save_state());
  std::size_t loaded = 0;
  try {
    for (; loaded < states.size(); ++loaded) part(loaded).load_state(states[loaded]);
  } catch (...) {
    for (std::size_t k = 0; k < loaded; ++k) part(k).load_state(backups[k]);
    throw;
  }
}

}  // namespace regimen::optim
