#include "runtime/regularize/max_norm.hpp"

#include <cmath>
#include <vector>

#include <catch2/catch.hpp>

#include "regularize_fixture.hpp"
#include "runtime/error.hpp"
#include "runtime/random.hpp"

using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;
using regimen::Index;
using regimen::InvalidArgument;
using regimen::Matrix;
using regimen::MatrixMap;
using regimen::regularize::MaxNorm;

TEST_CASE("MaxNorm: matches Keras' MaxNorm(axis=0) formula", "[regularize]") {
  const auto fixture = regimen::test::load_regularize_fixture("max_norm");
  const auto shape = fixture.at("shape").get<std::vector<Index>>();
  for (const auto& c : fixture.at("cases")) {
    INFO("c " << c.at("c").get<double>());
    std::vector<float> w = regimen::test::floats(fixture.at("weights"));
    MaxNorm(c.at("c").get<double>()).apply(MatrixMap(w.data(), shape[0], shape[1]));
    regimen::test::check_close(w, c.at("result").get<std::vector<double>>(), 1e-6, 1e-9);
  }
}

TEST_CASE("MaxNorm: bounds every column's norm, one column per output unit", "[regularize]") {
  // 3 x 150 (in x out): more columns than one block of the implementation, and a ragged last block.
  const Index in = 3;
  const Index out = 150;
  Matrix w(in, out);
  regimen::Random rng(7);
  for (Index i = 0; i < in; ++i)
    for (Index j = 0; j < out; ++j) w(i, j) = static_cast<float>(4.0 * rng.uniform() - 2.0);
  const Matrix before = w;
  const double c = 1.5;
  MaxNorm(c).apply(MatrixMap(w.data(), in, out));
  for (Index j = 0; j < out; ++j) {
    INFO("column " << j);
    const double norm_before = before.col(j).cast<double>().norm();
    const double norm_after = w.col(j).cast<double>().norm();
    CHECK(norm_after <= c * (1 + 1e-6));
    if (norm_before > c) {
      CHECK_THAT(norm_after, WithinRel(c, 1e-6));
    } else {
      CHECK_THAT(norm_after, WithinRel(norm_before, 1e-6));
    }
    // Only the length changes, never the direction.
    const double cosine = before.col(j).cast<double>().dot(w.col(j).cast<double>()) / (norm_before * norm_after);
    CHECK_THAT(cosine, WithinAbs(1.0, 1e-6));
  }
}

TEST_CASE("MaxNorm: describes itself and rejects a bound that is not positive", "[regularize]") {
  CHECK(MaxNorm(3).describe() == "max_norm(3)");
  CHECK(MaxNorm(2.5).c() == 2.5);
  CHECK_THROWS_MATCHES(MaxNorm(0), InvalidArgument, Catch::Message("c must be > 0, got 0"));
  CHECK_THROWS_MATCHES(MaxNorm(-3), InvalidArgument, Catch::Message("c must be > 0, got -3"));
}
