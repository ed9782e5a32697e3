// Internal to posture: building findings and their evidence objects.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/strings.h"
#include "findings/finding.h"
#include "posture/checks.h"

namespace tw::posture {

// A JSON object built field by field, keys in insertion order.
class EvidenceBuilder {
  public:
    EvidenceBuilder& Str(std::string_view key, std::string_view value) {
        Key(key);
        AppendJsonString(out_, value);
        return *this;
    }
    EvidenceBuilder& Bool(std::string_view key, bool value) {
        Key(key);
        out_ += value ? "true" : "false";
        return *this;
    }
    EvidenceBuilder& Int(std::string_view key, int64_t value) {
        Key(key);
        out_ += std::to_string(value);
        return *this;
    }
    EvidenceBuilder& List(std::string_view key, const std::vector<std::string>& values) {
        Key(key);
        out_ += '[';
        for (size_t i = 0; i < values.size(); ++i) {
            if (i != 0) out_ += ',';
            AppendJsonString(out_, values[i]);
        }
        out_ += ']';
        return *this;
    }
    [[nodiscard]] std::string Take() { return out_ + "}"; }

  private:
    void Key(std::string_view key) {
        out_ += out_.size() == 1 ? "" : ",";
        AppendJsonString(out_, key);
        out_ += ':';
    }
    std::string out_ = "{";
};

// The catalogue entry of `rule_id` (which must exist).
[[nodiscard]] const CheckInfo& Check(std::string_view rule_id);

// A finding of check `rule_id` at `o.as_of` with the fields every posture finding has.
[[nodiscard]] findings::Finding MakeFinding(std::string_view rule_id, const AuditOptions& o,
                                            std::string account, std::string summary,
                                            std::string evidence_json);

}  // namespace tw::posture
