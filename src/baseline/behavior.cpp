#include "baseline/behavior.h"

#include <algorithm>
#include <array>
#include <climits>
#include <iterator>
#include <map>
#include <set>
#include <unordered_map>

#include "baseline/behavior_internal.h"
#include "baseline/principal.h"
#include "core/strings.h"
#include "event/context.h"

namespace tw::baseline {

using event::EventView;
using event::FieldCatalog;
using event::FieldId;
using findings::Finding;
using findings::Severity;

void RequestBehaviorFields(FieldCatalog& catalog) {
    RequestPrincipalFields(catalog);
    // What Observe reads besides: time, id, call, where from, account, key, failure.
    for (FieldId id :
         {event::kEventTime, event::kEventId, event::kEventName, event::kEventSource,
          event::kAwsRegion, event::kSourceIp, event::kUserAgent, event::kRecipientAccountId,
          event::kUidAccountId, event::kUidAccessKeyId, event::kErrorCode}) {
        catalog.Request(id);
    }
    catalog.Intern("requestParameters.userName");
    catalog.Intern("requestParameters.accessKeyId");
    catalog.Intern("requestParameters.status");
    catalog.Intern("requestParameters.principalId");
    catalog.Intern("requestParameters.principalType");
    catalog.Intern("requestParameters.userId");
}

BehaviorCollector::BehaviorCollector(const FieldCatalog& catalog, BehaviorOptions options,
                                     bool baseline)
    : s_(std::make_unique<State>()) {
    s_->opt = options;
    s_->baseline = baseline;
    s_->f_user_name = catalog.Find("requestParameters.userName");
    s_->f_key_id = catalog.Find("requestParameters.accessKeyId");
    s_->f_status = catalog.Find("requestParameters.status");
    s_->f_principal_id = catalog.Find("requestParameters.principalId");
    s_->f_principal_type = catalog.Find("requestParameters.principalType");
    s_->f_user_id = catalog.Find("requestParameters.userId");
}

BehaviorCollector::~BehaviorCollector() = default;
BehaviorCollector::BehaviorCollector(BehaviorCollector&&) noexcept = default;
BehaviorCollector& BehaviorCollector::operator=(BehaviorCollector&&) noexcept = default;

bool IsSensitiveCall(std::string_view source, std::string_view name) {
    static const std::set<std::string_view> kSources = {"iam.amazonaws.com",
                                                        "sts.amazonaws.com",
                                                        "sso.amazonaws.com",
                                                        "sso-directory.amazonaws.com",
                                                        "identitystore.amazonaws.com",
                                                        "cloudtrail.amazonaws.com",
                                                        "guardduty.amazonaws.com",
                                                        "config.amazonaws.com",
                                                        "securityhub.amazonaws.com",
                                                        "organizations.amazonaws.com",
                                                        "kms.amazonaws.com",
                                                        "rolesanywhere.amazonaws.com",
                                                        "access-analyzer.amazonaws.com"};
    static const std::set<std::string_view> kAlways = {"BatchGetSecretValue",
                                                       "GetPasswordData",
                                                       "GetFederationToken",
                                                       "SendCommand",
                                                       "StartSession",
                                                       "SendSSHPublicKey",
                                                       "PutBucketPolicy",
                                                       "PutBucketLifecycle",
                                                       "ModifySnapshotAttribute",
                                                       "ModifyImageAttribute",
                                                       "AuthorizeSecurityGroupIngress"};
    // Signing in is what every person does; what they do after is what matters.
    static const std::set<std::string_view> kSignIn = {"ConsoleLogin",
                                                       "CredentialChallenge",
                                                       "CredentialVerification",
                                                       "UserAuthentication",
                                                       "Authenticate",
                                                       "Federate",
                                                       "GetRoleCredentials",
                                                       "Logout",
                                                       "CheckMfa",
                                                       "GetSigninToken"};
    if (kAlways.count(name) != 0) return true;
    if (kSources.count(source) == 0 || kSignIn.count(name) != 0) return false;
    for (std::string_view ro : {"Get", "List", "Describe", "Lookup", "Head", "Search"}) {
        if (name.starts_with(ro)) return false;
    }
    return !name.starts_with("AssumeRole") && name != "Decrypt" && name != "GenerateDataKey" &&
           name != "Encrypt";
}

std::string_view UserAgentFamily(std::string_view ua) {
    ua = Trim(ua);
    if (ua.size() > 2 && ua.front() == '[') ua.remove_prefix(1);
    const size_t end = ua.find_first_of("/ ;()[]");
    return ua.substr(0, end);
}

std::string NetworkOf(std::string_view ip) {
    int dots = 0;
    bool digits = !ip.empty();
    for (char c : ip) {
        if (c == '.')
            ++dots;
        else if (c < '0' || c > '9')
            digits = false;
    }
    if (digits && dots == 3) return std::string(ip.substr(0, ip.rfind('.'))) + ".0/24";
    if (ip.find(':') != std::string_view::npos) {
        size_t pos = 0;
        for (int i = 0; i < 3 && pos != std::string_view::npos; ++i) {
            pos = ip.find(':', pos == 0 && i == 0 ? 0 : pos + 1);
        }
        if (pos != std::string_view::npos) return std::string(ip.substr(0, pos)) + "::/48";
    }
    return std::string(ip);
}

namespace {

constexpr uint32_t kNoContext = UINT32_MAX;

// Looks up what the event's context fixes: its principal and the sightings it updates.
// Bounds a principal's account set by keeping its `max` smallest ids: the same set whatever the
// order the events and the workers arrive in.
void KeepSmallest(std::set<std::string, std::less<>>& accounts, size_t max) {
    while (accounts.size() > max) accounts.erase(std::prev(accounts.end()));
}

// Looks up the sightings of the context's address, network, client and region for `p`, for an
// event at (t, id).
void LookUpAttrs(BehaviorCollector::State& s, const EventView& ev, ContextState& c, Principal& p,
                 TimeMs t, std::string_view id) {
    c.refused = 0;
    const std::string_view ip = ev.Str(event::kSourceIp);
    c.attrs[kIp] = s.Find(p, kIp, ip, t, id, &c.refused);
    c.attrs[kNet] = s.Find(p, kNet, NetworkOf(ip), t, id, &c.refused);
    c.attrs[kUa] = s.Find(p, kUa, UserAgentFamily(ev.Str(event::kUserAgent)), t, id, &c.refused);
    c.attrs[kRegion] = s.Find(p, kRegion, ev.Str(event::kAwsRegion), t, id, &c.refused);
    c.evictions = p.evictions;
}

void Prepare(BehaviorCollector::State& s, const EventView& ev, ContextState& c, TimeMs t,
             std::string_view id) {
    c.ready = true;
    PrincipalKey(ev, s.key_buf);
    if (s.key_buf.empty()) return;
    auto it = s.principals.find(s.key_buf);
    if (it == s.principals.end()) {
        if (s.principals.size() >= s.opt.max_principals) {
            c.untracked = true;
            return;
        }
        it = s.principals.emplace(s.key_buf, Principal{}).first;
    }
    Principal& p = it->second;
    c.principal = &p;
    const std::string net = NetworkOf(ev.Str(event::kSourceIp));
    if (!net.empty()) c.org_net = &s.org_nets[net];
    LookUpAttrs(s, ev, c, p, t, id);
    const std::string_view account = ev.account();
    if (!account.empty() && p.accounts.find(account) == p.accounts.end()) {
        p.accounts.emplace(account);
        KeepSmallest(p.accounts, s.opt.max_values);
    }
}

// IsSensitiveCall, remembered per call.
bool Sensitive(BehaviorCollector::State& s, std::string_view source, std::string_view name) {
    const uint64_t h = event::FastHash(name) ^ (source.size() * 0x9E3779B97F4A7C15ULL);
    BehaviorCollector::State::CallMemo& m = s.sensitive[(h ^ (h >> 29)) % s.sensitive.size()];
    if (m.name != name || m.source != source) {
        m.name.assign(name);
        m.source.assign(source);
        m.sensitive = IsSensitiveCall(source, name);
    }
    return m.sensitive;
}

}  // namespace

void BehaviorCollector::Observe(const EventView& ev) { Observe(ev, kNoContext); }

void BehaviorCollector::Observe(const EventView& ev, uint32_t context) {
    State& s = *s_;
    const TimeMs t = ev.time();
    if (!s.baseline && t != 0) {
        if (s.first == 0 || t < s.first) s.first = t;
        if (t > s.last) s.last = t;
    }
    const TimeMs when = s.baseline ? kKnown : t;
    const std::string_view id = ev.Str(event::kEventId);
    const std::string_view name = ev.Str(event::kEventName);
    const std::string_view source = ev.Str(event::kEventSource);

    // Offboarding events name their target in the request.
    if (!ev.failed() && !s.baseline) {
        std::string target;
        std::string_view action = name;
        const std::string_view account = ev.account();
        if (source == "iam.amazonaws.com") {
            const std::string_view user = ev.Str(s.f_user_name);
            const std::string_view key = ev.Str(s.f_key_id);
            if ((name == "DeleteAccessKey" ||
                 (name == "UpdateAccessKey" && ev.Str(s.f_status) == "Inactive")) &&
                !key.empty()) {
                target = "key:" + std::string(key);
            } else if (!user.empty() &&
                       (name == "DeleteLoginProfile" || name == "DeleteUser" ||
                        name == "RemoveUserFromGroup" || name == "DetachUserPolicy" ||
                        name == "DeleteUserPolicy" || name == "DeactivateMFADevice")) {
                target = "arn:aws:iam::" + std::string(account) + ":user/" + std::string(user);
            }
        } else if (source == "sso.amazonaws.com" && name == "DeleteAccountAssignment" &&
                   ev.Str(s.f_principal_type) == "USER") {
            target = "idc:" + std::string(ev.Str(s.f_principal_id));
        } else if ((source == "sso-directory.amazonaws.com" ||
                    source == "identitystore.amazonaws.com") &&
                   (name == "DeleteUser" || name == "DisableUser")) {
            target = "idc:" + std::string(ev.Str(s.f_user_id));
        }
        if (!target.empty() && target.back() != ':') {
            s.offboarded[target].push_back(
                {t, std::string(id), std::string(action), std::string(ev.actor_arn())});
        }
    }

    ContextState fresh;
    ContextState* c = &fresh;
    if (context != kNoContext) {
        if (context >= s.contexts.size()) s.contexts.resize(context + 1);
        c = &s.contexts[context];
    }
    if (!c->ready) Prepare(s, ev, *c, when, id);
    if (c->principal == nullptr) {
        if (c->untracked) ++s.untracked;
        return;
    }
    Principal& p = *c->principal;
    // Earlier values took the place of one this context pointed to, or one of its own values
    // was refused and this event is earlier than the latest value kept: look them up again.
    bool again = c->evictions != p.evictions;
    for (int a = 0; a < kApi && !again && c->refused != 0; ++a) {
        const Sighting& bound = p.latest_bound[a];
        again = (c->refused >> a & 1) != 0 && (bound.time == INT64_MAX || Earlier(when, id, bound));
    }
    if (again) LookUpAttrs(s, ev, *c, p, when, id);
    ++p.events;
    if (s.baseline) p.known = true;
    // The principal is named by its earliest event, whatever the order of the files.
    if (Earlier(when, id, p.first, p.first_event)) {
        p.first = when;
        p.first_event = std::string(id);
        p.arn = std::string(ev.actor_arn());
        p.type = std::string(ev.Str(event::kUidType));
        p.user_name = std::string(ev.Str(event::kUidUserName));
    }
    for (Sighting* sight : c->attrs) State::Update(sight, when, id);
    State::Update(c->org_net, when, id);
    if (Sensitive(s, source, name)) s.See(p, kApi, name, when, id);
    if (!s.baseline) {
        const std::string_view key = ev.access_key_id();
        p.earliest.Offer(t, id, name, key, s.opt.earliest_events, true);
        p.latest.Offer(t, id, name, key, s.opt.latest_events, false);
    }
}

void BehaviorCollector::Merge(BehaviorCollector&& other) {
    State& s = *s_;
    State& o = *other.s_;
    if (o.first != 0 && (s.first == 0 || o.first < s.first)) s.first = o.first;
    s.last = std::max(s.last, o.last);
    s.untracked += o.untracked;
    for (auto& [net, sight] : o.org_nets) {
        auto& mine = s.org_nets[net];
        if (Earlier(sight.time, sight.event_id, mine)) mine = std::move(sight);
    }
    for (auto& [target, events] : o.offboarded) {
        auto& mine = s.offboarded[target];
        mine.insert(mine.end(), events.begin(), events.end());
    }
    for (auto& [key, op] : o.principals) {
        auto it = s.principals.find(key);
        if (it == s.principals.end()) {
            if (s.principals.size() >= s.opt.max_principals) {
                s.untracked += op.events;
                continue;
            }
            s.principals.emplace(key, std::move(op));
            continue;
        }
        Principal& p = it->second;
        p.events += op.events;
        p.known = p.known || op.known;
        if (Earlier(op.first, op.first_event, p.first, p.first_event)) {
            p.first = op.first;
            p.first_event = op.first_event;
            p.arn = op.arn;
            p.type = op.type;
            p.user_name = op.user_name;
        }
        for (int a = 0; a < kAttrCount; ++a) {
            // Each side kept its earliest values: the earliest of the union are those of all.
            for (auto& [value, sight] : op.attrs[a]) {
                auto vit = p.attrs[a].find(value);
                if (vit == p.attrs[a].end()) {
                    p.attrs[a].emplace(value, sight);
                } else if (Earlier(sight.time, sight.event_id, vit->second)) {
                    vit->second = sight;
                }
            }
            s.KeepEarliest(p.attrs[a]);
            p.latest_bound[a] = Sighting{};
            if (a != kApi) ++p.evictions;  // contexts of this collector must look up again
        }
        p.accounts.insert(op.accounts.begin(), op.accounts.end());
        KeepSmallest(p.accounts, s.opt.max_values);
        for (const EventRef& ref : op.earliest) p.earliest.Offer(ref, s.opt.earliest_events, true);
        for (const EventRef& ref : op.latest) p.latest.Offer(ref, s.opt.latest_events, false);
    }
    o.principals.clear();
}

TimeMs BehaviorCollector::first_time() const { return s_->first; }
TimeMs BehaviorCollector::last_time() const { return s_->last; }
uint64_t BehaviorCollector::untracked_events() const { return s_->untracked; }

TimeMs BehaviorCollector::DefaultLearningEnd() const {
    const TimeMs span = s_->last - s_->first;
    return span < 21 * kDay ? s_->first + span / 3 : s_->first + 7 * kDay;
}

}  // namespace tw::baseline
