// data.*: datasets from files or generators, and their views (split, take). Relative paths are
// resolved against the recipe's folder, so a recipe and its data move together.
#include <filesystem>
#include <string>
#include <vector>

#include "interpreter/bind/types.hpp"
#include "interpreter/context.hpp"
#include "interpreter/lua_error.hpp"
#include "interpreter/options.hpp"
#include "interpreter/suggest.hpp"
#include "interpreter/userdata.hpp"
#include "runtime/data/csv.hpp"
#include "runtime/data/fashion_mnist.hpp"
#include "runtime/data/idx.hpp"
#include "runtime/data/normalizer.hpp"
#include "runtime/data/synthetic.hpp"

namespace regimen::lua {

void push_dataset(lua_State* L, data::Dataset dataset) {
  push_object<DatasetBox>(L, kDatasetType, std::move(dataset));
}

namespace {

std::string resolve(const Context& context, const std::string& path) {
  const std::filesystem::path p(path);
  return p.is_absolute() ? path : (std::filesystem::path(context.recipe_dir) / p).string();
}

std::uint64_t default_seed(const Context& context) { return context.seed.value_or(0); }

template <typename Make>
int make_dataset(lua_State* L, const char* function, Make&& make) {
  data::Dataset built;
  guarded(L, function, [&] {
    built = make();
    return 0;
  });
  push_dataset(L, std::move(built));
  return 1;
}

int idx(lua_State* L) {
  Options options(L, 1, "data.idx", {"images", "labels"});
  const std::string images = resolve(context_of(L), options.required_string("images"));
  const std::string labels = resolve(context_of(L), options.required_string("labels"));
  return make_dataset(L, "data.idx", [&] { return data::read_idx(images, labels); });
}

int csv(lua_State* L) {
  Options options(L, 1, "data.csv", {"path", "target", "header", "classes"});
  const std::string path = resolve(context_of(L), options.required_string("path"));
  data::CsvOptions csv_options;
  if (options.push("target") == LUA_TNUMBER) {
    csv_options.target = std::to_string(lua_tointeger(L, -1) - 1);  // Lua counts columns from 1
    lua_pop(L, 1);
  } else {
    lua_pop(L, 1);
    csv_options.target = options.string("target", "");
  }
  csv_options.header = options.boolean("header", true);
  csv_options.classes = static_cast<int>(options.integer("classes", 0));
  return make_dataset(L, "data.csv", [&] { return data::read_csv(path, csv_options); });
}

int fashion_mnist(lua_State* L) {
  Options options(L, 1, "data.fashion_mnist", {"root"}, true);
  const std::string root = options.string("root", data::kFashionMnistRoot);
  data::FashionMnist loaded;
  guarded(L, "data.fashion_mnist", [&] {
    loaded = data::load_fashion_mnist(resolve(context_of(L), root));
    return 0;
  });
  lua_createtable(L, 0, 2);
  push_dataset(L, std::move(loaded.train));
  lua_setfield(L, -2, "train");
  push_dataset(L, std::move(loaded.test));
  lua_setfield(L, -2, "test");
  return 1;
}

int synthetic_linear(lua_State* L) {
  Options options(L, 1, "data.synthetic.linear", {"n", "w", "b", "noise", "seed"});
  const std::int64_t n = options.required_integer("n");
  std::vector<double> w;
  if (options.push("w") == LUA_TNUMBER) {
    w.push_back(lua_tonumber(L, -1));
    lua_pop(L, 1);
  } else {
    lua_pop(L, 1);
    auto list = options.numbers("w");
    if (!list) options.missing("w");
    w = std::move(*list);
  }
  const double b = options.number("b", 0.0);
  const double noise = options.number("noise", 0.0);
  const auto seed = static_cast<std::uint64_t>(options.integer("seed", static_cast<std::int64_t>(default_seed(context_of(L)))));
  return make_dataset(L, "data.synthetic.linear", [&] { return data::synthetic_linear(n, w, b, noise, seed); });
}

int split(lua_State* L) {
  const DatasetBox& dataset = check_object<DatasetBox>(L, 1, kDatasetType);
  Options options(L, 2, "dataset:split", {"validation", "seed", "stratify"});
  const double fraction = options.required_number("validation");
  const auto seed = static_cast<std::uint64_t>(options.integer("seed", static_cast<std::int64_t>(default_seed(context_of(L)))));
  const bool stratify = options.boolean("stratify", false);
  std::pair<data::Dataset, data::Dataset> parts;
  guarded(L, "dataset:split", [&] {
    parts = dataset.split(fraction, seed, stratify);
    return 0;
  });
  push_dataset(L, std::move(parts.first));
  push_dataset(L, std::move(parts.second));
  return 2;
}

// ds:normalize("standard" | "minmax"[, {per = "feature" | "channel" | "all"}]) fits on ds itself;
// ds:normalize(other) applies the statistics `other` was normalized with (the training split's).
int normalize(lua_State* L) {
  const DatasetBox& dataset = check_object<DatasetBox>(L, 1, kDatasetType);
  if (const auto* like = test_object<DatasetBox>(L, 2, kDatasetType)) {
    if (!like->normalizer()) {
      raise(L, "dataset:normalize: the dataset given is not normalized; normalize the training split first, "
               "as train:normalize(\"standard\")");
    }
    return make_dataset(L, "dataset:normalize", [&] { return dataset.normalized(like->normalizer()); });
  }
  const std::string kind_name = luaL_checkstring(L, 2);
  const auto kind = data::parse_normalize_kind(kind_name);
  const std::vector<std::string> kinds{"standard", "minmax"};
  if (!kind) raise(L, "dataset:normalize: unknown kind '" + kind_name + "'" + did_you_mean(kind_name, kinds));
  Options options(L, 3, "dataset:normalize", {"per"}, true);
  const std::string per = options.string("per", dataset.image_shape().empty() ? "feature" : "channel");
  const auto over = data::parse_normalize_over(per);
  const std::vector<std::string> groupings{"feature", "channel", "all"};
  if (!over) {
    raise(L, "dataset:normalize: per must be \"feature\", \"channel\" or \"all\", got '" + per + "'" +
                 did_you_mean(per, groupings));
  }
  return make_dataset(L, "dataset:normalize",
                      [&] { return dataset.normalized(data::fit_normalizer(dataset, *kind, *over)); });
}

int take(lua_State* L) {
  const DatasetBox& dataset = check_object<DatasetBox>(L, 1, kDatasetType);
  const lua_Integer n = luaL_checkinteger(L, 2);
  return make_dataset(L, "dataset:take", [&] { return dataset.take(n); });
}

int size(lua_State* L) {
  lua_pushinteger(L, check_object<DatasetBox>(L, 1, kDatasetType).size());
  return 1;
}

int features(lua_State* L) {
  lua_pushinteger(L, check_object<DatasetBox>(L, 1, kDatasetType).features());
  return 1;
}

int classes(lua_State* L) {
  lua_pushinteger(L, check_object<DatasetBox>(L, 1, kDatasetType).classes());
  return 1;
}

int to_string(lua_State* L) {
  const DatasetBox& d = check_object<DatasetBox>(L, 1, kDatasetType);
  const std::string normalized = d.normalizer() ? ", normalized " + d.normalizer()->describe() : "";
  lua_pushfstring(L, "dataset(%s: %d samples, %d features, %s%s)", d.source().c_str(), static_cast<int>(d.size()),
                  static_cast<int>(d.features()),
                  d.classes() > 0 ? (std::to_string(d.classes()) + " classes").c_str() : "regression",
                  normalized.c_str());
  return 1;
}

const luaL_Reg kFunctions[] = {{"idx", idx}, {"csv", csv}, {"fashion_mnist", fashion_mnist}, {nullptr, nullptr}};
const luaL_Reg kSynthetic[] = {{"linear", synthetic_linear}, {nullptr, nullptr}};
const luaL_Reg kMethods[] = {{"split", split},       {"take", take},       {"size", size}, {"normalize", normalize},
                             {"features", features}, {"classes", classes}, {nullptr, nullptr}};
const luaL_Reg kMeta[] = {{"__len", size}, {"__tostring", to_string}, {nullptr, nullptr}};

}  // namespace

int open_data(lua_State* L, Context& context) {
  define_type<DatasetBox>(L, kDatasetType, nullptr, kMeta);
  // Methods need the context (default seeds), so they get it as an upvalue like the functions.
  luaL_getmetatable(L, kDatasetType);
  luaL_newlibtable(L, kMethods);
  set_functions(L, context, kMethods);
  lua_setfield(L, -2, "__index");
  lua_pop(L, 1);

  luaL_newlibtable(L, kFunctions);
  set_functions(L, context, kFunctions);
  luaL_newlibtable(L, kSynthetic);
  set_functions(L, context, kSynthetic);
  lua_setfield(L, -2, "synthetic");
  return 1;
}

}  // namespace regimen::lua
