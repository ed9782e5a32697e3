#include "sigma/loader.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>

#include "core/strings.h"
#include "rules/pattern.h"
#include "sigma/condition.h"
#include "sigma/meta.h"

namespace tw::sigma {

namespace fs = std::filesystem;
using rules::Node;

std::string LoadProblem::Text() const {
    std::string out = file;
    if (pos.line != 0) {
        out += ':';
        out += std::to_string(pos.line);
        out += ':';
        out += std::to_string(pos.column);
    }
    out += ": ";
    if (warning) out += "warning: ";
    if (!title.empty()) out += "rule '" + title + "': ";
    return out + message;
}

size_t Loader::error_count() const {
    return static_cast<size_t>(std::count_if(problems_.begin(), problems_.end(),
                                             [](const auto& p) { return !p.warning; }));
}

void Loader::AddPath(const std::string& path) {
    std::error_code ec;
    std::vector<std::pair<std::string, std::string>> files;  // path, name relative to root
    if (fs::is_directory(path, ec)) {
        for (auto it = fs::recursive_directory_iterator(path, ec);
             !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
            if (!it->is_regular_file(ec)) continue;
            const std::string ext = it->path().extension().string();
            if (ext != ".yml" && ext != ".yaml") continue;
            files.emplace_back(it->path().string(),
                               fs::relative(it->path(), path, ec).generic_string());
        }
        std::sort(files.begin(), files.end());
    } else if (fs::exists(path, ec)) {
        files.emplace_back(path, fs::path(path).filename().string());
    } else {
        problems_.push_back({false, path, {}, "", "no such file or directory"});
        return;
    }
    for (const auto& [file, rel] : files) {
        std::ifstream in(file, std::ios::binary);
        if (!in) {
            problems_.push_back({false, file, {}, "", "cannot read the file"});
            continue;
        }
        std::stringstream ss;
        ss << in.rdbuf();
        AddText(ss.str(), file, "sigma:" + rel);
    }
}

void Loader::AddText(std::string_view text, const std::string& name, const std::string& source) {
    std::vector<YAML::Node> docs;
    try {
        docs = YAML::LoadAll(std::string(text));
    } catch (const YAML::Exception& e) {
        // A syntax error stops the file: yaml-cpp cannot resynchronise after it.
        Position p{e.mark.line >= 0 ? e.mark.line + 1 : 0,
                   e.mark.column >= 0 ? e.mark.column + 1 : 0};
        problems_.push_back({false, name, p, "", "invalid YAML: " + e.msg});
        ++failed_;
        return;
    }
    for (const YAML::Node& doc : docs) {
        if (doc.IsNull()) continue;  // empty document ("---" at the end)
        ++documents_;
        try {
            LoadDocument(doc, name, source);
        } catch (const YAML::Exception& e) {
            Position p{e.mark.line >= 0 ? e.mark.line + 1 : 0,
                       e.mark.column >= 0 ? e.mark.column + 1 : 0};
            problems_.push_back({false, name, p, "", "invalid rule: " + e.msg});
            ++failed_;
        }
    }
}

namespace {

constexpr TimeMs kUnbounded = INT64_MAX / 4;

}  // namespace

void Loader::LoadDocument(const YAML::Node& doc, const std::string& file,
                          const std::string& source) {
    ProblemSink sink(problems_, file);
    const Position doc_pos = PositionOf(doc);
    if (!doc.IsMap()) {
        sink.Error(doc_pos, "a rule must be a YAML map");
        ++failed_;
        return;
    }
    rules::RuleMeta meta;
    meta.file = file;
    meta.source = source;
    meta.line = doc_pos.line;
    ReadMeta(doc, meta, sink);
    if (options_.disabled.contains(meta.id) || options_.disabled.contains(meta.title) ||
        (!meta.name.empty() && options_.disabled.contains(meta.name))) {
        skipped_.push_back({file, meta.title, "disabled (--disable)"});
        return;
    }
    const YAML::Node detection = doc["detection"];
    const YAML::Node correlation = doc["correlation"];
    if (correlation) {
        PendingCorrelation pc;
        pc.rule.meta = meta;
        ReadCorrelation(doc, correlation, pc.rule, pc.rules_pos, pc.ref_pos, sink);
        if (sink.errors() != 0) {
            ++failed_;
            return;
        }
        correlations_.push_back(std::move(pc));
        return;
    }
    if (!detection || !detection.IsMap()) {
        sink.Error(doc_pos, detection ? "'detection' must be a map"
                                      : "neither 'detection' nor 'correlation' is present");
        ++failed_;
        return;
    }
    Selections selections;
    YAML::Node condition, timeframe;
    bool has_condition = false, has_timeframe = false;
    for (const auto& kv : detection) {
        const std::string key = kv.first.Scalar();
        if (key == "condition") {
            condition = kv.second;
            has_condition = true;
            continue;
        }
        if (key == "timeframe") {
            timeframe = kv.second;
            has_timeframe = true;
            continue;
        }
        auto n = BuildSearch(kv.second, options_.placeholders, sink);
        selections.emplace_back(key, n ? rules::Optimize(std::move(*n)) : Node::Const(false));
    }
    if (!has_condition) {
        sink.Error(PositionOf(detection), "detection has no 'condition'");
        ++failed_;
        return;
    }
    std::vector<YAML::Node> conditions;
    if (condition.IsSequence()) {
        for (const YAML::Node& c : condition) conditions.push_back(c);
    } else {
        conditions.push_back(condition);
    }
    std::vector<Node> alternatives;
    std::optional<Aggregation> aggregation;
    for (const YAML::Node& c : conditions) {
        if (!c.IsScalar()) {
            sink.Error(PositionOf(c), "condition must be a string");
            continue;
        }
        auto parsed = ParseCondition(c.Scalar(), selections, PositionOf(c), sink);
        if (!parsed) continue;
        if (parsed->aggregation) {
            if (conditions.size() != 1) {
                sink.Error(PositionOf(c), "an aggregation ('|') needs a single condition");
                continue;
            }
            aggregation = std::move(parsed->aggregation);
        }
        alternatives.push_back(std::move(parsed->node));
    }
    if (sink.errors() != 0) {
        ++failed_;
        return;
    }
    Node cond =
        alternatives.size() == 1 ? std::move(alternatives[0]) : Node::Or(std::move(alternatives));
    TimeMs timespan = 0;
    if (has_timeframe) {
        if (!timeframe.IsScalar() || !ParseTimespan(timeframe.Scalar(), timespan)) {
            sink.Error(PositionOf(timeframe), "timeframe must look like 30s, 10m, 1h or 2d");
            ++failed_;
            return;
        }
        if (!aggregation) {
            sink.Warning(PositionOf(timeframe),
                         "timeframe without an aggregation is ignored (the condition applies to "
                         "each event alone)");
        }
    }
    if (!aggregation) {
        rules::DetectionRule d;
        d.meta = std::move(meta);
        d.condition = rules::Optimize(std::move(cond));
        d.selections = std::move(selections);
        detections_.push_back(std::move(d));
        return;
    }
    // Legacy Sigma 1 aggregation: becomes a correlation over hidden detections.
    if (!has_timeframe) {
        sink.Warning(PositionOf(condition),
                     "aggregation without timeframe: the window is the whole input");
        timespan = kUnbounded;
    }
    auto hidden = [&](Node n, const std::string& part) {
        rules::DetectionRule d;
        d.meta = meta;
        d.meta.name = "__legacy_" + std::to_string(hidden_++);
        d.meta.title = meta.title + " (" + part + ")";
        d.meta.id = meta.id.empty() ? "" : meta.id + ":" + part;
        d.condition = rules::Optimize(std::move(n));
        d.selections = selections;
        d.generate = false;
        detections_.push_back(std::move(d));
        return detections_.back().meta.name;
    };
    PendingCorrelation pc;
    pc.rule.meta = meta;
    pc.rule.timespan_ms = timespan;
    pc.rule.generate = false;
    pc.rules_pos = PositionOf(condition);
    if (aggregation->kind == Aggregation::kNear) {
        pc.rule.type = rules::CorrelationType::kTemporal;
        pc.rule.rule_refs = {hidden(std::move(cond), "first"),
                             hidden(std::move(aggregation->near), "near")};
    } else {
        pc.rule.type = aggregation->count_field.empty() ? rules::CorrelationType::kEventCount
                                                        : rules::CorrelationType::kValueCount;
        pc.rule.value_field = aggregation->count_field;
        if (!aggregation->by_field.empty()) pc.rule.group_by = {aggregation->by_field};
        pc.rule.condition = {{aggregation->cmp, aggregation->value}};
        pc.rule.rule_refs = {hidden(std::move(cond), "events")};
    }
    pc.ref_pos.assign(pc.rule.rule_refs.size(), pc.rules_pos);
    correlations_.push_back(std::move(pc));
}

rules::RuleSet Loader::Finish() {
    rules::RuleSet out;
    // Name and id lookup over everything that loaded.
    struct Target {
        bool corr;
        uint32_t index;
    };
    std::map<std::string, Target> by_key;
    auto add_key = [&](const std::string& k, Target t) {
        if (!k.empty()) by_key.emplace(k, t);
    };
    for (uint32_t i = 0; i < detections_.size(); ++i) {
        add_key(detections_[i].meta.id, {false, i});
        add_key(detections_[i].meta.name, {false, i});
    }
    for (uint32_t i = 0; i < correlations_.size(); ++i) {
        add_key(correlations_[i].rule.meta.id, {true, i});
        add_key(correlations_[i].rule.meta.name, {true, i});
    }
    // Resolve references.
    std::vector<bool> corr_ok(correlations_.size(), true);
    for (uint32_t i = 0; i < correlations_.size(); ++i) {
        PendingCorrelation& pc = correlations_[i];
        ProblemSink sink(problems_, pc.rule.meta.file);
        sink.set_title(pc.rule.meta.title);
        pc.rule.refs.clear();
        for (size_t r = 0; r < pc.rule.rule_refs.size(); ++r) {
            auto it = by_key.find(pc.rule.rule_refs[r]);
            if (it == by_key.end()) {
                sink.Error(pc.ref_pos[r], "correlation refers to unknown rule '" +
                                              pc.rule.rule_refs[r] +
                                              "' (no rule has this id or name)");
                corr_ok[i] = false;
                continue;
            }
            pc.rule.refs.push_back({it->second.corr, it->second.index});
        }
    }
    // Cycles and runnability (a correlation runs when every rule it refers to runs).
    std::vector<bool> det_runs(detections_.size());
    for (uint32_t i = 0; i < detections_.size(); ++i) {
        const rules::RuleMeta& m = detections_[i].meta;
        const bool aws = EqualsFold(m.product, "aws") &&
                         (m.service.empty() || EqualsFold(m.service, "cloudtrail"));
        det_runs[i] = options_.any_logsource || aws;
    }
    std::vector<int> state(correlations_.size(), 0);  // 0 new, 1 visiting, 2 done
    std::vector<bool> corr_runs(correlations_.size(), false);
    std::function<bool(uint32_t)> visit = [&](uint32_t i) -> bool {
        if (state[i] == 2) return corr_runs[i];
        if (state[i] == 1) {
            ProblemSink sink(problems_, correlations_[i].rule.meta.file);
            sink.set_title(correlations_[i].rule.meta.title);
            sink.Error(correlations_[i].rules_pos, "correlation chain refers back to itself");
            corr_ok[i] = false;
            return false;
        }
        state[i] = 1;
        bool runs = corr_ok[i];
        for (const auto& ref : correlations_[i].rule.refs) {
            runs = (ref.is_correlation ? visit(ref.index) : det_runs[ref.index]) && runs;
        }
        state[i] = 2;
        corr_runs[i] = runs && corr_ok[i];
        return corr_runs[i];
    };
    for (uint32_t i = 0; i < correlations_.size(); ++i) visit(i);
    // Generate flags.
    std::vector<bool> det_referenced(detections_.size(), false),
        det_generate(detections_.size(), false);
    std::vector<bool> corr_referenced(correlations_.size(), false),
        corr_generate(correlations_.size(), false);
    for (uint32_t i = 0; i < correlations_.size(); ++i) {
        if (!corr_runs[i]) continue;
        for (const auto& ref : correlations_[i].rule.refs) {
            auto& referenced = ref.is_correlation ? corr_referenced : det_referenced;
            auto& generate = ref.is_correlation ? corr_generate : det_generate;
            referenced[ref.index] = true;
            if (correlations_[i].rule.generate) generate[ref.index] = true;
        }
    }
    // Output with remapped indices.
    std::vector<int64_t> det_map(detections_.size(), -1), corr_map(correlations_.size(), -1);
    for (uint32_t i = 0; i < detections_.size(); ++i) {
        rules::DetectionRule& d = detections_[i];
        if (!det_runs[i]) {
            skipped_.push_back({d.meta.file, d.meta.title,
                                "logsource " + LogsourceText(d.meta) +
                                    " (only product aws / service cloudtrail runs)"});
            continue;
        }
        d.generate = d.generate && (!det_referenced[i] || det_generate[i]);
        det_map[i] = static_cast<int64_t>(out.detections.size());
        out.detections.push_back(std::move(d));
    }
    for (uint32_t i = 0; i < correlations_.size(); ++i) {
        if (!corr_runs[i]) {
            if (corr_ok[i]) {
                skipped_.push_back({correlations_[i].rule.meta.file,
                                    correlations_[i].rule.meta.title,
                                    "refers to a rule that does not run"});
            } else {
                ++failed_;
            }
            continue;
        }
        corr_map[i] = static_cast<int64_t>(out.correlations.size());
        correlations_[i].rule.emit = !corr_referenced[i] || corr_generate[i];
        out.correlations.push_back(std::move(correlations_[i].rule));
    }
    for (rules::CorrelationRule& c : out.correlations) {
        for (auto& ref : c.refs) {
            ref.index = static_cast<uint32_t>(ref.is_correlation ? corr_map[ref.index]
                                                                 : det_map[ref.index]);
        }
    }
    out.skipped = std::move(skipped_);
    detections_.clear();
    correlations_.clear();
    return out;
}

}  // namespace tw::sigma
