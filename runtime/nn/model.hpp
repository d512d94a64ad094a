#pragma once
// A model: a sequence of named layers over one parameter arena. Built once for a known input
// width (shapes checked layer by layer), then run batch after batch without allocating.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "runtime/nn/layer.hpp"
#include "runtime/parameter_arena.hpp"

namespace regimen::nn {

/// A layer with the name it is known by in messages and parameter paths ("fc1").
struct NamedLayer {
  std::string name;
  std::shared_ptr<Layer> layer;
};

/// A feed-forward stack of layers that owns its parameters.
class Model {
 public:
  /// Layers in order; a layer given an empty name is named after its type and rank among its
  /// type: linear layers "fc1", "fc2", ...; others "<type>1", "<type>2", ...
  explicit Model(std::vector<NamedLayer> layers);

  /// Checks shapes for `input_features` inputs, allocates the arena and initializes every layer
  /// from `seed` (layer i gets Random(seed).fork(i)). Throws InvalidArgument naming both layers
  /// and widths on a mismatch. Building again starts over with a fresh arena.
  void build(Index input_features, std::uint64_t seed) { build(Shape::flat(input_features), seed); }
  /// The same for samples of shape `input` (an image for convolutions): each layer is told its
  /// input shape (Layer::set_input_shape) and a mismatch names both layers and shapes.
  void build(const Shape& input, std::uint64_t seed);
  bool built() const { return arena_.allocated(); }
  /// The output width for the input width given to build().
  Index output_features() const { return output_shape_.features(); }
  /// The sample shape given to build(), and the one the last layer produces from it.
  const Shape& input_shape() const { return input_shape_; }
  const Shape& output_shape() const { return output_shape_; }

  const std::vector<NamedLayer>& layers() const { return layers_; }
  ParameterArena& arena() { return arena_; }
  const ParameterArena& arena() const { return arena_; }

  /// Runs every layer; the result stays valid until the next forward.
  const Matrix& forward(const Matrix& input, Mode mode);
  /// Backpropagates dLoss/dOutput of the last forward; accumulates into the arena's gradients
  /// (call arena().zero_grads() first). Stops at the first layer with parameters, which is told
  /// at build() not to compute its input gradient: nothing reads dLoss/dData.
  void backward(const Matrix& grad_output);
  /// As backward(grad_output), calling `gradient_ready(begin, end)` for each tensor of a layer
  /// as soon as the layer's gradients are final: the arena's gradient floats [begin, end),
  /// last layer first (what data-parallel training starts summing over the ranks at once).
  void backward(const Matrix& grad_output, const std::function<void(std::size_t, std::size_t)>& gradient_ready);
  /// The ranges backward() reports, in its order.
  std::vector<std::pair<std::size_t, std::size_t>> gradient_ranges() const;

  /// Every layer's penalties and constraints (Layer::parameter_rules), in layer order; empty
  /// before build().
  std::vector<ParameterRule> parameter_rules() const;
  /// Every layer's non-trainable state, named "<layer>.<buffer>" ("bn1.running_mean"), in layer
  /// order; empty before build().
  std::vector<Buffer> buffers();
  /// Every buffer's values, in buffers() order, one after another, into `out` (resized).
  void read_buffers(std::vector<float>& out);
  /// Puts back values read by read_buffers; throws InvalidArgument when the count differs.
  void write_buffers(std::span<const float> values);

  /// The bytes the layers keep per sample of a training batch (Layer::bytes_per_sample, summed
  /// along the built shapes); 0 before build().
  std::size_t bytes_per_sample() const;

  /// Multi-line description for `regimen check`: one line per layer, with shapes and counts
  /// ("fc1  linear(784 -> 256, init=he)  params 200960"), then the total. Counts appear once
  /// the model is built.
  std::string describe() const;

 private:
  void check_shapes(const Shape& input) const;
  std::string source_of(std::size_t layer, const Shape& shape) const;
  void mark_needed_gradients();
  void report_gradients(std::size_t layer, const std::function<void(std::size_t, std::size_t)>& gradient_ready) const;

  std::vector<NamedLayer> layers_;
  ParameterArena arena_;
  Shape input_shape_;
  Shape output_shape_;
  std::vector<std::size_t> parameter_counts_;  // per layer, filled by build()
  std::size_t first_trainable_ = 0;            // backward() stops here; layers.size() if none
  std::vector<std::size_t> first_handle_;      // per layer: its first tensor's arena handle ...
  std::vector<std::size_t> tensor_counts_;     // ... and how many tensors it declared
};

}  // namespace regimen::nn
