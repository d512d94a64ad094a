// Trainer::save_state and Trainer::resume: the trainer's half of the checkpoint contract
// (docs/reliability.md). One section per concern, each read back strictly: a count or a size
// that does not fit this run is a DataError naming the checkpoint and the offset.
#include <algorithm>
#include <array>
#include <string>
#include <utility>
#include <vector>

#include "runtime/error.hpp"
#include "runtime/train/trainer.hpp"

namespace regimen::train {
namespace {

io::CheckpointSection section(std::string name, io::ByteWriter& out) { return {std::move(name), out.take()}; }

// Reads section `name`; `read` gets a reader positioned at its first byte (offsets in messages
// count from the section's start) and must consume it whole.
template <typename Read>
void read_section(const io::CheckpointSections& sections, const std::string& name, const std::string& source,
                  Read read) {
  const io::CheckpointSection& found = io::find_section(sections, name, source);
  io::ByteReader in(found.bytes, source + ", section '" + name + "'");
  read(in);
  in.finish();
}

// The layers' random streams, each named by its layer.
std::vector<std::pair<std::string, Random*>> random_streams(nn::Model& model) {
  std::vector<std::pair<std::string, Random*>> streams;
  for (const nn::NamedLayer& layer : model.layers())
    for (Random* stream : layer.layer->random_streams()) streams.emplace_back(layer.name, stream);
  return streams;
}

}  // namespace

io::CheckpointSections Trainer::save_state() const {
  io::CheckpointSections sections;
  io::ByteWriter out;
  out.i64(position_.epoch);
  out.i64(position_.batches);
  out.i64(position_.epoch_step);
  out.f64(position_.loss_sum);
  out.i64(position_.seen);
  out.i64(steps_);
  out.u8(stopped_ ? 1 : 0);
  out.string(history_.stop_reason);
  out.u8(average_in_model_ ? 1 : 0);
  sections.push_back(section("position", out));

  out.floats(model_.arena().values());
  sections.push_back(section("weights", out));

  const std::vector<nn::Buffer> buffers = model_.buffers();
  out.u64(buffers.size());
  for (const nn::Buffer& buffer : buffers) {
    out.string(buffer.name);
    out.i64(buffer.value->rows());
    out.i64(buffer.value->cols());
    out.floats(std::span<const float>(buffer.value->data(), static_cast<std::size_t>(buffer.value->size())));
  }
  sections.push_back(section("buffers", out));

  const auto streams = random_streams(model_);
  out.u64(streams.size());
  for (const auto& [name, stream] : streams) {
    out.string(name);
    for (const std::uint64_t word : stream->snapshot()) out.u64(word);
  }
  sections.push_back(section("random", out));

  sections.push_back({"optimizer", optimizer_.save_state()});
  schedules_.save(out);
  sections.push_back(section("schedules", out));
  out.floats(average_ ? average_->weights() : std::span<const float>());
  out.floats(average_ ? average_->buffers() : std::span<const float>());
  sections.push_back(section("average", out));
  train_metrics_.save(out);
  sections.push_back(section("epoch_metrics", out));
  save_metrics(out, history_.epochs);
  sections.push_back(section("history", out));

  // Only callbacks with state take part: a resume may print differently (--json) than the run.
  std::vector<std::vector<std::byte>> states;
  for (const Callback* callback : callbacks_) {
    io::ByteWriter state;
    callback->save(state);
    if (!state.data().empty()) states.push_back(state.take());
  }
  out.u64(states.size());
  for (const auto& state : states) out.bytes(state);
  sections.push_back(section("callbacks", out));
  nan_.save(out);
  sections.push_back(section("nan_policy", out));
  return sections;
}

void Trainer::resume(const io::CheckpointSections& sections, const std::string& source) {
  restore(sections, source, true);
  if (ranks_) resumed_from_ = sections;  // for the other ranks, when fit() starts
}

void Trainer::restore(const io::CheckpointSections& sections, const std::string& source, bool with_callbacks) {
  read_section(sections, "position", source, [&](io::ByteReader& in) {
    position_.epoch = static_cast<int>(in.i64());
    position_.batches = in.i64();
    position_.epoch_step = in.i64();
    position_.loss_sum = in.f64();
    position_.seen = in.i64();
    steps_ = in.i64();
    stopped_ = in.u8() != 0;
    history_ = History();
    history_.stop_reason = in.string();
    average_in_model_ = in.u8() != 0;
    if (position_.epoch < 0 || position_.batches < 0 || steps_ < 0) in.fail("negative counters");
  });
  read_section(sections, "weights", source,
               [&](io::ByteReader& in) { in.floats_into(model_.arena().values(), "weights"); });
  read_section(sections, "buffers", source, [&](io::ByteReader& in) {
    const std::vector<nn::Buffer> buffers = model_.buffers();
    if (in.u64() != buffers.size()) in.fail("the model's buffers differ");
    for (const nn::Buffer& buffer : buffers) {
      const std::string name = in.string();
      const std::int64_t rows = in.i64(), cols = in.i64();
      if (name != buffer.name) in.fail("buffer '" + name + "' where the model has '" + buffer.name + "'");
      if (rows != buffer.value->rows() || cols != buffer.value->cols()) in.fail("buffer '" + name + "' has another shape");
      in.floats_into(std::span<float>(buffer.value->data(), static_cast<std::size_t>(buffer.value->size())), name);
    }
  });
  read_section(sections, "random", source, [&](io::ByteReader& in) {
    const auto streams = random_streams(model_);
    if (in.u64() != streams.size()) in.fail("the model's random streams differ");
    for (const auto& [name, stream] : streams) {
      if (in.string() != name) in.fail("random stream of another layer where the model has '" + name + "'");
      std::array<std::uint64_t, 5> words{};
      for (std::uint64_t& word : words) word = in.u64();
      stream->restore(words);
    }
  });
  const io::CheckpointSection& optimizer = io::find_section(sections, "optimizer", source);
  try {
    optimizer_.load_state(optimizer.bytes);
  } catch (const std::exception& e) {
    throw DataError(source + ", section 'optimizer': " + e.what());
  }
  read_section(sections, "schedules", source, [&](io::ByteReader& in) { schedules_.load(in); });
  read_section(sections, "average", source, [&](io::ByteReader& in) {
    resumed_average_ = in.floats();
    resumed_buffer_average_ = in.floats();
    std::vector<float> buffers;
    model_.read_buffers(buffers);
    const bool fits = resumed_average_.size() == model_.arena().values().size() &&
                      resumed_buffer_average_.size() == buffers.size();
    if (config_.ema.has_value() != !resumed_average_.empty() || (config_.ema && !fits))
      in.fail("the weight average does not fit this run (ema)");
  });
  read_section(sections, "epoch_metrics", source, [&](io::ByteReader& in) { train_metrics_.load(in); });
  read_section(sections, "history", source, [&](io::ByteReader& in) {
    history_.epochs = load_metrics(in);
    history_.steps = steps_;
  });
  if (with_callbacks) read_section(sections, "callbacks", source, [&](io::ByteReader& in) {
    std::vector<Callback*> stateful;
    for (Callback* callback : callbacks_) {
      io::ByteWriter state;
      callback->save(state);
      if (!state.data().empty()) stateful.push_back(callback);
    }
    if (in.u64() != stateful.size()) in.fail("the run's callbacks differ");
    for (Callback* callback : stateful) {
      const std::size_t at = in.offset();
      const std::vector<std::byte> state = in.bytes();
      io::ByteReader part(state, source + ", section 'callbacks'", at + 8);
      callback->load(part);
      part.finish();
    }
  });
  // on_nan's place on the ladder and its learning-rate factor (absent from files written before it).
  const bool has_nan_policy = std::any_of(sections.begin(), sections.end(),
                                          [](const io::CheckpointSection& s) { return s.name == "nan_policy"; });
  if (has_nan_policy) read_section(sections, "nan_policy", source, [&](io::ByteReader& in) { nan_.load(in); });
  resumed_ = true;
}

}  // namespace regimen::train
