#include "runtime/train/model_average.hpp"

#include <algorithm>

namespace regimen::train {
namespace {

std::span<const float> or_current(std::span<const float> given, std::span<const float> current) {
  return given.empty() ? current : given;
}

}  // namespace

ModelAverage::ModelAverage(double decay, nn::Model& model, std::span<const float> weights,
                           std::span<const float> buffers)
    : model_(model),
      weights_(decay, or_current(weights, model.arena().values())),
      buffer_list_(model.buffers()) {
  read_buffers();
  if (!scratch_.empty()) buffers_.emplace(decay, or_current(buffers, scratch_));
}

void ModelAverage::read_buffers() {
  scratch_.clear();
  for (const nn::Buffer& buffer : buffer_list_)
    scratch_.insert(scratch_.end(), buffer.value->data(), buffer.value->data() + buffer.value->size());
}

void ModelAverage::write_buffers() {
  const float* next = scratch_.data();
  for (const nn::Buffer& buffer : buffer_list_) {
    std::copy(next, next + buffer.value->size(), buffer.value->data());
    next += buffer.value->size();
  }
}

void ModelAverage::update() {
  weights_.update(model_.arena().values());
  if (!buffers_) return;
  read_buffers();  // scratch_ keeps its capacity: no allocation
  buffers_->update(scratch_);
}

void ModelAverage::swap() {
  weights_.swap(model_.arena().values());
  if (!buffers_) return;
  read_buffers();
  buffers_->swap(scratch_);
  write_buffers();
}

}  // namespace regimen::train
