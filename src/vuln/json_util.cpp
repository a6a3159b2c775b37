// SPDX-License-Identifier: Apache-2.0
#include "vuln/json_util.h"

#include "core/json_limits.h"
#include "vuln/cpe.h"

namespace dv::vuln::internal {

Result<Json> ParseJsonText(std::string_view text, std::string_view origin) {
  if (auto depth = CheckJsonDepth(text); !depth.ok()) {
    return Error::Parse(std::string(origin) + ": not valid JSON: " + depth.error().message());
  }
  try {
    return Json::parse(text.begin(), text.end());
  } catch (const Json::exception& e) {
    return Error::Parse(std::string(origin) + ": not valid JSON: " + e.what());
  }
}

std::optional<Timestamp> ParseLooseTime(std::string_view text) {
  if (text.size() == 10) {
    auto parsed = Timestamp::Parse(std::string(text) + "T00:00:00Z");
    if (parsed.ok()) return *parsed;
    return std::nullopt;
  }
  auto parsed = Timestamp::Parse(text);
  if (parsed.ok()) return *parsed;
  auto with_zone = Timestamp::Parse(std::string(text) + "Z");
  if (with_zone.ok()) return *with_zone;
  // "+0000" offsets without a colon.
  if (text.size() > 5 && (text[text.size() - 5] == '+' || text[text.size() - 5] == '-')) {
    std::string fixed(text);
    fixed.insert(fixed.size() - 2, ":");
    auto with_colon = Timestamp::Parse(fixed);
    if (with_colon.ok()) return *with_colon;
  }
  return std::nullopt;
}

std::string NormaliseName(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  std::string plain;
  bool space = false;
  for (char c : text) {
    if (c == ' ' || c == '\t') {
      space = true;
      continue;
    }
    if (space) plain += '_';
    space = false;
    plain += c;
  }
  return EscapeCpeValue(plain);
}

}  // namespace dv::vuln::internal
