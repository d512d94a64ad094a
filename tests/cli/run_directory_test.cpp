// The run directory of `regimen run` (docs/cli.md): every file checked by an independent reader
// (nlohmann for JSON, tinyxml2 for SVG, plain parsing for CSV and safetensors).
#include <catch2/catch.hpp>

#include <tinyxml2.h>

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "support/run_command.hpp"
#include "support/temp_dir.hpp"

using regimen::testing::regimen_command;
using regimen::testing::run_command;
using regimen::testing::TempDir;

namespace {

const char* const kRecipe =
    "local d = data.synthetic.linear{n = 200, w = {1, -2}, b = 1, noise = 0.1}\n"
    "local train, validation = d:split{validation = 0.2}\n"
    "return recipe{\n"
    "  data = {train = train, validation = validation},\n"
    "  model = nn.sequential{nn.linear(2, 4), nn.relu(), nn.linear(4, 1)},\n"
    "  loss = loss.mse(), metrics = {'mae'},\n"
    "  optimizer = optim.sgd{lr = param('lr', 0.05), momentum = 0.9},\n"
    "  batch_size = 16, epochs = 5,\n"
    "}\n";

std::string read(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::string part;
  std::istringstream in(text);
  while (std::getline(in, part, separator)) parts.push_back(part);
  if (!text.empty() && text.back() == separator) parts.emplace_back();
  return parts;
}

// The header and the float data of a safetensors file, read by the format's rules.
struct Weights {
  nlohmann::json header;
  std::string data;
};

Weights read_weights(const std::filesystem::path& path) {
  const std::string bytes = read(path);
  REQUIRE(bytes.size() >= 8);
  std::uint64_t n = 0;
  for (int i = 7; i >= 0; --i) n = (n << 8) | static_cast<unsigned char>(bytes[static_cast<std::size_t>(i)]);
  REQUIRE(8 + n <= bytes.size());
  return {nlohmann::json::parse(bytes.substr(8, n)), bytes.substr(8 + n)};
}

}  // namespace

TEST_CASE("Run directory: --out writes every file of the run", "[cli]") {
  TempDir dir;
  const std::string recipe = dir.write("small.lua", kRecipe);
  const std::filesystem::path out = dir.path() / "runs" / "first";
  const auto result = run_command(regimen_command("run " + recipe + " --set lr=0.02 --seed 3 --epochs 3 --threads 1 --out " +
                                                  out.string()));
  INFO(result.output);
  REQUIRE(result.exit_code == 0);
  CHECK_THAT(result.output, Catch::EndsWith("run directory: " + out.string() + "\n"));

  // The resolved recipe is what `regimen check` prints for the same recipe and overrides.
  const auto check = run_command(regimen_command("check " + recipe + " --set lr=0.02"));
  REQUIRE(check.exit_code == 0);
  const std::string expected = std::regex_replace(
      std::regex_replace(check.output, std::regex("\n  seed +0\n"), "\n  seed        3\n"),
      std::regex("\n  epochs +5\n"), "\n  epochs      3\n");
  CHECK(read(out / "recipe.txt") == expected);
  CHECK_THAT(expected, Catch::Contains("lr=constant(lr=0.02)") && Catch::Contains("epochs      3"));
  CHECK(read(out / "recipe.lua") == kRecipe);
  CHECK(read(out / "overrides.txt") == "--set lr=0.02\n--seed 3\n--epochs 3\n");

  // metrics.csv: the jsonl's values, one row per epoch, lr last.
  const std::vector<std::string> rows = split(read(out / "metrics.csv"), '\n');
  REQUIRE(rows.size() == 5);  // header, 3 epochs, the empty piece after the last newline
  CHECK(rows[0] == "epoch,loss,mae,val_loss,val_mae,lr");
  CHECK(rows[4].empty());
  const std::vector<std::string> jsonl = split(read(out / "metrics.jsonl"), '\n');
  for (int epoch = 0; epoch < 3; ++epoch) {
    INFO("epoch " << epoch);
    const std::vector<std::string> cells = split(rows[static_cast<std::size_t>(epoch + 1)], ',');
    REQUIRE(cells.size() == 6);
    CHECK(cells[0] == std::to_string(epoch));
    const auto line = nlohmann::json::parse(jsonl.at(static_cast<std::size_t>(epoch)));
    CHECK(std::stod(cells[1]) == line["loss"].get<double>());
    CHECK(std::stod(cells[2]) == line["mae"].get<double>());
    CHECK(std::stod(cells[3]) == line["val_loss"].get<double>());
    CHECK(std::stod(cells[4]) == line["val_mae"].get<double>());
    CHECK(std::stod(cells[5]) == 0.02);
  }

  // model.safetensors: our names, PyTorch's shapes (nn.Linear: out x in), the final weights.
  const Weights weights = read_weights(out / "model.safetensors");
  CHECK(weights.header["__metadata__"]["weights"] == "final");
  CHECK(weights.header["__metadata__"]["epoch"] == "2");
  CHECK(weights.header["__metadata__"]["format"] == "pt");
  CHECK(weights.header["fc1.weight"]["shape"] == nlohmann::json::array({4, 2}));
  CHECK(weights.header["fc1.bias"]["shape"] == nlohmann::json::array({4}));
  CHECK(weights.header["fc2.weight"]["shape"] == nlohmann::json::array({1, 4}));
  CHECK(weights.header["fc2.bias"]["shape"] == nlohmann::json::array({1}));
  CHECK(weights.data.size() == 17 * 4);  // 8 + 4 + 4 + 1 floats
  for (const char* name : {"fc1.bias", "fc1.weight", "fc2.bias", "fc2.weight"}) CHECK(weights.header[name]["dtype"] == "F32");

  // curves.svg: loss and val_loss in one panel, mae and val_mae in another, lr in a third, each
  // curve one polyline with a point per epoch.
  tinyxml2::XMLDocument svg;
  REQUIRE(svg.LoadFile((out / "curves.svg").c_str()) == tinyxml2::XML_SUCCESS);
  std::vector<std::string> panels;
  std::vector<std::string> curves;
  for (auto* g = svg.RootElement()->FirstChildElement("g"); g; g = g->NextSiblingElement("g")) {
    if (!g->Attribute("class", "panel")) continue;
    panels.push_back(g->Attribute("data-series"));
    for (auto* line = g->FirstChildElement("polyline"); line; line = line->NextSiblingElement("polyline")) {
      curves.push_back(std::string(g->Attribute("data-series")) + ":" + line->FirstChildElement("title")->GetText());
      CHECK(split(line->Attribute("points"), ' ').size() == 3);
    }
  }
  CHECK(panels == std::vector<std::string>{"loss", "mae", "lr"});
  CHECK(curves == std::vector<std::string>{"loss:loss", "loss:val_loss", "mae:mae", "mae:val_mae", "lr:lr"});
  // Nothing half-written is left behind.
  for (const auto& entry : std::filesystem::directory_iterator(out))
    CHECK_THAT(entry.path().filename().string(), !Catch::StartsWith("."));
}

TEST_CASE("Run directory: the default is runs/<recipe>-<time> under the working directory", "[cli]") {
  TempDir dir;
  const std::string recipe = dir.write("small.lua", kRecipe);
  const std::string in_dir = "cd " + dir.path().string() + " && ";
  const auto result = run_command(in_dir + regimen_command("run small.lua --epochs 1 --threads 1"));
  REQUIRE(result.exit_code == 0);
  std::vector<std::string> runs;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path() / "runs"))
    runs.push_back(entry.path().filename().string());
  REQUIRE(runs.size() == 1);
  CHECK(std::regex_match(runs[0], std::regex(R"(small-[0-9]{8}-[0-9]{6})")));
  CHECK_THAT(result.output, Catch::EndsWith("run directory: runs/" + runs[0] + "\n"));
  CHECK(std::filesystem::is_regular_file(dir.path() / "runs" / runs[0] / "model.safetensors"));

  // --no-out writes nothing; a plain script or a recipe mistake creates no folder.
  std::filesystem::remove_all(dir.path() / "runs");
  CHECK(run_command(in_dir + regimen_command("run small.lua --epochs 1 --no-out")).exit_code == 0);
  dir.write("script.lua", "local x = 1\n");
  CHECK(run_command(in_dir + regimen_command("run script.lua")).exit_code == 0);
  dir.write("typo.lua", "return recipe{epoch = 3}\n");
  CHECK(run_command(in_dir + regimen_command("run typo.lua")).exit_code == 2);
  CHECK(!std::filesystem::exists(dir.path() / "runs"));
}

TEST_CASE("Run directory: early stopping's restored weights are saved as the best", "[cli]") {
  TempDir dir;
  std::string text = kRecipe;
  text.replace(text.find("epochs = 5"), 10, "epochs = 8, early_stop = early_stop{patience = 1, restore_best = true}");
  text.replace(text.find("lr = param('lr', 0.05)"), 22, "lr = 0.3");  // too large: val_loss goes up early
  const std::string recipe = dir.write("es.lua", text);
  const std::filesystem::path out = dir.path() / "out";
  const auto result = run_command(regimen_command("run " + recipe + " --threads 1 --out " + out.string()));
  INFO(result.output);
  REQUIRE(result.exit_code == 0);
  // Keras' rule with min_delta 0: the best epoch is the first one with the lowest val_loss.
  const std::vector<std::string> rows = split(read(out / "metrics.csv"), '\n');
  int best = -1;
  double lowest = 0;
  for (std::size_t i = 1; i + 1 < rows.size(); ++i) {
    const double val_loss = std::stod(split(rows[i], ',').at(3));
    if (best < 0 || val_loss < lowest) {
      best = static_cast<int>(i) - 1;
      lowest = val_loss;
    }
  }
  const Weights weights = read_weights(out / "model.safetensors");
  CHECK(weights.header["__metadata__"]["weights"] == "best");
  CHECK(weights.header["__metadata__"]["epoch"] == std::to_string(best));
}

TEST_CASE("Run directory: bad --out values are clear errors", "[cli]") {
  TempDir dir;
  const std::string recipe = dir.write("small.lua", kRecipe);
  const std::string file = dir.write("a_file", "x");
  const auto blocked = run_command(regimen_command("run " + recipe + " --epochs 1 --out " + file + "/run"));
  CHECK(blocked.exit_code == 1);
  CHECK_THAT(blocked.output, Catch::Contains("cannot create run directory " + file + "/run: Not a directory"));
  const auto both = run_command(regimen_command("run " + recipe + " --out x --no-out"));
  CHECK(both.exit_code == 2);
  CHECK_THAT(both.output, Catch::StartsWith("regimen run: --out and --no-out exclude each other\n"));
}
