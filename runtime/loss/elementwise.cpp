#include "runtime/loss/elementwise.hpp"

#include <string>

#include "runtime/error.hpp"

namespace regimen::loss {
namespace {

std::string shape(const Matrix& m) { return std::to_string(m.rows()) + "x" + std::to_string(m.cols()); }

}  // namespace

void check_same_shape(const Matrix& prediction, const Matrix& target, std::string_view who) {
  const std::string name(who);
  if (prediction.rows() != target.rows() || prediction.cols() != target.cols()) {
    throw InvalidArgument(name + ": prediction is " + shape(prediction) + " but target is " + shape(target));
  }
  if (prediction.size() == 0) throw InvalidArgument(name + ": empty batch (" + shape(prediction) + ")");
}

}  // namespace regimen::loss
