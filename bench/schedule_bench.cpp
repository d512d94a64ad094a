// schedule_bench: what evaluating a schedule costs per optimizer step.
//
// The optimizer evaluates its learning rate (and every scheduled option) once per step through
// a SchedulePtr, so the cost that matters is one virtual call of a schedule at a fresh t. The
// bench times that for built-ins (a closed form, a combinator, a by = "epoch" schedule with
// lengths in epochs, resolved for a planned run) and for Lua function schedules (a protected
// call into Lua with t and ctx, on the schedule thread of a real Lua state set up as the
// interpreter sets it up):
//
//   schedule_bench [--calls N] [--reps N]
//
// Each repetition evaluates every schedule `calls` times at t = 0, 1, 2, ... (wrapping at the
// end of a 30-epoch run); the table shows
// the median ns per call over repetitions, and the best, against the targets of issue 4:
// < 50 ns for a built-in, < 1 us for a Lua function.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include <lua.hpp>

#include "interpreter/bind/lua_schedule.hpp"
#include "runtime/schedule/by_epoch.hpp"
#include "runtime/schedule/cosine.hpp"
#include "runtime/schedule/deferred.hpp"
#include "runtime/schedule/one_cycle.hpp"
#include "runtime/schedule/step.hpp"
#include "runtime/schedule/warmup.hpp"

namespace sched = regimen::schedule;

namespace {

struct Case {
  std::string name;
  sched::SchedulePtr schedule;
  double target_ns;
};

// The planned run: 469 steps per epoch (Fashion-MNIST, batch 128), 30 epochs.
constexpr long kSteps = 469 * 30;

// ns per call of `s` over t = 0, 1, ... (wrapping at the run's end, so every call falls inside
// the curve, not on a tail held constant); the sum keeps the calls from being optimized out.
double time_calls(const sched::Schedule& s, long calls, double& sink) {
  const auto start = std::chrono::steady_clock::now();
  double sum = 0.0;
  for (long i = 0; i < calls; ++i) sum += s(static_cast<double>(i % kSteps));
  const auto stop = std::chrono::steady_clock::now();
  sink += sum;
  return std::chrono::duration<double, std::nano>(stop - start).count() / static_cast<double>(calls);
}

struct LuaFunction {
  const char* source;
  sched::SchedulePtr made;
};

// Runs inside lua_pcall: make_lua_schedule may raise.
int make_function(lua_State* L) {
  auto* f = static_cast<LuaFunction*>(lua_touserdata(L, 1));
  if (luaL_loadstring(L, f->source) != LUA_OK) return lua_error(L);
  lua_call(L, 0, 1);
  f->made = regimen::lua::make_lua_schedule(L, -1, false);
  return 0;
}

sched::SchedulePtr lua_schedule(lua_State* L, const char* source) {
  LuaFunction f{source, nullptr};
  lua_pushcfunction(L, make_function);
  lua_pushlightuserdata(L, &f);
  if (lua_pcall(L, 1, 0, 0) != LUA_OK) {
    std::fprintf(stderr, "schedule_bench: %s\n", lua_tostring(L, -1));
    std::exit(1);
  }
  return f.made;
}

}  // namespace

int main(int argc, char** argv) {
  long calls = 2'000'000;
  int reps = 7;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--calls") == 0) calls = std::atol(argv[i + 1]);
    if (std::strcmp(argv[i], "--reps") == 0) reps = std::atoi(argv[i + 1]);
  }
  if (calls <= 0 || reps <= 0) {
    std::fprintf(stderr, "usage: schedule_bench [--calls N] [--reps N]\n");
    return 2;
  }

  const sched::RunLength run = sched::RunLength::uniform(469, 30);
  const auto by_epoch = std::make_shared<sched::Deferred>(
      "cosine(T_max='30 epochs', by=epoch)", "pending", std::vector<sched::SchedulePtr>{},
      [](const sched::RunLength& r) { return sched::by_epoch(sched::cosine(0.1, r.epochs()), r); });
  const sched::SchedulePtr resolved[] = {by_epoch};
  sched::resolve_lengths(resolved, run);

  lua_State* L = luaL_newstate();
  luaL_openlibs(L);
  regimen::lua::open_lua_schedules(L);
  regimen::lua::set_run_plan(L, run);

  std::vector<Case> cases{
      {"cosine (closed form)", sched::cosine(0.1, 14070), 50},
      {"step (closed form)", sched::step(0.1, 4690, 0.5), 50},
      {"one_cycle (closed form)", sched::one_cycle({.max_lr = 0.1, .total_steps = 14070}), 50},
      {"warmup into cosine (combinator)", sched::warmup(469, 0.0, sched::cosine(0.1, 13601)), 50},
      {"cosine by epoch, resolved", by_epoch, 50},
      {"lua: 0.1 * 0.5 ^ (t // 4690)", lua_schedule(L, "return function(t) return 0.1 * 0.5 ^ (t // 4690) end"),
       1000},
      {"lua: cosine of t and ctx.total_steps",
       lua_schedule(L, "return function(t, ctx) return 0.05 * (1 + math.cos(math.pi * t / ctx.total_steps)) end"),
       1000},
      {"lua: reads ctx.epoch and ctx.metrics",
       lua_schedule(L, "return function(t, ctx) local m = ctx.metrics.val_loss or 1\n"
                       "  return 0.1 * 0.9 ^ ctx.epoch * m end"),
       1000},
  };

  std::printf("schedule evaluation, ns per call (%ld calls x %d repetitions; median, best)\n", calls, reps);
  double sink = 0.0;
  bool all_ok = true;
  for (const Case& c : cases) {
    // Lua calls cost ~100x more: fewer of them keep every row to a similar time.
    const long n = c.target_ns > 100 ? std::max(1L, calls / 20) : calls;
    std::vector<double> ns;
    time_calls(*c.schedule, std::min(n, 10000L), sink);  // warm up
    for (int r = 0; r < reps; ++r) ns.push_back(time_calls(*c.schedule, n, sink));
    std::sort(ns.begin(), ns.end());
    const double median = ns[ns.size() / 2];
    const bool ok = median < c.target_ns;
    all_ok = all_ok && ok;
    std::printf("  %-40s %9.1f ns %9.1f ns   target < %4.0f ns  %s\n", c.name.c_str(), median, ns.front(),
                c.target_ns, ok ? "ok" : "MISSED");
  }
  std::printf("(checksum %.6g)\n", sink);
  cases.clear();  // the Lua schedules before their state
  lua_close(L);
  return all_ok ? 0 : 1;
}
