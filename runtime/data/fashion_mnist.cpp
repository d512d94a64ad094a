#include "runtime/data/fashion_mnist.hpp"

#include <filesystem>

#include "runtime/data/idx.hpp"
#include "runtime/error.hpp"

namespace regimen::data {
namespace {

constexpr int kClasses = 10;

/// The path of one file under root, checked up front so the message can say how to get it.
std::string require_file(const std::string& root, const char* name) {
  const std::string path = (std::filesystem::path(root) / name).string();
  std::error_code error;
  if (!std::filesystem::exists(path, error)) {
    throw DataError(path +
                    ": Fashion-MNIST file not found (install it with `apt-get install "
                    "dataset-fashion-mnist`, or pass the directory holding the four IDX files)");
  }
  return path;
}

Dataset load_half(const std::string& images_path, const std::string& labels_path) {
  Dataset half = read_idx(images_path, labels_path);
  // A label file without a 9 would otherwise give a dataset with fewer classes than the model.
  if (half.classes() != kClasses) {
    throw DataError(labels_path + ": expected labels 0.." + std::to_string(kClasses - 1) +
                    " (Fashion-MNIST), found 0.." + std::to_string(half.classes() - 1));
  }
  return half;
}

}  // namespace

FashionMnist load_fashion_mnist(const std::string& root) {
  // All four are checked before any is read, so a missing test file fails fast.
  const std::string train_images = require_file(root, "train-images-idx3-ubyte.gz");
  const std::string train_labels = require_file(root, "train-labels-idx1-ubyte.gz");
  const std::string test_images = require_file(root, "t10k-images-idx3-ubyte.gz");
  const std::string test_labels = require_file(root, "t10k-labels-idx1-ubyte.gz");
  return {load_half(train_images, train_labels), load_half(test_images, test_labels)};
}

}  // namespace regimen::data
