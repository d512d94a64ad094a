#include "runtime/regularize/clip_value.hpp"

#include <vector>

#include <catch2/catch.hpp>

#include "regularize_fixture.hpp"
#include "runtime/error.hpp"

using regimen::InvalidArgument;
using regimen::regularize::clip_grad_value;
using regimen::regularize::ClipValue;

TEST_CASE("ClipValue: clamps every element to [-v, v]", "[regularize]") {
  std::vector<float> g{-3.0f, -0.5f, 0.0f, 0.25f, 0.5f, 2.0f};
  clip_grad_value(g, 0.5);
  CHECK(g == std::vector<float>{-0.5f, -0.5f, 0.0f, 0.25f, 0.5f, 0.5f});
}

TEST_CASE("ClipValue: matches torch.nn.utils.clip_grad_value_", "[regularize]") {
  const auto fixture = regimen::test::load_regularize_fixture("clip_value");
  for (const auto& c : fixture.at("cases")) {
    const double v = c.at("v");
    INFO("v " << v);
    const ClipValue clip(v);
    const auto& grads = fixture.at("grads");
    for (std::size_t t = 0; t < grads.size(); ++t) {
      INFO("tensor " << t);
      std::vector<float> g = regimen::test::floats(grads[t]);
      clip.apply(g);
      // The bound is float(v); torch clamps the float64 copy at v itself.
      regimen::test::check_close(g, c.at("clipped")[t].get<std::vector<double>>(), 1e-7, 1e-9);
    }
  }
}

TEST_CASE("ClipValue: describes itself and rejects a bound that is not positive", "[regularize]") {
  CHECK(ClipValue(0.5).describe() == "value(0.5)");
  CHECK(ClipValue(2).v() == 2.0);
  CHECK_THROWS_MATCHES(ClipValue(0), InvalidArgument, Catch::Message("v must be > 0, got 0"));
  CHECK_THROWS_MATCHES(ClipValue(-0.5), InvalidArgument, Catch::Message("v must be > 0, got -0.5"));
}
