// The ziggurat's draws against the standard normal's closed forms.
#include "runtime/data/ziggurat.hpp"

#include <catch2/catch.hpp>
#include <cmath>

TEST_CASE("Ziggurat: draws have the standard normal's moments and tails", "[data]") {
  // N = 10^6 draws. Bounds are 5 standard deviations of each estimate, so a false failure has
  // odds below 1e-6: the mean's sd is 1/sqrt(N) = 0.001; the variance's sqrt(2/N) = 0.0014;
  // E[z^4] = 3 with sd sqrt((105 - 9)/N) = 0.0098; P(|z| < 1) = erf(1/sqrt 2) = 0.682689 with sd
  // 0.00047; beyond the base layer's r = 3.442619855899 (the tail algorithm's share)
  // P(|z| > r) = erfc(r/sqrt 2) = 5.76e-4, i.e. 576 of N with sd 24.
  regimen::Random rng(2024);
  const int n = 1000000;
  double sum = 0, squares = 0, fourth = 0;
  int within_one = 0, tail = 0;
  for (int i = 0; i < n; ++i) {
    const double z = regimen::data::ziggurat_normal(rng);
    sum += z;
    squares += z * z;
    fourth += z * z * z * z;
    within_one += std::abs(z) < 1.0;
    tail += std::abs(z) > 3.442619855899;
  }
  CHECK(std::abs(sum / n) < 0.005);
  CHECK(std::abs(squares / n - 1.0) < 0.0071);
  CHECK(std::abs(fourth / n - 3.0) < 0.049);
  CHECK(std::abs(static_cast<double>(within_one) / n - 0.682689) < 0.0024);
  CHECK(std::abs(tail - 576.1) < 120);
}

TEST_CASE("Ziggurat: a seed repeats its draws", "[data]") {
  regimen::Random a(7), b(7);
  for (int i = 0; i < 1000; ++i) CHECK(regimen::data::ziggurat_normal(a) == regimen::data::ziggurat_normal(b));
}
