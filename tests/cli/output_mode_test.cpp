// regimen run --json and --quiet: what reaches stdout, line by line. The JSON lines are parsed
// with nlohmann::json, an independent parser.
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "support/run_command.hpp"
#include "support/temp_dir.hpp"

using regimen::testing::regimen_command;
using regimen::testing::run_command;
using regimen::testing::TempDir;

namespace {

// 3 classes; a test set, so the run ends with test metrics and a confusion matrix. A warning
// (a parameter group that selects nothing) goes to stderr.
const char* const kClassifier =
    "local d = data.synthetic.linear{n = 240, w = {1, -2}, b = 0.5, noise = 0.1, seed = 2}\n"
    "local x = d:take(240)\n"
    "return recipe{\n"
    "  data = {train = x, validation = x:take(60), test = x:take(60)},\n"
    "  model = nn.sequential{nn.linear(2, 4), nn.relu(), nn.linear(4, 1)},\n"
    "  loss = loss.mse(),\n"
    "  optimizer = optim.sgd{lr = 0.05},\n"
    "  batch_size = 16, epochs = 3,\n"
    "}\n";

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

// stdout only: stderr is dropped inside the group, before run_command folds it in.
std::string stdout_of(const std::string& arguments, int& exit_code) {
  const auto result = run_command("{ " + regimen_command(arguments + " --no-out") + " 2>/dev/null; }");
  exit_code = result.exit_code;
  return result.output;
}

}  // namespace

TEST_CASE("CLI output: --json prints one JSON object per epoch, then a summary", "[cli]") {
  TempDir dir;
  const std::string path = dir.write("json.lua", kClassifier);
  int code = -1;
  const auto out = lines(stdout_of("run " + path + " --json --threads 1", code));
  REQUIRE(code == 0);
  REQUIRE(out.size() == 4);
  for (int e = 0; e < 3; ++e) {
    const auto epoch = nlohmann::json::parse(out[static_cast<std::size_t>(e)]);
    CHECK(epoch["epoch"] == e + 1);
    CHECK(epoch["loss"].is_number());
    CHECK(epoch["val_loss"].is_number());
    CHECK(epoch["lr"] == 0.05);
    CHECK(epoch["time"].get<double>() >= 0.0);
  }
  const auto last = nlohmann::json::parse(out[3]);
  CHECK(last["stop_reason"].is_null());
  CHECK(last["epochs"] == 3);
  CHECK(last["steps"] == 45);  // 240 samples in batches of 16: 15 steps per epoch
  CHECK(last["test_loss"].is_number());
}

TEST_CASE("CLI output: --json reports the stop reason and a classifier's confusion matrix", "[cli]") {
  TempDir dir;
  const std::string path = dir.write(
      "classes.lua",
      "local d = data.fashion_mnist{}\n"
      "return recipe{\n"
      "  data = {train = d.train:take(64), test = d.test:take(40)},\n"
      "  model = nn.sequential{nn.flatten(), nn.linear(784, 10)},\n"
      "  loss = loss.cross_entropy(), optimizer = optim.sgd{lr = 0.01}, epochs = 5, max_steps = 10,\n"
      "}\n");
  int code = -1;
  const auto out = lines(stdout_of("run " + path + " --json", code));
  REQUIRE(code == 0);
  REQUIRE(out.size() == 6);  // 2 steps per epoch: epoch 5 ends at step 10, then the summary
  const auto last = nlohmann::json::parse(out.back());
  CHECK(last["stop_reason"] == "max_steps 10 reached at epoch 5");
  CHECK(last["steps"] == 10);
  CHECK(last["test_accuracy"].is_number());
  const auto& confusion = last["confusion_matrix"];
  CHECK(confusion["split"] == "test");
  REQUIRE(confusion["rows"].size() == 10);
  std::int64_t total = 0;
  for (const auto& row : confusion["rows"])
    for (const auto& count : row) total += count.get<std::int64_t>();
  CHECK(total == 40);
}

TEST_CASE("CLI output: --quiet prints only the test metrics line", "[cli]") {
  TempDir dir;
  const std::string path = dir.write("quiet.lua", kClassifier);
  int code = -1;
  const auto out = lines(stdout_of("run " + path + " --quiet", code));
  REQUIRE(code == 0);
  REQUIRE(out.size() == 1);
  CHECK_THAT(out[0], Catch::StartsWith("test_loss "));
}

TEST_CASE("CLI output: --quiet and --json exclude each other, piped output has no progress line", "[cli]") {
  TempDir dir;
  const std::string path = dir.write("both.lua", kClassifier);
  const auto both = run_command(regimen_command("run " + path + " --quiet --json --no-out"));
  CHECK(both.exit_code == 2);
  CHECK_THAT(both.output, Catch::StartsWith("regimen run: --quiet and --json exclude each other"));
  const auto piped = run_command(regimen_command("run " + path + " --no-out"));
  CHECK(piped.exit_code == 0);
  CHECK(piped.output.find('\r') == std::string::npos);
  CHECK(lines(piped.output).size() == 4);  // 3 epoch lines and the test metrics
}
