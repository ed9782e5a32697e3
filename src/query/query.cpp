#include "query/query.h"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <unordered_map>

#include "core/strings.h"
#include "output/event_format.h"
#include "output/ordered_writer.h"
#include "query/where.h"

namespace tw::query {

const std::vector<std::string> kDefaultFields = {
    "eventTime", "eventName",        "eventSource",     "recipientAccountId",
    "awsRegion", "userIdentity.arn", "sourceIPAddress", "errorCode"};

namespace {

constexpr size_t kFlushBytes = 256 * 1024;

// Table column width for a field: wide enough for typical values of well-known fields.
size_t ColumnWidth(std::string_view field) {
    static const std::pair<std::string_view, size_t> kKnown[] = {{"eventTime", 20},
                                                                 {"eventName", 30},
                                                                 {"eventSource", 28},
                                                                 {"recipientAccountId", 18},
                                                                 {"awsRegion", 14},
                                                                 {"userIdentity.arn", 64},
                                                                 {"sourceIPAddress", 15},
                                                                 {"eventID", 36},
                                                                 {"userIdentity.accountId", 12},
                                                                 {"userIdentity.type", 16},
                                                                 {"userIdentity.accessKeyId", 20}};
    for (const auto& [name, width] : kKnown) {
        if (field == name) return width;
    }
    return std::clamp<size_t>(field.size(), 16, 40);
}

// Key of a count-by bucket: a type tag then the text ('m' missing, 's' string, 'j' JSON).
std::string BucketKey(std::span<const event::Value> values) {
    if (values.empty()) return "m";
    std::string key = "s";
    if (values[0].in_array || values[0].type != event::ValueType::kString) {
        key[0] = 'j';
        output::AppendFieldJson(key, values);
    } else {
        key.append(values[0].text);
    }
    return key;
}

std::string_view BucketText(const std::string& key) {
    return key[0] == 'm' ? std::string_view("(missing)") : std::string_view(key).substr(1);
}

void AppendPadded(std::string& out, std::string_view text, size_t width, bool last) {
    if (last) {
        out.append(text);
        return;
    }
    if (text.size() > width) {
        out.append(text.substr(0, width - 1));
        out.append("~");
    } else {
        out.append(text);
        out.append(width - text.size(), ' ');
    }
    out.append("  ");
}

struct Shared {
    const QueryOptions& opt;
    std::vector<Condition> conditions;
    std::vector<event::FieldId> fields;
    std::vector<size_t> widths;
    event::FieldId count_field = event::kNoField;
    output::OrderedWriter* writer = nullptr;
    std::mutex mu;
    std::unordered_map<std::string, uint64_t> counts;
};

class QuerySink final : public ingest::Sink {
  public:
    explicit QuerySink(Shared& s) : s_(s) {}
    ~QuerySink() override {
        if (s_.count_field == event::kNoField) return;
        std::lock_guard<std::mutex> lock(s_.mu);
        for (auto& [k, v] : counts_) s_.counts[k] += v;
    }

    void BeginFile(uint32_t index) override { file_ = index; }

    void OnEvent(const event::EventView& ev) override {
        for (const Condition& c : s_.conditions) {
            if (!c.Matches(ev)) return;
        }
        if (s_.count_field != event::kNoField) {
            auto values = ev.Values(s_.count_field);
            // Fast path: a plain string value needs no allocation when the bucket exists.
            if (values.size() == 1 && values[0].type == event::ValueType::kString &&
                !values[0].in_array) {
                probe_.assign("s");
                probe_.append(values[0].text);
                ++counts_[probe_];
            } else {
                ++counts_[BucketKey(values)];
            }
            return;
        }
        Row(ev);
        if (out_.size() >= kFlushBytes) s_.writer->Write(file_, std::move(out_)), out_.clear();
    }

    void EndFile(uint32_t index) override {
        if (s_.writer == nullptr) return;
        if (!out_.empty()) s_.writer->Write(index, std::move(out_));
        out_.clear();
        s_.writer->Finish(index);
    }

  private:
    void Row(const event::EventView& ev) {
        const auto& fields = s_.fields;
        switch (s_.opt.format) {
            case OutputFormat::kJsonl:
                if (s_.opt.fields.empty()) {
                    output::AppendJsonOneLine(out_, ev.raw());
                } else {
                    out_.push_back('{');
                    for (size_t i = 0; i < fields.size(); ++i) {
                        if (i != 0) out_.push_back(',');
                        AppendJsonString(out_, s_.opt.fields[i]);
                        out_.push_back(':');
                        output::AppendFieldJson(out_, ev.Values(fields[i]));
                    }
                    out_.push_back('}');
                }
                break;
            case OutputFormat::kCsv:
                for (size_t i = 0; i < fields.size(); ++i) {
                    if (i != 0) out_.push_back(',');
                    cell_.clear();
                    output::AppendFieldText(cell_, ev.Values(fields[i]));
                    AppendCsvField(out_, cell_);
                }
                break;
            case OutputFormat::kTable:
                for (size_t i = 0; i < fields.size(); ++i) {
                    cell_.clear();
                    output::AppendFieldText(cell_, ev.Values(fields[i]));
                    if (cell_.empty()) cell_ = "-";
                    AppendPadded(out_, cell_, s_.widths[i], i + 1 == fields.size());
                }
                while (!out_.empty() && out_.back() == ' ') out_.pop_back();
                break;
        }
        out_.push_back('\n');
    }

    Shared& s_;
    uint32_t file_ = 0;
    std::string out_;
    std::string cell_;
    std::string probe_;
    std::unordered_map<std::string, uint64_t> counts_;
};

void WriteHistogram(const Shared& s, std::FILE* out) {
    std::vector<std::pair<std::string, uint64_t>> rows(s.counts.begin(), s.counts.end());
    std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
        if (a.second != b.second) return a.second > b.second;
        return BucketText(a.first) < BucketText(b.first);
    });
    uint64_t total = 0;
    for (const auto& r : rows) total += r.second;
    std::string text;
    const std::string& field = s.opt.count_by;
    switch (s.opt.format) {
        case OutputFormat::kJsonl:
            for (const auto& [key, n] : rows) {
                text += '{';
                AppendJsonString(text, field);
                text += ':';
                if (key[0] == 'm')
                    text += "null";
                else if (key[0] == 's')
                    AppendJsonString(text, BucketText(key));
                else
                    text.append(BucketText(key));
                text += ",\"count\":" + std::to_string(n) + "}\n";
            }
            break;
        case OutputFormat::kCsv:
            AppendCsvField(text, field);
            text += ",count\n";
            for (const auto& [key, n] : rows) {
                AppendCsvField(text, key[0] == 'm' ? std::string_view() : BucketText(key));
                text += "," + std::to_string(n) + "\n";
            }
            break;
        case OutputFormat::kTable: {
            size_t width = 5;
            for (const auto& r : rows) width = std::max(width, WithThousands(r.second).size());
            char head[64];
            std::snprintf(head, sizeof head, "%*s  %6s  ", static_cast<int>(width), "COUNT", "%");
            text += head + field + "\n";
            for (const auto& [key, n] : rows) {
                char buf[96];
                std::snprintf(
                    buf, sizeof buf, "%*s  %5.1f%%  ", static_cast<int>(width),
                    WithThousands(n).c_str(),
                    total ? 100.0 * static_cast<double>(n) / static_cast<double>(total) : 0.0);
                text += buf;
                text.append(BucketText(key));
                text += '\n';
            }
            char foot[96];
            std::snprintf(foot, sizeof foot, "%*s  100.0%%  (%zu distinct values)\n",
                          static_cast<int>(width), WithThousands(total).c_str(), rows.size());
            if (!rows.empty()) text += foot;
            break;
        }
    }
    std::fwrite(text.data(), 1, text.size(), out);
}

}  // namespace

Result<ingest::IngestStats> RunQuery(const std::vector<ingest::InputFile>& files,
                                     const QueryOptions& opt, ingest::IngestOptions ingest_opt,
                                     std::FILE* out, Diagnostics& diag) {
    event::FieldCatalog catalog;
    Shared shared{opt, {}, {}, {}, event::kNoField, nullptr, {}, {}};
    for (const std::string& w : opt.where) {
        auto c = Condition::Parse(w, catalog, opt.ignore_case);
        if (!c) return std::unexpected(c.error());
        shared.conditions.push_back(std::move(*c));
    }
    for (const std::string& f : opt.fields) {
        if (Trim(f).empty()) {
            return MakeError(ErrorCode::kInvalidArgument, "--fields: empty field name");
        }
    }
    if (!opt.count_by.empty()) {
        shared.count_field = catalog.Intern(opt.count_by);
    } else {
        const auto& names =
            opt.fields.empty() && opt.format != OutputFormat::kJsonl ? kDefaultFields : opt.fields;
        for (const std::string& f : names) {
            shared.fields.push_back(catalog.Intern(f));
            shared.widths.push_back(ColumnWidth(f));
        }
    }
    catalog.set_need_raw(opt.count_by.empty() && opt.fields.empty() &&
                         opt.format == OutputFormat::kJsonl);
    std::atomic<bool> stop{false};
    output::OrderedWriter writer(out, opt.count_by.empty() ? opt.limit : 0, &stop);
    if (opt.count_by.empty()) {
        shared.writer = &writer;
        const auto& names = opt.fields.empty() ? kDefaultFields : opt.fields;
        if (opt.format == OutputFormat::kCsv) {
            std::string head;
            for (size_t i = 0; i < names.size(); ++i) {
                if (i != 0) head += ',';
                AppendCsvField(head, names[i]);
            }
            head += '\n';
            std::fwrite(head.data(), 1, head.size(), out);
        } else if (opt.format == OutputFormat::kTable) {
            std::string head;
            for (size_t i = 0; i < names.size(); ++i) {
                AppendPadded(head, names[i], shared.widths[i], i + 1 == names.size());
            }
            head += '\n';
            std::fwrite(head.data(), 1, head.size(), out);
        }
        ingest_opt.max_files_ahead =
            4 * std::max(1u, ingest::EffectiveThreads(ingest_opt.threads, files.size()));
        ingest_opt.stop = &stop;
    }
    auto stats = ingest::RunIngest(
        files, catalog, ingest_opt, [&](unsigned) { return std::make_unique<QuerySink>(shared); },
        diag);
    if (!opt.count_by.empty()) WriteHistogram(shared, out);
    std::fflush(out);
    return stats;
}

}  // namespace tw::query
