#pragma once
// Reads a DSL option table (`optim.adam{lr = 1e-3, betas = {0.9, 0.999}}`): rejects unknown
// keys with a suggestion, and type-checks each field as it is read. Errors blame the recipe line.
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include <lua.hpp>

namespace regimen::lua {

/// A checked view of the option table at a stack index.
class Options {
 public:
  /// Checks that the value at `index` is a table (or nil/absent, read as empty when
  /// `may_be_absent`) whose string keys are all in `known`; `function` names the caller in
  /// messages ("optim.adam"). Positional entries are allowed only when `positional` is true.
  Options(lua_State* L, int index, const char* function, std::initializer_list<const char*> known,
          bool may_be_absent = false, bool positional = false);

  /// True when the field is present (not nil).
  bool has(const char* key) const;
  /// A number field, or nullopt when absent.
  std::optional<double> number(const char* key) const;
  double number(const char* key, double fallback) const { return number(key).value_or(fallback); }
  double required_number(const char* key) const;
  /// An integral number field.
  std::optional<std::int64_t> integer(const char* key) const;
  std::int64_t integer(const char* key, std::int64_t fallback) const { return integer(key).value_or(fallback); }
  std::int64_t required_integer(const char* key) const;
  bool boolean(const char* key, bool fallback) const;
  std::optional<std::string> string(const char* key) const;
  std::string string(const char* key, const char* fallback) const { return string(key).value_or(fallback); }
  std::string required_string(const char* key) const;
  /// A list of numbers ({0.9, 0.999}).
  std::optional<std::vector<double>> numbers(const char* key) const;

  /// Pushes the raw field value (nil when absent) and returns its Lua type.
  int push(const char* key) const;
  /// Raises "<function>: bad option '<key>' (<expected> expected, got <type>)".
  [[noreturn]] void type_error(const char* key, const char* expected) const;
  /// Raises "<function>: option '<key>' is required".
  [[noreturn]] void missing(const char* key) const;

  lua_State* state() const { return L_; }
  int index() const { return index_; }
  const char* function() const { return function_; }

 private:
  lua_State* L_;
  int index_;  ///< absolute stack index, or 0 for an absent table
  const char* function_;
};

}  // namespace regimen::lua
