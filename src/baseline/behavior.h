// Behaviour detectors that no Sigma rule can express, because they compare each principal with
// its own past:
//
//  * First seen (the equivalent of GuardDuty InitialAccess:IAMUser/AnomalousBehavior): per
//    principal, source IPs, /24 networks, user-agent families, regions and sensitive API calls
//    never seen for it during a learning period (default: the first 7 days of the input, or its
//    first third when it spans less than 21 days; or all of --baseline data), and principals
//    never seen at all.
//  * After offboarding: activity of an IAM user, access key or Identity Center user after the
//    events that removed its access (DeleteLoginProfile, DeleteUser, DeleteAccessKey,
//    UpdateAccessKey to Inactive, DeleteAccountAssignment, directory DeleteUser/DisableUser).
//
// Results do not depend on the order in which files are read: every sighting keeps its
// earliest time, and bounded heaps keep the earliest and latest events of each principal.
//
// Memory is bounded and documented (docs/design/baseline.md): per principal, at most
// `max_values` values per attribute, `earliest_events` + `latest_events` event references;
// at most `max_principals` principals (later ones are counted, not tracked).
//
// Thread-safety: one BehaviorCollector per ingest worker; Merge() and the *Findings() calls on
// one thread after ingest.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/time.h"
#include "event/event_view.h"
#include "findings/finding.h"

namespace tw::baseline {

struct BehaviorOptions {
    size_t max_principals = 200000;
    size_t max_values = 256;      // per attribute per principal
    size_t earliest_events = 64;  // kept per principal, reported for new principals
    size_t latest_events = 64;    // kept per principal, reported after offboarding
};

// Interns the fields the detectors read.
void RequestBehaviorFields(event::FieldCatalog& catalog);

class BehaviorCollector {
  public:
    // `baseline`: this collector reads known-good history (--baseline); everything it sees
    // counts as learned, whatever its time.
    BehaviorCollector(const event::FieldCatalog& catalog, BehaviorOptions options,
                      bool baseline = false);
    ~BehaviorCollector();
    BehaviorCollector(BehaviorCollector&&) noexcept;
    BehaviorCollector& operator=(BehaviorCollector&&) noexcept;

    void Observe(const event::EventView& ev);
    // Same, for an event whose context (event/context.h) has id `context` in this worker: what
    // depends only on the context (principal, address, client, region) is looked up once.
    void Observe(const event::EventView& ev, uint32_t context);

    // Folds `other` into this collector.
    void Merge(BehaviorCollector&& other);

    // Earliest and latest event times of the non-baseline data (0 when none).
    [[nodiscard]] TimeMs first_time() const;
    [[nodiscard]] TimeMs last_time() const;
    // The default end of the learning period for the data seen.
    [[nodiscard]] TimeMs DefaultLearningEnd() const;

    // One finding per principal with behaviour first seen after `learning_end`.
    [[nodiscard]] std::vector<findings::Finding> FirstSeenFindings(TimeMs learning_end) const;
    // One finding per principal active after the events that removed its access.
    [[nodiscard]] std::vector<findings::Finding> AfterOffboardingFindings() const;

    // Principals seen but not tracked because of max_principals.
    [[nodiscard]] uint64_t untracked_events() const;

    struct State;  // internal (behavior_internal.h)

  private:
    std::unique_ptr<State> s_;
};

// True for API calls that change identities, permissions, logging or security services, or
// read secrets: the calls whose first use by a principal matters.
[[nodiscard]] bool IsSensitiveCall(std::string_view event_source, std::string_view event_name);

// "aws-cli/2.13.5 Python/3.11" -> "aws-cli"; "Mozilla/5.0 (...)" -> "Mozilla".
[[nodiscard]] std::string_view UserAgentFamily(std::string_view user_agent);

// "203.0.113.7" -> "203.0.113.0/24"; IPv6 -> the /48; other text (AWS service names) -> itself.
[[nodiscard]] std::string NetworkOf(std::string_view ip);

}  // namespace tw::baseline
