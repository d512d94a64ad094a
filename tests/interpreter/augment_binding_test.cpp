// augment.image and the recipe key augment: the options reach the runtime object, each mistake
// is reported before training with its exact message, and augmentation touches the training
// batches only. The pixel transforms are tested in tests/runtime/data.
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "lua_test_support.hpp"
#include "runtime/data/fixtures.hpp"

using regimen::testing::error_of;
using regimen::testing::eval;
using regimen::testing::run_lua;

namespace {

// 64 images of 6x6 pixels in IDX files: class 0 is bright at the top, class 1 at the bottom.
struct ImageFiles {
  regimen::data::testing::TempDir dir;
  std::string images = dir.file("images.idx"), labels = dir.file("labels.idx");
  ImageFiles() {
    std::vector<std::uint8_t> pixels, classes;
    for (int i = 0; i < 64; ++i) {
      classes.push_back(static_cast<std::uint8_t>(i % 2));
      for (int p = 0; p < 36; ++p) {
        const bool top = p < 18;
        pixels.push_back(static_cast<std::uint8_t>((top == (i % 2 == 0) ? 200 : 20) + (i * 7 + p * 13) % 40));
      }
    }
    regimen::data::testing::write_file(images, regimen::data::testing::idx_bytes(0x803, {64, 6, 6}, pixels));
    regimen::data::testing::write_file(labels, regimen::data::testing::idx_bytes(0x801, {64}, classes));
  }
};

// A classification recipe on the 6x6 images; `extra` is spliced into the recipe table. The
// recipe is on line 3 (error messages name it).
std::string recipe_with(const ImageFiles& files, const std::string& extra, const std::string& lr = "0.05") {
  return "local d = data.idx{images = '" + files.images + "', labels = '" + files.labels + "'}\n" +
         "local train, validation = d:split{validation = 0.25}\n"
         "local r = recipe{\n"
         "  data = {train = train, validation = validation},\n"
         "  model = nn.sequential{nn.linear(36, 8), nn.relu(), nn.linear(8, 2)},\n"
         "  loss = loss.cross_entropy(), optimizer = optim.sgd{lr = " +
         lr + "},\n  batch_size = 8, epochs = 3, seed = 5,\n" + extra +
         "}\n"
         "return r\n";
}

std::vector<double> series(const regimen::testing::Outcome& outcome, const std::string& name) {
  std::vector<double> values;
  for (const auto& epoch : outcome.result.history)
    for (const auto& [key, value] : epoch)
      if (key == name) values.push_back(value);
  return values;
}

std::string check_of(const std::string& text) {
  regimen::InterpreterOptions options;
  options.threads = 1;
  regimen::Interpreter interpreter(options);
  interpreter.load_string(text, "test.lua");
  return interpreter.check();
}

}  // namespace

TEST_CASE("Augment bindings: augment.image shows its options and strength", "[lua]") {
  CHECK(eval("augment.image{flip = 0.5, shift = 2, noise = 0.1, erase = 0.25}") ==
        "augment.image(flip=0.5, shift=2, noise=0.1, erase=0.25, strength=1)");
  CHECK(eval("augment.image{}") == "augment.image(strength=1)");
  CHECK(eval("augment.image()") == "augment.image(strength=1)");
  CHECK(eval("augment.image{shift = 1, strength = 0.5}") == "augment.image(shift=1, strength=0.5)");
  CHECK(eval("augment.image{flip = 1, strength = schedule.linear{from = 0, to = 1, steps = 10}}") ==
        "augment.image(flip=1, strength=linear(from=0, to=1, steps=10))");
  CHECK(eval("require('regimen').augment == augment") == "true");
}

TEST_CASE("Augment bindings: bad options are reported with their exact message", "[lua]") {
  using Row = std::pair<std::string, std::string>;
  const auto [options, message] = GENERATE(table<std::string, std::string>({
      Row{"{flip = 1.5}", "augment.image: flip must be in [0, 1], got 1.5"},
      Row{"{erase = -0.25}", "augment.image: erase must be in [0, 1], got -0.25"},
      Row{"{shift = 1.5}", "augment.image: shift must be a whole number >= 0, got 1.5"},
      Row{"{shift = -2}", "augment.image: shift must be a whole number >= 0, got -2"},
      Row{"{noise = -1}", "augment.image: noise must be >= 0, got -1"},
      Row{"{strength = -0.5}", "augment.image: strength must be >= 0, got -0.5"},
      Row{"{strength = 'high'}", "augment.image: bad option 'strength' (number or schedule expected, got string)"},
      Row{"{flip = 'yes'}", "augment.image: bad option 'flip' (number expected, got string)"},
      Row{"{flp = 0.5}", "augment.image: unknown option 'flp' (did you mean 'flip'?)"},
      Row{"{0.5}", "augment.image: options must be named (write {name = value})"},
      Row{"(3)", "augment.image: expected a table of options, got number"},
  }));
  INFO(options);
  CHECK(error_of("local a = 1\nlocal x = augment.image" + options + "\n") == "test.lua:2: " + message);
}

TEST_CASE("Augment bindings: recipe mistakes with augment are reported at the recipe line", "[lua]") {
  const ImageFiles files;
  CHECK(error_of(recipe_with(files, "augment = 3,\n")) ==
        "test.lua:3: recipe: 'augment' must be augment.image{...}, got number");
  CHECK(error_of(recipe_with(files, "augmnt = augment.image{flip = 0.5},\n")) ==
        "test.lua:3: recipe: unknown option 'augmnt' (did you mean 'augment'?)");
  CHECK(error_of(recipe_with(files, "augment = augment.image{shift = 6},\n")) ==
        "test.lua:3: recipe: augment: shift must be smaller than the image (1x6x6), got 6");
  const std::string csv_recipe =
      "local d = data.synthetic.linear{n = 64, w = {1, 2}, seed = 1}\n"
      "local a = augment.image{flip = 0.5}\n"
      "local r = recipe{data = d, model = nn.sequential{nn.linear(2, 1)}, loss = loss.mse(),\n"
      "  optimizer = optim.sgd{lr = 0.1}, augment = a}\n"
      "return r\n";
  CHECK(error_of(csv_recipe) ==
        "test.lua:3: recipe: augment: the training data 'synthetic.linear' holds no images (image augmentation "
        "needs data.idx or data.fashion_mnist)");
}

TEST_CASE("Augment bindings: a Lua strength that turns negative fails at its step", "[lua]") {
  const ImageFiles files;
  const auto outcome =
      run_lua(recipe_with(files, "augment = augment.image{flip = 0.5, strength = function(t) return 1 - t / 4 end},\n"));
  CHECK(outcome.message == "test.lua:3: augment: strength must be >= 0, got -0.25 at step 5");
  CHECK(outcome.exit_code == 2);
}

TEST_CASE("Augment bindings: regimen check lists the augmentation", "[lua]") {
  const ImageFiles files;
  const std::string text = check_of(recipe_with(
      files, "augment = augment.image{flip = 0.5, shift = 1, strength = schedule.linear{from = 0, to = 1, steps = "
             "'2 epochs'}},\n"));
  // 48 training images in batches of 8: 6 steps per epoch, so '2 epochs' is 12 steps.
  CHECK_THAT(text, Catch::Contains("  augment     image(flip=0.5, shift=1, strength=linear(from=0, to=1, steps=12))"
                                   "  (training batches)\n"));
}

TEST_CASE("Augment bindings: only training batches are augmented", "[lua]") {
  // With lr = 0 the weights never move, so every epoch's validation metrics must equal those of
  // the same recipe without augmentation, while the training loss (on augmented batches) differs.
  const ImageFiles files;
  const auto plain = run_lua(recipe_with(files, "", "0"));
  const auto noisy = run_lua(recipe_with(files, "augment = augment.image{noise = 0.5, erase = 1, flip = 1},\n", "0"));
  REQUIRE(plain.exit_code == 0);
  REQUIRE(noisy.exit_code == 0);
  CHECK(series(noisy, "val_loss") == series(plain, "val_loss"));
  CHECK(series(noisy, "val_accuracy") == series(plain, "val_accuracy"));
  CHECK(series(noisy, "loss") != series(plain, "loss"));
}

TEST_CASE("Augment bindings: strength 0 trains exactly as no augmentation, a seed repeats a run", "[lua]") {
  const ImageFiles files;
  const auto plain = run_lua(recipe_with(files, ""));
  const auto off = run_lua(recipe_with(files, "augment = augment.image{flip = 1, shift = 2, noise = 0.3, strength = 0},\n"));
  const std::string on = "augment = augment.image{flip = 0.5, shift = 2, noise = 0.1, erase = 0.5,\n"
                         "  strength = schedule.linear{from = 0, to = 1, steps = '1 epochs', by = 'epoch'}},\n";
  const auto first = run_lua(recipe_with(files, on));
  const auto second = run_lua(recipe_with(files, on));
  REQUIRE(plain.exit_code == 0);
  REQUIRE(first.exit_code == 0);
  CHECK(series(off, "loss") == series(plain, "loss"));
  CHECK(series(off, "val_loss") == series(plain, "val_loss"));
  CHECK(series(first, "loss") == series(second, "loss"));
  CHECK(series(first, "val_loss") == series(second, "val_loss"));
  // by = 'epoch': strength 0 through epoch 0, so the first epoch trains as the plain run does.
  REQUIRE(series(first, "loss").size() == 3);
  CHECK(series(first, "loss")[0] == series(plain, "loss")[0]);
  CHECK(series(first, "loss")[1] != series(plain, "loss")[1]);
}
