#include "runtime/train/external_model.hpp"

#include <algorithm>
#include <set>

#include "runtime/error.hpp"

namespace regimen::train {

ExternalLayer::ExternalLayer(std::vector<ExternalTensor> tensors, ExternalObjective objective)
    : tensors_(std::move(tensors)), objective_(std::move(objective)) {
  if (tensors_.empty()) throw InvalidArgument("an external model needs at least one tensor");
  if (!objective_) throw InvalidArgument("an external model needs its loss function");
  std::set<std::string> names;
  for (const ExternalTensor& t : tensors_) {
    if (t.name.empty()) throw InvalidArgument("a tensor of an external model has no name");
    if (!names.insert(t.name).second) throw InvalidArgument("tensor '" + t.name + "' is named twice");
    if (t.values.empty()) throw InvalidArgument("tensor '" + t.name + "' is empty");
    if (t.gradient.size() != t.values.size()) {
      throw InvalidArgument("tensor '" + t.name + "' has " + std::to_string(t.values.size()) + " values but " +
                            std::to_string(t.gradient.size()) + " gradient entries");
    }
  }
}

std::string ExternalLayer::describe() const {
  std::size_t count = 0;
  for (const ExternalTensor& t : tensors_) count += t.values.size();
  return "external(" + std::to_string(tensors_.size()) + " tensors, " + std::to_string(count) + " values)";
}

void ExternalLayer::declare_parameters(ParameterArena& arena, const std::string& name) {
  handles_.clear();
  for (const ExternalTensor& t : tensors_)
    handles_.push_back(arena.declare(name + "." + t.name, type(), 1, static_cast<Index>(t.values.size()), 1));
}

void ExternalLayer::initialize(ParameterArena& arena, Random& /*rng*/) {
  for (std::size_t i = 0; i < tensors_.size(); ++i)
    std::copy(tensors_[i].values.begin(), tensors_[i].values.end(), arena.value(handles_[i]).data());
}

void ExternalLayer::publish(const ParameterArena& arena) const {
  for (std::size_t i = 0; i < tensors_.size(); ++i) {
    const auto value = arena.value(handles_[i]);
    std::copy(value.data(), value.data() + value.size(), tensors_[i].values.begin());
  }
}

const Matrix& ExternalLayer::forward(const ParameterArena& arena, const Matrix& input, nn::Mode /*mode*/) {
  publish(arena);
  input_ = &input;
  output_.setZero(input.rows(), 1);
  return output_;
}

double ExternalLayer::loss(const Matrix& targets) {
  if (input_ == nullptr) throw std::logic_error("external model: loss before forward");
  return without_data_ ? objective_(nullptr, nullptr) : objective_(input_, &targets);
}

const Matrix& ExternalLayer::backward(ParameterArena& arena, const Matrix& /*grad_output*/) {
  for (std::size_t i = 0; i < tensors_.size(); ++i) {
    auto grad = arena.grad(handles_[i]);
    const std::span<const float> given = tensors_[i].gradient;
    for (std::size_t k = 0; k < given.size(); ++k) grad.data()[k] += given[k];
  }
  return grad_input_;
}

std::size_t ExternalLayer::bytes_per_sample(const nn::Shape& /*input*/) const { return sizeof(float); }

double ExternalLoss::value(const Matrix& /*prediction*/, const Matrix& target) const { return layer_->loss(target); }

double ExternalLoss::value_and_gradient(const Matrix& prediction, const Matrix& target, Matrix& grad) const {
  grad.setZero(prediction.rows(), prediction.cols());
  return layer_->loss(target);
}

}  // namespace regimen::train
