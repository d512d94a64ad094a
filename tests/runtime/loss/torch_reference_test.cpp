// Every loss against PyTorch: tools/make_loss_fixtures.py evaluates torch.nn.functional's
// losses and their autograd gradients in float64 on the same float32 inputs.
#include <catch2/catch.hpp>

#include <memory>
#include <string>

#include "runtime/loss/bce.hpp"
#include "runtime/loss/cross_entropy.hpp"
#include "runtime/loss/huber.hpp"
#include "runtime/loss/loss_fixture.hpp"
#include "runtime/loss/mae.hpp"
#include "runtime/loss/mse.hpp"

using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;
using regimen::Index;
using regimen::Matrix;
namespace loss = regimen::loss;
namespace test = regimen::test;

namespace {

std::unique_ptr<loss::Loss> make(const std::string& kind, const nlohmann::json& options) {
  if (kind == "mse") return std::make_unique<loss::MeanSquaredError>();
  if (kind == "mae") return std::make_unique<loss::MeanAbsoluteError>();
  if (kind == "huber") return std::make_unique<loss::Huber>(options.at("delta").get<double>());
  if (kind == "bce") return std::make_unique<loss::BinaryCrossEntropy>();
  if (kind == "cross_entropy") return std::make_unique<loss::CrossEntropy>(options.at("label_smoothing").get<double>());
  FAIL("unknown loss " << kind);
  return nullptr;
}

}  // namespace

TEST_CASE("Losses: value and gradient match PyTorch", "[loss]") {
  const auto fixture = test::load_loss_fixture("losses");
  int checked = 0;
  for (const auto& c : fixture.at("cases")) {
    const std::string kind = c.at("kind");
    INFO(kind << " " << c.at("options").dump());
    const auto shape = c.at("shape").get<std::vector<Index>>();
    const auto target_shape = c.at("target_shape").get<std::vector<Index>>();
    const Matrix p = test::fixture_matrix(c.at("prediction"), shape[0], shape[1]);
    const Matrix t = test::fixture_matrix(c.at("target"), target_shape[0], target_shape[1]);
    const auto l = make(kind, c.at("options"));
    Matrix grad;
    // Both sides compute in double from identical inputs; only the summation order differs.
    CHECK_THAT(l->value_and_gradient(p, t, grad), WithinRel(c.at("value").get<double>(), 1e-12));
    const Matrix expected = test::fixture_matrix(c.at("grad"), shape[0], shape[1]);  // rounded to float
    for (Index i = 0; i < grad.size(); ++i) {
      INFO("gradient element " << i);
      CHECK_THAT(grad.data()[i], WithinRel(expected.data()[i], 1e-6f) || WithinAbs(expected.data()[i], 1e-9f));
    }
    ++checked;
  }
  CHECK(checked == 11);
}
