#include "runtime/regularize/l1.hpp"

#include <memory>
#include <vector>

#include <catch2/catch.hpp>

#include "regularize_fixture.hpp"
#include "runtime/error.hpp"
#include "runtime/regularize/l1l2.hpp"
#include "runtime/regularize/l2.hpp"

using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;
using regimen::InvalidArgument;
using regimen::regularize::L1;
using regimen::regularize::L1L2;
using regimen::regularize::L2;
using regimen::regularize::Regularizer;

TEST_CASE("L1: penalty is c times the sum of absolute values", "[regularize]") {
  const L1 l1(0.01);
  const std::vector<float> w{1.0f, -2.0f, 0.5f, 0.0f};
  CHECK_THAT(l1.penalty(w), WithinRel(0.01 * 3.5, 1e-12));
  CHECK_THAT(l1.penalty(std::vector<float>{}), WithinAbs(0.0, 0.0));
}

TEST_CASE("L1: gradient c sign(w) is added, and is 0 at w = 0", "[regularize]") {
  const L1 l1(0.25);
  const std::vector<float> w{1.5f, -2.0f, 0.0f, -0.0f};
  std::vector<float> grad{0.1f, 0.1f, 0.1f, -0.1f};
  l1.add_gradient(w, grad);
  CHECK_THAT(grad[0], WithinRel(0.35, 1e-6));
  CHECK_THAT(grad[1], WithinAbs(-0.15, 1e-7));
  CHECK(grad[2] == 0.1f);
  CHECK(grad[3] == -0.1f);
}

TEST_CASE("L1: gradient matches central finite differences away from 0", "[regularize]") {
  const L1 l1(0.3);
  std::vector<float> w{0.7f, -1.25f, 2.0f, -0.125f};
  std::vector<float> grad(w.size(), 0.0f);
  l1.add_gradient(w, grad);
  for (std::size_t i = 0; i < w.size(); ++i) {
    const float h = 1.0f / 64;  // smaller than every |w|, so |w| is linear on [w - h, w + h]
    const float w0 = w[i];
    w[i] = w0 + h;
    const double up = l1.penalty(w);
    w[i] = w0 - h;
    const double down = l1.penalty(w);
    w[i] = w0;
    INFO("element " << i);
    CHECK_THAT(grad[i], WithinRel((up - down) / (2.0 * h), 1e-6));
  }
}

TEST_CASE("L1L2: is the sum of L1 and L2 with the same coefficients", "[regularize]") {
  const L1L2 both(0.03, 0.2);
  const std::vector<float> w{0.7f, -1.25f, 0.0f, 2.0f};
  CHECK_THAT(both.penalty(w), WithinRel(L1(0.03).penalty(w) + L2(0.2).penalty(w), 1e-12));
  std::vector<float> grad(w.size(), 0.5f);
  std::vector<float> separate(w.size(), 0.5f);
  both.add_gradient(w, grad);
  L1(0.03).add_gradient(w, separate);
  L2(0.2).add_gradient(w, separate);
  for (std::size_t i = 0; i < w.size(); ++i) CHECK_THAT(grad[i], WithinRel(static_cast<double>(separate[i]), 1e-6));
}

TEST_CASE("L1, L1L2: describe themselves", "[regularize]") {
  CHECK(L1(1e-5).describe() == "l1(1e-05)");
  CHECK(L1L2(1e-5, 1e-4).describe() == "l1l2(l1=1e-05, l2=0.0001)");
  CHECK(L1L2(0, 0.5).l2() == 0.5);
}

TEST_CASE("L1, L1L2: reject negative or non-finite coefficients and mismatched buffers", "[regularize]") {
  CHECK_THROWS_MATCHES(L1(-0.5), InvalidArgument, Catch::Message("c must be >= 0, got -0.5"));
  CHECK_THROWS_MATCHES(L1(std::nan("")), InvalidArgument, Catch::Message("c must be finite, got nan"));
  CHECK_THROWS_MATCHES(L1L2(-1, 0), InvalidArgument, Catch::Message("l1 must be >= 0, got -1"));
  CHECK_THROWS_MATCHES(L1L2(0, -2), InvalidArgument, Catch::Message("l2 must be >= 0, got -2"));
  const std::vector<float> w(3, 1.0f);
  std::vector<float> grad(4, 0.0f);
  CHECK_THROWS_MATCHES(L1(0.1).add_gradient(w, grad), InvalidArgument,
                       Catch::Message("grad has 4 elements but weights has 3"));
  CHECK_THROWS_MATCHES(L1L2(0.1, 0.1).add_gradient(w, grad), InvalidArgument,
                       Catch::Message("grad has 4 elements but weights has 3"));
}

TEST_CASE("Penalties: L1, L2, L1L2 values and gradients match torch autograd", "[regularize]") {
  const auto fixture = regimen::test::load_regularize_fixture("penalties");
  for (const auto& c : fixture.at("cases")) {
    const std::string kind = c.at("kind");
    const auto& options = c.at("options");
    INFO(kind << " " << options.dump());
    std::unique_ptr<Regularizer> r;
    if (kind == "l1") r = std::make_unique<L1>(options.at("c").get<double>());
    if (kind == "l2") r = std::make_unique<L2>(options.at("c").get<double>());
    if (kind == "l1l2") r = std::make_unique<L1L2>(options.at("l1").get<double>(), options.at("l2").get<double>());
    REQUIRE(r);
    const std::vector<float> w = regimen::test::floats(c.at("weights"));
    // Summed in double over exact float inputs: only the summation order differs from torch.
    const double expected = c.at("penalty");
    if (expected == 0.0) {
      CHECK(r->penalty(w) == 0.0);
    } else {
      CHECK_THAT(r->penalty(w), WithinRel(expected, 1e-12));
    }
    std::vector<float> grad(w.size(), 0.0f);
    r->add_gradient(w, grad);
    regimen::test::check_close(grad, c.at("grad").get<std::vector<double>>(), 1e-6, 1e-9);
  }
}
