// EventId: CloudTrail's lowercase RFC 4122 UUIDs are packed into 16 bytes and rendered back to
// the same text; every other id is kept as text, and the two never compare equal.
#include "detect/event_info.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "detect/summary.h"

namespace tw::detect {
namespace {

std::string Render(const EventId& id) {
    EventId::Buffer buf;
    return std::string(id.View(buf));
}

TEST(EventIdTest, LowercaseUuidIsPackedAndRenderedBackExactly) {
    for (const char* text :
         {"3038ebd2-c98a-4c65-9b6e-e22506292313", "00000000-0000-0000-8000-000000000000",
          "ffffffff-ffff-ffff-bfff-ffffffffffff"}) {
        SCOPED_TRACE(text);
        const EventId id = EventId::Parse(text);
        EXPECT_TRUE(id.packed());
        EXPECT_FALSE(id.empty());
        EXPECT_EQ(id.size(), 36u);
        EXPECT_EQ(Render(id), text);
        EXPECT_EQ(id.str(), text);
    }
}

TEST(EventIdTest, AnyOtherTextIsKeptAsText) {
    StringStore store;
    for (const char* text : {"3038EBD2-C98A-4C65-9B6E-E22506292313",  // uppercase
                             "3038ebd2-c98a-4c65-1b6e-e22506292313",  // not the RFC variant
                             "3038ebd2-c98a-4c65-cb6e-e22506292313",  // not the RFC variant
                             "3038ebd2xc98a-4c65-9b6e-e22506292313",  // no dash
                             "3038ebd2-c98a-4c65-9b6e-e2250629231g",  // not hex
                             "3038ebd2-c98a-4c65-9b6e-e2250629231",   // short
                             "ev-7", "record-like id with spaces"}) {
        SCOPED_TRACE(text);
        std::string copy = text;
        const EventId id = EventId::Keep(copy, store);
        copy.assign(copy.size(), 'x');  // the kept text is the store's, not the caller's
        EXPECT_FALSE(id.packed());
        EXPECT_EQ(id.size(), std::string_view(text).size());
        EXPECT_EQ(Render(id), text);
    }
    EXPECT_TRUE(EventId::Parse("").empty());
    EXPECT_TRUE(EventId().empty());
    EXPECT_EQ(Render(EventId()), "");
}

TEST(EventIdTest, EqualityAndHashFollowTheText) {
    const std::string a = "3038ebd2-c98a-4c65-9b6e-e22506292313";
    const std::string a2 = a;
    const std::string b = "3038ebd2-c98a-4c65-9b6e-e22506292314";
    EXPECT_EQ(EventId::Parse(a), EventId::Parse(a2));
    EXPECT_EQ(EventId::Parse(a).Hash(), EventId::Parse(a2).Hash());
    EXPECT_FALSE(EventId::Parse(a) == EventId::Parse(b));
    const std::string t1 = "ev-1", t1b = "ev-1", t2 = "ev-2";
    EXPECT_EQ(EventId::Parse(t1), EventId::Parse(t1b));
    EXPECT_EQ(EventId::Parse(t1).Hash(), EventId::Parse(t1b).Hash());
    EXPECT_FALSE(EventId::Parse(t1) == EventId::Parse(t2));
    // The uppercase spelling of a packed id is another id.
    const std::string upper = "3038EBD2-C98A-4C65-9B6E-E22506292313";
    EXPECT_FALSE(EventId::Parse(a) == EventId::Parse(upper));
}

// The SSSE3 and scalar UUID decoders agree, and reject exactly the texts that are not a
// lowercase UUID (a non-hex digit, or anything but a dash where the dashes go), at every
// position.
TEST(EventIdTest, VectorAndScalarUuidDecodingAgree) {
    using Decoder = bool (*)(const char*, uint8_t*);
    std::vector<Decoder> decoders = {uuid::UuidToBytesScalar, uuid::UuidToBytes};
#if defined(__x86_64__) || defined(__i386__)
    if (__builtin_cpu_supports("ssse3")) decoders.push_back(uuid::UuidToBytesSsse3);
#endif
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
TEST(EventIdTest, VectorAndScalarUuidRenderingAgree) {
    using Renderer = void (*)(const uint8_t*, char*);
    std::vector<Renderer> renderers = {uuid::BytesToUuidScalar, uuid::BytesToUuid};
#if defined(__x86_64__) || defined(__i386__)
    if (__builtin_cpu_supports("ssse3")) renderers.push_back(uuid::BytesToUuidSsse3);
#endif
    std::mt19937 rng(11);
    for (int round = 0; round < 20000; ++round) {
        uint8_t bytes[16];
        for (uint8_t& b : bytes) b = static_cast<uint8_t>(rng() % 256);
        if (round < 256) std::memset(bytes, round, 16);  // every byte value in every place
        char want[36];
        uuid::BytesToUuidScalar(bytes, want);
        uint8_t back[16];
        ASSERT_TRUE(uuid::UuidToBytesScalar(want, back));
        ASSERT_EQ(std::memcmp(back, bytes, 16), 0);
        for (Renderer r : renderers) {
            char got[36];
            std::memset(got, '?', sizeof got);
            r(bytes, got);
            ASSERT_EQ(std::string_view(got, 36), std::string_view(want, 36));
        }
    }
    char text[36];
    const uint8_t bytes[16] = {0x30, 0x38, 0xeb, 0xd2, 0xc9, 0x8a, 0x4c, 0x65,
                               0x9b, 0x6e, 0xe2, 0x25, 0x06, 0x29, 0x23, 0x13};
    uuid::BytesToUuidScalar(bytes, text);
    EXPECT_EQ(std::string_view(text, 36), "3038ebd2-c98a-4c65-9b6e-e22506292313");
}

// A summary or `fields` naming eventID lists every event's id, rendered from its packed form.
TEST(EventIdTest, DistinctValuesOfEventIdListsEachEvent) {
    StringStore store;
    EventList events;
    const std::vector<std::string> ids = {"3038ebd2-c98a-4c65-9b6e-e22506292313",
                                          "3038ebd2-c98a-4c65-9b6e-e22506292314", "ev-7",
                                          "3038ebd2-c98a-4c65-9b6e-e22506292313"};
    std::vector<uint32_t> idx;
    for (const std::string& id : ids) {
        EventInfo e;
        e.event_id = EventId::Keep(id, store);
        idx.push_back(static_cast<uint32_t>(events.size()));
        events.push_back(e);
    }
    const std::vector<std::string> got = DistinctValues("eventID", events, idx, FieldIndex({}));
    EXPECT_EQ(got, std::vector<std::string>(ids.begin(), ids.begin() + 3));
}

}  // namespace
}  // namespace tw::detect
