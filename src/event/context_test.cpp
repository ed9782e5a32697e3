// Event contexts: equal context fields give one id, any difference another.
#include "event/context.h"

#include <gtest/gtest.h>

namespace tw::event {
namespace {

class ContextTest : public ::testing::Test {
  protected:
    ContextTest() : fields_(catalog_) {
        uid_ = catalog_.Find("userIdentity");
        ip_ = catalog_.Find("sourceIPAddress");
        catalog_.Freeze();
    }

    // An event whose userIdentity text is `uid` (an object unless `type` says otherwise).
    const EventView& Event(std::string_view uid, std::string_view ip,
                           ValueType type = ValueType::kObject, uint64_t serial = 0) {
        view_.Reset(&catalog_);
        view_.set_identity_serial(serial);
        view_.Add(uid_, {type, false, uid, 0});
        if (!ip.empty()) view_.Add(ip_, {ValueType::kString, false, ip, 0});
        view_.Finish();
        return view_;
    }

    FieldCatalog catalog_;
    ContextFields fields_;
    FieldId uid_ = kNoField, ip_ = kNoField;
    EventView view_;
};

TEST_F(ContextTest, EqualContextsShareOneDenseId) {
    ContextInterner c(fields_);
    EXPECT_EQ(c.Id(Event(R"({"type":"IAMUser"})", "1.2.3.4")), 0u);
    EXPECT_EQ(c.Id(Event(R"({"type":"AssumedRole"})", "1.2.3.4")), 1u);
    EXPECT_EQ(c.Id(Event(R"({"type":"IAMUser"})", "1.2.3.4")), 0u);
    EXPECT_EQ(c.size(), 2u);
}

TEST_F(ContextTest, AnyDifferenceMakesANewContext) {
    ContextInterner c(fields_);
    const uint32_t a = c.Id(Event(R"({"type":"IAMUser"})", "1.2.3.4"));
    EXPECT_NE(c.Id(Event(R"({"type":"IAMUser"})", "1.2.3.5")), a);  // another address
    EXPECT_NE(c.Id(Event(R"({"type":"IAMUser"})", "")), a);         // none
    // The same text as a string is not the same value.
    EXPECT_NE(c.Id(Event(R"({"type":"IAMUser"})", "1.2.3.4", ValueType::kString)), a);
    // Values that only concatenate alike stay apart.
    const uint32_t b = c.Id(Event("ab", "c", ValueType::kString));
    EXPECT_NE(c.Id(Event("a", "bc", ValueType::kString)), b);
    EXPECT_EQ(c.size(), 6u);
}

TEST_F(ContextTest, TheIdentitySerialStandsForTheIdentityText) {
    ContextInterner c(fields_);
    constexpr auto kObject = ValueType::kObject;
    const uint32_t a = c.Id(Event(R"({"type":"IAMUser"})", "1.2.3.4", kObject, 5));
    // A serial seen before is taken for its text (here deliberately not the same text).
    EXPECT_EQ(c.Id(Event(R"({"type":"Root"})", "1.2.3.4", kObject, 5)), a);
    EXPECT_NE(c.Id(Event(R"({"type":"IAMUser"})", "1.2.3.5", kObject, 5)), a);
    // The same text under another serial, or without one, is the same context.
    EXPECT_EQ(c.Id(Event(R"({"type":"IAMUser"})", "1.2.3.4", kObject, 6)), a);
    EXPECT_EQ(c.Id(Event(R"({"type":"IAMUser"})", "1.2.3.4")), a);
    // Another text, and the same text as a string, are other contexts.
    EXPECT_NE(c.Id(Event(R"({"type":"Root"})", "1.2.3.4", kObject, 7)), a);
    EXPECT_NE(c.Id(Event(R"({"type":"IAMUser"})", "1.2.3.4", ValueType::kString, 8)), a);
    EXPECT_EQ(c.size(), 4u);
}

TEST_F(ContextTest, OtherSerialsAreLookedUpByTheirText) {
    ContextInterner c(fields_);
    constexpr auto kObject = ValueType::kObject;
    constexpr uint64_t kParser = uint64_t{3} << 32;
    const uint32_t a = c.Id(Event(R"({"type":"A"})", "1.2.3.4", kObject, kParser | 1));
    EXPECT_EQ(c.Id(Event(R"({"type":"B"})", "1.2.3.4", kObject, kParser | 1)), a);  // by serial
    // Serials of another parser, and serials past the bound, are not trusted: the text is.
    EXPECT_NE(c.Id(Event(R"({"type":"B"})", "1.2.3.4", kObject, (uint64_t{4} << 32) | 1)), a);
    EXPECT_EQ(c.Id(Event(R"({"type":"A"})", "1.2.3.4", kObject, (uint64_t{4} << 32) | 1)), a);
    for (uint64_t low : {uint64_t{1} << 20, uint64_t{0xffffffff}}) {
        EXPECT_EQ(c.Id(Event(R"({"type":"A"})", "1.2.3.4", kObject, kParser | low)), a);
        EXPECT_NE(c.Id(Event(R"({"type":"B"})", "1.2.3.4", kObject, kParser | low)), a);
    }
    // Many serials of one parser keep their ids.
    for (uint32_t i = 2; i < 5000; ++i) {
        const std::string uid = "{\"n\":" + std::to_string(i) + "}";
        const uint32_t id = c.Id(Event(uid, "1.2.3.4", kObject, kParser | i));
        ASSERT_EQ(c.Id(Event(uid, "1.2.3.4", kObject, kParser | (i + 100000))), id);
        ASSERT_EQ(c.Id(Event("?", "1.2.3.4", kObject, kParser | i)), id);
    }
}

TEST_F(ContextTest, SeveralIdentityValuesAreKeyedByTheirText) {
    ContextInterner c(fields_);
    auto twice = [&](std::string_view second) -> const EventView& {
        view_.Reset(&catalog_);
        view_.set_identity_serial(9);
        view_.Add(uid_, {ValueType::kObject, false, R"({"type":"A"})", 0});
        view_.Add(uid_, {ValueType::kObject, false, second, 0});
        view_.Finish();
        return view_;
    };
    const uint32_t a = c.Id(twice(R"({"type":"A"})"));
    EXPECT_NE(c.Id(twice(R"({"type":"B"})")), a);
    EXPECT_EQ(c.Id(twice(R"({"type":"A"})")), a);
}

TEST_F(ContextTest, ManyContextsKeepTheirIds) {
    ContextInterner c(fields_);
    std::vector<std::string> uids;
    for (int i = 0; i < 5000; ++i)
        uids.push_back(R"({"arn":"arn:aws:iam::1:user/u)" + std::to_string(i) + "\"}");
    for (int i = 0; i < 5000; ++i)
        EXPECT_EQ(c.Id(Event(uids[i], "1.2.3.4")), static_cast<uint32_t>(i));
    for (int i = 4999; i >= 0; --i)
        EXPECT_EQ(c.Id(Event(uids[i], "1.2.3.4")), static_cast<uint32_t>(i));
}

TEST(FastHashTest, DependsOnEveryByte) {
    // Lengths that end in every part: four lanes, two lanes, the tail.
    for (const size_t size : {5, 31, 63, 64, 100, 127, 200, 701}) {
        std::string s(size, 'x');
        const uint64_t h = FastHash(s);
        for (size_t i = 0; i < s.size(); ++i) {
            std::string t = s;
            t[i] = 'y';
            EXPECT_NE(FastHash(t), h) << size << " " << i;
        }
    }
    EXPECT_NE(FastHash(std::string(7, 'x')), FastHash(std::string(8, 'x')));
    EXPECT_NE(FastHash(std::string(64, 'x')), FastHash(std::string(65, 'x')));
}

}  // namespace
}  // namespace tw::event
