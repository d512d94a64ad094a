#include "runtime/nn/model.hpp"

#include <algorithm>
#include <map>
#include <stdexcept>
#include <utility>

#include "runtime/error.hpp"
#include "runtime/nn/input_width_error.hpp"

namespace regimen::nn {
namespace {

// The names everyone reads in PyTorch code for the common layers ("fc1", "conv1", "bn1",
// "pool1"), the type otherwise.
std::string default_prefix(const std::string& type) {
  if (type == "linear") return "fc";
  if (type == "conv2d") return "conv";
  if (type == "batch_norm") return "bn";
  if (type == "max_pool2d") return "pool";
  return type;
}

void name_layers(std::vector<NamedLayer>& layers) {
  std::map<std::string, int> rank;  // per type, counting named layers too, so names follow position
  for (std::size_t i = 0; i < layers.size(); ++i) {
    if (!layers[i].layer) throw InvalidArgument("model: layer " + std::to_string(i + 1) + " is missing");
    const std::string type = layers[i].layer->type();
    const int r = ++rank[type];
    if (layers[i].name.empty()) layers[i].name = default_prefix(type) + std::to_string(r);
  }
}

void check_unique_names(const std::vector<NamedLayer>& layers) {
  std::map<std::string, std::size_t> seen;
  for (std::size_t i = 0; i < layers.size(); ++i) {
    const auto [it, inserted] = seen.emplace(layers[i].name, i);
    if (!inserted) {
      throw InvalidArgument("model: duplicate layer name '" + layers[i].name + "' (layers " +
                            std::to_string(it->second + 1) + " and " + std::to_string(i + 1) + ")");
    }
  }
}

// A layer object keeps its parameter handles and buffers, so it can sit in one place only.
void check_distinct_objects(const std::vector<NamedLayer>& layers) {
  for (std::size_t i = 0; i < layers.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      if (layers[i].layer == layers[j].layer) {
        throw InvalidArgument("model: layers " + std::to_string(j + 1) + " and " + std::to_string(i + 1) +
                              " are the same layer object; create one per position");
      }
    }
  }
}

std::string pad(std::string text, std::size_t width) {
  text.resize(std::max(width, text.size()), ' ');
  return text;
}

}  // namespace

Model::Model(std::vector<NamedLayer> layers) : layers_(std::move(layers)) {
  if (layers_.empty()) throw InvalidArgument("model: a model needs at least one layer");
  name_layers(layers_);
  check_unique_names(layers_);
  check_distinct_objects(layers_);
}

std::size_t Model::bytes_per_sample() const {
  if (!built()) return 0;
  std::size_t bytes = 0;
  Shape shape = input_shape_;
  for (const NamedLayer& named : layers_) {
    bytes += named.layer->bytes_per_sample(shape);
    shape = named.layer->output_shape(shape);
  }
  return bytes;
}

void Model::check_shapes(const Shape& input) const {
  if (input.features() <= 0) {
    throw InvalidArgument("model: the data must have at least one feature, got " + std::to_string(input.features()));
  }
  Shape shape = input;
  for (std::size_t i = 0; i < layers_.size(); ++i) {
    const NamedLayer& current = layers_[i];
    const std::string who = "layer '" + current.name + "' (" + current.layer->type() + ")";
    try {
      shape = current.layer->output_shape(shape);
    } catch (const InputWidthError& e) {
      throw InvalidArgument(who + " " + e.expectation() + ", but " + source_of(i, shape));
    } catch (const InvalidArgument& e) {
      throw InvalidArgument(who + ": " + e.what());
    }
  }
}

// What feeds layer i, for messages: "the data has 784 features", "the data has images of
// 1x28x28", "'pool2' produces 64x7x7".
std::string Model::source_of(std::size_t i, const Shape& shape) const {
  if (i > 0) return "'" + layers_[i - 1].name + "' produces " + shape.describe();
  if (shape.image) return "the data has images of " + shape.describe();
  return "the data has " + shape.describe() + " features";
}

void Model::build(const Shape& input, std::uint64_t seed) {
  check_shapes(input);  // before touching the arena, so a failed build changes nothing
  arena_ = ParameterArena();
  parameter_counts_.clear();
  first_handle_.clear();
  tensor_counts_.clear();
  Shape shape = input;
  for (const NamedLayer& named : layers_) {
    named.layer->set_input_shape(shape);
    const std::size_t before = arena_.count();
    const std::size_t first_tensor = arena_.parameters().size();
    named.layer->declare_parameters(arena_, named.name);
    parameter_counts_.push_back(arena_.count() - before);
    first_handle_.push_back(first_tensor);
    tensor_counts_.push_back(arena_.parameters().size() - first_tensor);
    shape = named.layer->output_shape(shape);
  }
  arena_.allocate();
  // One stream per layer position: adding a layer at the end leaves earlier layers' draws alone.
  const Random root(seed);
  for (std::size_t i = 0; i < layers_.size(); ++i) {
    Random rng = root.fork(i);
    layers_[i].layer->initialize(arena_, rng);
  }
  input_shape_ = input;
  output_shape_ = shape;
  mark_needed_gradients();
}

void Model::mark_needed_gradients() {
  first_trainable_ = layers_.size();
  for (std::size_t i = 0; i < layers_.size() && first_trainable_ == layers_.size(); ++i) {
    if (parameter_counts_[i] > 0) first_trainable_ = i;
  }
  // A layer's input gradient is of use only when some layer before it has parameters to reach.
  for (std::size_t i = 0; i < layers_.size(); ++i) {
    layers_[i].layer->set_input_gradient_needed(first_trainable_ < i);
  }
}

const Matrix& Model::forward(const Matrix& input, Mode mode) {
  if (!built()) throw std::logic_error("model: forward before build");
  if (input.cols() != input_shape_.features()) {
    throw InvalidArgument("model: built for " + std::to_string(input_shape_.features()) + " features, the batch has " +
                          std::to_string(input.cols()));
  }
  const Matrix* x = &input;
  for (NamedLayer& named : layers_) x = &named.layer->forward(arena_, *x, mode);
  return *x;
}

void Model::backward(const Matrix& grad_output) { backward(grad_output, {}); }

void Model::backward(const Matrix& grad_output, const std::function<void(std::size_t, std::size_t)>& gradient_ready) {
  if (!built()) throw std::logic_error("model: backward before build");
  const Matrix* g = &grad_output;
  for (std::size_t i = layers_.size(); i > first_trainable_; --i) {
    g = &layers_[i - 1].layer->backward(arena_, *g);
    if (gradient_ready) report_gradients(i - 1, gradient_ready);
  }
}

std::vector<std::pair<std::size_t, std::size_t>> Model::gradient_ranges() const {
  std::vector<std::pair<std::size_t, std::size_t>> ranges;
  for (std::size_t i = layers_.size(); i > first_trainable_; --i)
    report_gradients(i - 1, [&](std::size_t begin, std::size_t end) { ranges.emplace_back(begin, end); });
  return ranges;
}

// Each tensor of `layer`, last first, where the arena holds it now (parameter groups move them).
void Model::report_gradients(std::size_t layer, const std::function<void(std::size_t, std::size_t)>& gradient_ready) const {
  const auto& parameters = arena_.parameters();
  for (std::size_t h = first_handle_[layer] + tensor_counts_[layer]; h-- > first_handle_[layer];)
    gradient_ready(parameters[h].offset, parameters[h].offset + parameters[h].size());
}

std::vector<ParameterRule> Model::parameter_rules() const {
  std::vector<ParameterRule> rules;
  if (!built()) return rules;
  for (const NamedLayer& named : layers_) {
    for (ParameterRule& rule : named.layer->parameter_rules()) rules.push_back(std::move(rule));
  }
  return rules;
}

std::vector<Buffer> Model::buffers() {
  std::vector<Buffer> all;
  if (!built()) return all;
  for (const NamedLayer& named : layers_) {
    for (Buffer& buffer : named.layer->buffers()) all.push_back({named.name + "." + buffer.name, buffer.value});
  }
  return all;
}

void Model::read_buffers(std::vector<float>& out) {
  out.clear();
  for (const Buffer& buffer : buffers()) out.insert(out.end(), buffer.value->data(), buffer.value->data() + buffer.value->size());
}

void Model::write_buffers(std::span<const float> values) {
  std::size_t total = 0;
  const std::vector<Buffer> all = buffers();
  for (const Buffer& buffer : all) total += static_cast<std::size_t>(buffer.value->size());
  if (total != values.size()) {
    throw InvalidArgument("model: " + std::to_string(values.size()) + " buffer values given, the model has " +
                          std::to_string(total));
  }
  const float* next = values.data();
  for (const Buffer& buffer : all) {
    std::copy(next, next + buffer.value->size(), buffer.value->data());
    next += buffer.value->size();
  }
}

std::string Model::describe() const {
  std::size_t name_width = std::string("total").size();
  std::size_t text_width = 0;
  for (const NamedLayer& named : layers_) {
    name_width = std::max(name_width, named.name.size());
    text_width = std::max(text_width, named.layer->describe().size());
  }
  std::string out;
  for (std::size_t i = 0; i < layers_.size(); ++i) {
    const std::string text = layers_[i].layer->describe();
    if (!built()) {
      out += pad(layers_[i].name, name_width + 2) + text + "\n";
      continue;
    }
    out += pad(layers_[i].name, name_width + 2) + pad(text, text_width + 2) + "params " +
           std::to_string(parameter_counts_[i]) + "\n";
  }
  if (built()) out += pad("total", name_width + 2 + text_width + 2) + "params " + std::to_string(arena_.count()) + "\n";
  return out;
}

}  // namespace regimen::nn
