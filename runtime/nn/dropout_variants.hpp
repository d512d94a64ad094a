#pragma once
// Dropout's relatives, each multiplicative noise that is active in training and the identity
// in evaluation (and at p = 0). All are y = x * s + t with per-element s and t drawn for the
// batch, so dL/dx = g * s:
//
//   gaussian_dropout(p)  Keras' GaussianDropout(rate = p) (Srivastava et al., 2014, sec. 10):
//                        s ~ N(1, p / (1 - p)), t = 0
//   alpha_dropout(p)     PyTorch's AlphaDropout (Klambauer et al., 2017, for SELU networks): with
//                        alpha' = 1.7580993408473766 and a = 1 / sqrt((alpha'^2 p + 1)(1 - p)),
//                        a kept element gives a x + a alpha' p, a dropped one a alpha' (p - 1):
//                        s = a m, t = a alpha' (p - 1 + m) for the keep mask m in {0, 1}; the
//                        output keeps zero mean and unit variance
//   spatial_dropout(p)   PyTorch's Dropout2d / Keras' SpatialDropout2D: whole channels of a
//                        sample are dropped together, survivors scaled by 1/(1 - p); on flat
//                        features every feature is its own channel (plain dropout)
//
// Keep masks use the rule of dropout.hpp (an element is kept when 32 random bits are at least
// round(p 2^32)); each layer draws from its own stream, seeded in initialize().
#include <cstdint>
#include <string>
#include <vector>

#include "runtime/nn/layer.hpp"

namespace regimen::nn {

/// The shared face: validates p, seeds the stream, applies y = x s + t and dL/dx = g s.
class NoiseLayer : public Layer {
 public:
  double p() const { return p_; }
  /// "<type>(p=0.5)".
  std::string describe() const override;
  Index output_features(Index input_features) const override { return input_features; }
  /// Seeds the noise stream from one draw of `rng`.
  void initialize(ParameterArena& arena, Random& rng) override;
  const Matrix& forward(const ParameterArena& arena, const Matrix& input, Mode mode) override;
  const Matrix& backward(ParameterArena& arena, const Matrix& grad_output) override;
  std::size_t bytes_per_sample(const Shape& input) const override;
  std::vector<Random*> random_streams() override { return {&rng_}; }

 protected:
  /// Throws InvalidArgument naming `type` unless 0 <= p < 1.
  NoiseLayer(const char* type, double p);
  /// Fills scale_ (and shift_ when the layer shifts) for a rows x cols batch.
  virtual void draw(Index rows, Index cols) = 0;
  /// n keep flags (1 kept, 0 dropped) with probability 1 - p each, into `keep`.
  void draw_keep(Index n, float* keep);

  double p_;
  Random rng_;
  bool shifted_ = false;  // whether shift_ is part of the output
  Matrix scale_;
  Matrix shift_;

 private:
  bool active_ = false;  // whether the last forward applied the noise
  std::vector<std::uint32_t> bits_;
  Matrix output_;
  Matrix grad_input_;
};

/// Multiplicative Gaussian noise of mean 1 and variance p / (1 - p).
class GaussianDropout : public NoiseLayer {
 public:
  explicit GaussianDropout(double p) : NoiseLayer("gaussian_dropout", p) {}
  std::string type() const override { return "gaussian_dropout"; }

 protected:
  void draw(Index rows, Index cols) override;
};

/// Dropout that keeps SELU's self-normalization: dropped values go to SELU's negative limit.
class AlphaDropout : public NoiseLayer {
 public:
  explicit AlphaDropout(double p) : NoiseLayer("alpha_dropout", p) { shifted_ = true; }
  std::string type() const override { return "alpha_dropout"; }

 protected:
  void draw(Index rows, Index cols) override;
};

/// Drops whole channels of each sample (feature maps), survivors scaled by 1/(1 - p).
class SpatialDropout : public NoiseLayer {
 public:
  explicit SpatialDropout(double p) : NoiseLayer("spatial_dropout", p) {}
  std::string type() const override { return "spatial_dropout"; }
  void set_input_shape(const Shape& input) override { plane_ = input.plane(); }

 protected:
  void draw(Index rows, Index cols) override;

 private:
  Index plane_ = 1;  // values per channel
  Matrix keep_;      // rows x channels
};

}  // namespace regimen::nn
