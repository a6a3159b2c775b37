// SPDX-License-Identifier: Apache-2.0
// Fuzzes the duty model's readers of untrusted input: the first byte picks
// a rota, an escalation policy, a notification state, routes (all JSON) or
// an acknowledge token. Invariants, checked on every input: no crash; what
// is accepted writes back to JSON that reads back equal; for a rota, OnDuty
// agrees with Shifts over a week around both DST changes, shifts neither
// overlap nor run backwards and come back whole when asked for alone, and
// the iCalendar export keeps every line within 75 octets; a token that
// verifies re-issues to itself.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "core/json_limits.h"
#include "duty/ack_token.h"
#include "duty/escalation.h"
#include "duty/icalendar.h"
#include "duty/policy.h"
#include "duty/rota.h"
#include "duty/routes.h"

namespace {

void Check(bool condition) {
  if (!condition) std::abort();
}

constexpr std::string_view kSecret = "fuzz-secret-fuzz-secret-fuzz-secret-0123";

void CheckRota(const dv::duty::Rota& rota) {
  using dv::Timestamp;
  auto again = dv::duty::RotaFromJson(dv::duty::RotaToJson(rota), {});
  Check(again.ok() && *again == rota);
  // The weeks from 26 March, 1 June and 22 October 2026.
  for (const std::int64_t week_start : {1774483200000LL, 1780272000000LL, 1792627200000LL}) {
    const Timestamp from(week_start);
    const Timestamp to(week_start + 7 * dv::duty::kDayMs);
    const auto shifts = dv::duty::Shifts(rota, from, to);
    for (std::size_t shift_idx = 0; shift_idx < shifts.size(); ++shift_idx) {
      Check(shifts[shift_idx].start < shifts[shift_idx].end);
      if (shift_idx > 0) Check(shifts[shift_idx - 1].end <= shifts[shift_idx].start);
      const auto on_duty = dv::duty::OnDuty(rota, shifts[shift_idx].start);
      Check(on_duty.has_value() && *on_duty == shifts[shift_idx].participant);
      // Asked for its last millisecond alone, the shift comes back whole.
      if (shift_idx < 16) {
        const Timestamp inside(shifts[shift_idx].end.unix_ms() - 1);
        const auto alone = dv::duty::Shifts(rota, inside, shifts[shift_idx].end);
        Check(alone.size() == 1 && alone[0] == shifts[shift_idx]);
      }
    }
    const std::string calendar = dv::duty::ToICalendar(rota, from, to, {"fuzz", "fuzz", from, {}});
    std::size_t line_start = 0;
    for (std::size_t end = calendar.find("\r\n"); end != std::string::npos; end = calendar.find("\r\n", line_start)) {
      Check(end - line_start <= 75);
      line_start = end + 2;
    }
    Check(line_start == calendar.size());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::uint8_t selector = data[0];
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  const dv::Timestamp now(1773100800000LL);  // 2026-03-10T00:00:00Z

  if (selector % 5 == 4) {
    auto claims = dv::duty::VerifyAckToken(kSecret, text, now);
    if (claims.ok()) Check(dv::duty::IssueAckToken(kSecret, *claims).value() == text);
    return 0;
  }
  if (!dv::CheckJsonDepth(text).ok()) return 0;
  const nlohmann::json json = nlohmann::json::parse(text, nullptr, false);
  if (json.is_discarded()) return 0;
  switch (selector % 5) {
    case 0: {
      auto rota = dv::duty::RotaFromJson(json, {now, 7 * dv::duty::kDayMs});
      if (rota.ok()) CheckRota(*rota);
      break;
    }
    case 1: {
      auto policy = dv::duty::ParsePolicy(json);
      if (policy.ok()) Check(dv::duty::ParsePolicy(dv::duty::PolicyToJson(*policy)).value() == *policy);
      break;
    }
    case 2: {
      auto state = dv::duty::NotificationFromJson(json);
      if (state.ok()) {
        Check(dv::duty::NotificationFromJson(dv::duty::NotificationToJson(*state)).value() == *state);
      }
      break;
    }
    default: {
      auto routes = dv::duty::RoutesFromJson(json, nullptr);
      if (routes.ok()) Check(dv::duty::RoutesFromJson(dv::duty::RoutesToJson(*routes), nullptr).value() == *routes);
      break;
    }
  }
  return 0;
}
