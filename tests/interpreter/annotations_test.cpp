// The LuaLS annotation files (stdlib/types/*.lua) against a real interpreter: every DSL function
// and method the interpreter defines is declared there, and every declaration exists.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "lua_test_support.hpp"
#include "support/run_command.hpp"

namespace {

using regimen::testing::run_lua;
using regimen::testing::source_path;

const std::vector<std::string> kAnnotationFiles = {"regimen.lua", "schedule.lua", "optim.lua", "nn.lua", "data.lua"};

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string annotation_path(const std::string& file) { return source_path("stdlib/types/" + file); }

// "schedule.cosine", "data.synthetic.linear", "recipe" (a global function), "Dataset:split".
std::set<std::string> declared_functions() {
  const std::regex declaration(R"(^function ([A-Za-z_][A-Za-z0-9_.:]*)\()", std::regex::multiline);
  std::set<std::string> names;
  for (const auto& file : kAnnotationFiles) {
    const std::string text = read_text(annotation_path(file));
    for (std::sregex_iterator it(text.begin(), text.end(), declaration), end; it != end; ++it) names.insert((*it)[1]);
  }
  return names;
}

std::set<std::string> lines_of(const std::string& text) {
  std::set<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) lines.insert(line);
  return lines;
}

// One object of each annotated class that has methods, for their metatables.
const char* const kSamples = R"(
local samples = {
  Dataset = data.synthetic.linear{n = 4, w = 1},
  Schedule = schedule.constant{lr = 1},
  Model = nn.sequential{nn.linear(1, 1)},
  Tensor = tensor.zeros(2),
  Optimizer = optim.sgd{lr = 0.1},
  EarlyStop = early_stop{},
}
)";

// Every function the interpreter defines, named as the annotations name them. The modules come
// from require "regimen", so a module added later is enumerated too. Methods are enumerable
// where the type's __index is a table (Dataset, Schedule, Model); Tensor, Optimizer and
// EarlyStop dispatch through an __index function, so only the reverse check covers them.
std::set<std::string> interpreter_functions() {
  const std::string chunk = std::string(kSamples) + R"(
local found = {}
local function walk(prefix, t)
  for name, value in pairs(t) do
    if type(value) == "function" then found[#found + 1] = prefix .. "." .. name
    elseif type(value) == "table" then walk(prefix .. "." .. name, value) end
  end
end
for name, value in pairs(require "regimen") do
  if type(value) == "function" then found[#found + 1] = name
  elseif type(value) == "table" then walk(name, value) end
end
for class, object in pairs(samples) do
  local index = getmetatable(object).__index
  if type(index) == "table" then
    for name, value in pairs(index) do
      if type(value) == "function" then found[#found + 1] = class .. ":" .. name end
    end
  end
end
error(table.concat(found, "\n"), 0)
)";
  regimen::InterpreterOptions options;
  options.trusted = true;  // getmetatable() on the DSL's userdata
  return lines_of(run_lua(chunk, options).message);
}

}  // namespace

TEST_CASE("annotations: every annotation file is valid Lua", "[lua]") {
  regimen::InterpreterOptions options;
  options.trusted = true;  // loadfile
  for (const auto& file : kAnnotationFiles) {
    INFO(file);
    CHECK(run_lua("assert(loadfile('" + annotation_path(file) + "', 't'))", options).message == "");
  }
}

TEST_CASE("annotations: every DSL function and method the interpreter defines is declared", "[lua]") {
  const std::set<std::string> defined = interpreter_functions();
  const std::set<std::string> declared = declared_functions();
  // The enumeration itself must have reached every module and the enumerable methods.
  for (const char* name : {"schedule.cosine", "optim.adam", "nn.linear", "loss.mse", "reg.l2", "clip.norm",
                           "data.csv", "data.synthetic.linear", "tensor.from", "augment.image", "host.dataset",
                           "early_stop", "param", "recipe", "sweep", "Dataset:split", "Schedule:clamp", "Model:parameters"}) {
    INFO(name);
    CHECK(defined.count(name) == 1);
  }
  for (const auto& name : defined) {
    INFO("defined by the interpreter, missing from stdlib/types: function " << name << "(");
    CHECK(declared.count(name) == 1);
  }
}

TEST_CASE("annotations: every declared function and method exists in the interpreter", "[lua]") {
  std::string chunk = std::string(kSamples) + R"(
local missing = {}
local function lookup(name)
  local class, method = name:match("^(%w+):([%w_]+)$")
  if class then
    local object = samples[class]
    if object == nil then return "no sample object of class " .. class end
    local ok, value = pcall(function() return object[method] end)
    return ok and type(value) == "function" and "" or "not a method"
  end
  local value = _G
  for part in name:gmatch("[^.]+") do
    local ok, field = pcall(function() return value[part] end)
    if not ok or field == nil then return "not defined" end
    value = field
  end
  return type(value) == "function" and "" or "not a function"
end
for _, name in ipairs{
)";
  for (const auto& name : declared_functions()) {
    if (name.rfind("EpochContext:", 0) == 0 || name.rfind("StepContext:", 0) == 0) continue;  // a run's, below
    chunk += "  \"" + name + "\",\n";
  }
  chunk += R"(} do
  local problem = lookup(name)
  if problem ~= "" then missing[#missing + 1] = name .. ": " .. problem end
end
error(table.concat(missing, "\n"), 0)
)";
  regimen::InterpreterOptions options;
  options.trusted = true;
  const std::string missing = run_lua(chunk, options).message;
  CHECK(missing == "");
  // Methods reached only through an __index function are among those checked.
  CHECK(declared_functions().count("Tensor:shape") == 1);
  CHECK(declared_functions().count("Optimizer:step") == 1);
  CHECK(declared_functions().count("EarlyStop:observe") == 1);
}

TEST_CASE("annotations: RecipeSpec and SweepSpec declare every key recipe{} and sweep{} accept", "[lua]") {
  const std::string annotations = read_text(annotation_path("regimen.lua"));
  for (const auto& [module, spec_class] : {std::pair{"recipe", "RecipeSpec"}, std::pair{"sweep", "SweepSpec"}}) {
    INFO(module << " and " << spec_class);
    const std::string source = read_text(source_path(std::string("stdlib/regimen/") + module + ".lua"));
    const std::regex known_list(R"(local known = \{([^}]*)\})");
    std::smatch list;
    REQUIRE(std::regex_search(source, list, known_list));
    const std::string keys_text = list[1];
    const std::regex quoted("\"([a-z_]+)\"");
    std::set<std::string> known;
    for (std::sregex_iterator it(keys_text.begin(), keys_text.end(), quoted), end; it != end; ++it) known.insert((*it)[1]);
    REQUIRE(known.size() > 10);

    const auto start = annotations.find(std::string("---@class ") + spec_class + "\n");
    REQUIRE(start != std::string::npos);
    const auto stop = annotations.find("\n\n", start);
    const std::string spec = annotations.substr(start, stop - start);
    const std::regex field(R"(---@field ([a-z_]+)\??)");
    std::set<std::string> fields;
    for (std::sregex_iterator it(spec.begin(), spec.end(), field), end; it != end; ++it) fields.insert((*it)[1]);
    CHECK(fields == known);
  }
}

TEST_CASE("annotations: the hook contexts have the declared methods", "[lua]") {
  const std::set<std::string> declared = declared_functions();
  REQUIRE(declared.count("EpochContext:stop") == 1);
  REQUIRE(declared.count("StepContext:stop") == 1);
  const auto method_type = [](const std::string& hook) {
    return run_lua("return recipe{data = data.synthetic.linear{n = 4, w = 1}, model = nn.sequential{nn.linear(1, 1)},\n"
                   "  loss = loss.mse(), optimizer = optim.sgd{lr = 0.1},\n"
                   "  " + hook + " = function(ctx) error('stop is a ' .. type(ctx.stop), 0) end}")
        .message;
  };
  CHECK(method_type("on_step_end") == "stop is a function");
  CHECK(method_type("on_epoch_end") == "stop is a function");
  CHECK(method_type("on_train_end") == "stop is a function");
}

namespace {

// Each bound function's option names, from its `Options options(L, i, "name", {...})` line.
std::map<std::string, std::set<std::string>> bound_options() {
  const std::regex call(R"re(Options options\(L, \d+, "([a-z_.:0-9]+)",\s*\{([^}]*)\})re");
  const std::regex quoted("\"([A-Za-z_0-9]+)\"");
  std::map<std::string, std::set<std::string>> options;
  for (const auto& entry : std::filesystem::directory_iterator(source_path("interpreter/bind"))) {
    if (entry.path().extension() != ".cpp") continue;
    const std::string text = read_text(entry.path().string());
    for (std::sregex_iterator it(text.begin(), text.end(), call), end; it != end; ++it) {
      const std::string keys = (*it)[2];
      auto& names = options[(*it)[1]];
      for (std::sregex_iterator k(keys.begin(), keys.end(), quoted); k != end; ++k) names.insert((*k)[1]);
    }
  }
  return options;
}

// Every annotation file's text, in one string.
std::string all_annotations() {
  std::string text;
  for (const auto& file : kAnnotationFiles) text += read_text(annotation_path(file)) + "\n";
  return text;
}

// The fields of `---@class name` and of the classes it extends.
std::set<std::string> class_fields(const std::string& text, const std::string& name) {
  const std::regex header("\n---@class " + name + "(: ([A-Za-z]+))?\n");
  std::smatch found;
  if (!std::regex_search(text, found, header)) return {};
  std::set<std::string> fields = found[2].matched ? class_fields(text, found[2]) : std::set<std::string>{};
  const std::regex field(R"(^---@field ([A-Za-z_0-9]+)\??)");
  std::istringstream lines(text.substr(static_cast<std::size_t>(found.position(0) + found.length(0))));
  std::smatch match;
  for (std::string line; std::getline(lines, line) && line.rfind("---@field", 0) == 0;)
    if (std::regex_search(line, match, field)) fields.insert(match[1]);
  return fields;
}

// The doc block (the `---` lines) right above `function name(`.
std::string doc_block(const std::string& text, const std::string& name) {
  const auto at = text.find("\nfunction " + name + "(");
  if (at == std::string::npos) return "";
  auto start = at;
  while (start > 0) {
    const auto previous = text.rfind('\n', start - 1);
    if (previous == std::string::npos || text.compare(previous + 1, 3, "---") != 0) break;
    start = previous;
  }
  return text.substr(start, at - start);
}

}  // namespace

TEST_CASE("annotations: each options table declares the bound function's option names", "[lua]") {
  const std::string text = all_annotations();
  const auto bound = bound_options();
  REQUIRE(bound.size() > 40);
  for (const auto& [function, keys] : bound) {
    if (keys.empty()) continue;
    const std::set<std::string>& option_names = keys;  // a lambda cannot capture a structured binding in clang 14
    // "dataset:split" is declared as Dataset:split.
    std::string declared = function;
    if (declared.rfind("dataset:", 0) == 0) declared = "Dataset:" + declared.substr(8);
    INFO(function << " takes {" << [&] {
      std::string listed;
      for (const auto& key : option_names) listed += key + " ";
      return listed;
    }() << "}");
    const std::string block = doc_block(text, declared);
    REQUIRE(!block.empty());
    std::set<std::string> expected = keys;
    if (function.rfind("optim.", 0) == 0) expected.insert("groups");  // every optimizer, optim_groups.cpp
    std::smatch options_class;
    if (std::regex_search(block, options_class, std::regex(R"(---@param \w+\?? (\w+Options)\b)"))) {
      CHECK(class_fields(text, options_class[1]) == expected);
    } else {
      // An inline table type such as {by?: ScheduleBy}.
      for (const auto& key : expected) CHECK(block.find("{" + key + "?:") != std::string::npos);
    }
  }
}

TEST_CASE("annotations: StopRule declares every key a stop rule takes", "[lua]") {
  const std::string rules = read_text(source_path("interpreter/bind/stop_rules.cpp"));
  const std::regex lists(R"(k\w+Keys = \{([^}]*)\})");
  const std::regex quoted("\"([a-z_]+)\"");
  std::set<std::string> keys;
  for (std::sregex_iterator it(rules.begin(), rules.end(), lists), end; it != end; ++it) {
    const std::string list = (*it)[1];
    for (std::sregex_iterator k(list.begin(), list.end(), quoted); k != end; ++k) keys.insert((*k)[1]);
  }
  REQUIRE(keys.count("max_time") == 1);
  CHECK(class_fields(all_annotations(), "StopRule") == keys);
}
