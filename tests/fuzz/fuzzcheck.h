#pragma once

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

// A broken invariant is a finding like a crash: print it and abort, so that libFuzzer saves
// the input and the run fails. Not Q_ASSERT: that is compiled out of release builds of Qt.
#define FUZZ_CHECK(cond)                                                                           \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            std::fprintf(stderr, "fuzz invariant broken: %s (%s:%d)\n", #cond, __FILE__,           \
                         __LINE__);                                                                \
            std::abort();                                                                          \
        }                                                                                          \
    } while (false)

namespace fuzz {

// Deterministic pseudo-random numbers seeded from the input, so a saved input replays the
// same way (libFuzzer needs a target to be a pure function of its input).
class SplitMix
{
public:
    explicit SplitMix(const std::uint8_t *data, std::size_t size)
    {
        std::uint64_t h = 1469598103934665603ULL; // FNV-1a
        for (std::size_t i = 0; i < size; ++i)
            h = (h ^ data[i]) * 1099511628211ULL;
        m_state = h;
    }
    std::uint64_t next()
    {
        std::uint64_t z = (m_state += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    }
    // A piece length in [1, max]; short pieces are the more likely, to split everywhere.
    std::size_t pieceLength(std::size_t max)
    {
        const std::uint64_t r = next();
        const std::size_t cap = (r & 3) == 0 ? max : std::min<std::size_t>(max, 1 + (r >> 8) % 16);
        return 1 + std::size_t((r >> 32) % cap);
    }

private:
    std::uint64_t m_state;
};

} // namespace fuzz
