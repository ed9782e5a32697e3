#include "identity/closure.h"

#include <algorithm>
#include <deque>

#include "core/strings.h"

namespace tw::identity {

std::vector<ResolvedActor> ResolveActors(const Graph& g, const std::vector<std::string>& actors) {
    std::vector<ResolvedActor> out;
    for (const std::string& a : actors) {
        ResolvedActor r;
        r.query = std::string(Trim(a));
        r.nodes = g.Match(r.query);
        out.push_back(std::move(r));
    }
    return out;
}

namespace {

// A step of --depth: a derivation. A user's own key, login profile or console session
// ("owns") and the keyless form of a session ("same-session") are the same principal.
unsigned Weight(EdgeKind k) { return k == EdgeKind::kOwns || k == EdgeKind::kSameSession ? 0 : 1; }

}  // namespace

Closure::Closure(const Graph& g, const std::vector<NodeId>& seeds, unsigned max_depth)
    : g_(g), depth_(g.node_count(), kOut), via_(g.node_count(), kNoEdge) {
    // Seeds derived from other seeds (an Identity Center user and its sessions, found by the
    // same name) are not starting points: paths and depths count from the others.
    std::vector<bool> seed(g.node_count(), false), derived(g.node_count(), false);
    for (NodeId s : seeds) {
        if (s < seed.size()) seed[s] = true;
    }
    {
        std::vector<NodeId> stack;
        std::vector<bool> seen(g.node_count(), false);
        for (NodeId s : seeds) {
            if (s < seen.size() && !seen[s]) seen[s] = true, stack.push_back(s);
        }
        while (!stack.empty()) {
            const NodeId n = stack.back();
            stack.pop_back();
            for (EdgeId e : g.out_edges(n)) {
                const NodeId to = g.edge(e).to;
                if (seed[to] && to != n) derived[to] = true;
                if (!seen[to]) seen[to] = true, stack.push_back(to);
            }
        }
    }
    bool any_root = false;
    for (NodeId s : seeds) any_root = any_root || (s < seed.size() && !derived[s]);
    // 0-1 breadth-first search: nodes leave the deque in order of depth; ties keep edge
    // (time) order, so the result is deterministic.
    std::deque<NodeId> queue;
    for (NodeId s : seeds) {
        if (s < depth_.size() && depth_[s] == kOut && (!any_root || !derived[s])) {
            depth_[s] = 0;
            queue.push_back(s);
        }
    }
    std::vector<bool> done(g.node_count(), false);
    while (!queue.empty()) {
        const NodeId n = queue.front();
        queue.pop_front();
        if (done[n]) continue;
        done[n] = true;
        order_.push_back(n);
        for (EdgeId e : g.out_edges(n)) {
            const NodeId to = g.edge(e).to;
            const unsigned w = Weight(g.edge(e).kind);
            const unsigned d = depth_[n] + w;
            if (max_depth != 0 && d > max_depth) continue;
            if (done[to] || (depth_[to] != kOut && depth_[to] <= d)) continue;
            depth_[to] = d;
            via_[to] = e;
            if (w == 0)
                queue.push_front(to);
            else
                queue.push_back(to);
        }
    }
    // Events made outside the closure that made or changed one of its nodes.
    for (NodeId n : order_) {
        for (EdgeId e : g.in_edges(n)) {
            const Edge& edge = g.edge(e);
            if ((edge.kind == EdgeKind::kAssumeRoleWithSaml ||
                 edge.kind == EdgeKind::kAssumeRoleWithWebIdentity ||
                 edge.kind == EdgeKind::kCreateUser) &&
                !Contains(edge.from) && edge.event_id != kEmptyStr) {
                issued_by_.emplace(std::string(g.str(edge.event_id)), n);
                issuers_.push_back(edge.from);
            }
        }
        for (const AboutEvent& a : g.EventsAbout(n)) {
            if (a.event_id == kEmptyStr || (a.by != kNoNode && Contains(a.by))) continue;
            issued_by_.emplace(std::string(g.str(a.event_id)), n);
            if (a.by != kNoNode) issuers_.push_back(a.by);
        }
    }
}

NodeId Closure::IssuedBy(std::string_view event_id) const {
    if (issued_by_.empty() || event_id.empty()) return kNoNode;
    auto it = issued_by_.find(std::string(event_id));
    return it == issued_by_.end() ? kNoNode : it->second;
}

Chain Closure::PathTo(NodeId n) const {
    Chain c;
    if (!Contains(n)) return c;
    for (NodeId cur = n;;) {
        c.hops.push_back({cur, via_[cur]});
        if (via_[cur] == kNoEdge) break;
        cur = g_.edge(via_[cur]).from;
    }
    std::reverse(c.hops.begin(), c.hops.end());
    return c;
}

std::vector<uint32_t> Closure::Hashes() const {
    std::vector<uint32_t> out;
    for (NodeId n : order_) g_.NodeHashes(n, out);
    for (NodeId n : issuers_) g_.NodeHashes(n, out);
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

}  // namespace tw::identity
