#include "runtime/loss/accuracy.hpp"

#include <catch2/catch.hpp>

#include "runtime/error.hpp"

using Catch::Matchers::Message;
using regimen::InvalidArgument;
using regimen::Matrix;
using regimen::loss::argmax;
using regimen::loss::count_correct;

TEST_CASE("count_correct: counts rows whose argmax is the target", "[loss]") {
  Matrix z(4, 3);
  z << 0.1f, 0.7f, 0.2f,  // argmax 1
      2.0f, -1.0f, 0.0f,   // argmax 0
      0.0f, 0.0f, 5.0f,    // argmax 2
      1.0f, 1.0f, 0.0f;    // a tie: the first maximum, 0
  Matrix t(4, 1);
  t << 1, 0, 1, 0;
  CHECK(count_correct(z, t) == 3);
  CHECK(argmax(z, 3) == 0);
}

TEST_CASE("count_correct: rejects targets outside the classes", "[loss]") {
  Matrix t(2, 1);
  t << 0, 3;
  CHECK_THROWS_MATCHES(count_correct(Matrix::Zero(2, 3), t), InvalidArgument,
                       Message("accuracy: target in row 1 is 3, expected a class index in [0, 3)"));
}
