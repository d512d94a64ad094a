#pragma once
// Fashion-MNIST (Xiao, Rasul & Vollgraf, 2017): 28x28 grey-scale images of clothing in 10
// classes, 60000 for training and 10000 for testing, as four gzipped IDX files. Debian ships
// them in the package dataset-fashion-mnist.
#include <string>

#include "runtime/data/dataset.hpp"

namespace regimen::data {

/// Where Debian's dataset-fashion-mnist package puts the files.
inline constexpr const char* kFashionMnistRoot = "/usr/share/datasets/fashion-mnist";

/// The two halves of Fashion-MNIST.
struct FashionMnist {
  Dataset train;  ///< 60000 samples
  Dataset test;   ///< 10000 samples
};

/// Loads Fashion-MNIST from `root`: 784 features in [0, 1] per sample, 10 classes. Throws
/// DataError naming the missing path (and the package to install) when a file is absent.
FashionMnist load_fashion_mnist(const std::string& root = kFashionMnistRoot);

}  // namespace regimen::data
