// regimen run --resume and the interrupt path, through the real executable. The oracle is an
// uninterrupted run of the same recipe: whatever kills or interrupts a run, resuming it must
// end with the same model.safetensors bytes.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "support/run_command.hpp"
#include "support/temp_dir.hpp"

namespace fs = std::filesystem;
using regimen::testing::regimen_command;
using regimen::testing::run_command;
using regimen::testing::source_path;

namespace {

// About 300 optimizer steps (450 rows / 16 per batch = 29 per epoch, 10 epochs) of a model with
// every kind of state: dropout's stream, batch norm's statistics, Adam, a plateau schedule,
// the weight average, early stopping with best weights; a checkpoint every 5 steps.
std::string recipe_text() {
  return "local blobs = data.csv{path = \"" + source_path("recipes/data/three_blobs.csv") +
         "\", target = \"label\", classes = 3}\n"
         "local train, validation = blobs:split{validation = 0.25, seed = 1}\n"
         "return recipe{\n"
         "  seed = 1,\n"
         "  data = {train = train, validation = validation},\n"
         "  model = nn.sequential{nn.linear(2, 16), nn.batch_norm(16), nn.relu(), nn.dropout(0.2), nn.linear(16, 3)},\n"
         "  loss = loss.cross_entropy(),\n"
         "  optimizer = optim.adam{lr = schedule.plateau{lr = 0.01, patience = 1, monitor = \"val_loss\"}},\n"
         "  batch_size = 16, epochs = param(\"epochs\", 10), ema = 0.9,\n"
         "  early_stop = early_stop{monitor = \"val_loss\", patience = 100, restore_best = true},\n"
         "  checkpoint = {every_steps = 5, keep = 2},\n"
         "}\n";
}

std::string read(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Starts regimen with `args` (output to `log`), the checkpoint writer pausing `pause_ms` before
// each rename so that kills often land inside a write.
pid_t spawn(const std::vector<std::string>& args, const std::string& log, int pause_ms) {
  std::fflush(nullptr);  // or the child would flush the test's buffered output too
  const pid_t pid = fork();
  if (pid == 0) {
    if (pause_ms > 0) setenv("REGIMEN_CHECKPOINT_PAUSE_MS", std::to_string(pause_ms).c_str(), 1);
    const int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0) _exit(99);
    std::vector<char*> argv{const_cast<char*>(REGIMEN_BINARY)};
    for (const std::string& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
    argv.push_back(nullptr);
    execv(REGIMEN_BINARY, argv.data());
    _exit(98);
  }
  return pid;
}

// The exit code, or 128 + the signal.
int wait_for(pid_t pid) {
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

std::vector<std::string> names_in(const fs::path& folder) {
  std::vector<std::string> names;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(folder, error)) names.push_back(entry.path().filename().string());
  return names;
}

}  // namespace

TEST_CASE("Checkpoint CLI: SIGKILL at 20 points then resume gives the uninterrupted weights", "[cli]") {
  regimen::testing::TempDir folder;
  const std::string recipe = folder.write("kill.lua", recipe_text());
  const fs::path reference = folder.path() / "reference";
  const auto clean = run_command(regimen_command("run " + recipe + " --threads 1 --quiet --out " + reference.string()));
  REQUIRE(clean.exit_code == 0);
  const std::string expected = read(reference / "model.safetensors");
  REQUIRE(!expected.empty());

  const fs::path run = folder.path() / "killed";
  const fs::path checkpoints = run / "checkpoints";
  const std::string log = (folder.path() / "log.txt").string();
  // 20 different kill points among the checkpoint steps 5, 10, ..., 285 of the 290-step run,
  // in order; the odd ones are hit while that step's checkpoint is being written (its temporary
  // file exists, the writer pauses 3 ms before the rename), the even ones 0-3 ms after it is in
  // place, somewhere in the following steps.
  std::mt19937 random(7);
  std::vector<int> targets;
  for (int step = 5; step <= 285; step += 5) targets.push_back(step);
  std::shuffle(targets.begin(), targets.end(), random);
  targets.resize(20);
  std::sort(targets.begin(), targets.end());
  int during_write = 0;
  pid_t pid = spawn({"run", recipe, "--threads", "1", "--quiet", "--out", run.string()}, log, 3);
  for (std::size_t k = 0; k < targets.size(); ++k) {
    const bool in_write = k % 2 == 1;
    bool hit = false;
    for (int polls = 0; polls < 20000 && !hit; ++polls) {
      for (const std::string& name : names_in(checkpoints)) {
        const bool temporary = name.rfind(".step-", 0) == 0;
        if (!temporary && name.rfind("step-", 0) != 0) continue;
        const int step = std::stoi(name.substr(temporary ? 6 : 5, 10));
        hit = hit || (step >= targets[k] && temporary == in_write);
      }
      if (!hit) std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
    INFO("kill " << k << " at step " << targets[k] << ": " << read(log));
    REQUIRE(hit);
    if (!in_write) std::this_thread::sleep_for(std::chrono::microseconds(random() % 3000));
    kill(pid, SIGKILL);
    REQUIRE(wait_for(pid) == 128 + SIGKILL);
    for (const std::string& name : names_in(checkpoints)) during_write += name.rfind(".step-", 0) == 0 ? 1 : 0;
    pid = spawn({"run", "--resume", run.string(), "--threads", "1", "--quiet"}, log, 3);
  }
  if (wait_for(pid) != 0 || !fs::exists(run / "model.safetensors")) {
    REQUIRE(run_command(regimen_command("run --resume " + run.string() + " --threads 1 --quiet")).exit_code == 0);
  }
  const std::string output = read(log);
  INFO(output);
  REQUIRE(output.find("skipping") == std::string::npos);  // no kill ever left a damaged checkpoint
  REQUIRE(during_write >= 5);  // a temporary file was left behind: killed inside a write
  REQUIRE(read(run / "model.safetensors") == expected);
  REQUIRE(read(run / "metrics.jsonl") == read(reference / "metrics.jsonl"));
}

TEST_CASE("Checkpoint CLI: SIGINT exits 130 after a checkpoint and the resumed run ends identical", "[cli]") {
  regimen::testing::TempDir folder;
  const std::string recipe = folder.write("interrupt.lua", recipe_text());
  const fs::path reference = folder.path() / "reference";
  REQUIRE(run_command(regimen_command("run " + recipe + " --threads 1 --quiet --out " + reference.string())).exit_code == 0);
  const fs::path run = folder.path() / "interrupted";
  const std::string log = (folder.path() / "log.txt").string();
  const pid_t pid = spawn({"run", recipe, "--threads", "1", "--quiet", "--out", run.string()}, log, 5);
  std::this_thread::sleep_for(std::chrono::milliseconds(150));
  kill(pid, SIGINT);
  kill(pid, SIGINT);  // a second signal changes nothing
  REQUIRE(wait_for(pid) == 130);
  const std::string output = read(log);
  INFO(output);
  REQUIRE(output.find("interrupted at epoch ") != std::string::npos);
  REQUIRE(output.find("; resume with: regimen run --resume " + run.string() + "\n") != std::string::npos);
  REQUIRE(!fs::exists(run / "model.safetensors"));
  REQUIRE(!names_in(run / "checkpoints").empty());
  const auto resumed = run_command(regimen_command("run --resume " + run.string() + " --threads 1 --quiet"));
  INFO(resumed.output);
  REQUIRE(resumed.exit_code == 0);
  REQUIRE(read(run / "model.safetensors") == read(reference / "model.safetensors"));
}

TEST_CASE("Checkpoint CLI: a damaged newest checkpoint is skipped with a message", "[cli]") {
  regimen::testing::TempDir folder;
  const std::string recipe = folder.write("damaged.lua", recipe_text());
  const fs::path run = folder.path() / "run";
  REQUIRE(run_command(regimen_command("run " + recipe + " --threads 1 --quiet --set epochs=2 --out " + run.string())).exit_code == 0);
  const std::string newest = (run / "checkpoints" / "step-0000000055.ckpt").string();
  REQUIRE(fs::exists(newest));
  {
    std::fstream file(newest, std::ios::in | std::ios::out | std::ios::binary);
    file.seekp(100);
    file.put('\x5a');
  }
  const auto resumed = run_command(regimen_command("run --resume " + run.string() + " --threads 1 --quiet"));
  INFO(resumed.output);
  REQUIRE(resumed.exit_code == 0);
  REQUIRE(resumed.output.rfind("skipping " + newest + ": checksum mismatch (stored 0x", 0) == 0);
}

TEST_CASE("Checkpoint CLI: resuming with an edited recipe or without checkpoints is a clear error", "[cli]") {
  regimen::testing::TempDir folder;
  const std::string recipe = folder.write("edited.lua", recipe_text());
  const fs::path run = folder.path() / "run";
  REQUIRE(run_command(regimen_command("run " + recipe + " --threads 1 --quiet --set epochs=1 --out " + run.string())).exit_code == 0);
  std::ofstream(run / "recipe.lua", std::ios::app) << "-- edited\n";
  auto resumed = run_command(regimen_command("run --resume " + run.string() + " --quiet"));
  CHECK(resumed.exit_code == 2);
  CHECK(resumed.output == (run / "checkpoints" / "step-0000000025.ckpt").string() +
                              ": the checkpoint was written by another recipe text than this run's; resume it with "
                              "the recipe and overrides it was written with\n");
  fs::remove_all(run / "checkpoints");
  resumed = run_command(regimen_command("run --resume " + run.string() + " --quiet"));
  CHECK(resumed.exit_code == 1);
  CHECK(resumed.output == "cannot resume: no checkpoint in " + (run / "checkpoints").string() + "\n");
  resumed = run_command(regimen_command("run --resume " + (folder.path() / "nowhere").string()));
  CHECK(resumed.exit_code == 2);
  CHECK(resumed.output.rfind("regimen run: --resume " + (folder.path() / "nowhere").string() + ": no recipe.lua there", 0) == 0);
  resumed = run_command(regimen_command("run --resume " + run.string() + " --set epochs=3"));
  CHECK(resumed.exit_code == 2);
  CHECK(resumed.output.rfind("regimen run: --resume takes the recipe and its settings from the run directory; drop --set", 0) == 0);
}
