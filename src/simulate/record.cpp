// The record envelope writer.
#include "simulate/record.h"

namespace tw::simulate {

void FormatUuid(Rng& rng, char* p) {
    const uint64_t a = rng.Next();
    const uint64_t c = rng.Next();
    int k = 0;
    auto hex = [&](uint64_t v, int nibbles) {
        for (int i = nibbles - 1; i >= 0; --i) p[k++] = kHexLower[(v >> (4 * i)) & 15];
    };
    hex(a >> 32, 8);
    p[k++] = '-';
    hex((a >> 16) & 0xFFFF, 4);
    p[k++] = '-';
    hex(0x4000 | (a & 0x0FFF), 4);
    p[k++] = '-';
    hex(0x8000 | ((c >> 48) & 0x3FFF), 4);
    p[k++] = '-';
    hex(c & 0xFFFFFFFFFFFFull, 12);
}

void WriteUuid(JsonBuf& b, Rng& rng) {
    b.Reserve(38);
    char* p = b.data() + b.size();
    p[0] = '"';
    FormatUuid(rng, p + 1);
    p[37] = '"';
    b.Advance(38);
}

void BeginRecord(JsonBuf& b, const Call& c) {
    const Actor& a = *c.actor;
    b.Add("{\"eventVersion\":");
    b.Str(c.version);
    b.Add(",\"userIdentity\":");
    b.Add(a.identity);
    b.Add(",\"eventTime\":");
    b.IsoTime(c.time);
    b.Add(",\"eventSource\":");
    b.Str(c.source);
    b.Add(",\"eventName\":");
    b.Str(c.name);
    b.Add(",\"awsRegion\":");
    b.Str(c.region);
    b.Add(",\"sourceIPAddress\":");
    b.Str(c.source_ip.empty() ? std::string_view(a.source_ip) : c.source_ip);
    b.Add(",\"userAgent\":\"");
    if (c.bracket_ua) b.Add('[');
    if (!c.user_agent.empty()) {
        b.Add(c.user_agent);
    } else {
        b.Add(a.user_agent);
        if (a.ua == UaStyle::kCli && !c.cli_command.empty()) {
            b.Add(" md/command#");
            b.Add(c.cli_command);
        } else if (a.ua == UaStyle::kTerraform && !c.sdk_api.empty()) {
            b.Add(' ');
            b.Add(c.sdk_api);
        }
    }
    if (c.bracket_ua) b.Add(']');
    b.Add("\",");
    if (!c.error_code.empty()) {
        b.KV("errorCode", c.error_code);
        b.Add(',');
        b.Key("errorMessage");
        b.Esc(c.error_message);
        b.Add(',');
    }
}

void EndRecord(JsonBuf& b, const Call& c, Rng& rng) {
    switch (c.request_id_style) {
        case RequestIdStyle::kNone:
            break;
        case RequestIdStyle::kS3:
            b.Add(",\"requestID\":\"");
            if (!c.request_id.empty()) {
                b.Add(c.request_id);
            } else {
                b.Reserve(16);
                for (int i = 0; i < 16; ++i) {
                    b.Add(kUpperAlnum[rng.Below(static_cast<uint32_t>(kUpperAlnum.size()))]);
                }
            }
            b.Add('"');
            break;
        case RequestIdStyle::kUuid:
            b.Add(",\"requestID\":");
            if (!c.request_id.empty()) {
                b.Str(c.request_id);
            } else {
                WriteUuid(b, rng);
            }
            break;
    }
    b.Add(",\"eventID\":");
    if (!c.event_id.empty()) {
        b.Str(c.event_id);
    } else {
        WriteUuid(b, rng);
    }
    b.Add(c.read_only ? std::string_view(",\"readOnly\":true")
                      : std::string_view(",\"readOnly\":false"));
    if (!c.resources.empty() && !c.failed) {
        b.Add(",\"resources\":");
        b.Add(c.resources);
    }
    b.Add(",\"eventType\":");
    b.Str(c.event_type);
    b.Add(c.management ? std::string_view(",\"managementEvent\":true")
                       : std::string_view(",\"managementEvent\":false"));
    b.Add(",\"recipientAccountId\":");
    b.Str(c.recipient);
    if (!c.shared_event_id.empty()) {
        b.Add(",\"sharedEventID\":");
        b.Str(c.shared_event_id);
    }
    if (!c.service_event_details.empty()) {
        b.Add(",\"serviceEventDetails\":");
        b.Add(c.service_event_details);
    }
    b.Add(c.management ? std::string_view(",\"eventCategory\":\"Management\"")
                       : std::string_view(",\"eventCategory\":\"Data\""));
    if (!c.host.empty()) {
        b.Add(",\"tlsDetails\":{\"tlsVersion\":\"TLSv1.3\",\"cipherSuite\":");
        b.Str(c.cipher);
        b.Add(",\"clientProvidedHostHeader\":");
        b.Str(c.host);
        b.Add('}');
    }
    if (c.actor->console) b.Add(",\"sessionCredentialFromConsole\":\"true\"");
    b.Add('}');
}

}  // namespace tw::simulate
