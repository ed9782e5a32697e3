// Background planning (people and CI), activity sources per file, and calibration.
#include "simulate/plan.h"

#include <algorithm>
#include <tuple>

#include "simulate/planned.h"
#include "simulate/random.h"
#include "simulate/scim.h"

namespace tw::simulate {

namespace {

// Share of peak activity per local hour for human-driven services (Lambda invocations).
constexpr double kBusinessCurve[24] = {0.25, 0.2,  0.2, 0.2,  0.25, 0.3, 0.45, 0.65,
                                       0.85, 1.0,  1.0, 1.0,  0.95, 1.0, 1.0,  1.0,
                                       0.95, 0.85, 0.7, 0.55, 0.45, 0.4, 0.35, 0.3};

constexpr TimeMs kMaxSessionMs = 4 * kHourMs;
constexpr TimeMs kMaxRunMs = 10 * 60 * 1000;

// Sign-in steps relative to the session start (seconds before).
constexpr int kSignInOffsetS[] = {45, 38, 38, 30, 30, 29, 27};

}  // namespace

bool IsWeekend(TimeMs t, int utc_offset_hours) {
    const int64_t days = (t + utc_offset_hours * kHourMs) / kDayMs;
    const int64_t wd = ((days % 7) + 11) % 7;  // 0 = Sunday
    return wd == 0 || wd == 6;
}

double LocalHour(TimeMs t, int utc_offset_hours) {
    TimeMs local = (t + utc_offset_hours * kHourMs) % kDayMs;
    if (local < 0) local += kDayMs;
    return static_cast<double>(local) / static_cast<double>(kHourMs);
}

void CollectSources(const Plan& plan, uint32_t account, uint32_t region, uint32_t window,
                    std::vector<Source>& out) {
    out.clear();
    const Org& org = plan.org;
    const Account& acct = org.accounts[account];
    const TimeMs t0 = plan.WindowStart(window);
    const TimeMs t1 = t0 + kWindowMs;
    const bool global = region == org.global_region;

    // People: Identity Center sessions of this account.
    const auto sb = plan.sessions.begin() + plan.session_begin[account];
    const auto se = plan.sessions.begin() + plan.session_begin[account + 1];
    auto it = std::lower_bound(sb, se, t0 - kMaxSessionMs,
                               [](const HumanSession& s, TimeMs t) { return s.start < t; });
    for (; it != se && it->start < t1; ++it) {
        if (it->end <= t0) continue;
        double rate = 0;
        if (it->region == region) {
            rate = it->console ? 10 : 4;
        } else if (global) {
            rate = 1.2;
        }
        if (rate > 0) {
            out.push_back({SourceKind::kSession, true,
                           static_cast<uint32_t>(it - plan.sessions.begin()), rate});
        }
    }
    // CI runs into this account.
    const auto cb = plan.ci_runs.begin() + plan.ci_begin[account];
    const auto ce = plan.ci_runs.begin() + plan.ci_begin[account + 1];
    auto ci = std::lower_bound(cb, ce, t0 - kMaxRunMs,
                               [](const CiRun& r, TimeMs t) { return r.start < t; });
    for (; ci != ce && ci->start < t1; ++ci) {
        if (ci->end <= t0) continue;
        const double rate = ci->region == region ? 120 : global ? 40 : 0;
        if (rate > 0) {
            out.push_back(
                {SourceKind::kCiRun, true, static_cast<uint32_t>(ci - plan.ci_runs.begin()), rate});
        }
    }

    // Machines.
    out.push_back({SourceKind::kConfig, false, 0, 1.5 * acct.weight});
    out.push_back({SourceKind::kSecurityHub, false, 0, 0.4});
    out.push_back({SourceKind::kAccessAnalyzer, false, 0, 0.25});
    const double business = kBusinessCurve[static_cast<int>(LocalHour(t0, -4))];
    uint32_t workloads_here = 0;
    for (size_t i = 0; i < acct.workloads.size(); ++i) {
        const Workload& w = acct.workloads[i];
        if (w.region != region) continue;
        ++workloads_here;
        out.push_back({SourceKind::kWorkload, false, static_cast<uint32_t>(i),
                       w.lambda ? 1.5 * business : 1.3});
    }
    if (workloads_here > 0) {
        out.push_back({SourceKind::kServiceAssume, false, 0, 0.08 * workloads_here});
    }
    if (region == acct.primary_region) {
        for (size_t i = 0; i < acct.iam_users.size(); ++i) {
            const IamUser& u = acct.iam_users[i];
            if (t0 >= u.active_until) continue;
            double rate;
            if (u.nightly) {
                const double h = LocalHour(t0, 0);
                rate = h >= 5 && h < 6 ? 15 : 0.05;
            } else if (u.owner >= 0) {
                const int off = org.users[static_cast<size_t>(u.owner)].utc_offset_hours;
                const double h = LocalHour(t0, off);
                rate = !IsWeekend(t0, off) && h >= 9 && h < 18 ? 1.0 : 0;
            } else {
                rate = u.weight * 3;
            }
            if (rate > 0) {
                out.push_back({SourceKind::kIamUser, u.owner >= 0, static_cast<uint32_t>(i), rate});
            }
        }
    }
}

Plan NewPlan(const OrgOptions& org_options, const PlanOptions& options) {
    Plan plan;
    plan.options = options;
    plan.org = BuildOrg(org_options, options.seed);
    plan.org.home_region = plan.org.global_region;  // Identity Center lives in us-east-1
    plan.windows = options.days * static_cast<uint32_t>(kDayMs / kWindowMs);
    Rng rng(Mix(options.seed, HashName("plan")));
    plan.ci_runner_ip = "54." + std::to_string(160 + rng.Below(40)) + "." +
                        std::to_string(rng.Below(256)) + "." + std::to_string(1 + rng.Below(254));
    return plan;
}

void PlanPeople(Plan& plan) {
    const PlanOptions& options = plan.options;
    Org& org = plan.org;
    const TimeMs begin = options.start + 2 * 60 * 1000;
    const TimeMs end = plan.End() - 2 * 60 * 1000;

    // ---- people
    for (uint32_t u = 0; u < org.users.size(); ++u) {
        const User& user = org.users[u];
        Rng ur(Mix(options.seed, HashName("user-days"), u));
        for (uint32_t d = 0; d < options.days; ++d) {
            const TimeMs day = options.start + static_cast<TimeMs>(d) * kDayMs;
            const bool weekend = IsWeekend(day + 12 * kHourMs, user.utc_offset_hours);
            if (!ur.Chance(weekend ? 0.08 : 0.85)) continue;
            const uint32_t k = 1 + ur.Below(3);
            TimeMs next_free = 0;
            for (uint32_t i = 0; i < k; ++i) {
                HumanSession s;
                s.user = u;
                const double local_start = 8.5 + ur.Unit() * 9.0;
                s.start = day + static_cast<TimeMs>((local_start - user.utc_offset_hours) *
                                                    static_cast<double>(kHourMs));
                s.start = std::max(s.start, next_free);
                s.end = s.start + (15 + ur.Below(150)) * 60 * 1000;
                next_free = s.end + 10 * 60 * 1000;
                std::vector<double> weights;
                for (const auto& a : user.assignments) weights.push_back(a.weight);
                const Assignment& as = user.assignments[ur.Weighted<double>(weights)];
                s.account = as.account;
                s.permission_set = as.permission_set;
                const Account& acct = org.accounts[s.account];
                s.region = acct.primary_region;
                if (acct.kind != AccountKind::kManagement && ur.Chance(0.15)) {
                    s.region = ur.Below(static_cast<uint32_t>(org.regions.size()));
                }
                s.console = !ur.Chance(user.cli_share);
                s.from_office = !weekend && ur.Chance(0.6);
                s.seed = ur.Next();
                if (s.start < begin || s.end > end || s.start >= user.active_until) continue;
                s.end = std::min(s.end, user.active_until);
                plan.sessions.push_back(s);
            }
        }
    }
    // The first session of a user's day signs in to the portal.
    std::sort(plan.sessions.begin(), plan.sessions.end(),
              [](const HumanSession& a, const HumanSession& b) {
                  return std::tie(a.user, a.start) < std::tie(b.user, b.start);
              });
    for (size_t i = 0; i < plan.sessions.size(); ++i) {
        HumanSession& s = plan.sessions[i];
        s.first_of_day = i == 0 || plan.sessions[i - 1].user != s.user ||
                         (plan.sessions[i - 1].start - options.start) / kDayMs !=
                             (s.start - options.start) / kDayMs;
    }
    std::sort(plan.sessions.begin(), plan.sessions.end(),
              [](const HumanSession& a, const HumanSession& b) {
                  return std::tie(a.account, a.start, a.user) <
                         std::tie(b.account, b.start, b.user);
              });

    // ---- CI: Terraform runs from the shared-services runner
    if (org.shared_services != 0) {
        for (uint32_t a = 0; a < org.accounts.size(); ++a) {
            const Account& acct = org.accounts[a];
            if (acct.ci_role_name.empty() || a == org.shared_services) continue;
            Rng cr(Mix(options.seed, HashName("ci"), a));
            for (uint32_t d = 0; d < options.days; ++d) {
                const TimeMs day = options.start + static_cast<TimeMs>(d) * kDayMs;
                std::vector<TimeMs> starts;
                starts.push_back(day + 2 * kHourMs + cr.Below(30) * 60 * 1000);  // drift check
                if (!IsWeekend(day + 12 * kHourMs, -4)) {
                    const uint32_t merges = 1 + cr.Below(4);
                    for (uint32_t i = 0; i < merges; ++i) {
                        starts.push_back(day + 13 * kHourMs + cr.Below(9 * 60) * 60 * 1000);
                    }
                }
                std::sort(starts.begin(), starts.end());
                for (TimeMs st : starts) {
                    CiRun r;
                    r.account = a;
                    r.region = acct.primary_region;
                    r.start = st;
                    r.end = st + (2 + cr.Below(6)) * 60 * 1000;
                    r.seed = cr.Next();
                    if (r.start < begin || r.end > end) continue;
                    plan.ci_runs.push_back(r);
                }
            }
        }
        std::sort(plan.ci_runs.begin(), plan.ci_runs.end(), [](const CiRun& a, const CiRun& b) {
            return std::tie(a.account, a.start) < std::tie(b.account, b.start);
        });
    }

    // ---- per-account index
    const uint32_t accounts = static_cast<uint32_t>(org.accounts.size());
    plan.session_begin.assign(accounts + 1, 0);
    plan.ci_begin.assign(accounts + 1, 0);
    for (const auto& s : plan.sessions) ++plan.session_begin[s.account + 1];
    for (const auto& r : plan.ci_runs) ++plan.ci_begin[r.account + 1];
    for (uint32_t a = 0; a < accounts; ++a) {
        plan.session_begin[a + 1] += plan.session_begin[a];
        plan.ci_begin[a + 1] += plan.ci_begin[a];
    }

    // ---- planned records of sessions and runs
    const uint32_t idc_slot = plan.Slot(0, org.home_region);
    for (uint32_t i = 0; i < plan.sessions.size(); ++i) {
        const HumanSession& s = plan.sessions[i];
        if (s.first_of_day) {
            const uint8_t first = org.external_idp ? kUserAuthentication : 0;
            for (uint8_t step = first; step < std::size(kSignInOffsetS); ++step) {
                plan.items.push_back(
                    {s.start - kSignInOffsetS[step] * 1000, idc_slot, ItemKind::kSignIn, step, i});
            }
        }
        plan.items.push_back({s.start - 4000, idc_slot, ItemKind::kRoleCredentials, 0, i});
        plan.items.push_back(
            {s.start - 3000, plan.Slot(s.account, org.home_region), ItemKind::kSamlAssume, 0, i});
        if (s.console) {
            plan.items.push_back({s.start - 1000, plan.Slot(s.account, org.global_region),
                                  ItemKind::kConsoleLogin, 0, i});
        }
    }
    // ---- the external IdP's routine SCIM updates (a title, a phone number) on working days
    if (org.external_idp && !org.users.empty()) {
        Rng sr(Mix(options.seed, HashName("scim-sync")));
        const auto users = static_cast<uint32_t>(org.users.size());
        for (uint32_t d = 0; d < options.days; ++d) {
            const TimeMs day = options.start + static_cast<TimeMs>(d) * kDayMs;
            if (IsWeekend(day + 12 * kHourMs, -4)) continue;
            const uint32_t n = sr.Below(3);
            for (uint32_t k = 0; k < n; ++k) {
                const TimeMs t = day + 13 * kHourMs + sr.Below(8 * 3600) * 1000LL;
                const uint32_t user = sr.Below(users);
                const auto path = static_cast<uint8_t>(
                    sr.Below(static_cast<uint32_t>(std::size(kScimUpdatePaths))));
                if (t >= org.users[user].active_until || t < begin || t >= end) continue;
                plan.items.push_back({t, idc_slot, ItemKind::kScimUpdate, path, user});
            }
        }
    }
    for (uint32_t i = 0; i < plan.ci_runs.size(); ++i) {
        const CiRun& r = plan.ci_runs[i];
        plan.items.push_back(
            {r.start - 2000, plan.Slot(r.account, r.region), ItemKind::kCiAssumeTarget, 0, i});
        plan.items.push_back({r.start - 2000, plan.Slot(org.shared_services, r.region),
                              ItemKind::kCiAssumeSource, 0, i});
    }
}

void FinishPlan(Plan& plan) {
    std::sort(plan.items.begin(), plan.items.end(), [](const PlanItem& a, const PlanItem& b) {
        return std::tie(a.slot, a.time, a.kind, a.ref, a.step) <
               std::tie(b.slot, b.time, b.kind, b.ref, b.step);
    });
    std::stable_sort(plan.labels.begin(), plan.labels.end(),
                     [](const Label& a, const Label& b) { return a.time < b.time; });
    // Calibration: people and CI keep their natural pace; machines fill the rest of the
    // requested volume. When even people exceed it, everything is scaled down.
    double human = 0, machine = 0;
    std::vector<Source> sources;
    const uint32_t accounts = static_cast<uint32_t>(plan.org.accounts.size());
    const uint32_t regions = static_cast<uint32_t>(plan.org.regions.size());
    for (uint32_t a = 0; a < accounts; ++a) {
        for (uint32_t r = 0; r < regions; ++r) {
            for (uint32_t w = 0; w < plan.windows; ++w) {
                CollectSources(plan, a, r, w, sources);
                for (const Source& s : sources) (s.human ? human : machine) += s.rate;
            }
        }
    }
    const double target =
        static_cast<double>(plan.options.events_per_day) * static_cast<double>(plan.options.days) -
        static_cast<double>(plan.items.size());
    if (target <= 0 || human + machine <= 0) {
        plan.human_scale = plan.machine_scale = 0;
    } else if (target <= human + machine * 0.2) {
        plan.human_scale = plan.machine_scale = target / (human + machine);
    } else {
        plan.human_scale = 1;
        plan.machine_scale = machine > 0 ? (target - human) / machine : 0;
    }
}

}  // namespace tw::simulate
