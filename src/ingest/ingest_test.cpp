// End-to-end tests of the ingest pipeline: every container format, plain and gzip, bad input,
// streaming of large files, and determinism across thread counts.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <simdjson.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <thread>

#include "ingest/discover.h"
#include "ingest/ingest_test_util.h"
#include "ingest/reader.h"
#include "ingest/spool.h"
#include "testing/test_util.h"

namespace tw::ingest {
namespace {

using testing::Gzip;
using testing::TempDir;

std::string Event(int i, std::string_view name = "DescribeInstances") {
    return R"({"eventVersion":"1.09","userIdentity":{"type":"IAMUser","principalId":"AIDAEXAMPLE",)"
           R"("arn":"arn:aws:iam::111122223333:user/alice","accountId":"111122223333",)"
           R"("accessKeyId":"AKIAEXAMPLE","userName":"alice"},"eventTime":"2024-06-20T21:55:)" +
           std::string(i % 60 < 10 ? "0" : "") + std::to_string(i % 60) +
           R"(Z","eventSource":"ec2.amazonaws.com","eventName":")" + std::string(name) +
           R"(","awsRegion":"us-east-1","sourceIPAddress":"198.51.100.7","userAgent":"aws-cli/2",)"
           R"("requestParameters":{"filterSet":{},"instancesSet":{"items":[{"instanceId":"i-1"}]}},)"
           R"("responseElements":null,"requestID":"r)" +
           std::to_string(i) + R"(","eventID":"ev-)" + std::to_string(i) +
           R"(","readOnly":true,"eventType":"AwsApiCall","managementEvent":true,)"
           R"("recipientAccountId":"111122223333","eventCategory":"Management"})";
}

std::string Records(int from, int to) {
    std::string s = "{\"Records\":[";
    for (int i = from; i < to; ++i) {
        if (i != from) s += ',';
        s += Event(i);
    }
    return s + "]}";
}

std::string Array(int from, int to, const char* sep = ",\n  ") {
    std::string s = "[\n  ";
    for (int i = from; i < to; ++i) s += (i == from ? "" : sep) + Event(i);
    return s + "\n]\n";
}

std::string Lines(int from, int to) {
    std::string s;
    for (int i = from; i < to; ++i) s += Event(i) + "\n";
    return s;
}

std::vector<std::string> Ids(const IngestRun& run) {
    std::vector<std::string> ids;
    for (const auto& e : run.events) ids.push_back(e.event_id);
    return ids;
}

std::vector<std::string> Expected(int from, int to) {
    std::vector<std::string> ids;
    for (int i = from; i < to; ++i) ids.push_back("ev-" + std::to_string(i));
    return ids;
}

bool HasProblem(const IngestRun& run, std::string_view needle) {
    for (const auto& p : run.problems) {
        if (p.message.find(needle) != std::string::npos ||
            p.position.find(needle) != std::string::npos) {
            return true;
        }
    }
    return false;
}

// ---------------------------------------------------------------------------------- formats

struct FormatCase {
    const char* name;
    std::string content;
};

class FormatTest : public ::testing::TestWithParam<bool> {};

TEST_P(FormatTest, EveryFormatReadsAllEventsPlainAndGzip) {
    const bool gz = GetParam();
    std::string pretty;
    for (int i = 0; i < 3; ++i) {
        std::string e = Event(i);
        size_t p = 0;
        while ((p = e.find(",\"", p)) != std::string::npos) {
            e.replace(p, 1, ",\n    ");
            p += 5;
        }
        pretty += e + "\n";
    }
    std::string lookup = "{\"Events\":[";
    for (int i = 0; i < 3; ++i) {
        std::string escaped;
        for (char c : Event(i)) {
            if (c == '"' || c == '\\') escaped += '\\';
            escaped += c;
        }
        lookup += std::string(i ? "," : "") + R"({"EventId":"ev-)" + std::to_string(i) +
                  R"(","EventName":"DescribeInstances","CloudTrailEvent":")" + escaped + "\"}";
    }
    lookup += "]}";
    const std::string lake =
        R"({"QueryStatus":"FINISHED","QueryStatistics":{"ResultsCount":3},"QueryResultRows":[)"
        R"([{"eventID":"ev-0"},{"eventName":"GetUser"},{"eventTime":"2024-06-20 21:55:00.000"},)"
        R"({"eventSource":"iam.amazonaws.com"}],)"
        R"([{"eventID":"ev-1"},{"eventName":"GetUser"},{"eventTime":"2024-06-20 21:55:01.000"}],)"
        R"([{"eventID":"ev-2"},{"eventName":"GetUser"},{"eventTime":"2024-06-20 21:55:02.000"}]]})";
    const FormatCase cases[] = {
        {"records.json", Records(0, 3)},
        {"array.json", Array(0, 3)},
        {"lines.jsonl", Lines(0, 3)},
        {"pretty.json", pretty},
        {"lookup.json", lookup},
        {"lake.json", lake},
        {"bom.json", "\xEF\xBB\xBF" + Records(0, 3)},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.name);
        TempDir dir;
        const std::string path =
            dir.Write(std::string(c.name) + (gz ? ".gz" : ""), gz ? Gzip(c.content) : c.content);
        IngestRun run = CollectEvents({path});
        EXPECT_EQ(Ids(run), Expected(0, 3));
        EXPECT_TRUE(run.problems.empty()) << run.problems[0].message;
        EXPECT_EQ(run.stats.files_read, 1u);
        EXPECT_EQ(run.stats.events, 3u);
    }
}

INSTANTIATE_TEST_SUITE_P(PlainAndGzip, FormatTest, ::testing::Bool());

TEST(IngestTest, RawTextOfEachRecordIsExactlyTheRecord) {
    TempDir dir;
    IngestRun run = CollectEvents({dir.Write("a.json", Records(0, 2))});
    ASSERT_EQ(run.events.size(), 2u);
    EXPECT_EQ(run.events[0].raw, Event(0));
    EXPECT_EQ(run.events[1].raw, Event(1));
}

TEST(IngestTest, DigestAndInsightFilesAreRecognisedAndSkipped) {
    TempDir dir;
    dir.Write(
        "digest.json.gz",
        Gzip(R"({"awsAccountId":"111122223333","digestStartTime":"2024-06-20T20:00:00Z",)"
             R"("digestEndTime":"2024-06-20T21:00:00Z","digestS3Bucket":"b","logFiles":[]})"));
    dir.Write("insight.json",
              R"({"Records":[{"eventVersion":"1.07","eventTime":"2024-06-20T21:00:00Z",)"
              R"("awsRegion":"us-east-1","eventID":"x","eventType":"AwsCloudTrailInsight",)"
              R"("recipientAccountId":"111122223333","sharedEventID":"y","insightDetails":{}}]})");
    dir.Write("real.json", Records(0, 1));
    IngestRun run = CollectEvents({dir.path()});
    EXPECT_EQ(Ids(run), Expected(0, 1));
    EXPECT_EQ(run.stats.files_skipped, 2u);
    EXPECT_EQ(run.stats.skipped_by_reason["CloudTrail digest"], 1u);
    EXPECT_EQ(run.stats.skipped_by_reason["CloudTrail Insights"], 1u);
    EXPECT_TRUE(run.problems.empty());
}

// A file is an Insights file by its first record's own eventType, which AWS sets: the word in
// a value the caller chose (a user agent, a request parameter) must not hide a trail file.
TEST(IngestTest, AnInsightsMarkerInACallersValueDoesNotHideTheFile) {
    TempDir dir;
    auto with = [](int i, std::string_view from, std::string_view to) {
        std::string e = Event(i);
        const size_t at = e.find(from);
        EXPECT_NE(at, std::string::npos) << from;
        return e.replace(at, from.size(), to);
    };
    dir.Write("agent.json",
              "{\"Records\":[" +
                  with(0, R"("userAgent":"aws-cli/2")", R"("userAgent":"AwsCloudTrailInsight")") +
                  "," + Event(1) + "]}");
    dir.Write("params.json",
              "{\"Records\":[" +
                  with(2, R"("filterSet":{})", R"("eventType":"AwsCloudTrailInsight")") + "]}");
    dir.Write("later.json",
              "{\"Records\":[" + Event(3) + "," +
                  with(4, R"("eventType":"AwsApiCall")", R"("eventType":"AwsCloudTrailInsight")") +
                  "]}");
    dir.Write("other.json",
              R"({"Tags":[{"eventType":"AwsCloudTrailInsight"}],"Records":[)" + Event(5) + "]}");
    dir.Write("untyped.json",
              "{\"Records\":[" + with(6, R"("eventType":"AwsApiCall",)", "") + "," +
                  with(7, R"("eventType":"AwsApiCall")", R"("eventType":"AwsCloudTrailInsight")") +
                  "]}");
    // Insights records as AWS writes them, keys in another order: still skipped.
    dir.Write("insight.json",
              R"({"Records":[{"eventVersion":"1.07","insightDetails":{"state":"Start",)"
              R"("eventType":"x","insightContext":{"statistics":{}}},)"
              R"("eventTime":"2024-06-20T21:00:00Z","eventType":"AwsCloudTrailInsight",)"
              R"("recipientAccountId":"111122223333","eventID":"z"}]})");
    IngestRun run = CollectEvents({dir.path()});
    std::vector<std::string> ids = Ids(run);
    std::sort(ids.begin(), ids.end());
    EXPECT_EQ(ids, Expected(0, 8));
    EXPECT_EQ(run.stats.files_skipped, 1u);
    EXPECT_EQ(run.stats.skipped_by_reason["CloudTrail Insights"], 1u);
}

// lookup-events gives each event as JSON text in a string; half a surrogate pair in that string
// is read as U+FFFD, as anywhere else, and the event is kept.
TEST(IngestTest, LookupEventsWithHalfASurrogatePairAreRead) {
    std::string inner = Event(0);
    const std::string agent = R"("userAgent":"aws-cli/2")";
    inner.replace(inner.find(agent), agent.size(), R"("userAgent":"x\ud800")");
    std::string escaped;
    for (char c : inner) {
        if (c == '"') escaped += '\\';
        escaped += c;  // (the inner \u escape becomes the outer string's own)
    }
    TempDir dir;
    IngestRun run = CollectEvents({dir.Write(
        "lookup.json", R"({"Events":[{"EventId":"ev-0","CloudTrailEvent":")" + escaped + "\"}]}")});
    EXPECT_TRUE(run.problems.empty()) << run.problems[0].message;
    ASSERT_EQ(Ids(run), Expected(0, 1));
    EXPECT_NE(run.events[0].raw.find("x\xEF\xBF\xBD"), std::string::npos) << run.events[0].raw;
}

// CloudTrail Lake gives nested structures as JSON text in strings. Only a whole, valid JSON
// object or array in a column that is not one of the record's scalar fields is taken as
// structure: a user agent (or any value a caller chose) that begins with '{' stays a string,
// and cannot close the record early and forge or drop the fields after it.
TEST(IngestTest, LakeCellsThatLookLikeJsonCannotRewriteTheRecord) {
    const std::string rows =
        R"({"QueryStatus":"FINISHED","QueryResultRows":[)"
        R"([{"eventID":"ev-0"},{"eventName":"AttachUserPolicy"},)"
        R"({"eventTime":"2024-06-20 21:55:00.000"},{"eventSource":"iam.amazonaws.com"},)"
        R"({"userAgent":"{},\"errorCode\":\"AccessDenied\"}"},{"errorCode":""},)"
        R"({"requestParameters":"{\"policyArn\":\"arn:aws:iam::aws:policy/AdministratorAccess\"}"},)"
        R"({"recipientAccountId":"111122223333"}],)"
        R"([{"eventID":"ev-1"},{"eventName":"GetUser"},)"
        R"({"eventTime":"2024-06-20 21:55:01.000"},{"userAgent":"{\"a\":1}"},)"
        R"({"requestParameters":"{\"userName\":\"x\"},\"eventID\":\"forged\"}"}],)"
        R"([{"eventID":"ev-2"},{"eventName":"GetUser"},)"
        R"({"eventTime":"2024-06-20 21:55:02.000"},{"userAgent":"["},)"
        R"({"responseElements":"[1,{\"b\":[]}]"}],)"
        R"([{"eventID":"ev-3"},{"eventName":"GetUser"},)"
        R"({"eventTime":"2024-06-20 21:55:03.000"},{"userAgent":"x\ud800"},)"
        R"({"requestParameters":"{\"tag\":\"a\\ud800\",\"b\":\"\\ud83d\\ude00\\\\ud800\"}"}]]})";
    TempDir dir;
    IngestRun run = CollectEvents({dir.Write("lake.json", rows)});
    EXPECT_TRUE(run.problems.empty()) << run.problems[0].message;
    ASSERT_EQ(Ids(run), Expected(0, 4));
    simdjson::dom::parser parser;
    for (size_t i = 0; i < run.events.size(); ++i) {
        SCOPED_TRACE(run.events[i].raw);
        simdjson::dom::element el;
        ASSERT_EQ(parser.parse(run.events[i].raw).get(el), simdjson::SUCCESS);
        std::string_view ua, code, policy, rp;
        ASSERT_EQ(el["userAgent"].get_string().get(ua), simdjson::SUCCESS);
        if (i == 0) {
            EXPECT_EQ(ua, R"({},"errorCode":"AccessDenied"})");
            ASSERT_EQ(el["errorCode"].get_string().get(code), simdjson::SUCCESS);
            EXPECT_EQ(code, "");
            ASSERT_EQ(el["requestParameters"]["policyArn"].get_string().get(policy),
                      simdjson::SUCCESS);
            EXPECT_EQ(policy, "arn:aws:iam::aws:policy/AdministratorAccess");
            std::string_view account;
            ASSERT_EQ(el["recipientAccountId"].get_string().get(account), simdjson::SUCCESS);
            EXPECT_EQ(account, "111122223333");
        } else if (i == 1) {
            EXPECT_EQ(ua, R"({"a":1})");
            ASSERT_EQ(el["requestParameters"].get_string().get(rp), simdjson::SUCCESS);
            EXPECT_EQ(rp, R"({"userName":"x"},"eventID":"forged"})");
        } else if (i == 3) {
            EXPECT_EQ(ua, "x\xEF\xBF\xBD");  // half a surrogate pair: U+FFFD
            // ... also inside a structure given as JSON text (a pair, and an escaped backslash
            // before "ud800", stay as they are).
            std::string_view tag, b;
            ASSERT_EQ(el["requestParameters"]["tag"].get_string().get(tag), simdjson::SUCCESS);
            EXPECT_EQ(tag, "a\xEF\xBF\xBD");
            ASSERT_EQ(el["requestParameters"]["b"].get_string().get(b), simdjson::SUCCESS);
            EXPECT_EQ(b, "\xF0\x9F\x98\x80\\ud800");
        } else {
            EXPECT_EQ(ua, "[");
            simdjson::dom::array re;
            ASSERT_EQ(el["responseElements"].get_array().get(re), simdjson::SUCCESS);
            EXPECT_EQ(re.size(), 2u);
        }
    }
}

struct NullSink final : Sink {
    void OnEvent(const event::EventView&) override {}
};

// A pipe named on the command line is copied aside, once, for the commands that read their
// input twice; a regular file is read where it is; the copy goes with the Spool.
TEST(SpoolTest, StreamsAreCopiedOnceAndTheCopiesRemoved) {
    TempDir dir;
    const std::string file = dir.Write("records.json", Records(0, 2));
    const std::string fifo = dir.path() + "/pipe";
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    const std::string text = Lines(0, 3);
    std::thread writer([&] {
        const int fd = ::open(fifo.c_str(), O_WRONLY);
        if (fd < 0) return;
        EXPECT_EQ(::write(fd, text.data(), text.size()), static_cast<ssize_t>(text.size()));
        ::close(fd);
    });
    std::vector<InputFile> files = {{file, true}, {fifo, true}};
    EXPECT_FALSE(IsStream(files[0]));
    EXPECT_TRUE(IsStream(files[1]));
    std::string copy;
    {
        Spool spool;
        ASSERT_TRUE(spool.Streams(files).has_value());
        writer.join();
        EXPECT_EQ(files[0].read_from, "");
        EXPECT_EQ(files[1].path, fifo);
        copy = files[1].read_from;
        ASSERT_FALSE(copy.empty());
        EXPECT_EQ(testing::ReadFile(copy), text);
        // Read twice, from the copy: the same events each time.
        for (int pass = 0; pass < 2; ++pass) {
            Diagnostics diag(nullptr);
            event::FieldCatalog catalog;
            const IngestStats stats = RunIngest(
                files, catalog, {}, [](unsigned) { return std::make_unique<NullSink>(); }, diag);
            EXPECT_EQ(stats.events, 5u) << "pass " << pass;
            EXPECT_TRUE(diag.all().empty());
        }
    }
    EXPECT_NE(::access(copy.c_str(), F_OK), 0);  // removed
}

// --------------------------------------------------------------------------------- bad input

TEST(BadInputTest, TruncatedGzipKeepsRecordsBeforeTheCutAndReportsTheOffset) {
    TempDir dir;
    const std::string gz = Gzip(Lines(0, 2000));
    const std::string path = dir.Write("cut.json.gz", gz.substr(0, gz.size() / 2));
    dir.Write("good.json", Records(5000, 5002));
    IngestRun run = CollectEvents({dir.path()});
    ASSERT_FALSE(run.problems.empty());
    EXPECT_TRUE(HasProblem(run, "truncated gzip")) << run.problems[0].message;
    EXPECT_TRUE(HasProblem(run, "byte"));
    EXPECT_EQ(run.problems[0].path, path);
    // The good file is read, and some records before the cut are recovered.
    size_t good = 0, recovered = 0;
    for (const auto& e : run.events) {
        if (e.event_id == "ev-5000" || e.event_id == "ev-5001") {
            ++good;
        } else {
            ++recovered;
        }
    }
    EXPECT_EQ(good, 2u);
    EXPECT_GT(recovered, 100u);
    EXPECT_LT(recovered, 2000u);
}

// Small gzip files are inflated in one call when their trailer gives the size; anything that
// call cannot take whole (several members, a trailer that lies, damage) goes through the
// streaming inflater, which reports where the damage is.
TEST(GzipTest, ConcatenatedMembersAreReadAsOneStream) {
    TempDir dir;
    const std::string path =
        dir.Write("two.jsonl.gz", Gzip(Lines(0, 300)) + Gzip(Lines(300, 700), 1));
    IngestRun run = CollectEvents({path});
    EXPECT_EQ(Ids(run), Expected(0, 700));
    EXPECT_TRUE(run.problems.empty());
}

TEST(GzipTest, TrailerWithAWrongSizeLosesNoRecordAndIsReported) {
    TempDir dir;
    const std::string plain = Lines(0, 500);
    const auto size = static_cast<uint32_t>(plain.size());
    for (const uint32_t lie : {1000u, size - 1, size + 1, 100000000u}) {
        SCOPED_TRACE(lie);
        std::string gz = Gzip(plain);
        for (int i = 0; i < 4; ++i) gz[gz.size() - 4 + i] = static_cast<char>(lie >> (8 * i));
        IngestRun run = CollectEvents({dir.Write("lie.jsonl.gz", gz)});
        EXPECT_EQ(Ids(run), Expected(0, 500));
        EXPECT_TRUE(HasProblem(run, "compressed byte")) << run.problems.size();
    }
}

TEST(GzipTest, BytesAfterTheLastMemberAreIgnored) {
    TempDir dir;
    for (const std::string& tail : {std::string(512, '\0'), std::string("not gzip at all")}) {
        IngestRun run = CollectEvents({dir.Write("tail.jsonl.gz", Gzip(Lines(0, 300)) + tail)});
        EXPECT_EQ(Ids(run), Expected(0, 300));
        EXPECT_TRUE(run.problems.empty());
    }
}

TEST(GzipTest, EmptyGzipIsReportedAsAnEmptyFile) {
    TempDir dir;
    IngestRun run = CollectEvents({dir.Write("empty.json.gz", Gzip(""))});
    EXPECT_TRUE(run.events.empty());
    EXPECT_TRUE(HasProblem(run, "empty file"));
}

TEST(GzipTest, DamagedDeflateDataIsReportedWithItsOffset) {
    TempDir dir;
    std::string gz = Gzip(Lines(0, 2000));
    gz[gz.size() / 2] = static_cast<char>(gz[gz.size() / 2] ^ 0x55);
    gz[gz.size() / 2 + 1] = static_cast<char>(gz[gz.size() / 2 + 1] ^ 0xaa);
    IngestRun run = CollectEvents({dir.Write("bad.jsonl.gz", gz)});
    ASSERT_FALSE(run.problems.empty());
    EXPECT_TRUE(HasProblem(run, "compressed byte")) << run.problems[0].message;
    EXPECT_LT(run.events.size(), 2000u);
}

// The reader opens a file relative to the directory of the previous one: files of the same
// name in other directories, and directories met again, must still give their own bytes.
TEST(ReaderTest, FilesOfOneNameInSeveralDirectoriesEachGiveTheirOwnBytes) {
    TempDir dir;
    const std::string a = dir.Write("a/f.json", "first");
    const std::string b = dir.Write("b/f.json", Gzip("second"));
    const std::string missing = dir.path() + "/a/none.json";
    InputReader reader;
    // In small pieces (streaming) and all at once (gzip inflated in one call).
    auto read_all = [&](const std::string& path, size_t piece) {
        EXPECT_TRUE(reader.Open(path)) << path;
        PaddedBuffer buf;
        while (true) {
            auto got = reader.Read(buf, piece);
            if (!got || *got == 0) break;
        }
        return std::string(buf.view());
    };
    for (const size_t piece : {3, 1 << 20}) {
        EXPECT_EQ(read_all(a, piece), "first");
        EXPECT_EQ(read_all(b, piece), "second");
        EXPECT_EQ(read_all(b, piece), "second");
        auto s = reader.Open(missing);
        ASSERT_FALSE(s);
        EXPECT_EQ(s.error().code, ErrorCode::kNotFound);
    }
}

// A plain file is read to its end, whatever its size was when opened: a file still being
// written loses nothing.
TEST(ReaderTest, PlainFileGrowingAfterOpenIsReadToItsEnd) {
    TempDir dir;
    const std::string path = dir.Write("grow.json", "first");
    InputReader reader;
    ASSERT_TRUE(reader.Open(path));
    {
        std::FILE* f = std::fopen(path.c_str(), "ab");
        ASSERT_NE(f, nullptr);
        std::fputs(" and more", f);
        std::fclose(f);
    }
    PaddedBuffer buf;
    while (true) {
        auto got = reader.Read(buf, 1 << 20);
        if (!got || *got == 0) break;
    }
    EXPECT_EQ(buf.view(), "first and more");
}

TEST(BadInputTest, InvalidJsonInOneRecordLosesOnlyThatRecord) {
    TempDir dir;
    std::string doc = Records(0, 5);
    const size_t third = doc.find("\"eventID\":\"ev-2\"");
    doc.replace(third, 10, "\"eventID\" ");  // missing colon inside record 3
    const std::string path = dir.Write("broken.json", doc);
    IngestRun run = CollectEvents({path});
    EXPECT_EQ(Ids(run), (std::vector<std::string>{"ev-0", "ev-1", "ev-3", "ev-4"}));
    ASSERT_EQ(run.problems.size(), 1u);
    EXPECT_EQ(run.problems[0].path, path);
    EXPECT_EQ(run.problems[0].loss, Loss::kRecord);
    EXPECT_NE(run.problems[0].position.find("record 3"), std::string::npos)
        << run.problems[0].position;
}

TEST(BadInputTest, BadJsonLineIsReportedByLineNumber) {
    TempDir dir;
    const std::string path =
        dir.Write("l.jsonl", Event(0) + "\n{\"eventName\": oops}\n" + Event(2) + "\n");
    IngestRun run = CollectEvents({path});
    EXPECT_EQ(Ids(run), (std::vector<std::string>{"ev-0", "ev-2"}));
    ASSERT_EQ(run.problems.size(), 1u);
    EXPECT_EQ(run.problems[0].position, "line 2");
}

TEST(BadInputTest, FieldOfTheWrongTypeSkipsTheRecordWithAClearMessage) {
    TempDir dir;
    std::string bad = Event(1);
    bad.replace(bad.find("\"eventName\":\"DescribeInstances\""), 31, "\"eventName\":42");
    std::string text = "[";
    text.append(Event(0)).append(",").append(bad).append("]");
    IngestRun run = CollectEvents({dir.Write("t.json", text)});
    EXPECT_EQ(Ids(run), (std::vector<std::string>{"ev-0"}));
    ASSERT_EQ(run.problems.size(), 1u);
    EXPECT_EQ(run.problems[0].message, "skipped: expected a string at eventName, got a number");
    EXPECT_EQ(run.problems[0].position, "record 2");
}

TEST(BadInputTest, EmptyFilesAndNonCloudTrailJsonAreReportedOnce) {
    TempDir dir;
    const std::string empty = dir.Write("empty.json", "");
    const std::string zero_gz = dir.Write("zero.json.gz", "");
    const std::string other = dir.Write("other.json", R"([{"name":"x"},{"name":"y"}])");
    const std::string text = dir.Write("notes.txt", "hello\n");
    const std::string good = dir.Write("good.json", Records(0, 1));
    IngestRun run = CollectEvents({empty, zero_gz, other, text, good});
    EXPECT_EQ(Ids(run), Expected(0, 1));
    ASSERT_EQ(run.problems.size(), 4u);
    for (const auto& p : run.problems) {
        EXPECT_EQ(p.loss, Loss::kFile) << p.path;  // named on the command line
    }
    EXPECT_TRUE(HasProblem(run, "empty file"));
    EXPECT_TRUE(HasProblem(run, "not CloudTrail"));
}

TEST(BadInputTest, NonCloudTrailFilesFoundInADirectoryAreOnlyWarnings) {
    TempDir dir;
    dir.Write("LICENSE", "Apache License\n");
    dir.Write("labels.jsonl", "{\"technique\":\"x\"}\n");
    dir.Write("logs/a.json", Records(0, 2));
    IngestRun run = CollectEvents({dir.path()});
    EXPECT_EQ(Ids(run), Expected(0, 2));
    ASSERT_EQ(run.problems.size(), 2u);
    for (const auto& p : run.problems) EXPECT_EQ(p.loss, Loss::kNone);
}

// Hidden files and folders met while walking are skipped, but not silently: a trail's key
// prefix can begin with a dot (UpdateTrail --s3-key-prefix), and a copy of the bucket then
// holds its logs in a hidden folder. Only version-control folders go unmentioned.
TEST(DiscoveryTest, HiddenFilesAndFoldersInADirectoryAreSkipped) {
    TempDir dir;
    dir.Write(".done", "");
    dir.Write(".git/objects/x.json", Records(5, 6));
    dir.Write("logs/a.json", Records(0, 2));
    dir.Write("logs/.prefix/AWSLogs/t.json", Records(7, 8));
    const std::string named = dir.Write(".named.json", Records(9, 10));
    IngestRun run = CollectEvents({dir.path()});
    EXPECT_EQ(Ids(run), Expected(0, 2));
    ASSERT_EQ(run.problems.size(), 1u);
    EXPECT_EQ(run.problems[0].severity, Severity::kWarning);
    EXPECT_EQ(run.problems[0].loss, Loss::kNone);
    EXPECT_EQ(run.problems[0].path, dir.path() + "/logs/.prefix");
    EXPECT_NE(run.problems[0].message.find("name it"), std::string::npos)
        << run.problems[0].message;
    EXPECT_EQ(Ids(CollectEvents({named})), Expected(9, 10));
    EXPECT_EQ(Ids(CollectEvents({dir.path() + "/logs/.prefix"})), Expected(7, 8));
}

TEST(DiscoveryTest, FilesAreFoundOnceSortedByPathFollowingLinksToFilesOnly) {
    TempDir dir;
    std::vector<std::string> want;
    // Names that sort before '/' ('-', '.', digits after letters) beside a directory whose name
    // is their prefix: the order is that of the whole path as a string.
    for (const char* name : {"a/x.json", "a-b/y.json", "a.c/z.json", "a/b/c/d.json.gz", "a0/e.json",
                             "b/f.jsonl", "B/g.json"}) {
        want.push_back(dir.Write(name, "{}"));
    }
    dir.Write("a/.hidden/h.json", "{}");
    dir.Write("outside/o.json", "{}");
    // A link to a file is an input; a link to a directory is not walked.
    ASSERT_EQ(::symlink((dir.path() + "/b/f.jsonl").c_str(), (dir.path() + "/a/link.json").c_str()),
              0);
    ASSERT_EQ(::symlink((dir.path() + "/outside").c_str(), (dir.path() + "/a/dirlink").c_str()), 0);
    want.push_back(dir.path() + "/a/link.json");
    std::sort(want.begin(), want.end());
    Diagnostics diag(nullptr);
    // The directory, and one of its files named again: found once.
    std::vector<std::string> args;
    for (const char* top : {"a", "a-b", "a.c", "a0", "b", "B"})
        args.push_back(dir.path() + "/" + top);
    args.push_back(dir.path() + "/a/x.json");
    const std::vector<InputFile> files = DiscoverInputs(args, diag);
    std::vector<std::string> got;
    for (const InputFile& f : files) got.push_back(f.path);
    EXPECT_EQ(got, want);
    ASSERT_EQ(diag.all().size(), 1u);  // the hidden folder, skipped
    EXPECT_EQ(diag.all()[0].path, dir.path() + "/a/.hidden");
    ASSERT_EQ(files.size(), want.size());
    EXPECT_TRUE(
        files[std::find(got.begin(), got.end(), dir.path() + "/a/x.json") - got.begin()].named);
}

TEST(BadInputTest, MissingPathIsAnError) {
    TempDir dir;
    IngestRun run = CollectEvents({dir.path() + "/nope.json"});
    ASSERT_EQ(run.problems.size(), 1u);
    EXPECT_EQ(run.problems[0].loss, Loss::kFile);
    EXPECT_EQ(run.stats.events, 0u);
}

TEST(BadInputTest, FiftyMegabyteRecordIsRead) {
    TempDir dir;
    std::string big = Event(1);
    const std::string blob(50u << 20, 'x');
    big.insert(big.find("\"filterSet\""), "\"blob\":\"" + blob + "\",");
    const std::string path = dir.Write(
        "big.json.gz", Gzip("{\"Records\":[" + Event(0) + "," + big + "," + Event(2) + "]}", 1));
    IngestRun run = CollectEvents({path});
    EXPECT_EQ(Ids(run), Expected(0, 3));
    EXPECT_TRUE(run.problems.empty());
    ASSERT_EQ(run.events.size(), 3u);
    EXPECT_GT(run.events[1].raw.size(), 50u << 20);
}

// ------------------------------------------------------------------------ streaming, threads

TEST(StreamingTest, FilesAboveTheWholeFileLimitAreStreamedInChunks) {
    TempDir dir;
    const std::string records = dir.Write("r.json.gz", Gzip(Records(0, 3000)));
    const std::string array = dir.Write("a.json", Array(0, 3000));
    const std::string lines = dir.Write("l.jsonl", Lines(0, 3000));
    IngestOptions opt;
    opt.whole_file_limit = 4096;
    opt.chunk_size = 1000;  // smaller than a record: records span chunks
    for (const auto& path : {records, array, lines}) {
        SCOPED_TRACE(path);
        IngestRun run = CollectEvents({path}, opt);
        EXPECT_EQ(Ids(run), Expected(0, 3000));
        EXPECT_TRUE(run.problems.empty());
    }
}

TEST(StreamingTest, TruncatedPlainFileLosesOnlyTheLastRecord) {
    TempDir dir;
    std::string doc = Records(0, 10);
    doc.resize(doc.size() - 40);
    IngestOptions opt;
    opt.whole_file_limit = 1024;
    IngestRun run = CollectEvents({dir.Write("t.json", doc)}, opt);
    EXPECT_EQ(Ids(run), Expected(0, 9));
    EXPECT_TRUE(HasProblem(run, "ends inside this record"));
}

TEST(ThreadsTest, SameEventsWhateverTheThreadCount) {
    TempDir dir;
    for (int f = 0; f < 12; ++f) {
        std::string name = "f";
        name.append(std::to_string(10 + f)).append(".json.gz");
        dir.Write(name, Gzip(Records(f * 100, f * 100 + 100)));
    }
    IngestOptions one, four;
    one.threads = 1;
    four.threads = 4;
    IngestRun a = CollectEvents({dir.path()}, one);
    IngestRun b = CollectEvents({dir.path()}, four);
    EXPECT_EQ(Ids(a), Expected(0, 1200));
    EXPECT_EQ(Ids(a), Ids(b));
    EXPECT_EQ(a.stats.bytes, b.stats.bytes);
}

TEST(TimeRangeTest, FromAndToFilterByEventTime) {
    TempDir dir;
    IngestOptions opt;
    opt.from = *ParseIsoTime("2024-06-20T21:55:10Z");
    opt.to = *ParseIsoTime("2024-06-20T21:55:20Z");
    IngestRun run = CollectEvents({dir.Write("r.json", Records(0, 30))}, opt);
    EXPECT_EQ(Ids(run), Expected(10, 20));
    EXPECT_EQ(run.stats.events_filtered, 20u);
}

}  // namespace
}  // namespace tw::ingest
