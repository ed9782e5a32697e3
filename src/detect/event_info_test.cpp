// EventId: CloudTrail's lowercase RFC 4122 UUIDs are packed into 16 bytes and rendered back to
// the same text; every other id is kept as text, and the two never compare equal.
#include "detect/event_info.h"

#include <gtest/gtest.h>

#include <algorithm>
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
