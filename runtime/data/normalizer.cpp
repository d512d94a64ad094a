#include "runtime/data/normalizer.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <optional>

#include "runtime/error.hpp"

namespace regimen::data {
namespace {

constexpr Index kChunkRows = 1024;

// Which statistic feature j shares: its own, its channel's, or the one of all features.
std::vector<std::size_t> groups_of(const Dataset& dataset, NormalizeOver over, std::size_t& group_count) {
  const auto features = static_cast<std::size_t>(dataset.features());
  std::vector<std::size_t> group(features, 0);
  group_count = 1;
  if (over == NormalizeOver::kFeature) {
    std::iota(group.begin(), group.end(), std::size_t{0});
    group_count = features;
  } else if (over == NormalizeOver::kChannel) {
    const ImageShape image = dataset.image_shape();
    if (image.empty()) throw InvalidArgument("per = \"channel\" needs images, and these samples are flat features");
    const auto plane = static_cast<std::size_t>(image.height * image.width);
    for (std::size_t j = 0; j < features; ++j) group[j] = j / plane;
    group_count = static_cast<std::size_t>(image.channels);
  }
  return group;
}

// Calls visit(row) for every sample, gathered a chunk at a time into one reused matrix.
template <typename Visit>
void for_each_sample(const Dataset& dataset, Visit&& visit) {
  Matrix x, y;
  std::vector<Index> positions;
  for (Index start = 0; start < dataset.size(); start += kChunkRows) {
    positions.resize(static_cast<std::size_t>(std::min(kChunkRows, dataset.size() - start)));
    std::iota(positions.begin(), positions.end(), start);
    dataset.gather(positions, x, y);
    for (Index i = 0; i < x.rows(); ++i) visit(x.data() + i * x.cols());
  }
}

void fit_standard(const Dataset& dataset, const std::vector<std::size_t>& group, std::size_t groups, Normalizer& out) {
  const auto features = group.size();
  std::vector<double> sum(groups, 0.0), squares(groups, 0.0), count(groups, 0.0);
  for (std::size_t j = 0; j < features; ++j) count[group[j]] += static_cast<double>(dataset.size());
  for_each_sample(dataset, [&](const float* x) {
    for (std::size_t j = 0; j < features; ++j) sum[group[j]] += x[j];
  });
  std::vector<double> mean(groups);
  for (std::size_t g = 0; g < groups; ++g) mean[g] = sum[g] / count[g];
  for_each_sample(dataset, [&](const float* x) {
    for (std::size_t j = 0; j < features; ++j) {
      const double d = x[j] - mean[group[j]];
      squares[group[j]] += d * d;
    }
  });
  for (std::size_t j = 0; j < features; ++j) {
    const double deviation = std::sqrt(squares[group[j]] / count[group[j]]);
    out.shift[j] = static_cast<float>(mean[group[j]]);
    out.scale[j] = deviation > 0.0 ? static_cast<float>(1.0 / deviation) : 1.0f;
  }
}

void fit_min_max(const Dataset& dataset, const std::vector<std::size_t>& group, std::size_t groups, Normalizer& out) {
  const auto features = group.size();
  std::vector<float> low(groups, std::numeric_limits<float>::infinity());
  std::vector<float> high(groups, -std::numeric_limits<float>::infinity());
  for_each_sample(dataset, [&](const float* x) {
    for (std::size_t j = 0; j < features; ++j) {
      low[group[j]] = std::min(low[group[j]], x[j]);
      high[group[j]] = std::max(high[group[j]], x[j]);
    }
  });
  for (std::size_t j = 0; j < features; ++j) {
    const double range = static_cast<double>(high[group[j]]) - low[group[j]];
    out.shift[j] = low[group[j]];
    out.scale[j] = range > 0.0 ? static_cast<float>(1.0 / range) : 1.0f;
  }
}

}  // namespace

std::string Normalizer::describe() const {
  const char* over_name = over == NormalizeOver::kFeature ? "feature" : over == NormalizeOver::kChannel ? "channel" : "all";
  return std::string(kind == NormalizeKind::kStandard ? "standard" : "minmax") + " per " + over_name;
}

std::shared_ptr<const Normalizer> fit_normalizer(const Dataset& dataset, NormalizeKind kind, NormalizeOver over) {
  if (dataset.size() == 0) throw InvalidArgument("the dataset is empty");
  if (dataset.normalizer()) {
    throw InvalidArgument("the dataset is already normalized (" + dataset.normalizer()->describe() + ")");
  }
  std::size_t groups = 0;
  const std::vector<std::size_t> group = groups_of(dataset, over, groups);
  auto normalizer = std::make_shared<Normalizer>();
  normalizer->kind = kind;
  normalizer->over = over;
  normalizer->fitted_rows = dataset.size();
  normalizer->shift.assign(group.size(), 0.0f);
  normalizer->scale.assign(group.size(), 1.0f);
  if (kind == NormalizeKind::kStandard) {
    fit_standard(dataset, group, groups, *normalizer);
  } else {
    fit_min_max(dataset, group, groups, *normalizer);
  }
  return normalizer;
}

std::optional<NormalizeKind> parse_normalize_kind(const std::string& name) {
  if (name == "standard") return NormalizeKind::kStandard;
  if (name == "minmax") return NormalizeKind::kMinMax;
  return std::nullopt;
}

std::optional<NormalizeOver> parse_normalize_over(const std::string& name) {
  if (name == "feature") return NormalizeOver::kFeature;
  if (name == "channel") return NormalizeOver::kChannel;
  if (name == "all") return NormalizeOver::kAll;
  return std::nullopt;
}

}  // namespace regimen::data
