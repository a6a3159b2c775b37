// SPDX-License-Identifier: Apache-2.0
#pragma once

// Reading one field of a parsed JSON object (nlohmann::json) as a value, with
// an error that names the field by its JSON path. The one set of such
// helpers: importers (federation files, vulnerability feeds, asset lists)
// and the hub's readers of stored objects use these rather than their own.
//
// `path` names the object being read, as the caller wants it to appear in
// messages ("nvd.json: vulnerabilities[3].cve", "assets.json: assets[0]");
// the field's place is then "<path>.<name>". Every error is kParse with a
// message of one of two forms:
//   "<path>: missing '<name>'"            a required field is absent
//   "<path>.<name>: expected <what>"      the field has the wrong type
// where <what> is "a string", "a whole number", "true or false", "an array"
// or "an object".
// An empty `path` names a top-level field: "missing '<name>'" and
// "<name>: expected <what>".
//
// A field whose value is JSON null counts as absent for the Optional*
// readers and as the wrong type for the required ones. When `object` is not
// a JSON object, every field is absent. Pure and thread-safe; no exceptions.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "core/time.h"

namespace dv {

// The member `name` of `object`, or nullptr when it is absent or `object` is
// not an object. The pointer lives as long as `object` is not modified.
const nlohmann::json* FindField(const nlohmann::json& object, std::string_view name);

// Required fields: an error when absent or of another type.
Result<std::string> StringField(const nlohmann::json& object, std::string_view name, std::string_view path);
Result<std::int64_t> IntField(const nlohmann::json& object, std::string_view name, std::string_view path);
Result<bool> BoolField(const nlohmann::json& object, std::string_view name, std::string_view path);

// Optional fields: nullopt when absent or null; an error when of another type.
Result<std::optional<std::string>> OptionalStringField(const nlohmann::json& object, std::string_view name,
                                                       std::string_view path);
Result<std::optional<std::int64_t>> OptionalIntField(const nlohmann::json& object, std::string_view name,
                                                     std::string_view path);
Result<std::optional<bool>> OptionalBoolField(const nlohmann::json& object, std::string_view name,
                                              std::string_view path);
// An array field; a static empty array when absent or null. The pointer is
// never null.
Result<const nlohmann::json*> OptionalArrayField(const nlohmann::json& object, std::string_view name,
                                                 std::string_view path);

// Lenient readers, for data whose odd fields are ignored rather than
// refused: the value when present with the right type, else the fallback
// (or nullopt).
std::string StringFieldOr(const nlohmann::json& object, std::string_view name, std::string fallback = {});
std::optional<double> NumberFieldOr(const nlohmann::json& object, std::string_view name);
bool BoolFieldOr(const nlohmann::json& object, std::string_view name, bool fallback);
// An RFC 3339 time (Timestamp::Parse); nullopt when absent, not a string or
// not a time.
std::optional<Timestamp> TimeFieldOr(const nlohmann::json& object, std::string_view name);

}  // namespace dv
