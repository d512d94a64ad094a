// The learning-rate range test through the API, on an objective whose best constant step is
// known: f(w) = (L/2) |w|^2 has gradient L w, so gradient descent with step s maps w to
// (1 - s L) w. The loss falls fastest per step at s = 1/L (one step to the minimum) and grows
// once s > 2/L. The suggestion must land within a factor 3 of 1/L (issue 8).
#include <catch2/catch.hpp>
#include <sstream>
#include <vector>

#include "regimen/interpreter.hpp"

using regimen::HostBatch;
using regimen::Interpreter;
using regimen::InterpreterOptions;
using regimen::LrFindOptions;

namespace {

regimen::LrFindResult find_on_quadratic(double curvature, std::vector<float>& w) {
  std::vector<float> g(w.size(), 0.0f);
  std::ostringstream sink;
  InterpreterOptions options;
  options.out = &sink;
  options.threads = 1;
  Interpreter interpreter(options);
  interpreter.bind_model("bowl", {{{"w", w, g}}, [&](const HostBatch&) {
                                    double loss = 0;
                                    for (std::size_t i = 0; i < w.size(); ++i) {
                                      g[i] = static_cast<float>(curvature * w[i]);
                                      loss += 0.5 * curvature * w[i] * w[i];
                                    }
                                    return loss;
                                  }});
  interpreter.load_string("return recipe{model = host.model('bowl'), optimizer = optim.sgd{lr = 1}, epochs = 1}", "q.lua");
  return interpreter.find_lr(LrFindOptions{});
}

}  // namespace

TEST_CASE("lr-find: on a quadratic the suggestion is within a factor 3 of 1/L", "[interpreter]") {
  for (const double curvature : {0.5, 4.0, 50.0}) {
    std::vector<float> w{1.0f, -2.0f, 0.5f};
    const auto result = find_on_quadratic(curvature, w);
    INFO("L = " << curvature << ", suggested " << result.steepest_lr << ", min " << result.min_lr);
    // Past 2/L the loss grows; with L = 0.5 the weights have become exactly 0 by then.
    if (curvature > 1) CHECK(result.diverged);
    CHECK(result.steepest_lr > 1.0 / curvature / 3.0);
    CHECK(result.steepest_lr < 3.0 / curvature);
    CHECK(result.lrs.front() == 1e-7);
    CHECK(result.lrs.size() == result.smoothed.size());
  }
}

TEST_CASE("lr-find: bad options and plain scripts are errors", "[interpreter]") {
  std::ostringstream sink;
  InterpreterOptions options;
  options.out = &sink;
  Interpreter interpreter(options);
  interpreter.load_string("local x = 1", "plain.lua");
  CHECK_THROWS_WITH(interpreter.find_lr({}), "plain.lua: a plain script (it returns no recipe); lr-find needs recipe{...}");
  interpreter.load_string("return recipe{data = data.synthetic.linear{n = 10, w = 1}, model = nn.sequential{nn.linear(1, 1)},\n"
                          "  loss = loss.mse(), optimizer = optim.sgd{lr = 1}}",
                          "r.lua");
  CHECK_THROWS_WITH(interpreter.find_lr(LrFindOptions{1.0, 0.5, 100}),
                    Catch::Contains("lr range: need 0 < from < to, got from 1.000000, to 0.500000"));
}
