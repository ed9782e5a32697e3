// The CloudTrail record envelope: every field around requestParameters/responseElements,
// written in the order CloudTrail writes them:
//
//   eventVersion, userIdentity, eventTime, eventSource, eventName, awsRegion, sourceIPAddress,
//   userAgent, [errorCode, errorMessage], requestParameters, responseElements,
//   [additionalEventData], [requestID], eventID, readOnly, [resources], eventType,
//   managementEvent, recipientAccountId, [sharedEventID], [serviceEventDetails],
//   eventCategory, [tlsDetails], [sessionCredentialFromConsole]
//
// Usage: BeginRecord(); write "requestParameters":...,"responseElements":...[,...]; EndRecord().
//
// Thread-safety: pure functions over the caller's buffer.
#pragma once

#include <string_view>

#include "core/time.h"
#include "simulate/identity.h"
#include "simulate/json_buf.h"
#include "simulate/random.h"

namespace tw::simulate {

enum class RequestIdStyle : uint8_t {
    kUuid,  // most services
    kS3,    // 16 upper-case alphanumerics
    kNone,  // sign-in events carry no requestID
};

struct Call {
    const Actor* actor = nullptr;
    TimeMs time = 0;
    std::string_view version = "1.09";
    std::string_view source, name, region, recipient;
    std::string_view host;         // tlsDetails.clientProvidedHostHeader; "" = no tlsDetails
    std::string_view cli_command;  // "ec2.describe-instances" for UaStyle::kCli
    std::string_view sdk_api;      // "api/ec2#1.163.1" for UaStyle::kTerraform
    std::string_view source_ip, user_agent;  // override the actor's when set
    bool bracket_ua = false;                 // S3 writes the agent as "[...]"
    bool read_only = true;
    bool management = true;
    bool failed = false;
    std::string_view event_type = "AwsApiCall";
    std::string_view error_code, error_message;
    std::string_view event_id;    // "" = random
    std::string_view request_id;  // "" = random in `request_id_style`
    RequestIdStyle request_id_style = RequestIdStyle::kUuid;
    std::string_view shared_event_id;
    std::string_view resources;              // raw JSON array, "" = none
    std::string_view service_event_details;  // raw JSON object, "" = none
    std::string_view cipher = "TLS_AES_128_GCM_SHA256";
};

// Writes `{` ... `"userAgent":"...",` plus errorCode/errorMessage when set.
void BeginRecord(JsonBuf& b, const Call& c);
// Writes `,"requestID":...` through the closing `}`. Random ids come from `rng`.
void EndRecord(JsonBuf& b, const Call& c, Rng& rng);

// Appends a random UUID to the buffer, quoted.
void WriteUuid(JsonBuf& b, Rng& rng);
// Writes a random UUID (36 characters, no terminator) to `out`.
void FormatUuid(Rng& rng, char* out);

}  // namespace tw::simulate
