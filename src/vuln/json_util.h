// SPDX-License-Identifier: Apache-2.0
#pragma once

// Internal to dv_vuln: small helpers over nlohmann::json that report the
// JSON path of a problem. Not part of the public interface.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "core/time.h"

namespace dv::vuln::internal {

using Json = nlohmann::json;

// Parses text; the error names the origin and the byte offset.
Result<Json> ParseJsonText(std::string_view text, std::string_view origin);

// The member `key` of an object, or null when absent or `obj` is no object.
const Json* Member(const Json& obj, std::string_view key);
// A string member: nullopt when absent; an error when present but not a string.
Result<std::optional<std::string>> OptString(const Json& obj, std::string_view key, const std::string& path);
Result<std::string> ReqString(const Json& obj, std::string_view key, const std::string& path);
// A string member or "" (absent or wrong type is ignored).
std::string StringOr(const Json& obj, std::string_view key, std::string fallback = {});
// A number member or nullopt.
std::optional<double> NumberOr(const Json& obj, std::string_view key);
bool BoolOr(const Json& obj, std::string_view key, bool fallback);
// An array member: empty when absent; an error when present but not an array.
Result<const Json*> OptArray(const Json& obj, std::string_view key, const std::string& path);

// RFC 3339 with or without a zone ("2023-04-25T02:15:08.743" is taken as
// UTC), or a bare date "2023-06-21".
std::optional<Timestamp> ParseLooseTime(std::string_view text);

// Lower-case, trimmed, inner whitespace runs as '_', then CPE-escaped: the
// form of a CPE vendor/product value.
std::string NormaliseName(std::string_view text);

}  // namespace dv::vuln::internal
