// Field extraction: what EventView holds for each requested path.
#include "ingest/record_parser.h"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "ingest/splitter.h"

namespace tw::ingest {
namespace {

using event::FieldCatalog;
using event::FieldId;
using event::ValueType;

struct Captured {
    std::vector<std::vector<std::pair<ValueType, std::string>>> values;  // per requested field
    std::string raw;
};

class Capture final : public EventHandler {
  public:
    Capture(const std::vector<FieldId>& ids) : ids_(ids) {}
    void OnEvent(const event::EventView& ev) override {
        Captured c;
        c.raw = std::string(ev.raw());
        for (FieldId id : ids_) {
            std::vector<std::pair<ValueType, std::string>> vs;
            for (const auto& v : ev.Values(id)) vs.emplace_back(v.type, std::string(v.text));
            c.values.push_back(vs);
        }
        got.push_back(c);
    }
    std::vector<Captured> got;

  private:
    std::vector<FieldId> ids_;
};

// What a parse reports to: a file name, diagnostics, counters, the handler.
struct Harness {
    explicit Harness(EventHandler& handler) {
        ctx.path = &path;
        ctx.diag = &diag;
        ctx.handler = &handler;
        ctx.counts = &counts;
    }
    const std::string path = "test.json";
    Diagnostics diag{nullptr};
    FileCounts counts;
    ParseContext ctx;
};

// Parses `records` (a JSON array of records) requesting `paths`.
std::vector<Captured> Extract(const std::string& records, const std::vector<std::string>& paths,
                              std::vector<Diagnostic>* problems = nullptr, bool need_raw = true) {
    FieldCatalog catalog;
    std::vector<FieldId> ids;
    for (const auto& p : paths) ids.push_back(catalog.Intern(p));
    catalog.set_need_raw(need_raw);
    catalog.Freeze();
    RecordParser parser(catalog);
    PaddedBuffer buf;
    buf.Append(records);
    Capture capture(ids);
    Harness h(capture);
    EXPECT_EQ(parser.ParseDocument(Format::kArray, buf, h.ctx), std::string_view::npos);
    if (problems != nullptr) *problems = h.diag.all();
    return capture.got;
}

using Vals = std::vector<std::pair<ValueType, std::string>>;

// The parser guesses each key from the key at the same position of the previous record: keys
// that differ from the guess only in length, in their last byte or by an escape, and keys too
// long to guess, are still read exactly.
TEST(RecordParserTest, KeysThatAlmostRepeatThePreviousRecordAreReadExactly) {
    const std::string long_key(40, 'k');
    auto got =
        Extract(R"([{"eventSource":"s","eventName":"A","ab":"1","x":{"role":"r1"},")" + long_key +
                    R"(":"L1"},)"
                    R"({"eventSource":"s","eventNam":"B","a":"2","x":{"rolf":"r2"},")" +
                    long_key +
                    R"(x":"L2"},)"
                    R"({"eventSource":"s","eventNames":"C","abc":"3","x":{"roles":"r3"},")" +
                    long_key +
                    R"(":"L3"},)"
                    R"({"eventSource":"s","event\u004eame":"D","ab":"4","x":{"role":"r4"},")" +
                    long_key +
                    R"(":"L4"},)"
                    R"({"eventSource":"s","eventName":"E","ab":"5","x":{"role":"r5"}}])",
                {"eventName", "ab", "x.role", long_key});
    ASSERT_EQ(got.size(), 5u);
    const std::vector<Vals> want_name = {
        {{ValueType::kString, "A"}}, {}, {}, {}, {{ValueType::kString, "E"}}};
    const std::vector<Vals> want_ab = {{{ValueType::kString, "1"}},
                                       {},
                                       {},
                                       {{ValueType::kString, "4"}},
                                       {{ValueType::kString, "5"}}};
    const std::vector<Vals> want_role = {{{ValueType::kString, "r1"}},
                                         {},
                                         {},
                                         {{ValueType::kString, "r4"}},
                                         {{ValueType::kString, "r5"}}};
    const std::vector<Vals> want_long = {{{ValueType::kString, "L1"}},
                                         {},
                                         {{ValueType::kString, "L3"}},
                                         {{ValueType::kString, "L4"}},
                                         {}};
    for (size_t i = 0; i < got.size(); ++i) {
        EXPECT_EQ(got[i].values[0], want_name[i]) << "record " << i;
        EXPECT_EQ(got[i].values[1], want_ab[i]) << "record " << i;
        EXPECT_EQ(got[i].values[2], want_role[i]) << "record " << i;
        EXPECT_EQ(got[i].values[3], want_long[i]) << "record " << i;
    }
}

// Several keys are guessed at each position (optional keys shift the ones after them): a
// record may meet any of them, or one of more alternatives than there are guesses, or a key
// that only almost repeats one of them; every value is still read exactly.
TEST(RecordParserTest, KeysShiftedOrAlternatingAtOnePositionAreReadExactly) {
    // At position 1, nine alternatives (near misses among them: prefixes, one escaped, one
    // long); the keys after it then shift by one when an optional key comes first.
    const std::vector<std::string> alternatives = {"ab", "a",   "abc", "ab\\u0063",         "abd",
                                                   "x",  "ab ", "y",   std::string(35, 'a')};
    const std::vector<std::string> wanted = {"eventName",         "ab", "abc", "a", "tail", "opt",
                                             std::string(35, 'a')};
    std::string doc = "[";
    std::vector<std::map<std::string, std::string>> want;
    for (int i = 0; i < 60; ++i) {
        const std::string& alt = alternatives[(i * 7) % alternatives.size()];
        const bool optional = i % 3 == 1;
        const std::string n = std::to_string(i);
        if (i > 0) doc += ",";
        doc += R"({"eventName":"E)" + n + "\"";
        if (optional) doc += R"(,"opt":"o)" + n + "\"";
        doc += ",\"" + alt + "\":\"v" + n + "\"";
        doc += R"(,"tail":"t)" + n + "\"}";
        std::map<std::string, std::string> w = {{"eventName", "E" + n}, {"tail", "t" + n}};
        if (optional) w["opt"] = "o" + n;
        // An escaped key matches no path (RawKey), like the escaped key of the test above.
        if (alt != "ab\\u0063") w[alt] = "v" + n;
        want.push_back(w);
    }
    doc += "]";
    auto got = Extract(doc, wanted);
    ASSERT_EQ(got.size(), want.size());
    for (size_t i = 0; i < got.size(); ++i) {
        for (size_t f = 0; f < wanted.size(); ++f) {
            const auto it = want[i].find(wanted[f]);
            const Vals expected =
                it == want[i].end() ? Vals{} : Vals{{ValueType::kString, it->second}};
            EXPECT_EQ(got[i].values[f], expected) << "record " << i << ", " << wanted[f];
        }
    }
}

// Without raw text to deliver, the parser stops reading a record once it has seen every
// wanted key: a key written twice does not count twice, and the same values come out.
TEST(RecordParserTest, StoppingEarlyReadsEveryWantedKey) {
    const std::string records =
        R"([{"eventName":"A","eventName":"B","x":"1","eventSource":"s","eventTime":"2024-01-01T00:00:00Z"},)"
        R"({"eventTime":"2024-01-01T00:00:00Z","eventSource":"s","eventName":"C","x":"2","y":"3"},)"
        R"({"x":"4","x":"5","eventName":"D","eventSource":"s","eventTime":"2024-01-01T00:00:00Z","x":"6"}])";
    const std::vector<std::string> paths = {"eventName", "x", "eventSource", "eventTime"};
    auto all = Extract(records, paths, nullptr, true);
    auto early = Extract(records, paths, nullptr, false);
    ASSERT_EQ(all.size(), 3u);
    ASSERT_EQ(early.size(), 3u);
    EXPECT_EQ(early[0].values[1], (Vals{{ValueType::kString, "1"}}));
    EXPECT_EQ(early[0].values[0], (Vals{{ValueType::kString, "A"}, {ValueType::kString, "B"}}));
    EXPECT_EQ(early[2].values[0], (Vals{{ValueType::kString, "D"}}));
    for (size_t i = 0; i < 3; ++i) {
        for (size_t f = 0; f < paths.size(); ++f) {
            // A key repeated after every wanted key was seen is not read again.
            if (i == 2 && f == 1) continue;
            EXPECT_EQ(early[i].values[f], all[i].values[f]) << "record " << i << ", " << paths[f];
        }
    }
    EXPECT_EQ(early[2].values[1], (Vals{{ValueType::kString, "4"}, {ValueType::kString, "5"}}));
    EXPECT_TRUE(early[0].raw.empty());
}

// Past 64 wanted root keys the parser reads every key (one bit each no longer fits); at 64 it
// still stops early. Either way every wanted value comes out. (n paths, plus eventTime and
// eventSource, which every catalog wants: 63 to 70 root keys.)
TEST(RecordParserTest, ManyWantedRootKeysAreAllRead) {
    for (const size_t n : {size_t{61}, size_t{62}, size_t{63}, size_t{68}}) {
        std::vector<std::string> paths = {"eventName"};
        std::string record = R"({"eventTime":"2024-01-01T00:00:00Z","eventName":"E")";
        // "k<i>", "v<i>" (appended: GCC 12 warns falsely about "k" + std::to_string(i)).
        auto numbered = [](const char* prefix, size_t i) {
            std::string text = prefix;
            text += std::to_string(i);
            return text;
        };
        for (size_t i = 1; i < n; ++i) {
            paths.push_back(numbered("k", i));
            record += ",\"" + numbered("k", i) + "\":\"" + numbered("v", i) + "\"";
        }
        record += R"(,"extra":"x"})";
        const auto got = Extract("[" + record + "]", paths, nullptr, false);
        ASSERT_EQ(got.size(), 1u) << n;
        EXPECT_EQ(got[0].values[0], (Vals{{ValueType::kString, "E"}})) << n;
        for (size_t i = 1; i < n; ++i) {
            EXPECT_EQ(got[0].values[i], (Vals{{ValueType::kString, numbered("v", i)}}))
                << n << " keys, k" << i;
        }
    }
}

TEST(RecordParserTest, NestedPathsAndTypes) {
    auto got = Extract(
        R"([{"eventName":"PutEventSelectors","eventTime":"2024-06-20T21:55:34Z",)"
        R"("userIdentity":{"sessionContext":{"sessionIssuer":{"arn":"arn:aws:iam::1:role/x"}}},)"
        R"("n":12.5,"b":false,"z":null,"s":"a\"b"}])",
        {"userIdentity.sessionContext.sessionIssuer.arn", "n", "b", "z", "s", "missing",
         "userIdentity.sessionContext.missing"});
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0].values[0], (Vals{{ValueType::kString, "arn:aws:iam::1:role/x"}}));
    EXPECT_EQ(got[0].values[1], (Vals{{ValueType::kNumber, "12.5"}}));
    EXPECT_EQ(got[0].values[2], (Vals{{ValueType::kBool, "false"}}));
    EXPECT_EQ(got[0].values[3], (Vals{{ValueType::kNull, "null"}}));
    EXPECT_EQ(got[0].values[4], (Vals{{ValueType::kString, "a\"b"}}));
    EXPECT_TRUE(got[0].values[5].empty());
    EXPECT_TRUE(got[0].values[6].empty());
}

TEST(RecordParserTest, PathsThroughArraysYieldEveryElement) {
    auto got = Extract(
        R"([{"eventName":"PutEventSelectors","requestParameters":{"eventSelectors":[)"
        R"({"readWriteType":"ReadOnly","includeManagementEvents":true},)"
        R"({"readWriteType":"All","includeManagementEvents":false}]},)"
        R"("resources":[{"ARN":"a1"},{"ARN":"a2"},{"other":1}],"tags":["x","y"]}])",
        {"requestParameters.eventSelectors.readWriteType",
         "requestParameters.eventSelectors.includeManagementEvents", "resources.ARN", "tags"});
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0].values[0],
              (Vals{{ValueType::kString, "ReadOnly"}, {ValueType::kString, "All"}}));
    EXPECT_EQ(got[0].values[1], (Vals{{ValueType::kBool, "true"}, {ValueType::kBool, "false"}}));
    EXPECT_EQ(got[0].values[2], (Vals{{ValueType::kString, "a1"}, {ValueType::kString, "a2"}}));
    // A path ending at an array: the array's text, then each element.
    EXPECT_EQ(got[0].values[3], (Vals{{ValueType::kArray, R"(["x","y"])"},
                                      {ValueType::kString, "x"},
                                      {ValueType::kString, "y"}}));
}

TEST(RecordParserTest, ObjectFieldsKeepTheirRawTextEvenWhenDeeperPathsAreRequested) {
    auto got = Extract(
        R"([{"eventName":"x","requestParameters":{"bucketName":"logs", "policy":{"a":[1,2]}} }])",
        {"requestParameters", "requestParameters.bucketName", "requestParameters.policy"});
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0].values[0],
              (Vals{{ValueType::kObject, R"({"bucketName":"logs", "policy":{"a":[1,2]}})"}}));
    EXPECT_EQ(got[0].values[1], (Vals{{ValueType::kString, "logs"}}));
    EXPECT_EQ(got[0].values[2], (Vals{{ValueType::kObject, R"({"a":[1,2]})"}}));
}

TEST(RecordParserTest, NonObjectRecordsAreReportedAndSkipped) {
    std::vector<Diagnostic> problems;
    auto got = Extract(R"([{"eventName":"a"}, 17, {"eventName":"b"}])", {"eventName"}, &problems);
    ASSERT_EQ(got.size(), 2u);
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_EQ(problems[0].position, "record 2");
}

// Strings without escapes are taken as they stand and those with one are unescaped, wherever
// the escape or the closing quote falls in the 16-byte steps of the scan.
TEST(RecordParserTest, StringsAreUnescapedWhereverTheEscapeFalls) {
    for (size_t size = 0; size <= 40; ++size) {
        const std::string plain(size, 'a');
        std::string records = "[";
        std::vector<std::string> want;
        // No escape, then one escaped quote (\") at each position.
        for (size_t at = 0; at <= size + 1; ++at) {
            std::string json = plain, text = plain;
            if (at <= size) {
                json.insert(at, "\\\"");
                text.insert(text.begin() + static_cast<std::ptrdiff_t>(at), '"');
            }
            if (records.size() > 1) records += ',';
            records.append(R"({"eventName":"x","userAgent":")").append(json).append("\"}");
            want.push_back(text);
        }
        records += "]";
        const auto got = Extract(records, {"userAgent"});
        ASSERT_EQ(got.size(), want.size()) << size;
        for (size_t i = 0; i < want.size(); ++i) {
            ASSERT_EQ(got[i].values[0].size(), 1u);
            EXPECT_EQ(got[i].values[0][0].second, want[i]) << size << " " << i;
        }
    }
}

TEST(RecordParserTest, NonAsciiValuesSurviveUnchanged) {
    auto got = Extract(R"([{"eventName":"x","userAgent":"naïve \u00e9 日本"}])", {"userAgent"});
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0].values[0][0].second, "naïve é 日本");
}

// ---- userIdentity cache: the view must be exactly what walking the object gives

struct FullValue {
    FieldId field;
    ValueType type;
    bool in_array;
    std::string text;
    double number;
    bool operator==(const FullValue&) const = default;
};

class FullCapture final : public EventHandler {
  public:
    explicit FullCapture(size_t fields) : fields_(fields) {}
    void OnEvent(const event::EventView& ev) override {
        std::vector<FullValue> all;
        for (FieldId id = 0; id < fields_; ++id) {
            for (const auto& v : ev.Values(id)) {
                all.push_back({id, v.type, v.in_array, std::string(v.text), v.number});
            }
        }
        got.push_back(all);
        serials.push_back(ev.identity_serial());
        identities.emplace_back(ev.Values(uid_).size() == 1 ? ev.Values(uid_)[0].text : "");
    }
    std::vector<std::vector<FullValue>> got;
    std::vector<uint64_t> serials;        // identity_serial() of each event
    std::vector<std::string> identities;  // the userIdentity text when it has one value
    FieldId uid_ = event::kNoField;

  private:
    size_t fields_;
};

struct CacheRun {
    std::vector<std::vector<FullValue>> events;
    size_t problems = 0;
    std::vector<uint64_t> serials;
    std::vector<std::string> identities;
};

CacheRun ExtractWithCache(const std::string& records, bool cache) {
    FieldCatalog catalog;
    for (const char* p : {"eventName", "sourceIPAddress", "userIdentity", "userIdentity.type",
                          "userIdentity.arn", "userIdentity.n", "userIdentity.b", "userIdentity.z",
                          "userIdentity.tags", "userIdentity.tags.k", "userIdentity.sessionContext",
                          "userIdentity.sessionContext.attributes.creationDate",
                          "userIdentity.sessionContext.sessionIssuer.userName"}) {
        (void)catalog.Intern(p);
    }
    catalog.Freeze();
    RecordParser parser(catalog, cache);
    PaddedBuffer buf;
    buf.Append(records);
    FullCapture capture(catalog.size());
    capture.uid_ = catalog.Find("userIdentity");
    Harness h(capture);
    ParseContext& ctx = h.ctx;
    const size_t resume = parser.ParseDocument(Format::kRecords, buf, ctx);
    if (resume != std::string_view::npos) {
        // A damaged record: the rest is recovered one record at a time, as the pipeline does.
        ObjectSplitter splitter;
        size_t pos = resume, start = 0, end;
        while ((end = splitter.Next(buf.view(), pos, &start)) != 0) {
            pos = end;
            if (ctx.recover_skip != 0) {
                --ctx.recover_skip;
                continue;
            }
            parser.ParseOne(buf.view().substr(start, end - start), "", ctx);
        }
    }
    return {capture.got, h.diag.all().size(), capture.serials, capture.identities};
}

// A userIdentity object; `session` varies some of its values, `extra` adds a key up front.
std::string Identity(int session, bool spaced = false, const std::string& extra = "") {
    const std::string sep = spaced ? ", " : ",";
    return "{" + extra + R"("type":"AssumedRole")" + sep +
           R"("arn":"arn:aws:sts::111122223333:assumed-role/r/s)" + std::to_string(session % 7) +
           R"(\u00e9\"q\"","n":)" + std::to_string(session % 3) +
           R"(.5e1,"b":true,"z":null,"tags":[{"k":"a"},{"k":"b)" + std::to_string(session % 2) +
           R"("}],"sessionContext":{"sessionIssuer":{"type":"Role","userName":"r"},)"
           R"("attributes":{"creationDate":"2024-06-20T21:00:0)" +
           std::to_string(session % 5) + R"(Z","mfaAuthenticated":"false"}}})";
}

std::string Record(const std::string& uid, int i) {
    return R"({"eventName":"E)" + std::to_string(i) + R"(","userIdentity":)" + uid +
           R"(,"sourceIPAddress":"198.51.100.)" + std::to_string(i % 250) + R"("})";
}

TEST(IdentityCacheTest, ViewsAreIdenticalWithAndWithoutTheCache) {
    std::string records = R"({"Records":[)";
    int i = 0;
    auto add = [&](const std::string& r) { records += (i++ == 0 ? "" : ",") + r; };
    for (int k = 0; k < 300; ++k) add(Record(Identity(k % 11), k));  // repeats: hits
    for (int k = 0; k < 20; ++k) add(Record(Identity(k % 3, /*spaced=*/true), k));
    add(R"({"eventName":"S","userIdentity":"a string"})");
    add(R"({"eventName":"N","userIdentity":null})");
    add(R"({"eventName":"M"})");
    add(R"({"eventName":"D","userIdentity":{"type":"A"},"userIdentity":{"type":"B"}})");
    add(R"({"eventName":"D2","userIdentity":{"type":"A"},"userIdentity":{"type":"A"}})");
    add(R"({"eventName":"Bad","userIdentity":{"type":"\x"}})");  // an invalid escape
    // Half a surrogate pair, read as U+FFFD into memory of one record: the cache keeps its own
    // copy for the records after.
    for (int k = 0; k < 3; ++k) {
        add(R"({"eventName":"Sur","userIdentity":{"type":"AssumedRole","arn":"a\ud800b"}})");
    }
    add(Record(Identity(1), 1));
    // More distinct identities than one window of lookups: the cache switches itself off.
    for (int k = 0; k < 9000; ++k) {
        add(Record(Identity(k, false, R"("u":)" + std::to_string(k) + ","), k));
    }
    for (int k = 0; k < 100; ++k) add(Record(Identity(k % 4), k));
    records += "]}";
    const CacheRun with = ExtractWithCache(records, true);
    const CacheRun without = ExtractWithCache(records, false);
    ASSERT_EQ(with.events.size(), without.events.size());
    EXPECT_EQ(with.problems, without.problems);
    EXPECT_GE(with.problems, 1u);
    for (size_t e = 0; e < with.events.size(); ++e) {
        ASSERT_EQ(with.events[e], without.events[e]) << "event " << e;
    }
    // The identity's strings come unescaped.
    ASSERT_FALSE(with.events.empty());
    bool unescaped = false;
    for (const FullValue& v : with.events[1]) {
        unescaped = unescaped || v.text.ends_with("s1\xC3\xA9\"q\"");
    }
    EXPECT_TRUE(unescaped);
    // Identity serials: one per cached text, never the same for two texts, none without the
    // cache, and none shared between two parsers.
    std::map<uint64_t, std::string> text_of;
    size_t given = 0;
    for (size_t e = 0; e < with.events.size(); ++e) {
        EXPECT_EQ(without.serials[e], 0u) << "event " << e;
        const uint64_t s = with.serials[e];
        if (s == 0 || with.identities[e].empty()) continue;  // not one userIdentity value
        ++given;
        auto [it, fresh] = text_of.emplace(s, with.identities[e]);
        EXPECT_EQ(it->second, with.identities[e]) << "event " << e;
    }
    EXPECT_GE(given, 300u);
    EXPECT_LT(text_of.size(), given);  // repeated identities share their serial
    const CacheRun again = ExtractWithCache(records, true);
    for (uint64_t s : again.serials) EXPECT_TRUE(s == 0 || !text_of.contains(s));
}

TEST(IdentityCacheTest, SerialsAreNotReusedWhenTheCacheIsCleared) {
    // One identity repeated, and large distinct ones (a third of the lookups miss, so the cache
    // stays on) until its 8 MiB bound clears it, several times.
    const std::string padding(4000, 'p');
    std::string records = R"({"Records":[)";
    for (int k = 0; k < 3000; ++k) {
        if (k != 0) records += ',';
        records += Record(Identity(0), k) + ',' + Record(Identity(0), k) + ',';
        records +=
            Record(Identity(k, false, R"("pad":")" + padding + std::to_string(k) + "\","), k);
    }
    records += "]}";
    const CacheRun run = ExtractWithCache(records, true);
    ASSERT_EQ(run.events.size(), 9000u);
    std::map<uint64_t, std::string> text_of;
    std::set<std::string> texts;
    for (size_t e = 0; e < run.events.size(); ++e) {
        ASSERT_NE(run.serials[e], 0u) << "event " << e;
        auto [it, fresh] = text_of.emplace(run.serials[e], run.identities[e]);
        ASSERT_EQ(it->second, run.identities[e]) << "event " << e << ": a serial was reused";
        texts.insert(run.identities[e]);
    }
    EXPECT_EQ(texts.size(), 3001u);
    // The repeated identity was cached again after each clear, under a new serial.
    EXPECT_GT(text_of.size(), texts.size());
}

// Half a surrogate pair in a \u escape is valid JSON but not Unicode, and a caller chooses its
// user agent (or source address, session name...): the string is read with U+FFFD in its place
// instead of the record being lost. A malformed escape is still an error.
TEST(RecordParserTest, LoneSurrogatesBecomeReplacementCharacters) {
    const std::string records = R"({"Records":[{"eventName":"a","sourceIPAddress":"x\ud800y"},)"
                                R"({"eventName":"b","sourceIPAddress":"\udc00"},)"
                                R"({"eventName":"c","sourceIPAddress":"\ud800\u0041\n\"\u00e9"},)"
                                R"({"eventName":"d","sourceIPAddress":"\ud83d\ude00 \ud83d"},)"
                                R"({"eventName":"e","sourceIPAddress":"\ud800\x"},)"
                                R"({"eventName":"f","sourceIPAddress":"\ud800\u12"},)"
                                R"({"eventName":"g","sourceIPAddress":"\udbff\udfff"}]})";
    const CacheRun run = ExtractWithCache(records, false);
    EXPECT_EQ(run.problems, 2u);  // the malformed escapes
    const std::string r = "\xEF\xBF\xBD";
    const std::vector<std::string> want = {"x" + r + "y", r, r + "A\n\"\xC3\xA9",
                                           "\xF0\x9F\x98\x80 " + r, "\xF4\x8F\xBF\xBF"};
    ASSERT_EQ(run.events.size(), want.size());
    for (size_t i = 0; i < want.size(); ++i) {
        std::vector<std::string> texts;
        for (const FullValue& v : run.events[i]) {
            if (v.type == ValueType::kString) texts.push_back(v.text);
        }
        // eventName, then sourceIPAddress
        ASSERT_EQ(texts.size(), 2u) << i;
        EXPECT_EQ(texts[1], want[i]) << i;
    }
}

}  // namespace
}  // namespace tw::ingest
