#include "runtime/data/normalizer.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <numeric>

#include "runtime/error.hpp"

using Catch::Contains;
using Catch::WithinAbs;
using regimen::InvalidArgument;
using regimen::Matrix;
using regimen::data::Dataset;
using regimen::data::fit_normalizer;
using regimen::data::NormalizeKind;
using regimen::data::NormalizeOver;
using regimen::data::Table;

namespace {

Dataset from_rows(const std::vector<std::vector<float>>& rows, regimen::data::ImageShape image = {}) {
  auto table = std::make_shared<Table>();
  table->features.resize(static_cast<Eigen::Index>(rows.size()), static_cast<Eigen::Index>(rows[0].size()));
  table->targets = Matrix::Zero(static_cast<Eigen::Index>(rows.size()), 1);
  for (std::size_t i = 0; i < rows.size(); ++i)
    for (std::size_t j = 0; j < rows[i].size(); ++j) table->features(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) = rows[i][j];
  table->image = image;
  return Dataset(std::move(table));
}

Matrix all_of(const Dataset& ds) {
  std::vector<Eigen::Index> positions(static_cast<std::size_t>(ds.size()));
  std::iota(positions.begin(), positions.end(), Eigen::Index{0});
  Matrix x, y;
  ds.gather(positions, x, y);
  return x;
}

}  // namespace

TEST_CASE("Normalizer: standard per feature gives zero mean and unit population variance", "[data]") {
  // Column 0: 1, 2, 3, 6 -> mean 3, population variance (4 + 1 + 0 + 9) / 4 = 3.5.
  // Column 1 is constant: scale 1 (scikit-learn's StandardScaler), shifted by its mean.
  const Dataset ds = from_rows({{1, 5}, {2, 5}, {3, 5}, {6, 5}});
  const auto normalizer = fit_normalizer(ds, NormalizeKind::kStandard, NormalizeOver::kFeature);
  const Matrix x = all_of(ds.normalized(normalizer));
  const double sd = std::sqrt(3.5);
  CHECK_THAT(x(0, 0), WithinAbs((1 - 3) / sd, 1e-6));
  CHECK_THAT(x(3, 0), WithinAbs((6 - 3) / sd, 1e-6));
  CHECK(x(2, 1) == 0.0f);
  CHECK(normalizer->fitted_rows == 4);
  CHECK(normalizer->describe() == "standard per feature");
}

TEST_CASE("Normalizer: statistics come from the fitted dataset only, and apply unchanged to others", "[data]") {
  const Dataset train = from_rows({{0}, {10}});
  const Dataset other = from_rows({{20}, {5}});
  const auto normalizer = fit_normalizer(train, NormalizeKind::kMinMax, NormalizeOver::kFeature);
  const Matrix x = all_of(other.normalized(normalizer));
  CHECK(x(0, 0) == 2.0f);  // (20 - 0) / (10 - 0): outside [0, 1], as it must be for unseen data
  CHECK(x(1, 0) == 0.5f);
  // Views of a normalized dataset stay normalized.
  const auto [rest, held] = other.normalized(normalizer).split(0.5, 1);
  CHECK(rest.normalizer() == normalizer);
  CHECK(held.normalizer() == normalizer);
  CHECK(other.normalized(normalizer).take(1).normalizer() == normalizer);
}

TEST_CASE("Normalizer: per channel pools the pixels of each image plane, per all every feature", "[data]") {
  // Two 2-channel 1x2 images: channel 0 holds 0, 2, 4, 6 (mean 3, variance 5), channel 1 all 1.
  const Dataset ds = from_rows({{0, 2, 1, 1}, {4, 6, 1, 1}}, {2, 1, 2});
  const auto per_channel = fit_normalizer(ds, NormalizeKind::kStandard, NormalizeOver::kChannel);
  CHECK(per_channel->shift == std::vector<float>{3, 3, 1, 1});
  CHECK_THAT(per_channel->scale[1], WithinAbs(1 / std::sqrt(5.0), 1e-7));
  CHECK(per_channel->scale[2] == 1.0f);
  const auto all = fit_normalizer(ds, NormalizeKind::kMinMax, NormalizeOver::kAll);
  CHECK(all->shift == std::vector<float>(4, 0.0f));
  CHECK(all->scale == std::vector<float>(4, 1.0f / 6.0f));
}

TEST_CASE("Normalizer: byte images are normalized as they are gathered", "[data]") {
  auto table = std::make_shared<Table>();
  table->byte_features.resize(2, 2);
  table->byte_features << 0, 255, 51, 102;
  for (int b = 0; b < 256; ++b) table->byte_values[static_cast<std::size_t>(b)] = static_cast<float>(b) / 255.0f;
  table->targets = Matrix::Zero(2, 1);
  const Dataset ds{table};
  CHECK(ds.features() == 2);
  const Matrix raw = all_of(ds);
  CHECK(raw(0, 1) == 1.0f);
  CHECK(raw(1, 0) == 51.0f / 255.0f);
  const Matrix x = all_of(ds.normalized(fit_normalizer(ds, NormalizeKind::kMinMax, NormalizeOver::kFeature)));
  CHECK(x(1, 0) == 1.0f);
  CHECK(x(0, 1) == 1.0f);
  CHECK(x(1, 1) == 0.0f);
}

TEST_CASE("Normalizer: misuse is an error that says what to do", "[data]") {
  const Dataset ds = from_rows({{1, 2}, {3, 4}});
  const auto normalizer = fit_normalizer(ds, NormalizeKind::kStandard, NormalizeOver::kFeature);
  REQUIRE_THROWS_WITH(fit_normalizer(ds.normalized(normalizer), NormalizeKind::kStandard, NormalizeOver::kFeature),
                      Contains("the dataset is already normalized (standard per feature)"));
  REQUIRE_THROWS_WITH(fit_normalizer(ds, NormalizeKind::kStandard, NormalizeOver::kChannel),
                      Contains("per = \"channel\" needs images"));
  REQUIRE_THROWS_WITH(from_rows({{1}}).normalized(normalizer),
                      Contains("the normalizer was fitted on 2 features, but this dataset has 1"));
}
