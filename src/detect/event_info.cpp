#include "detect/event_info.h"

#include "core/strings.h"

namespace tw::detect {

namespace {

std::vector<std::string> SplitPath(std::string_view p) {
    std::vector<std::string> out;
    for (std::string_view part : Split(p, '.')) out.emplace_back(part);
    return out;
}

}  // namespace

EventInfoExtractor::EventInfoExtractor(std::vector<std::string> extra) {
    for (const std::string& p : extra) extra_.push_back(SplitPath(p));
}

std::string ValueAt(simdjson::dom::element e, const std::vector<std::string>& path) {
    for (const std::string& key : path) {
        while (e.is_array()) {
            simdjson::dom::array arr = e.get_array().value_unsafe();
            if (arr.size() == 0) return "";
            e = arr.at(0).value_unsafe();
        }
        simdjson::dom::object obj;
        if (e.get_object().get(obj) != simdjson::SUCCESS) return "";
        if (obj.at_key(key).get(e) != simdjson::SUCCESS) return "";
    }
    std::string_view s;
    if (e.get_string().get(s) == simdjson::SUCCESS) return std::string(s);
    if (e.is_null()) return "";
    return simdjson::minify(e);
}

bool EventInfoExtractor::Extract(std::string_view raw, EventInfo& out) {
    simdjson::dom::element root;
    if (parser_.parse(raw.data(), raw.size()).get(root) != simdjson::SUCCESS) return false;
    static const std::vector<std::string> kId = {"eventID"}, kName = {"eventName"},
                                          kSource = {"eventSource"}, kRegion = {"awsRegion"},
                                          kRecipient = {"recipientAccountId"},
                                          kAccount = {"userIdentity", "accountId"},
                                          kArn = {"userIdentity", "arn"},
                                          kType = {"userIdentity", "type"},
                                          kPrincipal = {"userIdentity", "principalId"},
                                          kKey = {"userIdentity", "accessKeyId"},
                                          kInvoked = {"userIdentity", "invokedBy"},
                                          kIp = {"sourceIPAddress"}, kAgent = {"userAgent"};
    out.event_id = ValueAt(root, kId);
    out.event_name = ValueAt(root, kName);
    out.event_source = ValueAt(root, kSource);
    out.region = ValueAt(root, kRegion);
    out.account = ValueAt(root, kRecipient);
    if (out.account.empty()) out.account = ValueAt(root, kAccount);
    out.arn = ValueAt(root, kArn);
    if (out.arn.empty()) out.arn = ValueAt(root, kInvoked);
    out.identity_type = ValueAt(root, kType);
    out.principal_id = ValueAt(root, kPrincipal);
    out.access_key_id = ValueAt(root, kKey);
    out.source_ip = ValueAt(root, kIp);
    out.user_agent = ValueAt(root, kAgent);
    out.extra.clear();
    for (const auto& p : extra_) out.extra.push_back(ValueAt(root, p));
    return true;
}

}  // namespace tw::detect
