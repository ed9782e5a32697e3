// The credential-derivation graph: nodes are principals and credentials (IAM users, access
// keys, role sessions, federated users, Identity Center users, SAML and web-identity users,
// identity providers, root, AWS services, login profiles, console sessions, source
// identities); an edge A -> B means "B was derived from A" and carries the CloudTrail event
// that created it (CreateAccessKey, AssumeRole*, GetSessionToken, GetFederationToken,
// CreateUser, Federate/CreateAccountAssignment, CreateSAMLProvider, CreateLoginProfile,
// ConsoleLogin, sourceIdentity, ...). See docs/design/identity-graph.md.
//
// The graph answers two questions:
//   - which node made an event (Candidates(): by access key, else by identity, plus the
//     console session and source identity the event belongs to);
//   - where a credential comes from (RootChain(): the chain back to the root actor).
//
// Usage (e.g. from hunt):
//   GraphBuilder builder(catalog);                 // before ingest
//   ... each worker: FactCollector* c = builder.NewCollector(); c->OnEvent(ev) ...
//   Graph g = builder.Build();                     // after ingest
//   CredentialRef ref = ...;                       // kept from the event (see CredentialRef)
//   Chain chain = g.RootChain(g.Candidates(ref, scratch).primary);
//   chain.root -> g.Label(chain.root) names the root actor.
//
// Lifetime: string_views returned by a Graph live as long as the Graph.
// Thread-safety: a built Graph is immutable; its const methods may be called concurrently.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/time.h"
#include "event/event_view.h"
#include "identity/facts.h"
#include "identity/string_pool.h"

namespace tw::identity {

using NodeId = uint32_t;
using EdgeId = uint32_t;
inline constexpr NodeId kNoNode = 0xFFFFFFFFu;
inline constexpr EdgeId kNoEdge = 0xFFFFFFFFu;

enum class NodeKind : uint8_t {
    kIamUser,
    kAccessKey,  // a long-term key (AKIA) or a session token of a user or root (ASIA)
    kRoleSession,
    kFederatedUser,
    kIcUser,  // Identity Center user
    kSamlUser,
    kWebIdentityUser,
    kIdentityProvider,
    kRoot,
    kService,
    kLoginProfile,    // a console password set for an IAM user
    kConsoleSession,  // an IAM user's console sign-in
    kSourceIdentity,
    kAccountPrincipal,  // a principal of another account known only by its id
    kSsoProvisioning,   // a permission set provisioned into an account by an assignment
    kPortalSession,     // an Identity Center user's access-portal session (credentialId)
};

// Short lower-case name ("iam-user", "access-key", "role-session", ...).
[[nodiscard]] const char* NodeKindName(NodeKind k);

struct Node {
    NodeKind kind = NodeKind::kIamUser;
    // Sessions and federated users: true for the identity as seen in events without a known
    // key (e.g. AWSReservedSSO_* sessions); false for one issued credential.
    bool generic = false;
    StrId account = kEmptyStr;
    StrId name = kEmptyStr;   // user / session / IC user / subject / service / IdP / value
    StrId arn = kEmptyStr;    // ARN when there is one
    StrId key = kEmptyStr;    // access key id; IC user: the user id
    StrId extra = kEmptyStr;  // IC user: store id; session: role name; IdP: idp kind
    StrId canon = kEmptyStr;  // canonical identity (see CanonicalIdentity), or ""
    TimeMs first_seen = 0;
};

enum class EdgeKind : uint8_t {
    kOwns,  // a user's own key, login profile or console session; an identity's unknown key
    kCreateAccessKey,
    kAssumeRole,
    kAssumeRoleWithSaml,
    kAssumeRoleWithWebIdentity,
    kFederationAssertion,  // identity provider -> SAML / web-identity user
    kGetSessionToken,
    kGetFederationToken,
    kCreateUser,  // Identity Center CreateUser
    kSsoSignIn,   // Identity Center user -> AWSReservedSSO_* session (Federate / assignment)
    kCreateIdentityProvider,
    kCreateLoginProfile,
    kUpdateLoginProfile,
    kConsoleLogin,
    kSetSourceIdentity,
    kSameSession,  // the only issuer of a session name -> its sessions whose key is unknown
    kCreateAccountAssignment,  // -> the provisioning it starts in the target account
};

[[nodiscard]] const char* EdgeKindName(EdgeKind k);

struct Edge {
    NodeId from = kNoNode;
    NodeId to = kNoNode;
    EdgeKind kind = EdgeKind::kOwns;
    TimeMs time = 0;
    StrId event_id = kEmptyStr;    // the event that created the edge
    StrId event_name = kEmptyStr;  // its eventName
    StrId enabled_by = kEmptyStr;  // SSO sessions: the CreateAccountAssignment eventID
};

// The credential of one event, as hunt or timeline keep it (views into the event or into
// the caller's storage; see CredentialRefOf).
struct CredentialRef {
    std::string_view type, arn, key, principal_id, account_id, user_name, invoked_by,
        source_identity, ic_user_id, ic_store, idp, ip;
    std::string_view event_account;  // recipientAccountId
    std::string_view role_name;      // requestParameters.roleName (SSO provisioning)
    TimeMs time = 0;
};

// Reads the credential of `ev` (views valid while the event callback runs).
[[nodiscard]] CredentialRef CredentialRefOf(const event::EventView& ev, const IdentityFields& f);

// An owned copy of a CredentialRef, for keeping past the event callback (e.g. in a finding).
struct CredentialCopy {
    std::string type, arn, key, principal_id, account_id, user_name, invoked_by, source_identity,
        ic_user_id, ic_store, idp, ip, event_account, role_name;
    TimeMs time = 0;
    explicit CredentialCopy(const CredentialRef& r);
    // Views into this copy.
    [[nodiscard]] CredentialRef ref() const;
};

// The nodes an event belongs to, in order of precedence.
struct Candidates {
    NodeId primary = kNoNode;          // by access key, else by identity
    bool by_key = false;               // primary was found by the access key
    NodeId console = kNoNode;          // an IAM user's console session covering the event
    NodeId source_identity = kNoNode;  // the event's sessionContext.sourceIdentity
    NodeId provisioning = kNoNode;     // Identity Center provisioning started by an assignment
};

// The candidates of an event that do not depend on its time (primary, source_identity), and
// what the timed ones (console, provisioning) are looked up from. Events of one context (same
// credential fields, other times) share them.
struct FixedCandidates {
    Candidates c;                   // console and provisioning left empty
    NodeId console_user = kNoNode;  // an IAM user whose console sessions may cover the event
    StrId ip = kNoStr;              // the event's source IP, for console sessions
    bool provisioning = false;      // an Identity Center service call (Graph::Provisioning)
    [[nodiscard]] bool timed() const { return console_user != kNoNode || provisioning; }
};

// A chain of derivations: hops[0] is the root actor, hops.back() the credential asked about.
struct Chain {
    struct Hop {
        NodeId node = kNoNode;
        EdgeId via = kNoEdge;  // edge from the previous hop (kNoEdge for hops[0])
    };
    std::vector<Hop> hops;
    [[nodiscard]] NodeId root() const { return hops.empty() ? kNoNode : hops.front().node; }
};

struct Attribution;

// An event another principal made about a node without deriving it: the SCIM provisioning of
// an Identity Center user by the external IdP, a user added to a group. Timelines of the node
// show it; root chains do not go through it (the IdP's SCIM token is a channel, not an actor).
struct AboutEvent {
    NodeId node = kNoNode;  // the node the event is about
    NodeId by = kNoNode;    // the node that made it (kNoNode when unknown)
    TimeMs time = 0;
    StrId event_id = kEmptyStr;
};

class Graph {
  public:
    Graph() = default;
    Graph(Graph&&) = default;
    Graph& operator=(Graph&&) = default;

    [[nodiscard]] size_t node_count() const { return nodes_.size(); }
    [[nodiscard]] size_t edge_count() const { return edges_.size(); }
    [[nodiscard]] const Node& node(NodeId n) const { return nodes_[n]; }
    [[nodiscard]] const Edge& edge(EdgeId e) const { return edges_[e]; }
    [[nodiscard]] std::string_view str(StrId id) const { return pool_.Get(id); }

    // Edges out of / into `n`, ordered by (time, eventID, other end).
    [[nodiscard]] std::span<const EdgeId> out_edges(NodeId n) const;
    [[nodiscard]] std::span<const EdgeId> in_edges(NodeId n) const;

    // The events made by others about `n` (see AboutEvent), in time order.
    [[nodiscard]] std::span<const AboutEvent> EventsAbout(NodeId n) const;

    // The node of an access key id, or kNoNode.
    [[nodiscard]] NodeId FindKey(std::string_view key) const;
    // The node of a canonical identity string (see CanonicalIdentity), or kNoNode.
    [[nodiscard]] NodeId FindIdentity(std::string_view canonical) const;

    // Which nodes made the event described by `ref`. `scratch` is reused storage.
    [[nodiscard]] Candidates CandidatesOf(const CredentialRef& ref, std::string& scratch) const;
    // The same in two steps: what does not depend on ref.time, then the console session and
    // provisioning at ref.time (only when fixed.timed()).
    [[nodiscard]] FixedCandidates FixedCandidatesOf(const CredentialRef& ref,
                                                    std::string& scratch) const;
    void AddTimedCandidates(const FixedCandidates& fixed, const CredentialRef& ref,
                            Candidates& c) const;

    // The chain from the root actor down to `n`: at each step the earliest creating edge
    // (an issuer is preferred over the owner: a key made by X for Bob comes from X).
    [[nodiscard]] Chain RootChain(NodeId n) const;

    // Who is behind an event: the node that made it and the chain from the root actor down
    // to that node. nullopt when the graph does not know the credential. This is what hunt
    // uses to name the root actor of a finding (Finding::actor.root).
    [[nodiscard]] std::optional<Attribution> Attribute(const CredentialRef& ref) const;

    // A short human label: "iam-user/bob@111122223333", "role-session/Admin/alice@...",
    // "sso-user/alice", "access-key/AKIA...", ...
    [[nodiscard]] std::string Label(NodeId n) const;

    // Fingerprint hashes under which events of `n` are found (see FactCollector).
    void NodeHashes(NodeId n, std::vector<uint32_t>& out) const;

    // Nodes that made events matching a watched actor string (GraphBuilder `watch`: a source
    // IP, key, ARN or name), ordered by node id.
    [[nodiscard]] std::vector<NodeId> WatchedSeeds(std::string_view value) const;

    // Every node whose name/ARN/key/id matches `query` (see docs/design/identity-graph.md,
    // "Actors"); case-insensitive for names. Ordered by node id.
    [[nodiscard]] std::vector<NodeId> Match(std::string_view query) const;

    // Approximate bytes held.
    [[nodiscard]] size_t bytes() const;

  private:
    friend class BuildState;
    friend class GraphBuilder;
    void Finalize();  // builds the adjacency lists (after the last edge)
    // The provisioning node an Identity Center service call belongs to, or kNoNode.
    [[nodiscard]] NodeId Provisioning(const CredentialRef& r) const;
    struct Hash {
        using is_transparent = void;
        size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
    };
    struct ConsoleEntry {
        TimeMs time;
        StrId ip;
        NodeId node;
    };

    StringPool pool_;
    std::vector<Node> nodes_;
    std::vector<Edge> edges_;
    std::vector<uint32_t> out_begin_, in_begin_;  // CSR offsets (size nodes + 1)
    std::vector<EdgeId> out_, in_;
    std::unordered_map<StrId, NodeId> keys_;
    std::unordered_map<std::string, NodeId, Hash, std::equal_to<>> identities_;
    std::vector<std::pair<NodeId, StrId>> aliases_;  // extra canonical strings of a node
    std::unordered_map<NodeId, std::vector<ConsoleEntry>> consoles_;  // by IAM user node
    struct ProvisioningEntry {
        TimeMs time;
        StrId permission_set;  // name, or "" when the input does not show it
        NodeId node;
    };
    std::unordered_map<StrId, std::vector<ProvisioningEntry>> provisioning_;  // by account
    std::unordered_map<std::string, std::vector<NodeId>, Hash, std::equal_to<>> watched_;
    std::vector<AboutEvent> about_;  // sorted by (node, time, eventID) in Finalize
};

struct Attribution {
    NodeId node = kNoNode;  // the credential that made the event
    Chain chain;            // root actor -> ... -> node
    std::string root;       // Label() of the root actor, e.g. "sso-user/idp-admin"
    std::string path;       // "sso-user/idp-admin > [Federate <id>] role-session/..."
};

// Collects facts on the ingest workers and builds the graph once they are done.
// Thread-safety: NewCollector() may be called from any thread; Build() once, after ingest.
class GraphBuilder {
  public:
    // Interns the identity fields in `catalog` (before ingest). `watch`: actor strings whose
    // matching credentials get nodes even without identity events (Graph::WatchedSeeds).
    // `fingerprints`: keep per-file fingerprints (TakeFingerprints).
    explicit GraphBuilder(event::FieldCatalog& catalog, std::vector<std::string> watch = {},
                          bool fingerprints = false);

    // A collector for one worker, owned by the builder.
    FactCollector* NewCollector();
    [[nodiscard]] const IdentityFields& fields() const { return fields_; }

    // Builds the graph from every collector's facts, sorted by event time (the result does
    // not depend on file order or thread count).
    [[nodiscard]] Graph Build();

    // The per-file fingerprints of `file_count` files. Call after Build(); the collectors'
    // copies are freed.
    [[nodiscard]] FileFingerprints TakeFingerprints(size_t file_count);

    // Facts collected (after Build()).
    [[nodiscard]] size_t fact_count() const { return fact_count_; }

  private:
    IdentityFields fields_;
    std::vector<std::string> watch_;
    bool fingerprints_;
    std::mutex mu_;
    std::vector<std::unique_ptr<FactCollector>> collectors_;
    size_t fact_count_ = 0;
};

}  // namespace tw::identity
