// Data-parallel training under MPI: `mpirun -np 2 regimen run` trains each rank on half of every
// batch and must land on the weights one process reaches with the same global batch (up to the
// order of summation); a rank that dies ends the whole job with a message naming it.
#include <catch2/catch.hpp>

#if defined(REGIMEN_MPIEXEC)
#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
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
  optimizer = optim.adam{lr = 1e-2},
  regularize = reg.l2(1e-4),
  batch_size = 128, epochs = param("epochs", 1),
}
)";

std::string mpirun(int ranks, const std::string& args) {
  return std::string(REGIMEN_MPIEXEC) + " --oversubscribe --allow-run-as-root -np " + std::to_string(ranks) + " " +
         regimen_command(args);
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
  REQUIRE(alone.tensors.size() == shared.tensors.size());
  double worst = 0;
  for (std::size_t t = 0; t < alone.tensors.size(); ++t) {
    REQUIRE(alone.tensors[t].data.size() == shared.tensors[t].data.size());
    for (std::size_t i = 0; i < alone.tensors[t].data.size(); ++i) {
      const double a = alone.tensors[t].data[i], b = shared.tensors[t].data[i];
      worst = std::max(worst, std::abs(a - b) / std::max(std::abs(a), 1e-6));
    }
  }
  INFO("largest relative difference " << worst);
  CHECK(worst < 1e-5);
}

TEST_CASE("MPI: a rank that dies ends the job within 30 s, naming it", "[cli][mpi]") {
  TempDir dir;
  const std::string recipe = dir.write("long.lua", kRecipe);
  const std::string job = mpirun(2, "run " + recipe + " --set epochs=1000000 --threads 1 --quiet --no-out");
  const auto started = std::chrono::steady_clock::now();
  // Rank 1 is the second regimen process the job starts; it is killed once both train.
  const auto result = run_command("sh -c '" + job + " & job=$!; sleep 1; "
                                  "pkill -9 -n -f \"regimen run " + recipe + "\"; wait $job'");
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  INFO(result.output);
  CHECK(result.exit_code != 0);
  CHECK(seconds < 30);
  CHECK(result.output.find("exited on signal 9") != std::string::npos);
}

#endif  // REGIMEN_MPIEXEC
