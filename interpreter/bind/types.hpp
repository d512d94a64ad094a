#pragma once
// The userdata types the bindings share, by metatable name, and the conversions between them.
#include <memory>
#include <string>

#include <lua.hpp>

#include "runtime/data/dataset.hpp"
#include "runtime/data/image_augment.hpp"
#include "runtime/loss/loss.hpp"
#include "runtime/nn/model.hpp"
#include "runtime/optim/optimizer.hpp"
#include "runtime/regularize/constraint.hpp"
#include "runtime/regularize/gradient_clip.hpp"
#include "runtime/regularize/regularizer.hpp"
#include "runtime/schedule/schedule.hpp"
#include "runtime/train/early_stop.hpp"

namespace regimen::lua {

inline constexpr const char* kScheduleType = "regimen.Schedule";
inline constexpr const char* kOptimizerType = "regimen.Optimizer";
inline constexpr const char* kLayerType = "regimen.Layer";
inline constexpr const char* kModelType = "regimen.Model";
inline constexpr const char* kLossType = "regimen.Loss";
inline constexpr const char* kRegularizerType = "regimen.Regularizer";
inline constexpr const char* kConstraintType = "regimen.Constraint";
inline constexpr const char* kClipType = "regimen.Clip";
inline constexpr const char* kDatasetType = "regimen.Dataset";
inline constexpr const char* kEarlyStopType = "regimen.EarlyStop";
inline constexpr const char* kAugmentType = "regimen.Augment";

using ScheduleBox = schedule::SchedulePtr;
using OptimizerBox = std::shared_ptr<optim::Optimizer>;
using LayerBox = nn::NamedLayer;
using ModelBox = std::shared_ptr<nn::Model>;
using LossBox = std::shared_ptr<const loss::Loss>;
using RegularizerBox = std::shared_ptr<const regularize::Regularizer>;
using ConstraintBox = std::shared_ptr<const regularize::Constraint>;
using ClipBox = std::shared_ptr<const regularize::GradientClip>;
using DatasetBox = data::Dataset;
using EarlyStopBox = std::shared_ptr<train::EarlyStop>;

/// augment.image{...}: the policy and its strength, a number or (when set) a schedule.
struct AugmentBox {
  std::shared_ptr<const data::ImageAugment> image;
  double strength = 1.0;
  schedule::SchedulePtr strength_schedule;
};

/// "image(flip=0.5, shift=2, strength=1)", for tostring() and `regimen check`.
std::string describe_augment(const AugmentBox& augment);

/// A schedule from a number (constant), a schedule object or a Lua function (bind/lua_schedule.hpp)
/// at `index`; nullptr for anything else, so the caller can word the error. An invalid number
/// raises, naming `function`.
schedule::SchedulePtr to_schedule(lua_State* L, int index, const char* function);

/// Pushes a schedule object.
void push_schedule(lua_State* L, schedule::SchedulePtr schedule);

/// Pushes a dataset object.
void push_dataset(lua_State* L, data::Dataset dataset);

}  // namespace regimen::lua
