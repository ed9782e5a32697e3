// Randomly corrupted inputs (deterministic seed): the ingest must never crash (the sanitizer
// build checks memory), every problem must name the file, and what it extracts must agree with a
// full parse of the record. On-Demand validates only what it reads, so a record whose damage is
// in a part no consumer asked for is still delivered (docs/design/ingest.md).
#include <gtest/gtest.h>
#include <simdjson.h>

#include <random>

#include "ingest/ingest_test_util.h"
#include "testing/test_util.h"

namespace tw::ingest {
namespace {

std::string Seed(int n) {
    std::string doc = "{\"Records\":[";
    for (int i = 0; i < n; ++i) {
        doc += std::string(i ? "," : "") +
               R"({"eventVersion":"1.09","eventTime":"2024-06-20T21:55:0)" +
               std::to_string(i % 10) +
               R"(Z","eventSource":"iam.amazonaws.com","eventName":"CreateUser","eventID":"e)" +
               std::to_string(i) +
               R"(","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::1:user/a"},)"
               R"("requestParameters":{"userName":"x\"y","tags":[{"key":"k","value":"v"}]}})";
    }
    return doc + "]}";
}

std::string Mutate(std::string s, std::mt19937& rng) {
    static const char kBytes[] =
        "{}[]\",:\\ \n\x00\xff"
        "0a";
    std::uniform_int_distribution<int> kind(0, 4);
    const int edits = 1 + static_cast<int>(rng() % 4);
    for (int e = 0; e < edits && !s.empty(); ++e) {
        const size_t pos = rng() % s.size();
        switch (kind(rng)) {
            case 0:
                s[pos] = kBytes[rng() % (sizeof kBytes - 1)];
                break;
            case 1:
                s.erase(pos, 1 + rng() % 8);
                break;
            case 2:
                s.insert(pos, 1, kBytes[rng() % (sizeof kBytes - 1)]);
                break;
            case 3:
                s.resize(pos);
                break;
            case 4:
                s.insert(pos, s.substr(rng() % s.size(), 1 + rng() % 20));
                break;
        }
    }
    return s;
}

TEST(RobustnessTest, CorruptedInputsNeverCrashAndDeliverOnlyValidRecords) {
    std::mt19937 rng(20261124);
    const std::string seed = Seed(12);
    simdjson::dom::parser dom;
    testing::TempDir dir;
    int files = 0;
    for (int round = 0; round < 150; ++round) {
        std::string data = Mutate(seed, rng);
        if (round % 3 == 0) {
            std::string gz = testing::Gzip(data, 1);
            data = round % 2 == 0 ? gz : Mutate(gz, rng);
        }
        const std::string path = dir.Write("m" + std::to_string(files++) + ".json", data);
        IngestOptions opt;
        opt.whole_file_limit = round % 2 == 0 ? 64u << 20 : 256;  // both parse paths
        opt.chunk_size = 100;
        IngestRun run = CollectEvents({path}, opt);
        for (const auto& e : run.events) {
            simdjson::dom::element el;
            if (dom.parse(e.raw).get(el)) continue;  // damage in a part nobody reads
            std::string_view id;
            if (el["eventID"].get_string().get(id)) continue;
            EXPECT_EQ(id, e.event_id) << "round " << round << ": " << e.raw;
        }
        for (const auto& p : run.problems) EXPECT_EQ(p.path, path);
        EXPECT_LE(run.events.size(), 12u + 8u);
    }
}

}  // namespace
}  // namespace tw::ingest
