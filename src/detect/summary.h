// Rendering of what a finding says about its events: the rule's `summary` template (a
// trailwarden extension to Sigma, see rules/README.md) and the distinct values of the rule's
// `fields`, which become the finding's evidence.
//
//   "{actor} created access key {responseElements.accessKey.accessKeyId} for
//   {requestParameters.userName}"
//
// Placeholders are event field paths (their distinct values over the finding's events) or
// names of the finding: {actor}, {account}, {accounts_count}, {region}, {count},
// {eventNames}, and correlation group-by keys; {a|b} takes the first that has a value and
// {#field} counts the distinct values of a field.
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "detect/event_info.h"
#include "findings/finding.h"

namespace tw::detect {

// The event field paths a template refers to (placeholders that are not names of the finding).
[[nodiscard]] std::vector<std::string> TemplateFields(std::string_view tmpl);

// Where each extra field path sits in EventInfo::extra.
class FieldIndex {
  public:
    explicit FieldIndex(const std::vector<std::string>& extra_fields);
    // Index into EventInfo::extra, or -1.
    [[nodiscard]] int Find(std::string_view path) const;

  private:
    std::vector<std::string> fields_;
};

// Distinct values of `path` over the events `idx` (in first-seen order), at most `max`.
[[nodiscard]] std::vector<std::string> DistinctValues(std::string_view path,
                                                      const EventList& events,
                                                      const std::vector<uint32_t>& idx,
                                                      const FieldIndex& index, size_t max = 50);

// Renders `tmpl` for a finding whose common parts (actor, accounts, regions, event names and
// ids) are filled. `group`: correlation group-by values by key.
[[nodiscard]] std::string RenderSummary(
    std::string_view tmpl, const findings::Finding& f, const EventList& events,
    const std::vector<uint32_t>& idx, const FieldIndex& index,
    const std::vector<std::pair<std::string, std::string>>& group = {});

// A readable name for an actor ARN: "alice@example.com (AdministratorAccess in 111122223333)"
// for an Identity Center session, "IAM user bob (111122223333)", "the root user of
// 111122223333"; other ARNs unchanged.
[[nodiscard]] std::string ShortActor(std::string_view arn);
// Who a finding's actor is, in words: its ARN (shortened by ShortActor when `short_arn`), else
// its principal id, else "access key <id>" (SCIM calls of an external IdP name only their
// token), else "an unknown actor".
[[nodiscard]] std::string ActorText(const findings::Finding& f, bool short_arn);

// JSON members (",\"path\":[...]" each) with the distinct values of each of `fields`.
[[nodiscard]] std::string FieldsEvidence(const std::vector<std::string>& fields,
                                         const EventList& events, const std::vector<uint32_t>& idx,
                                         const FieldIndex& index);

}  // namespace tw::detect
