// optim.*{groups = {...}}: per-group overrides built by the optimizer's own constructor, checked
// the same way, with errors that name the group.
#include <catch2/catch.hpp>

#include <sstream>

#include "lua_test_support.hpp"

using regimen::testing::error_of;
using regimen::testing::eval;
using regimen::testing::run_lua;

namespace {

// 64 samples of 2 features, batches of 16: 4 steps per epoch. Layers fc1, relu1, fc2.
std::string grouped_recipe(const std::string& groups) {
  return "return recipe{\n"
         "  data = data.synthetic.linear{n = 64, w = {2, -1}, b = 0.5, noise = 0},\n"
         "  model = nn.sequential{nn.linear(2, 4), nn.relu(), nn.linear(4, 1)},\n"
         "  loss = loss.mse(),\n"
         "  optimizer = optim.adamw{lr = 1e-2, weight_decay = 0.05, groups = " + groups + "},\n"
         "  epochs = 2, batch_size = 16,\n"
         "}\n";
}

std::string check_of(const std::string& text) {
  regimen::Interpreter interpreter(regimen::InterpreterOptions{});
  interpreter.load_string(text, "test.lua");
  return interpreter.check();
}

}  // namespace

TEST_CASE("Optim groups: a grouped optimizer describes its default group", "[lua][optim]") {
  CHECK(eval("optim.adamw{groups = {{match = '*.bias', weight_decay = 0}}}") ==
        "optim.adamw(lr=constant(lr=0.001), betas={0.9, 0.999}, eps=1e-08, weight_decay=0.01, amsgrad=false, "
        "maximize=false) with 1 parameter group");
  CHECK(eval("optim.sgd{lr = 0.1, groups = {{ndim = 1, lr = 0.2}, {layer = 'linear', momentum = 0.9}}}")
            .ends_with(" with 2 parameter groups"));
}

TEST_CASE("Optim groups: check lists which parameters fall in which group", "[lua][optim]") {
  const std::string text = check_of(grouped_recipe(
      "{ {match = '*.bias', weight_decay = 0}, {layer = 'batch_norm', weight_decay = 0},"
      "  {ndim = 2, match = 'fc2.*', lr = schedule.cosine{lr = 0.1, T_max = '1 epochs'}} }"));
  CHECK_THAT(text, Catch::Contains("group 1 {match = \"*.bias\"}: adamw(lr=constant(lr=0.01), betas={0.9, 0.999}, "
                                   "eps=1e-08, weight_decay=0, amsgrad=false, maximize=false)\n"
                                   "                fc1.bias, fc2.bias\n"));
  CHECK_THAT(text, Catch::Contains("group 2 {layer = \"batch_norm\"}: adamw(") && Catch::Contains("(none)"));
  // The group's own lr, its duration resolved from the data: 64 samples / 16 per batch = 4 steps.
  CHECK_THAT(text, Catch::Contains("group 3 {match = \"fc2.*\", ndim = 2}: adamw(lr=cosine(lr=0.1, T_max=4"));
  CHECK_THAT(text, Catch::Contains("                fc2.weight\n"));
  CHECK_THAT(text, Catch::Contains("other parameters: fc1.weight\n"));
  CHECK_THAT(text, Catch::Contains("warning: test.lua:1: optim.adamw: group 2 (layer = \"batch_norm\") selects no "
                                   "parameter\n"));
}

TEST_CASE("Optim groups: a run warns about a group that selects nothing and trains", "[lua][optim]") {
  std::ostringstream warnings;
  regimen::InterpreterOptions options;
  options.err = &warnings;
  const auto outcome = run_lua(grouped_recipe("{ {match = '*.gamma', weight_decay = 0} }"), options);
  CHECK(outcome.exit_code == 0);
  CHECK(outcome.message.empty());
  CHECK(outcome.result.history.size() == 2);
  CHECK(warnings.str() == "warning: test.lua:1: optim.adamw: group 1 (match = \"*.gamma\") selects no parameter\n");
}

TEST_CASE("Optim groups: bad groups fail before training, naming the group", "[lua][optim]") {
  CHECK(error_of("optim.adamw{groups = 3}") ==
        "test.lua:1: optim.adamw: option 'groups' must be a list of tables like {match = \"*.bias\", "
        "weight_decay = 0}");
  CHECK(error_of("optim.adamw{groups = {{weight_decay = 0}}}") ==
        "test.lua:1: optim.adamw: groups[1]: a group needs 'match', 'layer' or 'ndim' to select parameters");
  CHECK(error_of("optim.adamw{groups = {{match = '*.bias'}, {match = '*.w', weight_dacay = 0}}}") ==
        "test.lua:1: optim.adamw: groups[2]: unknown option 'weight_dacay' (did you mean 'weight_decay'?)");
  CHECK(error_of("optim.adamw{groups = {{match = '*.bias', eps = -1}}}") ==
        "test.lua:1: optim.adamw: groups[1]: eps must be > 0, got -1");
  CHECK(error_of("optim.sgd{lr = 0.1, groups = {{ndim = 0}}}") ==
        "test.lua:1: optim.sgd: groups[1]: 'ndim' must be an integer from 1 to 8, got 0");
  CHECK(error_of("optim.sgd{lr = 0.1, groups = {{match = 3}}}") ==
        "test.lua:1: optim.sgd: groups[1]: 'match' must be a string, got number");
  CHECK(error_of("optim.sgd{lr = 0.1, groups = {'*.bias'}}") ==
        "test.lua:1: optim.sgd: groups[1]: must be a table, got string");
  // The options outside the groups are checked as they would be without groups.
  CHECK(error_of("optim.sgd{lr = -1, groups = {{ndim = 1}}}") == "test.lua:1: optim.sgd: lr must be >= 0, got -1");
}
