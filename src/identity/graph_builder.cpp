// GraphBuilder: merges the facts of every worker, sorts them by event time and replays them
// into the graph (see docs/design/identity-graph.md, "Building").
#include <algorithm>
#include <unordered_set>

#include "identity/arn.h"
#include "identity/graph.h"

namespace tw::identity {

namespace {

constexpr TimeMs kConsoleSessionMs = 12 * 3600 * 1000;  // longest console session

bool IsIcType(std::string_view type) { return type == "IdentityCenterUser" || type == "Unknown"; }

std::string Lower(std::string_view s) {
    std::string out;
    AppendLower(out, s);
    return out;
}

// "AWSReservedSSO_<PermissionSet>_<hash>" -> "<PermissionSet>".
std::string_view PermissionSetOfRole(std::string_view role) {
    constexpr std::string_view kPrefix = "AWSReservedSSO_";
    if (!role.starts_with(kPrefix)) return {};
    role.remove_prefix(kPrefix.size());
    const size_t p = role.rfind('_');
    return p == std::string_view::npos ? role : role.substr(0, p);
}

EdgeKind IssueEdgeKind(FactKind k) {
    switch (k) {
        case FactKind::kAssumeRoleWithSaml:
            return EdgeKind::kAssumeRoleWithSaml;
        case FactKind::kAssumeRoleWithWebIdentity:
            return EdgeKind::kAssumeRoleWithWebIdentity;
        case FactKind::kGetSessionToken:
            return EdgeKind::kGetSessionToken;
        case FactKind::kGetFederationToken:
            return EdgeKind::kGetFederationToken;
        default:
            return EdgeKind::kAssumeRole;
    }
}

}  // namespace

// Replays sorted facts into a Graph.
class BuildState {
  public:
    BuildState(Graph& g, std::vector<const StringPool*> pools) : g_(g), pools_(std::move(pools)) {}

    void Run(const std::vector<const Fact*>& facts) {
        for (const Fact* f : facts) Learn(*f);
        for (auto& [name, ids] : ic_ids_of_name_) {
            std::sort(ids.begin(), ids.end());
            ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
        }
        for (const Fact* f : facts) Apply(*f);
        LinkSsoSessions();
        LinkSamlSsoUsers();
        LinkUniqueIssuers();
    }

  private:
    struct Fed {
        TimeMs time;
        StrId account, role, event_id, event_name;
    };
    struct Assignment {
        TimeMs time;
        StrId account, ptype, pid, event_id, event_name;
    };
    struct Issuance {
        NodeId parent;
        EdgeId edge;
    };

    std::string_view S(const Fact& f, StrId id) const { return pools_[f.worker]->Get(id); }
    StrId G(std::string_view s) { return g_.pool_.Intern(s); }

    // ---- Identity Center names, learned before anything else (time-independent).
    void Learn(const Fact& f) {
        const CallerRef& c = f.caller;
        if (f.kind == FactKind::kIcCreateUser) {
            LearnIc(S(f, f.p[kPKey]), S(f, f.p[kPArn]), S(f, f.p[kPName]));
        } else if (IsIcType(S(f, c.type))) {
            LearnIc(S(f, c.ic_user_id), S(f, c.ic_store), S(f, c.user_name));
        }
        if (f.kind == FactKind::kAddMemberToGroup) {
            members_[std::string(S(f, f.p[kPArn]))].emplace_back(S(f, f.p[kPKey]));
        }
    }
    void LearnIc(std::string_view id, std::string_view store, std::string_view name) {
        if (id.empty()) return;
        if (!store.empty()) ic_store_of_id_.try_emplace(std::string(id), store);
        if (name.empty()) return;
        ic_name_of_id_.try_emplace(std::string(id), name);
        ic_ids_of_name_[Lower(name)].emplace_back(id);
    }

    // ---- nodes and edges
    NodeId NewNode(Node n, std::string_view canon) {
        const auto id = static_cast<NodeId>(g_.nodes_.size());
        if (!canon.empty()) {
            n.canon = G(canon);
            g_.identities_.emplace(std::string(canon), id);
        }
        g_.nodes_.push_back(n);
        return id;
    }
    void Alias(NodeId n, std::string_view canon) {
        if (g_.identities_.emplace(std::string(canon), n).second) {
            g_.aliases_.emplace_back(n, G(canon));
        }
    }
    EdgeId AddEdge(NodeId from, NodeId to, EdgeKind kind, TimeMs time, StrId event_id,
                   StrId event_name) {
        if (from == kNoNode || to == kNoNode || from == to) return kNoEdge;
        const uint64_t k = (static_cast<uint64_t>(from) << 32) | to;
        auto [it, fresh] = edge_index_.try_emplace(k, static_cast<EdgeId>(g_.edges_.size()));
        if (!fresh) return it->second;
        g_.edges_.push_back(Edge{from, to, kind, time, event_id, event_name, kEmptyStr});
        return it->second;
    }
    EdgeId AddEdge(NodeId from, NodeId to, EdgeKind kind, const Fact& f) {
        return AddEdge(from, to, kind, f.time, G(S(f, f.event_id)), G(S(f, f.event_name)));
    }

    NodeId IcById(std::string_view id, std::string_view store, TimeMs t) {
        canon_.assign("ic:").append(id);
        if (NodeId n = g_.FindIdentity(canon_); n != kNoNode) return n;
        Node n;
        n.kind = NodeKind::kIcUser;
        n.key = G(id);
        auto st = ic_store_of_id_.find(std::string(id));
        n.extra = G(st != ic_store_of_id_.end() ? std::string_view(st->second) : store);
        auto nm = ic_name_of_id_.find(std::string(id));
        if (nm != ic_name_of_id_.end()) n.name = G(nm->second);
        n.first_seen = t;
        const NodeId node = NewNode(n, canon_);
        if (nm != ic_name_of_id_.end()) Alias(node, "icname:" + Lower(nm->second));
        return node;
    }
    NodeId IcByName(std::string_view name, TimeMs t) {
        const std::string lower = Lower(name);
        if (NodeId n = g_.FindIdentity("icname:" + lower); n != kNoNode) return n;
        auto it = ic_ids_of_name_.find(lower);
        if (it != ic_ids_of_name_.end() && !it->second.empty()) {
            return IcById(it->second.front(), {}, t);
        }
        Node n;
        n.kind = NodeKind::kIcUser;
        n.name = G(name);
        n.first_seen = t;
        return NewNode(n, "icname:" + lower);
    }

    // The identity (not the key) of a caller; kNoNode when it has none.
    NodeId Identity(const Fact& f) {
        const CallerRef& c = f.caller;
        const std::string_view type = S(f, c.type), arn = S(f, c.arn), acct = S(f, c.account_id),
                               name = S(f, c.user_name), pid = S(f, c.principal_id);
        CanonicalIdentity(type, arn, acct, name, pid, S(f, c.invoked_by), S(f, c.ic_store),
                          S(f, c.ic_user_id), S(f, c.idp), canon_);
        if (canon_.empty()) return kNoNode;
        NodeId node = g_.FindIdentity(canon_);
        if (node == kNoNode) {
            const std::string canon = canon_;
            Node n;
            n.first_seen = f.time;
            if (canon.starts_with("user:")) {
                n.kind = NodeKind::kIamUser;
                n.account = G(acct.empty() ? ArnField(arn, 4) : acct);
                n.name = G(name.empty() ? AfterLastSlash(arn) : name);
                n.arn = G(arn);
                node = NewNode(n, canon);
            } else if (canon.starts_with("arn:")) {
                const bool federated = arn.find(":federated-user/") != std::string_view::npos;
                n.kind = federated ? NodeKind::kFederatedUser : NodeKind::kRoleSession;
                n.generic = true;
                n.account = G(ArnField(arn, 4));
                n.name = G(AfterLastSlash(arn));
                n.arn = G(arn);
                n.extra = G(RoleOfSessionArn(arn));
                node = NewNode(n, canon);
            } else if (canon.starts_with("root:")) {
                n.kind = NodeKind::kRoot;
                n.account = G(acct.empty() ? ArnField(arn, 4) : acct);
                node = NewNode(n, canon);
            } else if (canon.starts_with("svc:")) {
                n.kind = NodeKind::kService;
                n.name = G(S(f, c.invoked_by));
                node = NewNode(n, canon);
            } else if (canon.starts_with("ic:")) {
                node = IcById(S(f, c.ic_user_id), S(f, c.ic_store), f.time);
            } else if (canon.starts_with("icname:")) {
                node = IcByName(name, f.time);
            } else if (canon.starts_with("saml:") || canon.starts_with("web:")) {
                n.kind = type == "SAMLUser" ? NodeKind::kSamlUser : NodeKind::kWebIdentityUser;
                n.name = G(name);
                n.extra = G(S(f, c.idp));
                node = NewNode(n, canon);
            } else if (canon.starts_with("pid:")) {
                n.kind = NodeKind::kAccountPrincipal;
                n.account = G(acct);
                n.name = G(pid);
                node = NewNode(n, canon);
            } else {
                return kNoNode;
            }
        }
        if (!pid.empty() && (type == "IAMUser" || type == "AssumedRole"))
            Alias(node, "pid:" + std::string(pid));
        return node;
    }

    // The most specific node of a caller: its access key when it has one, else its identity.
    NodeId Caller(const Fact& f) {
        const std::string_view key = S(f, f.caller.key);
        if (!key.empty()) {
            if (NodeId n = g_.FindKey(key); n != kNoNode) return n;
        }
        const NodeId id = Identity(f);
        const std::string_view type = S(f, f.caller.type);
        NodeId owner = id;
        if (type == "IAMUser" && (key.empty() || key.starts_with("ASIA"))) {
            const NodeId console = Console(id, f.time, G(S(f, f.ip)));
            if (console != kNoNode) owner = console;
        }
        if (key.empty()) return owner;
        // A key first seen here (its issuance is not in the input): owned by the identity.
        Node n;
        n.kind = type == "AssumedRole"     ? NodeKind::kRoleSession
                 : type == "FederatedUser" ? NodeKind::kFederatedUser
                                           : NodeKind::kAccessKey;
        n.key = G(key);
        if (id != kNoNode) {
            const Node& idn = g_.nodes_[id];
            n.account = idn.account;
            n.name = idn.name;
            n.arn = idn.arn;
            n.extra = idn.extra;
        }
        n.first_seen = f.time;
        const NodeId node = NewNode(n, {});
        g_.keys_.emplace(n.key, node);
        AddEdge(owner, node, EdgeKind::kOwns, f);
        return node;
    }

    NodeId Console(NodeId user, TimeMs t, StrId ip) const {
        auto it = g_.consoles_.find(user);
        if (it == g_.consoles_.end()) return kNoNode;
        for (auto e = it->second.rbegin(); e != it->second.rend(); ++e) {
            if (e->time > t) continue;
            if (t - e->time > kConsoleSessionMs) break;
            if (e->ip == ip) return e->node;
        }
        return kNoNode;
    }

    NodeId UserNode(std::string_view account, std::string_view name, TimeMs t) {
        CanonicalIdentity("IAMUser", {}, account, name, {}, {}, {}, {}, {}, canon_);
        if (canon_.empty()) return kNoNode;
        if (NodeId n = g_.FindIdentity(canon_); n != kNoNode) return n;
        Node n;
        n.kind = NodeKind::kIamUser;
        n.account = G(account);
        n.name = G(name);
        n.first_seen = t;
        return NewNode(n, canon_);
    }

    NodeId Named(NodeKind kind, std::string_view prefix, std::string_view value,
                 std::string_view account, std::string_view arn, TimeMs t) {
        canon_.assign(prefix).append(value);
        if (NodeId n = g_.FindIdentity(canon_); n != kNoNode) return n;
        Node n;
        n.kind = kind;
        n.name = G(kind == NodeKind::kIdentityProvider ? AfterLastSlash(value) : value);
        n.account = G(account);
        n.arn = G(arn);
        n.first_seen = t;
        return NewNode(n, canon_);
    }

    // ---- facts
    void Apply(const Fact& f) {
        switch (f.kind) {
            case FactKind::kAssumeRole:
            case FactKind::kAssumeRoleWithSaml:
            case FactKind::kAssumeRoleWithWebIdentity:
            case FactKind::kGetSessionToken:
            case FactKind::kGetFederationToken:
                Issue(f);
                break;
            case FactKind::kCreateAccessKey:
                CreateAccessKey(f);
                break;
            case FactKind::kCreateLoginProfile:
            case FactKind::kUpdateLoginProfile:
                LoginProfile(f);
                break;
            case FactKind::kConsoleLogin:
                ConsoleLogin(f);
                break;
            case FactKind::kIcCreateUser: {
                const NodeId parent = Caller(f);
                const NodeId user = IcById(S(f, f.p[kPKey]), S(f, f.p[kPArn]), f.time);
                AddEdge(parent, user, EdgeKind::kCreateUser, f);
                break;
            }
            case FactKind::kIcSignIn:
            case FactKind::kSeenSourceIdentity:
                if (f.kind == FactKind::kSeenSourceIdentity) {
                    Named(NodeKind::kSourceIdentity, "si:", S(f, f.caller.source_identity), {}, {},
                          f.time);
                }
                Identity(f);
                break;
            case FactKind::kIcFederate: {
                const NodeId user = Identity(f);
                if (user != kNoNode) {
                    federates_[user].push_back(Fed{f.time, G(S(f, f.p[kPArn])),
                                                   G(S(f, f.p[kPName])), G(S(f, f.event_id)),
                                                   G(S(f, f.event_name))});
                }
                break;
            }
            case FactKind::kCreateAccountAssignment:
                assignments_.push_back(Assignment{f.time, G(S(f, f.p[kPArn])), G(S(f, f.p[kPKey])),
                                                  G(S(f, f.p[kPExtra])), G(S(f, f.event_id)),
                                                  G(S(f, f.event_name))});
                break;
            case FactKind::kAddMemberToGroup:
                break;  // learned up front
            case FactKind::kCreateIdentityProvider:
                CreateIdentityProvider(f);
                break;
            case FactKind::kSeenSsoSession: {
                const NodeId s = Identity(f);
                if (s != kNoNode && sso_seen_.insert(s).second) {
                    sso_sessions_.push_back(
                        {s, f.time, G(S(f, f.event_id)), G(S(f, f.event_name))});
                }
                break;
            }
            case FactKind::kSeenWatched: {
                const NodeId n = Caller(f);
                if (n != kNoNode) g_.watched_[std::string(S(f, f.p[kPName]))].push_back(n);
                break;
            }
        }
    }

    void Issue(const Fact& f) {
        NodeId parent = Caller(f);
        const std::string_view arn = S(f, f.p[kPArn]);
        if (f.kind == FactKind::kAssumeRoleWithSaml ||
            f.kind == FactKind::kAssumeRoleWithWebIdentity) {
            const bool saml = f.kind == FactKind::kAssumeRoleWithSaml;
            const std::string_view provider = S(f, f.p[kPProvider]);
            NodeId idp = kNoNode;
            if (!provider.empty()) {
                idp = Named(NodeKind::kIdentityProvider, "idp:", provider,
                            provider.starts_with("arn:") ? ArnField(provider, 4) : "",
                            provider.starts_with("arn:") ? provider : "", f.time);
            }
            if (parent == kNoNode) {
                // The federated user itself, from the response when userIdentity is bare.
                Node n;
                n.kind = saml ? NodeKind::kSamlUser : NodeKind::kWebIdentityUser;
                n.name = G(S(f, f.p[kPName]));
                n.extra = G(provider);
                n.first_seen = f.time;
                canon_.assign(saml ? "saml:" : "web:").append(provider).append(":");
                canon_.append(S(f, f.p[kPName]));
                parent = g_.FindIdentity(canon_);
                if (parent == kNoNode) parent = NewNode(n, canon_);
            }
            AddEdge(idp, parent, EdgeKind::kFederationAssertion, f);
            if (saml && AfterLastSlash(provider).starts_with("AWSSSO_")) {
                saml_sso_users_.push_back(parent);
            }
        }
        if (parent == kNoNode) return;
        const std::string_view key = S(f, f.p[kPKey]);
        NodeId child = g_.FindKey(key);
        if (child == kNoNode) {
            Node n;
            n.key = G(key);
            n.first_seen = f.time;
            if (f.kind == FactKind::kGetSessionToken) {
                const Node& p = g_.nodes_[parent];
                n.kind = NodeKind::kAccessKey;
                n.account = p.account;
                n.name = p.name;
                n.arn = p.arn;
            } else if (f.kind == FactKind::kGetFederationToken) {
                n.kind = NodeKind::kFederatedUser;
                std::string fed(arn);
                const std::string_view acct = S(f, f.account);
                if (fed.empty()) {
                    fed = "arn:aws:sts::" + std::string(acct) + ":federated-user/" +
                          std::string(S(f, f.p[kPName]));
                }
                n.arn = G(fed);
                n.account = G(ArnField(fed, 4));
                n.name = G(AfterLastSlash(fed));
            } else {
                n.kind = NodeKind::kRoleSession;
                n.arn = G(arn);
                n.account = G(ArnField(arn, 4));
                n.name = G(AfterLastSlash(arn));
                n.extra = G(RoleOfSessionArn(arn));
            }
            child = NewNode(n, {});
            g_.keys_.emplace(n.key, child);
        }
        const EdgeId e = AddEdge(parent, child, IssueEdgeKind(f.kind), f);
        const StrId child_arn = g_.nodes_[child].arn;
        if (e != kNoEdge && child_arn != kEmptyStr && f.kind != FactKind::kGetSessionToken) {
            issued_by_arn_[child_arn].push_back({parent, e});
        }
        // A source identity set by this call (not one carried over from the caller).
        const std::string_view si = S(f, f.p[kPExtra]);
        if (!si.empty() && si != S(f, f.caller.source_identity)) {
            const NodeId s = Named(NodeKind::kSourceIdentity, "si:", si, {}, {}, f.time);
            AddEdge(parent, s, EdgeKind::kSetSourceIdentity, f);
        }
    }

    void CreateAccessKey(const Fact& f) {
        const NodeId parent = Caller(f);
        std::string_view name = S(f, f.p[kPName]);
        std::string_view account = S(f, f.account);
        if (account.empty()) account = S(f, f.caller.account_id);
        if (name.empty() && S(f, f.caller.type) == "IAMUser") name = S(f, f.caller.user_name);
        const NodeId owner = UserNode(account, name, f.time);
        const std::string_view key = S(f, f.p[kPKey]);
        NodeId k = g_.FindKey(key);
        if (k == kNoNode) {
            Node n;
            n.kind = NodeKind::kAccessKey;
            n.key = G(key);
            n.account = G(account);
            n.name = G(name);
            if (owner != kNoNode) n.arn = g_.nodes_[owner].arn;
            n.first_seen = f.time;
            k = NewNode(n, {});
            g_.keys_.emplace(n.key, k);
        }
        AddEdge(owner, k, EdgeKind::kOwns, f);
        if (parent != owner && !IsOwnedBy(parent, owner)) {
            AddEdge(parent, k, EdgeKind::kCreateAccessKey, f);
        }
    }

    // True when `n` is a key (or console session) that `owner` owns.
    bool IsOwnedBy(NodeId n, NodeId owner) const {
        if (n == kNoNode || owner == kNoNode) return false;
        auto it = edge_index_.find((static_cast<uint64_t>(owner) << 32) | n);
        return it != edge_index_.end() && g_.edges_[it->second].kind == EdgeKind::kOwns;
    }

    void LoginProfile(const Fact& f) {
        const NodeId parent = Caller(f);
        std::string_view name = S(f, f.p[kPName]);
        std::string_view account = S(f, f.account);
        if (account.empty()) account = S(f, f.caller.account_id);
        if (name.empty() && S(f, f.caller.type) == "IAMUser") name = S(f, f.caller.user_name);
        const NodeId owner = UserNode(account, name, f.time);
        if (owner == kNoNode) return;
        Node n;
        n.kind = NodeKind::kLoginProfile;
        n.account = G(account);
        n.name = g_.nodes_[owner].name;
        n.arn = g_.nodes_[owner].arn;
        n.extra = G(S(f, f.event_id));
        n.canon = g_.nodes_[owner].canon;
        n.first_seen = f.time;
        const NodeId pw = NewNode(n, {});
        AddEdge(owner, pw, EdgeKind::kOwns, f);
        if (parent != owner && !IsOwnedBy(parent, owner)) {
            AddEdge(parent, pw,
                    f.kind == FactKind::kCreateLoginProfile ? EdgeKind::kCreateLoginProfile
                                                            : EdgeKind::kUpdateLoginProfile,
                    f);
        }
        passwords_[owner].push_back({f.time, pw});
    }

    void ConsoleLogin(const Fact& f) {
        const NodeId user = Identity(f);
        auto it = passwords_.find(user);
        if (user == kNoNode || it == passwords_.end()) return;
        NodeId pw = kNoNode;
        for (const auto& [t, node] : it->second) {
            if (t <= f.time) pw = node;
        }
        if (pw == kNoNode) return;
        Node n;
        n.kind = NodeKind::kConsoleSession;
        n.account = g_.nodes_[user].account;
        n.name = g_.nodes_[user].name;
        n.arn = g_.nodes_[user].arn;
        n.extra = G(S(f, f.event_id));
        n.canon = g_.nodes_[user].canon;
        n.first_seen = f.time;
        const NodeId console = NewNode(n, {});
        AddEdge(pw, console, EdgeKind::kConsoleLogin, f);
        AddEdge(user, console, EdgeKind::kOwns, f);
        g_.consoles_[user].push_back({f.time, G(S(f, f.ip)), console});
    }

    void CreateIdentityProvider(const Fact& f) {
        const NodeId parent = Caller(f);
        std::string arn(S(f, f.p[kPArn]));
        std::string_view account = S(f, f.account);
        if (arn.empty()) {
            std::string_view name = S(f, f.p[kPName]);
            const bool saml = S(f, f.p[kPExtra]) == "saml";
            if (!saml && name.starts_with("https://")) name.remove_prefix(8);
            if (name.empty()) return;
            arn = "arn:aws:iam::" + std::string(account) +
                  (saml ? ":saml-provider/" : ":oidc-provider/") + std::string(name);
        }
        const NodeId idp =
            Named(NodeKind::kIdentityProvider, "idp:", arn, ArnField(arn, 4), arn, f.time);
        g_.nodes_[idp].extra = G(S(f, f.p[kPExtra]));
        AddEdge(parent, idp, EdgeKind::kCreateIdentityProvider, f);
    }

    // ---- after the replay
    // Identity Center user -> its AWSReservedSSO_* sessions (the session name is the user
    // name). The edge carries the Federate event that opened the session when there is one,
    // else the CreateAccountAssignment that made it possible, else the session's first event.
    void LinkSsoSessions() {
        for (const SeenSso& s : sso_sessions_) {
            const Node sn = g_.nodes_[s.node];  // a copy: IcById may add nodes
            const std::string session = Lower(g_.pool_.Get(sn.name));
            std::vector<NodeId> users;
            if (NodeId u = g_.FindIdentity("icname:" + session); u != kNoNode) users.push_back(u);
            auto it = ic_ids_of_name_.find(session);
            if (it != ic_ids_of_name_.end()) {
                for (const std::string& id : it->second) {
                    const NodeId u = IcById(id, {}, s.time);
                    if (std::find(users.begin(), users.end(), u) == users.end()) users.push_back(u);
                }
            }
            const std::string_view ps = PermissionSetOfRole(g_.pool_.Get(sn.extra));
            for (NodeId u : users) {
                TimeMs t = s.time;
                StrId eid = s.event_id, ename = s.event_name, enabled = kEmptyStr;
                if (const Fed* fed = BestFederate(u, sn.account, ps, s.time)) {
                    t = fed->time, eid = fed->event_id, ename = fed->event_name;
                }
                if (const Assignment* a = BestAssignment(u, sn.account, s.time)) {
                    enabled = a->event_id;
                    if (eid == s.event_id) t = a->time, eid = a->event_id, ename = a->event_name;
                }
                const EdgeId e = AddEdge(u, s.node, EdgeKind::kSsoSignIn, t, eid, ename);
                if (e != kNoEdge) g_.edges_[e].enabled_by = enabled;
            }
        }
    }

    const Fed* BestFederate(NodeId user, StrId account, std::string_view ps, TimeMs seen) const {
        auto it = federates_.find(user);
        if (it == federates_.end()) return nullptr;
        const Fed* best = nullptr;
        for (const Fed& f : it->second) {
            if (f.account != account) continue;
            const std::string_view role = g_.pool_.Get(f.role);
            if (!role.empty() && !ps.empty() && role != ps) continue;
            if (f.time <= seen) {
                best = &f;  // latest at or before the session's first event
            } else if (best == nullptr) {
                return &f;
            }
        }
        return best;
    }

    const Assignment* BestAssignment(NodeId user, StrId account, TimeMs seen) const {
        const std::string_view id = g_.pool_.Get(g_.nodes_[user].key);
        if (id.empty()) return nullptr;
        const Assignment* best = nullptr;
        for (const Assignment& a : assignments_) {
            if (a.account != account) continue;
            const std::string_view pid = g_.pool_.Get(a.pid);
            bool match = pid == id;
            if (!match && g_.pool_.Get(a.ptype) == "GROUP") {
                auto m = members_.find(std::string(pid));
                match = m != members_.end() &&
                        std::find(m->second.begin(), m->second.end(), id) != m->second.end();
            }
            if (!match) continue;
            if (a.time <= seen || best == nullptr) best = &a;
            if (a.time > seen) break;
        }
        return best;
    }

    // SAML users of Identity Center's own provider (AWSSSO_*) are Identity Center users.
    void LinkSamlSsoUsers() {
        for (NodeId s : saml_sso_users_) {
            const Node sn = g_.nodes_[s];  // a copy: IcById may add nodes
            const std::string name = Lower(g_.pool_.Get(sn.name));
            NodeId u = g_.FindIdentity("icname:" + name);
            if (u == kNoNode) {
                auto it = ic_ids_of_name_.find(name);
                if (it == ic_ids_of_name_.end() || it->second.empty()) continue;
                u = IcById(it->second.front(), {}, sn.first_seen);
            }
            AddEdge(u, s, EdgeKind::kSsoSignIn, sn.first_seen, kEmptyStr, G("AssumeRoleWithSAML"));
        }
    }

    // When every issuance of a session name came from one parent, the session's events made
    // with keys the input never shows being issued (console refreshes) belong to it too.
    void LinkUniqueIssuers() {
        std::vector<StrId> arns;
        arns.reserve(issued_by_arn_.size());
        for (const auto& [arn, list] : issued_by_arn_) arns.push_back(arn);
        std::sort(arns.begin(), arns.end());
        for (StrId arn : arns) {
            const auto& list = issued_by_arn_[arn];
            bool unique = true;
            for (const Issuance& i : list) unique = unique && i.parent == list.front().parent;
            const std::string_view a = g_.pool_.Get(arn);
            if (!unique || a.find(":assumed-role/AWSReservedSSO_") != std::string_view::npos) {
                continue;
            }
            canon_.assign("arn:").append(a);
            NodeId generic = g_.FindIdentity(canon_);
            const Edge& first = g_.edges_[list.front().edge];
            if (generic == kNoNode) {
                Node n;
                n.kind = a.find(":federated-user/") != std::string_view::npos
                             ? NodeKind::kFederatedUser
                             : NodeKind::kRoleSession;
                n.generic = true;
                n.arn = arn;
                n.account = G(ArnField(a, 4));
                n.name = G(AfterLastSlash(a));
                n.extra = G(RoleOfSessionArn(a));
                n.first_seen = first.time;
                generic = NewNode(n, canon_);
            }
            AddEdge(list.front().parent, generic, EdgeKind::kSameSession, first.time,
                    first.event_id, first.event_name);
        }
    }

    struct SeenSso {
        NodeId node;
        TimeMs time;
        StrId event_id, event_name;
    };

    Graph& g_;
    std::vector<const StringPool*> pools_;
    std::string canon_;
    std::unordered_map<uint64_t, EdgeId> edge_index_;
    std::unordered_map<std::string, std::string> ic_name_of_id_, ic_store_of_id_;
    std::unordered_map<std::string, std::vector<std::string>> ic_ids_of_name_;
    std::unordered_map<std::string, std::vector<std::string>> members_;  // group -> user ids
    std::unordered_map<NodeId, std::vector<Fed>> federates_;
    std::vector<Assignment> assignments_;
    std::unordered_map<NodeId, std::vector<std::pair<TimeMs, NodeId>>> passwords_;
    std::unordered_map<StrId, std::vector<Issuance>> issued_by_arn_;
    std::vector<SeenSso> sso_sessions_;
    std::unordered_set<NodeId> sso_seen_;
    std::vector<NodeId> saml_sso_users_;
};

GraphBuilder::GraphBuilder(event::FieldCatalog& catalog, std::vector<std::string> watch,
                           bool fingerprints)
    : fields_(catalog), watch_(std::move(watch)), fingerprints_(fingerprints) {}

FactCollector* GraphBuilder::NewCollector() {
    std::lock_guard<std::mutex> lock(mu_);
    collectors_.push_back(std::make_unique<FactCollector>(
        fields_, watch_, fingerprints_, static_cast<uint16_t>(collectors_.size())));
    return collectors_.back().get();
}

namespace {

// Orders facts by time, then kind (issuance before use within a second), then content, so
// that the replay does not depend on which worker read which file.
class FactOrder {
  public:
    explicit FactOrder(const std::vector<const StringPool*>& pools) : pools_(pools) {}
    bool operator()(const Fact* a, const Fact* b) const {
        if (a->time != b->time) return a->time < b->time;
        if (a->kind != b->kind) return a->kind < b->kind;
        if (int c = Cmp(a, a->event_id, b, b->event_id); c != 0) return c < 0;
        const StrId* ca = &a->caller.type;
        const StrId* cb = &b->caller.type;
        for (size_t i = 0; i < sizeof(CallerRef) / sizeof(StrId); ++i) {
            if (int c = Cmp(a, ca[i], b, cb[i]); c != 0) return c < 0;
        }
        for (int i = 0; i < 6; ++i) {
            if (int c = Cmp(a, a->p[i], b, b->p[i]); c != 0) return c < 0;
        }
        if (int c = Cmp(a, a->ip, b, b->ip); c != 0) return c < 0;
        if (int c = Cmp(a, a->account, b, b->account); c != 0) return c < 0;
        return Cmp(a, a->event_name, b, b->event_name) < 0;
    }

  private:
    int Cmp(const Fact* a, StrId x, const Fact* b, StrId y) const {
        return pools_[a->worker]->Get(x).compare(pools_[b->worker]->Get(y));
    }
    const std::vector<const StringPool*>& pools_;
};

}  // namespace

Graph GraphBuilder::Build() {
    std::vector<const StringPool*> pools;
    std::vector<const Fact*> facts;
    for (size_t w = 0; w < collectors_.size(); ++w) {
        collectors_[w]->Finish();
        pools.push_back(&collectors_[w]->pool());
    }
    for (size_t w = 0; w < collectors_.size(); ++w) {
        for (const Fact& f : collectors_[w]->facts()) facts.push_back(&f);
    }
    fact_count_ = facts.size();
    std::sort(facts.begin(), facts.end(), FactOrder(pools));
    // Identical facts (the same event read from two files) replay once.
    facts.erase(std::unique(facts.begin(), facts.end(),
                            [&](const Fact* a, const Fact* b) {
                                FactOrder less(pools);
                                return !less(a, b) && !less(b, a);
                            }),
                facts.end());
    Graph g;
    BuildState state(g, pools);
    state.Run(facts);
    g.Finalize();
    return g;
}

std::vector<std::vector<uint32_t>> GraphBuilder::TakeFingerprints(size_t file_count) {
    std::vector<std::vector<uint32_t>> out(file_count);
    for (auto& c : collectors_) {
        for (auto& [file, hashes] : c->fingerprints()) {
            if (file < file_count) out[file] = hashes;
        }
    }
    return out;
}

}  // namespace tw::identity
