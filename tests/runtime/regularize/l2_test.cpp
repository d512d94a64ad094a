#include "runtime/regularize/l2.hpp"

#include <vector>

#include <catch2/catch.hpp>

#include "runtime/error.hpp"

using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;
using regimen::InvalidArgument;
using regimen::regularize::L2;

TEST_CASE("L2: penalty is c times the sum of squares", "[regularize]") {
  const L2 l2(0.01);
  const std::vector<float> w{1.0f, -2.0f, 0.5f};
  CHECK_THAT(l2.penalty(w), WithinRel(0.01 * 5.25, 1e-12));
  CHECK_THAT(l2.penalty(std::vector<float>{}), WithinAbs(0.0, 0.0));
}

TEST_CASE("L2: gradient 2cw is added to the existing gradient", "[regularize]") {
  const L2 l2(0.01);
  const std::vector<float> w{1.0f, -2.0f, 0.5f};
  std::vector<float> grad{0.1f, 0.1f, 0.1f};
  l2.add_gradient(w, grad);
  CHECK_THAT(grad[0], WithinRel(0.1 + 0.02, 1e-6));
  CHECK_THAT(grad[1], WithinRel(0.1 - 0.04, 1e-6));
  CHECK_THAT(grad[2], WithinRel(0.1 + 0.01, 1e-6));
}

TEST_CASE("L2: gradient matches central finite differences of the penalty", "[regularize]") {
  const L2 l2(0.3);
  std::vector<float> w{0.7f, -1.25f, 2.0f, -0.125f};
  std::vector<float> grad(w.size(), 0.0f);
  l2.add_gradient(w, grad);
  for (std::size_t i = 0; i < w.size(); ++i) {
    // h is a power of two, so w +- h is exact in float and the quadratic's difference is exact.
    const float h = 1.0f / 64;
    const float w0 = w[i];
    w[i] = w0 + h;
    const double up = l2.penalty(w);
    w[i] = w0 - h;
    const double down = l2.penalty(w);
    w[i] = w0;
    INFO("element " << i);
    CHECK_THAT(grad[i], WithinRel((up - down) / (2.0 * h), 1e-6));
  }
}

TEST_CASE("L2: describes itself", "[regularize]") {
  CHECK(L2(0.0001).describe() == "l2(0.0001)");
  CHECK(L2(0).c() == 0.0);
}

TEST_CASE("L2: rejects a negative or non-finite c and mismatched buffers", "[regularize]") {
  CHECK_THROWS_MATCHES(L2(-1), InvalidArgument, Catch::Message("c must be >= 0, got -1"));
  CHECK_THROWS_MATCHES(L2(std::numeric_limits<double>::infinity()), InvalidArgument,
                       Catch::Message("c must be finite, got inf"));
  const std::vector<float> w(3, 1.0f);
  std::vector<float> grad(2, 0.0f);
  CHECK_THROWS_MATCHES(L2(0.1).add_gradient(w, grad), InvalidArgument,
                       Catch::Message("grad has 2 elements but weights has 3"));
}
