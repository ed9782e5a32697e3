// Deterministic pseudo-random numbers for the simulator.
//
// Every random choice of `trailwarden simulate` comes from an Rng seeded by Mix(seed, ids...),
// so that the same --seed gives byte-identical output whatever the thread count and the order
// in which files are generated: each output file, scenario and plan step owns its own stream.
// Only integer arithmetic and IEEE multiplications/additions are used (no libm), so streams
// are identical on every x86-64 build.
//
// Thread-safety: an Rng belongs to one thread; Mix is a pure function.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace tw::simulate {

// SplitMix64 finaliser: a good 64-bit mix of one value.
[[nodiscard]] constexpr uint64_t Mix64(uint64_t x) {
    x += 0x9E3779B97F4A7C15ull;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return x ^ (x >> 31);
}

// Combines a seed with stream identifiers into a new seed.
[[nodiscard]] constexpr uint64_t Mix(uint64_t seed, uint64_t a) { return Mix64(seed ^ Mix64(a)); }
[[nodiscard]] constexpr uint64_t Mix(uint64_t seed, uint64_t a, uint64_t b) {
    return Mix(Mix(seed, a), b);
}
[[nodiscard]] constexpr uint64_t Mix(uint64_t seed, uint64_t a, uint64_t b, uint64_t c) {
    return Mix(Mix(seed, a, b), c);
}

// FNV-1a of a string, for seeding streams by name.
[[nodiscard]] constexpr uint64_t HashName(std::string_view s) {
    uint64_t h = 0xCBF29CE484222325ull;
    for (char c : s) h = (h ^ static_cast<unsigned char>(c)) * 0x100000001B3ull;
    return h;
}

// xoshiro256** seeded through SplitMix64.
class Rng {
  public:
    explicit Rng(uint64_t seed) {
        for (auto& s : s_) {
            seed += 0x9E3779B97F4A7C15ull;
            s = Mix64(seed);
        }
    }

    // Next 64 random bits.
    uint64_t Next() {
        const uint64_t result = Rotl(s_[1] * 5, 7) * 9;
        const uint64_t t = s_[1] << 17;
        s_[2] ^= s_[0];
        s_[3] ^= s_[1];
        s_[1] ^= s_[2];
        s_[0] ^= s_[3];
        s_[2] ^= t;
        s_[3] = Rotl(s_[3], 45);
        return result;
    }

    // Uniform in [0, n); n > 0.
    uint32_t Below(uint32_t n) {
        return static_cast<uint32_t>(((Next() >> 32) * static_cast<uint64_t>(n)) >> 32);
    }
    // Uniform in [lo, hi] (inclusive).
    int64_t Range(int64_t lo, int64_t hi) {
        return lo + static_cast<int64_t>((Next() >> 11) % static_cast<uint64_t>(hi - lo + 1));
    }
    // Uniform in [0, 1).
    double Unit() { return static_cast<double>(Next() >> 11) * (1.0 / 9007199254740992.0); }
    // True with probability p.
    bool Chance(double p) { return Unit() < p; }

    template <typename T>
    const T& Pick(std::span<const T> items) {
        return items[Below(static_cast<uint32_t>(items.size()))];
    }

    // Index drawn with probability proportional to `weights` (which must not all be zero).
    template <typename W>
    size_t Weighted(std::span<const W> weights) {
        double total = 0;
        for (W w : weights) total += static_cast<double>(w);
        double x = Unit() * total;
        for (size_t i = 0; i < weights.size(); ++i) {
            x -= static_cast<double>(weights[i]);
            if (x < 0) return i;
        }
        return weights.size() - 1;
    }

  private:
    static uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
    uint64_t s_[4];
};

}  // namespace tw::simulate
