// `regimen sweep`: a grid of trials run as parallel child processes, ranked by their best epoch's
// metric; the median rule prunes a diverging trial; a killed sweep resumes with only the
// unfinished trials; bad specs are usage errors (exit 2) before any trial runs.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "support/run_command.hpp"
#include "support/temp_dir.hpp"

using regimen::testing::regimen_command;
using regimen::testing::run_command;
using regimen::testing::TempDir;

namespace {

// Regression on 2 features through a small MLP with dropout: three epochs take milliseconds.
const char* const kRecipe = R"(
local samples = data.synthetic.linear{n = param("n", 400), w = {3, -1}, b = 2, noise = 0.3, seed = 7}
local train, validation = samples:split{validation = 0.25, seed = 1}
return recipe{
  name = "tiny", seed = 1,
  data = {train = train, validation = validation},
  model = nn.sequential{nn.linear(2, 8), nn.relu(), nn.dropout(param("dropout", 0.1)), nn.linear(8, 1)},
  loss = loss.mse(),
  optimizer = optim.sgd{lr = param("lr", 0.05), momentum = 0.9},
  batch_size = 32,
  epochs = param("epochs", 3),
}
)";

std::string read(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<std::string> split(const std::string& line, char separator) {
  std::vector<std::string> cells;
  std::stringstream in(line);
  std::string cell;
  while (std::getline(in, cell, separator)) cells.push_back(cell);
  if (!line.empty() && line.back() == separator) cells.emplace_back();
  return cells;
}

// leaderboard.csv as rows of column -> cell.
std::vector<std::map<std::string, std::string>> read_csv(const std::filesystem::path& path) {
  std::stringstream in(read(path));
  std::string line;
  std::getline(in, line);
  const auto header = split(line, ',');
  std::vector<std::map<std::string, std::string>> rows;
  while (std::getline(in, line)) {
    const auto cells = split(line, ',');
    std::map<std::string, std::string> row;
    for (std::size_t i = 0; i < header.size() && i < cells.size(); ++i) row[header[i]] = cells[i];
    rows.push_back(row);
  }
  return rows;
}

// The number after "KEY": in the JSON line of `epoch` (1-based) in `output`.
double json_value(const std::string& output, int epoch, const std::string& key) {
  std::stringstream in(output);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("{\"epoch\": " + std::to_string(epoch) + ",", 0) != 0) continue;
    const auto at = line.find("\"" + key + "\": ");
    REQUIRE(at != std::string::npos);
    return std::stod(line.substr(at + key.size() + 4));
  }
  FAIL("no epoch " << epoch << " in " << output);
  return 0;
}

}  // namespace

TEST_CASE("sweep CLI: 8 grid trials with --jobs 2 finish, sorted, the best re-runs to the same metric", "[cli]") {
  TempDir dir;
  const std::string recipe = dir.write("tiny.lua", kRecipe);
  const auto out = dir.path() / "sweep";
  const auto result = run_command(regimen_command("sweep " + recipe + " --grid lr=0.01,0.02,0.05,0.1 --grid dropout=0,0.3 " +
                                                  "--jobs 2 --out " + out.string()));
  INFO(result.output);
  REQUIRE(result.exit_code == 0);
  const auto rows = read_csv(out / "leaderboard.csv");
  REQUIRE(rows.size() == 8);
  std::map<std::string, std::string> planned;  // trial -> lr,dropout: the last --grid varies fastest
  for (const auto& row : rows) {
    CHECK(row.at("status") == "done");
    CHECK(std::filesystem::exists(out / ("trial-" + row.at("trial")) / "metrics.jsonl"));
    planned[row.at("trial")] = row.at("lr") + "," + row.at("dropout");
  }
  CHECK(planned["0"] == "0.01,0");
  CHECK(planned["1"] == "0.01,0.3");
  CHECK(planned["7"] == "0.1,0.3");
  for (std::size_t i = 1; i < rows.size(); ++i) CHECK(std::stod(rows[i - 1].at("val_loss")) <= std::stod(rows[i].at("val_loss")));
  CHECK(read(out / "leaderboard.md").find("| trial | lr | dropout | val_loss | best_epoch | status | run_dir |") == 0);
  CHECK(read(out / "val_loss.svg").find("<svg") != std::string::npos);

  const auto& best = rows.front();
  const std::string command = "--set lr=" + best.at("lr") + " --set dropout=" + best.at("dropout");
  CHECK(result.output.find("regimen run " + recipe + " " + command + "\n") != std::string::npos);
  const auto again = run_command(regimen_command("run " + recipe + " " + command + " --json --no-out --threads 1"));
  REQUIRE(again.exit_code == 0);
  CHECK(json_value(again.output, std::stoi(best.at("best_epoch")), "val_loss") == std::stod(best.at("val_loss")));
}

TEST_CASE("sweep CLI: --prune median stops a diverging trial", "[cli]") {
  TempDir dir;
  const std::string recipe = dir.write("tiny.lua", kRecipe);
  const auto out = dir.path() / "sweep";
  // One job, so lr = 10 runs after the others: its val_loss after one epoch (about 1e28) is far
  // above their median. (lr = 0.02 may be pruned too, at an epoch where it trails lr = 0.01.)
  const auto result = run_command(regimen_command("sweep " + recipe + " --grid lr=0.01,0.02,10 --prune median --warmup 1 " +
                                                  "--out " + out.string()));
  INFO(result.output);
  REQUIRE(result.exit_code == 0);
  const auto rows = read_csv(out / "leaderboard.csv");
  REQUIRE(rows.size() == 3);
  CHECK(rows.back().at("lr") == "10");
  CHECK(rows.back().at("status") == "pruned");
  CHECK(rows.back().at("best_epoch") == "1");
  CHECK(rows.front().at("lr") != "10");
  CHECK(result.output.find("trial 2  lr=10  pruned") != std::string::npos);
  CHECK(result.output.find("(epoch 1: val_loss") != std::string::npos);
}

TEST_CASE("sweep CLI: a killed sweep run again runs only the unfinished trials", "[cli]") {
  TempDir dir;
  const std::string recipe = dir.write("tiny.lua", kRecipe);
  const auto out = dir.path() / "sweep";
  // Trials of about 0.2 s each; the sweep is killed once trial 1 has started.
  const std::string sweep = regimen_command("sweep " + recipe + " --grid lr=0.01,0.02,0.03,0.04 --set n=80000 --set epochs=30 " +
                                            "--out " + out.string());
  const auto killed = run_command("sh -c '" + sweep + " >/dev/null & pid=$!; while [ ! -e " + (out / "trial-1.log").string() +
                                  " ]; do sleep 0.01; done; kill -9 $pid; wait $pid'");
  REQUIRE(std::filesystem::exists(out / "trial-0" / "result.json"));
  std::vector<std::string> unfinished;
  for (int k = 1; k < 4; ++k)
    if (!std::filesystem::exists(out / ("trial-" + std::to_string(k)) / "result.json")) unfinished.push_back(std::to_string(k));
  REQUIRE(unfinished.size() >= 2);

  const auto again = run_command(sweep);
  INFO(again.output);
  REQUIRE(again.exit_code == 0);
  const std::string finished = std::to_string(4 - unfinished.size());
  CHECK(again.output.find(" (" + finished + " already finished)") != std::string::npos);
  CHECK(again.output.find("trial 0  lr=") == std::string::npos);
  for (const auto& k : unfinished) CHECK(again.output.find("trial " + k + "  lr=") != std::string::npos);
  const auto rows = read_csv(out / "leaderboard.csv");
  REQUIRE(rows.size() == 4);
  for (const auto& row : rows) CHECK(row.at("status") == "done");
}

TEST_CASE("sweep CLI: bad specs are usage errors naming the mistake", "[cli]") {
  TempDir dir;
  const std::string recipe = dir.write("tiny.lua", kRecipe);
  const auto sweep = [&](const std::string& args) {
    return run_command(regimen_command("sweep " + recipe + " " + args + " --out " + (dir.path() / "s").string()));
  };
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"--grid lrate=1,2", "--grid lrate: " + recipe + " has no param 'lrate' (it reads dropout, epochs, lr, n)"},
      {"--random 2 --range momentum=0:1", "--range momentum: " + recipe + " has no param 'momentum'"},
      {"--grid lr=", "regimen sweep: --grid lr=: an empty list of values"},
      {"--grid lr=1,,2", "regimen sweep: --grid lr=1,,2: an empty value in the list"},
      {"--random 2 --range lr=1e-4", "regimen sweep: --range lr=1e-4: expected LOW:HIGH[:lin|log|int]"},
      {"--random 2 --range lr=a:b", "regimen sweep: --range lr=a:b: cannot read 'a' as a number"},
      {"--random 2 --range lr=1:0", "regimen sweep: --range lr=1:0: LOW must be below HIGH"},
      {"--random 2 --range lr=1e-4:1:cubic", "regimen sweep: --range lr=1e-4:1:cubic: unknown scale 'cubic' (lin, log or int)"},
      {"--random 2 --range lr=0:1:log", "regimen sweep: --range lr=0:1:log: a log scale needs LOW > 0"},
      {"--grid lr=1 --random 2 --range dropout=0:1", "regimen sweep: --grid and --random exclude each other"},
      {"--grid lr=1 --jobs 0", "regimen sweep: --jobs must be >= 1"},
      {"--grid lr=1 --grid lr=2", "regimen sweep: --grid lr: the parameter is swept twice"},
      {"--grid lr=1 --ranks-per-trial 0", "regimen sweep: --ranks-per-trial must be >= 1"},
      {"--grid lr=1 --ranks-per-trial 2 --jobs 2", "--ranks-per-trial: a group of ranks trains one trial at a time; drop --jobs"},
      {"--grid lr=1 --ranks-per-trial 2",
       "--ranks-per-trial 2: run the sweep under mpirun with a multiple of 2 ranks (mpirun -np 4 regimen sweep ...)"},
  };
  for (const auto& [args, message] : cases) {
    const auto result = sweep(args);
    INFO(args << "\n" << result.output);
    CHECK(result.exit_code == 2);
    CHECK(result.output.find(message) != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(dir.path() / "s"));
  }
}

TEST_CASE("sweep CLI: --random draws the same trials for the same --seed", "[cli]") {
  TempDir dir;
  const std::string recipe = dir.write("tiny.lua", kRecipe);
  const auto plan = [&](const std::string& name, int seed) {
    const auto out = dir.path() / name;
    const auto result = run_command(regimen_command("sweep " + recipe + " --random 3 --range lr=1e-3:1e-1:log --range dropout=0:0.5 " +
                                                    "--seed " + std::to_string(seed) + " --out " + out.string()));
    REQUIRE(result.exit_code == 0);
    return read(out / "trials.json").substr(read(out / "trials.json").find("\"trials\""));
  };
  CHECK(plan("a", 0) == plan("b", 0));
  CHECK(plan("a2", 0) != plan("c", 1));
}

TEST_CASE("sweep CLI: a failing trial is ranked last as failed, an unknown --metric is exit 2", "[cli]") {
  TempDir dir;
  const std::string recipe = dir.write("tiny.lua", kRecipe);
  const auto out = dir.path() / "sweep";
  // lr = 10 overflows the loss to inf at epoch 4, which stops its run with exit code 1.
  const auto result = run_command(regimen_command("sweep " + recipe + " --grid lr=10,0.01 --set epochs=6 --out " + out.string()));
  INFO(result.output);
  REQUIRE(result.exit_code == 0);
  const auto rows = read_csv(out / "leaderboard.csv");
  REQUIRE(rows.size() == 2);
  CHECK(rows.front().at("status") == "done");
  CHECK(rows.back().at("status") == "failed");
  CHECK(result.output.find("trial 0  lr=10  failed") != std::string::npos);
  CHECK(result.output.find("training loss is inf at epoch 4") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(out / "trial-0" / "result.json"));  // a rerun retries it

  const auto metric = run_command(regimen_command("sweep " + recipe + " --grid lr=0.01 --metric val_accuracy --out " +
                                                  (dir.path() / "m").string()));
  CHECK(metric.exit_code == 2);
  CHECK(metric.output.find("regimen sweep: --metric val_accuracy: the runs report no 'val_accuracy' (they report loss, lr, "
                           "time, val_loss)") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(dir.path() / "m" / "trials.json"));
}

TEST_CASE("sweep CLI: a file returning sweep{...} runs the sweep its command line would", "[cli]") {
  TempDir dir;
  const std::string recipe = dir.write("tiny.lua", kRecipe);
  std::filesystem::create_directories(dir.path() / "sweeps");
  const auto declared_out = dir.path() / "declared";
  // The recipe path is relative to the declaring file; grid names run in alphabetical order.
  const std::string file = dir.write("sweeps/tiny_sweep.lua", R"(
return sweep{
  recipe = "../tiny.lua",
  grid = {lr = {0.01, 5e-2}, dropout = {0, 0.3}},
  set = {epochs = 2},
  metric = "val_loss", jobs = 2, out = ")" + declared_out.string() + R"(",
}
)");
  const auto declared = run_command(regimen_command("sweep " + file));
  INFO(declared.output);
  REQUIRE(declared.exit_code == 0);
  const auto given_out = dir.path() / "given";
  const auto given = run_command(regimen_command("sweep " + recipe + " --grid dropout=0,0.3 --grid lr=0.01,0.05 " +
                                                 "--set epochs=2 --jobs 2 --out " + given_out.string()));
  REQUIRE(given.exit_code == 0);
  const auto declared_rows = read_csv(declared_out / "leaderboard.csv");
  const auto given_rows = read_csv(given_out / "leaderboard.csv");
  REQUIRE(declared_rows.size() == 4);
  REQUIRE(given_rows.size() == 4);
  for (std::size_t i = 0; i < 4; ++i) {
    for (const char* column : {"trial", "dropout", "lr", "val_loss", "best_epoch", "status"})
      CHECK(declared_rows[i].at(column) == given_rows[i].at(column));
  }
  CHECK(declared.output.find("regimen run " + recipe + " --set epochs=2 --set dropout=") != std::string::npos);

  // A setting on the command line wins over the file's.
  const auto moved = dir.path() / "moved";
  const auto overridden = run_command(regimen_command("sweep " + file + " --jobs 1 --out " + moved.string()));
  REQUIRE(overridden.exit_code == 0);
  CHECK(overridden.output.find(", 1 at a time") != std::string::npos);
  CHECK(read_csv(moved / "leaderboard.csv").size() == 4);
}

TEST_CASE("sweep CLI: mistakes in a sweep{...} name its file and line", "[cli]") {
  TempDir dir;
  const std::string recipe = dir.write("tiny.lua", kRecipe);
  const auto declare = [&](const std::string& body) {
    const std::string file = dir.write("s.lua", "\nreturn sweep{recipe = \"tiny.lua\", " + body + "}\n");
    return std::pair{file, run_command(regimen_command("sweep " + file + " --out " + (dir.path() / "out").string()))};
  };
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"grids = {lr = {1}}", ":2: sweep: unknown option 'grids' (did you mean 'grid'?)"},
      {"grid = {lr = 0.1}", ":2: sweep: grid.lr must be a non-empty list of values such as {1e-3, 1e-2}, got number"},
      {"grid = {lr = {}}", ":2: sweep: grid.lr must be a non-empty list of values"},
      {"grid = {}", ":2: sweep: 'grid' is empty"},
      {"grid = {lr = {1}}, random = 3, range = {lr = {0, 1}}", ":2: sweep: 'grid' and 'random' exclude each other"},
      {"jobs = 2", ":2: sweep: give grid = {name = {values...}}, or random = N with range = {name = {low, high}}"},
      {"random = 2", ":2: sweep: random = N draws from 'range'"},
      {"random = 2, range = {lr = {1, 0}}", ":2: sweep: --range lr=1:0: LOW must be below HIGH"},
      {"random = 2, range = {lr = {0.1, 1, \"cubic\"}}", ":2: sweep: --range lr=0.1:1:cubic: unknown scale 'cubic'"},
      {"grid = {lrate = {1, 2}}", ":2: sweep: --grid lrate: " + recipe + " has no param 'lrate' (it reads dropout, epochs, lr, n)"},
      {"grid = {lr = {1}}, mode = \"maximum\"", ":2: sweep: --mode must be min or max, got 'maximum'"},
      {"grid = {lr = {1}}, jobs = \"2\"", ":2: sweep: 'jobs' must be an integer, got string"},
      {"grid = {lr = {1}}, ranks_per_trial = 1.5", ":2: sweep: 'ranks_per_trial' must be an integer, got float"},
      {"grid = {lr = {1}}, ranks_per_trial = 2", ":2: sweep: --ranks-per-trial 2: run the sweep under mpirun"},
  };
  for (const auto& [body, message] : cases) {
    const auto [file, result] = declare(body);
    INFO(body << "\n" << result.output);
    CHECK(result.exit_code == 2);
    CHECK(result.output.find(file + message) != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(dir.path() / "out"));
  }
  const auto [file, unused] = declare("grid = {lr = {1}}");
  const auto run = run_command(regimen_command("run " + file));
  CHECK(run.exit_code == 2);
  CHECK(run.output.find(file + " returns sweep{...}, not a recipe: run it as `regimen sweep " + file + "`") != std::string::npos);
  const auto bare = run_command(regimen_command("sweep " + recipe));
  CHECK(bare.exit_code == 2);
  CHECK(bare.output.find("or make FILE return sweep{recipe = ..., grid = {...}}") != std::string::npos);
}

TEST_CASE("sweep CLI: the shipped sweep declaration runs its recipe's trials", "[cli]") {
  TempDir dir;
  const std::string file = regimen::testing::source_path("recipes/sweeps/fashion_mnist_mlp_lr.lua");
  const auto out = dir.path() / "out";
  const auto result = run_command(regimen_command("sweep " + file + " --set limit=300 --set epochs=1 --prune none --out " + out.string()));
  INFO(result.output);
  REQUIRE(result.exit_code == 0);
  const auto rows = read_csv(out / "leaderboard.csv");
  REQUIRE(rows.size() == 6);
  for (const auto& row : rows) CHECK(row.at("status") == "done");
  CHECK(result.output.find("regimen run " + regimen::testing::source_path("recipes/fashion_mnist_mlp.lua") +
                           " --set limit=300 --set epochs=1 --set lr=") != std::string::npos);
}
