// EventId: CloudTrail's lowercase RFC 4122 UUIDs are packed into 16 bytes and rendered back to
// the same text; every other id is kept as text, and the two never compare equal. EventList
// (permutation, blocks handed over), ArrivalMatches and what the extractor keeps of an event.
#include "detect/event_info.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "detect/aggregate.h"
#include "detect/summary.h"
#include "event/event_view.h"
#include "event/field_catalog.h"

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

// Permute moves the event at k to where[k], whatever the permutation's shape: the identity, one
// long cycle, swaps, a random order, sizes around the buckets it moves events through in a
// first pass (1024 places, or more when few buckets are allowed), and lists of several blocks.
TEST(EventListTest, PermuteMovesEachEventToItsPlace) {
    std::mt19937 rng(20261125);
    for (const size_t n : {size_t{0}, size_t{1}, size_t{2}, size_t{3}, size_t{1023}, size_t{1024},
                           size_t{1025}, size_t{2049}, size_t{4096}, size_t{40000}, size_t{40001},
                           EventList::kBlockSize * 2 + 17}) {
        for (int shape = 0; shape < 4; ++shape) {
            SCOPED_TRACE(testing::Message() << "n " << n << " shape " << shape);
            std::vector<uint32_t> where(n);
            std::iota(where.begin(), where.end(), 0u);
            if (shape == 1 && n > 0) {  // one cycle through every event
                std::rotate(where.begin(), where.begin() + 1, where.end());
            } else if (shape == 2) {  // neighbours swapped
                for (size_t k = 0; k + 1 < n; k += 2) std::swap(where[k], where[k + 1]);
            } else if (shape == 3) {
                std::shuffle(where.begin(), where.end(), rng);
            }
            EventList events;
            for (size_t k = 0; k < n; ++k) {
                EventInfo e;
                e.record = static_cast<uint32_t>(k);  // who it is
                e.time = static_cast<TimeMs>(k * 7 + 1);
                e.file = static_cast<uint32_t>(k % 13);
                events.push_back(e);
            }
            std::vector<uint32_t> moves = where;
            // Few buckets make them wider than 1024 places (as for many millions of events).
            events.Permute(moves, n % 2 == 0 ? 2048 : 3);
            ASSERT_EQ(events.size(), n);
            for (size_t k = 0; k < n; ++k) ASSERT_EQ(moves[k], k) << "left as the identity";
            size_t wrong = 0;
            for (size_t k = 0; k < n; ++k) {
                const EventInfo& e = events[where[k]];
                if (e.record != k || e.time != static_cast<TimeMs>(k * 7 + 1) || e.file != k % 13) {
                    ++wrong;
                }
            }
            EXPECT_EQ(wrong, 0u);
        }
    }
    // Places that are not a permutation are refused, never followed forever or past the end:
    // too few, one taken twice (inside a bucket, or across buckets), one past the end (in the
    // last bucket, or beyond it).
    for (const size_t n : {size_t{2}, size_t{1030}, size_t{5000}}) {
        EventList list;
        for (size_t k = 0; k < n; ++k) list.push_back(EventInfo{});
        std::vector<uint32_t> identity(n);
        std::iota(identity.begin(), identity.end(), 0u);
        std::vector<std::vector<uint32_t>> bad;
        bad.emplace_back(identity.begin(), identity.end() - 1);
        for (const size_t at : {size_t{0}, n - 1, n / 2}) {
            std::vector<uint32_t> twice = identity;
            twice[at] = static_cast<uint32_t>((at + 1) % n);
            bad.push_back(twice);
            std::vector<uint32_t> past = identity;
            past[at] = static_cast<uint32_t>(n + (at % 3) * 1000);
            bad.push_back(past);
        }
        std::vector<uint32_t> reversed(identity.rbegin(), identity.rend());
        reversed[0] = reversed[1];  // taken twice, far from where it belongs
        bad.push_back(reversed);
        for (std::vector<uint32_t>& where : bad) {
            SCOPED_TRACE(testing::Message() << "n " << n << " size " << where.size());
            EXPECT_THROW(list.Permute(where, 2), std::invalid_argument);
        }
    }
}

// Blocks released by one list are filled by another before it maps new ones (the merge of the
// workers' lists reuses their memory); the events left in the first list stay readable.
TEST(EventListTest, ReleasedBlocksAreReusedByAnotherList) {
    EventList a, b;
    const size_t n = EventList::kBlockSize * 2 + 5;
    for (size_t k = 0; k < n; ++k) {
        EventInfo e;
        e.record = static_cast<uint32_t>(k);
        a.push_back(e);
    }
    const EventInfo* first_block = &a[0];
    const EventInfo* second_block = &a[EventList::kBlockSize];
    a.ReleaseBefore(EventList::kBlockSize * 2, &b);  // both full blocks
    for (size_t k = 0; k < EventList::kBlockSize + 1; ++k) {
        EventInfo e;
        e.record = static_cast<uint32_t>(1000000 + k);
        b.push_back(e);
    }
    // The last block released is filled first, then the one before it.
    EXPECT_EQ(&b[0], second_block);
    EXPECT_EQ(&b[EventList::kBlockSize], first_block);
    EXPECT_EQ(b[0].record, 1000000u);
    EXPECT_EQ(b[EventList::kBlockSize].record, 1000000u + EventList::kBlockSize);
    for (size_t k = EventList::kBlockSize * 2; k < n; ++k) EXPECT_EQ(a[k].record, k);
    // A list never takes its own blocks: its third block is new memory, not its first again.
    // (The system may map new memory where a block was: what tells them apart is that new
    // memory reads as zeros beyond the events written.)
    EventInfo marked;
    marked.record = 77;
    EventList c;
    for (size_t k = 0; k < EventList::kBlockSize + 1; ++k) c.push_back(marked);
    c.ReleaseBefore(EventList::kBlockSize, &c);
    EXPECT_EQ(c[EventList::kBlockSize].record, 77u);
    while (c.size() < EventList::kBlockSize * 2 + 1) c.push_back(EventInfo{});
    EXPECT_EQ(c[EventList::kBlockSize * 2 + 5].record, 0u);  // not yet written: new memory
    // Blocks handed over and never filled are freed (DropSpare) and not filled after.
    EventList d, e;
    for (size_t k = 0; k < EventList::kBlockSize + 1; ++k) d.push_back(marked);
    d.ReleaseBefore(EventList::kBlockSize, &e);
    e.DropSpare();
    e.push_back(EventInfo{});
    EXPECT_EQ(e[5].record, 0u);
}

// Each event's detections come back as they were added: one (kept inline), several, or one
// past 2^31 (kept aside), across blocks.
TEST(ArrivalMatchesTest, EachEventGivesBackItsDetections) {
    ArrivalMatches m;
    std::vector<std::vector<uint32_t>> added;
    for (uint32_t k = 0; k < 70000; ++k) {
        std::vector<uint32_t> d;
        if (k % 1000 == 7) {
            d = {k % 5, 3, 0x80000001u};  // several
        } else if (k % 1000 == 8) {
            d = {0x80000000u + k};  // one, past 2^31
        } else {
            d = {k % 97};
        }
        m.Add(d);
        added.push_back(d);
    }
    ASSERT_EQ(m.events(), added.size());
    size_t total = 0, wrong = 0;
    for (size_t k = 0; k < added.size(); ++k) {
        std::vector<uint32_t> got;
        m.ForEach(k, [&](uint32_t d) { got.push_back(d); });
        if (got != added[k]) ++wrong;
        total += added[k].size();
    }
    EXPECT_EQ(wrong, 0u);
    EXPECT_EQ(m.matches(), total);
}

// What the extractor keeps of a matched event: events of one call with nothing of their own
// share the call's detail; an event with extra values, or whose record number does not fit 32
// bits, has its own, and still reads its call, its values and its record number.
TEST(EventInfoExtractorTest, EventsShareTheirCallsDetailUnlessTheyKeepSomethingOfTheirOwn) {
    event::FieldCatalog catalog;
    const EventInfoExtractor extractor(catalog, {"requestParameters.bucketName"});
    const event::FieldId bucket = catalog.Find("requestParameters.bucketName");
    catalog.Freeze();
    StringStore store;
    auto extract = [&](uint64_t record, const char* bucket_name) {
        event::EventView v;
        v.Reset(&catalog);
        v.Add(event::kEventId, {event::ValueType::kString, false, "ev", 0});
        v.Add(event::kEventName, {event::ValueType::kString, false, "GetObject", 0});
        v.Add(event::kEventSource, {event::ValueType::kString, false, "s3.amazonaws.com", 0});
        if (bucket_name != nullptr) {
            v.Add(bucket, {event::ValueType::kString, false, bucket_name, 0});
        }
        v.set_position(2, record);
        v.Finish();
        EventInfo e;
        e.file = v.file_index();  // as hunt does (with the time)
        extractor.Extract(v, store, &kNoActor, {0}, e);
        return e;
    };
    const EventInfo a = extract(7, nullptr), b = extract(8, nullptr);
    const EventInfo c = extract(9, "logs");
    const EventInfo big = extract(uint64_t{5} << 32, nullptr);
    // The last number kept in 32 bits, and the first that is not.
    const EventInfo last32 = extract(0xFFFFFFFEu, nullptr), first64 = extract(0xFFFFFFFFu, nullptr);
    EXPECT_EQ(last32.record_number(), 0xFFFFFFFEu);
    EXPECT_EQ(last32.detail, a.detail);
    EXPECT_EQ(first64.record_number(), 0xFFFFFFFFu);
    EXPECT_NE(first64.detail, a.detail);
    const EventInfo bigger = extract((uint64_t{5} << 32) + 1, "logs");
    EXPECT_EQ(a.detail, b.detail);  // shared
    EXPECT_NE(c.detail, a.detail);
    EXPECT_NE(big.detail, a.detail);
    for (const EventInfo* e : {&a, &b, &c, &big, &bigger}) {
        EXPECT_EQ(e->event_name(), "GetObject");
        EXPECT_EQ(e->event_source(), "s3.amazonaws.com");
    }
    EXPECT_EQ(a.record_number(), 7u);
    EXPECT_EQ(c.record_number(), 9u);
    EXPECT_EQ(big.record_number(), uint64_t{5} << 32);
    EXPECT_EQ(bigger.record_number(), (uint64_t{5} << 32) + 1);
    EXPECT_EQ(c.extra(0), "logs");
    EXPECT_EQ(bigger.extra(0), "logs");
    EXPECT_EQ(a.extra(0), "");
    EXPECT_TRUE(EventBefore(c, big));
    EXPECT_TRUE(EventBefore(big, bigger));
    EXPECT_FALSE(EventBefore(bigger, big));
    EXPECT_EQ(EventIdText(big), "ev");
    EventInfo no_id = big;
    no_id.event_id = EventId();
    EXPECT_EQ(EventIdText(no_id), "record:2:" + std::to_string(uint64_t{5} << 32));
}

// Calls are numbered 0, 1, 2... in order of first sight, one number per (name, source,
// variant), whatever bytes the texts hold (a separator inside a value makes no collision).
TEST(StringStoreTest, EachCallHasANumberOfItsOwn) {
    StringStore store;
    bool created = false;
    struct Want {
        std::string name, source, variant;
        uint32_t id;
        bool created;
    };
    const std::string sep(1, kValueSeparator);
    const std::vector<Want> calls = {
        {"X" + sep + "Y", "iam.amazonaws.com", "", 0, true},
        {"Y", "iam.amazonaws.com" + sep + "X", "", 1, true},
        {"X" + sep + "Y", "iam.amazonaws.com", "", 0, false},
        {"X" + sep + "Y", "iam.amazonaws.com", "v", 2, true},
        {"", "", "", 3, true},
        {"Y", "iam.amazonaws.com" + sep + "X", "", 1, false},
        {"X" + sep + "Y", "iam.amazonaws.com", "v", 2, false},
        {"", "", "", 3, false},
        // Texts that would run together without their sizes.
        {"cY", "ab", "", 4, true},
        {"Y", "abc", "", 5, true},
        {"n", "s", "v", 6, true},
        {"vn", "s", "", 7, true},
        {"Y", "abc", "", 5, false},
    };
    for (const Want& w : calls) {
        const EventCall* c = store.Call(w.name, w.source, created, w.variant);
        EXPECT_EQ(c->id, w.id) << w.name << " / " << w.source << " / " << w.variant;
        EXPECT_EQ(created, w.created) << w.name << " / " << w.source;
        EXPECT_EQ(c->event_name, w.name);
        EXPECT_EQ(c->event_source, w.source);
        EXPECT_EQ(c->variant, w.variant);
    }
    EXPECT_EQ(store.call_count(), 8u);
}

// Events whose call fields are not one string each get calls of their own: a null name, a
// name written twice, none.
TEST(EventInfoExtractorTest, OnlyEventsWithTheSameCallValuesShareACall) {
    event::FieldCatalog catalog;
    const EventInfoExtractor extractor(catalog, {});
    catalog.Freeze();
    StringStore store;
    using event::ValueType;
    auto call = [&](std::vector<event::Value> names) {
        event::EventView v;
        v.Reset(&catalog);
        v.Add(event::kEventSource, {ValueType::kString, false, "s3.amazonaws.com", 0});
        for (const event::Value& n : names) v.Add(event::kEventName, n);
        v.Finish();
        return extractor.CallOf(v, store);
    };
    const event::Value get{ValueType::kString, false, "GetObject", 0};
    const event::Value put{ValueType::kString, false, "PutObject", 0};
    const EventCall* plain = call({get});
    EXPECT_EQ(call({get}), plain);
    EXPECT_TRUE(plain->variant.empty());
    const EventCall* twice = call({get, put});
    EXPECT_NE(twice, plain);
    EXPECT_EQ(twice->event_name, "GetObject");
    EXPECT_EQ(call({get, put}), twice);
    EXPECT_NE(call({get, get}), twice);
    const EventCall* null_name = call({{ValueType::kNull, false, "null", 0}});
    const EventCall* empty_name = call({{ValueType::kString, false, "", 0}});
    const EventCall* no_name = call({});
    EXPECT_NE(null_name, empty_name);
    EXPECT_NE(no_name, empty_name);
    EXPECT_NE(no_name, null_name);
    EXPECT_EQ(call({}), no_name);
}

}  // namespace
}  // namespace tw::detect
