// SPDX-License-Identifier: Apache-2.0
#pragma once

// Reading typed fields out of a JSON object with errors that name the field.
// Internal to dv_incident.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "core/time.h"

namespace dv::incident::detail {

using Json = nlohmann::json;

inline Error FieldError(const std::string& field, const std::string& reason) {
  return Error::InvalidArgument("field '" + field + "': " + reason);
}

// A string of min..max characters (bytes of UTF-8); absent → nullopt unless required.
Result<std::optional<std::string>> Text(const Json& object, const std::string& field, const std::string& prefix,
                                        std::size_t min, std::size_t max, bool required);
Result<std::optional<bool>> Bool(const Json& object, const std::string& field, const std::string& prefix,
                                 bool required);
Result<std::optional<Timestamp>> Time(const Json& object, const std::string& field, const std::string& prefix,
                                      bool required);
Result<std::optional<std::int64_t>> Integer(const Json& object, const std::string& field, const std::string& prefix,
                                            std::int64_t min, std::int64_t max, bool required);
// A list of strings, each 1..max_length characters, at most max_items.
Result<std::vector<std::string>> TextList(const Json& object, const std::string& field, const std::string& prefix,
                                          std::size_t max_items, std::size_t max_length);
// Rejects keys not in `known` (and not accepted by `ignore`).
Status OnlyKnown(const Json& object, const std::vector<std::string>& known, const std::string& prefix,
                 bool (*ignore)(std::string_view) = nullptr);

}  // namespace dv::incident::detail
