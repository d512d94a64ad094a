// The bad-input catalogue: every way a user can hand Regimen something wrong, through the CLI,
// each with its exact message and exit code (1: the data or a limit; 2: the recipe or the
// command line). None may crash, hang or print a stack trace. Messages name the recipe line,
// the file and line or byte offset, and suggest the right key for a typo.
#include <catch2/catch.hpp>

#include <fstream>
#include <string>
#include <vector>

#include "support/run_command.hpp"
#include "support/temp_dir.hpp"

using regimen::testing::regimen_command;
using regimen::testing::run_command;
using regimen::testing::TempDir;

namespace {

struct BadInput {
  const char* what;
  const char* recipe;     ///< the text of r.lua
  const char* arguments;  ///< extra command-line arguments
  const char* message;    ///< stderr, with {dir} for the case's folder; '~' first: a part of it
  int exit_code;
};

// A model, loss and optimizer that fit the 2-feature regression data below.
#define FIT "model = nn.sequential{nn.linear(2, 1)}, loss = loss.mse(), optimizer = optim.sgd{lr = 0.1}"
#define SYNTH "data = data.synthetic.linear{n = 16, w = {1, 2}, b = 0}"
#define CSV(file, extra) "data.csv{path = '" file "', target = 'y'" extra "}"

const BadInput kCatalogue[] = {
    // Malformed recipes.
    {"a syntax error", "return recipe{\n", "", "{dir}/r.lua:2: unexpected symbol near <eof>", 2},
    {"a number returned", "return 42", "",
     "{dir}/r.lua: the file returned a number; return recipe{...} to train, or nothing to run it as a script", 2},
    {"a plain table returned", "return {epochs = 3}", "",
     "{dir}/r.lua: the file returned a table; return recipe{...} to train, or nothing to run it as a script", 2},
    {"an unknown recipe key", "return recipe{" SYNTH ", " FIT ", epoch = 3}", "",
     "{dir}/r.lua:1: recipe: unknown option 'epoch' (did you mean 'epochs'?)", 2},
    {"no data", "return recipe{" FIT "}", "", "{dir}/r.lua:1: recipe: 'data' is required", 2},
    {"no model", "return recipe{" SYNTH ", loss = loss.mse(), optimizer = optim.sgd{lr = 0.1}}", "",
     "{dir}/r.lua:1: recipe: 'model' is required", 2},
    {"a wrong type", "return recipe{" SYNTH ", " FIT ", epochs = 'ten'}", "",
     "{dir}/r.lua:1: recipe: 'epochs' must be an integer, got ten", 2},
    {"data of the wrong kind", "return recipe{data = 3, " FIT "}", "",
     "{dir}/r.lua:1: recipe: 'data' must be a dataset or {train = ..., validation = ..., test = ...}", 2},
    {"an unknown optimizer option", "local o = optim.adam{learning_rate = 1e-3}", "",
     "{dir}/r.lua:1: optim.adam: unknown option 'learning_rate' (did you mean 'lr'?)", 2},
    {"a misspelled global", "local s = schedul.cosine{lr = 0.1, T_max = 10}", "",
     "{dir}/r.lua:1: undefined global 'schedul' (did you mean 'schedule'?)", 2},
    {"a --set the recipe never reads", "local lr = param('lr', 0.1)", "--set lrr=0.2",
     "~--set lrr=0.2: {dir}/r.lua has no param 'lrr' (did you mean 'lr'?)", 2},
    // Impossible values.
    {"a negative lr", "local o = optim.sgd{lr = -0.1}", "", "{dir}/r.lua:1: optim.sgd: lr must be >= 0, got -0.1", 2},
    {"dropout p = 1", "local d = nn.dropout(1)", "", "{dir}/r.lua:1: nn.dropout: dropout: p must be in [0, 1), got 1",
     2},
    {"batch size 0", "return recipe{" SYNTH ", " FIT ", batch_size = 0}", "",
     "{dir}/r.lua:1: recipe: 'batch_size' must be >= 1, got 0", 2},
    {"negative epochs", "return recipe{" SYNTH ", " FIT ", epochs = -1}", "",
     "{dir}/r.lua:1: recipe: 'epochs' must be >= 0, got -1", 2},
    {"betas out of range", "local o = optim.adam{betas = {0.9, 1}}", "",
     "{dir}/r.lua:1: optim.adam: betas[2] must be in [0, 1), got 1", 2},
    {"eps of zero", "local o = optim.adam{eps = 0}", "", "{dir}/r.lua:1: optim.adam: eps must be > 0, got 0", 2},
    {"nesterov without momentum", "local o = optim.sgd{lr = 0.1, nesterov = true}", "",
     "~{dir}/r.lua:1: optim.sgd: nesterov", 2},
    {"T_max of zero", "local s = schedule.cosine{lr = 0.1, T_max = 0}", "",
     "~{dir}/r.lua:1: schedule.cosine: T_max must be > 0, got 0", 2},
    {"decreasing milestones", "local s = schedule.multistep{lr = 0.1, milestones = {30, 10}}", "",
     "~{dir}/r.lua:1: schedule.multistep: milestones", 2},
    {"boundaries and values of unequal length",
     "local s = schedule.piecewise{boundaries = {10, 20}, values = {1, 0.1}}", "",
     "~{dir}/r.lua:1: schedule.piecewise:", 2},
    {"a Lua schedule returning nil", "return recipe{" SYNTH ", " FIT ", schedule = function(t) end}", "",
     "~schedule function returned nil at step 0", 2},
    {"a Lua schedule returning NaN", "return recipe{" SYNTH ", " FIT ", schedule = function(t) return 0/0 end}", "",
     "~at step 0", 2},
    {"a Lua schedule returning a negative lr",
     "return recipe{" SYNTH ", " FIT ", schedule = function(t) return -1 end}", "", "~lr must be >= 0, got -1", 2},
    // Shapes.
    {"data wider than the first layer",
     "return recipe{data = data.synthetic.linear{n = 16, w = {1, 2, 3}, b = 0}, " FIT "}", "",
     "{dir}/r.lua:1: recipe: model: layer 'fc1' (linear) expects 2 inputs, but the data has 3 features", 2},
    {"layers that do not fit",
     "return recipe{" SYNTH ", model = nn.sequential{nn.linear(2, 4), nn.linear(5, 1)}, loss = loss.mse(), "
     "optimizer = optim.sgd{lr = 0.1}}", "",
     "{dir}/r.lua:1: recipe: model: layer 'fc2' (linear) expects 5 inputs, but 'fc1' produces 4", 2},
    {"accuracy on a regression", "return recipe{" SYNTH ", " FIT ", metrics = {'accuracy'}}", "",
     "~'accuracy' is not a metric this run can report (accuracy needs a classification loss)", 2},
    // Data files.
    {"a missing CSV file", "local d = " CSV("nope.csv", ""), "", "{dir}/r.lua:1: data.csv: {dir}/nope.csv: cannot open: No such file or directory", 1},
    {"an empty CSV file", "local d = " CSV("empty.csv", ""), "", "{dir}/r.lua:1: data.csv: {dir}/empty.csv:1: empty file", 1},
    {"a ragged CSV row", "local d = " CSV("ragged.csv", ""), "", "{dir}/r.lua:1: data.csv: {dir}/ragged.csv:3: expected 3 fields, got 2", 1},
    {"a non-numeric CSV cell", "local d = " CSV("text.csv", ""), "",
     "{dir}/r.lua:1: data.csv: {dir}/text.csv:2: column 'b': cannot read 'x' as a number", 1},
    {"a NaN CSV cell", "local d = " CSV("nan.csv", ""), "",
     "{dir}/r.lua:1: data.csv: {dir}/nan.csv:2: column 'b': 'nan' is not a finite number", 1},
    {"a class label out of range", "local d = " CSV("good.csv", ", classes = 3"), "",
     "{dir}/r.lua:1: data.csv: {dir}/good.csv:2: column 'y': class label '7' is not an integer in [0, 3)", 1},
    {"an unknown target column", "local d = data.csv{path = 'good.csv', target = 'z'}", "",
     "{dir}/r.lua:1: data.csv: {dir}/good.csv:1: unknown target column 'z' (columns: a, b, y)", 1},
    {"an IDX file with a wrong magic number", "local d = data.idx{images = 'labels.idx', labels = 'labels.idx'}", "",
     "{dir}/r.lua:1: data.idx: {dir}/labels.idx: bad magic number 0x00000801 at offset 0, expected 0x00000803 (IDX "
     "images); this looks like a rank-1 IDX file (IDX labels)", 1},
    {"a truncated IDX body", "local d = data.idx{images = 'short.idx', labels = 'labels.idx'}", "",
     "~{dir}/short.idx: truncated", 1},
    {"a truncated gzip IDX file", "local d = data.idx{images = 'cut.gz', labels = 'labels.idx'}", "",
     "~{dir}/cut.gz: truncated at byte offset", 1},
    {"images and labels that disagree in count", "local d = data.idx{images = 'images.idx', labels = 'labels3.idx'}",
     "", "~{dir}/labels3.idx", 1},
    {"a device instead of a CSV file", "local d = data.csv{path = '/dev/zero', target = 'y'}", "",
     "{dir}/r.lua:1: data.csv: /dev/zero: cannot open: not a regular file", 1},
    {"a folder instead of an IDX file", "local d = data.idx{images = '/tmp', labels = 'labels.idx'}", "",
     "{dir}/r.lua:1: data.idx: /tmp: cannot open: is a directory", 1},
    {"a missing IDX file", "local d = data.idx{images = 'none.idx', labels = 'labels.idx'}", "",
     "~{dir}/none.idx", 1},
    // Lua errors and endless loops in hooks and schedules.
    {"an error in on_epoch_end", "return recipe{" SYNTH ", " FIT ",\non_epoch_end = function(ctx) error('boom') end}",
     "", "~{dir}/r.lua:2: boom", 2},
    {"an endless on_epoch_end",
     "return recipe{" SYNTH ", " FIT ",\non_epoch_end = function(ctx) while true do end end}",
     "--max-instructions 1000000", "~\n{dir}/r.lua:2: instruction limit of 1000000 exceeded\n", 1},
    {"an endless lr function",
     "return recipe{" SYNTH ", " FIT ",\nschedule = function(t) while true do end end}", "--timeout 0.5",
     "{dir}/r.lua:2: time limit of 0.5 s exceeded", 1},
    {"an error in an lr function", "return recipe{" SYNTH ", " FIT ",\nschedule = function(t) return t.x end}", "",
     "~{dir}/r.lua:2: attempt to index a number value", 2},
    {"an error in on_step_end", "return recipe{" SYNTH ", " FIT ",\non_step_end = function(s) error('bang') end}",
     "", "~{dir}/r.lua:2: bang", 2},
    {"an endless on_step_end", "return recipe{" SYNTH ", " FIT ",\non_step_end = function(s) while true do end end}",
     "--max-instructions 1000000", "~{dir}/r.lua:2: instruction limit of 1000000 exceeded\n", 1},
    // on_nan and loss_spike.
    {"a misspelled on_nan action", "return recipe{" SYNTH ", " FIT ", on_nan = {'skip', 'rollbak'}}", "",
     "{dir}/r.lua:1: recipe: on_nan: unknown action 'rollbak' (did you mean 'rollback'?); the actions are skip, "
     "halve_lr, rollback, stop", 2},
    {"on_nan out of order", "return recipe{" SYNTH ", " FIT ", on_nan = {'stop', 'skip'}}", "",
     "{dir}/r.lua:1: recipe: on_nan: 'skip' cannot follow 'stop': the ladder climbs in the order skip, halve_lr, "
     "rollback, stop", 2},
    {"on_nan not a list", "return recipe{" SYNTH ", " FIT ", on_nan = 'stop'}", "",
     "{dir}/r.lua:1: recipe: 'on_nan' must be a list such as {\"skip\", \"halve_lr\", \"rollback\", \"stop\"}, got string",
     2},
    {"loss_spike of 1", "return recipe{" SYNTH ", " FIT ", on_nan = {'skip'}, loss_spike = 1}", "",
     "{dir}/r.lua:1: recipe: 'loss_spike' must be a number > 1 (a step loss over k times the running median), got 1", 2},
    {"loss_spike without on_nan", "return recipe{" SYNTH ", " FIT ", loss_spike = 10}", "",
     "{dir}/r.lua:1: recipe: 'loss_spike' needs on_nan, the ladder a spike climbs (e.g. on_nan = {\"skip\", \"stop\"})", 2},
    {"an on_nan stop", "return recipe{" SYNTH ", model = nn.sequential{nn.linear(2, 1)}, loss = loss.mse(), "
     "optimizer = optim.sgd{lr = 1e6}, epochs = 20, on_nan = {'stop'}}", "--quiet",
     "~: the update made fc1.weight inf (undone); stopped the run (1 of 1 actions)\n", 1},
    // Memory bombs.
    {"a huge string", "local s = string.rep('x', 2^30)", "--max-memory 64", "{dir}/r.lua: memory limit of 64 MB exceeded",
     1},
    {"a huge table", "local t = {} for i = 1, 1e9 do t[i] = i end", "--max-memory 64",
     "{dir}/r.lua: memory limit of 64 MB exceeded", 1},
    {"a huge tensor", "local t = tensor.zeros(100000, 100000)", "--max-memory 64",
     "{dir}/r.lua:1: memory limit of 64 MB exceeded (a tensor of 38147 MB)", 1},
    {"a huge table in on_train_end",
     "return recipe{" SYNTH ", " FIT ",\non_train_end = function() local t = {} for i = 1, 1e9 do t[i] = i end end}",
     "--max-memory 64", "~{dir}/r.lua: memory limit of 64 MB exceeded", 1},
};

void write(const TempDir& dir, const std::string& name, const std::string& bytes) {
  std::ofstream(dir.path() / name, std::ios::binary) << bytes;
}

std::string big_endian(std::uint32_t v) {
  return {static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8), static_cast<char>(v)};
}

// The data files the catalogue reads, each broken in one way.
void write_files(const TempDir& dir) {
  write(dir, "empty.csv", "");
  write(dir, "ragged.csv", "a,b,y\n1,2,3\n4,5\n");
  write(dir, "text.csv", "a,b,y\n1,x,3\n");
  write(dir, "nan.csv", "a,b,y\n1,nan,3\n");
  write(dir, "good.csv", "a,b,y\n1,2,7\n");
  write(dir, "labels.idx", big_endian(0x801) + big_endian(2) + std::string("\1\2", 2));
  write(dir, "labels3.idx", big_endian(0x801) + big_endian(3) + std::string("\1\2\3", 3));
  write(dir, "images.idx", big_endian(0x803) + big_endian(2) + big_endian(2) + big_endian(2) + std::string(8, '\7'));
  write(dir, "short.idx", big_endian(0x803) + big_endian(2) + big_endian(2) + big_endian(2) + std::string(5, '\7'));
  // The first 100 bytes of a real gzip stream (Fashion-MNIST, which the bootstrap installs).
  std::ifstream real("/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz", std::ios::binary);
  std::string head(100, '\0');
  real.read(head.data(), 100);
  write(dir, "cut.gz", head.substr(0, static_cast<std::size_t>(real.gcount())));
}

std::string replace_dir(std::string text, const std::string& dir) {
  for (std::size_t at; (at = text.find("{dir}")) != std::string::npos;) text.replace(at, 5, dir);
  return text;
}

}  // namespace

TEST_CASE("Bad input: every case of the catalogue fails with its message and exit code", "[cli]") {
  TempDir dir;
  write_files(dir);
  const std::string folder = dir.path().string();
  for (const BadInput& c : kCatalogue) {
    INFO(c.what);
    write(dir, "r.lua", c.recipe);
    const auto result = run_command(regimen_command("run --no-out " + std::string(c.arguments) + " " + folder + "/r.lua"));
    const std::string expected = replace_dir(c.message, folder);
    if (expected.front() == '~') {
      CHECK_THAT(result.output, Catch::Contains(expected.substr(1)));
    } else {
      CHECK(result.output == expected + "\n");
    }
    CHECK(result.exit_code == c.exit_code);
  }
  CHECK(sizeof kCatalogue / sizeof kCatalogue[0] >= 40);
}

TEST_CASE("Bad input: the command line", "[cli]") {
  CHECK(run_command(regimen_command("run /nonexistent/r.lua")).output == "/nonexistent/r.lua: no such file\n");
  CHECK(run_command(regimen_command("run /nonexistent/r.lua")).exit_code == 2);
  CHECK(run_command(regimen_command("frobnicate")).exit_code == 2);
  CHECK(run_command(regimen_command("run")).exit_code == 2);
  CHECK(run_command(regimen_command("run --threads -1 x.lua")).exit_code == 2);
  CHECK(run_command(regimen_command("run --epochs ten x.lua")).exit_code == 2);
}
