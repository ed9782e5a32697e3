// Every CloudTrail file of ../shared/corpus reads without error and yields the right number of
// events (counted independently with a simdjson DOM parse). Skips when the corpus is absent.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "ingest/ingest_test_util.h"
#include "testing/test_util.h"

namespace tw::ingest {
namespace {

namespace fs = std::filesystem;

// Number of records in `path` by DOM: the elements of a JSON array or of a Records array, or 1
// for a file that holds a single event object.
size_t CountRecords(const std::string& path) {
    simdjson::dom::parser parser;
    simdjson::dom::element root;
    if (parser.load(path).get(root)) return SIZE_MAX;
    simdjson::dom::array arr;
    if (root.is_array()) {
        arr = root.get_array();
    } else if (root["Records"].get_array().get(arr)) {
        return root["eventName"].error() ? SIZE_MAX : 1;
    }
    return arr.size();
}

TEST(CorpusTest, StratusDetonationLogsMatchTheirLabels) {
    const std::string shared = testing::SharedDir();
    if (shared.empty()) GTEST_SKIP() << "../shared/corpus is absent";
    const std::string dir = shared + "/corpus/stratus";
    std::ifstream labels(dir + "/labels.jsonl");
    std::string line;
    size_t techniques = 0;
    simdjson::dom::parser parser;
    while (std::getline(labels, line)) {
        simdjson::dom::element label;
        ASSERT_FALSE(parser.parse(line).get(label));
        const std::string file = dir + "/" + std::string(label["file"].get_string().value());
        const uint64_t expected = label["event_count"].get_uint64().value();
        SCOPED_TRACE(file);
        IngestRun run = CollectEvents({file});
        EXPECT_EQ(run.events.size(), expected);
        EXPECT_EQ(run.events.size(), CountRecords(file));
        EXPECT_TRUE(run.problems.empty());
        ++techniques;
    }
    EXPECT_GT(techniques, 0u);
}

TEST(CorpusTest, TrailDiscoverExamplesAllRead) {
    const std::string shared = testing::SharedDir();
    if (shared.empty()) GTEST_SKIP() << "../shared/corpus is absent";
    const std::string dir = shared + "/corpus/traildiscover";
    size_t expected = 0, files = 0;
    for (const auto& entry : fs::directory_iterator(dir)) {
        if (entry.path().extension() != ".json") continue;
        const size_t n = CountRecords(entry.path().string());
        ASSERT_NE(n, SIZE_MAX) << entry.path();
        expected += n;
        ++files;
    }
    IngestRun run = CollectEvents({dir});
    EXPECT_EQ(run.events.size(), expected);
    // One example file is an empty array: read, but it has no records.
    EXPECT_EQ(run.stats.files_read + run.stats.skipped_by_reason["empty file"], files);
    for (const auto& p : run.problems) {
        // Only the licence text may be reported (as a warning).
        EXPECT_EQ(p.loss, Loss::kNone) << p.path << ": " << p.message;
    }
}

TEST(CorpusTest, PantherTestEventsAllRead) {
    const std::string shared = testing::SharedDir();
    if (shared.empty()) GTEST_SKIP() << "../shared/corpus is absent";
    if (std::system("python3 -c pass >/dev/null 2>&1") != 0) GTEST_SKIP() << "no python3";
    testing::TempDir tmp;
    const std::string records = tmp.path() + "/panther.json", map = tmp.path() + "/map.jsonl";
    const std::string cmd = "python3 " +
                            testing::ShellQuote(shared + "/eval/make_panther_input.py") +
                            " --include-nonstandard --out-records " + testing::ShellQuote(records) +
                            " --out-map " + testing::ShellQuote(map) + " >/dev/null";
    ASSERT_EQ(std::system(cmd.c_str()), 0);
    size_t mapped = 0;
    std::ifstream in(map);
    for (std::string line; std::getline(in, line);) mapped += !line.empty();
    IngestRun run = CollectEvents({records});
    // Partial Panther events without eventTime/eventName/eventSource are not CloudTrail
    // records; every other test event is read.
    EXPECT_EQ(run.events.size() + run.stats.records_skipped, mapped);
    EXPECT_GE(run.events.size(), mapped - 16);
    EXPECT_EQ(run.events.size(), CountRecords(records) - run.stats.records_skipped);
}

}  // namespace
}  // namespace tw::ingest
