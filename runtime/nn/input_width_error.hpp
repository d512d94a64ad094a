#pragma once
// The one shape mistake every layer can report: it was handed a batch of the wrong width.
// It carries the layer's expectation as a phrase ("expects 784 inputs") so that the model can
// splice it into a message that names both layers: "layer 'fc2' (linear) expects 256 inputs,
// but 'fc1' produces 128". Any other InvalidArgument from a layer is reported as it is.
#include <string>
#include <utility>

#include "runtime/error.hpp"
#include "runtime/nn/shape.hpp"
#include "runtime/tensor.hpp"

namespace regimen::nn {

/// A layer cannot take `got` input features; what() reads "expects 784 inputs, got 100".
class InputWidthError : public InvalidArgument {
 public:
  /// `expectation` is a verb phrase without a subject: "expects 784 inputs".
  InputWidthError(std::string expectation, Index got)
      : InvalidArgument(expectation + ", got " + std::to_string(got)),
        expectation_(std::move(expectation)),
        got_(got) {}
  /// A layer that needs an image (or a certain one) was given `got`: "expects 32 input
  /// channels, got 16x14x14".
  InputWidthError(std::string expectation, const Shape& got)
      : InvalidArgument(expectation + ", got " + got.describe()), expectation_(std::move(expectation)), got_(got.features()) {}

  /// The layer's requirement, e.g. "expects 784 inputs".
  const std::string& expectation() const { return expectation_; }
  /// The width (feature count) the layer was given.
  Index got() const { return got_; }

 private:
  std::string expectation_;
  Index got_;
};

}  // namespace regimen::nn
