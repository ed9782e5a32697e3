#include "identity/graph.h"

#include <algorithm>
#include <unordered_set>

#include "identity/arn.h"

namespace tw::identity {

namespace {

constexpr TimeMs kConsoleSessionMs = 12 * 3600 * 1000;
constexpr TimeMs kProvisioningMs = 15 * 60 * 1000;  // assignment -> role in the account

bool LooksLikeAccessKey(std::string_view s) {
    if (s.size() < 16 || s.size() > 128) return false;
    if (!s.starts_with("AKIA") && !s.starts_with("ASIA")) return false;
    return std::all_of(s.begin(), s.end(),
                       [](char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); });
}

bool LooksLikeIp(std::string_view s) {
    if (s.empty()) return false;
    const bool v4 = std::all_of(s.begin(), s.end(),
                                [](char c) { return (c >= '0' && c <= '9') || c == '.'; }) &&
                    std::count(s.begin(), s.end(), '.') == 3;
    const bool v6 =
        s.find(':') != std::string_view::npos && std::all_of(s.begin(), s.end(), [](char c) {
            return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') ||
                   c == ':' || c == '.';
        });
    return v4 || v6;
}

}  // namespace

const char* NodeKindName(NodeKind k) {
    switch (k) {
        case NodeKind::kIamUser:
            return "iam-user";
        case NodeKind::kAccessKey:
            return "access-key";
        case NodeKind::kRoleSession:
            return "role-session";
        case NodeKind::kFederatedUser:
            return "federated-user";
        case NodeKind::kIcUser:
            return "sso-user";
        case NodeKind::kSamlUser:
            return "saml-user";
        case NodeKind::kWebIdentityUser:
            return "web-identity-user";
        case NodeKind::kIdentityProvider:
            return "identity-provider";
        case NodeKind::kRoot:
            return "root";
        case NodeKind::kService:
            return "service";
        case NodeKind::kLoginProfile:
            return "login-profile";
        case NodeKind::kConsoleSession:
            return "console-session";
        case NodeKind::kSourceIdentity:
            return "source-identity";
        case NodeKind::kAccountPrincipal:
            return "principal";
        case NodeKind::kSsoProvisioning:
            return "sso-provisioning";
        case NodeKind::kPortalSession:
            return "sso-session";
    }
    return "?";
}

const char* EdgeKindName(EdgeKind k) {
    switch (k) {
        case EdgeKind::kOwns:
            return "owns";
        case EdgeKind::kCreateAccessKey:
            return "CreateAccessKey";
        case EdgeKind::kAssumeRole:
            return "AssumeRole";
        case EdgeKind::kAssumeRoleWithSaml:
            return "AssumeRoleWithSAML";
        case EdgeKind::kAssumeRoleWithWebIdentity:
            return "AssumeRoleWithWebIdentity";
        case EdgeKind::kFederationAssertion:
            return "federation-assertion";
        case EdgeKind::kGetSessionToken:
            return "GetSessionToken";
        case EdgeKind::kGetFederationToken:
            return "GetFederationToken";
        case EdgeKind::kCreateUser:
            return "CreateUser";
        case EdgeKind::kSsoSignIn:
            return "sso-sign-in";
        case EdgeKind::kCreateIdentityProvider:
            return "CreateIdentityProvider";
        case EdgeKind::kCreateLoginProfile:
            return "CreateLoginProfile";
        case EdgeKind::kUpdateLoginProfile:
            return "UpdateLoginProfile";
        case EdgeKind::kConsoleLogin:
            return "ConsoleLogin";
        case EdgeKind::kSetSourceIdentity:
            return "set-source-identity";
        case EdgeKind::kSameSession:
            return "same-session";
        case EdgeKind::kCreateAccountAssignment:
            return "CreateAccountAssignment";
    }
    return "?";
}

CredentialRef CredentialRefOf(const event::EventView& ev, const IdentityFields& f) {
    CredentialRef r;
    r.type = ev.Str(event::kUidType);
    r.arn = ev.Str(event::kUidArn);
    r.key = CallerKey(ev, f);
    r.principal_id = ev.Str(event::kUidPrincipalId);
    r.account_id = ev.Text(event::kUidAccountId);
    r.user_name = ev.Str(event::kUidUserName);
    if (r.type == "IdentityCenterUser" || r.type == "Unknown") {
        const std::string_view signin_name = ev.Str(f.aed_user_name);
        if (!signin_name.empty()) r.user_name = signin_name;
    }
    if (r.user_name == "HIDDEN_DUE_TO_SECURITY_REASONS") r.user_name = {};
    r.invoked_by = ev.Str(event::kUidInvokedBy);
    r.source_identity = ev.Str(event::kSourceIdentity);
    r.ic_user_id = ev.Str(event::kOnBehalfOfUserId);
    const std::string_view store = ev.Str(event::kIdentityStoreArn);
    r.ic_store = store.empty() ? std::string_view() : AfterLastSlash(store);
    r.idp = ev.Str(f.uid_identity_provider);
    r.ip = ev.Str(event::kSourceIp);
    r.event_account = ev.account();
    r.role_name = ev.Str(f.rp_role_name);
    r.time = ev.time();
    return r;
}

CredentialCopy::CredentialCopy(const CredentialRef& r)
    : type(r.type),
      arn(r.arn),
      key(r.key),
      principal_id(r.principal_id),
      account_id(r.account_id),
      user_name(r.user_name),
      invoked_by(r.invoked_by),
      source_identity(r.source_identity),
      ic_user_id(r.ic_user_id),
      ic_store(r.ic_store),
      idp(r.idp),
      ip(r.ip),
      event_account(r.event_account),
      role_name(r.role_name),
      time(r.time) {}

CredentialRef CredentialCopy::ref() const {
    CredentialRef r;
    r.type = type;
    r.arn = arn;
    r.key = key;
    r.principal_id = principal_id;
    r.account_id = account_id;
    r.user_name = user_name;
    r.invoked_by = invoked_by;
    r.source_identity = source_identity;
    r.ic_user_id = ic_user_id;
    r.ic_store = ic_store;
    r.idp = idp;
    r.ip = ip;
    r.event_account = event_account;
    r.role_name = role_name;
    r.time = time;
    return r;
}

void Graph::Finalize() {
    const size_t n = nodes_.size();
    auto order = [&](EdgeId a, EdgeId b, bool out) {
        const Edge& x = edges_[a];
        const Edge& y = edges_[b];
        if (x.time != y.time) return x.time < y.time;
        if (int c = pool_.Get(x.event_id).compare(pool_.Get(y.event_id)); c != 0) return c < 0;
        return out ? x.to < y.to : x.from < y.from;
    };
    auto build = [&](bool out, std::vector<uint32_t>& begin, std::vector<EdgeId>& list) {
        begin.assign(n + 1, 0);
        for (const Edge& e : edges_) ++begin[(out ? e.from : e.to) + 1];
        for (size_t i = 0; i < n; ++i) begin[i + 1] += begin[i];
        list.assign(edges_.size(), 0);
        std::vector<uint32_t> cursor(begin.begin(), begin.end() - 1);
        for (EdgeId e = 0; e < edges_.size(); ++e) {
            list[cursor[out ? edges_[e].from : edges_[e].to]++] = e;
        }
        for (size_t i = 0; i < n; ++i) {
            std::sort(list.begin() + begin[i], list.begin() + begin[i + 1],
                      [&](EdgeId a, EdgeId b) { return order(a, b, out); });
        }
    };
    build(true, out_begin_, out_);
    build(false, in_begin_, in_);
    std::sort(about_.begin(), about_.end(), [&](const AboutEvent& a, const AboutEvent& b) {
        if (a.node != b.node) return a.node < b.node;
        if (a.time != b.time) return a.time < b.time;
        return pool_.Get(a.event_id) < pool_.Get(b.event_id);
    });
    about_.erase(std::unique(about_.begin(), about_.end(),
                             [](const AboutEvent& a, const AboutEvent& b) {
                                 return a.node == b.node && a.event_id == b.event_id;
                             }),
                 about_.end());
}

std::span<const AboutEvent> Graph::EventsAbout(NodeId n) const {
    auto lo = std::lower_bound(about_.begin(), about_.end(), n,
                               [](const AboutEvent& a, NodeId v) { return a.node < v; });
    auto hi = lo;
    while (hi != about_.end() && hi->node == n) ++hi;
    return {lo, hi};
}

std::span<const EdgeId> Graph::out_edges(NodeId n) const {
    if (n + 1 >= out_begin_.size()) return {};
    return {out_.data() + out_begin_[n], out_begin_[n + 1] - out_begin_[n]};
}

std::span<const EdgeId> Graph::in_edges(NodeId n) const {
    if (n + 1 >= in_begin_.size()) return {};
    return {in_.data() + in_begin_[n], in_begin_[n + 1] - in_begin_[n]};
}

NodeId Graph::FindKey(std::string_view key) const {
    const StrId id = pool_.Find(key);
    if (id == kNoStr || id == kEmptyStr) return kNoNode;
    auto it = keys_.find(id);
    return it == keys_.end() ? kNoNode : it->second;
}

NodeId Graph::FindIdentity(std::string_view canonical) const {
    auto it = identities_.find(canonical);
    return it == identities_.end() ? kNoNode : it->second;
}

Candidates Graph::CandidatesOf(const CredentialRef& r, std::string& scratch) const {
    const FixedCandidates fixed = FixedCandidatesOf(r, scratch);
    Candidates c = fixed.c;
    AddTimedCandidates(fixed, r, c);
    return c;
}

FixedCandidates Graph::FixedCandidatesOf(const CredentialRef& r, std::string& scratch) const {
    FixedCandidates f;
    Candidates& c = f.c;
    if (!r.key.empty()) {
        c.primary = FindKey(r.key);
        c.by_key = c.primary != kNoNode;
    }
    CanonicalIdentity(r.type, r.arn, r.account_id, r.user_name, r.principal_id, r.invoked_by,
                      r.ic_store, r.ic_user_id, r.idp, scratch);
    const NodeId identity = scratch.empty() ? kNoNode : FindIdentity(scratch);
    if (!c.by_key) c.primary = identity;
    if (identity != kNoNode && scratch.starts_with("user:") &&
        (r.key.empty() || r.key.starts_with("ASIA")) && consoles_.contains(identity)) {
        f.console_user = identity;
        f.ip = pool_.Find(r.ip);
    }
    if (!r.source_identity.empty()) {
        scratch.assign("si:").append(r.source_identity);
        c.source_identity = FindIdentity(scratch);
    }
    f.provisioning = IsSsoServiceCall(r.type, r.arn, r.invoked_by);
    return f;
}

void Graph::AddTimedCandidates(const FixedCandidates& f, const CredentialRef& r,
                               Candidates& c) const {
    if (f.console_user != kNoNode) {
        const auto& sessions = consoles_.at(f.console_user);
        for (auto e = sessions.rbegin(); e != sessions.rend(); ++e) {
            if (e->time > r.time) continue;
            if (r.time - e->time > kConsoleSessionMs) break;
            if (e->ip == f.ip) {
                c.console = e->node;
                break;
            }
        }
    }
    if (f.provisioning) c.provisioning = Provisioning(r);
}

NodeId Graph::Provisioning(const CredentialRef& r) const {
    constexpr std::string_view kPrefix = "AWSReservedSSO_";
    if (!r.role_name.starts_with(kPrefix)) return kNoNode;
    std::string_view ps = r.role_name.substr(kPrefix.size());
    ps = ps.substr(0, ps.rfind('_'));
    const StrId account = pool_.Find(r.event_account);
    auto it = provisioning_.find(account);
    if (account == kNoStr || it == provisioning_.end()) return kNoNode;
    // The latest assignment of that permission set to the account, shortly before; when the
    // input does not name the permission set, the only assignment in that time.
    NodeId unnamed = kNoNode;
    int unnamed_count = 0;
    for (auto e = it->second.rbegin(); e != it->second.rend(); ++e) {
        if (e->time > r.time) continue;
        if (r.time - e->time > kProvisioningMs) break;
        if (e->permission_set == kEmptyStr) {
            unnamed = e->node;
            ++unnamed_count;
        } else if (str(e->permission_set) == ps) {
            return e->node;
        }
    }
    return unnamed_count == 1 ? unnamed : kNoNode;
}

Chain Graph::RootChain(NodeId n) const {
    Chain chain;
    if (n == kNoNode) return chain;
    std::unordered_set<NodeId> seen{n};
    std::vector<Chain::Hop> up{{n, kNoEdge}};
    NodeId cur = n;
    for (int hop = 0; hop < 256; ++hop) {
        EdgeId best = kNoEdge;
        for (EdgeId e : in_edges(cur)) {
            const Edge& edge = edges_[e];
            if (seen.count(edge.from) != 0) continue;
            const bool owner = edge.kind == EdgeKind::kOwns;
            if (best == kNoEdge) {
                best = e;
            } else if ((edges_[best].kind == EdgeKind::kOwns) && !owner) {
                best = e;  // an issuer beats the owner
            }
        }
        if (best == kNoEdge) break;
        up.back().via = best;
        cur = edges_[best].from;
        seen.insert(cur);
        up.push_back({cur, kNoEdge});
    }
    // up: [n (via e1), parent (via e2), ..., root]; the chain goes root -> n.
    chain.hops.resize(up.size());
    for (size_t i = 0; i < up.size(); ++i) {
        chain.hops[i].node = up[up.size() - 1 - i].node;
        chain.hops[i].via = up[up.size() - 1 - i].via;
    }
    return chain;
}

std::optional<Attribution> Graph::Attribute(const CredentialRef& ref) const {
    std::string scratch;
    const Candidates c = CandidatesOf(ref, scratch);
    // A console session or source identity says more about who is behind the event than
    // the bare user or session identity.
    NodeId n = c.by_key ? c.primary : kNoNode;
    if (n == kNoNode) n = c.console;
    if (n == kNoNode) n = c.primary;
    if (n == kNoNode && c.provisioning != kNoNode) n = c.provisioning;
    if (n == kNoNode) n = c.source_identity;
    if (n == kNoNode) return std::nullopt;
    Attribution a;
    a.node = n;
    a.chain = RootChain(n);
    if (c.source_identity != kNoNode && a.chain.hops.size() <= 1) {
        a.chain = RootChain(c.source_identity);
    }
    a.root = Label(a.chain.root());
    for (const Chain::Hop& h : a.chain.hops) {
        if (h.via != kNoEdge) {
            const Edge& e = edges_[h.via];
            a.path += " > [";
            a.path += str(e.event_name).empty() ? EdgeKindName(e.kind) : str(e.event_name);
            if (e.event_id != kEmptyStr) a.path.append(" ").append(str(e.event_id));
            a.path += "] ";
        }
        a.path += Label(h.node);
    }
    return a;
}

std::string Graph::Label(NodeId id) const {
    if (id == kNoNode) return "-";
    const Node& n = nodes_[id];
    std::string s = NodeKindName(n.kind);
    s += '/';
    const std::string_view name = str(n.name), acct = str(n.account), key = str(n.key);
    switch (n.kind) {
        case NodeKind::kIamUser:
        case NodeKind::kLoginProfile:
        case NodeKind::kConsoleSession:
        case NodeKind::kFederatedUser:
            s.append(name);
            if (!acct.empty()) s.append("@").append(acct);
            break;
        case NodeKind::kAccessKey:
            s.append(key);
            if (!name.empty()) s.append(" (").append(name).append("@").append(acct).append(")");
            break;
        case NodeKind::kRoleSession:
            s.append(str(n.extra)).append("/").append(name);
            if (!acct.empty()) s.append("@").append(acct);
            break;
        case NodeKind::kIcUser:
            s.append(name.empty() ? key : name);
            break;
        case NodeKind::kPortalSession:
            s.append(name);
            s.append(" [").append(key.substr(0, 12)).append("]");
            break;
        case NodeKind::kSamlUser:
        case NodeKind::kWebIdentityUser:
            s.append(name);
            if (n.extra != kEmptyStr)
                s.append(" (").append(AfterLastSlash(str(n.extra))).append(")");
            break;
        case NodeKind::kIdentityProvider:
            s.append(name);
            if (!acct.empty()) s.append("@").append(acct);
            break;
        case NodeKind::kRoot:
            s.pop_back();
            s.append("@").append(acct);
            break;
        case NodeKind::kService:
        case NodeKind::kSourceIdentity:
            s.append(name);
            break;
        case NodeKind::kAccountPrincipal:
        case NodeKind::kSsoProvisioning:
            s.append(name).append("@").append(acct);
            break;
    }
    if (!n.generic && !key.empty() &&
        (n.kind == NodeKind::kRoleSession || n.kind == NodeKind::kFederatedUser)) {
        s.append(" [").append(key).append("]");
    }
    return s;
}

void Graph::NodeHashes(NodeId id, std::vector<uint32_t>& out) const {
    const Node& n = nodes_[id];
    if (n.canon != kEmptyStr) out.push_back(FingerprintHash(str(n.canon)));
    if (n.kind != NodeKind::kIcUser && n.key != kEmptyStr) {
        std::string k = "key:";
        k.append(str(n.key));
        out.push_back(FingerprintHash(k));
    }
    if (n.kind == NodeKind::kSourceIdentity) {
        std::string k = "si:";
        k.append(str(n.name));
        out.push_back(FingerprintHash(k));
    }
    if (n.kind == NodeKind::kSsoProvisioning) {
        std::string k = "ssoprov:";
        k.append(str(n.account));
        out.push_back(FingerprintHash(k));
    }
    for (const auto& [node, canon] : aliases_) {
        if (node == id) out.push_back(FingerprintHash(str(canon)));
    }
}

std::vector<NodeId> Graph::WatchedSeeds(std::string_view value) const {
    auto it = watched_.find(value);
    if (it == watched_.end()) return {};
    std::vector<NodeId> out = it->second;
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

std::vector<NodeId> Graph::Match(std::string_view q) const {
    std::vector<NodeId> out;
    if (q.empty()) return out;
    if (LooksLikeAccessKey(q)) {
        if (NodeId n = FindKey(q); n != kNoNode) out.push_back(n);
        for (NodeId n : WatchedSeeds(q)) out.push_back(n);
    } else if (LooksLikeIp(q)) {
        out = WatchedSeeds(q);
    } else if (q.starts_with("arn:")) {
        const bool role = q.find(":role/") != std::string_view::npos;
        const std::string_view role_name = AfterLastSlash(q), role_acct = ArnField(q, 4);
        std::string canon;
        CanonicalIdentity({}, q, {}, {}, {}, {}, {}, {}, {}, canon);
        if (!canon.empty() && canon.starts_with("user:")) {
            if (NodeId n = FindIdentity(canon); n != kNoNode) out.push_back(n);
        }
        for (NodeId id = 0; id < nodes_.size(); ++id) {
            const Node& n = nodes_[id];
            if (n.kind == NodeKind::kLoginProfile || n.kind == NodeKind::kConsoleSession) continue;
            if (n.kind == NodeKind::kAccessKey) continue;  // a user's keys follow from the user
            if (str(n.arn) == q) {
                out.push_back(id);
            } else if (role && n.kind == NodeKind::kRoleSession && str(n.extra) == role_name &&
                       str(n.account) == role_acct) {
                out.push_back(id);
            } else if (n.kind == NodeKind::kRoot && q.ends_with(":root") &&
                       str(n.account) == ArnField(q, 4)) {
                out.push_back(id);
            }
        }
    } else {
        for (NodeId id = 0; id < nodes_.size(); ++id) {
            const Node& n = nodes_[id];
            switch (n.kind) {
                case NodeKind::kIamUser:
                case NodeKind::kIcUser:
                case NodeKind::kSamlUser:
                case NodeKind::kWebIdentityUser:
                case NodeKind::kSourceIdentity:
                case NodeKind::kRoleSession:
                case NodeKind::kFederatedUser:
                    if (EqualsFold(str(n.name), q) ||
                        (n.kind == NodeKind::kIcUser && str(n.key) == q)) {
                        out.push_back(id);
                    }
                    break;
                default:
                    break;
            }
        }
    }
    for (NodeId n : WatchedSeeds(q)) out.push_back(n);
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

size_t Graph::bytes() const {
    size_t b = pool_.bytes() + nodes_.capacity() * sizeof(Node) + edges_.capacity() * sizeof(Edge) +
               (out_.capacity() + in_.capacity() + out_begin_.capacity() + in_begin_.capacity()) *
                   sizeof(uint32_t);
    b += keys_.size() * (sizeof(StrId) + sizeof(NodeId) + 2 * sizeof(void*));
    for (const auto& [k, v] : identities_) b += k.capacity() + sizeof(NodeId) + 4 * sizeof(void*);
    return b;
}

}  // namespace tw::identity
