// SPDX-License-Identifier: Apache-2.0
#include "duty/ids.h"

#include "core/organisation.h"

namespace dv::duty {

namespace {

bool IsLocalId(std::string_view text) {
  if (text.empty() || text.size() > 64) return false;
  for (const char c : text) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  }
  return true;
}

}  // namespace

bool IsValidId(std::string_view text) {
  constexpr std::string_view kMemberPrefix = "member:";
  if (!text.starts_with(kMemberPrefix)) return IsLocalId(text);
  text.remove_prefix(kMemberPrefix.size());
  const auto slash = text.find('/');
  if (slash == std::string_view::npos) return false;
  return IsValidOrgCode(text.substr(0, slash)) && IsLocalId(text.substr(slash + 1));
}

std::string Quoted(std::string_view text) {
  constexpr std::size_t kMax = 80;
  if (text.size() <= kMax) return "'" + std::string(text) + "'";
  std::size_t cut = kMax;
  // Never end inside a UTF-8 sequence.
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return "'" + std::string(text.substr(0, cut)) + "…'";
}

}  // namespace dv::duty
