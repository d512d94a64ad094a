// A host's own model trained by a recipe: tensors in host memory, the host's loss and gradient,
// everything else (optimizer, groups, schedules, early stopping) from the DSL.
#include <catch2/catch.hpp>
#include <cmath>
#include <sstream>
#include <stdexcept>
#include <vector>

#include "regimen/interpreter.hpp"

using Catch::Contains;
using Catch::WithinAbs;
using regimen::Error;
using regimen::HostBatch;
using regimen::HostModel;
using regimen::Interpreter;
using regimen::InterpreterOptions;

namespace {

InterpreterOptions quiet(std::ostringstream& sink) {
  InterpreterOptions options;
  options.out = &sink;
  options.threads = 1;
  return options;
}

// y = slope x + bias, fitted by mean squared error; the gradient written out:
//   L = mean (s x + b - y)^2,  dL/ds = mean 2 (s x + b - y) x,  dL/db = mean 2 (s x + b - y).
struct Line {
  std::vector<float> slope{0.0f}, bias{0.0f}, d_slope{0.0f}, d_bias{0.0f};
  int calls = 0;
  HostModel model() {
    return {{{"slope", slope, d_slope}, {"bias", bias, d_bias}}, [this](const HostBatch& batch) {
              ++calls;
              double loss = 0, gs = 0, gb = 0;
              for (std::int64_t i = 0; i < batch.rows; ++i) {
                const double x = batch.features[static_cast<std::size_t>(i)];
                const double r = slope[0] * x + bias[0] - batch.targets[static_cast<std::size_t>(i)];
                loss += r * r;
                gs += 2 * r * x;
                gb += 2 * r;
              }
              const double n = static_cast<double>(batch.rows);
              d_slope[0] = static_cast<float>(gs / n);
              d_bias[0] = static_cast<float>(gb / n);
              return loss / n;
            }};
  }
};

// 50 points of y = 3 x - 1, x in [-1, 1].
struct Points {
  std::vector<float> x, y;
  Points() {
    for (int i = 0; i < 50; ++i) {
      x.push_back(-1.0f + 2.0f * static_cast<float>(i) / 49.0f);
      y.push_back(3.0f * x.back() - 1.0f);
    }
  }
};

std::string error_of(Interpreter& interpreter, const std::string& text) {
  try {
    interpreter.load_string(text, "model.lua");
    interpreter.run();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("Host model: a recipe trains the host's tensors on host data", "[interpreter]") {
  std::ostringstream sink;
  Interpreter interpreter(quiet(sink));
  Line line;
  Points points;
  interpreter.bind_model("line", line.model());
  interpreter.bind_dataset("points", {points.x, 50, 1, points.y, 1, 0});
  interpreter.load_string(
      "return recipe{data = host.dataset('points'), model = host.model('line'),\n"
      "  optimizer = optim.sgd{lr = schedule.cosine{lr = 0.3, T_max = '100%'}, groups = {{match = '*.bias', lr = 0.2}}},\n"
      "  batch_size = 10, epochs = 200}",
      "model.lua");
  const auto result = interpreter.run();
  CHECK(result.history.size() == 200);
  CHECK(line.calls == 200 * 5);  // one call per batch: loss and gradient together
  CHECK_THAT(line.slope[0], WithinAbs(3.0, 1e-3));
  CHECK_THAT(line.bias[0], WithinAbs(-1.0, 1e-3));
  CHECK(result.history.back()[0].first == "loss");
  CHECK(result.history.back()[0].second < 1e-6);
}

TEST_CASE("Host model: without data it minimizes an objective of the parameters, one step per epoch", "[interpreter]") {
  // f(w) = (w0 - 1)^2 + 10 (w1 + 2)^2, minimum at (1, -2); gradient (2 (w0 - 1), 20 (w1 + 2)).
  std::vector<float> w{0.0f, 0.0f}, g{0.0f, 0.0f};
  int empty_batches = 0;
  HostModel bowl{{{"w", w, g}}, [&](const HostBatch& batch) {
                   empty_batches += batch.rows == 0 ? 1 : 0;
                   g[0] = 2 * (w[0] - 1);
                   g[1] = 20 * (w[1] + 2);
                   return static_cast<double>((w[0] - 1) * (w[0] - 1) + 10 * (w[1] + 2) * (w[1] + 2));
                 }};
  std::ostringstream sink;
  Interpreter interpreter(quiet(sink));
  interpreter.bind_model("bowl", bowl);
  // Plain gradient descent at lr 0.04 contracts w0 - 1 by 0.92 and w1 + 2 by 0.2 a step.
  interpreter.load_string("return recipe{model = host.model('bowl'), optimizer = optim.sgd{lr = 0.04}, epochs = 300,\n"
                          "  early_stop = early_stop{monitor = 'loss', patience = 20, restore_best = true}}",
                          "model.lua");
  const auto result = interpreter.run();
  // The loss bottoms out at float precision long before epoch 300; patience then ends the run.
  CHECK(result.history.size() < 300);
  CHECK_THAT(result.stop_reason, Contains("early_stop"));
  CHECK(empty_batches == static_cast<int>(result.history.size()));
  CHECK_THAT(w[0], WithinAbs(1.0, 1e-5));
  CHECK_THAT(w[1], WithinAbs(-2.0, 1e-5));
  CHECK(result.monitor == "loss");
}

TEST_CASE("Host model: one sgd step changes the host's own memory exactly as the formula says", "[interpreter]") {
  // L(w) = c . w has the gradient c whatever w is, so one optim.sgd step at lr 0.125 (exact in
  // binary) must leave w - 0.125 c in the host's vector: each entry computed once in float as
  // the kernel does, w_i - lr * c_i.
  std::vector<float> w{1.0f, -2.0f, 0.25f}, g(3, 0.0f);
  const std::vector<float> c{3.0f, -0.5f, 8.0f};
  const float* memory = w.data();
  int calls = 0;
  HostModel linear{{{"w", w, g}}, [&](const HostBatch&) {
                     ++calls;
                     double loss = 0;
                     for (std::size_t i = 0; i < w.size(); ++i) {
                       g[i] = c[i];
                       loss += c[i] * w[i];
                     }
                     return loss;
                   }};
  std::ostringstream sink;
  Interpreter interpreter(quiet(sink));
  interpreter.bind_model("linear", linear);
  interpreter.load_string("return recipe{model = host.model('linear'), optimizer = optim.sgd{lr = 0.125}, max_steps = 1}",
                          "model.lua");
  const auto result = interpreter.run();
  CHECK(result.history.size() == 1);
  CHECK(calls == 1);
  CHECK(w.data() == memory);  // the same buffer, updated in place
  for (std::size_t i = 0; i < w.size(); ++i) {
    const float before[] = {1.0f, -2.0f, 0.25f};
    CHECK(w[i] == before[i] - 0.125f * c[i]);
  }
}

TEST_CASE("Host model: recipe mistakes around a host model are errors at the recipe line", "[interpreter]") {
  std::ostringstream sink;
  Interpreter interpreter(quiet(sink));
  Line line;
  interpreter.bind_model("line", line.model());
  CHECK(error_of(interpreter, "return recipe{model = host.model('line'), loss = loss.mse(), optimizer = optim.sgd{lr = 1}}") ==
        "model.lua:1: recipe: a host model computes its own loss; remove 'loss'");
  CHECK(error_of(interpreter, "return recipe{model = host.model('line'), metrics = {'mae'}, optimizer = optim.sgd{lr = 1}}") ==
        "model.lua:1: recipe: 'metrics': a host model reports its loss only");
  CHECK(error_of(interpreter, "local m = host.model('lin')") ==
        "model.lua:1: host.model: the host bound no model 'lin' (did you mean 'line'?) (bound: line)");
}

TEST_CASE("Host model: a throwing loss ends the run as a runtime error", "[interpreter]") {
  std::ostringstream sink;
  Interpreter interpreter(quiet(sink));
  std::vector<float> w{1.0f}, g{0.0f};
  interpreter.bind_model("broken", {{{"w", w, g}}, [](const HostBatch&) -> double { throw std::runtime_error("solver diverged"); }});
  try {
    interpreter.load_string("return recipe{model = host.model('broken'), optimizer = optim.sgd{lr = 1}}", "model.lua");
    interpreter.run();
    FAIL("run() returned");
  } catch (const Error& e) {
    CHECK(e.exit_code() == 1);
    CHECK(std::string(e.what()) == "model.lua:1: solver diverged");  // the recipe's location first
  }
}

TEST_CASE("Host model: bind_model refuses tensors the optimizer could not use", "[interpreter]") {
  std::ostringstream sink;
  Interpreter interpreter(quiet(sink));
  std::vector<float> a{1, 2}, da{0, 0}, short_grad{0};
  const auto loss = [](const HostBatch&) { return 0.0; };
  const auto bind_error = [&](HostModel model) {
    try {
      interpreter.bind_model("m", std::move(model));
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  CHECK(bind_error({{}, loss}) == "bind_model 'm': an external model needs at least one tensor");
  CHECK(bind_error({{{"a", a, short_grad}}, loss}) == "bind_model 'm': tensor 'a' has 2 values but 1 gradient entries");
  CHECK(bind_error({{{"a", a, da}, {"a", a, da}}, loss}) == "bind_model 'm': tensor 'a' is named twice");
  CHECK(bind_error({{{"a", a, da}}, nullptr}) == "bind_model 'm': an external model needs its loss function");
}
