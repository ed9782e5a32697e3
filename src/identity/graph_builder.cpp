// GraphBuilder: merges the facts of every worker, sorts them by event time and replays them
// into the graph (see docs/design/identity-graph.md, "Building").
#include <algorithm>
#include <unordered_set>

#include "identity/build_state.h"

namespace tw::identity {

using build::IsIcType;
using build::kConsoleSessionMs;
using build::kScimRunMs;
using build::Lower;

void BuildState::Run(const std::vector<const Fact*>& facts) {
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

void BuildState::Learn(const Fact& f) {
    const CallerRef& c = f.caller;
    if (f.kind == FactKind::kIcCreateUser) {
        LearnIc(S(f, f.p[kPKey]), S(f, f.p[kPArn]), S(f, f.p[kPName]));
    } else if (IsIcType(S(f, c.type))) {
        LearnIc(S(f, c.ic_user_id), S(f, c.ic_store), S(f, c.user_name));
    }
    if (f.kind == FactKind::kCreatePermissionSet) {
        ps_name_of_arn_.try_emplace(std::string(S(f, f.p[kPArn])), S(f, f.p[kPName]));
    }
    if (f.kind == FactKind::kAddMemberToGroup) {
        members_[std::string(S(f, f.p[kPArn]))].emplace_back(S(f, f.p[kPKey]));
    }
    // An IdP provisions a user, then its group memberships, in one run: a SCIM group patch
    // whose members are hidden adds the user its token created in the minute before, when
    // there is exactly one.
    const std::string_view key = S(f, c.key);
    if (f.kind == FactKind::kIcCreateUser && S(f, f.p[kPExtra]) == "scim" && !key.empty()) {
        scim_created_[std::string(key)].emplace_back(f.time, S(f, f.p[kPKey]));
    }
    if (f.kind == FactKind::kScimAddMember && !key.empty()) {
        auto it = scim_created_.find(std::string(key));
        if (it == scim_created_.end()) return;
        std::string_view user;
        int n = 0;
        for (const auto& [t, id] : it->second) {
            if (t > f.time || f.time - t > kScimRunMs || id == user) continue;
            user = id;
            ++n;
        }
        if (n != 1) return;
        members_[std::string(S(f, f.p[kPArn]))].emplace_back(user);
        scim_member_.try_emplace(std::string(S(f, f.event_id)), user);
    }
}

void BuildState::LearnIc(std::string_view id, std::string_view store, std::string_view name) {
    if (id.empty()) return;
    if (!store.empty()) ic_store_of_id_.try_emplace(std::string(id), store);
    if (name.empty()) return;
    ic_name_of_id_.try_emplace(std::string(id), name);
    ic_ids_of_name_[Lower(name)].emplace_back(id);
}

NodeId BuildState::NewNode(Node n, std::string_view canon) {
    const auto id = static_cast<NodeId>(g_.nodes_.size());
    if (!canon.empty()) {
        n.canon = G(canon);
        g_.identities_.emplace(std::string(canon), id);
    }
    g_.nodes_.push_back(n);
    return id;
}

void BuildState::Alias(NodeId n, std::string_view canon) {
    if (g_.identities_.emplace(std::string(canon), n).second) {
        g_.aliases_.emplace_back(n, G(canon));
    }
}

EdgeId BuildState::AddEdge(NodeId from, NodeId to, EdgeKind kind, TimeMs time, StrId event_id,
                           StrId event_name) {
    if (from == kNoNode || to == kNoNode || from == to) return kNoEdge;
    const uint64_t k = (static_cast<uint64_t>(from) << 32) | to;
    auto [it, fresh] = edge_index_.try_emplace(k, static_cast<EdgeId>(g_.edges_.size()));
    if (!fresh) return it->second;
    g_.edges_.push_back(Edge{from, to, kind, time, event_id, event_name, kEmptyStr});
    return it->second;
}

EdgeId BuildState::AddEdge(NodeId from, NodeId to, EdgeKind kind, const Fact& f) {
    return AddEdge(from, to, kind, f.time, G(S(f, f.event_id)), G(S(f, f.event_name)));
}

NodeId BuildState::IcById(std::string_view id, std::string_view store, TimeMs t) {
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

NodeId BuildState::IcByName(std::string_view name, TimeMs t) {
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

NodeId BuildState::Identity(const Fact& f) {
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

NodeId BuildState::Caller(const Fact& f) {
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
             : IsIcType(type)          ? NodeKind::kPortalSession
                                       : NodeKind::kAccessKey;
    n.key = G(key);
    if (id != kNoNode) {
        const Node& idn = g_.nodes_[id];
        n.account = idn.account;
        n.name = idn.name == kEmptyStr && n.kind == NodeKind::kPortalSession ? idn.key : idn.name;
        n.arn = idn.arn;
        n.extra = idn.extra;
    }
    n.first_seen = f.time;
    const NodeId node = NewNode(n, {});
    g_.keys_.emplace(n.key, node);
    AddEdge(owner, node, EdgeKind::kOwns, f);
    return node;
}

NodeId BuildState::Console(NodeId user, TimeMs t, StrId ip) const {
    auto it = g_.consoles_.find(user);
    if (it == g_.consoles_.end()) return kNoNode;
    for (auto e = it->second.rbegin(); e != it->second.rend(); ++e) {
        if (e->time > t) continue;
        if (t - e->time > kConsoleSessionMs) break;
        if (e->ip == ip) return e->node;
    }
    return kNoNode;
}

NodeId BuildState::UserNode(std::string_view account, std::string_view name, TimeMs t) {
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

void BuildState::Apply(const Fact& f) {
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
        case FactKind::kIcCreateUser:
            IcCreateUser(f);
            break;
        case FactKind::kIcSignIn:
        case FactKind::kSeenSourceIdentity:
            if (f.kind == FactKind::kSeenSourceIdentity) {
                Named(NodeKind::kSourceIdentity, "si:", S(f, f.caller.source_identity), {}, {},
                      f.time);
            }
            Identity(f);
            break;
        case FactKind::kIcFederate: {
            const NodeId session = Caller(f);
            const NodeId user = Identity(f);
            if (user != kNoNode) {
                federates_[user].push_back(Fed{f.time, G(S(f, f.p[kPArn])), G(S(f, f.p[kPName])),
                                               G(S(f, f.event_id)), G(S(f, f.event_name)),
                                               session});
            }
            break;
        }
        case FactKind::kCreateAccountAssignment:
            assignments_.push_back(Assignment{f.time, G(S(f, f.p[kPArn])), G(S(f, f.p[kPKey])),
                                              G(S(f, f.p[kPExtra])), G(S(f, f.event_id)),
                                              G(S(f, f.event_name))});
            Provision(f);
            break;
        case FactKind::kCreatePermissionSet:
            break;  // learned up front
        case FactKind::kAddMemberToGroup:
        case FactKind::kScimAddMember:
            AddMember(f);  // the group's members were learned up front
            break;
        case FactKind::kCreateIdentityProvider:
            CreateIdentityProvider(f);
            break;
        case FactKind::kSeenSsoSession: {
            const NodeId s = Identity(f);
            if (s != kNoNode && sso_seen_.insert(s).second) {
                sso_sessions_.push_back({s, f.time, G(S(f, f.event_id)), G(S(f, f.event_name))});
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

void BuildState::IcCreateUser(const Fact& f) {
    const NodeId parent = Caller(f);
    const NodeId user = IcById(S(f, f.p[kPKey]), S(f, f.p[kPArn]), f.time);
    if (S(f, f.p[kPExtra]) == "scim") {
        if (user != kNoNode) {
            g_.about_.push_back({user, parent, f.time, G(S(f, f.event_id))});
        }
        return;
    }
    AddEdge(parent, user, EdgeKind::kCreateUser, f);
}

void BuildState::AddMember(const Fact& f) {
    std::string_view member;
    if (f.kind == FactKind::kAddMemberToGroup) {
        member = S(f, f.p[kPKey]);
    } else {
        auto it = scim_member_.find(std::string(S(f, f.event_id)));
        if (it == scim_member_.end()) return;
        member = it->second;
    }
    if (member.empty()) return;
    const NodeId by = Caller(f);
    const NodeId user = IcById(member, S(f, f.p[kPExtra]), f.time);
    if (user != kNoNode && user != by) {
        g_.about_.push_back({user, by, f.time, G(S(f, f.event_id))});
    }
}

NodeId BuildState::Named(NodeKind kind, std::string_view prefix, std::string_view value,
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

FileFingerprints GraphBuilder::TakeFingerprints(size_t file_count) {
    std::vector<const FactCollector*> cs;
    for (const auto& c : collectors_) cs.push_back(c.get());
    FileFingerprints out(file_count, cs);
    for (auto& c : collectors_) c->DropFingerprints();
    return out;
}

}  // namespace tw::identity
