// SPDX-License-Identifier: Apache-2.0
#pragma once

// API tokens and the HTTP credentials that carry them.
//
// A token is 32 random bytes from the OS CSPRNG, shown once as
// "dvt_" + 64 hex digits. The store keeps only SHA-256(token): with 256 bits
// of entropy a fast hash cannot be brute-forced, and lookup stays one index
// probe (a slow password hash would be needed only for human-chosen secrets).
// Credentials arrive as "Authorization: Bearer <token>" or HTTP Basic with
// the member id as user name and the token as password; the Basic user name
// must match the token's member.

#include <optional>
#include <string>
#include <string_view>

namespace dv::hub {

std::string NewToken();
// SHA-256 of the token as 64 lower-case hex digits.
std::string HashToken(std::string_view token);

struct Credentials {
  std::string token;
  std::optional<std::string> user;  // Basic only
};

// Parses an Authorization header value; nullopt when absent or malformed.
std::optional<Credentials> ParseAuthorization(std::string_view header);

// Compares in time independent of where the strings differ.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace dv::hub
