// The regimen executable as a user meets it: exit codes, messages, and what it prints.
#include <catch2/catch.hpp>

#include <fstream>
#include <regex>
#include <sstream>

#include "support/run_command.hpp"
#include "support/temp_dir.hpp"

using regimen::testing::regimen_command;
using regimen::testing::run_command;
using regimen::testing::TempDir;

namespace {

const char* const kSmallRecipe =
    "local d = data.synthetic.linear{n = 200, w = {1, -2}, b = 1, noise = 0.1}\n"
    "local train, validation = d:split{validation = 0.2}\n"
    "return recipe{\n"
    "  data = {train = train, validation = validation},\n"
    "  model = nn.sequential{nn.linear(2, 4), nn.relu(), nn.dropout(0.2), nn.linear(4, 1)},\n"
    "  loss = loss.mse(),\n"
    "  optimizer = optim.sgd{lr = param('lr', 0.05), momentum = 0.9},\n"
    "  batch_size = 16, epochs = 3,\n"
    "}\n";

// The metric columns of each epoch line, without the wall time at the end.
std::string metrics_only(const std::string& output) {
  return std::regex_replace(output, std::regex(R"(  [0-9.]+s\n)"), "\n");
}

}  // namespace

TEST_CASE("CLI: --version and --help exit 0", "[cli]") {
  auto version = run_command(regimen_command("--version"));
  CHECK(version.exit_code == 0);
  CHECK_THAT(version.output, Catch::StartsWith("regimen "));
  for (const char* help : {"--help", "run --help", "check --help"}) {
    auto result = run_command(regimen_command(help));
    CHECK(result.exit_code == 0);
    CHECK_THAT(result.output, Catch::Contains("usage: regimen"));
  }
  CHECK_THAT(run_command(regimen_command("run --help")).output, Catch::Contains("--seed") && Catch::Contains("--trusted"));
}

TEST_CASE("CLI: usage errors exit 2", "[cli]") {
  auto none = run_command(regimen_command(""));
  CHECK(none.exit_code == 2);
  auto unknown = run_command(regimen_command("train x.lua"));
  CHECK(unknown.exit_code == 2);
  CHECK_THAT(unknown.output, Catch::StartsWith("regimen: unknown command 'train'"));
  auto missing = run_command(regimen_command("run"));
  CHECK(missing.exit_code == 2);
  CHECK_THAT(missing.output, Catch::StartsWith("regimen run: missing the recipe FILE"));
  auto bad_option = run_command(regimen_command("run x.lua --bogus"));
  CHECK(bad_option.exit_code == 2);
  CHECK_THAT(bad_option.output, Catch::Contains("unrecognised option '--bogus'"));
  auto no_file = run_command(regimen_command("run /nonexistent/recipe.lua"));
  CHECK(no_file.exit_code == 2);
  CHECK(no_file.output == "/nonexistent/recipe.lua: no such file\n");
  auto bad_set = run_command(regimen_command("run x.lua --set novalue"));
  CHECK(bad_set.exit_code == 2);
}

TEST_CASE("CLI: check reports an unknown option with file, line and suggestion", "[cli]") {
  TempDir dir;
  const std::string path = dir.write("recipe.lua", "local a = 1\nlocal o = optim.adam{learning_rate = 1e-3}\n");
  auto result = run_command(regimen_command("check " + path));
  CHECK(result.exit_code == 2);
  CHECK(result.output == path + ":2: optim.adam: unknown option 'learning_rate' (did you mean 'lr'?)\n");
}

TEST_CASE("CLI: a syntax error exits 2 with file:line", "[cli]") {
  TempDir dir;
  const std::string path = dir.write("broken.lua", "local x = 1\n\nlocal y = = 2\n");
  auto result = run_command(regimen_command("check " + path));
  CHECK(result.exit_code == 2);
  CHECK(result.output == path + ":3: unexpected symbol near '='\n");
}

TEST_CASE("CLI: os.execute and io.open fail unless --trusted", "[cli]") {
  TempDir dir;
  const std::string execute = dir.write("execute.lua", "os.execute('echo escaped')\n");
  auto sandboxed = run_command(regimen_command("run " + execute));
  CHECK(sandboxed.exit_code == 2);
  CHECK(sandboxed.output == execute + ":1: 'os.execute' is not available in the sandbox (only os.time and os.clock; "
                                     "run with --trusted to allow it)\n");
  const std::string open = dir.write("open.lua", "local f = io.open('/etc/hostname')\n");
  CHECK(run_command(regimen_command("run " + open)).exit_code == 2);
  auto trusted = run_command(regimen_command("run --trusted " + execute));
  CHECK(trusted.exit_code == 0);
  CHECK(trusted.output == "escaped\n");
}

TEST_CASE("CLI: check prints the resolved recipe without training", "[cli]") {
  TempDir dir;
  const std::string path = dir.write("small.lua", kSmallRecipe);
  auto result = run_command(regimen_command("check " + path + " --set lr=0.01"));
  CHECK(result.exit_code == 0);
  CHECK_THAT(result.output, Catch::Contains("fc1") && Catch::Contains("sgd(lr=constant(lr=0.01)"));
  CHECK_THAT(result.output, !Catch::Contains("epoch 1/"));
}

TEST_CASE("CLI: same seed and threads give identical printed metrics", "[cli]") {
  TempDir dir;
  const std::string path = dir.write("small.lua", kSmallRecipe);
  const std::string command = regimen_command("run " + path + " --seed 5 --threads 2 --no-out");
  auto first = run_command(command);
  auto second = run_command(command);
  REQUIRE(first.exit_code == 0);
  CHECK_THAT(first.output, Catch::Contains("epoch 3/3"));
  CHECK(metrics_only(first.output) == metrics_only(second.output));
  auto other_seed = run_command(regimen_command("run " + path + " --seed 6 --threads 2 --no-out"));
  CHECK(metrics_only(other_seed.output) != metrics_only(first.output));
}

TEST_CASE("CLI: --epochs overrides and --out writes metrics.jsonl", "[cli]") {
  TempDir dir;
  const std::string path = dir.write("small.lua", kSmallRecipe);
  const std::string out = (dir.path() / "run").string();
  auto result = run_command(regimen_command("run " + path + " --epochs 2 --out " + out));
  REQUIRE(result.exit_code == 0);
  CHECK_THAT(result.output, Catch::Contains("epoch 2/2") && !Catch::Contains("epoch 3"));
  std::ifstream log(out + "/metrics.jsonl");
  std::string line;
  int lines = 0;
  while (std::getline(log, line)) {
    CHECK_THAT(line, Catch::StartsWith("{\"epoch\": " + std::to_string(lines) + ", \"loss\": "));
    ++lines;
  }
  CHECK(lines == 2);
}

TEST_CASE("CLI: a runtime failure exits 1", "[cli]") {
  TempDir dir;
  const std::string path = dir.write("missing_data.lua", "local d = data.csv{path = 'absent.csv'}\n");
  auto result = run_command(regimen_command("run " + path));
  CHECK(result.exit_code == 1);
  CHECK_THAT(result.output, Catch::StartsWith(path + ":1: data.csv: "));
}

TEST_CASE("CLI: --timeout, --max-instructions and --max-memory stop a recipe with exit code 1", "[cli]") {
  TempDir dir;
  const std::string loop = dir.write("loop.lua", "local n = 0\nwhile true do n = n + 1 end\n");
  auto timed = run_command(regimen_command("run --timeout 0.5 " + loop));
  CHECK(timed.exit_code == 1);
  CHECK(timed.output == loop + ":2: time limit of 0.5 s exceeded\n");
  auto counted = run_command(regimen_command("run --max-instructions 100000 " + loop));
  CHECK(counted.exit_code == 1);
  CHECK(counted.output == loop + ":2: instruction limit of 100000 exceeded\n");
  const std::string bomb = dir.write("bomb.lua", "local s = string.rep('x', 2^28)\n");
  auto bombed = run_command(regimen_command("run --max-memory 16 " + bomb));
  CHECK(bombed.exit_code == 1);
  CHECK(bombed.output == bomb + ": memory limit of 16 MB exceeded\n");
  // The sandbox's default heap limit (1024 MB) stops a bomb no explicit limit was set for.
  const std::string big = dir.write("big.lua", "local s = string.rep('x', 2^30)\n");
  CHECK(run_command(regimen_command("run " + big)).output == big + ": memory limit of 1024 MB exceeded\n");
  CHECK(run_command(regimen_command("run --timeout -1 " + loop)).exit_code == 2);
}

TEST_CASE("CLI: the watchdog ends a run stuck outside Lua", "[cli]") {
  TempDir dir;
  // One pattern call over a long subject: the matcher is a single C call, the hook never runs.
  // 2e5 characters and one repetition stay under the pattern guard's bound (4e10 steps), yet take minutes.
  const std::string slow =
      dir.write("slow.lua", "local s = string.rep('a', 2e5)\nfor i = 1, 1e9 do s:find('a-b') end\n");
  auto result = run_command(regimen_command("run --timeout 0.5 " + slow));
  CHECK(result.exit_code == 1);
  CHECK_THAT(result.output, Catch::Contains("time limit of 0.5 s exceeded"));
}
