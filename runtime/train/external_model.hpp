#pragma once
// A model that lives outside Regimen (an embedding host's simulator, its own network): named
// tensors in the owner's memory and one function that computes the mean loss of a batch and
// fills the tensors' gradients. Everything else — optimizer, schedules, groups, penalties,
// clipping, early stopping, averaging, checkpoints — works on it unchanged, because it enters
// the trainer as an ordinary one-layer model and loss:
//
//   ExternalLayer  declares the tensors in the arena (so the optimizer sees them), copies the
//                  arena's values into the owner's memory before each forward pass, keeps the
//                  batch's inputs, and on backward adds the owner's gradients to the arena's.
//   ExternalLoss   asks the layer for the loss of the kept inputs and the targets; the owner's
//                  function computes loss and gradient in one call, as ensmallen's
//                  EvaluateWithGradient does. Its gradient w.r.t. the layer's dummy output is 0.
//
// A run without data hands the function an empty batch: an objective of the parameters alone.
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "runtime/loss/loss.hpp"
#include "runtime/nn/layer.hpp"

namespace regimen::train {

/// One tensor of an external model: values the optimizer updates and the gradient the owner's
/// function writes, both the owner's memory (equal lengths).
struct ExternalTensor {
  std::string name;  ///< "gain" becomes "<model>.gain" in the arena
  std::span<float> values;
  std::span<float> gradient;
};

/// The owner's loss: the batch's inputs and targets (row-major; null for a run without data),
/// returning the mean loss after writing every tensor's gradient (overwritten, not added).
using ExternalObjective = std::function<double(const Matrix* inputs, const Matrix* targets)>;

/// The external model as the one layer of an nn::Model; see the file comment.
class ExternalLayer final : public nn::Layer {
 public:
  /// Throws InvalidArgument for no tensor, an empty or mismatched span, or a repeated name.
  ExternalLayer(std::vector<ExternalTensor> tensors, ExternalObjective objective);

  std::string type() const override { return "external"; }
  std::string describe() const override;
  Index output_features(Index /*input_features*/) const override { return 1; }
  void declare_parameters(ParameterArena& arena, const std::string& name) override;
  /// Starts from the owner's values.
  void initialize(ParameterArena& arena, Random& rng) override;
  const Matrix& forward(const ParameterArena& arena, const Matrix& input, nn::Mode mode) override;
  const Matrix& backward(ParameterArena& arena, const Matrix& grad_output) override;
  std::size_t bytes_per_sample(const nn::Shape& input) const override;

  /// When set, the objective gets no batch (the data is a placeholder row).
  void set_without_data(bool without) { without_data_ = without; }
  /// The owner's loss for the inputs of the last forward and `targets`; fills its gradients.
  double loss(const Matrix& targets);
  /// Copies the arena's values into the owner's memory (after training, so the owner holds
  /// the final, or restored best, weights).
  void publish(const ParameterArena& arena) const;

 private:
  std::vector<ExternalTensor> tensors_;
  ExternalObjective objective_;
  std::vector<std::size_t> handles_;
  const Matrix* input_ = nullptr;  // the last forward's batch
  bool without_data_ = false;
  Matrix output_;
  Matrix grad_input_;  // stays empty: nothing reads dLoss/dData
};

/// The loss of an ExternalLayer's model: whatever the owner's objective says.
class ExternalLoss final : public loss::Loss {
 public:
  /// The layer must outlive the loss.
  explicit ExternalLoss(std::shared_ptr<ExternalLayer> layer) : layer_(std::move(layer)) {}
  std::string name() const override { return "external"; }
  std::string describe() const override { return "the external model's own loss"; }
  bool classification() const override { return false; }
  double value(const Matrix& prediction, const Matrix& target) const override;
  double value_and_gradient(const Matrix& prediction, const Matrix& target, Matrix& grad) const override;

 private:
  std::shared_ptr<ExternalLayer> layer_;
};

}  // namespace regimen::train
