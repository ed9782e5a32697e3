// IdList: ids packed in one buffer read back exactly, in order, whatever their length.
#include "findings/id_list.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <latch>
#include <thread>

#include "core/strings.h"
#include "findings/finding.h"

namespace tw::findings {
namespace {

TEST(IdListTest, ReadsBackEveryIdInOrder) {
    IdList ids;
    EXPECT_TRUE(ids.empty());
    ids.reserve(3, 10);
    ids.push_back("e1");
    ids.push_back("");  // an empty id stays an entry of its own
    ids.push_back("0f9c2d4e-6a1b-4c3d-8e5f-a1b2c3d4e5f6");
    ASSERT_EQ(ids.size(), 3u);
    EXPECT_EQ(ids[0], "e1");
    EXPECT_EQ(ids[1], "");
    EXPECT_EQ(ids.back(), "0f9c2d4e-6a1b-4c3d-8e5f-a1b2c3d4e5f6");
    EXPECT_EQ(ids.text_size(), 2u + 36u);
    const std::vector<std::string> want = {"e1", "", "0f9c2d4e-6a1b-4c3d-8e5f-a1b2c3d4e5f6"};
    EXPECT_TRUE(ids == want);
    EXPECT_FALSE(ids == std::vector<std::string>({"e1", "", "other"}));
    EXPECT_FALSE(ids == std::vector<std::string>({"e1", ""}));
    std::vector<std::string> seen(ids.begin(), ids.end());
    EXPECT_EQ(seen, want);
    EXPECT_EQ(std::find(ids.begin(), ids.end(), "e1") - ids.begin(), 0);
    EXPECT_EQ(ids.end() - ids.begin(), 3);
}

TEST(IdListTest, AssignsFromStringsAndClears) {
    IdList ids({"a"});
    ids = std::vector<std::string>{"x", "yy", "zzz"};
    EXPECT_EQ(ids, (IdList{"x", "yy", "zzz"}));
    EXPECT_NE(ids, (IdList{"xy", "y", "zzz"}));  // same text, other boundaries
    ids.clear();
    EXPECT_TRUE(ids.empty());
    EXPECT_EQ(ids.text_size(), 0u);
}

TEST(IdListTest, ManyIdsSurviveAJsonRoundTrip) {
    Finding f;
    f.rule_id = "r";
    f.severity = Severity::kLow;
    for (int i = 0; i < 100000; ++i) f.event_ids.push_back("id-" + std::to_string(i));
    auto back = ParseFinding(ToJsonLine(f));
    ASSERT_TRUE(back.has_value());
    ASSERT_EQ(back->event_ids.size(), 100000u);
    EXPECT_EQ(back->event_ids[0], "id-0");
    EXPECT_EQ(back->event_ids[99999], "id-99999");
    EXPECT_EQ(back->event_ids, f.event_ids);
}

// The 16 bytes of the UUID "0f9c2d4e-6a1b-4c3d-8e5f-a1b2c3d4e5" followed by two hex digits of i.
std::array<uint8_t, 16> UuidBytes(uint8_t i) {
    std::array<uint8_t, 16> b = {0x0f, 0x9c, 0x2d, 0x4e, 0x6a, 0x1b, 0x4c, 0x3d,
                                 0x8e, 0x5f, 0xa1, 0xb2, 0xc3, 0xd4, 0xe5, i};
    return b;
}
std::string UuidText(uint8_t i) {
    static constexpr char kHex[] = "0123456789abcdef";
    return std::string("0f9c2d4e-6a1b-4c3d-8e5f-a1b2c3d4e5") + kHex[i >> 4] + kHex[i & 15];
}

TEST(IdListTest, PackedUuidsReadAsTheirText) {
    IdList packed, text;
    packed.reserve_uuids(300);
    for (int i = 0; i < 300; ++i) {
        packed.push_back_uuid(UuidBytes(static_cast<uint8_t>(i)).data());
        text.push_back(UuidText(static_cast<uint8_t>(i)));
    }
    ASSERT_TRUE(packed.packed());
    ASSERT_FALSE(text.packed());
    EXPECT_EQ(packed.size(), 300u);
    EXPECT_EQ(packed.text_size(), 300u * 36u);
    // Written the same, without reading the text first.
    Finding a, b;
    a.rule_id = b.rule_id = "r";
    a.event_ids = packed;
    b.event_ids = text;
    EXPECT_TRUE(a.event_ids.packed());
    EXPECT_EQ(ToJsonLine(a), ToJsonLine(b));
    // Read as text: equal lists, element by element.
    EXPECT_EQ(packed, text);
    EXPECT_EQ(packed[255], UuidText(255));
    EXPECT_EQ(packed.text(), text.text());
    std::vector<std::string> seen(packed.begin(), packed.end());
    EXPECT_EQ(seen.size(), 300u);
    EXPECT_EQ(seen[7], UuidText(7));
    // More ids after a read, packed or text: the list stays exact.
    packed.push_back_uuid(UuidBytes(1).data());
    EXPECT_EQ(packed.back(), UuidText(1));
    packed.push_back("not-a-uuid");
    EXPECT_FALSE(packed.packed());
    EXPECT_EQ(packed.size(), 302u);
    EXPECT_EQ(packed[300], UuidText(1));
    EXPECT_EQ(packed[301], "not-a-uuid");
    packed.push_back_uuid(UuidBytes(2).data());  // into a text list: as text
    EXPECT_EQ(packed.back(), UuidText(2));
    EXPECT_EQ(packed.size(), 303u);
    // Copies and moves keep both forms.
    IdList copy = a.event_ids;
    EXPECT_TRUE(copy.packed());
    EXPECT_EQ(copy, text);
    IdList moved = std::move(copy);
    EXPECT_EQ(moved[299], UuidText(299 & 255));
    EXPECT_NE(moved, IdList{"x"});
    // A copy of a list already read, a copy assigned over a text list, and itself.
    IdList read_copy(moved);
    EXPECT_TRUE(read_copy.packed());
    EXPECT_EQ(read_copy.text(), text.text());
    IdList assigned{"a", "b"};
    assigned = read_copy;
    EXPECT_EQ(assigned, text);
    const IdList& same = assigned;
    assigned = same;
    EXPECT_EQ(assigned, text);
    // Packed lists of one size that differ in one id.
    IdList other;
    for (int i = 0; i < 300; ++i)
        other.push_back_uuid(UuidBytes(static_cast<uint8_t>(i == 150 ? 7 : i)).data());
    EXPECT_NE(other, a.event_ids);
    EXPECT_EQ(other.size(), a.event_ids.size());
    // Ids added to a list read as text are read back too, in order.
    IdList grown;
    grown.push_back_uuid(UuidBytes(1).data());
    EXPECT_EQ(grown[0], UuidText(1));
    grown.push_back_uuid(UuidBytes(2).data());
    grown.push_back_uuid(UuidBytes(3).data());
    EXPECT_EQ(grown.text(), UuidText(1) + UuidText(2) + UuidText(3));
    EXPECT_EQ(grown[2], UuidText(3));
    std::string joined;
    for (size_t i = 0; i < grown.size(); ++i) grown.AppendId(joined, i);
    EXPECT_EQ(joined, grown.text());
    moved.clear();
    EXPECT_TRUE(moved.empty());
    EXPECT_FALSE(moved.packed());
}

TEST(IdListTest, PackedIdsAreReadFromTwoThreadsAtOnce) {
    // Both threads start reading together, list after list. (A race would show under
    // ThreadSanitizer; without it, this checks that both read the right text.)
    std::vector<IdList> lists(50);
    for (IdList& ids : lists) {
        for (int i = 0; i < 2000; ++i)
            ids.push_back_uuid(UuidBytes(static_cast<uint8_t>(i)).data());
    }
    std::latch start(2);
    auto read_all = [&] {
        start.arrive_and_wait();
        std::string seen;
        for (const IdList& ids : lists) seen += ids[1999];
        return seen;
    };
    std::string first;
    std::thread t([&] { first = read_all(); });
    const std::string second = read_all();
    t.join();
    std::string want;
    for (size_t k = 0; k < lists.size(); ++k) want += UuidText(1999 & 255);
    EXPECT_EQ(first, want);
    EXPECT_EQ(second, want);
}

TEST(IdListTest, IdsAreWrittenAsJsonStringsWhateverTheirBytes) {
    // Plain ids take a fast path; one id needing an escape anywhere in the list sends the list
    // the usual way. Both must write what AppendJsonString writes, drained in pieces or not.
    const std::vector<std::string> odd = {"q\"uote",     "back\\slash", "tab\t",
                                          "caf\xc3\xa9", "bad\xff",     ""};
    for (size_t n : {size_t{0}, size_t{1}, size_t{1023}, size_t{1024}, size_t{2500}}) {
        // Variant -2: packed UUIDs; -1: plain text ids; else one odd id among plain ones.
        for (int variant = -2; variant < static_cast<int>(odd.size()); ++variant) {
            Finding f;
            f.rule_id = "r";
            f.severity = Severity::kLow;
            std::vector<std::string> ids;
            for (size_t i = 0; i < n; ++i) {
                ids.push_back(variant == -2 ? UuidText(static_cast<uint8_t>(i))
                                            : "0f9c2d4e-" + std::to_string(i));
            }
            if (variant >= 0)
                ids.insert(ids.begin() + static_cast<std::ptrdiff_t>(n / 2), odd[variant]);
            if (variant == -2) {
                for (size_t i = 0; i < n; ++i)
                    f.event_ids.push_back_uuid(UuidBytes(static_cast<uint8_t>(i)).data());
                ASSERT_EQ(f.event_ids.packed(), n > 0);
            } else {
                f.event_ids = ids;
            }
            std::string want = "\"event_ids\":[";
            for (size_t i = 0; i < ids.size(); ++i) {
                if (i != 0) want += ',';
                AppendJsonString(want, ids[i]);
            }
            want += ']';
            const std::string whole = ToJsonLine(f);
            EXPECT_NE(whole.find(want), std::string::npos) << n << " " << variant;
            std::string drained, buffer;
            size_t drains = 0;
            AppendJsonLine(buffer, f, [&](std::string& o) {
                drained += o;
                o.clear();
                ++drains;
            });
            drained += buffer;
            EXPECT_EQ(drained, whole) << n << " " << variant;
            // Once after each 1024 ids, as the ids are written.
            EXPECT_EQ(drains, ids.size() / 1024) << n << " " << variant;
        }
    }
}

}  // namespace
}  // namespace tw::findings
