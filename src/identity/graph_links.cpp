// The derivations of the graph builder (STS issuance, keys, login profiles, console
// sign-ins, identity providers) and the links made after the replay (Identity Center
// sessions, unique issuers).
#include <algorithm>

#include "identity/build_state.h"

namespace tw::identity {

using build::IssueEdgeKind;
using build::Lower;
using build::PermissionSetOfRole;

void BuildState::Issue(const Fact& f) {
    NodeId parent = Caller(f);
    const std::string_view arn = S(f, f.p[kPArn]);
    if (f.kind == FactKind::kAssumeRoleWithSaml || f.kind == FactKind::kAssumeRoleWithWebIdentity) {
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
    if (f.kind == FactKind::kAssumeRoleWithSaml &&
        AfterLastSlash(S(f, f.p[kPProvider])).starts_with("AWSSSO_")) {
        // Identity Center answering an access-portal request: the portal session is the
        // session's origin (a user's other sign-ins are not).
        const Node child_node = g_.nodes_[child];
        if (const Fed* fed = PortalRequest(S(f, f.p[kPName]), child_node, f.time)) {
            AddEdge(fed->session, child, EdgeKind::kSsoSignIn, fed->time, fed->event_id,
                    fed->event_name);
        }
    }
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

void BuildState::CreateAccessKey(const Fact& f) {
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

bool BuildState::IsOwnedBy(NodeId n, NodeId owner) const {
    if (n == kNoNode || owner == kNoNode) return false;
    auto it = edge_index_.find((static_cast<uint64_t>(owner) << 32) | n);
    return it != edge_index_.end() && g_.edges_[it->second].kind == EdgeKind::kOwns;
}

void BuildState::LoginProfile(const Fact& f) {
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

void BuildState::ConsoleLogin(const Fact& f) {
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

void BuildState::CreateIdentityProvider(const Fact& f) {
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

void BuildState::Provision(const Fact& f) {
    const std::string_view target = S(f, f.p[kPArn]);
    if (target.empty()) return;
    const NodeId parent = Caller(f);
    const std::string ps_arn(S(f, f.p[kPProvider]));
    auto named = ps_name_of_arn_.find(ps_arn);
    Node n;
    n.kind = NodeKind::kSsoProvisioning;
    n.account = G(target);
    n.name = G(named != ps_name_of_arn_.end() ? std::string_view(named->second)
                                              : AfterLastSlash(ps_arn));
    n.extra = G(ps_arn);
    n.first_seen = f.time;
    const NodeId node = NewNode(n, {});
    AddEdge(parent, node, EdgeKind::kCreateAccountAssignment, f);
    g_.provisioning_[n.account].push_back(
        {f.time, named != ps_name_of_arn_.end() ? n.name : kEmptyStr, node});
}

void BuildState::LinkSsoSessions() {
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

const BuildState::Fed* BuildState::PortalRequest(std::string_view subject, const Node& session,
                                                 TimeMs t) {
    constexpr TimeMs kBefore = 5 * 60 * 1000, kAfter = 60 * 1000;
    const std::string name = Lower(subject);
    std::vector<NodeId> users;
    if (NodeId u = g_.FindIdentity("icname:" + name); u != kNoNode) users.push_back(u);
    auto it = ic_ids_of_name_.find(name);
    if (it != ic_ids_of_name_.end()) {
        for (const std::string& id : it->second) users.push_back(IcById(id, {}, t));
    }
    const std::string_view ps = PermissionSetOfRole(g_.pool_.Get(session.extra));
    const Fed* best = nullptr;
    for (NodeId u : users) {
        auto f = federates_.find(u);
        if (f == federates_.end()) continue;
        for (const Fed& fed : f->second) {
            if (fed.account != session.account || fed.time > t + kAfter || t - fed.time > kBefore) {
                continue;
            }
            const std::string_view role = g_.pool_.Get(fed.role);
            if (!role.empty() && !ps.empty() && role != ps) continue;
            if (best == nullptr || fed.time > best->time) best = &fed;
        }
    }
    return best;
}

const BuildState::Fed* BuildState::BestFederate(NodeId user, StrId account, std::string_view ps,
                                                TimeMs seen) const {
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

const BuildState::Assignment* BuildState::BestAssignment(NodeId user, StrId account,
                                                         TimeMs seen) const {
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

void BuildState::LinkSamlSsoUsers() {
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

void BuildState::LinkUniqueIssuers() {
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
            n.kind = a.find(":federated-user/") != std::string_view::npos ? NodeKind::kFederatedUser
                                                                          : NodeKind::kRoleSession;
            n.generic = true;
            n.arn = arn;
            n.account = G(ArnField(a, 4));
            n.name = G(AfterLastSlash(a));
            n.extra = G(RoleOfSessionArn(a));
            n.first_seen = first.time;
            generic = NewNode(n, canon_);
        }
        AddEdge(list.front().parent, generic, EdgeKind::kSameSession, first.time, first.event_id,
                first.event_name);
    }
}

}  // namespace tw::identity
