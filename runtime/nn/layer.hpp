#pragma once
// Every layer has the same small face: declare its parameters, initialize them, forward, backward.
// Layers own their output and input-gradient buffers and reuse them from batch to batch, so a
// training step allocates nothing once the batch size is steady.
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "runtime/nn/shape.hpp"
#include "runtime/parameter_arena.hpp"
#include "runtime/random.hpp"
#include "runtime/regularize/constraint.hpp"
#include "runtime/regularize/regularizer.hpp"
#include "runtime/tensor.hpp"

namespace regimen::nn {

/// Whether a forward pass trains (dropout active) or evaluates (dropout off).
enum class Mode { kTrain, kEval };

/// A penalty and/or a constraint a layer attaches to one of its own tensors, as Keras' Dense
/// takes kernel_regularizer and kernel_constraint. The trainer adds the penalty's gradient
/// before the step and applies the constraint after it.
struct ParameterRule {
  std::size_t handle = 0;                                    ///< the tensor, in the model's arena
  std::shared_ptr<const regularize::Regularizer> regularizer;  ///< may be null
  std::shared_ptr<const regularize::Constraint> constraint;    ///< may be null
};

/// State a layer keeps that is not trained by the optimizer but belongs to the model (batch
/// norm's running statistics): saved and restored with the parameters.
struct Buffer {
  std::string name;       ///< the layer-local name ("running_mean"); the model prefixes "bn1."
  Matrix* value = nullptr;  ///< owned by the layer
};

/// One stage of a model.
class Layer {
 public:
  virtual ~Layer() = default;

  /// The layer's kind, as the DSL names it: "linear", "relu", "dropout".
  virtual std::string type() const = 0;
  /// One line for `regimen check`: "linear(784 -> 256, init=he)".
  virtual std::string describe() const = 0;
  /// The feature count this layer produces from `input_features`; throws InvalidArgument
  /// when the layer cannot take that many (e.g. a linear layer built for another width).
  virtual Index output_features(Index input_features) const = 0;
  /// The shape this layer produces from `input`; throws as output_features does. By default a
  /// layer that keeps the feature count keeps the shape (element-wise layers), and one that
  /// changes it produces flat features. Layers that need an image override this.
  virtual Shape output_shape(const Shape& input) const {
    const Index out = output_features(input.features());
    return out == input.features() ? input : Shape::flat(out);
  }
  /// Tells the layer the shape it will be given (after output_shape accepted it, before
  /// declare_parameters): convolutions and pooling need the image size, batch norm whether it
  /// normalizes features or channels.
  virtual void set_input_shape(const Shape& /*input*/) {}

  /// Reserves this layer's tensors in the arena under `name` ("fc1" gives "fc1.weight").
  virtual void declare_parameters(ParameterArena& /*arena*/, const std::string& /*name*/) {}
  /// Sets initial parameter values (arena allocated) and seeds the layer's own random stream.
  virtual void initialize(ParameterArena& /*arena*/, Random& /*rng*/) {}

  /// Computes the output for a batch (one sample per row). The reference stays valid until the
  /// next forward call. The input must stay alive until backward.
  virtual const Matrix& forward(const ParameterArena& arena, const Matrix& input, Mode mode) = 0;
  /// Given dLoss/dOutput of the last forward, adds parameter gradients into the arena's
  /// gradient buffer and returns dLoss/dInput (an empty matrix once told it is not needed).
  virtual const Matrix& backward(ParameterArena& arena, const Matrix& grad_output) = 0;

  /// Tells the layer whether anyone reads the dLoss/dInput that backward() returns (default:
  /// yes). A model says no to its first trainable layer, since nobody needs the gradient with
  /// respect to the data; for a first linear layer on wide inputs that product costs as much
  /// as the weight gradient. A layer may ignore this and compute the gradient anyway.
  virtual void set_input_gradient_needed(bool /*needed*/) {}

  /// The penalties and constraints on this layer's tensors (after declare_parameters); none by
  /// default.
  virtual std::vector<ParameterRule> parameter_rules() const { return {}; }
  /// The bytes this layer keeps per sample of a training batch, given its input shape: its
  /// output, the input gradient it returns and its per-sample workspaces (masks, columns,
  /// argmax). What batch_size = "auto" budgets with; by default an output and an input gradient.
  virtual std::size_t bytes_per_sample(const Shape& input) const {
    return sizeof(float) * static_cast<std::size_t>(input.features() + output_shape(input).features());
  }
  /// The layer's non-trainable state (batch norm's running statistics); none by default.
  virtual std::vector<Buffer> buffers() { return {}; }
  /// The random streams the layer draws from while training (dropout's mask stream), saved and
  /// restored by checkpoints; none by default.
  virtual std::vector<Random*> random_streams() { return {}; }
};

}  // namespace regimen::nn
