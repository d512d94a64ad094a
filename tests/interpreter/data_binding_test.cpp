#include <catch2/catch.hpp>

#include "lua_test_support.hpp"
#include "support/run_command.hpp"

using Catch::Contains;
using regimen::testing::error_of;
using regimen::testing::eval;
using regimen::testing::run_lua;

namespace {

// three_blobs.csv: 2 features, 3 classes.
std::string blobs() { return "data.csv{path = '" + regimen::testing::source_path("recipes/data/three_blobs.csv") + "', classes = 3}"; }

std::string recipe_with(const std::string& data) {
  return "local ds = " + blobs() + "\nlocal train, validation = ds:split{validation = 0.2, seed = 1}\n" +
         "return recipe{data = " + data + ", model = nn.sequential{nn.linear(2, 3)}, loss = loss.cross_entropy(), " +
         "optimizer = optim.sgd{lr = 0.1}, epochs = 1}";
}

}  // namespace

TEST_CASE("Data binding: normalize fits on a dataset and tostring says so", "[interpreter]") {
  CHECK_THAT(eval(blobs() + ":normalize('standard')"), Contains("3 classes, normalized standard per feature)"));
  CHECK_THAT(eval(blobs() + ":normalize('minmax', {per = 'all'})"), Contains("normalized minmax per all"));
  // Another split gets the training statistics, not its own.
  CHECK_THAT(eval(blobs() + ":take(5):normalize(" + blobs() + ":normalize('standard'))"),
             Contains("5 samples, 2 features, 3 classes, normalized standard per feature"));
}

TEST_CASE("Data binding: normalize errors name the mistake", "[interpreter]") {
  CHECK(error_of("local d = " + blobs() + "\nlocal n = d:normalize('standrad')") ==
        "test.lua:2: dataset:normalize: unknown kind 'standrad' (did you mean 'standard'?)");
  CHECK(error_of("local d = " + blobs() + "\nlocal n = d:normalize('standard', {per = 'channel'})") ==
        "test.lua:2: dataset:normalize: per = \"channel\" needs images, and these samples are flat features");
  CHECK(error_of("local d = " + blobs() + "\nlocal n = d:normalize('standard', {per = 'feture'})") ==
        "test.lua:2: dataset:normalize: per must be \"feature\", \"channel\" or \"all\", got 'feture' (did you mean 'feature'?)");
  CHECK(error_of("local d = " + blobs() + "\nlocal n = d:normalize(d)") ==
        "test.lua:2: dataset:normalize: the dataset given is not normalized; normalize the training split first, as "
        "train:normalize(\"standard\")");
  CHECK(error_of("local d = " + blobs() + "\nlocal n = d:normalize('standard'):normalize('standard')") ==
        "test.lua:2: dataset:normalize: the dataset is already normalized (standard per feature)");
}

TEST_CASE("Data binding: split takes stratify", "[interpreter]") {
  CHECK(eval("select(2, " + blobs() + ":split{validation = 0.1, seed = 3, stratify = true}):size()") == "60");  // 20 of each class
  CHECK(error_of("local t, v = data.synthetic.linear{n = 10, w = 1}:split{validation = 0.5, stratify = true}") ==
        "test.lua:1: dataset:split: stratify needs class targets, and this dataset is a regression");
}

TEST_CASE("Data binding: a recipe's held-out data must carry the training split's statistics", "[interpreter]") {
  CHECK(run_lua(recipe_with("{train = train:normalize('standard'), validation = validation}")).message ==
        "test.lua:3: recipe: data.validation is not normalized with data.train's statistics: use validation:normalize(train), "
        "with train the normalized training split");
  CHECK(run_lua(recipe_with("{train = train:normalize('standard'), validation = validation:normalize('standard')}")).message ==
        "test.lua:3: recipe: data.validation is not normalized with data.train's statistics: use validation:normalize(train), "
        "with train the normalized training split");
  CHECK(run_lua(recipe_with("{train = train, test = validation:normalize('minmax')}")).message ==
        "test.lua:3: recipe: data.test is normalized but data.train is not: normalize the training split and apply its "
        "statistics with test:normalize(train)");
  CHECK(run_lua("local ds = " + blobs() + "\nlocal train, validation = ds:split{validation = 0.2, seed = 1}\n" +
                "train = train:normalize('standard')\nvalidation = validation:normalize(train)\n" +
                "return recipe{data = {train = train, validation = validation}, model = nn.sequential{nn.linear(2, 3)}, " +
                "loss = loss.cross_entropy(), optimizer = optim.sgd{lr = 0.1}, epochs = 1}")
            .exit_code == 0);
}
