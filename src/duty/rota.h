// SPDX-License-Identifier: Apache-2.0
#pragma once

// Duty rotas: who is on duty when, for one member or group (docs/duty.md,
// "Rotas"). A rota is a stack of layers plus overrides:
//
//   - a layer rotates its participants: participants[0] takes over at the
//     hand-off time (wall clock) on the start date, the next one
//     rotation_days later at the same wall-clock time, and so on, cyclically;
//   - a layer may be restricted to weekly windows (wall clock, e.g. Mon–Fri
//     08:00–16:00); outside them it does not apply, but its rotation keeps
//     running behind them;
//   - where several layers apply, the later one in the list wins (an office
//     hours layer after a 24/7 layer);
//   - an override (participant, from, to) wins over every layer; of two
//     overlapping overrides, the later in the list wins.
//
// Wall times use the rota's time zone (default Europe/Copenhagen) under the
// DST rules of duty/time_zone.h. A shift is a number of wall-clock days, so
// a daily shift over the night the clocks change is 23 or 25 real hours: a
// 08:00 hand-off on 28 March 2026 lasts until 08:00 CEST on 29 March (23 h);
// a 02:00 hand-off on 29 March happens at 03:00 CEST (02:00 does not exist
// that night); on 25 October a 02:00 hand-off happens at the first 02:00
// (CEST), and that shift runs 25 hours to 02:00 CET on 26 October.
//
// Everything here is pure and thread-safe; a Rota is an immutable value once
// parsed. Instants are dv::Timestamp (UTC, ms); intervals are [start, end).

#include <cstddef>
#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "core/time.h"
#include "duty/time_zone.h"

namespace dv::duty {

inline constexpr std::size_t kMaxLayers = 50;
inline constexpr std::size_t kMaxParticipantsPerLayer = 200;
inline constexpr std::size_t kMaxOverrides = 1000;
inline constexpr std::size_t kMaxWindowsPerLayer = 28;
inline constexpr int kMaxRotationDays = 365;
inline constexpr std::int64_t kMaxOverrideMs = 366 * kDayMs;
// The coverage check's default horizon: eight weeks from the check's start.
inline constexpr std::int64_t kDefaultHorizonMs = kDayMs * 7 * 8;

// How much of the time a rota must cover.
enum class Coverage {
  kFull,     // somebody is on duty at every instant (checked on parse)
  kPartial,  // gaps allowed (e.g. an office-hours-only rota)
};

// A weekly wall-clock window: on the days in `days`, from `from_minute`
// (inclusive) to `to_minute` (exclusive, up to 24:00). A window does not
// cross midnight; a night shift is two windows (as in the contacts' hours).
struct WeeklyWindow {
  std::uint8_t days = 0;  // bit d set: weekday d (0 = Monday … 6 = Sunday)
  int from_minute = 0;    // 0–1439
  int to_minute = 1440;   // from_minute+1 – 1440

  friend bool operator==(const WeeklyWindow&, const WeeklyWindow&) = default;
};

struct Layer {
  std::string name;                       // optional label, shown in calendars
  std::vector<std::string> participants;  // rotation order; may repeat
  int rotation_days = 7;                  // 1 – kMaxRotationDays
  int handoff_minute = 0;                 // wall-clock minute of the day, 0–1439
  LocalDay start_day = 0;                 // first hand-off, to participants[0]
  std::vector<WeeklyWindow> windows;      // empty: the layer always applies

  friend bool operator==(const Layer&, const Layer&) = default;
};

struct Override {
  std::string participant;
  Timestamp start;
  Timestamp end;  // > start, at most kMaxOverrideMs later

  friend bool operator==(const Override&, const Override&) = default;
};

struct Rota {
  std::string name;  // optional label
  TimeZone zone;
  Coverage coverage = Coverage::kFull;
  std::vector<Layer> layers;  // 1 – kMaxLayers; later layers win
  std::vector<Override> overrides;

  friend bool operator==(const Rota&, const Rota&) = default;
};

// Where a shift comes from: layers[index] in its period-th rotation (period
// 0 begins at the layer's first hand-off), or overrides[index].
struct ShiftSource {
  enum class Kind { kLayer, kOverride };
  Kind kind = Kind::kLayer;
  int index = 0;
  std::int64_t period = 0;  // 0 for overrides

  // "layers[1]" or "overrides[0]".
  std::string Name() const;
  friend bool operator==(const ShiftSource&, const ShiftSource&) = default;
};

// One participant on duty for one uninterrupted stretch from one source.
// A layer's shift ends at its next hand-off, where its window closes, or
// where a higher layer or an override takes over (and resumes as a new
// shift afterwards); a hand-off to the same participant still starts a new
// shift.
struct Shift {
  std::string participant;
  Timestamp start;
  Timestamp end;
  ShiftSource source;

  friend bool operator==(const Shift&, const Shift&) = default;
};

// A stretch with nobody on duty.
struct Gap {
  Timestamp start;
  Timestamp end;
  friend bool operator==(const Gap&, const Gap&) = default;
};

// How RotaFromJson checks coverage.
struct RotaCheck {
  // The check covers [coverage_from, coverage_from + horizon_ms) and, when
  // a layer starts later than that, the 8 days after the latest layer start:
  // once every layer has started, coverage repeats weekly, so a rota that
  // passes has no gap at any later time either, except where the horizon
  // was covered only by overrides. nullopt skips the check (re-reading a
  // rota that was checked when it was written).
  std::optional<Timestamp> coverage_from;
  std::int64_t horizon_ms = kDefaultHorizonMs;
};

// Parses and validates a rota (JSON form in docs/duty.md). Errors name the
// field: "layers[1].handoff: expected HH:MM (00:00–23:59), got '25:00'";
// a rota with "coverage": "full" (the default) and a gap within the check
// is refused with "layers: nobody is on duty from … to …". Unknown fields
// are refused. Override times are RFC 3339 instants ("…Z", "…+01:00") or
// wall-clock times in the rota's zone without an offset ("2026-03-28T18:00").
Result<Rota> RotaFromJson(const nlohmann::json& json, const RotaCheck& check);

// The canonical JSON form: what RotaFromJson reads, with defaults written
// out and override times as UTC instants. RotaFromJson(RotaToJson(r)) == r.
nlohmann::json RotaToJson(const Rota& rota);

// Who is on duty at `at`; nullopt in a gap.
std::optional<std::string> OnDuty(const Rota& rota, Timestamp at);

// Every shift that overlaps [from, to), in time order, each whole: the first
// may start before `from` and the last end after `to`, so a shift has the
// same start and end whatever window it is asked for. Cost is linear in the
// number of hand-offs, window edges and overrides in the range; callers bound
// the range (an export of a year of a daily rota is ~365 shifts per layer).
std::vector<Shift> Shifts(const Rota& rota, Timestamp from, Timestamp to);

// The stretches of [from, to) with nobody on duty, clipped to [from, to).
std::vector<Gap> FindGaps(const Rota& rota, Timestamp from, Timestamp to);

// {"participant", "start", "end" (UTC RFC 3339), "start_local", "end_local"
// (in the rota's zone, TimeZone::Format), "source": "layers[1]"}.
nlohmann::json ShiftToJson(const Shift& shift, const TimeZone& zone);

}  // namespace dv::duty
