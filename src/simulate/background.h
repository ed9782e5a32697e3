// FileGenerator: renders one delivery file — every event of one account, region and
// 5-minute window — as CloudTrail writes it: {"Records":[...]}.
//
// The file's content is a function of the plan and (account, region, window) only: the
// background volume comes from the activity sources of the window (people, CI, machines),
// scaled by the plan's calibration, and each background event is drawn from its actor's API
// mix; the planned records of the window (sign-ins, CI AssumeRole, scenario events) are merged
// in time order.
//
// Thread-safety: one FileGenerator per thread; the Plan and MixTable are shared read-only.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "simulate/api.h"
#include "simulate/identity.h"
#include "simulate/json_buf.h"
#include "simulate/plan.h"

namespace tw::simulate {

class FileGenerator {
  public:
    FileGenerator(const Plan& plan, const MixTable& mixes);

    struct Counts {
        uint32_t background = 0;  // events drawn from the actors' API mixes
        uint32_t planned = 0;     // sign-ins, CI AssumeRole, scenario records
        [[nodiscard]] uint32_t total() const { return background + planned; }
    };
    // Renders the file into `out` (cleared first). A window without events leaves it empty.
    // With `labels`, appends a labels.jsonl line ("background", "benign") for every record
    // that is not a scenario's.
    Counts Generate(uint32_t account, uint32_t region, uint32_t window, JsonBuf& out,
                    JsonBuf* labels = nullptr);

  private:
    const Actor& ActorOf(uint32_t source, uint32_t account, uint32_t region, TimeMs t);
    void Background(uint32_t source, uint32_t account, uint32_t region, TimeMs t,
                    std::string_view event_id, Rng& rng, JsonBuf& out);
    std::string_view Host(Svc svc, uint32_t region);

    const Plan& plan_;
    const MixTable& mixes_;
    std::vector<Source> sources_;
    std::vector<double> cumulative_;
    std::vector<std::optional<Actor>> actors_;
    std::vector<std::optional<Actor>> internal_;  // the same actors, via "AWS Internal"
    std::vector<TimeMs> times_;
    JsonBuf res_;
    std::string err_code_, err_msg_;
    std::vector<std::array<std::string, static_cast<size_t>(Svc::kCount)>> hosts_;
};

}  // namespace tw::simulate
