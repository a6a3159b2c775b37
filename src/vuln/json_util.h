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

// Fields of an object are read with core/json_fields.h.

// RFC 3339 with or without a zone ("2023-04-25T02:15:08.743" is taken as
// UTC), or a bare date "2023-06-21".
std::optional<Timestamp> ParseLooseTime(std::string_view text);

// Lower-case, trimmed, inner whitespace runs as '_', then CPE-escaped: the
// form of a CPE vendor/product value.
std::string NormaliseName(std::string_view text);

}  // namespace dv::vuln::internal
