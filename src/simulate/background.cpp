// One delivery file: background events merged with planned records.
#include "simulate/background.h"

#include <algorithm>

#include "simulate/actors.h"
#include "simulate/planned.h"
#include "simulate/record.h"

namespace tw::simulate {

namespace {

constexpr std::string_view kS3Console =
    "S3Console/0.4, aws-internal/3 aws-sdk-java/1.12.750 "
    "Linux/5.10.219-186.866.amzn2int.x86_64 OpenJDK_64-Bit_Server_VM/25.412-b09 java/1.8.0_412 "
    "vendor/Oracle_Corporation cfg/retry-mode/standard";

bool ManagementOnly(Svc s) { return s == Svc::kOrganizations || s == Svc::kSso; }

// The string value of the first `"key":"` in `record`, or "".
std::string_view ValueOf(std::string_view record, std::string_view key) {
    const size_t at = record.find(key);
    if (at == std::string_view::npos) return {};
    const size_t begin = at + key.size();
    const size_t end = record.find('"', begin);
    return end == std::string_view::npos ? std::string_view() : record.substr(begin, end - begin);
}

// A labels.jsonl line for a background record (values are plain: ids, names, ARNs).
void AppendBackgroundLabel(JsonBuf& labels, std::string_view record, std::string_view event_id) {
    std::string_view source = ValueOf(record, "\"eventSource\":\"");
    if (source.ends_with(".amazonaws.com")) source.remove_suffix(14);
    std::string_view actor = ValueOf(record, "\"arn\":\"");
    if (actor.empty()) actor = ValueOf(record, "\"invokedBy\":\"");
    if (actor.empty()) actor = ValueOf(record, "\"userName\":\"");
    labels.Add("{\"eventID\":\"");
    labels.Add(event_id);
    labels.Add("\",\"scenario\":\"background\",\"step\":\"background\",\"technique\":\"\",");
    labels.KV("actor", actor);
    labels.Add(",\"label\":\"benign\",\"event\":\"");
    labels.Add(source);
    labels.Add(':');
    labels.Add(ValueOf(record, "\"eventName\":\""));
    labels.Add("\",");
    labels.KV("time", ValueOf(record, "\"eventTime\":\""));
    labels.Add(',');
    labels.KV("account", ValueOf(record, "\"recipientAccountId\":\""));
    labels.Add(',');
    labels.KV("region", ValueOf(record, "\"awsRegion\":\""));
    labels.Add(",\"principal\":\"\"}\n");
}

}  // namespace

FileGenerator::FileGenerator(const Plan& plan, const MixTable& mixes)
    : plan_(plan), mixes_(mixes), hosts_(plan.org.regions.size()) {
    for (size_t r = 0; r < plan.org.regions.size(); ++r) {
        for (size_t s = 0; s < static_cast<size_t>(Svc::kCount); ++s) {
            hosts_[r][s] = ServiceHost(static_cast<Svc>(s), plan.org.regions[r]);
        }
    }
}

std::string_view FileGenerator::Host(Svc svc, uint32_t region) {
    return hosts_[region][static_cast<size_t>(svc)];
}

const Actor& FileGenerator::ActorOf(uint32_t source, uint32_t account, uint32_t region, TimeMs t) {
    if (!actors_[source]) {
        actors_[source] = SourceActor(plan_, sources_[source], account, region, t);
    }
    return *actors_[source];
}

void FileGenerator::Background(uint32_t source, uint32_t account, uint32_t region, TimeMs t,
                               std::string_view event_id, Rng& rng, JsonBuf& out) {
    const Org& org = plan_.org;
    const Account& acct = org.accounts[account];
    const Source& src = sources_[source];
    const Workload* workload = nullptr;
    Actor service_actor;
    const Actor* actor;
    if (src.kind == SourceKind::kServiceAssume) {
        // An AWS service refreshes the credentials of a workload in this region.
        std::vector<const Workload*> here;
        for (const auto& w : acct.workloads) {
            if (w.region == region) here.push_back(&w);
        }
        workload = here[rng.Below(static_cast<uint32_t>(here.size()))];
        const std::string_view service =
            workload->lambda ? "lambda.amazonaws.com" : "ec2.amazonaws.com";
        service_actor.identity = AwsServiceIdentity(service);
        service_actor.source_ip = std::string(service);
        service_actor.user_agent = std::string(service);
        service_actor.service = true;
        service_actor.mix = ApiMix::kAwsService;
        actor = &service_actor;
    } else {
        actor = &ActorOf(source, account, region, t);
        if (src.kind == SourceKind::kWorkload) workload = &acct.workloads[src.ref];
        if (actor->console && rng.Chance(0.05)) {
            // Console pages that call other services through AWS's own backends.
            if (!internal_[source]) {
                Actor via = *actor;
                via.identity.insert(via.identity.size() - 1, ",\"invokedBy\":\"AWS Internal\"");
                via.source_ip = "AWS Internal";
                via.user_agent = "AWS Internal";
                via.service = true;
                via.console = false;
                internal_[source] = std::move(via);
            }
            actor = &*internal_[source];
        }
    }

    const auto apis = ApiCatalog();
    const bool global = region == org.global_region;
    uint32_t api_index = mixes_.Draw(actor->mix, global, rng);
    for (int tries = 0; tries < 4 && account != 0 && ManagementOnly(apis[api_index].svc); ++tries) {
        api_index = mixes_.Draw(actor->mix, global, rng);
    }
    if (account != 0 && ManagementOnly(apis[api_index].svc)) api_index = 0;
    const Api& api = apis[api_index];

    Call c;
    c.actor = actor;
    c.time = t;
    c.version = ServiceVersion(api.svc);
    c.source = api.source;
    c.name = api.name;
    c.region = org.regions[region];
    c.recipient = acct.id;
    c.read_only = api.read_only;
    c.cli_command = api.cli;
    c.sdk_api = ServiceSdkApi(api.svc);
    if (!actor->service) {
        c.host = Host(api.svc, region);
        c.bracket_ua = api.svc == Svc::kS3;
        if (!api.agent.empty()) {
            c.user_agent = api.agent;
        } else if (actor->console && api.svc == Svc::kS3) {
            c.user_agent = kS3Console;
        }
        if (rng.Chance(mixes_.DeniedShare(actor->mix))) {
            DeniedError(api, actor->arn, acct.id, err_code_, err_msg_);
            c.failed = true;
        }
    }
    if (!c.failed && api.natural_p > 0 && rng.Chance(api.natural_p)) {
        err_code_ = api.natural_error;
        err_msg_ = api.natural_message;
        c.failed = true;
    }
    if (c.failed) {
        c.error_code = err_code_;
        c.error_message = err_msg_;
    }
    if (api.svc == Svc::kS3) c.request_id_style = RequestIdStyle::kS3;
    c.event_id = event_id;

    BeginRecord(out, c);
    res_.Clear();
    BodyCtx ctx{rng, org, acct, c.region, *actor, t, c.failed, out, res_, workload};
    api.body(ctx);
    if (res_.size() > 0) c.resources = res_.view();
    if (!ctx.host.empty() && !c.host.empty()) c.host = ctx.host;
    EndRecord(out, c, rng);
}

FileGenerator::Counts FileGenerator::Generate(uint32_t account, uint32_t region, uint32_t window,
                                              JsonBuf& out, JsonBuf* labels) {
    out.Clear();
    Counts counts;
    const uint32_t slot = plan_.Slot(account, region);
    const TimeMs t0 = plan_.WindowStart(window);
    const TimeMs t1 = t0 + kWindowMs;
    Rng rng(Mix(plan_.options.seed, HashName("file"), slot, window));

    // Background volume of the window.
    CollectSources(plan_, account, region, window, sources_);
    cumulative_.clear();
    double total = 0;
    for (const Source& s : sources_) {
        total += s.rate * (s.human ? plan_.human_scale : plan_.machine_scale);
        cumulative_.push_back(total);
    }
    const double noise = 0.4 + 1.2 * rng.Unit();
    const uint32_t n = static_cast<uint32_t>(total * noise + rng.Unit());

    // Planned records of the window.
    const auto lo = std::lower_bound(
        plan_.items.begin(), plan_.items.end(), std::pair<uint32_t, TimeMs>(slot, t0),
        [](const PlanItem& i, const std::pair<uint32_t, TimeMs>& k) {
            return i.slot < k.first || (i.slot == k.first && i.time < k.second);
        });
    auto hi = lo;
    while (hi != plan_.items.end() && hi->slot == slot && hi->time < t1) ++hi;
    if (n == 0 && lo == hi) return counts;

    times_.resize(n);
    for (uint32_t i = 0; i < n; ++i) times_[i] = t0 + static_cast<TimeMs>(rng.Below(kWindowMs));
    std::sort(times_.begin(), times_.end());
    actors_.assign(sources_.size(), std::nullopt);
    internal_.assign(sources_.size(), std::nullopt);

    out.Add("{\"Records\":[");
    auto planned = lo;
    uint32_t i = 0;
    bool first = true;
    char id[36];
    while (i < n || planned != hi) {
        if (!first) out.Add(',');
        first = false;
        const size_t begin = out.size();
        if (planned != hi && (i == n || planned->time <= times_[i])) {
            const bool scenario = planned->kind == ItemKind::kRecord;
            FormatUuid(rng, id);
            RenderItem(plan_, *planned, out, rng,
                       scenario ? std::string_view() : std::string_view(id, 36));
            if (labels != nullptr && !scenario) {
                AppendBackgroundLabel(*labels, out.view().substr(begin), std::string_view(id, 36));
            }
            ++planned;
            ++counts.planned;
            continue;
        }
        const double x = rng.Unit() * total;
        const uint32_t source = static_cast<uint32_t>(
            std::upper_bound(cumulative_.begin(), cumulative_.end(), x) - cumulative_.begin());
        FormatUuid(rng, id);
        Background(std::min<uint32_t>(source, static_cast<uint32_t>(sources_.size() - 1)), account,
                   region, times_[i], std::string_view(id, 36), rng, out);
        if (labels != nullptr) {
            AppendBackgroundLabel(*labels, out.view().substr(begin), std::string_view(id, 36));
        }
        ++i;
        ++counts.background;
    }
    out.Add("]}");
    return counts;
}

}  // namespace tw::simulate
