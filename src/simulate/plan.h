// The plan of a simulation: what happens when, decided before any file is written.
//
//  - Human sessions: Identity Center users who sign in to the access portal on working days,
//    then work in one account as an AWSReservedSSO_* role session (console or CLI).
//  - CI runs: Terraform from the shared-services runner, assuming a deploy role in the target
//    account (the AssumeRole is logged in both accounts with a sharedEventID).
//  - With an external IdP: its routine SCIM updates of users' attributes on working days.
//  - Scenario records: the labelled events of the attack and benign scenarios, rendered once.
//  - Planned items: every planned record, keyed by its output file (account, region, window).
//  - Calibration: the factors that turn per-file activity into the requested events per day.
//
// A file is one (slot, window): slot = account * regions + region, window = 5 minutes since
// the start. Everything in the plan is derived from the seed; the generator of a file only
// reads it, so files can be written in any order, on any number of threads.
//
// Thread-safety: built on one thread, then immutable and shared.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/time.h"
#include "simulate/org.h"

namespace tw::simulate {

inline constexpr TimeMs kWindowMs = 5 * 60 * 1000;
inline constexpr TimeMs kHourMs = 3600 * 1000;
inline constexpr TimeMs kDayMs = 24 * kHourMs;

struct HumanSession {
    uint32_t user = 0, account = 0, permission_set = 0, region = 0;
    TimeMs start = 0, end = 0;
    bool console = true;
    bool first_of_day = false;  // preceded by the portal sign-in
    bool from_office = true;
    uint64_t seed = 0;  // derived ids (keys, credential ids) come from here
};

struct CiRun {
    uint32_t account = 0, region = 0;
    TimeMs start = 0, end = 0;
    uint64_t seed = 0;
};

enum class ItemKind : uint8_t {
    kRecord,           // a pre-rendered record (scenarios): ref = index into records
    kSignIn,           // portal sign-in step `step` of session `ref`
    kRoleCredentials,  // Federate (console) or GetRoleCredentials (CLI) of session `ref`
    kSamlAssume,       // AssumeRoleWithSAML in the member account, session `ref`
    kConsoleLogin,     // ConsoleLogin in the member account, session `ref`
    kCiAssumeTarget,   // CI AssumeRole as logged in the target account, run `ref`
    kCiAssumeSource,   // the same call as logged in the runner's account, run `ref`
    kScimUpdate,       // the external IdP's PatchUser of user `ref`, path kScimUpdatePaths[step]
};

struct PlanItem {
    TimeMs time = 0;
    uint32_t slot = 0;
    ItemKind kind = ItemKind::kRecord;
    uint8_t step = 0;
    uint32_t ref = 0;
};

// One line of labels.jsonl.
struct Label {
    std::string event_id, scenario, step, technique, actor, label, event, account, region;
    std::string principal;  // the concrete principal of the event (ARN or user name)
    TimeMs time = 0;
};

struct PlanOptions {
    uint64_t seed = 1;
    TimeMs start = 0;  // midnight UTC of the first day
    uint32_t days = 1;
    uint64_t events_per_day = 100000;
    std::vector<std::string> scenarios;
};

struct Plan {
    Org org;
    PlanOptions options;
    uint32_t windows = 0;                           // 5-minute windows in the run
    std::vector<HumanSession> sessions;             // sorted by (account, start)
    std::vector<CiRun> ci_runs;                     // sorted by (account, start)
    std::vector<uint32_t> session_begin, ci_begin;  // per account: first index (size A+1)
    std::vector<PlanItem> items;                    // sorted by (slot, time)
    std::vector<std::string> records;               // scenario records
    std::vector<Label> labels;                      // sorted by time
    std::string ci_runner_ip;
    double human_scale = 1, machine_scale = 1;

    [[nodiscard]] uint32_t slots() const {
        return static_cast<uint32_t>(org.accounts.size() * org.regions.size());
    }
    [[nodiscard]] uint32_t Slot(uint32_t account, uint32_t region) const {
        return account * static_cast<uint32_t>(org.regions.size()) + region;
    }
    [[nodiscard]] TimeMs WindowStart(uint32_t w) const {
        return options.start + static_cast<TimeMs>(w) * kWindowMs;
    }
    [[nodiscard]] TimeMs End() const { return options.start + options.days * kDayMs; }
};

// One contributor to a file's background traffic and its rate (events per window).
enum class SourceKind : uint8_t {
    kSession,
    kCiRun,
    kConfig,
    kSecurityHub,
    kAccessAnalyzer,
    kWorkload,
    kServiceAssume,
    kIamUser,
};
struct Source {
    SourceKind kind;
    bool human;    // scaled by human_scale, else machine_scale
    uint32_t ref;  // session, run, workload or IAM user index
    double rate;
};

// The contributors active in file (account, region, window), with their raw rates.
void CollectSources(const Plan& plan, uint32_t account, uint32_t region, uint32_t window,
                    std::vector<Source>& out);

// Planning runs in four steps: NewPlan builds the org; scenarios may then change it (an
// offboarding ends a user's activity); PlanPeople plans sessions, CI runs and their records;
// scenarios add their records; FinishPlan sorts everything and calibrates the volume.
[[nodiscard]] Plan NewPlan(const OrgOptions& org_options, const PlanOptions& options);
void PlanPeople(Plan& plan);
void FinishPlan(Plan& plan);

// Local hour-of-week helpers.
[[nodiscard]] bool IsWeekend(TimeMs t, int utc_offset_hours);
[[nodiscard]] double LocalHour(TimeMs t, int utc_offset_hours);

}  // namespace tw::simulate
