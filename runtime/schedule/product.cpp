#include "runtime/schedule/product.hpp"

#include "runtime/error.hpp"

namespace regimen::schedule {
namespace {

class Product final : public Schedule {
 public:
  explicit Product(std::vector<SchedulePtr> factors) : factors_(std::move(factors)) {}

  double operator()(double t) const override {
    double value = 1.0;
    for (const SchedulePtr& f : factors_) value *= (*f)(t);
    return value;
  }

  std::string describe() const override {
    std::string text = "product(";
    for (std::size_t i = 0; i < factors_.size(); ++i) text += (i ? ", " : "") + factors_[i]->describe();
    return text + ")";
  }

  void collect_feedback(std::vector<std::shared_ptr<Feedback>>& out) const override {
    for (const SchedulePtr& f : factors_) f->collect_feedback(out);
  }

  std::vector<SchedulePtr> children() const override { return factors_; }

 private:
  std::vector<SchedulePtr> factors_;
};

}  // namespace

SchedulePtr product(std::vector<SchedulePtr> factors) {
  if (factors.empty()) throw InvalidArgument("product needs at least one schedule");
  for (const SchedulePtr& f : factors)
    if (!f) throw InvalidArgument("product: a schedule is missing");
  return std::make_shared<Product>(std::move(factors));
}

}  // namespace regimen::schedule
