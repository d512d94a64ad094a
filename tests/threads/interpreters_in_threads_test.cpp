// Interpreters share nothing: eight of them, one per thread, train the same recipe at the same
// time and each gets exactly what one interpreter alone gets. CI also runs this file under
// ThreadSanitizer (REGIMEN_SANITIZE_THREAD), which reports any shared state touched without
// synchronization; compute threads are 1 so that OpenMP's own (uninstrumented) barriers stay out.
#include <catch2/catch.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "regimen/interpreter.hpp"

namespace {

// Dropout, a schedule, an early-stop rule, a Lua hook and math.random: every per-interpreter
// stream and table a global could leak through.
const char* const kRecipe = R"(
local samples = data.synthetic.linear{n = 256, w = {0.5, -1, 2}, b = 0.1, noise = 0.05, seed = 3}
local train, validation = samples:split{validation = 0.25}
local noise = math.random()
return recipe{
  seed = 11,
  data = {train = train, validation = validation},
  model = nn.sequential{nn.linear(3, 16), nn.tanh(), nn.dropout(0.1), nn.linear(16, 1)},
  loss = loss.mse(),
  optimizer = optim.adam{lr = schedule.cosine{lr = 0.02 + noise * 0, T_max = "100%"}},
  batch_size = 16,
  epochs = 6,
  early_stop = early_stop{monitor = "val_loss", patience = 10},
  on_epoch_end = function(ctx) if ctx.metrics.loss ~= ctx.metrics.loss then ctx:stop() end end,
}
)";

// The run's whole history, printed exactly.
std::string train_once(const std::string& text, std::uint64_t seed = 5) {
  std::ostringstream sink, warnings;
  regimen::InterpreterOptions options;
  options.out = &sink;
  options.err = &warnings;
  options.threads = 1;
  options.seed = seed;
  regimen::Interpreter interpreter(options);
  interpreter.load_string(text, "threads.lua");
  const regimen::RunResult result = interpreter.run();
  std::ostringstream out;
  out.precision(17);
  for (const auto& epoch : result.history)
    for (const auto& [name, value] : epoch) out << name << '=' << value << ' ';
  return out.str();
}

}  // namespace

TEST_CASE("Interpreters in threads: eight at once each train exactly as one alone", "[threads]") {
  // Different seeds, so that a stream shared by mistake would show: each thread's run must
  // equal the single-threaded run with its seed, and the runs must differ from each other.
  std::vector<std::string> alone(8);
  for (std::size_t i = 0; i < alone.size(); ++i) alone[i] = train_once(kRecipe, 100 + i);
  REQUIRE(alone[0] != alone[1]);
  std::vector<std::string> results(8);
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < results.size(); ++i) {
    threads.emplace_back([&results, i] {
      try {
        results[i] = train_once(kRecipe, 100 + i);
      } catch (const std::exception& e) {
        results[i] = std::string("failed: ") + e.what();
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (std::size_t i = 0; i < results.size(); ++i) CHECK(results[i] == alone[i]);
}

TEST_CASE("Interpreters in threads: a failing recipe in one thread leaves the others alone", "[threads]") {
  std::string good, bad;
  std::thread failing([&] {
    try {
      train_once("local x = nil\nreturn x.y");
    } catch (const regimen::Error& e) {
      bad = e.what();
    }
  });
  std::thread working([&] { good = train_once(kRecipe); });
  failing.join();
  working.join();
  CHECK(bad == "threads.lua:2: attempt to index a nil value (local 'x')");
  CHECK(good == train_once(kRecipe));
}
