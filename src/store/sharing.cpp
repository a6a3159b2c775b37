// SPDX-License-Identifier: Apache-2.0
#include "store/sharing.h"

#include <array>
#include <cstdio>
#include <utility>

namespace dv {
namespace {

constexpr std::array<std::pair<MemberRole, std::string_view>, 4> kRoles = {{
    {MemberRole::kMember, "member"},
    {MemberRole::kSensor, "sensor"},
    {MemberRole::kCoordinator, "coordinator"},
    {MemberRole::kAdmin, "admin"},
}};

constexpr std::array<std::pair<AudienceKind, std::string_view>, 4> kAudiences = {{
    {AudienceKind::kNational, "national"},
    {AudienceKind::kRegion, "region"},
    {AudienceKind::kSector, "sector"},
    {AudienceKind::kGroup, "group"},
}};

}  // namespace

std::string_view MemberRoleName(MemberRole role) {
  for (const auto& [value, name] : kRoles) {
    if (value == role) return name;
  }
  return "member";
}

std::optional<MemberRole> ParseMemberRole(std::string_view name) {
  for (const auto& [value, role_name] : kRoles) {
    if (role_name == name) return value;
  }
  return std::nullopt;
}

std::string_view TokenStateName(TokenState state) {
  switch (state) {
    case TokenState::kActive:
      return "active";
    case TokenState::kRevoked:
      return "revoked";
    case TokenState::kMemberDisabled:
      return "member-disabled";
    case TokenState::kExpired:
      return "expired";
  }
  return "revoked";
}

TokenState StateOf(const TokenInfo& token, Timestamp now) {
  if (token.revoked_at) return TokenState::kRevoked;
  if (token.member_disabled) return TokenState::kMemberDisabled;
  if (token.expires_at && *token.expires_at <= now) return TokenState::kExpired;
  return TokenState::kActive;
}

std::string_view AudienceKindName(AudienceKind kind) {
  for (const auto& [value, name] : kAudiences) {
    if (value == kind) return name;
  }
  return "national";
}

std::optional<AudienceKind> ParseAudienceKind(std::string_view name) {
  for (const auto& [value, kind_name] : kAudiences) {
    if (kind_name == name) return value;
  }
  return std::nullopt;
}

std::string FormatMicros(std::int64_t unix_us) {
  std::int64_t ms = unix_us / 1000;
  std::int64_t micros = unix_us % 1000;
  if (micros < 0) {
    micros += 1000;
    --ms;
  }
  std::string text = Timestamp(ms).ToRfc3339();  // ...SS.mmmZ
  char extra[4];
  std::snprintf(extra, sizeof extra, "%03d", static_cast<int>(micros));
  text.insert(text.size() - 1, extra);
  return text;
}

std::optional<std::int64_t> ParseMicros(std::string_view text) {
  auto ts = Timestamp::Parse(text);
  if (!ts.ok()) return std::nullopt;
  std::int64_t micros = 0;
  const auto dot = text.find('.');
  if (dot != std::string_view::npos) {
    // Digits 4-6 of the fraction; Timestamp::Parse already took the first three.
    int digits = 0;
    for (std::size_t pos = dot + 1; pos < text.size() && text[pos] >= '0' && text[pos] <= '9'; ++pos, ++digits) {
      if (digits >= 3 && digits < 6) micros = micros * 10 + (text[pos] - '0');
    }
    for (int pad = std::max(digits, 3); pad < 6; ++pad) micros *= 10;
    if (digits <= 3) micros = 0;
  }
  return ts->unix_ms() * 1000 + micros;
}

}  // namespace dv
