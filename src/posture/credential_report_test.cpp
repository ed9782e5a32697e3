// Credential report: the documented CSV and the get-credential-report JSON are read; bad
// files are named with their line, and the good rows still come through.
#include "posture/credential_report.h"

#include <gtest/gtest.h>

#include "response/test_support.h"

namespace tw::posture {
namespace {

using test_support::ReadFile;
using test_support::SourcePath;
using test_support::TempDir;

std::string Fixture(const std::string& name) { return SourcePath("src/posture/testdata/" + name); }

TEST(CredentialReportTest, ReadsTheDocumentedColumns) {
    Diagnostics diag(nullptr);
    auto rows = ReadCredentialReport(Fixture("credential-report.csv"), diag);
    ASSERT_TRUE(rows.has_value()) << rows.error().message;
    EXPECT_EQ(diag.errors(), 0u);
    ASSERT_EQ(rows->size(), 6u);
    const CredentialRow& root = (*rows)[0];
    EXPECT_TRUE(root.is_root);
    EXPECT_EQ(root.account, "222222222222");
    EXPECT_FALSE(root.password_enabled);  // not_supported
    EXPECT_FALSE(root.mfa_active);
    EXPECT_TRUE(root.keys[0].active);
    const CredentialRow& svc = (*rows)[3];
    EXPECT_EQ(svc.user, "svc-backup");
    EXPECT_TRUE(svc.keys[0].active);
    EXPECT_FALSE(svc.keys[0].last_used.has_value());  // N/A: never used
    EXPECT_EQ(*svc.keys[0].last_rotated, *ParseIsoTime("2024-06-20T19:31:49Z"));
    EXPECT_EQ((*rows)[5].user, "dave,ops");  // a quoted field with a comma
    EXPECT_EQ((*rows)[5].line, 7u);
}

TEST(CredentialReportTest, ReadsTheJsonOfGetCredentialReport) {
    Diagnostics diag(nullptr);
    auto rows = ReadCredentialReport(Fixture("get-credential-report.json"), diag);
    ASSERT_TRUE(rows.has_value()) << rows.error().message;
    ASSERT_EQ(rows->size(), 2u);
    EXPECT_EQ((*rows)[1].user, "deploy-bot");
    EXPECT_TRUE((*rows)[0].mfa_active);
}

TEST(CredentialReportTest, TruncatedFileKeepsTheCompleteRowsAndNamesTheLine) {
    TempDir dir;
    const std::string full = ReadFile(Fixture("credential-report.csv"));
    const std::string path = dir.Write("cut.csv", full.substr(0, full.size() - 200));
    Diagnostics diag(nullptr);
    auto rows = ReadCredentialReport(path, diag);
    ASSERT_TRUE(rows.has_value());
    EXPECT_EQ(rows->size(), 5u);
    ASSERT_EQ(diag.all().size(), 1u);
    EXPECT_EQ(diag.all()[0].path, path);
    EXPECT_EQ(diag.all()[0].position, "line 7");
    EXPECT_NE(diag.all()[0].message.find("truncated"), std::string::npos);
    EXPECT_EQ(diag.records_lost(), 1u);
}

TEST(CredentialReportTest, TruncatedInsideAQuotedField) {
    TempDir dir;
    const std::string full = ReadFile(Fixture("credential-report.csv"));
    const std::string path = dir.Write("cut.csv", full.substr(0, full.find("\"dave") + 4));
    Diagnostics diag(nullptr);
    auto rows = ReadCredentialReport(path, diag);
    ASSERT_TRUE(rows.has_value());
    EXPECT_EQ(rows->size(), 5u);
    EXPECT_EQ(diag.records_lost(), 1u);
}

TEST(CredentialReportTest, UnknownColumnsAreReportedAndKnownOnesStillRead) {
    TempDir dir;
    std::string text = ReadFile(Fixture("credential-report-clean.csv"));
    text.insert(text.find('\n'), ",favourite_colour");
    for (size_t nl = text.find('\n', text.find('\n') + 1); nl != std::string::npos;
         nl = text.find('\n', nl + 6)) {
        text.insert(nl, ",blue");
    }
    const std::string path = dir.Write("extra.csv", text);
    Diagnostics diag(nullptr);
    auto rows = ReadCredentialReport(path, diag);
    ASSERT_TRUE(rows.has_value());
    EXPECT_EQ(rows->size(), 2u);
    ASSERT_EQ(diag.all().size(), 1u);
    EXPECT_NE(diag.all()[0].message.find("unknown credential report column 'favourite_colour'"),
              std::string::npos);
    EXPECT_EQ(diag.all()[0].path, path);
}

TEST(CredentialReportTest, WrongFilesAreRefusedWithTheirName) {
    Diagnostics diag(nullptr);
    auto trails = ReadCredentialReport(Fixture("describe-trails.json"), diag);
    ASSERT_FALSE(trails.has_value());
    EXPECT_NE(trails.error().message.find("describe-trails.json"), std::string::npos);
    EXPECT_NE(trails.error().message.find("aws cloudtrail describe-trails"), std::string::npos);

    TempDir dir;
    const std::string csv = dir.Write("other.csv", "name,colour\nalice,blue\n");
    auto other = ReadCredentialReport(csv, diag);
    ASSERT_FALSE(other.has_value());
    EXPECT_NE(other.error().message.find("not an IAM credential report"), std::string::npos);
    EXPECT_FALSE(ReadCredentialReport(dir.Write("empty.csv", ""), diag).has_value());
    EXPECT_FALSE(ReadCredentialReport(dir.path() + "/missing.csv", diag).has_value());
}

TEST(CredentialReportTest, MissingDocumentedColumnsAreReported) {
    TempDir dir;
    const std::string path =
        dir.Write("short.csv", "user,arn,mfa_active\n<root_account>,arn:aws:iam::1:root,false\n");
    Diagnostics diag(nullptr);
    auto rows = ReadCredentialReport(path, diag);
    ASSERT_TRUE(rows.has_value());
    EXPECT_EQ(rows->size(), 1u);
    ASSERT_EQ(diag.all().size(), 1u);
    EXPECT_NE(diag.all()[0].message.find("missing documented column(s) user_creation_time"),
              std::string::npos);
}

TEST(CredentialReportTest, DecodesBase64) {
    EXPECT_EQ(*DecodeBase64("dXNlcixhcm4K"), "user,arn\n");
    EXPECT_EQ(*DecodeBase64("YQ==\n"), "a");
    EXPECT_FALSE(DecodeBase64("not*base64").has_value());
}

}  // namespace
}  // namespace tw::posture
