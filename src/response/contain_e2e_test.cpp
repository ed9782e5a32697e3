// Acceptance, end to end: `simulate --scenario idp-takeover` -> `hunt` -> `contain
// --from-findings --logs` names the right actor, identity provider, users and keys. The truth
// comes from the simulator's labels and the logged events themselves, not from hunt. Skips
// while the binary has no `simulate` command.
#include <gtest/gtest.h>

#include <fstream>
#include <map>

#include "response/test_support.h"

namespace tw::response {
namespace {

using test_support::ReadFile;
using test_support::RunTrailwarden;
using test_support::ShellQuote;
using test_support::TempDir;

std::string Field(simdjson::dom::element e, std::string_view pointer) {
    std::string_view s;
    if (e.at_pointer(pointer).get_string().get(s)) return {};
    return std::string(s);
}

TEST(ContainEndToEndTest, IdpTakeoverFromSimulateThroughHunt) {
    if (RunTrailwarden("--help").out.find("\n  simulate ") == std::string::npos) {
        GTEST_SKIP() << "this build has no `simulate` command yet";
    }
    TempDir dir;
    const std::string sim = dir.path() + "/sim";
    auto r = RunTrailwarden("simulate -q --no-progress --out " + ShellQuote(sim) +
                            " --scenario idp-takeover --accounts 4 --days 1 "
                            "--events-per-day 1500 --seed 7");
    ASSERT_EQ(r.exit_code, 0) << r.err;

    // The attack's events, by CloudTrail name, from the simulator's labels.
    std::map<std::string, std::string> id_of;  // "iam:CreateSAMLProvider" -> eventID
    std::string actor;
    {
        std::ifstream labels(sim + "/labels.jsonl");
        simdjson::dom::parser parser;
        for (std::string line; std::getline(labels, line);) {
            simdjson::dom::element l;
            ASSERT_FALSE(parser.parse(line).get(l)) << line;
            if (Field(l, "/scenario") != "idp-takeover" || Field(l, "/label") != "attack") {
                continue;
            }
            id_of.emplace(Field(l, "/event"), Field(l, "/eventID"));
            if (actor.empty()) actor = Field(l, "/actor");
        }
    }
    for (const char* e : {"iam:CreateSAMLProvider", "iam:CreateUser", "iam:CreateAccessKey",
                          "sts:GetFederationToken"}) {
        ASSERT_TRUE(id_of.contains(e)) << e << " is not among the labelled attack events";
    }
    ASSERT_FALSE(actor.empty());

    // What those events created, read from the logs.
    std::string where = "eventID in (";
    for (const char* e : {"iam:CreateSAMLProvider", "iam:CreateUser", "iam:CreateAccessKey",
                          "sts:GetFederationToken"}) {
        where += id_of[e] + ",";
    }
    where.back() = ')';
    r = RunTrailwarden("query -q --format jsonl " + ShellQuote(sim) + " --where " +
                       ShellQuote(where));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::string saml_arn, user, key, federated;
    {
        std::istringstream events(r.out);
        simdjson::dom::parser parser;
        for (std::string line; std::getline(events, line);) {
            simdjson::dom::element ev;
            ASSERT_FALSE(parser.parse(line).get(ev));
            const std::string name = Field(ev, "/eventName");
            if (name == "CreateSAMLProvider")
                saml_arn = Field(ev, "/responseElements/SAMLProviderArn");
            if (name == "CreateSAMLProvider" && saml_arn.empty()) {
                saml_arn = Field(ev, "/responseElements/sAMLProviderArn");
            }
            if (name == "CreateUser") user = Field(ev, "/requestParameters/userName");
            if (name == "CreateAccessKey") {
                key = Field(ev, "/responseElements/accessKey/accessKeyId");
            }
            if (name == "GetFederationToken") federated = Field(ev, "/requestParameters/name");
        }
    }
    ASSERT_FALSE(saml_arn.empty() || user.empty() || key.empty() || federated.empty())
        << r.out.substr(0, 2000);

    const std::string findings = dir.path() + "/findings.jsonl";
    r = RunTrailwarden("hunt -q " + ShellQuote(sim) + " -o " + ShellQuote(findings));
    if (r.exit_code == 2 && r.err.find("no rules to run") != std::string::npos) {
        // The built-in pack is not embedded in this build: give its directory.
        r = RunTrailwarden("hunt -q " + ShellQuote(sim) + " --rules " +
                           ShellQuote(test_support::SourcePath("rules/builtin")) + " -o " +
                           ShellQuote(findings));
    }
    ASSERT_EQ(r.exit_code, 0) << r.err;
    ASSERT_FALSE(ReadFile(findings).empty());

    const std::string kit = dir.path() + "/kit";
    r = RunTrailwarden("contain --out " + ShellQuote(kit) + " --from-findings " +
                       ShellQuote(findings) + " --logs " + ShellQuote(sim) +
                       " --break-glass-role 'arn:aws:iam::*:role/IR-BreakGlass'");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const std::string book = ReadFile(kit + "/PLAYBOOK.md");
    const std::string sh = ReadFile(kit + "/apply.sh");
    EXPECT_NE(book.find(actor), std::string::npos) << "actor " << actor;
    EXPECT_NE(book.find(saml_arn), std::string::npos) << "identity provider " << saml_arn;
    EXPECT_NE(book.find("`" + user + "`"), std::string::npos) << "IAM user " << user;
    EXPECT_NE(book.find(key), std::string::npos) << "access key " << key;
    EXPECT_NE(book.find("`" + federated + "`"), std::string::npos) << "federated " << federated;
    EXPECT_NE(sh.find("put-user-policy --user-name " + ShellQuote(user)), std::string::npos);
    EXPECT_NE(sh.find("--access-key-id " + key + " --status Inactive"), std::string::npos);
    EXPECT_NE(sh.find("delete-saml-provider --saml-provider-arn " + ShellQuote(saml_arn)),
              std::string::npos);
    EXPECT_TRUE(std::filesystem::exists(kit + "/iam-user-token-issue-time.json"));
    EXPECT_TRUE(test_support::ParsesAsJson(ReadFile(kit + "/iam-user-token-issue-time.json")));
}

}  // namespace
}  // namespace tw::response
