// nn.*'s layers beyond linear, relu and dropout: each name reaches its runtime layer with its
// options, every bad argument is an exact error, and a shape mistake stops a recipe before
// training with its line. The layers' numerics are tested in tests/runtime/nn.
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "lua_test_support.hpp"
#include "runtime/data/fixtures.hpp"

using regimen::testing::error_of;
using regimen::testing::eval;
using regimen::testing::run_lua;

TEST_CASE("Bindings: activations, flatten and softmax", "[lua][nn]") {
  CHECK(eval("nn.tanh()") == "tanh");
  CHECK(eval("nn.sigmoid()") == "sigmoid");
  CHECK(eval("nn.gelu()") == "gelu");
  CHECK(eval("nn.softmax()") == "softmax");
  CHECK(eval("nn.flatten()") == "flatten");
  CHECK(eval("nn.leaky_relu()") == "leaky_relu(0.01)");
  CHECK(eval("nn.leaky_relu(0.2)") == "leaky_relu(0.2)");
  CHECK(eval("nn.leaky_relu{name = 'act'}") == "leaky_relu(0.01)");
  CHECK(error_of("nn.leaky_relu('x')") == "test.lua:1: bad argument #1 to 'leaky_relu' (number expected, got string)");
  CHECK(error_of("nn.leaky_relu(math.huge)") ==
        "test.lua:1: nn.leaky_relu: leaky_relu: negative_slope must be finite, got inf");
  CHECK(error_of("nn.gelu{approximate = 'tanh'}") == "test.lua:1: nn.gelu: unknown option 'approximate'");
  CHECK(error_of("nn.flatten{nmae = 'f'}") == "test.lua:1: nn.flatten: unknown option 'nmae' (did you mean 'name'?)");
}

TEST_CASE("Bindings: dropout variants take p", "[lua][nn]") {
  CHECK(eval("nn.gaussian_dropout(0.3)") == "gaussian_dropout(p=0.3)");
  CHECK(eval("nn.alpha_dropout(0.1)") == "alpha_dropout(p=0.1)");
  CHECK(eval("nn.spatial_dropout(0.2)") == "spatial_dropout(p=0.2)");
  CHECK(error_of("nn.alpha_dropout(1)") == "test.lua:1: nn.alpha_dropout: alpha_dropout: p must be in [0, 1), got 1");
  CHECK(error_of("nn.gaussian_dropout()") ==
        "test.lua:1: bad argument #1 to 'gaussian_dropout' (number expected, got no value)");
}

TEST_CASE("Bindings: conv2d takes PyTorch's arguments", "[lua][nn]") {
  CHECK(eval("nn.conv2d(1, 32, 3)") == "conv2d(1 -> 32, kernel=3, stride=1, padding=0, init=he)");
  CHECK(eval("nn.conv2d(1, 32, 3, {stride = 2, padding = 1, init = 'xavier'})") ==
        "conv2d(1 -> 32, kernel=3, stride=2, padding=1, init=xavier)");
  CHECK(eval("nn.conv2d(3, 8, 5, {padding = 'same'})") == "conv2d(3 -> 8, kernel=5, stride=1, padding=same, init=he)");
  CHECK(error_of("nn.conv2d(1, 32)") == "test.lua:1: bad argument #3 to 'conv2d' (number expected, got no value)");
  CHECK(error_of("nn.conv2d(1, 32, 0)") == "test.lua:1: nn.conv2d: conv2d: kernel_size must be positive, got 0");
  CHECK(error_of("nn.conv2d(1, 32, 3, {padding = 'valid'})") ==
        "test.lua:1: nn.conv2d: option 'padding' must be a number or 'same', got 'valid'");
  CHECK(error_of("nn.conv2d(1, 32, 3, {padding = 'same', stride = 2})") ==
        "test.lua:1: nn.conv2d: conv2d: padding = 'same' needs stride 1, got 2");
  CHECK(error_of("nn.conv2d(1, 32, 3, {init = 'ones'})") ==
        "test.lua:1: nn.conv2d: conv2d: unknown init 'ones' (expected 'he', 'xavier', 'normal' or 'zeros')");
  CHECK(error_of("nn.conv2d(1, 32, 3, {strides = 2})") ==
        "test.lua:1: nn.conv2d: unknown option 'strides' (did you mean 'stride'?)");
  CHECK(error_of("nn.conv2d(1, 32, 3, {stride = 1.5})") ==
        "test.lua:1: nn.conv2d: bad option 'stride' (integer expected, got number)");
}

TEST_CASE("Bindings: max_pool2d and batch_norm", "[lua][nn]") {
  CHECK(eval("nn.max_pool2d(2)") == "max_pool2d(kernel=2, stride=2)");
  CHECK(eval("nn.max_pool2d(3, {stride = 1})") == "max_pool2d(kernel=3, stride=1)");
  CHECK(error_of("nn.max_pool2d(2, {stride = 0})") == "test.lua:1: nn.max_pool2d: max_pool2d: stride must be positive, got 0");
  CHECK(error_of("nn.max_pool2d(0)") == "test.lua:1: nn.max_pool2d: max_pool2d: kernel_size must be positive, got 0");
  CHECK(eval("nn.batch_norm(64)") == "batch_norm(64, momentum=0.1, eps=1e-05)");
  CHECK(eval("nn.batch_norm(8, {momentum = 0.01, eps = 1e-3})") == "batch_norm(8, momentum=0.01, eps=0.001)");
  CHECK(error_of("nn.batch_norm(8, {momentum = 2})") ==
        "test.lua:1: nn.batch_norm: batch_norm: momentum must be in [0, 1], got 2");
  CHECK(error_of("nn.batch_norm(8, {epsilon = 1e-3})") ==
        "test.lua:1: nn.batch_norm: unknown option 'epsilon' (did you mean 'eps'?)");
  CHECK(error_of("nn.batch_norm()") == "test.lua:1: bad argument #1 to 'batch_norm' (number expected, got no value)");
}

TEST_CASE("Bindings: image layers get PyTorch-style names in the model", "[lua][nn]") {
  CHECK(eval("nn.sequential{nn.conv2d(1, 4, 3), nn.batch_norm(4), nn.max_pool2d(2), nn.flatten(), nn.linear(676, 2)}") ==
        "nn.sequential{conv2d(1 -> 4, kernel=3, stride=1, padding=0, init=he), batch_norm(4, momentum=0.1, eps=1e-05), "
        "max_pool2d(kernel=2, stride=2), flatten, linear(676 -> 2, init=he)}");
}

namespace {

// 32 images of 6x6 pixels in IDX files, two classes (bright top or bright bottom).
struct ImageFiles {
  regimen::data::testing::TempDir dir;
  std::string images = dir.file("images.idx"), labels = dir.file("labels.idx");
  ImageFiles() {
    std::vector<std::uint8_t> pixels, classes;
    for (int i = 0; i < 32; ++i) {
      classes.push_back(static_cast<std::uint8_t>(i % 2));
      for (int p = 0; p < 36; ++p) pixels.push_back(static_cast<std::uint8_t>((p < 18) == (i % 2 == 0) ? 200 : 20));
    }
    regimen::data::testing::write_file(images, regimen::data::testing::idx_bytes(0x803, {32, 6, 6}, pixels));
    regimen::data::testing::write_file(labels, regimen::data::testing::idx_bytes(0x801, {32}, classes));
  }
};

// A recipe on `data` with `model`; the recipe table starts on line 2.
std::string recipe_on(const std::string& data, const std::string& model) {
  return "local d = " + data + "\nreturn recipe{\n  data = {train = d},\n  model = " + model +
         ",\n  loss = loss.cross_entropy(), optimizer = optim.adam{}, batch_size = 8, epochs = 2, seed = 1,\n}\n";
}

}  // namespace

TEST_CASE("Bindings: a CNN trains on image data", "[lua][nn]") {
  const ImageFiles files;
  const std::string data = "data.idx{images = '" + files.images + "', labels = '" + files.labels + "'}";
  const auto outcome = run_lua(recipe_on(data, "nn.sequential{nn.conv2d(1, 4, 3, {padding = 'same'}), nn.batch_norm(4), "
                                               "nn.relu(), nn.max_pool2d(2), nn.flatten(), nn.linear(36, 2)}"));
  INFO(outcome.message);
  CHECK(outcome.exit_code == 0);
}

TEST_CASE("Bindings: a shape mistake in a CNN stops the recipe at build, naming both layers", "[lua][nn]") {
  const ImageFiles files;
  const std::string data = "data.idx{images = '" + files.images + "', labels = '" + files.labels + "'}";
  CHECK(error_of(recipe_on(data, "nn.sequential{nn.conv2d(1, 4, 3), nn.max_pool2d(2), nn.flatten(), nn.linear(36, 2)}")) ==
        "test.lua:2: recipe: model: layer 'fc1' (linear) expects 36 inputs, but 'flatten1' produces 16");
  CHECK(error_of(recipe_on(data, "nn.sequential{nn.conv2d(3, 4, 3), nn.flatten(), nn.linear(64, 2)}")) ==
        "test.lua:2: recipe: model: layer 'conv1' (conv2d) expects 3 input channels, but the data has images of 1x6x6");
  CHECK(error_of(recipe_on("data.synthetic.linear{n = 16, w = {1, 2, 3, 4}, b = 0}",
                           "nn.sequential{nn.conv2d(1, 4, 3), nn.flatten(), nn.linear(4, 1)}")) ==
        "test.lua:2: recipe: model: layer 'conv1' (conv2d) expects images (channels x height x width), but the data has 4 "
        "features");
}
