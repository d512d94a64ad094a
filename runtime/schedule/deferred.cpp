#include "runtime/schedule/deferred.hpp"

#include <algorithm>

#include "runtime/error.hpp"
#include "runtime/schedule/feedback.hpp"

namespace regimen::schedule {
namespace {

// Depth first, children before their parent; `seen` keeps each node once (a schedule may be
// shared by two hyperparameters or appear twice in a product).
template <typename Visit>
void walk(const SchedulePtr& s, std::vector<const Schedule*>& seen, Visit&& visit) {
  if (!s || std::find(seen.begin(), seen.end(), s.get()) != seen.end()) return;
  seen.push_back(s.get());
  for (const SchedulePtr& child : s->children()) walk(child, seen, visit);
  visit(s);
}

}  // namespace

Deferred::Deferred(std::string description, std::string pending, std::vector<SchedulePtr> children, Build build)
    : description_(std::move(description)),
      pending_(std::move(pending)),
      children_(std::move(children)),
      build_(std::move(build)) {
  if (!build_) throw std::logic_error("Deferred: no factory");
}

double Deferred::operator()(double t) const {
  if (!built_) throw Unresolved(pending_);
  return (*built_)(t);
}

std::string Deferred::describe() const { return built_ ? built_->describe() : description_; }

void Deferred::collect_feedback(std::vector<std::shared_ptr<Feedback>>& out) const {
  if (built_) {
    built_->collect_feedback(out);
  } else {
    for (const SchedulePtr& child : children_) child->collect_feedback(out);
  }
}

std::vector<SchedulePtr> Deferred::children() const {
  std::vector<SchedulePtr> all = children_;
  if (built_) all.push_back(built_);
  return all;
}

void Deferred::resolve(const RunLength& run) const {
  SchedulePtr built = build_(run);
  if (!built) throw std::logic_error("Deferred: the factory built nothing");
  built_ = std::move(built);
}

std::vector<std::shared_ptr<const Deferred>> deferred_of(std::span<const SchedulePtr> schedules) {
  std::vector<std::shared_ptr<const Deferred>> found;
  std::vector<const Schedule*> seen;
  for (const SchedulePtr& s : schedules) {
    walk(s, seen, [&](const SchedulePtr& node) {
      if (auto d = std::dynamic_pointer_cast<const Deferred>(node)) found.push_back(std::move(d));
    });
  }
  return found;
}

void resolve_lengths(std::span<const SchedulePtr> schedules, const RunLength& run) {
  // A Deferred's children are walked before it, so each is built from resolved parts. A built
  // schedule may bring Deferreds of its own, so walk again until a walk finds nothing new.
  std::vector<const Deferred*> done;
  for (bool found = true; found;) {
    found = false;
    for (const auto& d : deferred_of(schedules)) {
      if (std::find(done.begin(), done.end(), d.get()) != done.end()) continue;
      d->resolve(run);
      done.push_back(d.get());
      found = true;
    }
  }
}

bool depends_on_run(const SchedulePtr& schedule) {
  bool depends = false;
  std::vector<const Schedule*> seen;
  walk(schedule, seen, [&](const SchedulePtr& node) { depends = depends || node->depends_on_run(); });
  return depends;
}

std::shared_ptr<const Deferred> first_unresolved(const SchedulePtr& schedule) {
  const SchedulePtr one[] = {schedule};
  for (auto& d : deferred_of(one))
    if (!d->resolved()) return d;
  return nullptr;
}

}  // namespace regimen::schedule
