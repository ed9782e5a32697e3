// The UUID codec: its SSSE3 and scalar twins agree with each other at every position and byte
// value, and text and bytes round-trip.
#include "core/uuid.h"

#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace tw {
namespace {

// The SSSE3 implementations exist on x86 only.
#if defined(__x86_64__) || defined(__i386__)
#define TW_SSSE3(fn) fn
#else
#define TW_SSSE3(fn) nullptr
#endif

// The implementations to compare: the scalar one, the one callers get, and the SSSE3 one where
// the CPU has it.
template <typename Fn>
std::vector<Fn> Implementations(Fn scalar, Fn dispatched, Fn ssse3) {
    std::vector<Fn> out = {scalar, dispatched};
#if defined(__x86_64__) || defined(__i386__)
    if (ssse3 != nullptr && __builtin_cpu_supports("ssse3")) out.push_back(ssse3);
#endif
    return out;
}

// The SSSE3 and scalar UUID decoders agree, and reject exactly the texts that are not a
// lowercase UUID (a non-hex digit, or anything but a dash where the dashes go), at every
// position.
TEST(UuidTest, VectorAndScalarDecodingAgree) {
    using Decoder = bool (*)(const char*, uint8_t*);
    const std::vector<Decoder> decoders = Implementations(
        uuid::UuidToBytesScalar, uuid::UuidToBytes, TW_SSSE3(uuid::UuidToBytesSsse3));
    auto dash = [](size_t i) { return i == 8 || i == 13 || i == 18 || i == 23; };
    const std::string valid = "01234567-89ab-cdef-0123-456789abcdef";
    std::mt19937 rng(7);
    static constexpr char kHex[] = "0123456789abcdef";
    for (int round = 0; round < 20000; ++round) {
        std::string text = valid;
        for (size_t i = 0; i < text.size(); ++i) {
            if (!dash(i)) text[i] = kHex[rng() % 16];
        }
        if (round % 2 == 1) text[rng() % 36] = static_cast<char>(rng() % 256);
        uint8_t want[16] = {};
        const bool ok = uuid::UuidToBytesScalar(text.data(), want);
        for (Decoder d : decoders) {
            uint8_t got[16] = {};
            ASSERT_EQ(d(text.data(), got), ok) << text;
            if (ok) {
                ASSERT_EQ(std::memcmp(got, want, 16), 0) << text;
            }
        }
    }
    uint8_t out[16];
    for (size_t pos = 0; pos < 36; ++pos) {
        for (int c = 0; c < 256; ++c) {
            std::string text = valid;
            text[pos] = static_cast<char>(c);
            const bool fits =
                dash(pos) ? c == '-' : (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
            for (Decoder d : decoders) ASSERT_EQ(d(text.data(), out), fits) << pos << " " << c;
        }
    }
    for (Decoder d : decoders) {
        ASSERT_TRUE(d(valid.data(), out));
        EXPECT_EQ(out[0], 0x01);
        EXPECT_EQ(out[7], 0xef);
        EXPECT_EQ(out[8], 0x01);
        EXPECT_EQ(out[15], 0xef);
    }
}

// The SSSE3 and scalar renderers write the same text, the one the decoder reads back.
TEST(UuidTest, VectorAndScalarRenderingAgree) {
    using Renderer = void (*)(const uint8_t*, char*);
    const std::vector<Renderer> renderers = Implementations(
        uuid::BytesToUuidScalar, uuid::BytesToUuid, TW_SSSE3(uuid::BytesToUuidSsse3));
    std::mt19937 rng(11);
    for (int round = 0; round < 20000; ++round) {
        uint8_t bytes[16];
        for (uint8_t& b : bytes) b = static_cast<uint8_t>(rng() % 256);
        if (round < 256) std::memset(bytes, round, 16);  // every byte value in every place
        char want[kUuidTextSize];
        uuid::BytesToUuidScalar(bytes, want);
        uint8_t back[16];
        ASSERT_TRUE(uuid::UuidToBytesScalar(want, back));
        ASSERT_EQ(std::memcmp(back, bytes, 16), 0);
        for (Renderer r : renderers) {
            char got[kUuidTextSize];
            std::memset(got, '?', sizeof got);
            r(bytes, got);
            ASSERT_EQ(std::string_view(got, 36), std::string_view(want, 36));
        }
    }
    char text[kUuidTextSize];
    const uint8_t bytes[16] = {0x30, 0x38, 0xeb, 0xd2, 0xc9, 0x8a, 0x4c, 0x65,
                               0x9b, 0x6e, 0xe2, 0x25, 0x06, 0x29, 0x23, 0x13};
    uuid::BytesToUuidScalar(bytes, text);
    EXPECT_EQ(std::string_view(text, 36), "3038ebd2-c98a-4c65-9b6e-e22506292313");
}

}  // namespace
}  // namespace tw
