// Model::bytes_per_sample is what batch_size = "auto" budgets with, so it is checked against
// what the layers really allocate: the heap in use (glibc's mallinfo2, mmapped blocks
// included) grows by about (b2 - b1) x bytes_per_sample when a steady model goes from batch b1
// to batch b2. Allocator overhead per block and small per-row vectors are not counted, so the
// two agree to within 2%. Under AddressSanitizer, malloc is ASan's and mallinfo2 reports nothing
// of it: there the comparison is left out (the release build runs it).
#include <malloc.h>

#include <catch2/catch.hpp>
#include <memory>
#include <vector>

#include "runtime/nn/batch_norm.hpp"
#include "runtime/nn/conv2d.hpp"
#include "runtime/nn/dropout.hpp"
#include "runtime/nn/dropout_variants.hpp"
#include "runtime/nn/flatten.hpp"
#include "runtime/nn/linear.hpp"
#include "runtime/nn/max_pool2d.hpp"
#include "runtime/nn/model.hpp"
#include "runtime/nn/relu.hpp"
#include "runtime/random.hpp"

using regimen::Index;
using regimen::Matrix;
using regimen::nn::Mode;
using regimen::nn::Model;
using regimen::nn::NamedLayer;
using regimen::nn::Shape;
namespace nn = regimen::nn;

namespace {

[[maybe_unused]] std::size_t heap_in_use() {
  const struct mallinfo2 info = mallinfo2();
  return info.uordblks + info.hblkhd;
}

// One training step's allocations at batch `rows`; returns the heap in use afterwards.
[[maybe_unused]] std::size_t steady_after(Model& model, Index rows) {
  regimen::Random rng(3);
  Matrix x(rows, model.input_shape().features());
  for (Index i = 0; i < x.size(); ++i) x.data()[i] = static_cast<float>(rng.uniform());
  Matrix grad;
  for (int pass = 0; pass < 2; ++pass) {  // the second pass allocates nothing new
    const Matrix& y = model.forward(x, Mode::kTrain);
    grad = Matrix::Ones(y.rows(), y.cols());
    model.arena().zero_grads();
    model.backward(grad);
  }
  // x and grad are the trainer's (counted by pick_batch_size, not by the model): leave them out.
  return heap_in_use() - sizeof(float) * static_cast<std::size_t>(x.size() + grad.size());
}

nn::Conv2dOptions padded() {
  nn::Conv2dOptions options;
  options.padding = 1;
  return options;
}

}  // namespace

TEST_CASE("Model bytes_per_sample: matches what a CNN's layers allocate per sample", "[nn]") {
  Model model({{"", std::make_shared<nn::Conv2d>(1, 8, 3, padded())},
               {"", std::make_shared<nn::BatchNorm>(8)},
               {"", std::make_shared<nn::ReLU>()},
               {"", std::make_shared<nn::MaxPool2d>(2)},
               {"", std::make_shared<nn::Conv2d>(8, 16, 3, padded())},
               {"", std::make_shared<nn::ReLU>()},
               {"", std::make_shared<nn::Flatten>()},
               {"", std::make_shared<nn::Dropout>(0.3)},
               {"", std::make_shared<nn::Linear>(16 * 6 * 6, 32)},
               {"", std::make_shared<nn::AlphaDropout>(0.1)},
               {"", std::make_shared<nn::Linear>(32, 10)}});
  model.build(Shape::image_of(1, 12, 12), 7);
  const std::size_t estimate = model.bytes_per_sample();
  CHECK(estimate > 0);
#if !defined(REGIMEN_SANITIZED)  // a sanitizer's malloc keeps its own books
  steady_after(model, 8);
  const std::size_t small = steady_after(model, 8);
  const std::size_t large = steady_after(model, 72);
  const double per_sample = static_cast<double>(large - small) / 64.0;
  INFO("estimate " << estimate << " B, measured " << per_sample << " B per sample");
  CHECK(per_sample <= 1.02 * static_cast<double>(estimate));
  CHECK(per_sample >= 0.98 * static_cast<double>(estimate));
#endif
}

TEST_CASE("Model bytes_per_sample: a dense model counts outputs, input gradients and masks", "[nn]") {
  Model model({{"", std::make_shared<nn::Linear>(20, 16)},
               {"", std::make_shared<nn::ReLU>()},
               {"", std::make_shared<nn::Dropout>(0.5)},
               {"", std::make_shared<nn::Linear>(16, 4)}});
  CHECK(model.bytes_per_sample() == 0);  // not built
  model.build(20, 1);
  // linear (20 in + 16 out) + relu (16 + 16) + dropout (4 x 16) + linear (16 + 4), in floats.
  CHECK(model.bytes_per_sample() == 4 * (36 + 32 + 64 + 20));
}
