// Data-parallel training under MPI: `mpirun -np 2 regimen run` trains each rank on half of every
// batch and must land on the weights one process reaches with the same global batch (up to the
// order of summation); a rank that dies ends the whole job with a message naming it.
#include <catch2/catch.hpp>

#if defined(REGIMEN_MPIEXEC)
#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>
#include <string>

#include "runtime/io/safetensors.hpp"
#include "support/run_command.hpp"
#include "support/temp_dir.hpp"

using regimen::testing::regimen_command;
using regimen::testing::run_command;
using regimen::testing::TempDir;

namespace {

// No dropout and no batch norm: with those, a shard's masks and statistics differ from the
// whole batch's, as in PyTorch's DistributedDataParallel.
const char* const kRecipe = R"(
local samples = data.synthetic.linear{n = 1000, w = {3, -1, 0.5}, b = 2, noise = 0.3, seed = 7}
local train, validation = samples:split{validation = 0.2, seed = 1}
return recipe{
  seed = 1,
  data = {train = train, validation = validation},
  model = nn.sequential{nn.linear(3, 16), nn.tanh(), nn.linear(16, 1)},
  loss = loss.mse(),
  optimizer = optim.adam{lr = param("lr", 1e-2)},
  regularize = reg.l2(1e-4),
  batch_size = 128, epochs = param("epochs", 1),
}
)";

std::string mpirun(int ranks, const std::string& args) {
  return std::string(REGIMEN_MPIEXEC) + " --oversubscribe --allow-run-as-root -np " + std::to_string(ranks) + " " +
         regimen_command(args);
}

// The largest |a - b| / |a| over the tensors of two saved models (|a| at least 1e-6).
double largest_relative_difference(const regimen::io::SafetensorsFile& a, const regimen::io::SafetensorsFile& b) {
  REQUIRE(a.tensors.size() == b.tensors.size());
  double worst = 0;
  for (std::size_t t = 0; t < a.tensors.size(); ++t) {
    REQUIRE(a.tensors[t].data.size() == b.tensors[t].data.size());
    for (std::size_t i = 0; i < a.tensors[t].data.size(); ++i) {
      const double x = a.tensors[t].data[i], y = b.tensors[t].data[i];
      worst = std::max(worst, std::abs(x - y) / std::max(std::abs(x), 1e-6));
    }
  }
  return worst;
}


// The leaderboard's rows as trial, value, best epoch, status: the metric a number, for comparing
// runs whose sums went in another order.
struct BoardRow {
  std::string trial, value, status;
  double metric = 0;
  std::string best_epoch;
};

std::vector<BoardRow> board_rows(const std::filesystem::path& dir) {
  std::ifstream in(dir / "leaderboard.csv");
  std::vector<BoardRow> rows;
  std::string line;
  std::getline(in, line);  // the header
  while (std::getline(in, line)) {
    std::vector<std::string> cells;
    std::stringstream fields(line);
    for (std::string cell; std::getline(fields, cell, ',');) cells.push_back(cell);
    REQUIRE(cells.size() == 6);
    rows.push_back({cells[0], cells[1], cells[4], cells[2].empty() ? 0.0 : std::stod(cells[2]), cells[3]});
  }
  return rows;
}

// Two sweeps' leaderboards: the same trials in the same order, ended the same way, their metrics
// within `tolerance` relative.
void check_same_leaderboard(const std::filesystem::path& a, const std::filesystem::path& b, double tolerance) {
  const std::vector<BoardRow> rows_a = board_rows(a), rows_b = board_rows(b);
  REQUIRE(rows_a.size() == rows_b.size());
  for (std::size_t i = 0; i < rows_a.size(); ++i) {
    INFO("row " << i);
    CHECK(rows_a[i].trial == rows_b[i].trial);
    CHECK(rows_a[i].value == rows_b[i].value);
    CHECK(rows_a[i].status == rows_b[i].status);
    CHECK(rows_a[i].best_epoch == rows_b[i].best_epoch);
    CHECK(std::abs(rows_a[i].metric - rows_b[i].metric) <= tolerance * std::abs(rows_b[i].metric));
  }
}

}  // namespace

TEST_CASE("MPI: 2 ranks with global batch 128 reach the weights of 1 process after one epoch", "[cli][mpi]") {
  TempDir dir;
  const std::string recipe = dir.write("dp.lua", kRecipe);
  const auto one = run_command(regimen_command("run " + recipe + " --threads 1 --quiet --out " + (dir.path() / "one").string()));
  REQUIRE(one.exit_code == 0);
  const auto two = run_command(mpirun(2, "run " + recipe + " --threads 1 --out " + (dir.path() / "two").string()));
  INFO(two.output);
  REQUIRE(two.exit_code == 0);
  // Rank 0 alone reports: one epoch line, one run directory.
  CHECK(std::count(two.output.begin(), two.output.end(), '\n') <= 3);
  const auto alone = regimen::io::read_safetensors((dir.path() / "one" / "model.safetensors").string());
  const auto shared = regimen::io::read_safetensors((dir.path() / "two" / "model.safetensors").string());
  const double worst = largest_relative_difference(alone, shared);
  INFO("largest relative difference " << worst);
  CHECK(worst < 1e-5);
}

TEST_CASE("MPI: a rank that dies ends the job within 30 s, naming it, the last checkpoint resumes", "[cli][mpi]") {
  TempDir dir;
  const std::string recipe = dir.write("long.lua", std::string(kRecipe).replace(std::string(kRecipe).find("epochs = param"), 0,
                                                                            "checkpoint = {every_steps = 20},\n  "));
  const std::string out = (dir.path() / "run").string();
  const std::string job = mpirun(2, "run " + recipe + " --set epochs=1000000 --threads 1 --quiet --out " + out);
  // The newest regimen process of the job is a rank; it is killed once rank 0 has written a
  // checkpoint (both train by then), however loaded the machine is. The shell prints how long
  // the job took to end after the kill.
  const auto result = run_command(
      "sh -c '" + job + " & job=$!; for i in $(seq 600); do [ -d " + out + "/checkpoints ] && break; sleep 0.1; done; "
      "killed=$(date +%s%N); pkill -9 -n -f \"regimen run " + recipe + "\"; wait $job; code=$?; "
      "echo ended-after-ms $(( ($(date +%s%N) - killed) / 1000000 )); exit $code'");
  INFO(result.output);
  CHECK(result.exit_code != 0);
  const auto ended = result.output.find("ended-after-ms ");
  REQUIRE(ended != std::string::npos);
  CHECK(std::stol(result.output.substr(ended + 15)) < 30000);
  CHECK(result.output.find("exited on signal 9") != std::string::npos);
  // Rank 0 wrote checkpoints atomically: the newest is whole. Resumed for a few more epochs.
  REQUIRE(std::filesystem::exists(std::filesystem::path(out) / "checkpoints"));
  const auto resumed = run_command("timeout 5 " + regimen_command("run --resume " + out + " --threads 1 --quiet"));
  INFO(resumed.output);
  CHECK(resumed.output.find("skipping") == std::string::npos);
  CHECK(resumed.exit_code == 124);  // still training when the time was up: the resume worked
}

TEST_CASE("MPI: a checkpoint written with 2 ranks resumes on 1, and one written alone on 2 ranks", "[cli][mpi]") {
  TempDir dir;
  const std::string marker = (dir.path() / "crash").string();
  // Checkpoints after every epoch; the run dies in the third epoch's hook (0-based epoch 2),
  // before that epoch's checkpoint, while the marker file exists.
  const std::string recipe = dir.write("c.lua", std::string(kRecipe).replace(std::string(kRecipe).find("epochs = param"), 0,
      "checkpoint = {every = 1},\n  on_epoch_end = function(ctx) if ctx.epoch == 2 and io.open(\"" + marker +
      "\") then os.exit(9) end end,\n  "));
  const std::string run = "run " + recipe + " --set epochs=3 --trusted --threads 1 --quiet --out ";
  REQUIRE(run_command(regimen_command(run + (dir.path() / "whole").string())).exit_code == 0);
  const auto weights = [&](const std::string& name) {
    return regimen::io::read_safetensors((dir.path() / name / "model.safetensors").string());
  };
  const auto whole = weights("whole");
  for (const auto& [written, resumed] : {std::pair{2, 1}, std::pair{1, 2}}) {
    INFO("written with " << written << " ranks, resumed with " << resumed);
    const std::string out = (dir.path() / ("from" + std::to_string(written))).string();
    const auto launch = [](int ranks, const std::string& args) { return ranks == 1 ? regimen_command(args) : mpirun(ranks, args); };
    dir.write("crash", "");
    CHECK(run_command(launch(written, run + out)).exit_code != 0);
    std::filesystem::remove(marker);
    const auto again = run_command(launch(resumed, "run --resume " + out + " --trusted --threads 1 --quiet"));
    INFO(again.output);
    REQUIRE(again.exit_code == 0);
    const double worst = largest_relative_difference(whole, weights("from" + std::to_string(written)));
    INFO("largest relative difference " << worst);
    CHECK(worst < 1e-4);  // three epochs of Adam after summations in another order
  }
}

TEST_CASE("MPI: a sweep over 2 ranks finishes 4 trials with the leaderboard of --jobs 2", "[cli][mpi]") {
  TempDir dir;
  const std::string recipe = dir.write("dp.lua", kRecipe);
  const std::string grid = "sweep " + recipe + " --grid lr=0.003,0.01,0.03,0.1 --set epochs=3 --out ";
  const auto ranked = run_command(mpirun(2, grid + (dir.path() / "ranks").string()));
  INFO(ranked.output);
  REQUIRE(ranked.exit_code == 0);
  CHECK(ranked.output.find("sweep of 4 trials into " + (dir.path() / "ranks").string() + " by 2 ranks") != std::string::npos);
  REQUIRE(run_command(regimen_command(grid + (dir.path() / "jobs").string() + " --jobs 2")).exit_code == 0);
  // The same rows in the same order; only the run directories differ.
  const auto rows_of = [&](const char* name) {
    std::ifstream in(dir.path() / name / "leaderboard.csv");
    std::vector<std::string> rows;
    for (std::string line; std::getline(in, line);) rows.push_back(line.substr(0, line.rfind(',')));
    return rows;
  };
  const auto by_ranks = rows_of("ranks");
  CHECK(by_ranks.size() == 5);
  CHECK(by_ranks == rows_of("jobs"));
  CHECK_FALSE(std::filesystem::exists(dir.path() / "ranks" / "trial-0.claim"));
}

TEST_CASE("MPI: the median pruner stops a diverging trial of a sweep over 2 ranks", "[cli][mpi]") {
  TempDir dir;
  const std::string recipe = dir.write("dp.lua", kRecipe);
  // Each rank runs one trial at a time, so lr = 10, the fourth, starts once a rank has finished
  // one of the first two: its first epoch is far worse than any done trial's.
  const auto result = run_command(mpirun(2, "sweep " + recipe + " --grid lr=0.003,0.01,0.03,10 --set epochs=4 " +
                                                "--prune median --out " + (dir.path() / "pruned").string()));
  INFO(result.output);
  REQUIRE(result.exit_code == 0);
  std::ifstream in(dir.path() / "pruned" / "leaderboard.csv");
  std::string line, last;
  while (std::getline(in, line)) last = line;
  CHECK(last.rfind("3,10,", 0) == 0);
  CHECK(last.find(",pruned,") != std::string::npos);
}

TEST_CASE("MPI: --ranks-per-trial trains each trial on a group of ranks, to one process's leaderboard", "[cli][mpi]") {
  TempDir dir;
  const std::string recipe = dir.write("dp.lua", kRecipe);
  // lr = -1 fails on every rank of its group: that trial fails alone and the sweep goes on.
  const std::string grid = "sweep " + recipe + " --grid lr=0.003,0.01,-1,0.1 --set epochs=3 --out ";
  REQUIRE(run_command(regimen_command(grid + (dir.path() / "alone").string())).exit_code == 0);
  const auto pair = run_command(mpirun(2, grid + (dir.path() / "pair").string() + " --ranks-per-trial 2"));
  INFO(pair.output);
  REQUIRE(pair.exit_code == 0);
  CHECK(pair.output.find("by 2 ranks in groups of 2") != std::string::npos);
  CHECK(pair.output.find("trial 2  lr=-1  failed  (" + recipe + ":9: optim.adam: lr must be >= 0, got -1)") != std::string::npos);
  check_same_leaderboard(dir.path() / "pair", dir.path() / "alone", 1e-5);
  // Each trial's run directory is rank 0's, as `regimen run` under mpirun writes it.
  CHECK(std::filesystem::exists(dir.path() / "pair" / "trial-0" / "model.safetensors"));
  CHECK_FALSE(std::filesystem::exists(dir.path() / "pair" / "trial-0.claim"));
  // Four ranks: two groups share the trials.
  const auto groups = run_command(mpirun(4, grid + (dir.path() / "groups").string() + " --ranks-per-trial 2"));
  INFO(groups.output);
  REQUIRE(groups.exit_code == 0);
  CHECK(groups.output.find("by 4 ranks in groups of 2") != std::string::npos);
  check_same_leaderboard(dir.path() / "groups", dir.path() / "alone", 1e-5);
}

TEST_CASE("MPI: the median pruner stops a group's diverging trial, a group that cannot tile the job is refused", "[cli][mpi]") {
  TempDir dir;
  const std::string recipe = dir.write("dp.lua", kRecipe);
  const auto pruned = run_command(mpirun(2, "sweep " + recipe + " --grid lr=0.003,0.01,0.03,10 --set epochs=4 --prune median " +
                                                "--ranks-per-trial 2 --out " + (dir.path() / "pruned").string()));
  INFO(pruned.output);
  REQUIRE(pruned.exit_code == 0);
  const std::vector<BoardRow> rows = board_rows(dir.path() / "pruned");
  REQUIRE(rows.size() == 4);
  CHECK(rows.back().value == "10");
  CHECK(rows.back().status == "pruned");
  CHECK(rows.back().best_epoch == "1");  // stopped after its first epoch

  const auto untiled = run_command(mpirun(3, "sweep " + recipe + " --grid lr=0.01 --ranks-per-trial 2 --out " +
                                                 (dir.path() / "untiled").string()));
  INFO(untiled.output);
  CHECK(untiled.exit_code == 2);
  CHECK(untiled.output.find("regimen sweep: --ranks-per-trial 2 does not divide the job's 3 ranks into groups") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(dir.path() / "untiled"));
}

TEST_CASE("MPI: a trial that fails on one rank of its group but not on the other ends the job", "[cli][mpi]") {
  TempDir dir;
  // --trusted gives the recipe os.getenv: rank 1 fails at the end of trial 1's epoch `fail_at`
  // (0-based). At the first epoch's end rank 0 then waits in the next collective; at the last
  // one it finishes the trial without rank 1, which must not be taken for the trial's failure.
  std::string text = std::string("local fail_at = param('fail_at', 0)") + kRecipe;  // kRecipe's first line is empty
  text.replace(text.rfind('}'), 1,
               "  on_epoch_end = function(ctx)\n"
               "    if os.getenv('OMPI_COMM_WORLD_RANK') == '1' and param('lr', 0) > 0.05 and ctx.epoch == fail_at then\n"
               "      error('rank 1 fails alone')\n"
               "    end\n"
               "  end,\n}");
  const std::string recipe = dir.write("one_rank_fails.lua", text);
  for (const int fail_at : {0, 2}) {
    const auto start = std::chrono::steady_clock::now();
    const std::string out = (dir.path() / (fail_at == 0 ? "first" : "last")).string();
    const auto result = run_command(mpirun(2, "sweep " + recipe + " --grid lr=0.01,0.1 --set epochs=3 --set fail_at=" +
                                                  std::to_string(fail_at) + " --ranks-per-trial 2 --trusted --out " + out));
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    INFO("fail_at " << fail_at << "\n" << result.output);
    CHECK(result.exit_code != 0);
    CHECK(seconds < 60);
    CHECK(result.output.find("regimen sweep: trial 1 failed on this rank but not on the rest of its group, which trained on: " +
                             recipe + ":14: rank 1 fails alone") != std::string::npos);
    CHECK(result.output.find("trial 0  lr=0.01  done") != std::string::npos);
    CHECK(std::filesystem::exists(std::filesystem::path(out) / "trial-0" / "result.json"));  // a rerun keeps it
    CHECK_FALSE(std::filesystem::exists(std::filesystem::path(out) / "trial-1" / "result.json"));
  }
}

TEST_CASE("MPI: a trial that fails on one rank after the group's last collective fails alone", "[cli][mpi]") {
  TempDir dir;
  // on_train_end runs after every collective of the training: the ranks are still in step, so
  // the trial is marked failed and the group goes on. Rank 1 says why on stderr.
  std::string text = kRecipe;
  text.replace(text.rfind('}'), 1,
               "  on_train_end = function()\n"
               "    if os.getenv('OMPI_COMM_WORLD_RANK') == '1' and param('lr', 0) > 0.05 then error('rank 1 fails alone') end\n"
               "  end,\n}");
  const std::string recipe = dir.write("fails_at_end.lua", text);
  const auto result = run_command(mpirun(2, "sweep " + recipe + " --grid lr=0.01,0.1,0.03 --set epochs=2 --ranks-per-trial 2 " +
                                                "--trusted --out " + (dir.path() / "s").string()));
  INFO(result.output);
  REQUIRE(result.exit_code == 0);
  CHECK(result.output.find("(failed on another rank of its group (its message is on stderr))") != std::string::npos);
  CHECK(result.output.find("regimen sweep: trial 1: " + recipe + ":13: rank 1 fails alone") != std::string::npos);
  const std::vector<BoardRow> rows = board_rows(dir.path() / "s");
  REQUIRE(rows.size() == 3);
  CHECK(rows.back().value == "0.1");
  CHECK(rows.back().status == "failed");
  CHECK(rows[0].status == "done");
  CHECK(rows[1].status == "done");
}

#endif  // REGIMEN_MPIEXEC
