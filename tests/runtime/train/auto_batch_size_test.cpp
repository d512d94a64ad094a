#include "runtime/train/auto_batch_size.hpp"

#include <catch2/catch.hpp>
#include <memory>

#include "runtime/error.hpp"
#include "runtime/nn/linear.hpp"
#include "runtime/nn/relu.hpp"

using Catch::Contains;
using regimen::InvalidArgument;
using regimen::nn::Model;
using regimen::train::pick_batch_size;
namespace nn = regimen::nn;

namespace {

// 10 -> 6 -> 2: the arena holds 80 parameters padded to 112 floats (each tensor starts on a
// 64-byte boundary), so 112 x 16 = 1792 fixed bytes. Per sample the layers
// keep (10 + 6) + (6 + 6) + (6 + 2) = 36 floats and the trainer 10 inputs + 1 target + 2
// loss-gradient values: 49 floats = 196 bytes.
Model small_model() {
  Model model({{"", std::make_shared<nn::Linear>(10, 6)}, {"", std::make_shared<nn::ReLU>()},
               {"", std::make_shared<nn::Linear>(6, 2)}});
  model.build(10, 1);
  return model;
}

}  // namespace

TEST_CASE("Auto batch size: the largest power of two within the budget", "[train]") {
  const Model model = small_model();
  REQUIRE(model.arena().values().size() == 112);
  const auto pick = pick_batch_size(model, 1, 100000, 1792 + 196 * 100);
  CHECK(pick.bytes_per_sample == 196);
  CHECK(pick.fixed_bytes == 1792);
  CHECK(pick.batch_size == 64);  // 100 fit; 128 would not
  CHECK(pick_batch_size(model, 1, 100000, 1792 + 196 * 128).batch_size == 128);
  CHECK(pick_batch_size(model, 1, 100000, 1792 + 196 * 128 - 1).batch_size == 64);
  CHECK(pick.describe() == "64 (memory_budget 20.9 KB: 196 B per sample, 1.75 KB for the parameters)");
}

TEST_CASE("Auto batch size: never more than the training set", "[train]") {
  CHECK(pick_batch_size(small_model(), 1, 300, 1u << 30).batch_size == 300);
}

TEST_CASE("Auto batch size: a budget without room for one sample is an error with the figures", "[train]") {
  REQUIRE_THROWS_AS(pick_batch_size(small_model(), 1, 10, 1900), InvalidArgument);
  REQUIRE_THROWS_WITH(pick_batch_size(small_model(), 1, 10, 1900),
                      Contains("memory_budget 1.86 KB is too small: the parameters need 1.75 KB and every sample 196 B"));
}
