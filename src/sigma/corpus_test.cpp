// The SigmaHQ CloudTrail rules of ../shared/corpus/sigma: every rule loads, and each one has a
// positive and a negative event written here from its own detection logic (small inline
// records, not copies of corpus files). Panther's CloudTrail test events run against the whole
// set without error. Skips when the corpus is absent.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "sigma/test_harness.h"

namespace tw::sigma {
namespace {

namespace fs = std::filesystem;

const std::string kSigmaDir = std::string(TW_SHARED_DIR) + "/corpus/sigma";

std::string E(std::string_view body) {
    return "{\"eventTime\":\"2024-06-20T10:00:00Z\"," + std::string(body) + "}";
}

struct Case {
    const char* id;        // rule id; legacy aggregations: "<id>:events", ":first", ":near"
    const char* positive;  // nullptr: no valid CloudTrail record can match (see the entry)
    const char* negative;
};

// clang-format off
const Case kCases[] = {
    {"59b70e4d-dd17-44a9-b740-acf07ae3eb6a", R"("eventSource":"bedrock.amazonaws.com","eventName":"DeleteGuardrail")", R"("eventSource":"bedrock.amazonaws.com","eventName":"GetGuardrail")"},
    {"1c722651-254a-4b04-a9f4-99b62a2d0a1f", R"("eventSource":"bedrock.amazonaws.com","eventName":"UpdateGuardrail")", R"("eventSource":"iam.amazonaws.com","eventName":"UpdateGuardrail")"},
    {"39c9f26d-6e3b-4dbb-9c7a-4154b0281112", R"("eventSource":"s3.amazonaws.com","eventName":"DeleteBucket")", R"("eventSource":"s3.amazonaws.com","eventName":"DeleteBucket","errorCode":"AccessDenied")"},
    {"6393e346-1977-46ef-8987-ad414a145fad", R"("eventSource":"signin.amazonaws.com","eventName":"ConsoleLogin","errorMessage":"Failed authentication")", R"("eventSource":"signin.amazonaws.com","eventName":"ConsoleLogin","responseElements":{"ConsoleLogin":"Success"}})"},
    {"77caf516-34e5-4df9-b4db-20744fea0a60", R"("eventName":"ConsoleLogin","additionalEventData":{"MFAUsed":"No"},"responseElements":{"ConsoleLogin":"Success"}})", R"("eventName":"ConsoleLogin","additionalEventData":{"MFAUsed":"Yes"},"responseElements":{"ConsoleLogin":"Success"}})"},
    {"4db60cc0-36fb-42b7-9b58-a5b53019fb74", R"("eventSource":"cloudtrail.amazonaws.com","eventName":"StopLogging")", R"("eventSource":"cloudtrail.amazonaws.com","eventName":"StartLogging")"},
    {"d2656e78-c069-4571-8220-9e0ab5913f19", R"("eventSource":"guardduty.amazonaws.com","eventName":"UpdateDetector","requestParameters":{"enable":false}})", R"("eventSource":"guardduty.amazonaws.com","eventName":"UpdateDetector","requestParameters":{"enable":true}})"},
    {"352a918a-34d8-4882-8470-44830c507aa3", R"("eventSource":"s3.amazonaws.com","eventName":"ListBuckets","sourceIPAddress":"203.0.113.9","userIdentity":{"arn":"arn:aws:sts::111122223333:assumed-role/aws:ec2-instance/i-0abc"}})", R"("eventSource":"ssm.amazonaws.com","eventName":"UpdateInstanceInformation","sourceIPAddress":"203.0.113.9","userIdentity":{"arn":"arn:aws:sts::111122223333:assumed-role/aws:ec2-instance/i-0abc"}})"},
    {"e1f7febb-7b94-4234-b5c6-00fb8500f5dd", R"("eventSource":"ec2.amazonaws.com","eventName":"CreateNetworkAclEntry")", R"("eventSource":"ec2.amazonaws.com","eventName":"DeleteNetworkAclEntry")"},
    {"c803b2ce-c4a2-4836-beae-b112010390b1", R"("eventSource":"ec2.amazonaws.com","eventName":"CreateRoute")", R"("eventSource":"ec2.amazonaws.com","eventName":"CreateRouteTable")"},
    {"a840e606-7c8c-4684-9bc1-eb6b6155127f", R"("eventSource":"sts.amazonaws.com","eventName":"GetCallerIdentity","userAgent":"trufflehog")", R"("eventSource":"sts.amazonaws.com","eventName":"GetCallerIdentity","userAgent":"TruffleHog v3")"},
    {"a5ffb6ea-c784-4e01-b30a-deb6e58ca2ab", R"("eventSource":"account.amazonaws.com","eventName":"EnableRegion")", R"("eventSource":"account.amazonaws.com","eventName":"DisableRegion")"},
    {"6fb77778-040f-4015-9440-572aa9b6b580", R"("eventSource":"ec2.amazonaws.com","eventName":"AuthorizeSecurityGroupIngress")", R"("eventSource":"ec2.amazonaws.com","eventName":"DescribeSecurityGroups")"},
    {"7a4409fc-f8ca-45f6-8006-127d779eaad9", R"("eventSource":"elasticloadbalancing.amazonaws.com","eventName":"SetSecurityGroups")", R"("eventSource":"ec2.amazonaws.com","eventName":"SetSecurityGroups")"},
    {"14f3f1c8-02d5-43a2-a191-91ffb52d3015", R"("eventSource":"rds.amazonaws.com","eventName":"CreateDBSecurityGroup")", R"("eventSource":"rds.amazonaws.com","eventName":"DescribeDBSecurityGroups")"},
    {"38e7f511-3f74-41d4-836e-f57dfa18eead", R"("eventSource":"ssm.amazonaws.com","eventName":"SendCommand","errorCode":null)", R"("eventSource":"ssm.amazonaws.com","eventName":"SendCommand","errorCode":"AccessDenied")"},
    {"e386b9b5-af12-450e-afff-761730fb8a98", R"("eventSource":"ec2.amazonaws.com","eventName":"DeleteFlowLogs","errorCode":"Success")", R"("eventSource":"ec2.amazonaws.com","eventName":"DeleteFlowLogs","errorCode":"UnauthorizedOperation")"},
    {"07330162-dba1-4746-8121-a9647d49d297", R"("eventSource":"config.amazonaws.com","eventName":"StopConfigurationRecorder")", R"("eventSource":"config.amazonaws.com","eventName":"StartConfigurationRecorder")"},
    {"f8103686-e3e8-46f3-be72-65f7fcb4aa53", R"("eventSource":"signin.amazonaws.com","eventName":"GetSigninToken","userAgent":"python-requests/2.31")", R"x("eventSource":"signin.amazonaws.com","eventName":"GetSigninToken","userAgent":"Jersey/${project.version} (HttpUrlConnection 1.8)")x"},
    {"20f754db-d025-4a8f-9d74-e0037e999a9a", R"("eventSource":"ses.amazonaws.com","eventName":"DeleteIdentity")", R"("eventSource":"ses.amazonaws.com","eventName":"VerifyEmailIdentity")"},
    {"ccd6a6c8-bb4e-4a91-9d2a-07e632819374", R"("eventSource":"iam.amazonaws.com","eventName":"DeleteSAMLProvider","status":"success")", R"("eventSource":"iam.amazonaws.com","eventName":"DeleteSAMLProvider","status":"failure")"},
    {"a136ac98-b2bc-4189-a14d-f0d0388e57a7", R"("eventSource":"s3.amazonaws.com","eventName":"PutBucketVersioning","requestParameters":{"VersioningConfiguration":{"Status":"Suspended"}}})", R"("eventSource":"s3.amazonaws.com","eventName":"PutBucketVersioning","requestParameters":{"VersioningConfiguration":{"Status":"Enabled"}}})"},
    {"16124c2d-e40b-4fcc-8f2c-5ab7870a2223", R"("eventSource":"ec2.amazonaws.com","eventName":"DisableEbsEncryptionByDefault")", R"("eventSource":"ec2.amazonaws.com","eventName":"EnableEbsEncryptionByDefault")"},
    {"92f84194-8d9a-4ee0-8699-c30bfac59780", R"("eventSource":"ec2.amazonaws.com","eventName":"ImportKeyPair")", R"("eventSource":"ec2.amazonaws.com","eventName":"CreateKeyPair")"},
    {"1ab3c5ed-5baf-417b-bb6b-78ca33f6c3df", R"("eventSource":"ec2.amazonaws.com","eventName":"ModifyInstanceAttribute","requestParameters":{"attribute":"userData"}})", R"("eventSource":"ec2.amazonaws.com","eventName":"ModifyInstanceAttribute","requestParameters":{"attribute":"instanceType"}})"},
    {"54b9a76a-3c71-4673-b4b3-2edb4566ea7b", R"("eventSource":"ec2.amazonaws.com","eventName":"CreateInstanceExportTask","responseElements":{"exportTask":{"state":"active"}}})", R"("eventSource":"ec2.amazonaws.com","eventName":"CreateInstanceExportTask","errorCode":"InvalidParameter")"},
    {"b94bf91e-c2bf-4047-9c43-c6810f43baad", R"("eventSource":"ecs.amazonaws.com","eventName":"RegisterTaskDefinition","requestParameters":{"containerDefinitions":[{"command":["sh","-c","curl 169.254.170.2$AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"]}]}})", R"("eventSource":"ecs.amazonaws.com","eventName":"RegisterTaskDefinition","requestParameters":{"containerDefinitions":[{"command":["nginx"]}]}})"},
    {"25cb1ba1-8a19-4a23-a198-d252664c8cef", R"("eventSource":"elasticfilesystem.amazonaws.com","eventName":"DeleteFileSystem")", R"("eventSource":"elasticfilesystem.amazonaws.com","eventName":"CreateFileSystem")"},
    {"6a7ba45c-63d8-473e-9736-2eaabff79964", R"("eventSource":"elasticfilesystem.amazonaws.com","eventName":"DeleteMountTarget")", R"("eventSource":"elasticfilesystem.amazonaws.com","eventName":"CreateMountTarget")"},
    {"33d50d03-20ec-4b74-a74e-1e65a38af1c0", R"("eventSource":"eks.amazonaws.com","eventName":"DeleteCluster")", R"("eventSource":"eks.amazonaws.com","eventName":"DescribeCluster")"},
    {"4ae68615-866f-4304-b24b-ba048dfa5ca7", R"("eventSource":"elasticache.amazonaws.com","eventName":"CreateCacheSecurityGroup")", R"("eventSource":"elasticache.amazonaws.com","eventName":"CreateCacheCluster")"},
    {"7c797da2-9cf2-4523-ba64-33b06339f0cc", R"("eventSource":"elasticache.amazonaws.com","eventName":"AuthorizeCacheSecurityGroupIngress")", R"("eventSource":"elasticache.amazonaws.com","eventName":"CreateCacheSecurityGroup")"},
    {"f305fd62-beca-47da-ad95-7690a0620084", R"("eventSource":"s3.amazonaws.com","eventName":"ListBuckets","userIdentity":{"type":"IAMUser"}})", R"("eventSource":"s3.amazonaws.com","eventName":"ListBuckets","userIdentity":{"type":"AssumedRole"}})"},
    {"6e61ee20-ce00-4f8d-8aee-bedd8216f7e3", R"("eventSource":"guardduty.amazonaws.com","eventName":"CreateIPSet")", R"("eventSource":"guardduty.amazonaws.com","eventName":"ListIPSets")"},
    {"0a5177f4-6ca9-44c2-aacf-d3f3d8b6e4d2", R"("eventSource":"iam.amazonaws.com","eventName":"CreateAccessKey","userIdentity":{"arn":"arn:aws:iam::111122223333:user/attacker"}})", R"("eventSource":"iam.amazonaws.com","eventName":"DeleteAccessKey","userIdentity":{"arn":"arn:aws:iam::111122223333:user/attacker"}})"},
    {"db014773-b1d3-46bd-ba26-133337c0ffee", R"("eventSource":"iam.amazonaws.com","eventName":"CreateLoginProfile","userAgent":"S3 Browser 11.4.5 https://s3browser.com")", R"("eventSource":"iam.amazonaws.com","eventName":"CreateLoginProfile","userAgent":"aws-cli/2.15")"},
    {"db014773-7375-4f4e-b83b-133337c0ffee", R"("eventSource":"iam.amazonaws.com","eventName":"PutUserPolicy","userAgent":"S3 Browser 11","requestParameters":{"policyDocument":"{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::<YOUR-BUCKET-NAME>/*\"}]}"}})", R"("eventSource":"iam.amazonaws.com","eventName":"PutUserPolicy","userAgent":"S3 Browser 11","requestParameters":{"policyDocument":"{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::prod/*\"}]}"}})"},
    {"db014773-d9d9-4792-91e5-133337c0ffee", R"("eventSource":"iam.amazonaws.com","eventName":"CreateUser","userAgent":"S3 Browser 9.5.5")", R"("eventSource":"iam.amazonaws.com","eventName":"CreateUser","userAgent":"console.amazonaws.com")"},
    {"1279262f-1464-422f-ac0d-5b545320c526", R"("eventSource":"kms.amazonaws.com","eventName":"ImportKeyMaterial")", R"("eventSource":"kms.amazonaws.com","eventName":"Decrypt")"},
    {"ec541962-c05a-4420-b9ea-84de072d18f4", R"("eventSource":"lambda.amazonaws.com","eventName":"CreateFunctionUrlConfig")", R"("eventSource":"lambda.amazonaws.com","eventName":"GetFunctionUrlConfig")"},
    {"97fbabf8-8e1b-47a2-b7d5-a418d2b95e3d", R"("eventSource":"lambda.amazonaws.com","eventName":"UpdateFunctionConfiguration20150331v2","requestParameters":{"layers":["arn:aws:lambda:us-east-1:111122223333:layer:evil:1"]}})", R"("eventSource":"lambda.amazonaws.com","eventName":"UpdateFunctionConfiguration20150331v2","requestParameters":{"timeout":30}})"},
    {"4990c2e3-f4b8-45e3-bc3c-30b14ff0ed26", R"("eventSource":"glue.amazonaws.com","eventName":"CreateDevEndpoint")", R"("eventSource":"glue.amazonaws.com","eventName":"GetDevEndpoint")"},
    {"8a63cdd4-6207-414a-85bc-7e032bd3c1a2", R"("eventSource":"rds.amazonaws.com","eventName":"ModifyDBInstance","responseElements":{"pendingModifiedValues":{"masterUserPassword":"****"}}})", R"("eventSource":"rds.amazonaws.com","eventName":"ModifyDBInstance","responseElements":{"pendingModifiedValues":{"dBInstanceClass":"db.m5.large"}}})"},
    {"457cc9ac-d8e6-4d1d-8c0e-251d0f11a74c", R"("eventSource":"rds.amazonaws.com","eventName":"DeleteDBCluster")", R"("eventSource":"rds.amazonaws.com","eventName":"CreateDBCluster")"},
    {"c3f265c7-ff03-4056-8ab2-d486227b4599", R"("eventSource":"rds.amazonaws.com","eventName":"RestoreDBInstanceFromDBSnapshot","responseElements":{"publiclyAccessible":true}})", R"("eventSource":"rds.amazonaws.com","eventName":"RestoreDBInstanceFromDBSnapshot","responseElements":{"publiclyAccessible":false}})"},
    {"8ad1600d-e9dc-4251-b0ee-a65268f29add", R"("eventSource":"iam.amazonaws.com","eventName":"CreateUser","eventType":"AwsApiCall","userIdentity":{"type":"Root"}})", R"("eventSource":"iam.amazonaws.com","eventName":"CreateUser","eventType":"AwsServiceEvent","userIdentity":{"type":"Root"}})"},
    {"3940b5f1-3f46-44aa-b746-ebe615b879e0", R"("eventSource":"route53.amazonaws.com","eventName":"DisableDomainTransferLock")", R"("eventSource":"route53.amazonaws.com","eventName":"EnableDomainTransferLock")"},
    {"b056de1a-6e6e-4e40-a67e-97c9808cf41b", R"("eventSource":"route53.amazonaws.com","eventName":"TransferDomainToAnotherAwsAccount")", R"("eventSource":"route53domains.amazonaws.com","eventName":"TransferDomainToAnotherAwsAccount")"},
    {"78b3756a-7804-4ef7-8555-7b9024a02e2d", R"("eventSource":"s3.amazonaws.com","eventName":"PutBucketLogging")", R"("eventSource":"s3.amazonaws.com","eventName":"GetBucketLogging")"},
    {"a607e1fe-74bf-4440-a3ec-b059b9103157", R"("eventSource":"securityhub.amazonaws.com","eventName":"BatchUpdateFindings")", R"("eventSource":"securityhub.amazonaws.com","eventName":"GetFindings")"},
    {"abae8fec-57bd-4f87-aff6-6e3db989843d", R"("eventSource":"ec2.amazonaws.com","eventName":"ModifySnapshotAttribute")", R"("eventSource":"ec2.amazonaws.com","eventName":"DescribeSnapshotAttribute")"},
    {"d3adb3ef-b7e7-4003-9092-1924c797db35", R"("eventSource":"sso-directory.amazonaws.com","eventName":"DisableExternalIdPConfigurationForDirectory")", R"("eventSource":"sso-directory.amazonaws.com","eventName":"CreateUser")"},
    {"905d389b-b853-46d0-9d3d-dea0d3a3cd49", R"("eventSource":"s3.amazonaws.com","eventName":"GetObject","userIdentity":{"type":"AssumedRole","sessionContext":{"sessionIssuer":{"type":"Role"}}}})", R"("eventSource":"s3.amazonaws.com","eventName":"GetObject","userIdentity":{"type":"IAMUser"}})"},
    {"9b1b8e9b-0a5d-4af1-9d2f-4c4b6e7c2c9d", R"("eventSource":"sts.amazonaws.com","eventName":"GetCallerIdentity","userAgent":"TruffleHog/3.63")", R"("eventSource":"sts.amazonaws.com","eventName":"GetCallerIdentity","userAgent":"aws-cli/2")"},
    {"b45ab1d2-712f-4f01-a751-df3826969807", R"("eventSource":"sts.amazonaws.com","eventName":"GetSessionToken","userIdentity":{"type":"IAMUser"}})", R"("eventSource":"sts.amazonaws.com","eventName":"GetSessionToken","userIdentity":{"type":"Root"}})"},
    {"f43f5d2f-3f2a-4cc8-b1af-81fde7dbaf0e", R"("eventSource":"iam.amazonaws.com","eventName":"UpdateSAMLProvider")", R"("eventSource":"sts.amazonaws.com","eventName":"AssumeRole")"},
    {"055fb148-60f8-462d-ad16-26926ce050f1", R"("eventSource":"iam.amazonaws.com","eventName":"UpdateLoginProfile","userIdentity":{"arn":"arn:aws:iam::111122223333:user/admin"},"requestParameters":{"userName":"victim"}})", R"("eventSource":"iam.amazonaws.com","eventName":"UpdateLoginProfile","userIdentity":{"arn":"victim"},"requestParameters":{"userName":"victim"}})"},
    // rules-placeholder/ (loaded with Legitimate_Countries=US and Legitimate_IP_Ranges=203.0.113.*)
    {"313e72de-0c0d-4d65-8c95-87f4d546eceb", R"("eventName":"ConsoleLogin","responseElements":{"ConsoleLogin":"Success"},"src_country":"FR","src_ip":"198.51.100.4")", R"("eventName":"ConsoleLogin","responseElements":{"ConsoleLogin":"Success"},"src_country":"US","src_ip":"198.51.100.4")"},
    // unsupported/: legacy aggregations become correlations over hidden detections; these test
    // the per-event part (thresholds are covered by the correlation tests).
    {"26ff4080-194e-47e7-9889-ef7602efed0c:events", R"("eventSource":"ec2.amazonaws.com","eventName":"DescribeInstanceAttribute","requestParameters":{"attribute":"userData"}})", R"("eventSource":"ec2.amazonaws.com","eventName":"DescribeInstanceAttribute","requestParameters":{"attribute":"kernel"}})"},
    {"76255e09-755e-4675-8b6b-dbce9842cd2a:events", R"("eventSource":"ec2.amazonaws.com","eventName":"GetPasswordData")", R"("eventSource":"ec2.amazonaws.com","eventName":"DescribeInstances")"},
    {"e9c14b23-47e2-4a8b-8a63-d36618e33d70:events", R"("eventSource":"iam.amazonaws.com","eventName":"ListUsers")", R"("eventSource":"iam.amazonaws.com","eventName":"GetUser")"},
    {"c3d53999-4b14-4ddd-9d9b-e618c366b54d:events", R"("eventSource":"ec2.amazonaws.com","eventName":"DescribeDhcpOptions")", R"("eventSource":"ec2.amazonaws.com","eventName":"DescribeVpcs")"},
    {"4723218f-2048-41f6-bcb0-417f2d784f61:events", R"("eventSource":"s3.amazonaws.com","eventName":"GetBucketPolicy")", R"("eventSource":"s3.amazonaws.com","eventName":"PutBucketPolicy")"},
    {"d914951b-52c8-485f-875e-86abab710c0b:first", R"("eventSource":"lambda.amazonaws.com","eventName":"CreateFunction")", R"("eventSource":"lambda.amazonaws.com","eventName":"Invoke")"},
    {"d914951b-52c8-485f-875e-86abab710c0b:near", R"("eventSource":"lambda.amazonaws.com","eventName":"Invoke")", R"("eventSource":"lambda.amazonaws.com","eventName":"CreateFunction")"},
    {"91f6a16c-ef71-437a-99ac-0b070e3ad221:events", R"("eventSource":"macie2.amazonaws.com","eventName":"DisableMacie")", R"("eventSource":"macie2.amazonaws.com","eventName":"EnableMacie")"},
    // As written (a timeframe without aggregation) both selections must hold in one event, i.e.
    // eventName equal to two names at once: no valid record matches. The test below checks
    // that the two single-name events do not.
    {"60b84424-a724-4502-bd0d-cc676e1bc90e", nullptr, R"("eventSource":"ses.amazonaws.com","eventName":"VerifyEmailIdentity")"},
    {"60b84424-a724-4502-bd0d-cc676e1bc90e", nullptr, R"("eventSource":"ses.amazonaws.com","eventName":"UpdateAccountSendingEnabled")"},
};
// clang-format on

LoadOptions CorpusOptions() {
    LoadOptions opt;
    opt.placeholders["Legitimate_Countries"] = {"US"};
    opt.placeholders["Legitimate_IP_Ranges"] = {"203.0.113.*"};
    return opt;
}

std::string ReadAll(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

std::string AllRules() {
    std::vector<fs::path> files;
    for (const auto& e : fs::recursive_directory_iterator(kSigmaDir)) {
        if (e.path().extension() == ".yml") files.push_back(e.path());
    }
    std::sort(files.begin(), files.end());
    std::string yaml;
    for (const fs::path& f : files) {
        std::string text = ReadAll(f);
        if (!yaml.empty()) yaml += "\n---\n";
        yaml += text;
    }
    return yaml;
}

class SigmaCorpusTest : public ::testing::Test {
  protected:
    void SetUp() override {
        if (!fs::exists(kSigmaDir)) GTEST_SKIP() << "corpus not present: " << kSigmaDir;
    }
};

TEST_F(SigmaCorpusTest, EveryRuleLoadsWithoutError) {
    Loader l(CorpusOptions());
    l.AddPath(kSigmaDir);
    rules::RuleSet set = l.Finish();
    std::string problems;
    for (const auto& p : l.problems()) {
        if (!p.warning) problems += p.Text() + "\n";
    }
    EXPECT_EQ(l.error_count(), 0u) << problems;
    EXPECT_TRUE(set.skipped.empty());
    EXPECT_EQ(l.documents(), 66u);
    // 57 rules + 1 placeholder rule + the SES rule + 8 hidden detections of 7 legacy
    // aggregations.
    EXPECT_EQ(set.detections.size(), 67u);
    EXPECT_EQ(set.correlations.size(), 7u);
    event::FieldCatalog catalog;
    std::vector<std::string> errors;
    auto plan = rules::Plan::Compile(set, catalog, &errors);
    EXPECT_TRUE(errors.empty());
    EXPECT_EQ(plan.rules().size(), 67u);
}

TEST_F(SigmaCorpusTest, WithoutPlaceholderValuesTheExpandRuleIsRejected) {
    Loader l;
    l.AddPath(kSigmaDir + "/rules-placeholder");
    (void)l.Finish();
    EXPECT_EQ(l.error_count(), 2u);  // two unresolved placeholders, one rule
}

TEST_F(SigmaCorpusTest, EveryRuleHasAPositiveAndANegativeEvent) {
    SigmaHarness h(AllRules(), CorpusOptions());
    ASSERT_EQ(h.errors(), 0u) << h.AllProblems();
    std::set<std::string> covered;
    for (const Case& c : kCases) {
        covered.insert(c.id);
        if (c.positive != nullptr) {
            auto pos = h.Match(E(c.positive));
            EXPECT_NE(std::find(pos.begin(), pos.end(), c.id), pos.end())
                << c.id << " should match " << c.positive;
        }
        auto neg = h.Match(E(c.negative));
        EXPECT_EQ(std::find(neg.begin(), neg.end(), c.id), neg.end())
            << c.id << " should not match " << c.negative;
    }
    for (const auto& d : h.set().detections) {
        EXPECT_TRUE(covered.contains(d.meta.rule_id()))
            << "no test events for " << d.meta.rule_id();
    }
}

const std::string kPantherTests = std::string(TW_SHARED_DIR) + "/corpus/panther/tests.jsonl";

// The "event" object of each line of Panther's tests, cut out textually (balanced braces).
std::vector<std::string> PantherEvents() {
    std::vector<std::string> out;
    std::ifstream in(kPantherTests);
    std::string line;
    while (std::getline(in, line)) {
        const size_t key = line.find("\"event\": {");
        if (key == std::string::npos) continue;
        size_t start = line.find('{', key), depth = 0, i = start;
        bool in_str = false;
        for (; i < line.size(); ++i) {
            const char c = line[i];
            if (in_str) {
                if (c == '\\')
                    ++i;
                else if (c == '"')
                    in_str = false;
            } else if (c == '"') {
                in_str = true;
            } else if (c == '{') {
                ++depth;
            } else if (c == '}' && --depth == 0) {
                break;
            }
        }
        out.push_back(line.substr(start, i + 1 - start));
    }
    return out;
}

TEST_F(SigmaCorpusTest, PantherEventsEvaluateAgainstTheWholeSet) {
    if (!fs::exists(kPantherTests)) GTEST_SKIP() << "no panther tests";
    SigmaHarness h(AllRules(), CorpusOptions());
    ASSERT_EQ(h.errors(), 0u);
    std::map<std::string, int> per_rule;
    const std::vector<std::string> events = PantherEvents();
    for (const std::string& event : events) {
        for (const std::string& id : h.Match(event)) ++per_rule[id];
    }
    EXPECT_EQ(events.size(), 475u);
    int total = 0;
    for (const auto& [id, n] : per_rule) {
        std::printf("panther matches: %-48s %d\n", id.c_str(), n);
        total += n;
    }
    EXPECT_GT(total, 50);
}

TEST_F(SigmaCorpusTest, ContextIdsChangeNoMatch) {
    // What hunt does (context rules once per context, context indexes looked up once per
    // context, the same per call, userIdentity keyed by the ingest's serial) against evaluating
    // every rule on every event, over Panther's events read twice (the second time from the
    // identity cache).
    if (!fs::exists(kPantherTests)) GTEST_SKIP() << "no panther tests";
    SigmaHarness plain(AllRules(), CorpusOptions());
    SigmaHarness by_context(AllRules(), CorpusOptions(), /*contexts=*/true);
    ASSERT_EQ(by_context.errors(), 0u);
    size_t context_rules = 0;
    for (const rules::PlanRule& r : by_context.plan().rules()) context_rules += r.context_slot >= 0;
    EXPECT_GE(context_rules, 2u);  // AssumeRole misuse, root credentials
    EXPECT_GT(by_context.plan().kept_by_context().leaves, 0u);  // the IMDS rule's arn regex
    // And call ids: rules that read only eventSource and eventName, the index on eventName.
    EXPECT_GT(by_context.plan().kept_by_call().rules, 0u);
    EXPECT_GT(by_context.plan().kept_by_call().indexes, 0u);
    std::printf("kept per call: %zu rules, %zu indexes, %zu leaves\n",
                by_context.plan().kept_by_call().rules, by_context.plan().kept_by_call().indexes,
                by_context.plan().kept_by_call().leaves);
    const std::vector<std::string> events = PantherEvents();
    size_t matched = 0;
    for (int round = 0; round < 2; ++round) {
        for (size_t e = 0; e < events.size(); ++e) {
            const std::vector<std::string> want = plain.Match(events[e]);
            EXPECT_EQ(by_context.Match(events[e]), want) << "round " << round << ", event " << e;
            matched += want.size();
        }
    }
    EXPECT_GT(matched, 100u);
    EXPECT_EQ(by_context.context_mismatches(), 0u);
    // Events share contexts: every one of the second round, and some of the first; and calls.
    EXPECT_LT(by_context.contexts(), events.size());
    EXPECT_GT(by_context.calls(), 0u);
    EXPECT_LT(by_context.calls(), events.size());
}

}  // namespace
}  // namespace tw::sigma
