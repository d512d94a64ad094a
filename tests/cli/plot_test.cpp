// `regimen plot` as a user meets it: the SVG parses as XML and holds one polyline per scheduled
// value with the documented number of points (docs/decisions.md: one per optimizer step
// 0..total_steps, at most 20001; two per epoch for the batch size), and the plotted values are
// the schedules' closed forms, read back through each panel's axis domain.
#include <catch2/catch.hpp>

#include <tinyxml2.h>

#include <cmath>
#include <filesystem>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "support/run_command.hpp"
#include "support/temp_dir.hpp"

using regimen::testing::regimen_command;
using regimen::testing::run_command;
using regimen::testing::source_path;
using regimen::testing::TempDir;

namespace {

const double kPi = std::acos(-1.0);

// One panel of the SVG, with its polyline's points mapped back to (step, value).
struct Panel {
  std::string series;
  std::vector<double> steps;
  std::vector<double> values;
  double value_tolerance = 0.0;  ///< what 0.01 px (the written precision) amounts to
  double step_tolerance = 0.0;
};

struct Plot {
  int polylines = 0;  ///< in the whole document
  std::vector<Panel> panels;
  const Panel& panel(const std::string& series) const {
    for (const Panel& p : panels)
      if (p.series == series) return p;
    FAIL("no panel for '" << series << "'");
    return panels.front();
  }
};

double attribute(const tinyxml2::XMLElement* e, const char* name) {
  const char* text = e->Attribute(name);
  REQUIRE(text != nullptr);
  return std::stod(text);
}

void collect(const tinyxml2::XMLElement* element, Plot& plot) {
  for (const tinyxml2::XMLElement* e = element->FirstChildElement(); e; e = e->NextSiblingElement()) {
    const std::string name = e->Name();
    if (name == "polyline") ++plot.polylines;
    const char* cls = e->Attribute("class");
    if (name == "g" && cls && std::string(cls) == "panel") {
      Panel panel;
      panel.series = e->Attribute("data-series");
      const double x_min = attribute(e, "data-x-min"), x_max = attribute(e, "data-x-max");
      const double y_min = attribute(e, "data-y-min"), y_max = attribute(e, "data-y-max");
      const tinyxml2::XMLElement* area = e->FirstChildElement("rect");
      REQUIRE(area != nullptr);
      REQUIRE(std::string(area->Attribute("class")) == "plot-area");
      const double left = attribute(area, "x"), top = attribute(area, "y");
      const double width = attribute(area, "width"), height = attribute(area, "height");
      const tinyxml2::XMLElement* line = e->FirstChildElement("polyline");
      REQUIRE(line != nullptr);
      std::istringstream points(line->Attribute("points"));
      for (std::string pair; points >> pair;) {
        const double px = std::stod(pair.substr(0, pair.find(',')));
        const double py = std::stod(pair.substr(pair.find(',') + 1));
        panel.steps.push_back(x_min + (px - left) / width * (x_max - x_min));
        panel.values.push_back(y_min + (top + height - py) / height * (y_max - y_min));
      }
      panel.value_tolerance = 0.006 / height * (y_max - y_min);
      panel.step_tolerance = 0.006 / width * (x_max - x_min);
      plot.panels.push_back(panel);
    }
    collect(e, plot);
  }
}

Plot read_svg(const std::filesystem::path& path) {
  tinyxml2::XMLDocument document;
  REQUIRE(document.LoadFile(path.string().c_str()) == tinyxml2::XML_SUCCESS);
  const tinyxml2::XMLElement* svg = document.RootElement();
  REQUIRE(svg != nullptr);
  REQUIRE(std::string(svg->Name()) == "svg");
  REQUIRE(std::string(svg->Attribute("xmlns")) == "http://www.w3.org/2000/svg");
  Plot plot;
  collect(svg, plot);
  CHECK(plot.polylines == static_cast<int>(plot.panels.size()));
  return plot;
}

// Every point of `panel` is at step `step_of(i)` and has the value `value_of(step)`.
template <typename Step, typename Value>
void check_points(const Panel& panel, std::size_t count, Step step_of, Value value_of) {
  INFO("series " << panel.series);
  REQUIRE(panel.steps.size() == count);
  for (std::size_t i = 0; i < count; ++i) {
    INFO("point " << i);
    const double step = step_of(i);
    CHECK_THAT(panel.steps[i], Catch::Matchers::WithinAbs(step, panel.step_tolerance));
    CHECK_THAT(panel.values[i], Catch::Matchers::WithinAbs(value_of(step), panel.value_tolerance));
  }
}

double identity(std::size_t i) { return static_cast<double>(i); }

std::string plot(const std::string& arguments) { return regimen_command("plot " + arguments); }

}  // namespace

TEST_CASE("Plot: linear_regression has one panel, lr, one point per step", "[cli]") {
  TempDir dir;
  const auto out = dir.path() / "lr.svg";
  const auto result = run_command(plot(source_path("recipes/linear_regression.lua") + " --out " + out.string()));
  INFO(result.output);
  REQUIRE(result.exit_code == 0);
  CHECK_THAT(result.output, Catch::Contains("lr: constant(lr=0.05)") && Catch::Contains("wrote " + out.string()));
  const Plot svg = read_svg(out);
  REQUIRE(svg.panels.size() == 1);
  // 2000 samples, 20% held out: 1600 / batch 32 = 50 steps per epoch, 20 epochs = 1000 steps.
  check_points(svg.panel("lr"), 1001, identity, [](double) { return 0.05; });
}

TEST_CASE("Plot: fashion_mnist_mlp's lr is the cosine it declares", "[cli]") {
  TempDir dir;
  const auto out = dir.path() / "mlp.svg";
  const auto result = run_command(plot(source_path("recipes/fashion_mnist_mlp.lua") +
                                       " --set limit=1000 --set epochs=2 --out " + out.string()));
  INFO(result.output);
  REQUIRE(result.exit_code == 0);
  const Plot svg = read_svg(out);
  REQUIRE(svg.panels.size() == 1);
  // 1000 samples / batch 128 = 8 steps per epoch, 16 steps; T_max = 16:
  // lr(t) = 1e-3 * (1 + cos(pi t / 16)) / 2.
  check_points(svg.panel("lr"), 17, identity, [](double t) { return 1e-3 * (1 + std::cos(kPi * t / 16)) / 2; });
}

TEST_CASE("Plot: fashion_mnist_warmup_cosine draws lr and momentum", "[cli]") {
  TempDir dir;
  const auto out = dir.path() / "warmup.svg";
  const auto result = run_command(plot(source_path("recipes/fashion_mnist_warmup_cosine.lua") +
                                       " --set limit=1000 --set epochs=3 --width 60 --out " + out.string()));
  INFO(result.output);
  REQUIRE(result.exit_code == 0);
  CHECK_THAT(result.output, Catch::Contains("schedules of fashion_mnist_warmup_cosine: 3 epochs, 24 steps"));
  const Plot svg = read_svg(out);
  REQUIRE(svg.panels.size() == 2);
  // 8 steps per epoch, 24 steps. Warm-up over 8 steps from 0 to cosine(0) = 0.05, then a cosine
  // over 2 epochs = 16 steps: lr(t) = 0.05 t / 8 for t < 8, 0.025 (1 + cos(pi (t - 8) / 16)) after.
  check_points(svg.panel("lr"), 25, identity, [](double t) {
    return t < 8 ? 0.05 * t / 8 : 0.025 * (1 + std::cos(kPi * (t - 8) / 16));
  });
  // linear from 0.85 to 0.95 over the whole run ("100%" = 24 steps).
  check_points(svg.panel("momentum"), 25, identity, [](double t) { return 0.85 + 0.1 * t / 24; });
}

TEST_CASE("Plot: step_decay's lr drops tenfold at 60% and 80% of the epochs", "[cli]") {
  TempDir dir;
  const auto out = dir.path() / "step.svg";
  const auto result = run_command(plot(source_path("recipes/step_decay.lua") + " --out " + out.string()));
  INFO(result.output);
  REQUIRE(result.exit_code == 0);
  const Plot svg = read_svg(out);
  REQUIRE(svg.panels.size() == 1);
  // 1600 training samples / 32 = 50 steps per epoch, 20 epochs; milestones at epochs 12 and 16,
  // evaluated at the epoch holding each step (step 1000 is past the end: epoch 20).
  check_points(svg.panel("lr"), 1001, identity, [](double t) {
    const double epoch = std::floor(t / 50);
    return epoch < 12 ? 0.05 : epoch < 16 ? 0.005 : 0.0005;
  });
}

TEST_CASE("Plot: a batch-size schedule is a staircase, dropout p and plateau are plotted", "[cli]") {
  TempDir dir;
  const std::string recipe = dir.write(
      "staircase.lua",
      "local d = data.synthetic.linear{n = 200, w = {1, -2}, b = 1, noise = 0.1}\n"
      "local train = d:split{validation = 0.2}\n"
      "return recipe{\n"
      "  data = train,\n"
      "  model = nn.sequential{nn.linear(2, 4), nn.dropout(schedule.linear{from = 0.5, to = 0, steps = 20}), nn.linear(4, 1)},\n"
      "  loss = loss.mse(),\n"
      "  optimizer = optim.sgd{lr = schedule.plateau{lr = 0.1, monitor = 'loss'}},\n"
      "  batch_size = schedule.piecewise{boundaries = {1}, values = {16, 32}}, epochs = 3,\n"
      "}\n");
  const auto out = dir.path() / "staircase.svg";
  const auto result = run_command(plot(recipe + " --out " + out.string()));
  INFO(result.output);
  REQUIRE(result.exit_code == 0);
  const Plot svg = read_svg(out);
  REQUIRE(svg.panels.size() == 3);
  // 160 samples: epochs 0 and 1 at batch 16 (10 steps each), epoch 2 at 32 (5 steps): 25 steps.
  check_points(svg.panel("lr (plateau: without metrics)"), 26, identity, [](double) { return 0.1; });
  check_points(svg.panel("dropout1.p"), 26, identity, [](double t) { return std::max(0.0, 0.5 - 0.5 * t / 20); });
  // Two points per epoch, at its first and last step; the last of epoch 1 (step 20) is 16, the
  // first of epoch 2 (also step 20) is 32.
  const std::vector<double> edges{0, 10, 10, 20, 20, 25};
  const std::vector<double> sizes{16, 16, 16, 16, 32, 32};
  const Panel& batch = svg.panel("batch_size (by epoch)");
  REQUIRE(batch.steps.size() == 6);
  for (std::size_t i = 0; i < 6; ++i) {
    INFO("point " << i);
    CHECK_THAT(batch.steps[i], Catch::Matchers::WithinAbs(edges[i], batch.step_tolerance));
    CHECK_THAT(batch.values[i], Catch::Matchers::WithinAbs(sizes[i], batch.value_tolerance));
  }
}

TEST_CASE("Plot: a parameter group's own lr is plotted, curves equal to the default's are not", "[cli]") {
  TempDir dir;
  const std::string recipe = dir.write(
      "groups.lua",
      "local d = data.synthetic.linear{n = 100, w = {1, -2}, b = 1, noise = 0.1}\n"
      "return recipe{\n"
      "  data = d,\n"
      "  model = nn.sequential{nn.linear(2, 4), nn.relu(), nn.linear(4, 1)},\n"
      "  loss = loss.mse(),\n"
      "  optimizer = optim.sgd{lr = schedule.cosine{lr = 0.1, T_max = '100%'},\n"
      "                        momentum = schedule.linear{from = 0.8, to = 0.9, steps = '100%'},\n"
      "                        groups = {{match = '*.bias', lr = 0.01}, {ndim = 2, weight_decay = 0}}},\n"
      "  batch_size = 10, epochs = 2,\n"
      "}\n");
  const auto out = dir.path() / "groups.svg";
  const auto result = run_command(plot(recipe + " --out " + out.string()));
  INFO(result.output);
  REQUIRE(result.exit_code == 0);
  const Plot svg = read_svg(out);
  // 100 samples / 10 = 10 steps per epoch, 20 steps. Group 1's lr is its own constant; group 2
  // follows the default lr and momentum, so it adds no curve.
  REQUIRE(svg.panels.size() == 3);
  check_points(svg.panel("lr"), 21, identity, [](double t) { return 0.05 * (1 + std::cos(kPi * t / 20)); });
  check_points(svg.panel("momentum"), 21, identity, [](double t) { return 0.8 + 0.1 * t / 20; });
  check_points(svg.panel("lr (group 1)"), 21, identity, [](double) { return 0.01; });
}

TEST_CASE("Plot: -e draws one expression over --steps", "[cli]") {
  TempDir dir;
  const auto out = dir.path() / "cosine.svg";
  const auto result = run_command(plot("-e 'schedule.cosine{lr=0.1, T_max=100}' --steps 150 --out " + out.string()));
  INFO(result.output);
  REQUIRE(result.exit_code == 0);
  CHECK_THAT(result.output, Catch::Contains("schedule.cosine{lr=0.1, T_max=100} over 150 steps") &&
                                Catch::Contains("0.1 \u2524") && Catch::Contains("  0 \u2524"));
  const Plot svg = read_svg(out);
  REQUIRE(svg.panels.size() == 1);
  // cosine holds eta_min = 0 after T_max.
  check_points(svg.panel("s(t)"), 151, identity,
               [](double t) { return t <= 100 ? 0.05 * (1 + std::cos(kPi * t / 100)) : 0.0; });
}

TEST_CASE("Plot: -e takes a Lua function with ctx, and a chunk that returns a schedule", "[cli]") {
  TempDir dir;
  const auto out = dir.path() / "f.svg";
  auto result = run_command(plot("-e 'function(t, ctx) return 0.1 * 0.5 ^ (t // 10) + ctx.total_steps * 0 end' "
                                 "--steps 30 --out " + out.string()));
  INFO(result.output);
  REQUIRE(result.exit_code == 0);
  check_points(read_svg(out).panel("s(t)"), 31, identity, [](double t) { return 0.1 * std::pow(0.5, std::floor(t / 10)); });
  result = run_command(plot("-e 'local s = schedule.exponential{lr = 1, gamma = 0.9}; return s' --steps 20 --out " +
                            out.string()));
  REQUIRE(result.exit_code == 0);
  check_points(read_svg(out).panel("s(t)"), 21, identity, [](double t) { return std::pow(0.9, t); });
}

TEST_CASE("Plot: a long run is sampled at 20001 evenly spread steps", "[cli]") {
  TempDir dir;
  const auto out = dir.path() / "long.svg";
  const auto result = run_command(plot("-e 'schedule.linear{from = 0, to = 1, steps = 50000}' --steps 50000 --out " +
                                       out.string()));
  INFO(result.output);
  REQUIRE(result.exit_code == 0);
  // t_i = round(i * 50000 / 20000) = round(2.5 i), half away from zero.
  check_points(read_svg(out).panel("s(t)"), 20001, [](std::size_t i) { return std::round(2.5 * static_cast<double>(i)); },
               [](double t) { return t / 50000; });
}

TEST_CASE("Plot: without --out the SVG is <recipe stem>.schedules.svg in the current folder", "[cli]") {
  TempDir dir;
  const auto result =
      run_command("cd " + dir.path().string() + " && " + plot(source_path("recipes/step_decay.lua") + " --epochs 2"));
  INFO(result.output);
  REQUIRE(result.exit_code == 0);
  CHECK_THAT(result.output, Catch::Contains("wrote step_decay.schedules.svg"));
  // --epochs 2: 100 steps.
  CHECK(read_svg(dir.path() / "step_decay.schedules.svg").panel("lr").steps.size() == 101);
}

TEST_CASE("Plot: usage and expression errors exit 2 and write nothing", "[cli]") {
  TempDir dir;
  const std::string out = (dir.path() / "x.svg").string();
  const std::map<std::string, std::string> cases = {
      {"-e 'schedule.cosine{lr=0.1,' --steps 10", "-e:1: "},
      {"-e 'schedule.cosine{lr=0.1, T_max=10}'", "regimen plot: -e needs --steps N (the run's length in optimizer steps)"},
      {"-e 'schedule.cosine{lr=0.1, T_max=10}' --steps 0", "regimen plot: --steps must be > 0, got 0"},
      {"-e 'schedule.cosine{lr=0.1, T_max=10}' --steps -3", "regimen plot: --steps must be > 0, got -3"},
      {"-e '\"fast\"' --steps 10", "-e: the value is a string; plot needs a schedule, a number or a function(t, ctx)"},
      {"-e 'function(t) return nil end' --steps 10", "-e:1: schedule function returned nil at step 0"},
      {"-e 'schedule.cosine{lr=0.1, T_max=\"0%\"}' --steps 10", "T_max must be > 0, got 0"},
      {"", "regimen plot: missing the recipe FILE (or -e EXPR)"},
      {source_path("recipes/step_decay.lua") + " -e 1 --steps 3", "regimen plot: give a recipe FILE or -e EXPR, not both"},
      {source_path("recipes/step_decay.lua") + " --steps 3", "regimen plot: --steps applies to -e only"},
      {source_path("recipes/step_decay.lua") + " --width 5", "regimen plot: --width must be >= 30"},
  };
  for (const auto& [arguments, message] : cases) {
    const auto result = run_command(plot(arguments + " --out " + out));
    INFO(arguments << "\n" << result.output);
    CHECK(result.exit_code == 2);
    CHECK_THAT(result.output, Catch::Contains(message));
  }
  const std::string script = dir.write("script.lua", "local x = 1\n");
  const auto plain = run_command(plot(script + " --out " + out));
  CHECK(plain.exit_code == 2);
  CHECK_THAT(plain.output, Catch::Contains("a plain script (it returns no recipe); plot needs recipe{...}"));
  CHECK(std::filesystem::is_empty(dir.path()) == false);  // script.lua only
  CHECK(!std::filesystem::exists(out));
}

TEST_CASE("Plot: a failed write exits 1 and leaves no partial file", "[cli]") {
  TempDir dir;
  std::filesystem::create_directory(dir.path() / "taken.svg");  // a folder where the file should go
  const auto result = run_command(plot("-e 0.1 --steps 5 --out " + (dir.path() / "taken.svg").string()));
  INFO(result.output);
  CHECK(result.exit_code == 1);
  CHECK_THAT(result.output, Catch::Contains("cannot write " + (dir.path() / "taken.svg").string()));
  int entries = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir.path())) ++entries;
  CHECK(entries == 1);  // the folder, and no temporary file beside it
  const auto missing = run_command(plot("-e 0.1 --steps 5 --out " + (dir.path() / "no/such/x.svg").string()));
  CHECK(missing.exit_code == 1);
  CHECK_THAT(missing.output, Catch::Contains("No such file or directory"));
}
