// Internal to the graph builder: the replay of sorted facts into a Graph (see
// docs/design/identity-graph.md, "Building"). graph_builder.cpp holds the nodes, callers and
// the fact dispatch; graph_links.cpp the derivations and the passes after the replay.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "identity/arn.h"
#include "identity/graph.h"

namespace tw::identity {

namespace build {

inline constexpr TimeMs kConsoleSessionMs = 12 * 3600 * 1000;  // longest console session
inline constexpr TimeMs kScimRunMs = 60 * 1000;  // a SCIM provisioning run: user, then groups

inline bool IsIcType(std::string_view type) {
    return type == "IdentityCenterUser" || type == "Unknown";
}

inline std::string Lower(std::string_view s) {
    std::string out;
    AppendLower(out, s);
    return out;
}

// "AWSReservedSSO_<PermissionSet>_<hash>" -> "<PermissionSet>".
inline std::string_view PermissionSetOfRole(std::string_view role) {
    constexpr std::string_view kPrefix = "AWSReservedSSO_";
    if (!role.starts_with(kPrefix)) return {};
    role.remove_prefix(kPrefix.size());
    const size_t p = role.rfind('_');
    return p == std::string_view::npos ? role : role.substr(0, p);
}

inline EdgeKind IssueEdgeKind(FactKind k) {
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

}  // namespace build

// Replays sorted facts into a Graph. Thread-safety: single-threaded, used once.
class BuildState {
  public:
    BuildState(Graph& g, std::vector<const StringPool*> pools) : g_(g), pools_(std::move(pools)) {}

    void Run(const std::vector<const Fact*>& facts);

  private:
    struct Fed {
        TimeMs time;
        StrId account, role, event_id, event_name;
        NodeId session;  // the access-portal session that asked (or the user)
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

    // ---- Identity Center names and group members, learned before anything else.
    void Learn(const Fact& f);
    void LearnIc(std::string_view id, std::string_view store, std::string_view name);

    // ---- nodes and edges
    NodeId NewNode(Node n, std::string_view canon);
    void Alias(NodeId n, std::string_view canon);
    EdgeId AddEdge(NodeId from, NodeId to, EdgeKind kind, TimeMs time, StrId event_id,
                   StrId event_name);
    EdgeId AddEdge(NodeId from, NodeId to, EdgeKind kind, const Fact& f);

    NodeId IcById(std::string_view id, std::string_view store, TimeMs t);
    NodeId IcByName(std::string_view name, TimeMs t);

    // The identity (not the key) of a caller; kNoNode when it has none.
    NodeId Identity(const Fact& f);

    // The most specific node of a caller: its access key when it has one, else its identity.
    NodeId Caller(const Fact& f);

    NodeId Console(NodeId user, TimeMs t, StrId ip) const;

    NodeId UserNode(std::string_view account, std::string_view name, TimeMs t);

    NodeId Named(NodeKind kind, std::string_view prefix, std::string_view value,
                 std::string_view account, std::string_view arn, TimeMs t);

    // ---- facts
    void Apply(const Fact& f);

    void Issue(const Fact& f);

    void CreateAccessKey(const Fact& f);

    // True when `n` is a key (or console session) that `owner` owns.
    bool IsOwnedBy(NodeId n, NodeId owner) const;

    void LoginProfile(const Fact& f);

    void ConsoleLogin(const Fact& f);

    void CreateIdentityProvider(const Fact& f);

    // An Identity Center user created (an edge from its creator) or provisioned by SCIM (an
    // event about it: the IdP's token is not the user's root).
    void IcCreateUser(const Fact& f);

    // A user added to a group (sso-directory: named; SCIM: inferred in Learn): an event about
    // the user.
    void AddMember(const Fact& f);

    // An assignment (or ProvisionPermissionSet) starts Identity Center's provisioning of the
    // permission set's role in the target account: those service calls are the caller's.
    void Provision(const Fact& f);

    // ---- after the replay
    // Identity Center user -> its AWSReservedSSO_* sessions (the session name is the user
    // name). The edge carries the Federate event that opened the session when there is one,
    // else the CreateAccountAssignment that made it possible, else the session's first event.
    void LinkSsoSessions();

    // The access-portal request (Federate, GetRoleCredentials) that an Identity Center
    // AssumeRoleWithSAML into `session` answers: same user, account and permission set, at
    // most a few minutes before.
    const Fed* PortalRequest(std::string_view subject, const Node& session, TimeMs t);

    const Fed* BestFederate(NodeId user, StrId account, std::string_view ps, TimeMs seen) const;

    const Assignment* BestAssignment(NodeId user, StrId account, TimeMs seen) const;

    // SAML users of Identity Center's own provider (AWSSSO_*) are Identity Center users.
    void LinkSamlSsoUsers();

    // When every issuance of a session name came from one parent, the session's events made
    // with keys the input never shows being issued (console refreshes) belong to it too.
    void LinkUniqueIssuers();

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
    // SCIM: users each token created (time, user id), and the member a group patch added when
    // it can be told (eventID -> user id; see Learn).
    std::unordered_map<std::string, std::vector<std::pair<TimeMs, std::string>>> scim_created_;
    std::unordered_map<std::string, std::string> scim_member_;
    std::unordered_map<std::string, std::string> ps_name_of_arn_;  // permission sets
    std::unordered_map<NodeId, std::vector<Fed>> federates_;
    std::vector<Assignment> assignments_;
    std::unordered_map<NodeId, std::vector<std::pair<TimeMs, NodeId>>> passwords_;
    std::unordered_map<StrId, std::vector<Issuance>> issued_by_arn_;
    std::vector<SeenSso> sso_sessions_;
    std::unordered_set<NodeId> sso_seen_;
    std::vector<NodeId> saml_sso_users_;
};

}  // namespace tw::identity
