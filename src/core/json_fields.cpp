// SPDX-License-Identifier: Apache-2.0
#include "core/json_fields.h"

namespace dv {
namespace {

using Json = nlohmann::json;

Error Missing(std::string_view name, std::string_view path) {
  if (path.empty()) return Error::Parse("missing '" + std::string(name) + "'");
  return Error::Parse(std::string(path) + ": missing '" + std::string(name) + "'");
}

Error WrongType(std::string_view name, std::string_view path, std::string_view what) {
  const std::string place = path.empty() ? std::string(name) : std::string(path) + "." + std::string(name);
  return Error::Parse(place + ": expected " + std::string(what));
}

bool Absent(const Json* value) { return value == nullptr || value->is_null(); }

}  // namespace

const Json* FindField(const Json& object, std::string_view name) {
  if (!object.is_object()) return nullptr;
  const auto found = object.find(name);
  return found == object.end() ? nullptr : &*found;
}

Result<std::string> StringField(const Json& object, std::string_view name, std::string_view path) {
  const Json* value = FindField(object, name);
  if (value == nullptr) return Missing(name, path);
  if (!value->is_string()) return WrongType(name, path, "a string");
  return value->get<std::string>();
}

Result<std::int64_t> IntField(const Json& object, std::string_view name, std::string_view path) {
  const Json* value = FindField(object, name);
  if (value == nullptr) return Missing(name, path);
  if (!value->is_number_integer()) return WrongType(name, path, "a whole number");
  return value->get<std::int64_t>();
}

Result<bool> BoolField(const Json& object, std::string_view name, std::string_view path) {
  const Json* value = FindField(object, name);
  if (value == nullptr) return Missing(name, path);
  if (!value->is_boolean()) return WrongType(name, path, "true or false");
  return value->get<bool>();
}

Result<std::optional<std::string>> OptionalStringField(const Json& object, std::string_view name,
                                                       std::string_view path) {
  const Json* value = FindField(object, name);
  if (Absent(value)) return std::optional<std::string>();
  if (!value->is_string()) return WrongType(name, path, "a string");
  return std::optional<std::string>(value->get<std::string>());
}

Result<std::optional<std::int64_t>> OptionalIntField(const Json& object, std::string_view name, std::string_view path) {
  const Json* value = FindField(object, name);
  if (Absent(value)) return std::optional<std::int64_t>();
  if (!value->is_number_integer()) return WrongType(name, path, "a whole number");
  return std::optional<std::int64_t>(value->get<std::int64_t>());
}

Result<std::optional<bool>> OptionalBoolField(const Json& object, std::string_view name, std::string_view path) {
  const Json* value = FindField(object, name);
  if (Absent(value)) return std::optional<bool>();
  if (!value->is_boolean()) return WrongType(name, path, "true or false");
  return std::optional<bool>(value->get<bool>());
}

Result<const Json*> OptionalArrayField(const Json& object, std::string_view name, std::string_view path) {
  static const Json kEmpty = Json::array();
  const Json* value = FindField(object, name);
  if (Absent(value)) return &kEmpty;
  if (!value->is_array()) return WrongType(name, path, "an array");
  return value;
}

std::string StringFieldOr(const Json& object, std::string_view name, std::string fallback) {
  const Json* value = FindField(object, name);
  return value != nullptr && value->is_string() ? value->get<std::string>() : fallback;
}

std::optional<double> NumberFieldOr(const Json& object, std::string_view name) {
  const Json* value = FindField(object, name);
  if (value == nullptr || !value->is_number()) return std::nullopt;
  return value->get<double>();
}

bool BoolFieldOr(const Json& object, std::string_view name, bool fallback) {
  const Json* value = FindField(object, name);
  return value != nullptr && value->is_boolean() ? value->get<bool>() : fallback;
}

std::optional<Timestamp> TimeFieldOr(const Json& object, std::string_view name) {
  const Json* value = FindField(object, name);
  if (value == nullptr || !value->is_string()) return std::nullopt;
  auto parsed = Timestamp::Parse(value->get_ref<const std::string&>());
  if (!parsed.ok()) return std::nullopt;
  return *parsed;
}

}  // namespace dv
