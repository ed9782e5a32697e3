// Test support for the simulator: a temporary directory, and a simulated corpus read back
// through the project's own ingest, with its labels.
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "ingest/pipeline.h"
#include "simulate/simulate.h"

namespace tw::simulate::testing {

// A fresh directory under $TMPDIR, removed on destruction.
class TempDir {
  public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    [[nodiscard]] const std::string& path() const { return path_; }

  private:
    std::string path_;
};

struct Event {
    std::string raw;   // the record's JSON text
    std::string path;  // the file it came from
    std::string event_id, name, source, region, account, time, uid_type, uid_arn, access_key;
    std::string error_code;
};

struct LabelLine {
    std::map<std::string, std::string> fields;
    [[nodiscard]] const std::string& operator[](const std::string& k) const;
};

struct Corpus {
    SimulateStats stats;
    ingest::IngestStats ingest;
    uint64_t problems = 0;      // diagnostics reported by the ingest
    std::vector<Event> events;  // sorted by (eventTime, eventID)
    std::vector<LabelLine> labels;
    std::map<std::string, size_t> by_id;  // eventID -> index into events
    std::string dir;

    [[nodiscard]] const Event* Find(const std::string& event_id) const;
};

// Simulates `options` into `dir` and reads everything back.
[[nodiscard]] Corpus SimulateAndRead(SimulateOptions options, const std::string& dir);

// A corpus with every scenario (4 member accounts, 2 days), built once per test binary.
[[nodiscard]] const Corpus& SharedCorpus();

// Every file under `dir` (relative path -> content), for byte comparisons.
[[nodiscard]] std::map<std::string, std::string> ReadTree(const std::string& dir);

// The value at a dotted path of a JSON document as text ("" when missing); strings unquoted.
[[nodiscard]] std::string JsonAt(simdjson::dom::element doc, std::string_view dotted);

// The shared corpus directory, or "" when absent.
[[nodiscard]] std::string SharedDir();

}  // namespace tw::simulate::testing
