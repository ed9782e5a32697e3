// Scenario registry, dispatch and the Emitter.
#include "simulate/scenarios.h"

#include <algorithm>

namespace tw::simulate {

namespace {

constexpr ScenarioInfo kScenarios[] = {
    {"idp-takeover", "attack",
     "an actor who controls the org's external IdP creates a user there in the admins' group "
     "(SCIM provisions it), signs in, reduces CloudTrail logging, creates a user, group and "
     "12-hour admin permission set, assigns it to member accounts, adds a SAML provider and "
     "role, mints an access key and a federation token, and signs in to the console (seed "
     "document 002); variant idp-takeover-admin (not in 'all'): the same steps signed in as an "
     "existing admin whose IdP account the actor controls"},
    {"logging-tamper", "attack",
     "a leaked key in a member account reads the trail setup, reduces event selectors, stops "
     "and deletes trails and puts a 1-day expiration on the log bucket"},
    {"insider-return", "attack",
     "a developer is offboarded (Identity Center user deleted, console password removed) but "
     "an old IAM access key is forgotten; weeks of silence later it is used again"},
    {"social-engineering-change", "attack",
     "after an \"urgent\" call, a support engineer opens SSH and RDP to 0.0.0.0/0 and creates "
     "an access key for the caller at night, outside any change window; the key is used"},
    {"benign-admin", "benign",
     "the usual admin, from the office during working hours, adds a permission set for a new "
     "team, assigns it, onboards a new hire and adds data events to a trail"},
};

// Named only explicitly (not part of `all`).
constexpr ScenarioInfo kVariants[] = {
    {"idp-takeover-admin", "attack",
     "idp-takeover's steps, signed in as an existing Identity Center admin whose IdP account "
     "the actor controls (the admin's own sessions are the same principal)"},
};

bool Enabled(const Plan& plan, std::string_view name) {
    const auto& s = plan.options.scenarios;
    return std::find(s.begin(), s.end(), name) != s.end();
}

}  // namespace

std::span<const ScenarioInfo> Scenarios() { return kScenarios; }

const ScenarioInfo* FindScenario(std::string_view name) {
    for (const auto& s : kScenarios) {
        if (s.name == name) return &s;
    }
    for (const auto& s : kVariants) {
        if (s.name == name) return &s;
    }
    return nullptr;
}

void PrepareScenarios(Plan& plan) {
    if (Enabled(plan, "idp-takeover") || Enabled(plan, "idp-takeover-admin")) {
        PrepareIdpTakeover(plan);
    }
    if (Enabled(plan, "insider-return")) PrepareInsiderReturn(plan);
}

void EmitScenarios(Plan& plan) {
    if (Enabled(plan, "idp-takeover")) EmitIdpTakeover(plan);
    if (Enabled(plan, "idp-takeover-admin")) EmitIdpTakeoverAdmin(plan);
    if (Enabled(plan, "logging-tamper")) EmitLoggingTamper(plan);
    if (Enabled(plan, "insider-return")) EmitInsiderReturn(plan);
    if (Enabled(plan, "social-engineering-change")) EmitSocialEngineeringChange(plan);
    if (Enabled(plan, "benign-admin")) EmitBenignAdmin(plan);
}

TimeMs ScenarioTime(const Plan& plan, double fraction, int utc_hour, int minute) {
    const uint32_t days = plan.options.days;
    const uint32_t day = std::min<uint32_t>(days - 1, static_cast<uint32_t>(fraction * days));
    return plan.options.start + static_cast<TimeMs>(day) * kDayMs + utc_hour * kHourMs +
           minute * 60 * 1000;
}

Emitter::Emitter(Plan& plan, std::string_view scenario, std::string_view label, std::string actor)
    : plan_(plan),
      scenario_(scenario),
      label_(label),
      actor_(std::move(actor)),
      rng_(Mix(plan.options.seed, HashName("scenario"), HashName(scenario))) {}

std::string Emitter::Emit(Call c, uint32_t account, const std::function<void(JsonBuf&)>& body,
                          std::string_view principal) {
    if (c.recipient.empty()) c.recipient = plan_.org.accounts[account].id;
    return EmitRecord(
        c.time, account, c.region, c.source, c.name,
        [&](JsonBuf& b, std::string_view event_id) {
            c.event_id = event_id;
            BeginRecord(b, c);
            body(b);
            EndRecord(b, c, rng_);
        },
        principal);
}

std::string Emitter::EmitRecord(TimeMs t, uint32_t account, std::string_view region,
                                std::string_view source, std::string_view name,
                                const std::function<void(JsonBuf&, std::string_view)>& write,
                                std::string_view principal) {
    const Org& org = plan_.org;
    const std::string event_id = Uuid(rng_);
    buf_.Clear();
    write(buf_, event_id);
    uint32_t r = 0;
    for (uint32_t i = 0; i < org.regions.size(); ++i) {
        if (org.regions[i] == region) r = i;
    }
    plan_.items.push_back({t, plan_.Slot(account, r), ItemKind::kRecord, 0,
                           static_cast<uint32_t>(plan_.records.size())});
    plan_.records.emplace_back(buf_.view());
    Label l;
    l.event_id = event_id;
    l.scenario = scenario_;
    l.step = step_;
    l.technique = technique_;
    l.actor = actor_;
    l.label = label_;
    if (source.ends_with(".amazonaws.com")) source.remove_suffix(14);
    l.event = std::string(source) + ":" + std::string(name);
    l.account = org.accounts[account].id;
    l.region = std::string(region);
    l.principal = std::string(principal);
    l.time = t;
    plan_.labels.push_back(std::move(l));
    return event_id;
}

}  // namespace tw::simulate
