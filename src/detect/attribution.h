// Who is behind a finding, and what did they go on to do. Built on the credential-derivation
// graph (src/identity), collected during the hunt's single ingest pass:
//
//  * NameRoots: each finding's actor gets `root`, the label of the root actor of its chain
//    (the Identity Center user behind an AWSReservedSSO session, the IAM user behind a
//    federated session, ...), when the graph knows more than the immediate session.
//  * DerivedActivity: for the credentials behind findings of medium severity or more, every
//    call made with them or with a credential derived from them (tw.actor.derived-activity).
//    The calls are found among the events the hunt kept from its pass (matched, and unmatched
//    up to a bound); past the bound, by a second pass over only the files whose fingerprints
//    may hold such calls.
//
// Thread-safety: NewCollector() and CopyCredential() (const) from any thread during ingest; the
// rest on one thread after.
#pragma once

#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/diagnostics.h"
#include "detect/aggregate.h"
#include "detect/event_info.h"
#include "findings/finding.h"
#include "identity/graph.h"
#include "ingest/pipeline.h"

namespace tw::detect {

class HuntIdentity {
  public:
    // Interns the identity fields in `catalog` (before it is frozen).
    explicit HuntIdentity(event::FieldCatalog& catalog);
    ~HuntIdentity();

    // One per ingest worker; owned by this object.
    [[nodiscard]] identity::FactCollector* NewCollector();
    [[nodiscard]] const identity::IdentityFields& fields() const;

    // Builds the graph (after ingest).
    void Build(size_t file_count);

    // Sets actor.root on findings whose first event's credential the graph can attribute.
    // `events`: the matched events, with their credentials (EventInfo::cred()); an event is
    // found by its id (the first matched event with that id).
    void NameRoots(std::vector<PendingFinding>& findings, const EventList& events) const;

    // Findings of the activity derived from the credentials behind `flagged` findings
    // (severity >= medium), one per flagged credential. The events are `events` (matched) and
    // `unmatched` (every other event of the run, by worker) when the run kept them all; with
    // `unmatched` null, the files that may hold such events are read again.
    [[nodiscard]] std::vector<findings::Finding> DerivedActivity(
        const std::vector<PendingFinding>& flagged, const EventList& events,
        const std::vector<std::deque<UnmatchedEvent>>* unmatched,
        const std::vector<ingest::InputFile>& files, const ingest::IngestOptions& ingest_opt);

    // The credential of `ev`, kept in `store`.
    [[nodiscard]] const identity::CredentialRef* CopyCredential(const event::EventView& ev,
                                                                StringStore& store) const;

  private:
    struct State;
    std::unique_ptr<State> s_;
};

}  // namespace tw::detect
