// The derived-activity detector (tw.actor.derived-activity) finds the calls of flagged
// credentials among the events the hunt kept in memory, or by reading files again when a
// worker passed its bound: both ways must give the same findings, byte for byte.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <set>
#include <string>
#include <thread>
#include <vector>

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
    // Event ids listed by derived-activity findings and by no other finding (events no rule
    // matched, found among those kept unmatched or read again).
    size_t derived_only_ids = 0;
    bool from_memory = false;
    uint64_t matches = 0;
};

class DerivedActivityTest : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        dir_ = new testing::TempDir();
        // A small organization (about 50,000 events) with every attack scenario.
        const auto sim = RunTrailwarden("simulate --out " + ShellQuote(dir_->path() + "/org") +
                                        " --accounts 2 --days 1 --scenario all --seed 5 -q");
        ASSERT_EQ(sim.exit_code, 0) << sim.err;
        // An informational rule on readOnly, in a folder of its own.
        auto rule = [](const std::string& file, const std::string& title, const std::string& id,
                       const char* read_only) {
            dir_->Write(file, "title: " + title + "\nid: " + id +
                                  "\nstatus: test\nlogsource: {product: aws, service: cloudtrail}"
                                  "\ndetection:\n  selection: {readOnly: " +
                                  read_only + "}\n  condition: selection\nlevel: informational\n");
        };
        // Matching the read-only calls (most events): the other events stay unmatched, and
        // each kind holds calls of flagged credentials.
        rule("rules/read_only.yml", "Read-only call", "5d0c2c56-2f43-4c55-9a43-0d6f1f0b9a11",
             "true");
        // Matching the calls that change something (fewer): most events stay unmatched, within
        // the start of the bound.
        rule("writes/writes.yml", "Call that changes something",
             "7a1e4f0b-3c2d-4e5f-8a9b-0c1d2e3f4a5b", "false");
    }
    static void TearDownTestSuite() {
        delete dir_;
        dir_ = nullptr;
    }

    static HuntRun Hunt(size_t derived_memory_bytes, const std::string& rules_dir = "rules",
                        unsigned threads = 2, std::vector<std::string> inputs = {}) {
        if (inputs.empty()) inputs = {dir_->path() + "/org/AWSLogs"};
        HuntOptions opt;
        opt.rule_paths = {dir_->path() + "/" + rules_dir};
        opt.derived_memory_bytes = derived_memory_bytes;
        const HuntRules rules = LoadHuntRules(opt);
        EXPECT_EQ(rules.errors, 0u);
        Diagnostics diag(nullptr);
        const auto files = ingest::DiscoverInputs(inputs, diag);
        ingest::IngestOptions ingest_opt;
        ingest_opt.threads = threads;
        ingest_opt.progress = false;
        const HuntResult r = RunHunt(files, rules.set, opt, ingest_opt, diag);
        HuntRun out;
        std::set<std::string, std::less<>> by_rules;
        for (const findings::Finding& f : r.findings) {
            out.jsonl += findings::ToJsonLine(f);
            if (f.rule_id == "tw.actor.derived-activity") {
                ++out.derived;
            } else {
                for (std::string_view id : f.event_ids) by_rules.emplace(id);
            }
        }
        for (const findings::Finding& f : r.findings) {
            if (f.rule_id != "tw.actor.derived-activity") continue;
            for (std::string_view id : f.event_ids) out.derived_only_ids += !by_rules.contains(id);
        }
        out.from_memory = r.derived_from_memory;
        out.matches = r.matches;
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
    EXPECT_GT(memory.derived_only_ids, 0u);  // unmatched events took part
    // (Compared whole; on a difference only the sizes are printed: the text is megabytes.)
    EXPECT_TRUE(memory.jsonl == again.jsonl) << memory.jsonl.size() << " vs " << again.jsonl.size();
}

TEST_F(DerivedActivityTest, AWorkerPastItsBoundFallsBackToASecondReading) {
    // Room for 1,000 unmatched events per worker: a worker passes it, every worker drops its
    // list, and the files are read again.
    const HuntRun bounded = Hunt(1000 * sizeof(UnmatchedEvent));
    const HuntRun memory = Hunt(HuntOptions{}.derived_memory_bytes);
    EXPECT_FALSE(bounded.from_memory);
    EXPECT_TRUE(memory.from_memory);
    EXPECT_GT(bounded.derived, 0u);
    EXPECT_TRUE(bounded.jsonl == memory.jsonl)
        << bounded.jsonl.size() << " vs " << memory.jsonl.size();
}

TEST_F(DerivedActivityTest, OneAndTwoThreadsSelectTheSameEvents) {
    // With two threads the events in memory are shared by halves: with the write calls
    // matched, most events are unmatched and the halves split the kept lists; with the
    // read-only calls matched, they split the matched events.
    for (const char* rules : {"writes", "rules"}) {
        const HuntRun one = Hunt(HuntOptions{}.derived_memory_bytes, rules, 1);
        const HuntRun two = Hunt(HuntOptions{}.derived_memory_bytes, rules, 2);
        EXPECT_TRUE(one.from_memory) << rules;
        EXPECT_TRUE(two.from_memory) << rules;
        EXPECT_GT(two.derived, 0u) << rules;
        EXPECT_GT(two.derived_only_ids, 0u) << rules;
        EXPECT_TRUE(one.jsonl == two.jsonl)
            << rules << ": " << one.jsonl.size() << " vs " << two.jsonl.size();
    }
    // (The premise: the write calls are a minority of the events.)
    EXPECT_LT(Hunt(HuntOptions{}.derived_memory_bytes, "writes", 1).matches,
              Hunt(HuntOptions{}.derived_memory_bytes, "rules", 1).matches);
}

// Feeds `text` to this process's stdin through a pipe written by another thread, for the life
// of the object (stdin is restored after, even when a test stops early).
class StdinFrom {
  public:
    explicit StdinFrom(const std::string& text) : text_(text) {
        std::signal(SIGPIPE, SIG_IGN);  // a reader that stops early must not kill the tests
        int fds[2];
        if (::pipe(fds) != 0) return;
        saved_ = ::dup(STDIN_FILENO);
        ::dup2(fds[0], STDIN_FILENO);
        ::close(fds[0]);
        writer_ = std::thread([this, out = fds[1]] {
            for (size_t off = 0; off < text_.size();) {
                const ssize_t n = ::write(out, text_.data() + off, text_.size() - off);
                if (n <= 0) break;
                off += static_cast<size_t>(n);
            }
            ::close(out);
        });
    }
    ~StdinFrom() {
        if (saved_ >= 0) {
            ::dup2(saved_, STDIN_FILENO);  // the pipe's last reader goes: a blocked writer stops
            ::close(saved_);
        }
        if (writer_.joinable()) writer_.join();
    }
    StdinFrom(const StdinFrom&) = delete;
    StdinFrom& operator=(const StdinFrom&) = delete;

  private:
    const std::string& text_;
    int saved_ = -1;
    std::thread writer_;
};

// Input that cannot be read twice (stdin, a pipe) is copied aside first: a second reading
// of it would find nothing, and the findings of flagged credentials would be lost silently.
TEST_F(DerivedActivityTest, StdinIsReadAgainFromACopy) {
    const auto lines = RunTrailwarden("query " + ShellQuote(dir_->path() + "/org/AWSLogs") +
                                      " --format jsonl -q -j 1");
    ASSERT_EQ(lines.exit_code, 0) << lines.err;
    const std::string file = dir_->Write("lines.jsonl", lines.out);
    const HuntRun from_file = Hunt(0, "rules", 2, {file});
    ASSERT_GT(from_file.derived, 0u);
    HuntRun from_stdin;
    {
        StdinFrom in(lines.out);
        from_stdin = Hunt(0, "rules", 2, {"-"});
    }
    EXPECT_FALSE(from_stdin.from_memory);
    EXPECT_EQ(from_stdin.derived, from_file.derived);
    EXPECT_TRUE(from_stdin.jsonl == from_file.jsonl)
        << from_stdin.jsonl.size() << " vs " << from_file.jsonl.size();
}

// When stdin cannot be copied aside, nothing is hunted and the hunt says why: part of it may
// have been read, and a hunt of the rest would miss events without a word.
TEST_F(DerivedActivityTest, StdinThatCannotBeCopiedIsNotHunted) {
    const std::string text = "{\"eventName\":\"GetUser\"}\n";
    const char* old = std::getenv("TMPDIR");
    const std::string saved = old != nullptr ? old : "";
    ::setenv("TMPDIR", (dir_->path() + "/no/such/folder").c_str(), 1);
    HuntOptions opt;
    const HuntRules rules = LoadHuntRules(opt);
    Diagnostics diag(nullptr);
    ingest::IngestOptions ingest_opt;
    ingest_opt.progress = false;
    HuntResult r;
    {
        StdinFrom in(text);
        r = RunHunt(std::vector<ingest::InputFile>{{"-", true}}, rules.set, opt, ingest_opt, diag);
    }
    if (old != nullptr) {
        ::setenv("TMPDIR", saved.c_str(), 1);
    } else {
        ::unsetenv("TMPDIR");
    }
    EXPECT_NE(r.input_error.find("temporary file"), std::string::npos) << r.input_error;
    EXPECT_EQ(r.stats.events, 0u);
    EXPECT_TRUE(r.findings.empty());
    // The command exits 3 (input lost) with the reason.
    const std::string err = dir_->path() + "/err.txt";
    const int status = std::system(("TMPDIR=" + ShellQuote(dir_->path() + "/no/such/folder") + " " +
                                    ShellQuote(TW_BINARY) + " hunt - -q < " +
                                    ShellQuote(dir_->Write("one.jsonl", text)) +
                                    " > /dev/null 2> " + ShellQuote(err))
                                       .c_str());
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 3);
    EXPECT_NE(testing::ReadFile(err).find("nothing was hunted"), std::string::npos)
        << testing::ReadFile(err);
}

}  // namespace
}  // namespace tw::detect
