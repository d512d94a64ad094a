// The trainer's half of on_nan (nan_policy.hpp decides, this file acts): finding the first
// non-finite tensor by name, taking the ladder's action, and the snapshot a rollback returns to.
#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "runtime/option_check.hpp"
#include "runtime/train/trainer.hpp"

namespace regimen::train {
namespace {

// "fc2.weight gradient is nan" (`verb` " is "): the first non-finite value of `values` in
// arena order, or "".
std::string first_non_finite(const ParameterArena& arena, std::span<const float> values, const std::string& suffix,
                             const std::string& verb = " is ") {
  for (const ParameterInfo& info : arena.parameters()) {
    const auto begin = values.begin() + static_cast<std::ptrdiff_t>(info.offset);
    const auto bad = std::find_if(begin, begin + static_cast<std::ptrdiff_t>(info.size()),
                                  [](float v) { return !std::isfinite(v); });
    if (bad != begin + static_cast<std::ptrdiff_t>(info.size()))
      return info.name + suffix + verb + format_number(static_cast<double>(*bad));
  }
  return "";
}

bool has_rollback(const NanLadder& ladder) {
  return std::find(ladder.actions.begin(), ladder.actions.end(), NanAction::kRollback) != ladder.actions.end();
}

}  // namespace

std::string Trainer::first_non_finite_gradient() const {
  return first_non_finite(model_.arena(), model_.arena().grads(), " gradient");
}

// A step checks the update it made: one that leaves a weight non-finite is undone from this
// copy (the optimizer's moments and step count keep it: they saw only finite gradients).
void Trainer::keep_pre_update() {
  const auto weights = model_.arena().values();
  pre_update_.assign(weights.begin(), weights.end());
}

std::string Trainer::undo_bad_update() {
  std::string bad = first_non_finite(model_.arena(), model_.arena().values(), "", " ");
  if (!bad.empty()) std::copy(pre_update_.begin(), pre_update_.end(), model_.arena().values().begin());
  return bad;
}

void Trainer::apply_lr_factor() {
  optimizer_.set_lr_scale(nan_.lr_factor());
  for (optim::Optimizer* part : optimizer_.parts()) part->set_lr_scale(nan_.lr_factor());
}

// The caller has dropped the step's gradients; this takes the ladder's next action for it.
// `names_tensor`: the problem names the non-finite tensor already; else the stop message looks
// for a non-finite parameter (a loss can overflow while every weight is finite).
void Trainer::handle_problem(const std::string& problem, bool names_tensor) {
  const std::int64_t step = steps_ + 1;  // the step that was being made
  const NanAction action = nan_.next();
  std::string done;
  switch (action) {
    case NanAction::kSkip:
      done = "skipped the update";
      break;
    case NanAction::kHalveLr:
      nan_.halve_lr();
      apply_lr_factor();
      done = "skipped the update and halved the learning rate (x" + format_number(nan_.lr_factor()) + " from now on)";
      break;
    case NanAction::kRollback:
      done = roll_back();
      break;
    case NanAction::kStop: {
      std::string what = problem;
      if (!names_tensor) {
        const std::string tensor = first_non_finite(model_.arena(), model_.arena().values(), "", ", ");
        what += tensor.empty() ? " (every parameter is finite)" : " (first non-finite tensor: " + tensor + ")";
      }
      throw NonFiniteLoss(nan_.report(step, what, action, "stopped the run"));
    }
  }
  const std::string line = nan_.report(step, problem, action, done);
  if (!line.empty() && warnings_) *warnings_ << line << "\n" << std::flush;
}

void Trainer::take_snapshot() {
  if (!has_rollback(config_.on_nan)) return;
  const auto weights = model_.arena().values();
  snapshot_.weights.assign(weights.begin(), weights.end());
  model_.read_buffers(snapshot_.buffers);
  try {
    snapshot_.optimizer = optimizer_.save_state();
  } catch (const std::logic_error&) {  // an optimizer without saveable state: weights only
    snapshot_.optimizer.clear();
  }
  snapshot_.step = steps_;
}

std::string Trainer::roll_back() {
  if (snapshot_.weights.empty()) return "skipped the update (nothing to roll back to yet)";
  std::copy(snapshot_.weights.begin(), snapshot_.weights.end(), model_.arena().values().begin());
  model_.write_buffers(snapshot_.buffers);
  if (!snapshot_.optimizer.empty()) optimizer_.load_state(snapshot_.optimizer);
  return "rolled back to the weights, buffers and optimizer state after step " + std::to_string(snapshot_.step);
}

}  // namespace regimen::train
