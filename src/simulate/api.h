// The API catalog of background traffic: for each AWS API the simulator calls in the
// background, its event source and name, whether it is read-only, how its requestParameters
// and responseElements look, its IAM action (for AccessDenied messages) and the routine
// errors it returns (NoSuchBucketPolicy and the like); and, per kind of actor (Mix), which
// APIs it calls and how often.
//
// Thread-safety: the catalog is immutable static data; MixTable is built once and shared.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.h"
#include "simulate/identity.h"
#include "simulate/json_buf.h"
#include "simulate/org.h"
#include "simulate/random.h"
#include "simulate/record.h"

namespace tw::simulate {

enum class Svc : uint8_t {
    kEc2,
    kIam,
    kSts,
    kS3,
    kKms,
    kLogs,
    kMonitoring,
    kLambda,
    kSsm,
    kSecrets,
    kCloudTrail,
    kOrganizations,
    kSso,
    kRds,
    kEcr,
    kEks,
    kHealth,
    kCe,
    kCount
};

// What a body function sees and writes.
struct BodyCtx {
    Rng& rng;
    const Org& org;
    const Account& account;
    std::string_view region;
    const Actor& actor;
    TimeMs time;
    bool failed;   // the call is an AccessDenied: the response must be null
    JsonBuf& b;    // the record: write "requestParameters":...,"responseElements":...
    JsonBuf& res;  // scratch for the resources array (left empty when there is none)
    const Workload* workload = nullptr;  // the instance or function the actor runs as/for
    std::string host = {};  // set to override the tlsDetails host (S3 virtual-hosted style)
};
using BodyFn = void (*)(BodyCtx&);

struct Api {
    std::string_view source;  // "ec2.amazonaws.com"
    std::string_view name;    // "DescribeInstances"
    Svc svc;
    bool read_only;
    std::string_view action;  // "ec2:DescribeInstances"
    std::string_view cli;     // "ec2.describe-instances"
    BodyFn body;
    // A routine error this call sometimes returns (not a permission problem).
    std::string_view natural_error = {}, natural_message = {};
    double natural_p = 0;
    // A user agent this call always has whoever the actor (e.g. the SSM agent), or "".
    std::string_view agent = {};
};

// Every API of the background catalog.
[[nodiscard]] std::span<const Api> ApiCatalog();
// The catalog index of `source`/`name`, or -1.
[[nodiscard]] int FindApi(std::string_view name, std::string_view source = {});

// eventVersion, SDK api id ("api/ec2#1.163.1") and whether the service is global (IAM,
// Organizations, Cost Explorer, Health: logged in us-east-1).
[[nodiscard]] std::string_view ServiceVersion(Svc s);
[[nodiscard]] std::string_view ServiceSdkApi(Svc s);
[[nodiscard]] bool ServiceIsGlobal(Svc s);
// tlsDetails host for the service in `region` ("" for services that log none).
[[nodiscard]] std::string ServiceHost(Svc s, std::string_view region);

// The error a denied call returns: code and message for `actor_arn`.
void DeniedError(const Api& api, std::string_view actor_arn, std::string_view account_id,
                 std::string& code, std::string& message);

// Per Mix, the APIs an actor calls with their weights, split by whether the file's region is
// the global one (global services are only eligible there).
class MixTable {
  public:
    MixTable();
    // Draws an API index for `mix`; `global_region` allows global services.
    [[nodiscard]] uint32_t Draw(ApiMix mix, bool global_region, Rng& rng) const;
    // Probability that a call of this mix is denied (AccessDenied and friends).
    [[nodiscard]] double DeniedShare(ApiMix mix) const;

  private:
    struct Table {
        std::vector<uint32_t> api;
        std::vector<double> cumulative;
    };
    Table tables_[static_cast<int>(ApiMix::kNone) + 1][2];
};

}  // namespace tw::simulate
