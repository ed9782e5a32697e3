// The compiled plan, asserted on its canonical text (`trailwarden rules explain`): optimisation
// (flattening, equality sets, wildcard classification, cost order), the eventName/eventSource
// index, leaf sharing, pattern databases; and zero heap allocation per non-matching event.
#include <gtest/gtest.h>

#include <atomic>
#include <cctype>
#include <cstdlib>
#include <initializer_list>
#include <map>
#include <new>

#include "core/strings.h"
#include "sigma/test_harness.h"

#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

// Counting allocator for this test binary: counts while `g_counting` is set.
namespace {
std::atomic<bool> g_counting{false};
std::atomic<uint64_t> g_allocations{0};
}  // namespace

void* operator new(size_t n) {
    if (g_counting.load(std::memory_order_relaxed)) ++g_allocations;
    if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
    throw std::bad_alloc();
}
void* operator new[](size_t n) { return operator new(n); }
void* operator new(size_t n, const std::nothrow_t&) noexcept {
    if (g_counting.load(std::memory_order_relaxed)) ++g_allocations;
    return std::malloc(n == 0 ? 1 : n);
}
void* operator new[](size_t n, const std::nothrow_t& t) noexcept { return operator new(n, t); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, size_t) noexcept { std::free(p); }
void operator delete[](void* p, size_t) noexcept { std::free(p); }

namespace tw::sigma {
namespace {

// A record at 2024-01-01T00:00:00Z named X, with more members: the concatenation of `parts`.
std::string EventWith(std::initializer_list<std::string_view> parts) {
    std::string json = R"({"eventTime":"2024-01-01T00:00:00Z","eventName":"X",)";
    for (std::string_view p : parts) json.append(p);
    return json.append("}");
}

// "R<i>", the title of the i-th rule of a test (appended, not prefixed: GCC 12 warns falsely
// about `"R" + std::to_string(i)` under -Wrestrict).
std::string Numbered(size_t i) {
    std::string title = "R";
    title += std::to_string(i);
    return title;
}

std::string Explain(const SigmaHarness& h) {
    std::string out;
    for (uint32_t i = 0; i < h.plan().rules().size(); ++i) out += h.plan().Explain(i, h.set());
    return out;
}

TEST(PlanTest, IndexesByEventNameAndOrdersByCost) {
    SigmaHarness h(Rule(R"(    sel:
        eventSource: iam.amazonaws.com
        eventName:
            - CreateUser
            - 'CreateAccessKey'
        userAgent|re: '^aws-cli'
        requestParameters.userName|contains: admin
    filter:
        userIdentity.type: AWSService
    condition: sel and not filter)",
                        "Rule A"));
    ASSERT_EQ(h.errors(), 0u) << h.AllProblems();
    EXPECT_EQ(Explain(h),
              "rule Rule A \"Rule A\"\n"
              "  index: eventName in {\"createaccesskey\", \"createuser\"}\n"
              "  and\n"
              "    L0 eventSource ==~ \"iam.amazonaws.com\"\n"
              "    L1 eventName in~ {\"CreateUser\", \"CreateAccessKey\"}\n"
              "    not\n"
              "      L2 userIdentity.type ==~ \"AWSService\"\n"
              "    L3 requestParameters.userName contains~ \"admin\"\n"
              "    L4 userAgent re \"^aws-cli\"\n");
}

TEST(PlanTest, FallsBackToEventSourceIndexThenToEveryEvent) {
    SigmaHarness h(
        Rule("    sel:\n        eventSource: s3.amazonaws.com\n"
             "        eventName|startswith: Delete\n    condition: sel",
             "By Source") +
        "---\n" + Rule("    sel:\n        userAgent|contains: pacu\n    condition: sel", "Always"));
    ASSERT_EQ(h.errors(), 0u) << h.AllProblems();
    EXPECT_EQ(Explain(h),
              "rule By Source \"By Source\"\n"
              "  index: eventSource in {\"s3.amazonaws.com\"}\n"
              "  and\n"
              "    L0 eventSource ==~ \"s3.amazonaws.com\"\n"
              "    L1 eventName startswith~ \"Delete\"\n"
              "rule Always \"Always\"\n"
              "  index: every event\n"
              "  L2 userAgent contains~ \"pacu\"\n");
}

TEST(PlanTest, OtherRequiredEqualitiesIndexBeforeEventSource) {
    SigmaHarness h(Rule("    sel:\n        eventSource: sts.amazonaws.com\n"
                        "        userIdentity.type: [Root, IAMUser]\n    condition: sel",
                        "Typed") +
                   "---\n" +
                   Rule("    sel:\n        requestParameters.port: 22\n    condition: sel", "Num"));
    ASSERT_EQ(h.errors(), 0u) << h.AllProblems();
    const std::string text = Explain(h);
    EXPECT_NE(text.find("index: userIdentity.type in {\"iamuser\", \"root\"}"), std::string::npos)
        << text;
    // Numbers are not indexed (443.0 equals 443 without being the same text).
    EXPECT_NE(text.find("rule Num \"Num\"\n  index: every event"), std::string::npos) << text;
    EXPECT_TRUE(h.Matches(
        R"({"eventTime":"2024-01-01T00:00:00Z","eventName":"X","eventSource":"sts.amazonaws.com","userIdentity":{"type":"ROOT"}})"));
    EXPECT_FALSE(h.Matches(
        R"({"eventTime":"2024-01-01T00:00:00Z","eventName":"X","eventSource":"sts.amazonaws.com","userIdentity":{"type":"AssumedRole"}})"));
    EXPECT_TRUE(h.Matches(
        R"({"eventTime":"2024-01-01T00:00:00Z","eventName":"X","requestParameters":{"port":22.0}})"));
}

TEST(PlanTest, OrOfMapsIsIndexedByTheUnionOfNames) {
    SigmaHarness h(
        Rule("    sel:\n        - eventName: A\n        - eventName: B\n"
             "          awsRegion: r\n    condition: sel",
             "U"));
    ASSERT_EQ(h.errors(), 0u) << h.AllProblems();
    EXPECT_NE(Explain(h).find("index: eventName in {\"a\", \"b\"}"), std::string::npos)
        << Explain(h);
    EXPECT_TRUE(h.Matches(R"({"eventTime":"2024-01-01T00:00:00Z","eventName":"a"})"));
    EXPECT_FALSE(h.Matches(R"({"eventTime":"2024-01-01T00:00:00Z","eventName":"B"})"));
}

TEST(PlanTest, IdenticalLeavesAreSharedAcrossRules) {
    std::string yaml;
    for (int i = 0; i < 3; ++i) {
        if (i != 0) yaml += "---\n";
        yaml += Rule("    sel:\n        eventSource: iam.amazonaws.com\n        eventName: E" +
                         std::to_string(i) + "\n    condition: sel",
                     std::string("R") + std::to_string(i));
    }
    SigmaHarness h(yaml);
    ASSERT_EQ(h.errors(), 0u);
    EXPECT_EQ(h.plan().leaves().size(), 4u);  // one shared eventSource leaf + three names
}

TEST(PlanTest, ManyPatternsOnOneFieldShareOneDatabaseAndAgreeWithTheSlowPath) {
    SigmaHarness h(Rule(R"(    sel:
        userAgent|contains:
            - pacu
            - TruffleHog
            - 'scout*suite'
        userAgent|startswith: 'Boto3/1.7'
        userAgent|endswith: '[kali]'
    condition: sel)",
                        "Agents"));
    ASSERT_EQ(h.errors(), 0u) << h.AllProblems();
    ASSERT_EQ(h.plan().groups().size(), 1u);
    EXPECT_NE(Explain(h).find("[group 0]"), std::string::npos);
    auto ev = [](const char* ua) {
        return std::string(R"({"eventTime":"2024-01-01T00:00:00Z","eventName":"X","userAgent":")") +
               ua + "\"}";
    };
    EXPECT_TRUE(h.Matches(ev("Boto3/1.7.1 PACU linux [KALI]")));
    EXPECT_FALSE(h.Matches(ev("Boto3/1.7.1 PACU linux")));  // not endswith
    EXPECT_TRUE(h.Matches(ev("boto3/1.7 trufflehog scoutXsuite [kali]")));
    EXPECT_FALSE(h.Matches(ev("aws-cli/2 trufflehog [kali]")));  // not startswith
}

TEST(PlanTest, RegexesJoinThePatternDatabaseWithRe2Semantics) {
    const std::string yaml = Rule(R"(    a:
        userIdentity.arn|re: ':assumed-role/aws:.+'
    b:
        userIdentity.arn|re|i: 'ROLE/ADMIN[0-9]+'
    c:
        userIdentity.arn|re: 'x.y'
    d:
        userIdentity.arn|re|s: 'p.q'
    e:
        userIdentity.arn|re: 'end$'
    condition: 1 of them)",
                                  "Re");
    SigmaHarness h(yaml);
    ASSERT_EQ(h.errors(), 0u) << h.AllProblems();
    ASSERT_EQ(h.plan().groups().size(), 1u);
    EXPECT_EQ(h.plan().groups()[0].leaves.size(), 4u);  // 'end$' stays on RE2
    auto ev = [](const char* arn) {
        return std::string(
                   R"({"eventTime":"2024-01-01T00:00:00Z","eventName":"X","userIdentity":{"arn":")") +
               arn + "\"}}";
    };
    EXPECT_TRUE(h.Matches(ev("arn:aws:sts::1:assumed-role/aws:ec2/i-1")));
    EXPECT_FALSE(h.Matches(ev("arn:aws:sts::1:assumed-role/aws:")));
    EXPECT_TRUE(h.Matches(ev("arn:aws:iam::1:role/admin42")));
    EXPECT_FALSE(h.Matches(ev("arn:aws:iam::1:role/admin")));
    EXPECT_FALSE(h.Matches(ev("x\\ny")));  // '.' does not match a newline without s
    EXPECT_TRUE(h.Matches(ev("p\\nq")));
    EXPECT_TRUE(h.Matches(ev("the end")));
    EXPECT_FALSE(h.Matches(ev("the end\\n")));
}

TEST(PlanTest, RegexesInThePatternDatabaseKeepRe2CharacterClasses) {
    // RE2's \s, \w and \d are ASCII, its \s leaves out the vertical tab, and its \v is that one
    // character; Hyperscan's differ (Unicode classes with UCP, \v a class of vertical spaces).
    // Each regex alone runs on RE2; together they share a database: both must agree.
    struct Case {
        const char* regex;
        const char* value;  // JSON string text
        bool match;
    };
    const Case cases[] = {
        {R"(a\sb)", "a b", true},          {R"(a\sb)", R"(a\u00a0b)", false},
        {R"(a\sb)", R"(a\u000bb)", false}, {R"(c\wd)", "c_d", true},
        {R"(c\wd)", R"(c\u00e9d)", false}, {R"(e\df)", "e7f", true},
        {R"(e\df)", R"(e\u0663f)", false}, {R"(g\vh)", R"(g\u000bh)", true},
        {R"(g\vh)", R"(g\nh)", false},     {R"(i[\s,]j)", R"(i\tj)", true},
        {R"(i[\s,]j)", "i,j", true},       {R"(i[\s,]j)", R"(i\u000bj)", false},
        {R"(k\Sl)", R"(k\u00a0l)", true},  {R"(k\Sl)", R"(k\u000bl)", true},
        {R"(k\Sl)", "k l", false},         {R"(m[^\s]n)", R"(m\u000bn)", true},
        {R"(m[^\s]n)", "m n", false},      {R"(o\\sp)", R"(o\\sp)", true},
        {R"(o\\sp)", "o p", false},        {R"(q[[:space:]]r)", R"(q\u000br)", true},
        {R"(x[\s-a]y)", "x-y", true},      {R"(x[\s-a]y)", "xBy", false},
        {R"(x[\s-a]y)", "x y", true},
    };
    auto rule = [](const Case& c, size_t i) {
        return Rule("    sel:\n        userIdentity.arn|re: '" + std::string(c.regex) +
                        "'\n    condition: sel",
                    Numbered(i));
    };
    auto event = [](const char* value) {
        return std::string(
                   R"({"eventTime":"2024-01-01T00:00:00Z","eventName":"X","userIdentity":{"arn":")") +
               value + "\"}}";
    };
    // One rule per distinct regex, titled by the index of its first case.
    std::string all;
    std::map<std::string, std::string> title_of;
    for (size_t i = 0; i < std::size(cases); ++i) {
        if (!title_of.emplace(cases[i].regex, Numbered(i)).second) continue;
        if (!all.empty()) all += "---\n";
        all += rule(cases[i], i);
    }
    SigmaHarness grouped(all);
    ASSERT_EQ(grouped.errors(), 0u) << grouped.AllProblems();
    ASSERT_EQ(grouped.plan().groups().size(), 1u);
    // Every regex joins the database: \s, \S and \v are rewritten into RE2's classes.
    EXPECT_EQ(grouped.plan().groups()[0].leaves.size(), title_of.size());
    for (size_t i = 0; i < std::size(cases); ++i) {
        const Case& c = cases[i];
        SigmaHarness alone(rule(c, i));
        ASSERT_EQ(alone.plan().groups().size(), 0u);
        EXPECT_EQ(alone.Matches(event(c.value)), c.match)
            << "RE2: " << c.regex << " on " << c.value;
        const std::vector<std::string> hits = grouped.Match(event(c.value));
        const bool hit = std::find(hits.begin(), hits.end(), title_of[c.regex]) != hits.end();
        EXPECT_EQ(hit, c.match) << "database: " << c.regex << " on " << c.value;
    }
}

TEST(PlanTest, RegexesAndLiteralsOfAFieldCompileIntoSeparateDatabases) {
    auto rules = [](int regexes) {
        std::string yaml;
        for (int i = 0; i < 4 + regexes; ++i) {
            if (i != 0) yaml += "---\n";
            const std::string n = std::to_string(i);
            yaml += Rule(i < 4 ? "    sel: {requestParameters.policy|contains: lit" + n +
                                     "}\n    condition: sel"
                               : "    sel: {requestParameters.policy|re: 're" + n +
                                     "[^}]*x'}\n    condition: sel",
                         "P" + n);
        }
        return yaml;
    };
    auto event = [](const char* policy) {
        return std::string(
                   R"({"eventTime":"2024-01-01T00:00:00Z","eventName":"X","requestParameters":{"policy":")") +
               policy + "\"}}";
    };
    SigmaHarness both(rules(4));
    ASSERT_EQ(both.errors(), 0u) << both.AllProblems();
    ASSERT_EQ(both.plan().groups().size(), 2u);
    EXPECT_EQ(both.plan().groups()[0].leaves.size(), 4u);
    EXPECT_EQ(both.plan().groups()[1].leaves.size(), 4u);
    EXPECT_EQ(both.Match(event("a LIT1 re5 }x")), (std::vector<std::string>{"P1"}));
    EXPECT_EQ(both.Match(event("lit3 re7 yx")), (std::vector<std::string>{"P3", "P7"}));
    // Too few regexes for a database of their own: they run on RE2.
    SigmaHarness few(rules(2));
    ASSERT_EQ(few.plan().groups().size(), 1u);
    EXPECT_EQ(few.plan().groups()[0].leaves.size(), 4u);
    EXPECT_EQ(few.Match(event("re4 ax lit0")), (std::vector<std::string>{"P0", "P4"}));
}

TEST(PlanTest, RegexesThatHyperscanCannotTakeStayOnRe2) {
    // \Q...\E quoting, ungreedy mode, \S in a class, \C, and case-insensitive classes (RE2
    // folds them, Hyperscan does not) are not offered to the database (or it refuses them):
    // they run on RE2, with its meaning.
    const char* regexes[] = {R"(a+b)",  R"(c\Qd\s\Ee)", R"((?U)f+g)", R"(h[\S]i)",
                             R"(j\Ck)", R"(l.m)",       R"(n.o)",     R"(p.q)"};
    std::string all;
    for (size_t i = 0; i < std::size(regexes); ++i) {
        if (i != 0) all += "---\n";
        all += Rule("    sel:\n        userIdentity.arn|re: '" + std::string(regexes[i]) +
                        "'\n    condition: sel",
                    Numbered(i));
    }
    all += "---\n" +
           Rule("    sel:\n        userIdentity.arn|re|i: 'y\\wz'\n    condition: sel", "R8") +
           "---\n" +
           Rule("    sel:\n        userIdentity.arn|re: '(?i)c[[:upper:]]d'\n    condition: sel",
                "R9");
    SigmaHarness h(all);
    ASSERT_EQ(h.errors(), 0u) << h.AllProblems();
    ASSERT_EQ(h.plan().groups().size(), 1u);
    EXPECT_EQ(h.plan().groups()[0].leaves.size(), 4u);  // a+b, l.m, n.o, p.q
    auto event = [](const char* value) {
        return std::string(
                   R"({"eventTime":"2024-01-01T00:00:00Z","eventName":"X","userIdentity":{"arn":")") +
               value + "\"}}";
    };
    EXPECT_EQ(h.Match(event(R"(cd\\se)")), std::vector<std::string>{"R1"});
    EXPECT_EQ(h.Match(event("ffg")), std::vector<std::string>{"R2"});
    EXPECT_EQ(h.Match(event("hxi")), std::vector<std::string>{"R3"});
    EXPECT_TRUE(h.Match(event("h i")).empty());
    EXPECT_EQ(h.Match(event("jxk")), std::vector<std::string>{"R4"});
    EXPECT_EQ(h.Match(event("aab")), std::vector<std::string>{"R0"});
    // The Kelvin sign folds to 'k' for RE2: a word character, and upper case.
    EXPECT_EQ(h.Match(event(R"(Y\u212AZ)")), std::vector<std::string>{"R8"});
    EXPECT_EQ(h.Match(event(R"(c\u212Ad)")), std::vector<std::string>{"R9"});
}

TEST(PlanTest, RegexRunsOnlyWhenItsRequiredLiteralIsPresent) {
    EXPECT_EQ(rules::RequiredLiteral(".+:assumed-role/aws:.+"), ":assumed-role/aws:");
    EXPECT_EQ(rules::RequiredLiteral("^abc?de*f$"), "ab");
    EXPECT_EQ(rules::RequiredLiteral("x+yz\\.com"), "yz.com");
    EXPECT_EQ(rules::RequiredLiteral("a(b|c)"), "");
    EXPECT_EQ(rules::RequiredLiteral("[a-z]+foo"), "");
    EXPECT_EQ(rules::RequiredLiteral("\\d+foo"), "");
    EXPECT_EQ(rules::RequiredLiteral("caf\xc3\xa9?"), "");
    const std::string yaml = Rule(R"(    a:
        userIdentity.arn|re: '.+:assumed-role/aws:.+'
    condition: a)",
                                  "Re");
    SigmaHarness h(yaml);
    ASSERT_EQ(h.errors(), 0u) << h.AllProblems();
    ASSERT_EQ(h.plan().groups().size(), 0u);  // one regex: RE2, behind its literal
    auto ev = [](const char* arn) {
        return std::string(
                   R"({"eventTime":"2024-01-01T00:00:00Z","eventName":"X","userIdentity":{"arn":")") +
               arn + "\"}}";
    };
    EXPECT_TRUE(h.Matches(ev("arn:aws:sts::1:assumed-role/aws:ec2/i-1")));
    EXPECT_FALSE(h.Matches(ev(":assumed-role/aws:ec2")));  // nothing before the literal
    EXPECT_FALSE(h.Matches(ev("arn:aws:sts::1:assumed-role/ci/s")));
}

TEST(PlanTest, LeavesOfAPatternDatabaseAreCostedAsTheSharedScan) {
    // Four regexes on one field share a database: the regex runs before the equalities.
    std::string yaml;
    for (int i = 0; i < 4; ++i) {
        if (i != 0) yaml += "---\n";
        yaml += Rule(
            "    sel:\n        userIdentity.arn|re: ':assumed-role/aws:" + std::to_string(i) +
                "'\n    filter:\n        - eventSource: s" + std::to_string(i) +
                "\n        - sourceIPAddress: AWS Internal\n" + "    condition: sel and not filter",
            std::string("G") + std::to_string(i));
    }
    SigmaHarness h(yaml);
    ASSERT_EQ(h.errors(), 0u) << h.AllProblems();
    EXPECT_NE(Explain(h).find("rule G0 \"G0\"\n  index: every event\n  and\n    L0 "
                              "userIdentity.arn re \":assumed-role/aws:0\"  [group 0]\n    not\n"),
              std::string::npos)
        << Explain(h);
}

TEST(PlanTest, WhatReadsOnlyTheContextIsTestedFirst) {
    // Cost order puts the equalities on the call first; with contexts, the caller's ARN (known
    // per context) goes first, at every depth, and the rule keeps its meaning.
    SigmaHarness h(Rule(R"(    sel:
        userIdentity.arn|re: '.+:assumed-role/aws:.+'
    filter:
        - eventSource: ssm.amazonaws.com
        - eventName: RegisterManagedInstance
        - sourceIPAddress: AWS Internal
    inner:
        - eventName: Y
        - userIdentity.type: Root
    condition: sel and not filter and not inner)",
                        "Imds"));
    ASSERT_EQ(h.errors(), 0u) << h.AllProblems();
    const std::string before = Explain(h);
    EXPECT_LT(before.find("eventSource"), before.find("userIdentity.arn")) << before;
    ASSERT_EQ(h.MarkContextRules(), 0u);
    const std::string after = Explain(h);
    const std::string expected = R"(  and
    L5 userIdentity.arn re ".+:assumed-role/aws:.+"
    not
      or
        L1 userIdentity.type ==~ "Root"
        L0 eventName ==~ "Y"
    not
      or
        L4 sourceIPAddress ==~ "AWS Internal"
        L2 eventSource ==~ "ssm.amazonaws.com"
        L3 eventName ==~ "RegisterManagedInstance"
)";
    EXPECT_NE(after.find(expected), std::string::npos) << after;
    auto ev = [](const char* arn, const char* name) {
        return std::string(R"({"eventTime":"2024-01-01T00:00:00Z","eventName":")") + name +
               R"(","userIdentity":{"type":"AssumedRole","arn":")" + arn + "\"}}";
    };
    h.set_context(1);
    EXPECT_TRUE(h.Matches(ev("arn:aws:sts::1:assumed-role/aws:x/y", "X")));
    EXPECT_FALSE(h.Matches(ev("arn:aws:sts::1:assumed-role/aws:x/y", "Y")));
    h.set_context(2);
    EXPECT_FALSE(h.Matches(ev("arn:aws:sts::1:assumed-role/r/s", "X")));
}

// One document of a multi-rule YAML text: a rule with this id (and title) and `detection`.
std::string IdRule(std::string_view id, std::string_view detection) {
    return "title: " + std::string(id) + "\nid: " + std::string(id) +
           "\nlogsource: {product: aws, service: cloudtrail}\ndetection:\n" +
           std::string(detection) + "\n---\n";
}

TEST(PlanTest, RulesReadingOnlyTheContextRunOncePerContext) {
    SigmaHarness h(
        // (contains: not filed in the index, so the rule runs on every event)
        IdRule("root", "    sel: {userIdentity.type|contains: oot}\n    condition: sel") +
        IdRule("cli",
               "    sel:\n        sourceIPAddress|cidr: 10.0.0.0/8\n"
               "        userAgent|contains: cli\n    condition: sel") +
        IdRule("role", "    sel: {requestParameters.roleName: admin}\n    condition: sel") +
        IdRule("named", "    sel: {eventName: X, userIdentity.type: Root}\n    condition: sel") +
        IdRule("keyword", "    kw: [Root]\n    condition: kw") +
        IdRule("ref",
               "    sel: {userIdentity.userName|fieldref: requestParameters.userName}\n"
               "    condition: sel") +
        IdRule("near", "    sel: {requestParameters.roleNameX: admin}\n    condition: sel"));
    ASSERT_EQ(h.errors(), 0u) << h.AllProblems();
    ASSERT_EQ(h.MarkContextRules(), 3u);
    std::vector<std::string> marked;
    for (const rules::PlanRule& r : h.plan().rules()) {
        if (r.context_slot >= 0) marked.push_back(h.set().detections[r.detection].meta.rule_id());
    }
    EXPECT_EQ(marked, (std::vector<std::string>{"root", "cli", "role"}));
    const std::string root =
        R"({"eventTime":"2024-01-01T00:00:00Z","eventName":"X","userIdentity":{"type":"Root"}})";
    const std::string user =
        R"({"eventTime":"2024-01-01T00:00:00Z","eventName":"X","userIdentity":{"type":"IAMUser"}})";
    h.set_context(7);
    EXPECT_EQ(h.Match(root), (std::vector<std::string>{"root", "named", "keyword"}));
    // Context 7 is known to be the root's: the context rule is not run again, and the others
    // know their leaves on the context ("named": userIdentity.type); the keyword is searched.
    EXPECT_EQ(h.Match(user), (std::vector<std::string>{"root", "named"}));
    h.set_context(8);
    EXPECT_TRUE(h.Match(user).empty());
    EXPECT_EQ(h.Match(root), (std::vector<std::string>{"keyword"}));
    h.set_context(UINT32_MAX);  // no context: every rule runs
    EXPECT_EQ(h.Match(root), (std::vector<std::string>{"root", "named", "keyword"}));
}

TEST(PlanTest, IndexOnAContextFieldIsLookedUpOncePerContext) {
    // Filed under userIdentity.type (a context field) but reading requestParameters too: not a
    // context rule, yet which rules its index lets through is known once per context.
    SigmaHarness h(
        Rule("    sel:\n        userIdentity.type: Root\n"
             "        requestParameters.x|contains: a\n    condition: sel"));
    ASSERT_EQ(h.errors(), 0u) << h.AllProblems();
    ASSERT_EQ(h.MarkContextRules(), 0u);
    ASSERT_NE(Explain(h).find("index: userIdentity.type"), std::string::npos) << Explain(h);
    auto event = [](std::string_view type, std::string_view x) {
        return EventWith(
            {R"("userIdentity":{"type":")", type, R"("},"requestParameters":{"x":")", x, R"("})"});
    };
    h.set_context(7);
    EXPECT_TRUE(h.Matches(event("root", "abc")));  // case-insensitive key, the x leaf checked
    EXPECT_FALSE(h.Matches(event("Root", "zzz")));
    h.set_context(8);
    EXPECT_FALSE(h.Matches(event("IAMUser", "abc")));
    // Context 8 is known to have no key in the index: the rule is not even run.
    EXPECT_FALSE(h.Matches(event("Root", "abc")));
    // Several values (an array) are looked up event by event.
    h.set_context(9);
    const std::string several =
        R"({"eventTime":"2024-01-01T00:00:00Z","eventName":"X","userIdentity":[{"type":"A"},)"
        R"({"type":"Root"}],"requestParameters":{"x":"a"}})";
    EXPECT_TRUE(h.Matches(several));
    EXPECT_TRUE(h.Matches(event("Root", "abc")));
    h.set_context(UINT32_MAX);  // no context: the index is looked up for every event
    EXPECT_TRUE(h.Matches(event("Root", "abc")));
}

TEST(PlanTest, LeavesReadingOnlyTheContextAreComputedOncePerContext) {
    // Not a context rule (it reads requestParameters), but its userAgent leaves (one scan of a
    // pattern group) and its arn regex have one result per context.
    SigmaHarness h(
        Rule("    sel:\n        userAgent|contains: [pacu, kali]\n"
             "        userIdentity.arn|re: ':user/a.*'\n"
             "        requestParameters.x: '1'\n    condition: sel"));
    ASSERT_EQ(h.errors(), 0u) << h.AllProblems();
    ASSERT_EQ(h.MarkContextRules(), 0u);
    auto event = [](std::string_view agent, std::string_view user, std::string_view x) {
        return EventWith({R"("userAgent":")", agent,
                          R"(","userIdentity":{"arn":"arn:aws:iam::1:user/)", user,
                          R"("},"requestParameters":{"x":")", x, R"("})"});
    };
    h.set_context(7);
    EXPECT_FALSE(h.Matches(event("Pacu/1.0", "alice", "2")));  // the other leaf fails
    EXPECT_TRUE(h.Matches(event("Pacu/1.0", "alice", "1")));
    // Context 7 is known to have a matching agent and arn (here deliberately not so).
    EXPECT_TRUE(h.Matches(event("aws-cli", "bob", "1")));
    h.set_context(8);
    EXPECT_FALSE(h.Matches(event("aws-cli", "alice", "1")));
    EXPECT_FALSE(h.Matches(event("kali", "alice", "1")));  // context 8's agent is known
    h.set_context(9);
    EXPECT_FALSE(h.Matches(event("kali", "bob", "1")));
    EXPECT_FALSE(h.Matches(event("kali", "alice", "1")));  // context 9's arn is known
    h.set_context(UINT32_MAX);                             // no context: every leaf is computed
    EXPECT_TRUE(h.Matches(event("kali", "alice", "1")));
    EXPECT_FALSE(h.Matches(event("aws-cli", "alice", "1")));
}

TEST(PlanTest, OneScanOfAPatternGroupKeepsEveryLeafOfTheContext) {
    // Enough userAgent patterns for one Hyperscan group; two selections read different ones.
    SigmaHarness h(
        Rule("    tools:\n        userAgent|contains: [pacu, kali, scout, prowler]\n"
             "    cli:\n        userAgent|contains: [aws-cli, boto3, terraform, sdk]\n"
             "    x:\n        requestParameters.x: '1'\n"
             "    condition: x and (tools or cli)"));
    ASSERT_EQ(h.errors(), 0u) << h.AllProblems();
    ASSERT_EQ(h.MarkContextRules(), 0u);
    ASSERT_NE(Explain(h).find("[group"), std::string::npos) << Explain(h);
    auto event = [](std::string_view agent, std::string_view x) {
        return EventWith(
            {R"("userAgent":")", agent, R"(","requestParameters":{"x":")", x, R"("})"});
    };
    h.set_context(7);
    EXPECT_TRUE(h.Matches(event("kali", "1")));  // one scan: tools true, cli false
    // Context 7 is known to be kali's (here deliberately not so): both leaves come from it.
    EXPECT_TRUE(h.Matches(event("zzz", "1")));
    EXPECT_TRUE(h.Matches(event("aws-cli/2", "1")));
    h.set_context(8);
    EXPECT_TRUE(h.Matches(event("aws-cli/2", "1")));
    EXPECT_FALSE(h.Matches(event("zzz", "2")));
    EXPECT_TRUE(h.Matches(event("zzz", "1")));  // cli known true for context 8
    h.set_context(UINT32_MAX);
    EXPECT_FALSE(h.Matches(event("zzz", "1")));
    // Past the caches' bound (32 MB), a context's leaves are computed event by event.
    h.set_context(60'000'000);
    EXPECT_TRUE(h.Matches(event("kali", "1")));
    EXPECT_FALSE(h.Matches(event("zzz", "1")));
}

// An event with this call and `more` members.
std::string CallEvent(std::string_view source, std::string_view name, std::string_view more = "") {
    return std::string(R"({"eventTime":"2024-01-01T00:00:00Z","eventSource":")") +
           std::string(source) + R"(","eventName":")" + std::string(name) + "\"" +
           std::string(more) + "}";
}

TEST(PlanTest, WhatReadsOnlyTheCallIsKeptOncePerCall) {
    SigmaHarness h(
        // Reads only the call: one result per call.
        IdRule("call",
               "    sel: {eventSource: iam.amazonaws.com, eventName|startswith: Create}\n"
               "    condition: sel") +
        // Reads the request too: its index lookup (eventName) and its eventSource leaf are
        // kept per call, its request leaf is not.
        IdRule("mixed",
               "    sel:\n        eventName: CreateUser\n        eventSource|endswith: .com\n"
               "        requestParameters.userName|contains: adm\n    condition: sel") +
        // Reads only the context: kept per context, not per call.
        IdRule("who", "    sel: {userIdentity.type|contains: oot}\n    condition: sel") +
        // Both the call and the context: neither kind of rule.
        IdRule("both", "    sel: {eventName: X, userIdentity.type: Root}\n    condition: sel"));
    ASSERT_EQ(h.errors(), 0u) << h.AllProblems();
    ASSERT_EQ(h.MarkContextRules(), 1u);
    ASSERT_EQ(h.MarkCallRules(), 1u);
    std::vector<std::string> call_rules;
    for (const rules::PlanRule& r : h.plan().rules()) {
        EXPECT_FALSE(r.call_slot >= 0 && r.context_slot >= 0);
        if (r.call_slot >= 0) call_rules.push_back(h.set().detections[r.detection].meta.rule_id());
    }
    EXPECT_EQ(call_rules, std::vector<std::string>{"call"});
    EXPECT_EQ(h.plan().kept_by_call().indexes, 2u);  // eventName, and eventSource ("call")
    // "mixed"'s eventName and eventSource leaves, "both"'s eventName leaf.
    EXPECT_EQ(h.plan().kept_by_call().leaves, 3u);

    const std::string create_user = CallEvent("iam.amazonaws.com", "CreateUser",
                                              R"(,"requestParameters":{"userName":"admin"})");
    const std::string create_role = CallEvent("iam.amazonaws.com", "CreateRole",
                                              R"(,"requestParameters":{"userName":"admin"})");
    h.set_call(3);
    EXPECT_EQ(h.Match(create_user), (std::vector<std::string>{"call", "mixed"}));
    // Call 3 is known to be iam's CreateUser (here deliberately not so): "call" and the
    // eventName lookup come from it; the request is read again.
    EXPECT_EQ(h.Match(create_role), (std::vector<std::string>{"call", "mixed"}));
    EXPECT_EQ(h.Match(CallEvent("s3.amazonaws.com", "ListBuckets",
                                R"(,"requestParameters":{"userName":"bob"})")),
              (std::vector<std::string>{"call"}));
    h.set_call(4);
    EXPECT_EQ(h.Match(CallEvent("sts.amazonaws.com", "GetCallerIdentity")),
              std::vector<std::string>{});
    // Call 4 is known to match nothing (here deliberately not so).
    EXPECT_EQ(h.Match(create_user), std::vector<std::string>{});
    h.set_call(rules::Evaluator::kNoCall);  // no call: everything is computed
    EXPECT_EQ(h.Match(create_role), (std::vector<std::string>{"call"}));
    EXPECT_EQ(h.Match(create_user), (std::vector<std::string>{"call", "mixed"}));
}

TEST(PlanTest, WhatReadsOnlyTheCallIsTestedRightAfterTheContext) {
    // By cost the request's equality comes before the regex on the call; once calls are
    // marked, the call's leaf (known per call) goes first, after the context's.
    SigmaHarness h(
        Rule("    sel:\n        requestParameters.x: '1'\n        eventName|re: 'Cre.*User'\n"
             "        userAgent|contains: cli\n    condition: sel"));
    ASSERT_EQ(h.errors(), 0u) << h.AllProblems();
    // The rule's program, without its index line.
    auto program = [&] {
        const std::string text = h.plan().Explain(0, h.set());
        return text.substr(text.find('\n') + 1);
    };
    const std::string before = program();
    ASSERT_LT(before.find("requestParameters.x"), before.find("eventName")) << before;
    ASSERT_EQ(h.MarkContextRules(), 0u);
    ASSERT_EQ(h.MarkCallRules(), 0u);
    const std::string after = program();
    EXPECT_LT(after.find("userAgent"), after.find("eventName")) << after;
    EXPECT_LT(after.find("eventName"), after.find("requestParameters.x")) << after;
}

TEST(PlanTest, OneScanOfAPatternGroupKeepsEveryLeafOfTheCall) {
    // Enough eventName patterns for one Hyperscan group; two selections read different ones.
    SigmaHarness h(
        Rule("    create:\n        eventName|startswith: [CreateUser, CreateRole, CreateGroup, "
             "CreatePolicy]\n"
             "    remove:\n        eventName|startswith: [DeleteUser, DeleteRole, DeleteGroup, "
             "DeletePolicy]\n"
             "    x:\n        requestParameters.x: '1'\n"
             "    condition: x and (create or remove)"));
    ASSERT_EQ(h.errors(), 0u) << h.AllProblems();
    ASSERT_EQ(h.MarkContextRules(), 0u);
    ASSERT_EQ(h.MarkCallRules(), 0u);
    ASSERT_NE(Explain(h).find("[group"), std::string::npos) << Explain(h);
    EXPECT_EQ(h.plan().kept_by_call().leaves, 8u);  // one per pattern
    auto event = [](std::string_view name, std::string_view x) {
        return CallEvent("iam.amazonaws.com", name,
                         std::string(R"(,"requestParameters":{"x":")") + std::string(x) + "\"}");
    };
    h.set_call(7);
    EXPECT_TRUE(h.Matches(event("CreateUserX", "1")));  // one scan: create true, remove false
    // Call 7 is known to be CreateUserX (here deliberately not so): both leaves come from it.
    EXPECT_TRUE(h.Matches(event("ListUsers", "1")));
    EXPECT_FALSE(h.Matches(event("CreateUserX", "2")));
    h.set_call(8);
    EXPECT_TRUE(h.Matches(event("DeleteRoleX", "1")));
    EXPECT_TRUE(h.Matches(event("CreateUserX", "1")));  // remove, kept for call 8
    EXPECT_TRUE(h.Matches(event("ListUsers", "1")));
    h.set_call(rules::Evaluator::kNoCall);
    EXPECT_FALSE(h.Matches(event("ListUsers", "1")));
    // Far past the bound of the kept results: computed event by event.
    h.set_call(60'000'000);
    EXPECT_TRUE(h.Matches(event("CreateUserX", "1")));
    EXPECT_FALSE(h.Matches(event("ListUsers", "1")));
}

TEST(PlanTest, OnlyPlainCallFieldsMayStandForACall) {
    event::FieldCatalog catalog;
    catalog.Freeze();
    using event::Value;
    using event::ValueType;
    const Value s{ValueType::kString, false, "s"};
    const Value n{ValueType::kString, false, "n"};
    // The values of eventSource and eventName of one event.
    auto plain = [&](std::vector<Value> source, std::vector<Value> name) {
        event::EventView ev;
        ev.Reset(&catalog);
        for (const Value& v : source) ev.Add(event::kEventSource, v);
        for (const Value& v : name) ev.Add(event::kEventName, v);
        ev.Finish();
        return rules::Evaluator::HasPlainCall(ev);
    };
    EXPECT_TRUE(plain({s}, {n}));
    EXPECT_TRUE(plain({{ValueType::kString, false, ""}}, {n}));
    EXPECT_FALSE(plain({}, {n}));
    EXPECT_FALSE(plain({s}, {}));
    EXPECT_FALSE(plain({{ValueType::kNull, false, "null"}}, {n}));
    EXPECT_FALSE(plain({s}, {{ValueType::kNumber, false, "1", 1}}));
    EXPECT_FALSE(plain({s}, {{ValueType::kString, true, "n"}}));  // an array's element
    EXPECT_FALSE(plain({s}, {n, n}));                             // a key written twice
}

TEST(PlanTest, NoHeapAllocationPerNonMatchingEvent) {
    // Rules of every kind of leaf, so each matcher runs on the events below.
    SigmaHarness h(Rule(R"(    sel:
        eventSource: iam.amazonaws.com
        eventName: [CreateUser, DeleteUser, 'Put*Policy']
    ua:
        userAgent|contains: [pacu, trufflehog, 'kali', 'scout*suite', 'x?y']
    re:
        userIdentity.arn|re: ':assumed-role/aws:'
    net:
        sourceIPAddress|cidr: 203.0.113.0/24
    num:
        requestParameters.durationSeconds|gt: 40000
    kw:
        - 'mimikatz'
    condition: 1 of them)",
                        "Many"));
    ASSERT_EQ(h.errors(), 0u) << h.AllProblems();
    std::vector<std::string> events;
    for (int i = 0; i < 50; ++i) {
        events.push_back(
            R"({"eventTime":"2024-01-01T00:00:00Z","eventSource":"ec2.amazonaws.com","eventName":"DescribeInstances","userAgent":"aws-cli/2.15 Python/3.11 exe/x86_64.linux","sourceIPAddress":"198.51.100.)" +
            std::to_string(i) + R"(","userIdentity":{"arn":"arn:aws:iam::1:user/u)" +
            std::to_string(i) +
            R"("},"requestParameters":{"durationSeconds":3600,"filter":[{"name":"a\"b"}]}})");
    }
    struct Counter final : ingest::EventHandler {
        explicit Counter(rules::Evaluator& e) : eval(e) { hits.reserve(8); }
        void OnEvent(const event::EventView& ev) override {
            g_counting = true;
            eval.Evaluate(ev, hits);
            g_counting = false;
            matched += hits.size();
        }
        rules::Evaluator& eval;
        std::vector<uint32_t> hits;
        size_t matched = 0;
    } counter(h.evaluator());
    std::string path = "t.json";
    Diagnostics diag(nullptr);
    auto run = [&] {
        for (const std::string& e : events) {
            ingest::PaddedBuffer buf;
            buf.Append(e);
            ingest::FileCounts counts;
            ingest::ParseContext ctx;
            ctx.path = &path;
            ctx.diag = &diag;
            ctx.handler = &counter;
            ctx.counts = &counts;
            h.parser().ParseOne(buf.view(), "record", ctx);
        }
    };
    run();  // warm
    g_allocations = 0;
    run();
    EXPECT_EQ(counter.matched, 0u);
    EXPECT_EQ(g_allocations.load(), 0u);
    // The counter works: a matching event through the same path is seen.
    EXPECT_TRUE(
        h.Matches(R"({"eventTime":"2024-01-01T00:00:00Z","eventName":"X","a":"MIMIKATZ"})"));
}

// FoldSet (equality sets and the rule index): any ASCII case finds a key; nothing else does,
// whatever the length (the lookup works eight bytes at a time).
TEST(FoldSetTest, FindsEveryKeyInAnyCaseAndNothingElse) {
    rules::FoldSet set;
    std::vector<std::string> keys;
    for (size_t len = 1; len <= 40; ++len) {
        std::string k;
        for (size_t i = 0; i < len; ++i) k += static_cast<char>('a' + (i * 7 + len) % 26);
        keys.push_back(k);
    }
    keys.push_back("ConsoleLogin");
    keys.push_back("caf\xC3\xA9-@[`{");  // bytes next to the letters, and non-ASCII
    for (const std::string& k : keys) set.Insert(k);
    ASSERT_EQ(set.size(), keys.size());
    for (size_t n = 0; n < keys.size(); ++n) {
        std::string upper = keys[n], mixed = keys[n];
        for (size_t i = 0; i < upper.size(); ++i) {
            upper[i] = static_cast<char>(std::toupper(static_cast<unsigned char>(upper[i])));
            if (i % 2 == 0) mixed[i] = upper[i];
        }
        EXPECT_EQ(set.Find(keys[n]), static_cast<int64_t>(n)) << keys[n];
        EXPECT_EQ(set.Find(upper), static_cast<int64_t>(n)) << upper;
        EXPECT_EQ(set.Find(mixed), static_cast<int64_t>(n)) << mixed;
        // One byte off, at every position: absent (unless that makes another key).
        for (size_t i = 0; i < keys[n].size(); ++i) {
            std::string off = keys[n];
            off[i] = static_cast<char>(off[i] ^ 0x01);
            const int64_t got = set.Find(off);
            if (got >= 0) {
                EXPECT_TRUE(EqualsFold(keys[static_cast<size_t>(got)], off)) << off;
            }
        }
        EXPECT_EQ(set.Find(keys[n] + "x"), -1);
    }
    // Folding is ASCII only: the neighbours of the letters and non-ASCII bytes stay themselves.
    EXPECT_EQ(set.Find("CONSOLELOGIN"), set.Find("consolelogin"));
    EXPECT_EQ(set.Find("caf\xC3\xA9-`[`{"), -1);
    EXPECT_EQ(set.Find("caf\xC3\xA9-@{`{"), -1);
    EXPECT_EQ(set.Find("caf\xC3\x89-@[`{"), -1);
    EXPECT_GE(set.Find("CAF\xC3\xA9-@[`{"), 0);
}

}  // namespace
}  // namespace tw::sigma
