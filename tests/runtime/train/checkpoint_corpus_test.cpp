// The seeds of fuzz_checkpoint (fuzz/corpus/checkpoint/) are real checkpoints of the fuzz
// target's own run, so the fuzzer starts deep inside every section reader. With
// REGIMEN_UPDATE_FUZZ_CORPUS=1 this writes them; otherwise it checks that they still load.
#include <cstdlib>
#include <filesystem>
#include <string>

#include <catch2/catch.hpp>

#include "fuzz/checkpoint_setup.hpp"
#include "runtime/io/checkpoint_file.hpp"
#include "runtime/train/checkpointer.hpp"

TEST_CASE("Checkpoint: the fuzz seed corpus holds loadable checkpoints of the fuzz run", "[train]") {
  const std::filesystem::path corpus = std::filesystem::path(REGIMEN_SOURCE_DIR) / "fuzz" / "corpus" / "checkpoint";
  if (std::getenv("REGIMEN_UPDATE_FUZZ_CORPUS")) {
    regimen::fuzz::CheckpointSetup setup(2);
    // After step 2 (mid-epoch) and after epoch 1 (step 4): both kinds of resume point.
    regimen::train::Checkpointer checkpointer(corpus.string(), {1, 2, 2}, {});
    setup.trainer->set_checkpointer(&checkpointer);
    setup.trainer->fit(*setup.data, nullptr);
  }
  const auto files = regimen::train::list_checkpoints(corpus.string());
  REQUIRE(files.size() == 2);
  for (const std::string& file : files) {
    INFO(file);
    regimen::fuzz::CheckpointSetup setup(2);
    setup.trainer->resume(regimen::io::read_checkpoint(file), file);
    REQUIRE(setup.trainer->fit(*setup.data, nullptr).steps == 8);
  }
}
