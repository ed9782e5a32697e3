// Labelled scenarios injected into the background: the identity-provider takeover of
// ../shared/seeds/002 step by step, CloudTrail tampering, a former employee's forgotten key,
// a socially engineered change, and benign admin work that looks similar.
//
// A scenario works in two steps: Prepare changes the org before people are planned (an
// offboarding ends a user's sessions); Emit renders its records, each with a Label, into the
// plan. Every injected record gets exactly one label line.
//
// Thread-safety: planning happens on one thread.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>

#include "simulate/identity.h"
#include "simulate/json_buf.h"
#include "simulate/plan.h"
#include "simulate/record.h"

namespace tw::simulate {

struct ScenarioInfo {
    std::string_view name;
    std::string_view label;  // "attack" or "benign"
    std::string_view summary;
};

// The scenarios of `--scenario all`, in a fixed order.
[[nodiscard]] std::span<const ScenarioInfo> Scenarios();
// A scenario of Scenarios() or a variant named only explicitly (idp-takeover-admin), or null.
[[nodiscard]] const ScenarioInfo* FindScenario(std::string_view name);

// Runs the Prepare step of the scenarios in plan.options.scenarios.
void PrepareScenarios(Plan& plan);
// Runs the Emit step of the scenarios in plan.options.scenarios.
void EmitScenarios(Plan& plan);

// Renders scenario records into a plan, with their labels.
class Emitter {
  public:
    Emitter(Plan& plan, std::string_view scenario, std::string_view label, std::string actor);

    // The label of the next records.
    void Step(std::string_view step, std::string_view technique) {
        step_ = step;
        technique_ = technique;
    }
    // Overrides the label ("attack", "setup", "benign") of the next records.
    void SetLabel(std::string_view label) { label_ = label; }

    // Renders one record in `account`'s file for the call's region: BeginRecord, `body`
    // (which writes "requestParameters":...,"responseElements":...), EndRecord. `principal`
    // names the concrete principal for the label. Returns the eventID.
    std::string Emit(Call c, uint32_t account, const std::function<void(JsonBuf&)>& body,
                     std::string_view principal = {});
    // Renders one record written whole by `write` (given the eventID to use) into the file of
    // `account` and `region`; `source` and `name` are the record's, for the label.
    std::string EmitRecord(TimeMs t, uint32_t account, std::string_view region,
                           std::string_view source, std::string_view name,
                           const std::function<void(JsonBuf&, std::string_view)>& write,
                           std::string_view principal = {});

    [[nodiscard]] Rng& rng() { return rng_; }
    [[nodiscard]] Plan& plan() { return plan_; }

  private:
    Plan& plan_;
    std::string scenario_, label_, actor_, step_, technique_;
    Rng rng_;
    JsonBuf buf_;
};

// Scenario bodies (one file each).
void PrepareIdpTakeover(Plan& plan);  // both idp-takeover stories: an external IdP
void EmitIdpTakeover(Plan& plan);
void EmitIdpTakeoverAdmin(Plan& plan);
void EmitLoggingTamper(Plan& plan);
void PrepareInsiderReturn(Plan& plan);
void EmitInsiderReturn(Plan& plan);
void EmitSocialEngineeringChange(Plan& plan);
void EmitBenignAdmin(Plan& plan);

// Time of `utc_hour`:`minute` on the day at `fraction` of the run (0 = first day).
[[nodiscard]] TimeMs ScenarioTime(const Plan& plan, double fraction, int utc_hour, int minute);

}  // namespace tw::simulate
