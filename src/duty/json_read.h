// SPDX-License-Identifier: Apache-2.0
#pragma once

// Internal to dv_duty: the small additions to core/json_fields.h that the
// duty parsers share (field paths, unknown fields, bounded arrays). Every
// error names the field by its path, "layers[1].handoff: …"; the top-level
// object has the empty path.

#include <cstddef>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "core/json_fields.h"
#include "core/result.h"

namespace dv::duty::internal {

// "<path>.<name>", or "<name>" at the top level.
std::string Join(std::string_view path, std::string_view name);
// "<path>[<index>]".
std::string Index(std::string_view path, std::size_t index);

// kInvalidArgument "<place>: <why>".
Error Invalid(std::string_view place, std::string_view why);

// kParse "<path>: expected an object" (or "expected an object" at the top).
Status ExpectObject(const nlohmann::json& value, std::string_view path);
// kInvalidArgument "<path>.<name>: unknown field" for the first member of
// `object` not in `known`: a misspelt field is refused, not ignored.
Status RefuseUnknownFields(const nlohmann::json& object, std::initializer_list<std::string_view> known,
                           std::string_view path);
// A required array field with min_size ≤ size ≤ max_size.
Result<const nlohmann::json*> BoundedArrayField(const nlohmann::json& object, std::string_view name,
                                                std::string_view path, std::size_t min_size, std::size_t max_size);
// An optional string field (absent: nullopt) of at most `max_bytes` bytes of
// valid UTF-8 without control characters.
Result<std::optional<std::string>> OptionalTextField(const nlohmann::json& object, std::string_view name,
                                                     std::string_view path, std::size_t max_bytes);

// True when `text` is valid UTF-8 (no overlong forms, no surrogates).
bool IsValidUtf8(std::string_view text);

}  // namespace dv::duty::internal
