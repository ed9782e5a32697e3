#include "posture/credential_report.h"

#include <simdjson.h>

#include <map>

#include "core/strings.h"
#include "posture/inputs.h"

namespace tw::posture {

namespace {

// Splits CSV `text` into records of fields (RFC 4180: quotes, doubled quotes, CRLF).
// Records carry the line they start on. `unterminated` is set when the text ends in a quote.
struct CsvRecord {
    uint64_t line = 0;
    std::vector<std::string> fields;
};

std::vector<CsvRecord> SplitCsv(std::string_view text, bool& unterminated) {
    std::vector<CsvRecord> out;
    CsvRecord rec;
    std::string field;
    uint64_t line = 1;
    rec.line = 1;
    bool quoted = false, any = false;
    for (size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (quoted) {
            if (c == '"') {
                if (i + 1 < text.size() && text[i + 1] == '"') {
                    field += '"';
                    ++i;
                } else {
                    quoted = false;
                }
            } else {
                if (c == '\n') ++line;
                field += c;
            }
            continue;
        }
        if (c == '"') {
            quoted = true;
            any = true;
        } else if (c == ',') {
            rec.fields.push_back(std::move(field));
            field.clear();
            any = true;
        } else if (c == '\n' || c == '\r') {
            if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
            if (any || !field.empty()) {
                rec.fields.push_back(std::move(field));
                out.push_back(std::move(rec));
            }
            field.clear();
            rec = CsvRecord{};
            rec.line = ++line;
            any = false;
        } else {
            field += c;
            any = true;
        }
    }
    unterminated = quoted;
    if (any || !field.empty()) {
        rec.fields.push_back(std::move(field));
        out.push_back(std::move(rec));
    }
    return out;
}

bool True(std::string_view v) { return EqualsFold(Trim(v), "true"); }

std::optional<TimeMs> Time(std::string_view v) {
    v = Trim(v);
    if (v.empty() || v == "N/A" || v == "no_information" || v == "not_supported") {
        return std::nullopt;
    }
    return ParseIsoTime(v);
}

}  // namespace

const std::vector<std::string>& CredentialReportColumns() {
    static const std::vector<std::string> kColumns = {
        "user",
        "arn",
        "user_creation_time",
        "password_enabled",
        "password_last_used",
        "password_last_changed",
        "password_next_rotation",
        "mfa_active",
        "access_key_1_active",
        "access_key_1_last_rotated",
        "access_key_1_last_used_date",
        "access_key_1_last_used_region",
        "access_key_1_last_used_service",
        "access_key_2_active",
        "access_key_2_last_rotated",
        "access_key_2_last_used_date",
        "access_key_2_last_used_region",
        "access_key_2_last_used_service",
        "cert_1_active",
        "cert_1_last_rotated",
        "cert_2_active",
        "cert_2_last_rotated",
    };
    return kColumns;
}

std::optional<std::string> DecodeBase64(std::string_view in) {
    auto value = [](char c) -> int {
        if (c >= 'A' && c <= 'Z') return c - 'A';
        if (c >= 'a' && c <= 'z') return c - 'a' + 26;
        if (c >= '0' && c <= '9') return c - '0' + 52;
        if (c == '+') return 62;
        if (c == '/') return 63;
        return -1;
    };
    std::string out;
    uint32_t acc = 0;
    int bits = 0;
    for (char c : in) {
        if (c == '=' || c == ' ' || c == '\n' || c == '\r' || c == '\t') continue;
        const int v = value(c);
        if (v < 0) return std::nullopt;
        acc = (acc << 6) | static_cast<uint32_t>(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += static_cast<char>((acc >> bits) & 0xFF);
        }
    }
    return out;
}

Result<std::vector<CredentialRow>> ParseCredentialReport(std::string_view text,
                                                         const std::string& path,
                                                         Diagnostics& diag) {
    bool unterminated = false;
    std::vector<CsvRecord> records = SplitCsv(text, unterminated);
    const std::vector<std::string>& known = CredentialReportColumns();
    if (records.empty()) {
        return MakeError(ErrorCode::kCorrupt, path +
                                                  ": empty; expected a credential report "
                                                  "(CSV with a header line); skipped");
    }
    // Header: every documented column must be there; unknown ones are reported.
    std::map<std::string, size_t> col;
    const CsvRecord& header = records[0];
    for (size_t i = 0; i < header.fields.size(); ++i) {
        col.emplace(std::string(Trim(header.fields[i])), i);
    }
    std::vector<std::string> missing;
    for (const std::string& k : known) {
        if (!col.contains(k)) missing.push_back(k);
    }
    if (missing.size() == known.size() || !col.contains("user") || !col.contains("arn")) {
        return MakeError(ErrorCode::kInvalidArgument,
                         path +
                             ": not an IAM credential report (the header line has none of "
                             "user, arn, mfa_active, ...); expected the CSV of `aws iam "
                             "get-credential-report`; skipped");
    }
    if (!missing.empty()) {
        std::string list;
        for (const std::string& m : missing) list += (list.empty() ? "" : ", ") + m;
        diag.Report({Severity::kError, Loss::kRecord, path, "line 1",
                     "missing documented column(s) " + list +
                         "; the checks that need them see empty values for this file",
                     "credential report columns"});
    }
    for (const auto& [name, index] : col) {
        bool documented = false;
        for (const std::string& k : known) documented = documented || k == name;
        if (!documented) {
            diag.Report({Severity::kError, Loss::kRecord, path, "line 1",
                         "unknown credential report column '" + name +
                             "' (not in the IAM User Guide's list); ignored, the documented "
                             "columns are still read",
                         "credential report columns"});
        }
    }
    auto get = [&](const CsvRecord& r, std::string_view name) -> std::string_view {
        auto it = col.find(std::string(name));
        if (it == col.end() || it->second >= r.fields.size()) return {};
        return r.fields[it->second];
    };
    std::vector<CredentialRow> rows;
    for (size_t i = 1; i < records.size(); ++i) {
        const CsvRecord& r = records[i];
        if (unterminated && i + 1 == records.size()) {
            diag.RecordError(path, "line " + std::to_string(r.line), "truncated row",
                             "the file ends inside a quoted field (truncated file?); row "
                             "skipped");
            continue;
        }
        if (r.fields.size() != header.fields.size()) {
            diag.RecordError(path, "line " + std::to_string(r.line), "truncated row",
                             std::to_string(r.fields.size()) + " fields where the header has " +
                                 std::to_string(header.fields.size()) +
                                 " (truncated file?); row skipped");
            continue;
        }
        CredentialRow row;
        row.line = r.line;
        row.user = std::string(get(r, "user"));
        row.arn = std::string(get(r, "arn"));
        row.account = AccountOfArn(row.arn);
        row.is_root = row.user == "<root_account>" || row.arn.ends_with(":root");
        row.password_enabled = True(get(r, "password_enabled"));
        row.password_last_used = std::string(get(r, "password_last_used"));
        row.mfa_active = True(get(r, "mfa_active"));
        for (int k = 0; k < 2; ++k) {
            const std::string p = "access_key_" + std::to_string(k + 1) + "_";
            row.keys[k].active = True(get(r, p + "active"));
            row.keys[k].last_rotated = Time(get(r, p + "last_rotated"));
            row.keys[k].last_used_raw = std::string(get(r, p + "last_used_date"));
            row.keys[k].last_used = Time(row.keys[k].last_used_raw);
        }
        rows.push_back(std::move(row));
    }
    return rows;
}

Result<std::vector<CredentialRow>> ReadCredentialReport(const std::string& path,
                                                        Diagnostics& diag) {
    auto text = ReadWholeFile(path);
    if (!text) return std::unexpected(text.error());
    std::string_view body = Trim(*text);
    if (body.starts_with("{")) {
        // The JSON of `aws iam get-credential-report`: base64 CSV in "Content".
        simdjson::dom::parser parser;
        simdjson::dom::element root;
        if (auto e = parser.parse(*text).get(root)) {
            return MakeError(ErrorCode::kCorrupt, path + ": not valid JSON (" +
                                                      simdjson::error_message(e) + "); skipped");
        }
        std::string_view content;
        if (root["Content"].get_string().get(content)) {
            const CliOutput kind = DetectCliOutput(*text);
            return MakeError(
                ErrorCode::kInvalidArgument,
                path +
                    ": expected a credential report (CSV, or the JSON of `aws "
                    "iam get-credential-report`), but " +
                    (kind == CliOutput::kUnknown
                         ? std::string("this JSON has no \"Content\"")
                         : "this is the output of `" + std::string(CliCommandName(kind)) + "`") +
                    "; skipped");
        }
        auto csv = DecodeBase64(content);
        if (!csv) {
            return MakeError(ErrorCode::kCorrupt, path + ": \"Content\" is not base64; skipped");
        }
        return ParseCredentialReport(*csv, path, diag);
    }
    return ParseCredentialReport(*text, path, diag);
}

}  // namespace tw::posture
