// A host's data and functions, seen from recipes: host.dataset(name) over borrowed buffers,
// host.<name>(...) calling back into C++; every misuse a clear error.
#include <catch2/catch.hpp>
#include <sstream>
#include <stdexcept>
#include <vector>

#include "regimen/interpreter.hpp"

using Catch::Contains;
using regimen::Error;
using regimen::HostDataset;
using regimen::Interpreter;
using regimen::InterpreterOptions;

namespace {

struct Host {
  std::ostringstream sink;
  Interpreter interpreter;
  Host() : interpreter(options(sink)) {}
  static InterpreterOptions options(std::ostringstream& sink) {
    InterpreterOptions o;
    o.out = &sink;
    o.threads = 1;
    return o;
  }
  // Runs `text`, which must fail, and returns its message.
  std::string error_of(const std::string& text) {
    try {
      interpreter.load_string(text, "host.lua");
      interpreter.run();
    } catch (const Error& e) {
      return e.what();
    }
    return "";
  }
};

// y = 2 x0 - x1 + 0.5 on a 10 x 10 grid in [-1, 1]^2: exact, so a linear model fits it.
struct Plane {
  std::vector<float> x, y;
  Plane() {
    for (int i = 0; i < 10; ++i)
      for (int j = 0; j < 10; ++j) {
        const float a = -1.0f + 2.0f * static_cast<float>(i) / 9.0f, b = -1.0f + 2.0f * static_cast<float>(j) / 9.0f;
        x.insert(x.end(), {a, b});
        y.push_back(2.0f * a - b + 0.5f);
      }
  }
  HostDataset dataset() const { return {x, 100, 2, y, 1, 0}; }
};

}  // namespace

TEST_CASE("Host binding: a recipe trains on the host's buffers, without a copy", "[interpreter]") {
  Host host;
  Plane plane;
  host.interpreter.bind_dataset("plane", plane.dataset());
  host.interpreter.load_string(
      "local d = host.dataset('plane')\n"
      "assert(#d == 100 and d:features() == 2, tostring(d))\n"
      "assert(tostring(d):find(\"host dataset 'plane'\", 1, true), tostring(d))\n"
      "return recipe{data = d, model = nn.sequential{nn.linear(2, 1)}, loss = loss.mse(),\n"
      "  optimizer = optim.sgd{lr = 0.3}, batch_size = 100, epochs = 300, seed = 1}",
      "host.lua");
  const auto result = host.interpreter.run();
  REQUIRE(result.history.size() == 300);
  CHECK(result.history.back()[0].second < 1e-6);  // loss: the plane is learned exactly
  // The host's memory was read in place: changing it changes what the next recipe sees.
  plane.y.assign(100, 3.0f);
  host.interpreter.load_string("return recipe{data = host.dataset('plane'), model = nn.sequential{nn.linear(2, 1)},\n"
                               "  loss = loss.mse(), optimizer = optim.sgd{lr = 0.3}, batch_size = 100, epochs = 300}",
                               "host.lua");
  CHECK(host.interpreter.run().history.back()[0].second < 1e-6);
}

TEST_CASE("Host binding: host functions take numbers and return one", "[interpreter]") {
  Host host;
  int calls = 0;
  host.interpreter.register_function("score", [&](std::span<const double> args) {
    ++calls;
    return args.size() == 2 ? args[0] * args[1] : -1.0;
  });
  host.interpreter.register_function("explode", [](std::span<const double>) -> double {
    throw std::runtime_error("simulator offline");
  });
  CHECK(host.error_of("error(tostring(host.score(3, 4)), 0)") == "12.0");
  CHECK(calls == 1);
  CHECK(host.error_of("local s = host.scor(1)") ==
        "host.lua:1: host.scor: the host registered no such function (did you mean 'score'?) (registered: explode, score)");
  CHECK(host.error_of("local s = host.score('x')") == "host.lua:1: host.score: argument 1 must be a number, got string");
  CHECK(host.error_of("\nlocal s = host.explode()") == "host.lua:2: host.explode: simulator offline");
}

TEST_CASE("Host binding: unknown datasets and bad buffers are errors that say what is wrong", "[interpreter]") {
  Host host;
  Plane plane;
  host.interpreter.bind_dataset("plane", plane.dataset());
  CHECK(host.error_of("local d = host.dataset('plan')") ==
        "host.lua:1: host.dataset: the host bound no dataset 'plan' (did you mean 'plane'?) (bound: plane)");
  const auto bind_error = [&](HostDataset data) {
    try {
      host.interpreter.bind_dataset("bad", data);
    } catch (const Error& e) {
      CHECK(e.exit_code() == 2);
      return std::string(e.what());
    }
    return std::string();
  };
  CHECK(bind_error({plane.x, 100, 3, plane.y, 1, 0}) == "bind_dataset 'bad': features hold 200 values, but 100 x 3 were announced");
  CHECK(bind_error({plane.x, 100, 2, plane.y, 2, 0}) == "bind_dataset 'bad': targets hold 100 values, but 100 x 2 were announced");
  CHECK(bind_error({plane.x, 0, 2, plane.y, 1, 0}) == "bind_dataset 'bad': rows, cols and target_cols must be positive, got 0, 2, 1");
  std::vector<float> holes = plane.x;
  holes[7] = std::numeric_limits<float>::quiet_NaN();
  CHECK(bind_error({holes, 100, 2, plane.y, 1, 0}) == "bind_dataset 'bad': feature at row 3, column 1 is nan");
  std::vector<float> labels(100, 1.0f);
  labels[5] = 2.5f;
  CHECK(bind_error({plane.x, 100, 2, labels, 1, 3}) ==
        "bind_dataset 'bad': target at row 5 is 2.500000, not a class index in [0, 3)");
  labels[5] = 3.0f;
  CHECK_THAT(bind_error({plane.x, 100, 2, labels, 1, 3}), Contains("target at row 5 is 3.000000, not a class index"));
}

TEST_CASE("Host binding: function names must be identifiers and not the reserved ones", "[interpreter]") {
  Host host;
  const auto noop = [](std::span<const double>) { return 0.0; };
  CHECK_THROWS_WITH(host.interpreter.register_function("2fast", noop), "register_function: '2fast' is not a Lua identifier");
  CHECK_THROWS_WITH(host.interpreter.register_function("dataset", noop),
                    "register_function: 'dataset' is reserved (host.dataset)");
  CHECK_THROWS_WITH(host.interpreter.register_function("empty", regimen::HostFunction()),
                    "register_function 'empty': the function is empty");
}
