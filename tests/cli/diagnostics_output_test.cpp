// Where regimen run puts its diagnoses: after the metrics on stdout, on stderr with --quiet, in
// the summary object with --json (parsed with nlohmann::json, an independent parser).
#include <sstream>
#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "support/run_command.hpp"
#include "support/temp_dir.hpp"

using regimen::testing::regimen_command;
using regimen::testing::run_command;
using regimen::testing::TempDir;

namespace {

// Plain SGD at lr = 1e-7: the loss barely moves.
const char* const kTooSmall =
    "local d = data.synthetic.linear{n = 256, w = 3, b = 2, noise = 0.3, seed = 7}\n"
    "return recipe{\n"
    "  seed = 1, data = {train = d},\n"
    "  model = nn.sequential{nn.linear(1, 1)}, loss = loss.mse(),\n"
    "  optimizer = optim.sgd{lr = 1e-7}, batch_size = 32, epochs = 3,\n"
    "}\n";

const char* const kDiagnosis =
    "diagnosis: the learning rate looks too small: the training loss barely moved in 3 epochs";

std::string run(const std::string& arguments, const std::string& redirect, int& exit_code) {
  const auto result = run_command("{ " + regimen_command(arguments + " --no-out --threads 1") + " " + redirect + "; }");
  exit_code = result.exit_code;
  return result.output;
}

std::string last_line(const std::string& text) {
  std::istringstream in(text);
  std::string last;
  for (std::string line; std::getline(in, line);) last = line;
  return last;
}

}  // namespace

TEST_CASE("CLI diagnostics: a diagnosis follows the epoch lines on stdout with its remedy", "[cli]") {
  TempDir dir;
  int code = -1;
  const std::string out = run("run " + dir.write("small.lua", kTooSmall), "2>/dev/null", code);
  REQUIRE(code == 0);
  const auto at = out.find(kDiagnosis);
  REQUIRE(at != std::string::npos);
  CHECK(out.rfind("epoch 3/3", at) != std::string::npos);
  CHECK(out.find("\n  try: raise the learning rate", at) != std::string::npos);
}

TEST_CASE("CLI diagnostics: --quiet sends the diagnosis to stderr", "[cli]") {
  TempDir dir;
  const std::string path = dir.write("small.lua", kTooSmall);
  int code = -1;
  CHECK(run("run " + path + " --quiet", "2>/dev/null", code).empty());
  CHECK(code == 0);
  CHECK(run("run " + path + " --quiet", "2>&1 >/dev/null", code).find(kDiagnosis) == 0);
}

TEST_CASE("CLI diagnostics: --json lists the diagnoses in the summary object", "[cli]") {
  TempDir dir;
  int code = -1;
  const std::string out = run("run " + dir.write("small.lua", kTooSmall) + " --json", "2>/dev/null", code);
  REQUIRE(code == 0);
  CHECK(out.find("diagnosis:") == std::string::npos);
  const auto summary = nlohmann::json::parse(last_line(out));
  REQUIRE(summary["diagnostics"].size() == 1);
  const auto& d = summary["diagnostics"][0];
  CHECK(d["kind"] == "lr_too_small");
  CHECK(d["epoch"] == 1);  // counted from 1, as the JSON epoch lines are
  CHECK(d["message"].get<std::string>().rfind("the learning rate looks too small", 0) == 0);
  CHECK(d["remedy"].get<std::string>().rfind("raise the learning rate", 0) == 0);
}
