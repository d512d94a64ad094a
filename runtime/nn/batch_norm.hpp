#pragma once
// Batch normalization (Ioffe & Szegedy, 2015) as PyTorch's BatchNorm1d on flat features and
// BatchNorm2d on images (one statistic per channel, over the batch and all pixels): the layer
// picks by its input shape. With m values per feature/channel in a training batch,
//
//   mu = mean(x),  var = mean((x - mu)^2)  (biased),  xhat = (x - mu) / sqrt(var + eps)
//   y = gamma xhat + beta                  gamma: "NAME.weight" (1s), beta: "NAME.bias" (0s)
//   running_mean = (1 - momentum) running_mean + momentum mu
//   running_var  = (1 - momentum) running_var  + momentum var m / (m - 1)   (unbiased)
//
//   dL/dgamma = sum g xhat,  dL/dbeta = sum g,
//   dL/dx = gamma / (m sqrt(var + eps)) (m g - sum g - xhat sum g xhat)
//
// In evaluation the running statistics replace mu and var, and dL/dx = gamma g / sqrt(rv + eps).
// Training needs m > 1 (PyTorch refuses too: the unbiased variance of one value is undefined).
// The running statistics are buffers (Layer::buffers), saved with the model, not trained.
#include <string>
#include <vector>

#include "runtime/nn/layer.hpp"

namespace regimen::nn {

/// Batch normalization over `features` features (flat input) or channels (image input).
class BatchNorm : public Layer {
 public:
  /// Throws InvalidArgument unless features > 0, 0 <= momentum <= 1 and eps > 0.
  explicit BatchNorm(Index features, double momentum = 0.1, double eps = 1e-5);

  Index features() const { return n_; }
  double momentum() const { return momentum_; }
  double eps() const { return eps_; }
  const Matrix& running_mean() const { return running_mean_; }
  const Matrix& running_var() const { return running_var_; }

  std::string type() const override { return "batch_norm"; }
  /// "batch_norm(64, momentum=0.1, eps=1e-05)".
  std::string describe() const override;
  Index output_features(Index input_features) const override;
  /// Keeps the shape; a flat input must have n features, an image n channels.
  Shape output_shape(const Shape& input) const override;
  void set_input_shape(const Shape& input) override;

  /// Declares "NAME.weight" and "NAME.bias" (n each, rank 1).
  void declare_parameters(ParameterArena& arena, const std::string& name) override;
  /// gamma = 1, beta = 0, running mean 0, running variance 1.
  void initialize(ParameterArena& arena, Random& rng) override;

  const Matrix& forward(const ParameterArena& arena, const Matrix& input, Mode mode) override;
  const Matrix& backward(ParameterArena& arena, const Matrix& grad_output) override;
  std::size_t bytes_per_sample(const Shape& input) const override;
  /// "running_mean" and "running_var", 1 x n each.
  std::vector<Buffer> buffers() override;

 private:
  Index n_;
  double momentum_;
  double eps_;
  Index plane_ = 1;  // values per channel per sample: H W for an image, 1 for flat features
  static constexpr std::size_t kUndeclared = static_cast<std::size_t>(-1);
  std::size_t weight_ = kUndeclared;
  std::size_t bias_ = kUndeclared;
  Matrix running_mean_;
  Matrix running_var_;
  bool training_ = false;        // the last forward's mode
  std::vector<double> inv_std_;  // per channel, of the last forward
  Matrix xhat_;
  Matrix output_;
  Matrix grad_input_;
};

}  // namespace regimen::nn
