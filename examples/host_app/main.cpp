// A host application with its own data and its own model: height measurements of a tossed ball,
// made here the way a noisy sensor would make them, and the ball's physics with three unknown
// parameters. It lends both to Regimen without copying, exposes a function to the recipe, runs
// fit.lua (the training policy lives there, editable without a rebuild) and checks the fitted
// physics against the values that generated the data.
// Usage: host_app [RECIPE [name=value ...]], the settings as `regimen run --set`.
// Exit code: 0 for a good fit, 1 for a poor one, 2 for a recipe mistake (regimen::Error).
#include <regimen/regimen.hpp>

#include <cmath>
#include <cstdio>
#include <iostream>
#include <limits>
#include <optional>
#include <random>
#include <span>
#include <string>
#include <vector>

namespace {

// The ball: h(t) = h0 + v0*t - (g/2)*t^2, sampled at t uniform in [0, T] with sensor noise sigma.
constexpr double kH0 = 1.5;    // m
constexpr double kV0 = 6.0;    // m/s
constexpr double kG = 9.81;    // m/s^2
constexpr double kDuration = 1.2;  // s
constexpr double kNoise = 0.02;    // m, standard deviation
constexpr int kSamples = 2000;

// How close a good fit gets. Least squares on n samples with t uniform in [0, T]: for the
// features (1, t/T, (t/T)^2), n * (X^T X)^-1 tends to the inverse of the 3x3 Hilbert matrix,
// whose diagonal is (9, 192, 180). So sd(h0) = sigma*sqrt(9/n), sd(v0) = sigma*sqrt(192/n)/T and
// sd(g) = 2*sigma*sqrt(180/n)/T^2; with the recipe's n = 1600 training samples: 0.0015 m,
// 0.0058 m/s and 0.0093 m/s^2. The bounds are about 6 of those, so only an optimizer that has
// not converged (or a wrong model) fails them.
constexpr double kToleranceH0 = 0.01;
constexpr double kToleranceV0 = 0.035;
constexpr double kToleranceG = 0.06;
// The validation MSE of the true curve is sigma^2 on average; over 400 validation samples its
// relative standard deviation is sqrt(2/400) = 7%, so a best val_loss above 1.3 sigma^2 is a
// poor fit, not bad luck.
constexpr double kMaxValLoss = 1.3 * kNoise * kNoise;

// The time of each sample (one feature) and the measured heights: the buffers the recipe trains on.
struct Measurements {
  std::vector<float> features;
  std::vector<float> heights;
};

Measurements measure(std::uint64_t seed) {
  std::mt19937_64 random(seed);
  std::uniform_real_distribution<double> time(0.0, kDuration);
  std::normal_distribution<double> noise(0.0, kNoise);
  Measurements m;
  for (int i = 0; i < kSamples; ++i) {
    const double t = time(random);
    m.features.push_back(static_cast<float>(t));
    m.heights.push_back(static_cast<float>(kH0 + kV0 * t - 0.5 * kG * t * t + noise(random)));
  }
  return m;
}

// The host's model: h(t) = h0 + v0 t - (g/2) t^2, its parameters and their gradients in the
// host's memory, starting from a rough guess. Its loss, the mean squared error over a batch,
// with the gradient written out (r = h(t) - measured):
//   dL/dh0 = mean 2r,   dL/dv0 = mean 2r t,   dL/dg = mean 2r (-t^2 / 2) = -mean r t^2.
struct Ball {
  std::vector<float> h0{1.0f}, v0{5.0f}, g{9.0f};
  std::vector<float> d_h0{0.0f}, d_v0{0.0f}, d_g{0.0f};

  double loss_and_gradient(const regimen::HostBatch& batch) {
    double loss = 0.0, gh0 = 0.0, gv0 = 0.0, gg = 0.0;
    for (std::int64_t i = 0; i < batch.rows; ++i) {
      const double t = batch.features[static_cast<std::size_t>(i)];
      const double r = h0[0] + v0[0] * t - 0.5 * g[0] * t * t - batch.targets[static_cast<std::size_t>(i)];
      loss += r * r;
      gh0 += 2.0 * r;
      gv0 += 2.0 * r * t;
      gg -= r * t * t;
    }
    const double n = static_cast<double>(batch.rows);
    d_h0[0] = static_cast<float>(gh0 / n);
    d_v0[0] = static_cast<float>(gv0 / n);
    d_g[0] = static_cast<float>(gg / n);
    return loss / n;
  }

  regimen::HostModel model() {
    return {{{"h0", h0, d_h0}, {"v0", v0, d_v0}, {"g", g, d_g}},
            [this](const regimen::HostBatch& batch) { return loss_and_gradient(batch); }};
  }
};

std::optional<double> metric(const std::vector<regimen::MetricValue>& epoch, const std::string& name) {
  for (const auto& [key, value] : epoch) {
    if (key == name) return value;
  }
  return std::nullopt;
}

bool within(const char* name, double fitted, double truth, double tolerance) {
  const bool ok = std::abs(fitted - truth) <= tolerance;
  std::printf("  %-3s fitted %.4f, truth %.4f, |error| %.4f %s %.4f\n", name, fitted, truth,
              std::abs(fitted - truth), ok ? "<=" : ">", tolerance);
  return ok;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string recipe = argc > 1 ? argv[1] : HOST_APP_RECIPE;
  const Measurements data = measure(42);

  Ball ball;
  regimen::InterpreterOptions options;
  options.threads = 1;  // with a fixed seed, the same result on every run
  options.output = regimen::OutputMode::kQuiet;
  regimen::Interpreter interpreter(options);

  regimen::RunResult result;
  try {
    interpreter.bind_dataset("measurements", {.features = data.features,
                                              .rows = kSamples,
                                              .cols = 1,
                                              .targets = data.heights,
                                              .target_cols = 1});
    interpreter.bind_model("ball", ball.model());
    interpreter.register_function("sensor_noise", [](std::span<const double>) { return kNoise; });
    for (int i = 2; i < argc; ++i) {  // name=value, as the CLI's --set
      const std::string setting = argv[i];
      const auto equals = setting.find('=');
      if (equals == std::string::npos) {
        std::cerr << "host_app: expected name=value, got '" << setting << "'\n";
        return 2;
      }
      interpreter.set_param(setting.substr(0, equals), setting.substr(equals + 1));
    }
    interpreter.load_file(recipe);
    result = interpreter.run();
  } catch (const regimen::Error& e) {
    std::cerr << "host_app: " << e.what() << "\n";
    return e.exit_code();
  }

  double best = std::numeric_limits<double>::infinity();
  int best_epoch = -1;
  for (std::size_t epoch = 0; epoch < result.history.size(); ++epoch) {
    const auto value = metric(result.history[epoch], "val_loss");
    if (value && *value < best) {
      best = *value;
      best_epoch = static_cast<int>(epoch);
    }
  }
  const auto last = result.history.empty() ? std::nullopt : metric(result.history.back(), "val_loss");
  std::printf("epochs run: %zu\n", result.history.size());
  std::printf("best val_loss: %.6g (epoch %d), last val_loss: %.6g, noise floor sigma^2: %.6g\n", best,
              best_epoch, last.value_or(NAN), kNoise * kNoise);
  std::printf("stop reason: %s\n", result.stop_reason.empty() ? "every epoch ran" : result.stop_reason.c_str());

  // The run left its best weights (restore_best) in the host's own tensors.
  bool ok = best <= kMaxValLoss;
  std::printf("fitted physics, read from the host's tensors:\n");
  ok &= within("h0", ball.h0[0], kH0, kToleranceH0);
  ok &= within("v0", ball.v0[0], kV0, kToleranceV0);
  ok &= within("g", ball.g[0], kG, kToleranceG);
  if (best > kMaxValLoss) std::printf("best val_loss %.6g > bound %.6g\n", best, kMaxValLoss);
  std::printf("%s\n", ok ? "good fit" : "POOR FIT");
  return ok ? 0 : 1;
}
