// Status and Result<T>: the error type of calls that can fail as a whole (an unreadable file,
// a bad flag). Shaped like std::expected; costs nothing beyond a moved string on failure.
#pragma once

#include <expected>
#include <string>
#include <utility>

namespace tw {

enum class ErrorCode {
    kInvalidArgument,  // the caller (usually a user flag) asked for something impossible
    kNotFound,         // a named input does not exist
    kIoError,          // the OS refused a read or write
    kCorrupt,          // the input exists but cannot be decoded (bad gzip, bad JSON)
    kUnsupported,      // the input is understood but not something we process
    kInternal,
};

// An error: a code and a message that says where, what and what happens next.
struct Error {
    ErrorCode code = ErrorCode::kInternal;
    std::string message;
};

template <typename T>
using Result = std::expected<T, Error>;

// Status is Result<void>: `if (!s) report(s.error())`.
using Status = std::expected<void, Error>;

[[nodiscard]] inline std::unexpected<Error> MakeError(ErrorCode code, std::string message) {
    return std::unexpected<Error>(Error{code, std::move(message)});
}

[[nodiscard]] inline Status OkStatus() { return {}; }

}  // namespace tw
