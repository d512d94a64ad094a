// GroupSelector: globs over "layer.param" names, layer types and ranks, all given ones required.
#include <catch2/catch.hpp>

#include "runtime/optim/parameter_group.hpp"

using regimen::ParameterInfo;
using regimen::optim::glob_match;
using regimen::optim::GroupSelector;

TEST_CASE("Parameter groups: glob_match follows shell globs over whole names", "[optim]") {
  CHECK(glob_match("*.bias", "fc1.bias"));
  CHECK(glob_match("*.bias", ".bias"));
  CHECK_FALSE(glob_match("*.bias", "fc1.bias2"));
  CHECK_FALSE(glob_match("*.bias", "fc1.weight"));
  CHECK(glob_match("fc1.*", "fc1.weight"));
  CHECK_FALSE(glob_match("fc1.*", "fc10"));
  CHECK(glob_match("fc?.weight", "fc2.weight"));
  CHECK_FALSE(glob_match("fc?.weight", "fc12.weight"));
  CHECK(glob_match("*", ""));
  CHECK(glob_match("*fc*bias*", "block.fc3.bias"));
  CHECK(glob_match("a*a*a", "aaaaa"));
  CHECK_FALSE(glob_match("a*a*a", "aa"));
  CHECK(glob_match("fc1.weight", "fc1.weight"));
  CHECK_FALSE(glob_match("", "x"));
}

TEST_CASE("Parameter groups: a selector needs every criterion it gives", "[optim]") {
  const ParameterInfo bias{"fc1.bias", "linear", 1, 4, 0, 1};
  const ParameterInfo weight{"fc1.weight", "linear", 3, 4, 16, 2};
  CHECK(GroupSelector{"*.bias", "", 0}.selects(bias));
  CHECK_FALSE(GroupSelector{"*.bias", "", 0}.selects(weight));
  CHECK(GroupSelector{"", "", 1}.selects(bias));
  CHECK_FALSE(GroupSelector{"", "", 1}.selects(weight));
  CHECK(GroupSelector{"", "linear", 0}.selects(weight));
  CHECK_FALSE(GroupSelector{"", "batch_norm", 0}.selects(weight));
  CHECK_FALSE(GroupSelector{"fc1.*", "", 1}.selects(weight));
  CHECK(GroupSelector{"fc1.*", "linear", 2}.selects(weight));
  CHECK(GroupSelector{"*.bias", "linear", 1}.describe() == "match = \"*.bias\", layer = \"linear\", ndim = 1");
}
