// The derived-activity detector (tw.actor.derived-activity) finds the calls of flagged
// credentials among the events the hunt kept in memory, or by reading files again when a
// worker passed its bound: both ways must give the same findings, byte for byte.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "detect/hunt.h"
#include "ingest/discover.h"
#include "testing/test_util.h"

namespace tw::detect {
namespace {

using testing::RunTrailwarden;
using testing::ShellQuote;

struct HuntRun {
    std::string jsonl;   // every finding
    size_t derived = 0;  // derived-activity findings
    bool from_memory = false;
};

class DerivedActivityTest : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        dir_ = new testing::TempDir();
        // A small organization (about 50,000 events) with every attack scenario.
        const auto sim = RunTrailwarden("simulate --out " + ShellQuote(dir_->path() + "/org") +
                                        " --accounts 2 --days 1 --scenario all --seed 5 -q");
        ASSERT_EQ(sim.exit_code, 0) << sim.err;
        // A rule that matches the read-only calls (most events) at the lowest level: the
        // other events stay unmatched, and each kind holds calls of flagged credentials.
        dir_->Write("rules/read_only.yml", R"(title: Read-only call
id: 5d0c2c56-2f43-4c55-9a43-0d6f1f0b9a11
status: test
logsource: {product: aws, service: cloudtrail}
detection:
  selection: {readOnly: true}
  condition: selection
level: informational
)");
    }
    static void TearDownTestSuite() {
        delete dir_;
        dir_ = nullptr;
    }

    static HuntRun Hunt(size_t derived_memory_bytes) {
        HuntOptions opt;
        opt.rule_paths = {dir_->path() + "/rules"};
        opt.derived_memory_bytes = derived_memory_bytes;
        const HuntRules rules = LoadHuntRules(opt);
        EXPECT_EQ(rules.errors, 0u);
        Diagnostics diag(nullptr);
        const auto files = ingest::DiscoverInputs({dir_->path() + "/org/AWSLogs"}, diag);
        ingest::IngestOptions ingest_opt;
        ingest_opt.threads = 2;
        ingest_opt.progress = false;
        const HuntResult r = RunHunt(files, rules.set, opt, ingest_opt, diag);
        HuntRun out;
        for (const findings::Finding& f : r.findings) {
            out.jsonl += findings::ToJsonLine(f);
            out.derived += f.rule_id == "tw.actor.derived-activity";
        }
        out.from_memory = r.derived_from_memory;
        return out;
    }

    static testing::TempDir* dir_;
};

testing::TempDir* DerivedActivityTest::dir_ = nullptr;

TEST_F(DerivedActivityTest, EventsKeptInMemoryGiveTheFindingsOfASecondReading) {
    const HuntRun memory = Hunt(HuntOptions{}.derived_memory_bytes);
    const HuntRun again = Hunt(0);
    EXPECT_TRUE(memory.from_memory);
    EXPECT_FALSE(again.from_memory);
    EXPECT_GT(memory.derived, 0u);
    EXPECT_EQ(memory.jsonl, again.jsonl);
}

TEST_F(DerivedActivityTest, AWorkerPastItsBoundFallsBackToASecondReading) {
    // Room for 1,000 unmatched events per worker: both workers pass it and drop their lists.
    const HuntRun bounded = Hunt(1000 * sizeof(UnmatchedEvent));
    const HuntRun again = Hunt(0);
    EXPECT_FALSE(bounded.from_memory);
    EXPECT_GT(bounded.derived, 0u);
    EXPECT_EQ(bounded.jsonl, again.jsonl);
}

}  // namespace
}  // namespace tw::detect
