// Actors and their closure: resolves what a responder types after --actor (an ARN, a user
// name, an access key id, an Identity Center user id or name, a federated name, a role
// session name, a source IP) to graph nodes, then walks every credential derived from them.
//
// Thread-safety: a Closure is immutable after construction and may be shared by workers.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "identity/graph.h"

namespace tw::identity {

struct ResolvedActor {
    std::string query;
    std::vector<NodeId> nodes;  // empty: not found in the input
};

// Resolves each actor string (Graph::Match). Order follows `actors`.
[[nodiscard]] std::vector<ResolvedActor> ResolveActors(const Graph& g,
                                                       const std::vector<std::string>& actors);

// Every node derived from the seeds, breadth first (edges in time order), up to `max_depth`
// derivation steps (0: no limit). A user's own keys and the keyless form of a session are
// not steps.
class Closure {
  public:
    Closure(const Graph& g, const std::vector<NodeId>& seeds, unsigned max_depth);

    [[nodiscard]] bool Contains(NodeId n) const { return n < depth_.size() && depth_[n] != kOut; }
    [[nodiscard]] unsigned depth(NodeId n) const { return depth_[n]; }
    // The edge that reached `n` first (kNoEdge for a seed).
    [[nodiscard]] EdgeId via(NodeId n) const { return via_[n]; }
    // Nodes in the order they were reached (seeds first).
    [[nodiscard]] const std::vector<NodeId>& nodes() const { return order_; }
    // The derivation path from a seed to `n`: hops[0] is the seed.
    [[nodiscard]] Chain PathTo(NodeId n) const;
    // Fingerprint hashes of every node (sorted, unique), for skipping files.
    [[nodiscard]] std::vector<uint32_t> Hashes() const;
    // The closure node made or changed by the event `event_id` when that event was made by an
    // identity outside the closure (the AssumeRoleWithSAML or AssumeRoleWithWebIdentity call
    // that opened one of the actor's sessions, the CreateUser or SCIM provisioning of one of
    // its Identity Center users, a group membership given to it), else kNoNode.
    [[nodiscard]] NodeId IssuedBy(std::string_view event_id) const;
    // Every event id IssuedBy knows, with its node.
    [[nodiscard]] const std::unordered_map<std::string, NodeId>& issued_by() const {
        return issued_by_;
    }

  private:
    static constexpr unsigned kOut = 0xFFFFFFFFu;
    const Graph& g_;
    std::vector<unsigned> depth_;
    std::vector<EdgeId> via_;
    std::vector<NodeId> order_;
    std::unordered_map<std::string, NodeId> issued_by_;
    std::vector<NodeId> issuers_;  // the outside identities of issued_by_
};

}  // namespace tw::identity
