#include "runtime/train/run_directory.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <ctime>
#include <filesystem>
#include <limits>
#include <memory>

#include "runtime/nn/batch_norm.hpp"
#include "runtime/nn/conv2d.hpp"
#include "runtime/nn/flatten.hpp"
#include "runtime/nn/linear.hpp"
#include "runtime/train/model_tensors.hpp"
#include "runtime/train/run_files.hpp"
#include "support/temp_dir.hpp"

using regimen::Matrix;
using regimen::train::Metrics;
using regimen::testing::TempDir;

namespace {

Metrics metrics(std::initializer_list<std::pair<const char*, double>> items) {
  Metrics m;
  for (const auto& [name, value] : items) m.set(name, value);
  return m;
}

const regimen::io::NamedTensor& tensor(const std::vector<regimen::io::NamedTensor>& tensors, const std::string& name) {
  for (const auto& t : tensors)
    if (t.name == name) return t;
  FAIL("no tensor " << name);
  throw std::logic_error("unreachable");
}

}  // namespace

TEST_CASE("Run files: metrics.csv has one column per metric and empty cells for missing ones", "[train]") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const std::vector<Metrics> epochs = {metrics({{"loss", 0.5}, {"lr", 0.1}}),
                                       metrics({{"loss", nan}, {"val_loss", 0.25}, {"lr", 0.05}}),
                                       metrics({{"loss", -std::numeric_limits<double>::infinity()}, {"a,\"b\"", 1}})};
  CHECK(regimen::train::metrics_csv(epochs) ==
        "epoch,loss,lr,val_loss,\"a,\"\"b\"\"\"\n"
        "0,0.5,0.10000000000000001,,\n"
        "1,nan,0.050000000000000003,0.25,\n"
        "2,-inf,,,1\n");
  CHECK(regimen::train::metrics_csv({}) == "epoch\n");
}

TEST_CASE("Run files: curves pair each metric with its val_ twin, loss first and lr last", "[train]") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const std::vector<Metrics> epochs = {
      metrics({{"lr", 0.1}, {"accuracy", 0.5}, {"loss", 1.0}, {"val_loss", 1.1}, {"val_accuracy", 0.4}}),
      metrics({{"lr", 0.1}, {"accuracy", 0.6}, {"loss", nan}, {"val_loss", 0.9}, {"val_accuracy", 0.5}})};
  const regimen::io::Chart chart = regimen::train::run_curves(epochs, "run");
  REQUIRE(chart.series.size() == 5);
  const char* const expected[][2] = {
      {"loss", "loss"}, {"val_loss", "loss"}, {"accuracy", "accuracy"}, {"val_accuracy", "accuracy"}, {"lr", "lr"}};
  for (std::size_t i = 0; i < 5; ++i) {
    CHECK(chart.series[i].name == expected[i][0]);
    CHECK(chart.series[i].panel == expected[i][1]);
  }
  CHECK(chart.series[0].x == std::vector<double>{0});  // the non-finite loss of epoch 1 is left out
  CHECK(chart.series[1].x == std::vector<double>{0, 1});
  CHECK(chart.series[1].y == std::vector<double>{1.1, 0.9});
  CHECK(chart.x_label == "epoch");
}

TEST_CASE("Run directory: default names carry the time and a suffix when taken", "[train]") {
  TempDir dir;
  const std::string root = (dir.path() / "runs").string();
  std::tm tm{};
  tm.tm_year = 2026 - 1900;
  tm.tm_mon = 10;
  tm.tm_mday = 29;
  tm.tm_hour = 9;
  tm.tm_min = 5;
  tm.tm_sec = 7;
  tm.tm_isdst = -1;
  const std::time_t now = std::mktime(&tm);  // local time, as the name is
  using regimen::train::create_unique_run_directory;
  CHECK(create_unique_run_directory(root, "mlp", now) == root + "/mlp-20261129-090507");
  CHECK(create_unique_run_directory(root, "mlp", now) == root + "/mlp-20261129-090507-2");
  CHECK(create_unique_run_directory(root, "mlp", now) == root + "/mlp-20261129-090507-3");
  CHECK(create_unique_run_directory(root, "a b/../c", now) == root + "/a_b_.._c-20261129-090507");
  CHECK(create_unique_run_directory(root, "", now) == root + "/run-20261129-090507");
  CHECK(std::filesystem::is_directory(root + "/mlp-20261129-090507-3"));
  const std::string file = dir.write("file", "x");
  CHECK_THROWS_WITH(create_unique_run_directory(file, "mlp", now),
                    Catch::StartsWith("cannot create run directory " + file + ": "));
}

TEST_CASE("Model tensors: a linear weight is exported as PyTorch's out x in", "[train]") {
  regimen::nn::Model model({{"", std::make_shared<regimen::nn::Linear>(3, 2)}});
  model.build(3, 1);
  auto& arena = model.arena();
  // Our W is in x out: W(i, o). Set W(i, o) = 10 i + o and b = (0.5, -0.5).
  auto w = arena.value(0);
  for (int i = 0; i < 3; ++i)
    for (int o = 0; o < 2; ++o) w(i, o) = static_cast<float>(10 * i + o);
  arena.value(1) << 0.5f, -0.5f;
  const auto tensors = regimen::train::export_tensors(model);
  const auto& weight = tensor(tensors, "fc1.weight");
  CHECK(weight.shape == std::vector<std::int64_t>{2, 3});
  // PyTorch's weight[o][i] = W(i, o), row-major: [0, 10, 20, 1, 11, 21].
  CHECK(weight.data == std::vector<float>{0, 10, 20, 1, 11, 21});
  CHECK(tensor(tensors, "fc1.bias").shape == std::vector<std::int64_t>{2});
  // nn.Linear's y = x weight^T + b agrees with our forward pass.
  Matrix x(1, 3);
  x << 1, 2, 3;
  const Matrix y = model.forward(x, regimen::nn::Mode::kEval);
  for (int o = 0; o < 2; ++o) {
    double expected = tensor(tensors, "fc1.bias").data[static_cast<std::size_t>(o)];
    for (int i = 0; i < 3; ++i) expected += weight.data[static_cast<std::size_t>(3 * o + i)] * x(0, i);
    CHECK(y(0, o) == Approx(expected));
  }
}

TEST_CASE("Model tensors: conv2d weights are C_out x C_in x k x k, batch norm keeps its running stats", "[train]") {
  regimen::nn::Model model({{"conv", std::make_shared<regimen::nn::Conv2d>(2, 3, 3)},
                            {"", std::make_shared<regimen::nn::Flatten>()},
                            {"bn", std::make_shared<regimen::nn::BatchNorm>(12)}});
  model.build(regimen::nn::Shape::image_of(2, 4, 4), 1);
  const auto tensors = regimen::train::export_tensors(model);
  CHECK(tensor(tensors, "conv.weight").shape == std::vector<std::int64_t>{3, 2, 3, 3});
  CHECK(tensor(tensors, "conv.weight").data.size() == 54);
  CHECK(tensor(tensors, "conv.bias").shape == std::vector<std::int64_t>{3});
  CHECK(tensor(tensors, "bn.weight").shape == std::vector<std::int64_t>{12});
  CHECK(tensor(tensors, "bn.running_var").shape == std::vector<std::int64_t>{12});
  CHECK(tensor(tensors, "bn.running_var").data == std::vector<float>(12, 1.0f));  // starts at 1
  CHECK(tensor(tensors, "bn.running_mean").data == std::vector<float>(12, 0.0f));
}
