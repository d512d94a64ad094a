#pragma once
// Feature scaling fitted on one dataset (the training split) and applied, unchanged, to others,
// so no statistic of the validation or test data leaks into training — scikit-learn's
// fit-on-train / transform-everything rule. A normalizer is a per-feature affine map
//
//   x' = (x - shift) * scale
//
// applied as a batch is gathered, so the stored samples (bytes for images) stay as they are.
// Statistics pool over a feature, an image channel (torchvision's Normalize(mean, std) per
// channel) or all features, in double precision, two passes (mean, then squared deviations).
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "runtime/data/dataset.hpp"

namespace regimen::data {

/// What a normalizer maps to: zero mean and unit variance, or [0, 1].
enum class NormalizeKind { kStandard, kMinMax };
/// Which values share one statistic.
enum class NormalizeOver { kFeature, kChannel, kAll };

/// The fitted map and where it came from.
struct Normalizer {
  NormalizeKind kind = NormalizeKind::kStandard;
  NormalizeOver over = NormalizeOver::kFeature;
  std::vector<float> shift;  ///< per feature: the mean, or the minimum
  std::vector<float> scale;  ///< per feature: 1 / standard deviation, or 1 / (max - min); 1 when that is 0
  Index fitted_rows = 0;     ///< how many samples the statistics came from

  /// "standard per channel" or "minmax per feature".
  std::string describe() const;
};

/// Fits a normalizer on every sample of `dataset` (population standard deviation, as
/// scikit-learn's StandardScaler; a constant group gets scale 1). kChannel needs image samples.
/// Throws InvalidArgument for an empty or already normalized dataset, or kChannel without images.
std::shared_ptr<const Normalizer> fit_normalizer(const Dataset& dataset, NormalizeKind kind, NormalizeOver over);

/// Parses "standard" / "minmax" and "feature" / "channel" / "all"; nullopt for anything else.
std::optional<NormalizeKind> parse_normalize_kind(const std::string& name);
std::optional<NormalizeOver> parse_normalize_over(const std::string& name);

}  // namespace regimen::data
