#include "runtime/regularize/clip_norm.hpp"

#include <cmath>
#include <vector>

#include <catch2/catch.hpp>

#include "regularize_fixture.hpp"
#include "runtime/error.hpp"

using Catch::Matchers::WithinRel;
using regimen::InvalidArgument;
using regimen::regularize::clip_grad_norm;
using regimen::regularize::ClipNorm;

namespace {

// The fixture's gradients laid out as in a parameter arena: each tensor starts on a multiple of
// 16 floats, with zero padding between them that must not change the norm.
struct FlatGrads {
  std::vector<float> buffer;
  std::vector<std::size_t> offsets;
};

FlatGrads flatten(const nlohmann::json& grads) {
  FlatGrads flat;
  for (const auto& g : grads) {
    flat.offsets.push_back(flat.buffer.size());
    const std::vector<float> values = regimen::test::floats(g);
    flat.buffer.insert(flat.buffer.end(), values.begin(), values.end());
    flat.buffer.resize((flat.buffer.size() + 15) / 16 * 16, 0.0f);
  }
  return flat;
}

}  // namespace

TEST_CASE("ClipNorm: scales by max / (norm + 1e-6) above the bound, leaves the gradient below", "[regularize]") {
  std::vector<float> g{3.0f, 4.0f};  // norm 5
  CHECK_THAT(clip_grad_norm(g, 1.0), WithinRel(5.0, 1e-15));
  const double coef = 1.0 / (5.0 + 1e-6);
  CHECK_THAT(g[0], WithinRel(3.0 * coef, 1e-7));
  CHECK_THAT(g[1], WithinRel(4.0 * coef, 1e-7));

  std::vector<float> small{0.3f, -0.4f};  // norm 0.5
  CHECK_THAT(clip_grad_norm(small, 1.0), WithinRel(0.5, 1e-7));
  CHECK(small == std::vector<float>{0.3f, -0.4f});

  std::vector<float> zero(4, 0.0f);
  CHECK(clip_grad_norm(zero, 1.0) == 0.0);
  CHECK(zero == std::vector<float>(4, 0.0f));
}

TEST_CASE("ClipNorm: matches torch.nn.utils.clip_grad_norm_ over several tensors", "[regularize]") {
  const auto fixture = regimen::test::load_regularize_fixture("clip_norm");
  for (const auto& c : fixture.at("cases")) {
    const double max = c.at("max");
    INFO("max " << max);
    FlatGrads flat = flatten(fixture.at("grads"));
    const ClipNorm clip(max);
    const double total = clip_grad_norm(flat.buffer, max);
    CHECK_THAT(total, WithinRel(c.at("total_norm").get<double>(), 1e-12));
    // Through the GradientClip face too, on a fresh copy: the same result.
    FlatGrads again = flatten(fixture.at("grads"));
    clip.apply(again.buffer);
    CHECK(again.buffer == flat.buffer);
    const auto& clipped = c.at("clipped");
    for (std::size_t t = 0; t < clipped.size(); ++t) {
      INFO("tensor " << t);
      const auto expected = clipped[t].get<std::vector<double>>();
      regimen::test::check_close(std::span<const float>(flat.buffer.data() + flat.offsets[t], expected.size()),
                                 expected, 1e-6, 1e-9);
    }
  }
}

TEST_CASE("ClipNorm: a norm equal to max is still scaled, by max / (max + 1e-6), as PyTorch does", "[regularize]") {
  const auto fixture = regimen::test::load_regularize_fixture("clip_norm");
  FlatGrads flat = flatten(fixture.at("grads"));
  const std::vector<float> before = flat.buffer;
  const double norm = clip_grad_norm(flat.buffer, 1e9);
  REQUIRE(flat.buffer == before);
  clip_grad_norm(flat.buffer, norm);
  const double coef = norm / (norm + 1e-6);
  for (std::size_t i = 0; i < before.size(); ++i) {
    INFO("element " << i);
    CHECK(flat.buffer[i] == static_cast<float>(coef) * before[i]);
  }
}

TEST_CASE("ClipNorm: describes itself and rejects a bound that is not positive", "[regularize]") {
  CHECK(ClipNorm(1.0).describe() == "norm(1)");
  CHECK(ClipNorm(0.25).max() == 0.25);
  CHECK_THROWS_MATCHES(ClipNorm(0), InvalidArgument, Catch::Message("max must be > 0, got 0"));
  CHECK_THROWS_MATCHES(ClipNorm(-1), InvalidArgument, Catch::Message("max must be > 0, got -1"));
  CHECK_THROWS_MATCHES(ClipNorm(INFINITY), InvalidArgument, Catch::Message("max must be finite, got inf"));
  std::vector<float> g{1.0f};
  CHECK_THROWS_MATCHES(clip_grad_norm(g, 0.0), InvalidArgument, Catch::Message("max must be > 0, got 0"));
}
