// Correlation conformance (Sigma correlation rules v2): each type, window edges, group-by,
// aliases, ranges, generate, chains; and plain-rule aggregation per actor and gap.
#include "detect/correlate.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <random>
#include <string>
#include <thread>

#include "detect/aggregate.h"
#include "detect/summary.h"
#include "sigma/loader.h"

namespace tw::detect {
namespace {

constexpr TimeMs kMin = 60 * 1000;
constexpr TimeMs kT0 = 1718877600000;  // 2024-06-20T10:00:00Z

// Two base rules (a, b) plus the correlation under test.
rules::RuleSet Load(const std::string& correlation) {
    sigma::Loader l;
    l.AddText(R"(title: A
id: id-a
name: rule_a
logsource: {product: aws, service: cloudtrail}
detection:
    sel:
        eventName: A
    condition: sel
---
title: B
id: id-b
name: rule_b
logsource: {product: aws, service: cloudtrail}
detection:
    sel:
        eventName: B
    condition: sel
---
)" + correlation,
              "c.yml", "sigma:c.yml");
    rules::RuleSet set = l.Finish();
    for (const auto& p : l.problems()) ADD_FAILURE() << p.Text();
    return set;
}

struct Stream {
    StringStore store;
    EventList events;
    std::vector<MatchRef> matches;
    // A stored actor.
    const EventActor* Actor(const std::string& arn, const std::string& account,
                            const std::string& ip) {
        EventActor a;
        a.arn = store.Intern(arn);
        a.account = store.Intern(account);
        a.source_ip = store.Intern(ip);
        return store.KeepActor(a);
    }
    // Adds an event at minute `m` matched by detection `d` with extra field values.
    void Add(double m, uint32_t d, std::vector<std::string> extra = {"u1"}) {
        EventInfo e;
        e.time = kT0 + static_cast<TimeMs>(m * kMin);
        e.record = static_cast<uint32_t>(events.size());
        std::string id = "e";  // (appended: GCC 12 warns falsely on "e" + std::to_string)
        id += std::to_string(events.size());
        e.event_id = EventId::Keep(id, store);
        ExtraValue* values = store.AllocExtras(extra.size());
        for (size_t i = 0; i < extra.size(); ++i) {
            values[i] = {static_cast<uint32_t>(i), store.Intern(extra[i])};
        }
        EventDetail detail;
        detail.call = &kNoCall;
        detail.extras = values;
        detail.extra_count = static_cast<uint32_t>(extra.size());
        e.detail = store.KeepDetail(detail);
        events.push_back(std::move(e));
        matches.push_back({d, static_cast<uint32_t>(events.size() - 1)});
    }
};

std::vector<std::vector<std::string>> Ids(const rules::RuleSet& set, const Stream& s) {
    std::vector<std::vector<std::string>> out;
    for (const auto& o : RunCorrelations(set, s.events, s.matches, CorrelationFields(set))) {
        if (!set.correlations[o.correlation].emit) continue;
        std::vector<std::string> ids;
        for (uint32_t e : o.events) ids.push_back(s.events[e].event_id.str());
        out.push_back(ids);
    }
    return out;
}

using V = std::vector<std::vector<std::string>>;

const char* kCount = R"(title: Count
correlation:
    type: event_count
    rules: rule_a
    group-by: [user]
    timespan: 10m
    condition:
        gte: 3
)";

TEST(CorrelationTest, EventCountFiresOncePerBurstWithEveryEvent) {
    auto set = Load(kCount);
    Stream s;
    for (double m : {0.0, 2.0, 4.0, 6.0, 30.0}) s.Add(m, 0);
    EXPECT_EQ(Ids(set, s), (V{{"e0", "e1", "e2", "e3"}}));
}

// Group values are told apart whatever they hold: a caller's value with the byte that separates
// several values of one field cannot join another group.
TEST(CorrelationTest, GroupKeysCannotBeForgedWithTheValueSeparator) {
    auto set = Load(R"(title: Pairs
correlation:
    type: event_count
    rules: rule_a
    group-by: [user, ip]
    timespan: 10m
    condition:
        gte: 2
)");
    Stream s;
    s.Add(0, 0,
          {"a\x1f"
           "b",
           "c"});
    s.Add(1, 0,
          {"a",
           "b\x1f"
           "c"});
    EXPECT_TRUE(Ids(set, s).empty());
    s.Add(2, 0,
          {"a",
           "b\x1f"
           "c"});
    EXPECT_EQ(Ids(set, s), (V{{"e1", "e2"}}));
}

TEST(CorrelationTest, WindowEdgesAreInclusiveAndSlide) {
    auto set = Load(kCount);
    Stream inside;
    for (double m : {0.0, 5.0, 10.0}) inside.Add(m, 0);  // exactly one timespan apart
    EXPECT_EQ(Ids(set, inside).size(), 1u);
    Stream outside;
    for (double m : {0.0, 5.0, 10.01}) outside.Add(m, 0);
    EXPECT_TRUE(Ids(set, outside).empty());
    // Sliding, not fixed buckets: 10:08, 10:12, 10:14 span a bucket edge but fit one window.
    Stream sliding;
    for (double m : {8.0, 12.0, 14.0}) sliding.Add(m, 0);
    EXPECT_EQ(Ids(set, sliding).size(), 1u);
}

TEST(CorrelationTest, GroupsAreCountedSeparately) {
    auto set = Load(kCount);
    Stream s;
    s.Add(0, 0, {"u1"});
    s.Add(1, 0, {"u2"});
    s.Add(2, 0, {"u1"});
    s.Add(3, 0, {"u2"});
    EXPECT_TRUE(Ids(set, s).empty());
    s.Add(4, 0, {"u2"});
    EXPECT_EQ(Ids(set, s), (V{{"e1", "e3", "e4"}}));
}

TEST(CorrelationTest, ReferencedRulesDoNotGenerateByDefault) {
    auto set = Load(kCount);
    EXPECT_FALSE(set.detections[0].generate);  // rule_a is referenced
    EXPECT_TRUE(set.detections[1].generate);   // rule_b is not
    auto gen = Load(std::string(kCount) + "    generate: true\n");
    EXPECT_TRUE(gen.detections[0].generate);
    // Plain-rule findings follow the flag.
    Stream s;
    s.Add(0, 0);
    s.Add(1, 1);
    EXPECT_EQ(AggregateMatches(set, s.events, s.matches).size(), 1u);
    EXPECT_EQ(AggregateMatches(gen, s.events, s.matches).size(), 2u);
}

TEST(CorrelationTest, RangeConditions) {
    auto set = Load(R"(title: Range
correlation:
    type: event_count
    rules: rule_a
    timespan: 10m
    condition:
        gt: 1
        lte: 2
)");
    Stream two;
    two.Add(0, 0);
    two.Add(1, 0);
    EXPECT_EQ(Ids(set, two).size(), 1u);
    Stream one;
    one.Add(0, 0);
    EXPECT_TRUE(Ids(set, one).empty());
}

TEST(CorrelationTest, ValueCountCountsDistinctValues) {
    auto set = Load(R"(title: Values
correlation:
    type: value_count
    rules: rule_a
    group-by: [ip]
    timespan: 1h
    condition:
        field: user
        gte: 3
)");
    // CorrelationFields: group-by "ip" then value field "user".
    ASSERT_EQ(CorrelationFields(set), (std::vector<std::string>{"ip", "user"}));
    Stream s;
    s.Add(0, 0, {"1.1.1.1", "alice"});
    s.Add(1, 0, {"1.1.1.1", "alice"});
    s.Add(2, 0, {"1.1.1.1", "bob"});
    EXPECT_TRUE(Ids(set, s).empty());
    s.Add(3, 0, {"1.1.1.1", "carol"});
    EXPECT_EQ(Ids(set, s), (V{{"e0", "e1", "e2", "e3"}}));
}

const char* kTemporal = R"(title: Both
correlation:
    type: %s
    rules: [rule_a, id-b]
    group-by: [user]
    timespan: 5m
)";

std::string Temporal(const char* type) {
    char buf[256];
    std::snprintf(buf, sizeof buf, kTemporal, type);
    return buf;
}

TEST(CorrelationTest, TemporalNeedsEveryRuleInTheWindowInAnyOrder) {
    auto set = Load(Temporal("temporal"));
    Stream s;
    s.Add(0, 1);  // B first
    s.Add(3, 0);  // then A
    EXPECT_EQ(Ids(set, s), (V{{"e0", "e1"}}));
    Stream far;
    far.Add(0, 1);
    far.Add(6, 0);
    EXPECT_TRUE(Ids(set, far).empty());
    Stream other_user;
    other_user.Add(0, 1, {"u1"});
    other_user.Add(1, 0, {"u2"});
    EXPECT_TRUE(Ids(set, other_user).empty());
}

TEST(CorrelationTest, TemporalOrderedNeedsTheListedOrder) {
    auto set = Load(Temporal("temporal_ordered"));
    Stream wrong;
    wrong.Add(0, 1);  // B before A
    wrong.Add(3, 0);
    EXPECT_TRUE(Ids(set, wrong).empty());
    Stream right;
    right.Add(0, 1);
    right.Add(1, 0);  // A
    right.Add(2, 1);  // then B
    EXPECT_EQ(Ids(set, right), (V{{"e0", "e1", "e2"}}));
}

TEST(CorrelationTest, AliasesGroupDifferentFieldsTogether) {
    auto set = Load(R"(title: Aliased
correlation:
    type: temporal
    rules: [rule_a, rule_b]
    group-by: [who]
    timespan: 5m
    aliases:
        who:
            rule_a: userIdentity.arn
            rule_b: requestParameters.userName
)");
    ASSERT_EQ(CorrelationFields(set),
              (std::vector<std::string>{"userIdentity.arn", "requestParameters.userName"}));
    Stream s;
    s.Add(0, 0, {"bob", ""});
    s.Add(1, 1, {"", "bob"});
    EXPECT_EQ(Ids(set, s), (V{{"e0", "e1"}}));
}

TEST(CorrelationTest, ChainsFeedOneCorrelationIntoAnother) {
    auto set = Load(R"(title: Many A
name: many_a
correlation:
    type: event_count
    rules: rule_a
    group-by: [user]
    timespan: 10m
    condition:
        gte: 2
---
title: Many A then B
id: chain
correlation:
    type: temporal_ordered
    rules: [many_a, rule_b]
    group-by: [user]
    timespan: 10m
)");
    ASSERT_EQ(set.correlations.size(), 2u);
    Stream s;
    s.Add(0, 0);
    s.Add(1, 0);  // many_a holds at minute 1
    s.Add(5, 1);  // then B
    auto ids = Ids(set, s);
    // many_a is referenced without generate: only the chain emits.
    EXPECT_EQ(ids, (V{{"e0", "e1", "e2"}}));
    Stream early;
    early.Add(0, 1);  // B before many_a
    early.Add(1, 0);
    early.Add(2, 0);
    EXPECT_TRUE(Ids(set, early).empty());
}

TEST(AggregateTest, OneFindingPerActorUntilAGap) {
    auto set = Load("");
    Stream s;
    for (int i = 0; i < 500; ++i) s.Add(i * 0.1, 1);
    EventActor a;
    a.arn = s.store.Intern("arn:aws:iam::1:user/a");
    a.account = s.store.Intern("1");
    const EventActor* actor = s.store.KeepActor(a);
    for (size_t i = 0; i < s.events.size(); ++i) s.events[i].actor = actor;
    s.Add(200, 1);  // 150 minutes later: new window
    s.events.back().actor = actor;
    auto f = AggregateMatches(set, s.events, s.matches);
    ASSERT_EQ(f.size(), 2u);
    EXPECT_EQ(f[0].event_ids.size(), 500u);
    EXPECT_EQ(f[0].event_ids.front(), "e0");
    EXPECT_EQ(f[1].event_ids, std::vector<std::string>{"e500"});
}

TEST(AggregateTest, CallersWithOnlyAnAccessKeyAreKeptApart) {
    // SCIM calls of an external identity provider have no ARN and no principal id, only the id
    // of their token: two tokens in one account are two actors.
    auto set = Load("");
    Stream s;
    std::vector<const EventActor*> tokens;
    for (const char* key : {"9e9944aa-token-one", "4b1c20d3-token-two"}) {
        EventActor a;
        a.access_key_id = s.store.Intern(key);
        a.account = s.store.Intern("1");
        tokens.push_back(s.store.KeepActor(a));
    }
    for (int i = 0; i < 4; ++i) {
        s.Add(i, 1);
        s.events.back().actor = tokens[static_cast<size_t>(i % 2)];
    }
    auto f = AggregateMatches(set, s.events, s.matches);  // in order of actor key
    ASSERT_EQ(f.size(), 2u);
    EXPECT_EQ(f[0].actor.access_key_id, "4b1c20d3-token-two");
    EXPECT_EQ(f[0].event_ids, (std::vector<std::string>{"e1", "e3"}));
    EXPECT_EQ(f[1].actor.access_key_id, "9e9944aa-token-one");
    EXPECT_EQ(f[1].event_ids, (std::vector<std::string>{"e0", "e2"}));
    // ... and the summary names the token rather than "an unknown actor".
    EXPECT_NE(f[0].summary.find("by access key 4b1c20d3-token-two"), std::string::npos)
        << f[0].summary;
}

// The actors and calls met while filling one finding do not leak into the next: a principal seen
// from 200 addresses under one rule, then from two of them under another, lists those two.
TEST(AggregateTest, EachFindingListsItsOwnAddresses) {
    auto set = Load("");
    Stream s;
    std::vector<const EventActor*> contexts;
    for (int c = 0; c < 200; ++c) {
        contexts.push_back(
            s.Actor("arn:aws:iam::1:user/p", "1", "198.51.100." + std::to_string(c)));
    }
    for (int c = 0; c < 200; ++c) {
        s.Add(c * 0.1, 0);
        s.events.back().actor = contexts[static_cast<size_t>(c)];
    }
    for (int c = 0; c < 2; ++c) {
        s.Add(30 + c, 1);
        s.events.back().actor = contexts[static_cast<size_t>(c)];
    }
    const auto f = AggregateMatches(set, s.events, s.matches);
    ASSERT_EQ(f.size(), 2u);
    EXPECT_EQ(f[0].actor.source_ips.size(), 50u);  // listed up to 50, the others counted
    // ... the 25 seen first and the 25 seen first last: decoys made first do not hide the rest.
    for (int c : {0, 24, 175, 199}) {
        EXPECT_TRUE(std::binary_search(f[0].actor.source_ips.begin(), f[0].actor.source_ips.end(),
                                       "198.51.100." + std::to_string(c)))
            << c;
    }
    for (int c : {25, 174}) {
        EXPECT_FALSE(std::binary_search(f[0].actor.source_ips.begin(), f[0].actor.source_ips.end(),
                                        "198.51.100." + std::to_string(c)))
            << c;
    }
    EXPECT_NE(f[0].evidence_json.find(R"("unlisted":{"source_ips":150,"user_agents":0})"),
              std::string::npos)
        << f[0].evidence_json;
    EXPECT_EQ(f[1].actor.source_ips, (std::vector<std::string>{"198.51.100.0", "198.51.100.1"}));
    EXPECT_EQ(f[1].accounts, std::vector<std::string>{"1"});
    EXPECT_EQ(f[1].evidence_json.find("unlisted"), std::string::npos) << f[1].evidence_json;
}

// Addresses and user agents are listed up to 50 (a caller can make them as many as it likes)
// and the others counted, but every account, region and call is listed: a finding over an
// organization's accounts or regions names each of them.
TEST(AggregateTest, EveryRegionIsListed) {
    auto set = Load("");
    Stream s;
    for (int c = 0; c < 70; ++c) {
        s.Add(c * 0.1, 0);
        EventActor a = *s.Actor("arn:aws:iam::1:user/p", "1", "192.0.2.1");
        a.region = s.store.Intern("region-" + std::to_string(100 + c));
        s.events.back().actor = s.store.KeepActor(a);
    }
    const auto f = AggregateMatches(set, s.events, s.matches);
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].accounts, std::vector<std::string>{"1"});
    EXPECT_EQ(f[0].regions.size(), 70u);
    EXPECT_EQ(f[0].actor.source_ips, std::vector<std::string>{"192.0.2.1"});
    EXPECT_EQ(f[0].evidence_json.find("unlisted"), std::string::npos) << f[0].evidence_json;
}

// Two threads build the findings of a hunt that runs with threads: the same findings, in the
// same order, as one thread.
TEST(AggregateTest, TwoThreadsBuildTheSameFindingsAsOne) {
    auto set = Load("");
    Stream s;
    std::vector<const EventActor*> actors;
    for (int a = 0; a < 7; ++a) {
        actors.push_back(s.Actor("arn:aws:iam::1:user/u" + std::to_string(a), std::to_string(a % 3),
                                 "198.51.100." + std::to_string(a)));
    }
    for (int i = 0; i < 3000; ++i) {
        // Bursts with gaps, two rules, actors interleaved.
        s.Add(i * 0.7 + (i / 500) * 120.0, static_cast<uint32_t>(i % 5 == 0 ? 0 : 1));
        s.events.back().actor = actors[static_cast<size_t>((i * 3) % 7)];
    }
    // What runs beside (the run's correlations) runs once either way, and is done on return.
    std::atomic<int> beside{0};
    bool done = false;
    auto slow = [&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        ++beside;
        done = true;
    };
    const auto one =
        AggregatePending(set, s.events, s.matches, kDefaultGap, FieldIndex({}), 1, slow);
    EXPECT_EQ(beside.load(), 1);
    EXPECT_TRUE(done);
    done = false;
    const auto two =
        AggregatePending(set, s.events, s.matches, kDefaultGap, FieldIndex({}), 2, slow);
    EXPECT_EQ(beside.load(), 2);
    EXPECT_TRUE(done);
    ASSERT_GT(one.size(), 20u);
    ASSERT_EQ(one.size(), two.size());
    for (size_t i = 0; i < one.size(); ++i) {
        EXPECT_EQ(findings::ToJsonLine(one[i].finding), findings::ToJsonLine(two[i].finding)) << i;
        EXPECT_EQ(one[i].events, two[i].events) << i;
    }
}

// What aggregation means, written plainly: per rule, per (actor, account), events split where two
// consecutive ones are more than `gap` apart. Groups closed by a gap come in the order of the event
// that closed them, then the groups still open, by key.
std::vector<std::pair<uint32_t, std::vector<uint32_t>>> PlainGroups(const rules::RuleSet& set,
                                                                    const Stream& s, TimeMs gap) {
    std::vector<std::pair<uint32_t, std::vector<uint32_t>>> out;
    for (uint32_t r = 0; r < set.detections.size(); ++r) {
        if (!set.detections[r].generate) continue;
        std::map<std::pair<std::string, std::string>, std::vector<uint32_t>> open;
        for (const MatchRef& m : s.matches) {
            if (m.detection != r) continue;
            const EventInfo& e = s.events[m.event];
            std::vector<uint32_t>& g = open[{std::string(e.actor_key()), std::string(e.account())}];
            if (!g.empty() && e.time - s.events[g.back()].time > gap) {
                out.emplace_back(r, std::move(g));
                g.clear();
            }
            g.push_back(m.event);
        }
        for (auto& [key, g] : open) out.emplace_back(r, std::move(g));
    }
    return out;
}

// One thread or two (which split the matches in halves and join the groups that cross the
// middle), the groups are those of the plain reading, in its order: keys that are only in one
// half, in both with a gap across the middle or without, a first group in the second half that a
// gap closes there, gaps of exactly `gap`.
TEST(AggregateTest, GroupsAreThoseOfThePlainReadingWithOneOrTwoThreads) {
    std::mt19937 rng(7);
    for (int trial = 0; trial < 60; ++trial) {
        // Every third trial, a correlation refers to rule a: its matches make no findings.
        const auto set = Load(trial % 3 == 2 ? kCount : "");
        SCOPED_TRACE(trial);
        Stream s;
        std::vector<const EventActor*> actors;
        const int actor_count = 1 + trial % 9;
        for (int a = 0; a < actor_count; ++a) {
            // Two contexts (addresses) of one principal in one account share a key; the same
            // principal in another account is another key.
            actors.push_back(s.Actor("arn:aws:iam::1:user/u" + std::to_string(a / 4),
                                     std::to_string((a / 2) % 2),
                                     "198.51.100." + std::to_string(a)));
        }
        const int n = 1 + static_cast<int>(rng() % 400);
        double minute = 0;
        for (int i = 0; i < n; ++i) {
            // Steps of a few minutes, sometimes exactly the gap, sometimes more.
            const uint32_t step = rng() % 20;
            minute += step == 0 ? 60.0 : step == 1 ? 61.0 : step == 2 ? 0.0 : step * 0.5;
            s.Add(minute, rng() % 3 == 0 ? 0 : 1);
            s.events.back().actor = actors[rng() % actors.size()];
        }
        const auto want = PlainGroups(set, s, kDefaultGap);
        for (unsigned threads : {1u, 2u}) {
            SCOPED_TRACE(threads);
            const auto got =
                AggregatePending(set, s.events, s.matches, kDefaultGap, FieldIndex({}), threads);
            ASSERT_EQ(got.size(), want.size());
            for (size_t i = 0; i < got.size(); ++i) {
                EXPECT_EQ(got[i].finding.rule_id, set.detections[want[i].first].meta.rule_id())
                    << i;
                EXPECT_EQ(got[i].events, want[i].second) << i;
            }
        }
    }
}

}  // namespace
}  // namespace tw::detect

namespace tw::detect {
namespace {

TEST(ShortActorTest, ReadableNamesForTheCommonArns) {
    EXPECT_EQ(ShortActor("arn:aws:sts::111122223333:assumed-role/"
                         "AWSReservedSSO_AdministratorAccess_f50c132a4c8ca734/alice@example.com"),
              "alice@example.com (AdministratorAccess in 111122223333)");
    EXPECT_EQ(ShortActor("arn:aws:sts::111122223333:assumed-role/ci-deploy/run-42"),
              "run-42 (role ci-deploy in 111122223333)");
    EXPECT_EQ(ShortActor("arn:aws:iam::111122223333:user/ops/bob"), "IAM user bob (111122223333)");
    EXPECT_EQ(ShortActor("arn:aws:sts::111122223333:federated-user/maint"),
              "federated user maint (111122223333)");
    EXPECT_EQ(ShortActor("arn:aws:iam::111122223333:root"), "the root user of 111122223333");
    EXPECT_EQ(ShortActor("cloudtrail.amazonaws.com"), "cloudtrail.amazonaws.com");
}

}  // namespace
}  // namespace tw::detect
