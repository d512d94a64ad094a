// ListStepper: a list of tensors stepped as one flat buffer, in place, float32 or float64.
#include <vector>

#include <catch2/catch.hpp>

#include "runtime/dense_tensor.hpp"
#include "runtime/error.hpp"
#include "runtime/optim/adam.hpp"
#include "runtime/optim/list_stepper.hpp"
#include "runtime/optim/sgd.hpp"
#include "runtime/schedule/constant.hpp"

using regimen::DenseTensor;
using regimen::DType;
using regimen::InvalidArgument;
using regimen::optim::ListStepper;
using regimen::optim::Sgd;
using regimen::schedule::constant;

TEST_CASE("ListStepper: steps each tensor of a list as its part of one flat buffer", "[optim]") {
  // SGD, lr 0.5: p - 0.5 g element by element, whichever tensor an element sits in.
  Sgd sgd(constant(0.5));
  ListStepper stepper;
  DenseTensor a = DenseTensor::vector(2, DType::float64), b = DenseTensor::matrix(2, 1, DType::float64);
  DenseTensor ga = DenseTensor::vector(2, DType::float64), gb = DenseTensor::matrix(2, 1, DType::float64);
  for (int i = 0; i < 2; ++i) {
    a.set(i, 1.0 + i);
    b.set(i, -1.0 - i);
    ga.set(i, 2.0);
    gb.set(i, 4.0);
  }
  std::vector<DenseTensor*> params{&a, &b};
  std::vector<const DenseTensor*> grads{&ga, &gb};
  stepper.step(sgd, params, grads);
  CHECK(a.get(0) == 0.0);
  CHECK(a.get(1) == 1.0);
  CHECK(b.get(0) == -3.0);
  CHECK(b.get(1) == -4.0);
  CHECK(stepper.laid_out());
}

TEST_CASE("ListStepper: a tensor that is its own gradient is stepped through a copy", "[optim]") {
  // The kernels assume params and grads do not overlap; p - 0.5 p = 0.5 p.
  Sgd sgd(constant(0.5));
  ListStepper stepper;
  DenseTensor p = DenseTensor::vector(3, DType::float32);
  for (int i = 0; i < 3; ++i) p.set(i, 2.0 * (i + 1));
  std::vector<DenseTensor*> params{&p};
  std::vector<const DenseTensor*> grads{&p};
  stepper.step(sgd, params, grads);
  CHECK(p.get(0) == 1.0);
  CHECK(p.get(2) == 3.0);
}

TEST_CASE("ListStepper: a refused step changes neither the tensors nor the optimizer", "[optim]") {
  regimen::optim::Adam adam(constant(0.1));
  ListStepper stepper;
  DenseTensor p = DenseTensor::vector(2, DType::float32), g = DenseTensor::vector(3, DType::float32);
  p.set(0, 1.0);
  std::vector<DenseTensor*> params{&p};
  std::vector<const DenseTensor*> grads{&g};
  CHECK_THROWS_MATCHES(stepper.step(adam, params, grads), InvalidArgument,
                       Catch::Message("grads[1] has shape {3} but params[1] has {2}"));
  CHECK(p.get(0) == 1.0);
  CHECK(adam.steps() == 0);
  CHECK_FALSE(stepper.laid_out());
}
