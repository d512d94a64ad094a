#include "interpreter/bind/lua_schedule.hpp"

#include <cmath>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "interpreter/lua_error.hpp"
#include "interpreter/suggest.hpp"
#include "interpreter/userdata.hpp"
#include "runtime/option_check.hpp"

namespace regimen::lua {
namespace {

constexpr const char* kHostType = "regimen.ScheduleHost";
constexpr const char* kContextType = "regimen.ScheduleContext";
// Registry keys: addresses, so that looking them up allocates nothing (and cannot raise).
const char kHostKey = 0;

// What the Lua schedules of one interpreter share. Owned by a userdata in the registry and by
// every LuaSchedule, so that a schedule outliving the state (held by C++ after lua_close)
// finds it closed instead of dangling.
struct Host {
  lua_State* thread = nullptr;  ///< where schedule functions run; anchored in the registry
  int ctx_ref = LUA_NOREF;      ///< the ctx userdata
  bool open = true;             ///< false once the state is closing
  train::Progress progress;
  std::optional<schedule::RunLength> plan;
  std::vector<int> released;  ///< function refs of destroyed schedules, unref'd at a safe point
};

using HostBox = std::shared_ptr<Host>;

Host* host_of(lua_State* L) {
  lua_rawgetp(L, LUA_REGISTRYINDEX, &kHostKey);
  auto* box = static_cast<HostBox*>(lua_touserdata(L, -1));
  lua_pop(L, 1);
  return box ? box->get() : nullptr;
}

// __gc of the host's box: the state is closing; schedules still held by C++ must not call in.
int close_host(lua_State* L) {
  if (auto* box = static_cast<HostBox*>(luaL_testudata(L, 1, kHostType))) {
    (*box)->open = false;
    (*box)->thread = nullptr;
    box->~HostBox();
    lua_pushnil(L);
    lua_setmetatable(L, 1);
  }
  return 0;
}

// A whole number as an integer, so that ctx.step prints as 12, not 12.0.
void push_count(lua_State* L, double value) {
  lua_Integer whole = 0;
  if (std::floor(value) == value && lua_numbertointeger(value, &whole)) {
    lua_pushinteger(L, whole);
  } else {
    lua_pushnumber(L, value);
  }
}

// ctx.<key>: reads the host's Progress; ctx.metrics is a table rebuilt when the metrics change
// (kept in the userdata's user value with the version it was built from).
int context_index(lua_State* L) {
  const HostBox& host = check_object<HostBox>(L, 1, kContextType);
  const char* key = luaL_checkstring(L, 2);
  const train::Progress& p = host->progress;
  const bool planned = p.steps_per_epoch > 0.0;
  if (std::strcmp(key, "epoch") == 0) {
    lua_pushinteger(L, p.epoch);
  } else if (std::strcmp(key, "step") == 0) {
    lua_pushinteger(L, static_cast<lua_Integer>(p.step));
  } else if (std::strcmp(key, "epochs") == 0) {
    if (planned) lua_pushinteger(L, p.epochs); else lua_pushnil(L);
  } else if (std::strcmp(key, "steps_per_epoch") == 0) {
    if (planned) push_count(L, p.steps_per_epoch); else lua_pushnil(L);
  } else if (std::strcmp(key, "total_steps") == 0) {
    if (planned) push_count(L, p.total_steps); else lua_pushnil(L);
  } else if (std::strcmp(key, "metrics") == 0) {
    lua_getiuservalue(L, 1, 1);  // {version, table} or nil
    if (lua_istable(L, -1)) {
      lua_rawgeti(L, -1, 1);
      const bool current = lua_tointeger(L, -1) == static_cast<lua_Integer>(p.metrics_version);
      lua_pop(L, 1);
      if (current) {
        lua_rawgeti(L, -1, 2);
        return 1;
      }
    }
    lua_createtable(L, 2, 0);
    lua_pushinteger(L, static_cast<lua_Integer>(p.metrics_version));
    lua_rawseti(L, -2, 1);
    lua_createtable(L, 0, static_cast<int>(p.metrics.items().size()));
    for (const auto& [name, value] : p.metrics.items()) {
      lua_pushnumber(L, value);
      lua_setfield(L, -2, name.c_str());
    }
    lua_pushvalue(L, -1);
    lua_rawseti(L, -3, 2);
    lua_pushvalue(L, -2);
    lua_setiuservalue(L, 1, 1);
  } else {
    const std::vector<std::string> known{"epoch", "step", "epochs", "steps_per_epoch", "total_steps", "metrics"};
    raise(L, std::string("ctx has no field '") + key + "'" + did_you_mean(key, known));
  }
  return 1;
}

int context_new_index(lua_State* L) { raise(L, "ctx is read-only"); }

int context_to_string(lua_State* L) {
  const HostBox& host = check_object<HostBox>(L, 1, kContextType);
  lua_pushfstring(L, "ctx(epoch=%d, step=%I)", host->progress.epoch, static_cast<lua_Integer>(host->progress.step));
  return 1;
}

// A Lua function as a schedule. Evaluation is a protected call on the host's thread; the
// function stays referenced from the registry until the schedule is destroyed.
class LuaSchedule final : public schedule::Schedule {
 public:
  LuaSchedule(std::shared_ptr<Host> host, int ref, std::string where, bool by_epoch)
      : host_(std::move(host)), ref_(ref), where_(std::move(where)), by_epoch_(by_epoch) {}

  // No Lua call here: the destructor may run inside a finalizer or after the state closed.
  ~LuaSchedule() override {
    try {
      if (host_->open) host_->released.push_back(ref_);
    } catch (...) {  // out of memory: the registry keeps one function too many
    }
  }

  double operator()(double t) const override {
    Host& host = *host_;
    if (!host.open) throw CallbackError(where_ + ": schedule function called after its interpreter closed");
    if (!host.progress.running) follow(host, t);
    lua_State* T = host.thread;
    if (!lua_checkstack(T, 4)) throw CallbackError(where_ + ": schedule function: Lua stack overflow");
    const int top = lua_gettop(T);
    lua_rawgeti(T, LUA_REGISTRYINDEX, ref_);
    push_count(T, t);  // a whole step as an integer: 12, not 12.0
    lua_rawgeti(T, LUA_REGISTRYINDEX, host.ctx_ref);
    if (lua_pcall(T, 2, 1, 0) != LUA_OK) {
      std::string message = lua_type(T, -1) == LUA_TSTRING
                                ? lua_tostring(T, -1)
                                : where_ + ": schedule function raised a " + luaL_typename(T, -1) + " value";
      lua_settop(T, top);
      throw CallbackError(message);
    }
    const int type = lua_type(T, -1);
    const double value = lua_tonumber(T, -1);
    const char* type_name = lua_typename(T, type);  // static strings
    lua_settop(T, top);
    if (type != LUA_TNUMBER) fail(type == LUA_TNIL ? "nil" : std::string("a ") + type_name, t);
    if (!std::isfinite(value)) fail(std::isnan(value) ? "nan" : format_number(value), t);  // not "-nan"
    return value;
  }

  std::string describe() const override { return "lambda(" + where_ + ")"; }
  bool depends_on_run() const override { return true; }

 private:
  [[noreturn]] void fail(const std::string& returned, double t) const {
    throw CallbackError(where_ + ": schedule function returned " + returned + (by_epoch_ ? " at epoch " : " at step ") +
                        format_number(t));
  }

  // Outside a run, ctx follows the counter: step t (or the first step of epoch t).
  void follow(Host& host, double t) const {
    train::Progress& p = host.progress;
    if (by_epoch_) {
      p.epoch = static_cast<int>(t);
      p.step = host.plan ? static_cast<std::int64_t>(host.plan->steps_at_epoch(t)) : 0;
    } else {
      p.step = static_cast<std::int64_t>(t);
      p.epoch = host.plan ? static_cast<int>(host.plan->epoch_at(t)) : 0;
    }
  }

  std::shared_ptr<Host> host_;
  int ref_;
  std::string where_;
  bool by_epoch_;
};

}  // namespace

void open_lua_schedules(lua_State* L) {
  auto* box = static_cast<HostBox*>(lua_newuserdatauv(L, sizeof(HostBox), 0));
  new (box) HostBox(std::make_shared<Host>());
  if (luaL_newmetatable(L, kHostType)) {
    lua_pushcfunction(L, close_host);
    lua_setfield(L, -2, "__gc");
  }
  lua_setmetatable(L, -2);
  Host& host = **box;
  lua_rawsetp(L, LUA_REGISTRYINDEX, &kHostKey);

  host.thread = lua_newthread(L);
  luaL_ref(L, LUA_REGISTRYINDEX);  // anchors the thread for the state's life

  static const luaL_Reg kContextMeta[] = {{"__index", context_index},
                                          {"__newindex", context_new_index},
                                          {"__tostring", context_to_string},
                                          {nullptr, nullptr}};
  define_type<HostBox>(L, kContextType, nullptr, kContextMeta);
  push_object<HostBox>(L, kContextType, *box);
  host.ctx_ref = luaL_ref(L, LUA_REGISTRYINDEX);
}

schedule::SchedulePtr make_lua_schedule(lua_State* L, int index, bool by_epoch) {
  index = lua_absindex(L, index);
  luaL_checktype(L, index, LUA_TFUNCTION);
  Host* host = host_of(L);
  if (!host) raise(L, "schedule functions are not available in this state");
  for (int ref : host->released) luaL_unref(L, LUA_REGISTRYINDEX, ref);
  host->released.clear();
  lua_pushvalue(L, index);
  const int ref = luaL_ref(L, LUA_REGISTRYINDEX);
  schedule::SchedulePtr made;
  guarded(L, "schedule", [&] {
    // A Lua function is named by the line that defines it; a C function by the line passing it.
    lua_Debug ar;
    lua_pushvalue(L, index);
    lua_getinfo(L, ">S", &ar);
    std::string where = ar.linedefined > 0 ? std::string(ar.short_src) + ":" + std::to_string(ar.linedefined) : "";
    if (where.empty()) {
      where = user_where(L);
      if (where.size() >= 2) where.resize(where.size() - 2);  // drop ": "
    }
    lua_rawgetp(L, LUA_REGISTRYINDEX, &kHostKey);
    HostBox shared = *static_cast<HostBox*>(lua_touserdata(L, -1));
    lua_pop(L, 1);
    made = std::make_shared<LuaSchedule>(std::move(shared), ref, std::move(where), by_epoch);
    return 0;
  });
  return made;
}

train::Progress& run_progress(lua_State* L) {
  static train::Progress detached;  // only if the schedule module was never opened
  Host* host = host_of(L);
  return host ? host->progress : detached;
}

void set_run_plan(lua_State* L, const schedule::RunLength& run) {
  Host* host = host_of(L);
  if (!host) return;
  host->plan = run;
  host->progress.epochs = run.epochs();
  host->progress.steps_per_epoch = run.steps_per_epoch();
  host->progress.total_steps = run.total_steps();
}

}  // namespace regimen::lua
