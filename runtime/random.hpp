#pragma once
// A seeded random generator whose streams are identical on every platform and standard
// library (std:: distributions are implementation-defined, so we derive our own).
// xoshiro256** (Blackman & Vigna, 2018), seeded through splitmix64.
#include <array>
#include <cstdint>
#include <span>

namespace regimen {

/// A deterministic pseudo-random stream; copyable, so a copy replays the same numbers.
class Random {
 public:
  /// Seeds the stream; equal seeds give equal streams.
  explicit Random(std::uint64_t seed = 0);

  /// A uniformly distributed 64-bit word. Inline because dropout draws one per two elements of
  /// every activation: an out-of-line call per word cost more than the generator itself.
  std::uint64_t next_u64() {
    const std::uint64_t result = rotl(state_[1] * 5, 7) * 9;
    const std::uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = rotl(state_[3], 45);
    return result;
  }
  /// Uniform in [0, 1), 53 bits of precision.
  double uniform();
  /// Uniform in [0, n); n must be positive. Unbiased (rejection sampling).
  std::uint64_t below(std::uint64_t n);
  /// Standard normal (Box–Muller; one draw per call, the pair's second value is discarded).
  double normal();
  /// An independent stream derived from this one's seed and a stream number.
  [[nodiscard]] Random fork(std::uint64_t stream) const;
  /// The whole state (seed, then the four state words): restoring it replays the stream from
  /// this point on (checkpoints).
  std::array<std::uint64_t, 5> snapshot() const { return {seed_, state_[0], state_[1], state_[2], state_[3]}; }
  void restore(const std::array<std::uint64_t, 5>& snapshot) {
    seed_ = snapshot[0];
    state_ = {snapshot[1], snapshot[2], snapshot[3], snapshot[4]};
  }
  /// Fisher–Yates shuffle driven by this stream.
  template <typename T>
  void shuffle(std::span<T> items) {
    for (std::size_t i = items.size(); i > 1; --i) {
      std::size_t j = static_cast<std::size_t>(below(i));
      std::swap(items[i - 1], items[j]);
    }
  }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

  std::uint64_t seed_;
  std::array<std::uint64_t, 4> state_;
};

}  // namespace regimen
