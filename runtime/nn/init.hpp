#pragma once
// How a layer draws its initial weights, given the fan-in and fan-out of one output unit
// (a linear layer: in and out; a convolution: in_channels * k * k and out_channels * k * k):
//
//   he:     W ~ U(-sqrt(6 / fan_in), +sqrt(6 / fan_in))                 (He et al., 2015)
//   xavier: W ~ U(-sqrt(6 / (fan_in + fan_out)), +sqrt(...))            (Glorot & Bengio, 2010)
//   normal: W ~ N(0, 0.05^2)                                            (Keras' RandomNormal)
//   zeros:  W = 0
//
// The uniform variants are Keras' he_uniform and glorot_uniform. Biases always start at zero.
#include <string_view>

#include "runtime/random.hpp"
#include "runtime/tensor.hpp"

namespace regimen::nn {

/// How a layer draws its initial weights.
enum class Init { kHe, kXavier, kNormal, kZeros };

/// The DSL name of an initializer: "he", "xavier", "normal", "zeros".
std::string_view init_name(Init init);
/// Parses a DSL initializer name; throws InvalidArgument naming `layer` and the choices otherwise.
Init parse_init(std::string_view name, std::string_view layer = "linear");
/// Fills `weights` in storage order (row by row) from `rng`, so the stream maps to weights the
/// same way everywhere.
void draw_weights(Init init, Index fan_in, Index fan_out, MatrixMap weights, Random& rng);

}  // namespace regimen::nn
