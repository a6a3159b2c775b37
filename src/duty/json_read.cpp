// SPDX-License-Identifier: Apache-2.0
#include "duty/json_read.h"

#include <algorithm>
#include <cstdint>

namespace dv::duty::internal {

std::string Join(std::string_view path, std::string_view name) {
  if (path.empty()) return std::string(name);
  return std::string(path) + "." + std::string(name);
}

std::string Index(std::string_view path, std::size_t index) {
  return std::string(path) + "[" + std::to_string(index) + "]";
}

Error Invalid(std::string_view place, std::string_view why) {
  return Error::InvalidArgument(std::string(place) + ": " + std::string(why));
}

Status ExpectObject(const nlohmann::json& value, std::string_view path) {
  if (value.is_object()) return Ok();
  return Error::Parse(path.empty() ? std::string("expected an object") : std::string(path) + ": expected an object");
}

Status RefuseUnknownFields(const nlohmann::json& object, std::initializer_list<std::string_view> known,
                           std::string_view path) {
  for (const auto& item : object.items()) {
    if (std::find(known.begin(), known.end(), item.key()) == known.end()) {
      return Invalid(Join(path, item.key()), "unknown field");
    }
  }
  return Ok();
}

Result<const nlohmann::json*> BoundedArrayField(const nlohmann::json& object, std::string_view name,
                                                std::string_view path, std::size_t min_size, std::size_t max_size) {
  const nlohmann::json* value = FindField(object, name);
  if (value == nullptr || value->is_null()) {
    if (min_size == 0) {
      static const nlohmann::json kEmpty = nlohmann::json::array();
      return &kEmpty;
    }
    return Error::Parse(path.empty() ? "missing '" + std::string(name) + "'"
                                     : std::string(path) + ": missing '" + std::string(name) + "'");
  }
  if (!value->is_array()) return Error::Parse(Join(path, name) + ": expected an array");
  if (value->size() < min_size) {
    return Invalid(Join(path, name), min_size == 1 ? std::string("must not be empty")
                                                   : "needs at least " + std::to_string(min_size) + " entries");
  }
  if (value->size() > max_size) {
    return Invalid(Join(path, name),
                   "at most " + std::to_string(max_size) + " entries (has " + std::to_string(value->size()) + ")");
  }
  return value;
}

Result<std::optional<std::string>> OptionalTextField(const nlohmann::json& object, std::string_view name,
                                                     std::string_view path, std::size_t max_bytes) {
  auto text = OptionalStringField(object, name, path);
  if (!text.ok() || !text->has_value()) return text;
  const std::string& value = **text;
  if (value.size() > max_bytes) return Invalid(Join(path, name), "at most " + std::to_string(max_bytes) + " bytes");
  if (!IsValidUtf8(value)) return Invalid(Join(path, name), "not valid UTF-8");
  for (const char c : value) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return Invalid(Join(path, name), "control character");
  }
  return text;
}

bool IsValidUtf8(std::string_view text) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    const auto lead = static_cast<unsigned char>(text[pos]);
    std::size_t length = 0;
    std::uint32_t code = 0;
    if (lead < 0x80) {
      ++pos;
      continue;
    }
    if (lead >= 0xC2 && lead <= 0xDF) {
      length = 2;
      code = lead & 0x1FU;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      length = 3;
      code = lead & 0x0FU;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      length = 4;
      code = lead & 0x07U;
    } else {
      return false;
    }
    if (pos + length > text.size()) return false;
    for (std::size_t cont_idx = 1; cont_idx < length; ++cont_idx) {
      const auto cont = static_cast<unsigned char>(text[pos + cont_idx]);
      if ((cont & 0xC0U) != 0x80U) return false;
      code = (code << 6U) | (cont & 0x3FU);
    }
    if ((length == 3 && code < 0x800) || (length == 4 && (code < 0x10000 || code > 0x10FFFF)) ||
        (code >= 0xD800 && code <= 0xDFFF)) {
      return false;
    }
    pos += length;
  }
  return true;
}

}  // namespace dv::duty::internal
