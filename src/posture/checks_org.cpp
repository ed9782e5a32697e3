// Checks over trails, identity providers and service control policies.
#include <simdjson.h>

#include <algorithm>
#include <set>

#include "posture/checks.h"
#include "posture/finding_builder.h"

namespace tw::posture {

namespace {

bool Contains(const std::vector<std::string>& v, std::string_view s) {
    return std::find(v.begin(), v.end(), s) != v.end();
}

const EventSelectors* SelectorsFor(const Trail& t, const std::vector<EventSelectors>& all) {
    for (const EventSelectors& es : all) {
        if (!es.trail_arn.empty() && (es.trail_arn == t.arn || es.trail_arn == t.name)) return &es;
    }
    return nullptr;
}

std::string Join(const std::vector<std::string>& v, std::string_view sep) {
    std::string out;
    for (const std::string& s : v) {
        if (!out.empty()) out += sep;
        out += s;
    }
    return out;
}

}  // namespace

ManagementCoverage CoverageOf(const EventSelectors& es) {
    bool reads_any = false, writes_any = false, reads_full = false, writes_full = false;
    for (const BasicSelector& b : es.basic) {
        if (!b.include_management_events) continue;
        const bool r = b.read_write_type == "All" || b.read_write_type == "ReadOnly";
        const bool w = b.read_write_type == "All" || b.read_write_type == "WriteOnly";
        const bool full = b.exclude_management_event_sources.empty();
        reads_any = reads_any || r;
        writes_any = writes_any || w;
        reads_full = reads_full || (r && full);
        writes_full = writes_full || (w && full);
    }
    for (const AdvancedSelector& a : es.advanced) {
        bool management = false, restricted = false, r = true, w = true;
        for (const FieldSelector& f : a.fields) {
            if (f.field == "eventCategory") {
                management = Contains(f.equals, "Management");
            } else if (f.field == "readOnly") {
                if (!f.equals.empty()) {
                    r = Contains(f.equals, "true");
                    w = Contains(f.equals, "false");
                }
                if (Contains(f.not_equals, "true")) r = false;
                if (Contains(f.not_equals, "false")) w = false;
            } else {
                restricted = true;  // eventSource, eventName, ... narrow the selector
            }
        }
        if (!management) continue;
        reads_any = reads_any || r;
        writes_any = writes_any || w;
        reads_full = reads_full || (r && !restricted);
        writes_full = writes_full || (w && !restricted);
    }
    ManagementCoverage c;
    c.reads = reads_any;
    c.writes = writes_any;
    c.excludes_sources = (reads_any && !reads_full) || (writes_any && !writes_full);
    return c;
}

std::vector<findings::Finding> CheckTrailSecurity(const std::vector<Trail>& trails,
                                                  const std::vector<EventSelectors>& selectors,
                                                  const AuditOptions& o) {
    std::vector<findings::Finding> out;
    std::vector<std::string> compliant, unverified_names, accounts;
    for (const Trail& t : trails) {
        if (!t.account.empty() && !Contains(accounts, t.account)) accounts.push_back(t.account);
        std::vector<std::string> failures, unverified;
        if (!t.include_global_service_events) failures.push_back("no global service events");
        if (!t.multi_region) failures.push_back("not multi-region");
        if (!t.log_file_validation) failures.push_back("log file validation off");
        if (t.kms_key_id.empty()) failures.push_back("not encrypted with a KMS key");
        const EventSelectors* es = SelectorsFor(t, selectors);
        ManagementCoverage cov;
        if (es != nullptr) {
            cov = CoverageOf(*es);
        } else if (!t.has_custom_event_selectors) {
            cov = {true, true, false};  // the default selector: all management events
        } else {
            unverified.push_back(
                "management events (custom selectors; pass the output of aws cloudtrail "
                "get-event-selectors --trail-name " +
                t.name + " with --event-selectors)");
        }
        if (unverified.empty()) {
            if (!cov.reads && !cov.writes) {
                failures.push_back("no management events");
            } else if (!cov.reads) {
                failures.push_back("management read events not recorded");
            } else if (!cov.writes) {
                failures.push_back("management write events not recorded");
            }
            if (cov.excludes_sources) failures.push_back("some management events excluded");
        }
        if (failures.empty() && unverified.empty()) {
            compliant.push_back(t.name);
            continue;
        }
        if (failures.empty()) {
            unverified_names.push_back(t.name);
            continue;
        }
        auto f = MakeFinding(
            "posture.trail-security", o, t.account,
            "Trail " + t.name + " fails cloudtrail-security-trail-enabled: " + Join(failures, ", "),
            EvidenceBuilder()
                .Str("trail_arn", t.arn)
                .Str("home_region", t.home_region)
                .Bool("include_global_service_events", t.include_global_service_events)
                .Bool("multi_region", t.multi_region)
                .Bool("log_file_validation", t.log_file_validation)
                .Str("kms_key_id", t.kms_key_id)
                .Bool("management_reads", cov.reads)
                .Bool("management_writes", cov.writes)
                .Bool("management_sources_excluded", cov.excludes_sources)
                .List("failures", failures)
                .List("unverified", unverified)
                .Str("event_selectors_file", es != nullptr ? es->source : "")
                .Take());
        if (!t.home_region.empty()) f.regions.push_back(t.home_region);
        out.push_back(std::move(f));
    }
    if (compliant.empty()) {
        std::string summary = trails.empty()
                                  ? "No CloudTrail trail at all: no trail meets "
                                    "cloudtrail-security-trail-enabled"
                                  : "None of the " + std::to_string(trails.size()) +
                                        " trail(s) meets cloudtrail-security-trail-enabled";
        if (!unverified_names.empty()) {
            summary += " (" + Join(unverified_names, ", ") +
                       " could not be verified: custom event selectors not given)";
        }
        auto f = MakeFinding("posture.no-security-trail", o, "", summary,
                             EvidenceBuilder()
                                 .Int("trails", static_cast<int64_t>(trails.size()))
                                 .List("unverified", unverified_names)
                                 .Take());
        f.accounts = accounts;
        out.push_back(std::move(f));
    }
    return out;
}

std::vector<findings::Finding> CheckTrailLogging(const std::vector<Trail>& trails,
                                                 const std::vector<TrailStatus>& statuses,
                                                 const AuditOptions& o) {
    std::vector<findings::Finding> out;
    for (const TrailStatus& s : statuses) {
        const Trail* trail = nullptr;
        for (const Trail& t : trails) {
            if (t.name == s.trail || t.arn == s.trail) trail = &t;
        }
        const std::string name = trail != nullptr ? trail->name : s.trail;
        const std::string account = trail != nullptr ? trail->account : AccountOfArn(s.trail);
        std::string summary;
        if (!s.is_logging) {
            summary =
                "Trail " + name + " is not logging" +
                (s.stop_logging_time.empty() ? "" : " (stopped " + s.stop_logging_time + ")") +
                ": nothing it covered is recorded; start it and find who stopped it";
        } else if (!s.latest_delivery_error.empty()) {
            summary = "Trail " + name + " is logging but fails to deliver (" +
                      s.latest_delivery_error + "): its logs are not reaching the bucket";
        } else {
            continue;
        }
        auto f = MakeFinding("posture.trail-not-logging", o, account, summary,
                             EvidenceBuilder()
                                 .Str("trail", name)
                                 .Bool("is_logging", s.is_logging)
                                 .Str("latest_delivery_error", s.latest_delivery_error)
                                 .Str("stop_logging_time", s.stop_logging_time)
                                 .Str("trail_status_file", s.source)
                                 .Take());
        if (s.is_logging) f.severity = findings::Severity::kMedium;
        if (trail != nullptr && !trail->home_region.empty()) f.regions = {trail->home_region};
        out.push_back(std::move(f));
    }
    return out;
}

std::vector<findings::Finding> CheckIdentityProviders(
    const std::vector<IdentityProvider>& providers, const AuditOptions& o) {
    std::vector<findings::Finding> out;
    for (const IdentityProvider& p : providers) {
        const bool allowed =
            Contains(o.allowed_idps, p.arn) ||
            (!p.identity_store_id.empty() && Contains(o.allowed_idps, p.identity_store_id));
        if (allowed) continue;
        std::string what;
        switch (p.kind) {
            case ProviderKind::kSaml:
                what = "SAML provider ";
                break;
            case ProviderKind::kOidc:
                what = "OIDC provider ";
                break;
            case ProviderKind::kIdentityCenter:
                what = "IAM Identity Center instance ";
                break;
        }
        std::string summary = what + p.arn + " (account " + p.account +
                              (p.created.empty() ? "" : ", created " + p.created) + ")";
        summary += o.have_allowlist
                       ? " is not on the allowlist: if nobody you trust created it, remove it; "
                         "it can sign people in to your accounts"
                       : ": confirm you created it (give --allow-idp for the ones you did)";
        auto f = MakeFinding(o.have_allowlist ? "posture.idp-not-allowed" : "posture.idp-review", o,
                             p.account, summary,
                             EvidenceBuilder()
                                 .Str("kind", p.kind == ProviderKind::kSaml   ? "saml"
                                              : p.kind == ProviderKind::kOidc ? "oidc"
                                                                              : "identity-center")
                                 .Str("arn", p.arn)
                                 .Str("identity_store_id", p.identity_store_id)
                                 .Str("created", p.created)
                                 .List("allowlist", o.allowed_idps)
                                 .Take());
        out.push_back(std::move(f));
    }
    return out;
}

namespace {

struct Protection {
    const char* area;
    std::vector<std::string> actions;
    std::vector<std::string> trailwarden_names;  // SCP names `contain` gives its policies
    const char* mitre;
};

const std::vector<Protection>& Protections() {
    static const std::vector<Protection> kAreas = {
        {"CloudTrail",
         {"cloudtrail:StopLogging", "cloudtrail:DeleteTrail", "cloudtrail:UpdateTrail",
          "cloudtrail:PutEventSelectors"},
         {"trailwarden-protect-logging", "trailwarden-deny-all"},
         "T1562.008"},
        {"GuardDuty",
         {"guardduty:DeleteDetector", "guardduty:UpdateDetector",
          "guardduty:DisassociateFromMasterAccount"},
         {"trailwarden-protect-logging", "trailwarden-deny-all"},
         "T1562.001"},
        {"Config",
         {"config:StopConfigurationRecorder", "config:DeleteConfigurationRecorder",
          "config:DeleteDeliveryChannel"},
         {"trailwarden-protect-logging", "trailwarden-deny-all"},
         "T1562.001"},
        {"Security Hub",
         {"securityhub:DisableSecurityHub"},
         {"trailwarden-protect-logging", "trailwarden-deny-all"},
         "T1562.001"},
        {"new identity providers",
         {"iam:CreateSAMLProvider", "iam:CreateOpenIDConnectProvider", "sso:CreateInstance"},
         {"trailwarden-deny-new-idp", "trailwarden-deny-all"},
         "T1484.002"},
    };
    return kAreas;
}

// Actions of `content` denied by some Deny statement (Action patterns, or outside NotAction).
bool Denies(const simdjson::dom::element& root, std::string_view action) {
    simdjson::dom::element statements;
    if (root["Statement"].get(statements)) return false;
    std::vector<simdjson::dom::element> list;
    simdjson::dom::array arr;
    if (!statements.get_array().get(arr)) {
        for (simdjson::dom::element s : arr) list.push_back(s);
    } else {
        list.push_back(statements);
    }
    auto patterns = [](simdjson::dom::element v) {
        std::vector<std::string_view> out;
        std::string_view s;
        simdjson::dom::array a;
        if (!v.get_string().get(s)) {
            out.push_back(s);
        } else if (!v.get_array().get(a)) {
            for (simdjson::dom::element x : a) {
                if (!x.get_string().get(s)) out.push_back(s);
            }
        }
        return out;
    };
    for (simdjson::dom::element st : list) {
        std::string_view effect;
        if (st["Effect"].get_string().get(effect) || effect != "Deny") continue;
        simdjson::dom::element v;
        if (!st["Action"].get(v)) {
            for (std::string_view p : patterns(v)) {
                if (ActionMatches(p, action)) return true;
            }
        } else if (!st["NotAction"].get(v)) {
            bool excluded = false;
            for (std::string_view p : patterns(v)) excluded = excluded || ActionMatches(p, action);
            if (!excluded) return true;
        }
    }
    return false;
}

}  // namespace

std::vector<findings::Finding> CheckRootScps(const std::vector<OrgPolicy>& policies,
                                             const std::vector<PolicyTargets>& targets,
                                             const AuditOptions& o) {
    std::vector<findings::Finding> out;
    std::set<std::string> at_root;
    std::string management_account, root_id;
    for (const PolicyTargets& pt : targets) {
        for (const PolicyTarget& t : pt.targets) {
            if (t.type != "ROOT") continue;
            if (!pt.policy_id.empty()) at_root.insert(pt.policy_id);
            root_id = t.id;
            if (management_account.empty()) management_account = AccountOfArn(t.arn);
        }
    }
    if (management_account.empty()) {
        for (const OrgPolicy& p : policies) {
            if (management_account.empty()) management_account = AccountOfArn(p.arn);
        }
    }
    std::vector<std::string> root_names;
    for (const std::string& id : at_root) {
        const OrgPolicy* policy = nullptr;
        for (const OrgPolicy& p : policies) {
            if (p.id == id && (policy == nullptr || p.content)) policy = &p;
        }
        root_names.push_back(policy != nullptr ? id + " (" + policy->name + ")" : id);
    }
    for (const Protection& area : Protections()) {
        std::vector<std::string> missing;
        for (const std::string& action : area.actions) {
            bool denied = false;
            for (const std::string& id : at_root) {
                for (const OrgPolicy& p : policies) {
                    if (p.id != id) continue;
                    if (p.content) {
                        simdjson::dom::parser parser;
                        simdjson::dom::element root;
                        if (!parser.parse(*p.content).get(root) && Denies(root, action)) {
                            denied = true;
                        }
                    } else if (Contains(area.trailwarden_names, p.name)) {
                        denied = true;  // content not given: trust trailwarden's own names
                    }
                }
            }
            if (!denied) missing.push_back(action);
        }
        if (missing.empty()) continue;
        auto f = MakeFinding(
            "posture.scp-protection-missing", o, management_account,
            "No SCP at the organization root denies " + Join(missing, ", ") + " (" + area.area +
                "): attach one (trailwarden contain writes it); SCPs do not cover the "
                "management account itself",
            EvidenceBuilder()
                .Str("area", area.area)
                .List("missing_actions", missing)
                .Str("root_id", root_id)
                .List("policies_at_root", root_names)
                .Take());
        f.mitre = {area.mitre};
        out.push_back(std::move(f));
    }
    return out;
}

}  // namespace tw::posture
