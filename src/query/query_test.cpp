// `trailwarden query`: where-expressions and the command end to end through the binary.
#include <gtest/gtest.h>

#include "query/where.h"
#include "testing/test_util.h"

namespace tw::query {
namespace {

using testing::RunTrailwarden;
using testing::ShellQuote;
using testing::TempDir;

TEST(WhereTest, ParsesEveryOperator) {
    event::FieldCatalog catalog;
    struct Case {
        const char* expr;
        Condition::Op op;
    } cases[] = {
        {"eventName=ConsoleLogin", Condition::Op::kEq},
        {"eventName!=ConsoleLogin", Condition::Op::kNe},
        {"userAgent~^aws-cli/2", Condition::Op::kRegex},
        {"userIdentity.arn*=AWSReservedSSO", Condition::Op::kContains},
        {"eventSource^=sso", Condition::Op::kPrefix},
        {"userIdentity.arn$=/admin", Condition::Op::kSuffix},
        {"errorCode?", Condition::Op::kExists},
        {"eventName in (StopLogging, DeleteTrail)", Condition::Op::kIn},
    };
    for (const auto& c : cases) {
        auto parsed = Condition::Parse(c.expr, catalog, false);
        ASSERT_TRUE(parsed) << c.expr << ": " << parsed.error().message;
        EXPECT_EQ(parsed->op(), c.op) << c.expr;
    }
    auto in = Condition::Parse("eventName in ( 'A' , B )", catalog, false);
    ASSERT_TRUE(in);
    EXPECT_EQ(in->values(), (std::vector<std::string>{"A", "B"}));
    EXPECT_EQ(catalog.path(in->field()), "eventName");
}

TEST(WhereTest, RejectsMalformedExpressions) {
    event::FieldCatalog catalog;
    for (const char* bad : {"", "=x", "eventName", "eventName>3", "userAgent~(unclosed"}) {
        EXPECT_FALSE(Condition::Parse(bad, catalog, false)) << bad;
    }
}

const char* kEvents = R"({"Records":[
{"eventVersion":"1.09","eventTime":"2024-06-20T21:55:01Z","eventSource":"cloudtrail.amazonaws.com","eventName":"PutEventSelectors","eventID":"e1","recipientAccountId":"111122223333","userIdentity":{"type":"AssumedRole","arn":"arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_Admin_1a/mallory"},"requestParameters":{"trailName":"org","eventSelectors":[{"readWriteType":"ReadOnly","includeManagementEvents":true}]},"awsRegion":"us-east-1"},
{"eventVersion":"1.09","eventTime":"2024-06-20T21:55:02Z","eventSource":"ec2.amazonaws.com","eventName":"DescribeInstances","eventID":"e2","recipientAccountId":"111122223333","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/alice"},"awsRegion":"us-east-1","errorCode":"AccessDenied"},
{"eventVersion":"1.09","eventTime":"2024-06-20T21:55:03Z","eventSource":"ec2.amazonaws.com","eventName":"DescribeInstances","eventID":"e3","recipientAccountId":"444455556666","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::444455556666:user/bob"},"awsRegion":"eu-west-1"}
]})";

class QueryCommandTest : public ::testing::Test {
  protected:
    void SetUp() override { path_ = ShellQuote(dir_.Write("events.json", kEvents)); }
    TempDir dir_;
    std::string path_;
};

TEST_F(QueryCommandTest, WhereAndFieldsProjectJsonLines) {
    auto r = RunTrailwarden("query -q " + path_ +
                            " --where 'requestParameters.eventSelectors.readWriteType=ReadOnly' "
                            "--fields eventID,requestParameters.trailName,missing --format jsonl");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out,
              "{\"eventID\":\"e1\",\"requestParameters.trailName\":\"org\",\"missing\":null}\n");
}

TEST_F(QueryCommandTest, RepeatedWhereIsAnd) {
    auto r = RunTrailwarden("query -q " + path_ +
                            " -w eventName=DescribeInstances -w errorCode? --fields eventID");
    EXPECT_EQ(r.out, "{\"eventID\":\"e2\"}\n");
    r = RunTrailwarden("query -q " + path_ + " -w 'eventName in (StopLogging,PutEventSelectors)'" +
                       " -w 'userIdentity.arn*=AWSReservedSSO_' --fields eventID");
    EXPECT_EQ(r.out, "{\"eventID\":\"e1\"}\n");
    r = RunTrailwarden("query -q " + path_ + " -i -w eventname=x -w 'eventName=describeinstances'" +
                       " --fields eventID");
    EXPECT_EQ(r.out, "");  // eventname (lower case) is not a CloudTrail key
}

TEST_F(QueryCommandTest, CountByIsSortedByCountThenValue) {
    auto r = RunTrailwarden("query -q " + path_ + " --count-by eventName --format jsonl");
    EXPECT_EQ(r.out,
              "{\"eventName\":\"DescribeInstances\",\"count\":2}\n"
              "{\"eventName\":\"PutEventSelectors\",\"count\":1}\n");
    r = RunTrailwarden("query -q " + path_ + " --count-by errorCode --format csv");
    EXPECT_EQ(r.out, "errorCode,count\n,2\nAccessDenied,1\n");
}

TEST_F(QueryCommandTest, WholeEventWithoutFieldsAndLimit) {
    auto r = RunTrailwarden("query -q " + path_ + " --format jsonl --limit 2");
    ASSERT_EQ(r.exit_code, 0);
    EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 2);
    EXPECT_EQ(r.out.rfind("{\"eventVersion\":\"1.09\"", 0), 0u);
}

TEST_F(QueryCommandTest, TableHasAHeaderAndOneLinePerEvent) {
    auto r = RunTrailwarden("query -q " + path_ + " --format table --fields eventTime,eventName");
    EXPECT_EQ(r.out,
              "eventTime             eventName\n"
              "2024-06-20T21:55:01Z  PutEventSelectors\n"
              "2024-06-20T21:55:02Z  DescribeInstances\n"
              "2024-06-20T21:55:03Z  DescribeInstances\n");
}

TEST_F(QueryCommandTest, StdinAndTimeRange) {
    auto r = RunTrailwarden(
        "query -q - --from 2024-06-20T21:55:02Z --to 2024-06-20T21:55:03Z "
        "--fields eventID < " +
        path_);
    EXPECT_EQ(r.out, "{\"eventID\":\"e2\"}\n");
}

TEST_F(QueryCommandTest, SummaryOnStderrAndExitCodeThreeForBadInput) {
    dir_.Write("bad.json.gz", "\x1f\x8b\x08garbage");
    auto r = RunTrailwarden("query " + ShellQuote(dir_.path()) + " --count-by eventName");
    EXPECT_EQ(r.exit_code, 3);
    EXPECT_NE(r.err.find("bad.json.gz"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("3 events"), std::string::npos) << r.err;
    EXPECT_NE(r.out.find("DescribeInstances"), std::string::npos);
}

TEST_F(QueryCommandTest, BrokenRecordIsCountedOnceWhateverThePartSkipped) {
    // Breakage after eventName: count-by may stop reading records early, but recovery must
    // neither lose nor double-count the records around the broken one.
    std::string doc = kEvents;
    const size_t pos = doc.find("\"awsRegion\":\"eu-west-1\"");
    doc.replace(pos, 12, "\"awsRegion\" ");
    const std::string path = ShellQuote(dir_.Write("broken.json", doc));
    for (const char* args : {" --count-by eventName --format csv", " --format jsonl"}) {
        auto r = RunTrailwarden("query " + path + args);
        SCOPED_TRACE(args);
        const bool lost = r.exit_code == 3;
        const bool counted = r.out.find("DescribeInstances,2") != std::string::npos ||
                             std::count(r.out.begin(), r.out.end(), '\n') == 3;
        EXPECT_TRUE(lost != counted) << r.out << r.err;
        EXPECT_NE(r.out.find("PutEventSelectors"), std::string::npos);
    }
}

TEST_F(QueryCommandTest, UsageErrorsExitTwo) {
    EXPECT_EQ(RunTrailwarden("query " + path_ + " --where 'bad>'").exit_code, 2);
    EXPECT_EQ(RunTrailwarden("query " + path_ + " --format xml").exit_code, 2);
    EXPECT_EQ(RunTrailwarden("query " + path_ + " --from yesterday").exit_code, 2);
    EXPECT_EQ(RunTrailwarden("query").exit_code, 2);
}

TEST(QueryDeterminismTest, ByteIdenticalWithOneAndFourThreads) {
    TempDir dir;
    for (int f = 0; f < 16; ++f) {
        std::string doc = "{\"Records\":[";
        for (int i = 0; i < 50; ++i) {
            doc += std::string(i ? "," : "") +
                   R"({"eventVersion":"1.09","eventTime":"2024-06-20T21:55:)" +
                   std::string(i < 10 ? "0" : "") + std::to_string(i) +
                   R"(Z","eventSource":"s3.amazonaws.com","eventName":"GetObject","eventID":"f)" +
                   std::to_string(f) + "-" + std::to_string(i) + "\"}";
        }
        dir.Write("d/" + std::to_string(100 + f) + ".json.gz", testing::Gzip(doc + "]}"));
    }
    const std::string args = "query -q " + ShellQuote(dir.path()) +
                             " --fields eventID,eventName,eventTime --format jsonl --threads ";
    auto one = RunTrailwarden(args + "1");
    auto four = RunTrailwarden(args + "4");
    EXPECT_EQ(std::count(one.out.begin(), one.out.end(), '\n'), 800);
    EXPECT_EQ(one.out, four.out);
}

}  // namespace
}  // namespace tw::query
