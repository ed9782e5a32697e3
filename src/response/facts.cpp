#include "response/facts.h"

#include <simdjson.h>

#include <algorithm>
#include <array>
#include <fstream>

#include "core/strings.h"

namespace tw::response {

namespace {

bool AllDigits(std::string_view s, size_t n) {
    if (s.size() != n) return false;
    return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool IsAccessKeyId(std::string_view s) {
    if (s.size() != 20 || !(s.starts_with("AKIA") || s.starts_with("ASIA"))) return false;
    return std::all_of(s.begin(), s.end(),
                       [](char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); });
}

bool IsIdentityStoreId(std::string_view s) {
    if (s.size() != 12 || !s.starts_with("d-")) return false;
    return std::all_of(s.begin() + 2, s.end(),
                       [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

// The last segment of a dotted field path, lower case, without '_' and '-':
// "user_name", "userName" and "requestParameters.userName" all give "username".
std::string NormalizeKey(std::string_view k) {
    if (const size_t dot = k.rfind('.'); dot != std::string_view::npos) k.remove_prefix(dot + 1);
    std::string out;
    for (char c : k) {
        if (c != '_' && c != '-') out += AsciiLower(c);
    }
    return out;
}

bool KeyIn(std::string_view key, std::initializer_list<std::string_view> set) {
    return std::find(set.begin(), set.end(), key) != set.end();
}

constexpr std::string_view kSsoRolePrefix = "AWSReservedSSO_";

struct Walker {
    IncidentFacts& facts;
    std::string account_hint;              // the finding's account when it has exactly one
    std::vector<AccountName> users_named;  // IAM users named by this finding

    void AddIamUser(AccountName u) {
        users_named.push_back(u);
        facts.iam_users.insert(std::move(u));
    }

    void AddRole(const std::string& account, std::string_view path_and_name) {
        if (path_and_name.starts_with("aws-service-role/") ||
            path_and_name.starts_with("AWSServiceRoleFor")) {
            return;  // service-linked: SCPs do not bind them, their sessions cannot be revoked
        }
        const std::string name(path_and_name.substr(path_and_name.rfind('/') + 1));
        if (name.empty()) return;
        if (name.starts_with(kSsoRolePrefix)) {
            facts.sso_roles.insert({account, name});
        } else {
            facts.roles.insert({account, name});
        }
    }

    void AddAccessKey(std::string_view id, const AccountName& owner) {
        if (id.starts_with("ASIA")) {
            facts.temporary_keys.insert(std::string(id));
            return;
        }
        auto [it, inserted] = facts.static_keys.emplace(std::string(id), owner);
        if (!inserted && it->second.name.empty()) it->second = owner;
    }

    void Arn(std::string_view arn) {
        std::vector<std::string_view> p = Split(arn, ':');
        if (p.size() < 6 || p[0] != "arn") return;
        const std::string account(p[4]);
        // The resource is everything after the fifth ':' (it may itself contain ':').
        size_t cut = 0;
        for (int i = 0; i < 5; ++i) cut = arn.find(':', cut) + 1;
        const std::string_view resource = arn.substr(cut);
        const std::string_view service = p[2];
        if (AllDigits(account, 12)) facts.accounts.insert(account);
        if (service == "iam") {
            if (resource.starts_with("saml-provider/")) {
                facts.saml_providers.insert(std::string(arn));
            } else if (resource.starts_with("oidc-provider/")) {
                facts.oidc_providers.insert(std::string(arn));
            } else if (resource.starts_with("role/")) {
                AddRole(account, resource.substr(5));
            } else if (resource.starts_with("user/")) {
                AddIamUser({account, std::string(resource.substr(resource.rfind('/') + 1))});
            } else if (resource == "root") {
                facts.root_accounts.insert(account);
            }
        } else if (service == "sts") {
            if (resource.starts_with("assumed-role/")) {
                std::vector<std::string_view> r = Split(resource, '/');
                if (r.size() >= 2) AddRole(account, r[1]);
                if (r.size() >= 3 && r[1].starts_with(kSsoRolePrefix)) {
                    facts.identity_center_users.insert(std::string(r[2]));
                }
            } else if (resource.starts_with("federated-user/")) {
                facts.federated_users.insert(std::string(resource.substr(15)));
            }
        } else if (service == "sso") {
            if (resource.starts_with("instance/")) {
                facts.sso_instances.insert(std::string(arn));
            } else if (resource.starts_with("permissionSet/")) {
                facts.permission_sets.insert(std::string(arn));
            }
        } else if (service == "identitystore") {
            const size_t slash = resource.rfind('/');
            const std::string_view id =
                resource.substr(slash == std::string_view::npos ? 0 : slash + 1);
            if (IsIdentityStoreId(id)) facts.identity_store_ids.insert(std::string(id));
        }
    }

    void Value(std::string_view key, std::string_view v, bool identity_store,
               const AccountName& owner) {
        v = Trim(v);
        if (v.empty()) return;
        const std::string k = NormalizeKey(key);
        if (v.starts_with("arn:")) {
            Arn(v);
        } else if (IsAccessKeyId(v)) {
            AddAccessKey(v, owner);
        } else if (IsIdentityStoreId(v) || k == "identitystoreid") {
            facts.identity_store_ids.insert(std::string(v));
        } else if (KeyIn(k, {"targetaccounts", "targetaccount", "targetid", "accountid",
                             "accountids", "accounts", "account", "recipientaccountid",
                             "memberaccount", "memberaccounts"})) {
            if (AllDigits(v, 12)) facts.accounts.insert(std::string(v));
        } else if (KeyIn(k, {"username", "usernames", "iamuser", "iamusers", "iamusername",
                             "createduser", "targetuser", "user"})) {
            if (identity_store) {
                facts.identity_center_users.insert(std::string(v));
            } else {
                AddIamUser({account_hint, std::string(v)});
            }
        } else if (k == "userid" && identity_store) {
            facts.identity_center_users.insert(std::string(v));
        } else if (KeyIn(k, {"ssousername", "ssouser", "ssouserid", "identitycenteruser",
                             "identitycenterusername", "identitystoreuser", "identitystoreusername",
                             "identitystoreuserid"})) {
            facts.identity_center_users.insert(std::string(v));
        } else if (KeyIn(k, {"federateduser", "federatedusers", "federatedusername",
                             "federationname", "federatedname"})) {
            facts.federated_users.insert(std::string(v));
        } else if (KeyIn(k, {"rolename", "rolenames", "role"})) {
            AddRole(account_hint, v);
        }
    }

    static bool IsUserKey(std::string_view k) {
        return KeyIn(NormalizeKey(k), {"username", "iamuser", "iamusername", "user"});
    }

    void Walk(simdjson::dom::element e, std::string_view key, bool identity_store,
              const AccountName& owner) {
        using simdjson::dom::element_type;
        switch (e.type()) {
            case element_type::OBJECT: {
                const simdjson::dom::object obj = e.get_object().value_unsafe();
                // An object that names an event source or a user scopes its other fields.
                bool store = identity_store;
                AccountName local_owner = owner;
                bool user_principal = false;
                for (auto field : obj) {
                    const std::string k = NormalizeKey(field.key);
                    if (k == "identitystoreid") store = true;  // only Identity Center has one
                    std::string_view s;
                    if (field.value.get_string().get(s)) continue;
                    if (k == "eventsource") {
                        store = s.starts_with("sso-directory.") || s.starts_with("identitystore.");
                    } else if (k == "principaltype") {
                        user_principal = s == "USER";
                    }
                }
                if (user_principal) {
                    // An account assignment to an Identity Center user: its principalId.
                    for (auto field : obj) {
                        std::string_view s;
                        if (NormalizeKey(field.key) == "principalid" &&
                            !field.value.get_string().get(s) && !Trim(s).empty()) {
                            facts.identity_center_users.insert(std::string(Trim(s)));
                        }
                    }
                }
                for (auto field : obj) {
                    std::string_view s;
                    if (!store && IsUserKey(field.key) && !field.value.get_string().get(s) &&
                        !Trim(s).empty()) {
                        local_owner = {account_hint, std::string(Trim(s))};
                    }
                }
                for (auto field : obj) Walk(field.value, field.key, store, local_owner);
                break;
            }
            case element_type::ARRAY: {
                const simdjson::dom::array arr = e.get_array().value_unsafe();
                for (simdjson::dom::element x : arr) {
                    Walk(x, key, identity_store, owner);
                }
                break;
            }
            case element_type::STRING:
                Value(key, e.get_string().value(), identity_store, owner);
                break;
            default:
                break;
        }
    }

    // True when any key below `e` is an identity store id or an Identity Center directory
    // event source: the whole evidence then speaks of Identity Center users.
    static bool MentionsIdentityStore(simdjson::dom::element e) {
        using simdjson::dom::element_type;
        if (e.type() == element_type::ARRAY) {
            const simdjson::dom::array arr = e.get_array().value_unsafe();
            for (simdjson::dom::element x : arr) {
                if (MentionsIdentityStore(x)) return true;
            }
            return false;
        }
        if (e.type() != element_type::OBJECT) return false;
        const simdjson::dom::object obj = e.get_object().value_unsafe();
        for (auto field : obj) {
            const std::string k = NormalizeKey(field.key);
            std::string_view s;
            if (k == "identitystoreid") return true;
            if (k == "eventsource" && !field.value.get_string().get(s) &&
                (s.starts_with("sso-directory.") || s.starts_with("identitystore."))) {
                return true;
            }
            if (MentionsIdentityStore(field.value)) return true;
        }
        return false;
    }

    // ARNs and access key ids in free text (the summary).
    void Text(std::string_view text) {
        size_t i = 0;
        while (i < text.size()) {
            while (i < text.size() && std::string_view(" \t\n,;()[]{}\"'<>`").find(text[i]) !=
                                          std::string_view::npos) {
                ++i;
            }
            size_t j = i;
            while (j < text.size() && std::string_view(" \t\n,;()[]{}\"'<>`").find(text[j]) ==
                                          std::string_view::npos) {
                ++j;
            }
            std::string_view tok = text.substr(i, j - i);
            while (!tok.empty() && (tok.back() == '.' || tok.back() == ':')) tok.remove_suffix(1);
            if (tok.starts_with("arn:")) {
                Arn(tok);
            } else if (IsAccessKeyId(tok)) {
                AddAccessKey(tok, {});
            }
            i = j;
        }
    }
};

// Calls whose request names IAM users that hold (or held) static keys.
bool MintsCredentials(std::string_view event_name) {
    return event_name == "CreateAccessKey" || event_name == "GetFederationToken" ||
           event_name == "GetSessionToken";
}

void KeyOwnersHaveStaticKeys(IncidentFacts& facts) {
    for (const auto& [id, owner] : facts.static_keys) {
        if (!owner.name.empty()) facts.users_with_static_keys.insert(owner);
    }
}

void Widen(TimeMs t, TimeMs& first, TimeMs& last) {
    if (t == 0) return;
    if (first == 0 || t < first) first = t;
    if (last == 0 || t > last) last = t;
}

}  // namespace

std::string ArnAccount(std::string_view arn) {
    std::vector<std::string_view> p = Split(arn, ':');
    if (p.size() < 6 || p[0] != "arn" || !AllDigits(p[4], 12)) return {};
    return std::string(p[4]);
}

void AddFinding(const findings::Finding& f, IncidentFacts& facts) {
    ++facts.findings;
    facts.rules.emplace(f.rule_id, std::string(findings::SeverityName(f.severity)) + ": " +
                                       (f.title.empty() ? f.summary : f.title));
    Walker w{facts, f.accounts.size() == 1 ? f.accounts[0] : std::string(), {}};
    for (const std::string& a : f.accounts) {
        if (AllDigits(a, 12)) facts.accounts.insert(a);
    }
    for (const std::string& r : f.regions) facts.regions.insert(r);
    for (const std::string& e : f.event_names) facts.event_names.insert(e);
    Widen(f.first_seen, facts.first_seen, facts.last_seen);
    Widen(f.last_seen, facts.first_seen, facts.last_seen);

    const findings::Actor& a = f.actor;
    AccountName actor_user;
    if (!a.arn.empty() && !IsServiceLinkedRoleArn(a.arn)) {
        ActorFact& af = facts.actors[a.arn];
        af.arn = a.arn;
        if (af.type.empty()) af.type = a.type;
        if (af.user_name.empty()) af.user_name = a.user_name;
        if (!a.access_key_id.empty()) af.access_key_ids.insert(a.access_key_id);
        af.source_ips.insert(a.source_ips.begin(), a.source_ips.end());
        af.rule_ids.insert(f.rule_id);
        Widen(f.first_seen, af.first_seen, af.last_seen);
        Widen(f.last_seen, af.first_seen, af.last_seen);
        w.Arn(a.arn);
        if (a.arn.find(":user/") != std::string::npos) {
            actor_user = {ArnAccount(a.arn), a.arn.substr(a.arn.rfind('/') + 1)};
        }
    }
    if (a.type == "IAMUser" && !a.user_name.empty() && actor_user.name.empty()) {
        actor_user = {ArnAccount(a.arn), a.user_name};
        w.AddIamUser(actor_user);
    }
    if (a.type == "FederatedUser" && !a.user_name.empty()) {
        facts.federated_users.insert(a.user_name);
    }
    if (!a.root.empty() && a.root.starts_with("arn:")) {
        facts.chain_roots.insert(a.root);
        w.Arn(a.root);
    }
    if (IsAccessKeyId(a.access_key_id) && !IsServiceLinkedRoleArn(a.arn)) {
        w.AddAccessKey(a.access_key_id, actor_user);
    }

    if (!f.evidence_json.empty() && f.evidence_json != "{}") {
        simdjson::dom::parser parser;
        simdjson::dom::element root;
        if (!parser.parse(f.evidence_json).get(root)) {
            w.Walk(root, "", Walker::MentionsIdentityStore(root), {});
        }
    }
    w.Text(f.summary);

    // IAM users that had static keys: owners of AKIA keys, and the users a finding about key
    // creation or federation tokens names.
    const bool mints = std::any_of(f.event_names.begin(), f.event_names.end(),
                                   [](const std::string& e) { return MintsCredentials(e); });
    if (mints) {
        for (const AccountName& u : w.users_named) facts.users_with_static_keys.insert(u);
    }
    KeyOwnersHaveStaticKeys(facts);
    for (std::string_view id : f.event_ids) facts.event_ids.emplace(id);
    if (actor_user.name.empty()) return;
    if (a.access_key_id.starts_with("AKIA")) facts.users_with_static_keys.insert(actor_user);
}

void AddEventFacts(std::string_view event_json, std::string_view account,
                   std::string_view event_name, IncidentFacts& facts) {
    simdjson::dom::parser parser;
    simdjson::dom::element root;
    std::string repaired;  // with U+FFFD for half a surrogate pair, which simdjson refuses
    if (parser.parse(event_json.data(), event_json.size()).get(root) &&
        (!ReplaceLoneSurrogateEscapes(event_json, repaired) || parser.parse(repaired).get(root))) {
        return;
    }
    Walker w{facts, std::string(account), {}};
    if (!account.empty()) facts.accounts.insert(std::string(account));
    w.Walk(root, "", Walker::MentionsIdentityStore(root), {});
    if (MintsCredentials(event_name)) {
        for (const AccountName& u : w.users_named) facts.users_with_static_keys.insert(u);
    }
    KeyOwnersHaveStaticKeys(facts);
}

bool ReadFindingLines(const std::string& path, std::vector<findings::Finding>& out,
                      Diagnostics& diag) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        diag.FileError(path, "", "unreadable", "cannot open the findings file; skipped");
        return false;
    }
    std::string line;
    uint64_t n = 0;
    while (std::getline(in, line)) {
        ++n;
        if (Trim(line).empty()) continue;
        auto f = findings::ParseFinding(line);
        if (!f) {
            diag.RecordError(path, "line " + std::to_string(n), "invalid finding",
                             f.error().message + "; line skipped");
            continue;
        }
        out.push_back(std::move(*f));
    }
    return true;
}

bool IsServiceLinkedRoleArn(std::string_view arn) {
    return arn.find(":assumed-role/AWSServiceRoleFor") != std::string_view::npos ||
           arn.find(":role/aws-service-role/") != std::string_view::npos;
}

std::vector<const findings::Finding*> SelectIncidentFindings(
    const std::vector<findings::Finding>& all, findings::Severity min, size_t* left_out) {
    std::set<std::string_view> actors;
    for (const findings::Finding& f : all) {
        if (f.severity < min) continue;
        for (std::string_view a : {std::string_view(f.actor.arn), std::string_view(f.actor.root)}) {
            if (!a.empty() && !IsServiceLinkedRoleArn(a)) actors.insert(a);
        }
    }
    std::vector<const findings::Finding*> out;
    size_t skipped = 0;
    for (const findings::Finding& f : all) {
        if (f.severity >= min || actors.contains(f.actor.arn) ||
            (!f.actor.root.empty() && actors.contains(f.actor.root))) {
            out.push_back(&f);
        } else {
            ++skipped;
        }
    }
    if (left_out != nullptr) *left_out = skipped;
    return out;
}

bool ReadFindingsInto(const std::string& path, IncidentFacts& facts, Diagnostics& diag) {
    std::vector<findings::Finding> all;
    const bool ok = ReadFindingLines(path, all, diag);
    for (const findings::Finding& f : all) AddFinding(f, facts);
    return ok;
}

}  // namespace tw::response
