// End-to-end: the `trailwarden hunt` and `trailwarden rules` binaries on small fixtures written
// here: findings schema, aggregation per actor and window, correlations, exit codes, and
// byte-identical output whatever the thread count.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "findings/finding.h"

namespace tw::detect {
namespace {

namespace fs = std::filesystem;

struct Exit {
    int code = 0;
    std::string out;
};

Exit Exec(const std::string& args) {
    const std::string cmd = std::string(TW_BINARY) + " " + args + " 2>/dev/null";
    Exit r;
    FILE* p = popen(cmd.c_str(), "r");
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
    const int status = pclose(p);
    r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return r;
}

void Write(const fs::path& p, const std::string& text) {
    fs::create_directories(p.parent_path());
    std::ofstream(p) << text;
}

std::string Ev(const std::string& time, const std::string& name, const std::string& arn,
               const std::string& id, const std::string& extra = "") {
    return R"({"eventVersion":"1.08","eventTime":")" + time + R"(","eventName":")" + name +
           R"(","eventSource":"cloudtrail.amazonaws.com","awsRegion":"us-east-1",)" +
           R"("sourceIPAddress":"198.51.100.7","userAgent":"aws-cli/2",)" +
           R"("recipientAccountId":"111122223333","userIdentity":{"type":"IAMUser","arn":")" + arn +
           R"(","principalId":"AID1","accountId":"111122223333"},"eventID":")" + id + "\"" + extra +
           "}";
}

class HuntE2eTest : public ::testing::Test {
  protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() /
               ("tw_hunt_e2e_" + std::to_string(::getpid()) + "_" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(dir_);
        Write(dir_ / "rules" / "stop_logging.yml", R"(title: Trail Stopped
id: rule-stop
level: high
tags: [attack.defense_evasion, attack.t1562.008]
logsource: {product: aws, service: cloudtrail}
detection:
    sel:
        eventSource: cloudtrail.amazonaws.com
        eventName: [StopLogging, DeleteTrail]
    condition: sel
)");
        Write(dir_ / "rules" / "failed_logins.yml", R"(title: Failed console login
id: rule-fail
name: failed_login
level: low
logsource: {product: aws, service: cloudtrail}
detection:
    sel:
        eventName: ConsoleLogin
        errorMessage: Failed authentication
    condition: sel
---
title: Console brute force
id: corr-brute
level: critical
correlation:
    type: event_count
    rules: failed_login
    group-by: [sourceIPAddress]
    timespan: 10m
    condition:
        gte: 3
)");
        const std::string a = "arn:aws:iam::111122223333:user/alice";
        const std::string b = "arn:aws:iam::111122223333:user/bob";
        const std::string fail = R"(,"errorMessage":"Failed authentication")";
        // Six files so that several threads really share the work.
        Write(dir_ / "logs" / "1.json",
              "{\"Records\":[" + Ev("2024-06-20T10:00:00Z", "StopLogging", a, "e1") + "," +
                  Ev("2024-06-20T10:05:00Z", "DescribeTrails", a, "n1") + "]}");
        Write(dir_ / "logs" / "2.json",
              "{\"Records\":[" + Ev("2024-06-20T10:20:00Z", "DeleteTrail", a, "e2") + "," +
                  Ev("2024-06-20T10:30:00Z", "StopLogging", b, "e3") + "]}");
        Write(dir_ / "logs" / "3.json",
              "{\"Records\":[" + Ev("2024-06-20T13:30:00Z", "StopLogging", a, "e4") + "]}");
        Write(dir_ / "logs" / "4.json",
              "{\"Records\":[" + Ev("2024-06-20T11:00:00Z", "ConsoleLogin", a, "f1", fail) + "," +
                  Ev("2024-06-20T11:04:00Z", "ConsoleLogin", a, "f2", fail) + "]}");
        Write(dir_ / "logs" / "5.json",
              "{\"Records\":[" + Ev("2024-06-20T11:09:00Z", "ConsoleLogin", a, "f3", fail) + "," +
                  Ev("2024-06-20T12:00:00Z", "ConsoleLogin", a, "f4", fail) + "]}");
        Write(dir_ / "logs" / "6.json",
              "{\"Records\":[" + Ev("2024-06-20T12:30:00Z", "ListUsers", b, "n2") + "]}");
    }
    void TearDown() override { fs::remove_all(dir_); }

    std::string Hunt(const std::string& extra, int* code = nullptr) {
        Exit r = Exec("hunt " + (dir_ / "logs").string() + " --rules " + (dir_ / "rules").string() +
                      " --no-builtin -q " + extra);
        if (code != nullptr) *code = r.code;
        return r.out;
    }

    fs::path dir_;
};

std::vector<findings::Finding> Parse(const std::string& jsonl) {
    std::vector<findings::Finding> out;
    size_t pos = 0;
    while (pos < jsonl.size()) {
        size_t end = jsonl.find('\n', pos);
        auto f = findings::ParseFinding(jsonl.substr(pos, end - pos));
        EXPECT_TRUE(f.has_value()) << jsonl.substr(pos, end - pos);
        if (f) out.push_back(*f);
        pos = end + 1;
    }
    return out;
}

TEST_F(HuntE2eTest, AggregatesPerActorAndWindowAndCorrelates) {
    int code = -1;
    const auto f = Parse(Hunt("--threads 1", &code));
    EXPECT_EQ(code, 0);
    ASSERT_EQ(f.size(), 4u);
    // Sorted by first_seen: alice 10:00 (e1, e2), bob 10:30, brute force 11:00 (the failed
    // login rule is referenced, so it has no findings of its own; f4 at 12:00 is alone in its
    // window), alice again at 13:30 (more than 1 h after e2).
    EXPECT_EQ(f[0].rule_id, "rule-stop");
    EXPECT_EQ(f[0].event_ids, (std::vector<std::string>{"e1", "e2"}));
    EXPECT_EQ(f[0].severity, findings::Severity::kHigh);
    EXPECT_EQ(f[0].mitre, std::vector<std::string>{"T1562.008"});
    EXPECT_EQ(f[0].tactic, "defense-evasion");
    EXPECT_EQ(f[0].source, "sigma:stop_logging.yml");
    EXPECT_EQ(f[0].actor.arn, "arn:aws:iam::111122223333:user/alice");
    EXPECT_EQ(f[0].accounts, std::vector<std::string>{"111122223333"});
    EXPECT_EQ(f[1].event_ids, std::vector<std::string>{"e3"});
    EXPECT_EQ(f[2].rule_id, "corr-brute");
    EXPECT_EQ(f[2].severity, findings::Severity::kCritical);
    EXPECT_EQ(f[2].event_ids, (std::vector<std::string>{"f1", "f2", "f3"}));
    EXPECT_EQ(f[2].source, "sigma:failed_logins.yml");
    EXPECT_EQ(f[3].event_ids, std::vector<std::string>{"e4"});
    EXPECT_EQ(f[3].rule_id, "rule-stop");
}

TEST_F(HuntE2eTest, OutputIsByteIdenticalWhateverTheThreadCount) {
    const std::string one = Hunt("--threads 1");
    const std::string four = Hunt("--threads 4");
    EXPECT_FALSE(one.empty());
    EXPECT_EQ(one, four);
    EXPECT_EQ(Hunt("--threads 1 --format csv"), Hunt("--threads 3 --format csv"));
}

TEST_F(HuntE2eTest, MatchesOutOfOrderComeOutInTimeOrder) {
    // 200 matches in one file, record i at second (i + 1) mod 200: sorting them is one cycle of
    // 200 moves (longer than the sort's look-ahead).
    std::string records;
    for (int i = 0; i < 200; ++i) {
        const int s = (i + 1) % 200;
        char time[32];
        std::snprintf(time, sizeof time, "2024-06-21T10:%02d:%02dZ", s / 60, s % 60);
        records +=
            (i == 0 ? "" : ",") + Ev(time, "StopLogging", "arn:aws:iam::111122223333:user/carol",
                                     "r" + std::to_string(i));
    }
    Write(dir_ / "logs" / "7.json", "{\"Records\":[" + records + "]}");
    for (const char* threads : {"1", "2"}) {
        const auto fs = Parse(Hunt(std::string("--format jsonl --threads ") + threads));
        const findings::Finding* carol = nullptr;
        for (const auto& f : fs) {
            if (f.actor.arn.ends_with("/carol")) carol = &f;
        }
        ASSERT_NE(carol, nullptr);
        ASSERT_EQ(carol->event_ids.size(), 200u);
        EXPECT_EQ(carol->event_ids[0], "r199");
        for (int k = 1; k < 200; ++k) {
            EXPECT_EQ(carol->event_ids[static_cast<size_t>(k)], "r" + std::to_string(k - 1));
        }
    }
}

// However the worker sorts its matches, the events come out in time order, equal times in input
// order, with one worker or two (whose lists are merged): times with milliseconds 7 ms apart
// (sorted in milliseconds, one pass), whole minutes (sorted in seconds, two passes), and times
// more than 2^32 ms apart in all (sorted by comparison).
TEST_F(HuntE2eTest, MillisecondsAndLongSpansComeOutInTimeOrder) {
    for (const int64_t step_ms : {int64_t{7}, int64_t{60000}, int64_t{3} * 86400 * 1000 + 1}) {
        SCOPED_TRACE(step_ms);
        fs::remove_all(dir_ / "logs");
        // Record i at step * ((i / 2 * 37) mod 101): two records per time, in a shuffled order,
        // the even ones in one file and the odd ones in another.
        std::string records[2];
        std::vector<std::pair<int64_t, int>> want;  // (time, record)
        for (int i = 0; i < 202; ++i) {
            const int64_t ms = int64_t{1704067200000} + step_ms * ((i / 2 * 37) % 101);
            const std::time_t secs = static_cast<std::time_t>(ms / 1000);
            std::tm tm{};
            gmtime_r(&secs, &tm);
            char time[64];
            std::snprintf(time, sizeof time, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
                          tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
                          tm.tm_sec, static_cast<int>(ms % 1000));
            std::string& file = records[i % 2];
            file += (file.empty() ? "" : ",") + Ev(time, "StopLogging",
                                                   "arn:aws:iam::111122223333:user/dave",
                                                   "d" + std::to_string(i));
            want.emplace_back(ms, i);  // equal times: the even one's file comes first
        }
        std::sort(want.begin(), want.end());
        Write(dir_ / "logs" / "8a.json", "{\"Records\":[" + records[0] + "]}");
        Write(dir_ / "logs" / "8b.json", "{\"Records\":[" + records[1] + "]}");
        for (const char* threads : {"1", "2"}) {
            // Findings come in time order; days apart, each time is a finding of its own.
            std::vector<std::string> ids;
            for (const auto& f : Parse(Hunt(std::string("--format jsonl --threads ") + threads))) {
                if (f.actor.arn.ends_with("/dave")) {
                    for (size_t k = 0; k < f.event_ids.size(); ++k)
                        ids.emplace_back(f.event_ids[k]);
                }
            }
            ASSERT_EQ(ids.size(), want.size()) << threads;
            for (size_t k = 0; k < want.size(); ++k) {
                EXPECT_EQ(ids[k], "d" + std::to_string(want[k].second)) << threads << " " << k;
            }
        }
    }
}

TEST_F(HuntE2eTest, MinSeverityAndFailOn) {
    const auto high = Parse(Hunt("--min-severity critical"));
    ASSERT_EQ(high.size(), 1u);
    EXPECT_EQ(high[0].rule_id, "corr-brute");
    int code = -1;
    (void)Hunt("--fail-on critical", &code);
    EXPECT_EQ(code, 1);
    (void)Hunt("--fail-on info --min-severity critical --disable corr-brute", &code);
    EXPECT_EQ(code, 0);
}

TEST_F(HuntE2eTest, JsonFormatIsOneArray) {
    const std::string out = Hunt("--format json");
    ASSERT_FALSE(out.empty());
    EXPECT_EQ(out.front(), '[');
    EXPECT_EQ(out.substr(out.size() - 2), "]\n");
}

TEST_F(HuntE2eTest, BadRuleIsReportedAndTheOthersStillRun) {
    Write(dir_ / "rules" / "bad.yml",
          "title: Broken\nlogsource: {product: aws}\ndetection:\n"
          "    sel:\n        eventName|nope: x\n    condition: sel\n");
    int code = -1;
    const auto f = Parse(Hunt("", &code));
    EXPECT_EQ(code, 0);
    EXPECT_EQ(f.size(), 4u);
    const Exit check = Exec("rules check --rules " + (dir_ / "rules").string());
    EXPECT_EQ(check.code, 2);
    EXPECT_NE(check.out.find("bad.yml:5:9: rule 'Broken': unknown modifier 'nope'"),
              std::string::npos)
        << check.out;
}

TEST_F(HuntE2eTest, RulesCheckListAndTest) {
    const Exit check = Exec("rules check --rules " + (dir_ / "rules").string());
    EXPECT_EQ(check.code, 0) << check.out;
    const Exit list = Exec("rules list --rules " + (dir_ / "rules").string());
    EXPECT_NE(list.out.find("rule-stop"), std::string::npos);
    EXPECT_NE(list.out.find("corr-brute"), std::string::npos);
    const Exit test = Exec("rules test --rules " + (dir_ / "rules").string() + " " +
                           (dir_ / "logs/1.json").string());
    EXPECT_NE(test.out.find("rule-stop 'Trail Stopped' matched; selections: sel"),
              std::string::npos)
        << test.out;
    EXPECT_EQ(test.out.find("DescribeTrails"), std::string::npos) << test.out;
}

TEST_F(HuntE2eTest, RulesExplainPrintsTheIndexAndProgram) {
    const Exit r = Exec("rules explain --rules " + (dir_ / "rules").string() + " rule-stop");
    EXPECT_EQ(r.code, 0);
    EXPECT_NE(r.out.find("rule rule-stop \"Trail Stopped\"\n"
                         "  index: eventName in {\"deletetrail\", \"stoplogging\"}\n"),
              std::string::npos)
        << r.out;
    EXPECT_EQ(r.out.find("rule-fail"), std::string::npos);
}

TEST_F(HuntE2eTest, PlaceholdersComeFromTheCommandLine) {
    Write(dir_ / "rules" / "expand.yml", R"(title: Unexpected agent
id: rule-agent
logsource: {product: aws, service: cloudtrail}
detection:
    sel:
        eventName: ListUsers
    known:
        userAgent|expand: '%KnownAgents%'
    condition: sel and not known
)");
    int code = -1;
    const std::string without = Hunt("", &code);
    EXPECT_EQ(without.find("rule-agent"), std::string::npos);  // rule rejected, others run
    EXPECT_EQ(code, 0);
    const auto with = Parse(Hunt("--placeholder 'KnownAgents=terraform*,boto3*'"));
    bool found = false;
    for (const auto& f : with) found = found || f.rule_id == "rule-agent";
    EXPECT_TRUE(found);  // ListUsers by aws-cli/2 is not a known agent
    const auto none = Parse(Hunt("--placeholder 'KnownAgents=aws-cli*'"));
    for (const auto& f : none) EXPECT_NE(f.rule_id, "rule-agent");
}

TEST_F(HuntE2eTest, NoRulesIsAUsageError) {
    const Exit r = Exec("hunt " + (dir_ / "logs").string() + " --no-builtin");
    EXPECT_EQ(r.code, 2);
}

}  // namespace
}  // namespace tw::detect
