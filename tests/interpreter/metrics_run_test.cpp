#include <catch2/catch.hpp>

#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

#include "lua_test_support.hpp"
#include "support/temp_dir.hpp"

using regimen::testing::error_of;
using regimen::testing::run_lua;

namespace {

// 60 rows, 3 classes in turn, 2 features that separate them (with a little overlap).
std::string classes_csv(const regimen::testing::TempDir& dir, int classes = 3) {
  std::ostringstream text;
  text << "x1,x2,label\n";
  for (int i = 0; i < 60; ++i) {
    const int c = i % classes;
    text << c * 1.5 + 0.1 * (i % 7) << "," << 1.0 - c + 0.05 * (i % 5) << "," << c << "\n";
  }
  return dir.write("classes" + std::to_string(classes) + ".csv", text.str());
}

// A classification recipe on line 4; `extra` is spliced into the recipe table.
std::string classification_recipe(const std::string& csv, const std::string& extra, int classes = 3,
                                  const std::string& loss = "loss.cross_entropy()", int outputs = 3,
                                  const std::string& splits = "train = train, validation = validation, test = d") {
  return "local d = data.csv{path = '" + csv + "', target = 'label', classes = " + std::to_string(classes) + "}\n" +
         "local train, validation = d:split{validation = 0.25}\n"
         "local unused = 0\n"
         "return recipe{\n"
         "  data = {" + splits + "},\n"
         "  model = nn.sequential{nn.linear(2, 8), nn.relu(), nn.linear(8, " + std::to_string(outputs) + ")},\n"
         "  loss = " + loss + ", optimizer = optim.adam{lr = 0.05},\n"
         "  batch_size = 8, epochs = 3, seed = 2,\n" + extra + "}\n";
}

std::string regression_recipe(const std::string& extra) {
  return "local d = data.synthetic.linear{n = 128, w = {2, -1}, b = 0.5, noise = 0.05, seed = 3}\n"
         "local train, validation = d:split{validation = 0.25}\n"
         "return recipe{\n"
         "  data = {train = train, validation = validation},\n"
         "  model = nn.sequential{nn.linear(2, 1)},\n"
         "  loss = loss.huber{delta = 0.5}, optimizer = optim.adam{lr = 0.05},\n"
         "  batch_size = 16, epochs = 2, seed = 1,\n" + extra + "}\n";
}

std::vector<std::string> names(const std::vector<regimen::MetricValue>& values) {
  std::vector<std::string> out;
  for (const auto& [name, value] : values) out.push_back(name);
  return out;
}

std::int64_t sum(const std::vector<std::vector<std::int64_t>>& rows) {
  std::int64_t total = 0;
  for (const auto& row : rows)
    for (std::int64_t v : row) total += v;
  return total;
}

}  // namespace

TEST_CASE("Metrics: a classification run reports the chosen metrics and a confusion matrix", "[lua][recipe]") {
  regimen::testing::TempDir dir;
  const auto outcome = run_lua(classification_recipe(
      classes_csv(dir), "metrics = {'accuracy', 'top_2_accuracy', 'f1', 'val_precision'},\n"));
  REQUIRE(outcome.message == "");
  REQUIRE(outcome.result.history.size() == 3);
  CHECK(names(outcome.result.history[0]) ==
        std::vector<std::string>{"loss", "accuracy", "top_2_accuracy", "f1", "precision", "val_loss", "val_accuracy",
                                 "val_top_2_accuracy", "val_f1", "val_precision"});
  CHECK(names(outcome.result.test) == std::vector<std::string>{"test_loss", "test_accuracy", "test_top_2_accuracy",
                                                               "test_f1", "test_precision"});
  CHECK(outcome.result.confusion_split == "test");
  REQUIRE(outcome.result.confusion.size() == 3);
  CHECK(sum(outcome.result.confusion) == 60);
  // test_accuracy is the confusion matrix's diagonal share.
  const auto& m = outcome.result.confusion;
  CHECK(outcome.result.test[1].second == static_cast<double>(m[0][0] + m[1][1] + m[2][2]) / 60.0);
  for (const auto& epoch : outcome.result.history)
    for (const auto& [name, value] : epoch)
      if (name != "loss" && name != "val_loss") CHECK((value >= 0.0 && value <= 1.0));
}

TEST_CASE("Metrics: without a metrics list a classification run reports loss and accuracy", "[lua][recipe]") {
  regimen::testing::TempDir dir;
  std::ostringstream printed;
  regimen::InterpreterOptions options;
  options.out = &printed;
  options.threads = 1;
  regimen::Interpreter interpreter(options);
  interpreter.load_string(classification_recipe(classes_csv(dir), "", 3, "loss.cross_entropy()", 3,
                                                "train = train, validation = validation"),
                          "test.lua");
  const auto result = interpreter.run();
  CHECK(names(result.history[0]) == std::vector<std::string>{"loss", "accuracy", "val_loss", "val_accuracy"});
  // No test set: the matrix is the validation set's (15 rows).
  CHECK(result.confusion_split == "validation");
  CHECK(sum(result.confusion) == 15);
  CHECK_THAT(printed.str(), Catch::Contains("confusion matrix (validation, rows: true class, columns: predicted class)\n"
                                            "   0 1 2\n"));
}

TEST_CASE("Metrics: a regression run reports mse, mae and r2 on request, and no matrix", "[lua][recipe]") {
  const auto outcome = run_lua(regression_recipe("metrics = {'r2', 'mae', 'loss'},\n"));
  REQUIRE(outcome.message == "");
  CHECK(names(outcome.result.history[0]) == std::vector<std::string>{"loss", "r2", "mae", "val_loss", "val_r2", "val_mae"});
  CHECK(outcome.result.history.back()[4].second > 0.5);  // val_r2 of a nearly linear fit
  CHECK(outcome.result.confusion.empty());
}

TEST_CASE("Metrics: bce on a two-class data set with one output", "[lua][recipe]") {
  regimen::testing::TempDir dir;
  const auto outcome = run_lua(classification_recipe(classes_csv(dir, 2), "metrics = {'accuracy', 'recall'},\n", 2,
                                                     "loss.bce()", 1));
  REQUIRE(outcome.message == "");
  CHECK(names(outcome.result.test) == std::vector<std::string>{"test_loss", "test_accuracy", "test_recall"});
  REQUIRE(outcome.result.confusion.size() == 2);
  CHECK(sum(outcome.result.confusion) == 60);
}

TEST_CASE("Metrics: mistakes in the metrics list point at the recipe", "[lua][recipe]") {
  regimen::testing::TempDir dir;
  const std::string csv = classes_csv(dir);
  const auto classification = [&](const std::string& extra) { return error_of(classification_recipe(csv, extra)); };
  CHECK(classification("metrics = {'acuracy'},\n") ==
        "test.lua:4: recipe: metrics: 'acuracy' is not a metric this run can report (did you mean 'accuracy'?)");
  CHECK(classification("metrics = {'r2'},\n") ==
        "test.lua:4: recipe: metrics: 'r2' is not a metric this run can report (r2 needs a regression loss)");
  CHECK(classification("metrics = {'top_k_accuracy'},\n") ==
        "test.lua:4: recipe: metrics: 'top_k_accuracy' is not a metric this run can report (write k as a whole "
        "number >= 1, as in 'top_5_accuracy')");
  CHECK(classification("metrics = {'f1'}, early_stop = early_stop{monitor = 'val_accuracy'},\n") ==
        "test.lua:4: recipe: early_stop: monitor 'val_accuracy' is not a metric of this run; it has loss, f1, "
        "val_loss, val_f1");
  CHECK(classification("metrics = 'accuracy',\n") == "test.lua:4: recipe: 'metrics' must be a list of names, got string");
  CHECK(error_of(regression_recipe("metrics = {'f1'},\n")) ==
        "test.lua:3: recipe: metrics: 'f1' is not a metric this run can report (f1 needs a classification loss)");
  CHECK(error_of(classification_recipe(classes_csv(dir, 2), "metrics = {'top_3_accuracy'},\n", 2, "loss.bce()", 1)) ==
        "test.lua:4: recipe: metrics: 'top_3_accuracy' is not a metric this run can report (top_3_accuracy needs "
        "loss.cross_entropy)");
  CHECK(error_of(classification_recipe(csv, "", 3, "loss.bce()", 1)) ==
        "test.lua:4: recipe: loss.bce needs 0/1 targets, but the data has 3 classes (use loss.cross_entropy, or a "
        "2-class data set with 1 output)");
}
