#include "interpreter/bind/timing.hpp"

#include <cmath>
#include <cstring>

#include "runtime/error.hpp"
#include "runtime/schedule/by_epoch.hpp"
#include "runtime/schedule/deferred.hpp"

namespace regimen::lua {
namespace {

// Checks the duration string at `index` inside a guard, so a bad one raises naming the option.
void check_duration(const Options& options, int index, const char* key) {
  lua_State* L = options.state();
  const char* text = lua_tostring(L, index);
  guarded(L, options.function(), [&] {
    schedule::Duration::parse(text, key);
    return 0;
  });
}

bool is_length(lua_State* L, int index) {
  return (lua_type(L, index) == LUA_TNUMBER && std::isfinite(lua_tonumber(L, index))) ||
         lua_type(L, index) == LUA_TSTRING;
}

Length read_length(lua_State* L, int index, const char* key) {
  if (lua_type(L, index) == LUA_TNUMBER) return lua_tonumber(L, index);
  return schedule::Duration::parse(lua_tostring(L, index), key);
}

// "5 epochs" needs the epoch length; "10%" and the whole run need the run's.
const char* what_it_needs(const schedule::Duration& d) {
  return d.unit() == schedule::Duration::Unit::percent ? "the run's length" : "the epoch length";
}

}  // namespace

LengthArg length_option(const Options& options, const char* key, bool required) {
  lua_State* L = options.state();
  const int type = options.push(key);
  if (type == LUA_TNIL) {
    lua_pop(L, 1);
    if (required) options.missing(key);
    return {key, LengthArg::Kind::absent, 0.0, 0};
  }
  if (type == LUA_TNUMBER) {
    const double value = lua_tonumber(L, -1);
    lua_pop(L, 1);
    if (!std::isfinite(value)) raise(L, std::string(options.function()) + ": option '" + key + "' must be finite");
    return {key, LengthArg::Kind::number, value, 0};
  }
  if (type != LUA_TSTRING) options.type_error(key, "number of steps or duration string");
  const int index = lua_gettop(L);  // left on the stack for the guard
  check_duration(options, index, key);
  return {key, LengthArg::Kind::text, 0.0, index};
}

LengthArg length_list(const Options& options, const char* key) {
  lua_State* L = options.state();
  const int type = options.push(key);
  if (type == LUA_TNIL) {
    lua_pop(L, 1);
    options.missing(key);
  }
  if (type != LUA_TTABLE) options.type_error(key, "list of numbers");
  const int index = lua_gettop(L);
  for (lua_Integer i = 1, n = static_cast<lua_Integer>(lua_rawlen(L, index)); i <= n; ++i) {
    lua_rawgeti(L, index, i);
    if (!is_length(L, -1)) {
      lua_pop(L, 1);
      raise(L, std::string(options.function()) + ": option '" + key + "' must be a list of numbers");
    }
    if (lua_type(L, -1) == LUA_TSTRING) check_duration(options, lua_gettop(L), key);
    lua_pop(L, 1);
  }
  return {key, LengthArg::Kind::list, 0.0, index};
}

bool by_epoch_option(const Options& options) {
  lua_State* L = options.state();
  const int type = options.push("by");
  if (type == LUA_TNIL) {
    lua_pop(L, 1);
    return false;
  }
  if (type != LUA_TSTRING) options.type_error("by", "string");
  const char* by = lua_tostring(L, -1);
  const bool epoch = std::strcmp(by, "epoch") == 0;
  if (!epoch && std::strcmp(by, "step") != 0) {
    char message[200];
    std::snprintf(message, sizeof message, "%s: by must be one of 'step', 'epoch', got '%.80s'", options.function(),
                  by);
    lua_pop(L, 1);
    raise(L, message);
  }
  lua_pop(L, 1);
  return epoch;
}

TimedSpec::TimedSpec(lua_State* L, std::initializer_list<LengthArg> args) {
  for (const LengthArg& a : args) {
    keys_.push_back(a.key);
    whole_run_.push_back(a.kind == LengthArg::Kind::whole_run);
    std::vector<Length> values;
    switch (a.kind) {
      case LengthArg::Kind::absent: break;
      case LengthArg::Kind::number: values.emplace_back(a.number); break;
      case LengthArg::Kind::text: values.push_back(read_length(L, a.index, a.key)); break;
      case LengthArg::Kind::whole_run: values.emplace_back(schedule::Duration::parse("100%")); break;
      case LengthArg::Kind::list:
        for (lua_Integer i = 1, n = static_cast<lua_Integer>(lua_rawlen(L, a.index)); i <= n; ++i) {
          lua_rawgeti(L, a.index, i);
          values.push_back(read_length(L, -1, a.key));
          lua_pop(L, 1);
        }
        break;
    }
    values_.push_back(std::move(values));
  }
}

bool TimedSpec::has_duration() const {
  for (const auto& values : values_)
    for (const Length& v : values)
      if (std::holds_alternative<schedule::Duration>(v)) return true;
  return false;
}

Lengths TimedSpec::plain() const {
  Lengths lengths;
  for (const auto& values : values_) {
    std::vector<double> numbers;
    for (const Length& v : values) numbers.push_back(std::get<double>(v));
    lengths.values_.push_back(std::move(numbers));
  }
  return lengths;
}

Lengths TimedSpec::resolved(const schedule::RunLength& run, bool by_epoch) const {
  Lengths lengths;
  for (const auto& values : values_) {
    std::vector<double> numbers;
    for (const Length& v : values) {
      numbers.push_back(std::holds_alternative<double>(v) ? std::get<double>(v)
                                                          : std::get<schedule::Duration>(v).in(run, by_epoch));
    }
    lengths.values_.push_back(std::move(numbers));
  }
  return lengths;
}

std::string TimedSpec::pending_reason() const {
  for (std::size_t i = 0; i < values_.size(); ++i) {
    if (whole_run_[i]) return std::string("without ") + keys_[i] + " it needs a recipe to know the run's length";
    for (const Length& v : values_[i]) {
      if (const auto* d = std::get_if<schedule::Duration>(&v))
        return std::string(keys_[i]) + " '" + d->text() + "' needs a recipe to know " + what_it_needs(*d);
    }
  }
  return "by = \"epoch\" needs a recipe to know the epoch length";
}

std::string TimedSpec::durations() const {
  std::string text;
  for (std::size_t i = 0; i < values_.size(); ++i) {
    if (whole_run_[i]) {
      text += (text.empty() ? "" : ", ") + std::string(keys_[i]) + "='100%'";
      continue;
    }
    for (const Length& v : values_[i]) {
      if (const auto* d = std::get_if<schedule::Duration>(&v))
        text += (text.empty() ? "" : ", ") + std::string(keys_[i]) + "='" + d->text() + "'";
    }
  }
  return text;
}

schedule::SchedulePtr build_timed(lua_State* L, const char* function, bool by_epoch, const TimedSpec& spec,
                                  TimedBuild build, std::vector<schedule::SchedulePtr> children) {
  if (!by_epoch && !spec.has_duration()) return build(spec.plain());
  // "schedule.cosine" -> "cosine(T_max='5 epochs', by=epoch; lengths from the recipe)".
  std::string name = function;
  if (name.rfind("schedule.", 0) == 0) name = name.substr(9);
  std::string shown = spec.durations();
  if (by_epoch) shown += (shown.empty() ? "" : ", ") + std::string("by=epoch");
  const std::string description = name + "(" + shown + "; lengths from the recipe)";
  const std::string pending = std::string(function) + ": " + spec.pending_reason();
  // Errors of the factory at resolution name the line that made the schedule.
  std::string origin = user_where(L) + function + ": ";
  auto deferred_build = [spec, build = std::move(build), by_epoch, origin](const schedule::RunLength& run) {
    try {
      schedule::SchedulePtr inner = build(spec.resolved(run, by_epoch));
      return by_epoch ? schedule::by_epoch(std::move(inner), run) : inner;
    } catch (const InvalidArgument& e) {
      throw CallbackError(origin + e.what());
    }
  };
  return std::make_shared<schedule::Deferred>(description, pending, std::move(children), std::move(deferred_build));
}

schedule::SchedulePtr by_epoch_deferred(const char* function, schedule::SchedulePtr inner) {
  const std::string description = "by_epoch(" + inner->describe() + ")";
  const std::string pending = std::string(function) + ": by = \"epoch\" needs a recipe to know the epoch length";
  std::vector<schedule::SchedulePtr> children{inner};
  return std::make_shared<schedule::Deferred>(
      description, pending, std::move(children),
      [inner](const schedule::RunLength& run) { return schedule::by_epoch(inner, run); });
}

}  // namespace regimen::lua
