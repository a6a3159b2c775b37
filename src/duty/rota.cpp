// SPDX-License-Identifier: Apache-2.0
#include "duty/rota.h"

#include <algorithm>
#include <array>
#include <nlohmann/json.hpp>
#include <set>

#include "duty/ids.h"
#include "duty/json_read.h"

namespace dv::duty {

namespace {

using Json = nlohmann::json;
using internal::Index;
using internal::Invalid;
using internal::Join;

constexpr std::array<std::string_view, 7> kDayNames = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

// ---- parsing ---------------------------------------------------------------

Result<std::string> ParticipantField(const Json& object, std::string_view name, std::string_view path) {
  auto text = StringField(object, name, path);
  if (!text.ok()) return text.error();
  if (!IsValidId(*text)) {
    return Invalid(Join(path, name), Quoted(*text) + " is not a participant id (" + std::string(kIdForm) + ")");
  }
  return text;
}

Result<int> ClockField(const Json& object, std::string_view name, std::string_view path, bool allow_24) {
  auto text = StringField(object, name, path);
  if (!text.ok()) return text.error();
  const auto minute = ParseClock(*text, allow_24);
  if (!minute) {
    return Invalid(Join(path, name),
                   std::string("expected HH:MM (00:00–") + (allow_24 ? "24:00" : "23:59") + "), got " + Quoted(*text));
  }
  return *minute;
}

bool YearSupported(int year) { return year >= kFirstSupportedYear && year <= kLastSupportedYear; }

std::string SupportedYears() {
  return "years " + std::to_string(kFirstSupportedYear) + "–" + std::to_string(kLastSupportedYear) +
         " are supported (the system's tz database lists DST changes only up to 2037)";
}

Result<WeeklyWindow> ParseWindow(const Json& json, const std::string& path) {
  DV_TRY(internal::ExpectObject(json, path));
  DV_TRY(internal::RefuseUnknownFields(json, {"days", "from", "to"}, path));
  WeeklyWindow window;
  auto days = internal::BoundedArrayField(json, "days", path, 1, 7);
  if (!days.ok()) return days.error();
  const std::string days_path = Join(path, "days");
  for (std::size_t day_idx = 0; day_idx < (*days)->size(); ++day_idx) {
    const Json& day = (**days)[day_idx];
    const auto found =
        day.is_string() ? std::find(kDayNames.begin(), kDayNames.end(), day.get<std::string>()) : kDayNames.end();
    if (found == kDayNames.end()) {
      return Invalid(Index(days_path, day_idx), "expected mon, tue, wed, thu, fri, sat or sun, got " +
                                                    Quoted(day.is_string() ? day.get<std::string>() : day.dump()));
    }
    const auto bit = static_cast<std::uint8_t>(1U << static_cast<unsigned>(found - kDayNames.begin()));
    if ((window.days & bit) != 0) return Invalid(Index(days_path, day_idx), Quoted(*found) + " is listed twice");
    window.days = static_cast<std::uint8_t>(window.days | bit);
  }
  auto from = ClockField(json, "from", path, false);
  if (!from.ok()) return from.error();
  auto to = ClockField(json, "to", path, true);
  if (!to.ok()) return to.error();
  if (*to <= *from) {
    return Invalid(Join(path, "to"),
                   "must be after from (a window ends by 24:00 on its day; write a night as two windows)");
  }
  window.from_minute = *from;
  window.to_minute = *to;
  return window;
}

Result<Layer> ParseLayer(const Json& json, const std::string& path) {
  DV_TRY(internal::ExpectObject(json, path));
  DV_TRY(internal::RefuseUnknownFields(json, {"name", "participants", "rotation_days", "handoff", "start", "windows"},
                                       path));
  Layer layer;
  auto name = internal::OptionalTextField(json, "name", path, 200);
  if (!name.ok()) return name.error();
  layer.name = name->value_or("");

  auto participants = internal::BoundedArrayField(json, "participants", path, 1, kMaxParticipantsPerLayer);
  if (!participants.ok()) return participants.error();
  const std::string participants_path = Join(path, "participants");
  for (std::size_t participant_idx = 0; participant_idx < (*participants)->size(); ++participant_idx) {
    const Json& participant = (**participants)[participant_idx];
    const std::string place = Index(participants_path, participant_idx);
    if (!participant.is_string()) return Error::Parse(place + ": expected a string");
    if (!IsValidId(participant.get<std::string>())) {
      return Invalid(
          place, Quoted(participant.get<std::string>()) + " is not a participant id (" + std::string(kIdForm) + ")");
    }
    layer.participants.push_back(participant.get<std::string>());
  }

  auto rotation = IntField(json, "rotation_days", path);
  if (!rotation.ok()) return rotation.error();
  if (*rotation < 1 || *rotation > kMaxRotationDays) {
    return Invalid(Join(path, "rotation_days"),
                   "must be 1–" + std::to_string(kMaxRotationDays) + " days, got " + std::to_string(*rotation));
  }
  layer.rotation_days = static_cast<int>(*rotation);

  auto handoff = ClockField(json, "handoff", path, false);
  if (!handoff.ok()) return handoff.error();
  layer.handoff_minute = *handoff;

  auto start = StringField(json, "start", path);
  if (!start.ok()) return start.error();
  const auto start_day = ParseLocalDate(*start);
  if (!start_day) return Invalid(Join(path, "start"), "expected a date YYYY-MM-DD, got " + Quoted(*start));
  if (!YearSupported(YearOf(*start_day))) return Invalid(Join(path, "start"), SupportedYears());
  layer.start_day = *start_day;

  auto windows = internal::BoundedArrayField(json, "windows", path, 0, kMaxWindowsPerLayer);
  if (!windows.ok()) return windows.error();
  for (std::size_t window_idx = 0; window_idx < (*windows)->size(); ++window_idx) {
    auto window = ParseWindow((**windows)[window_idx], Index(Join(path, "windows"), window_idx));
    if (!window.ok()) return window.error();
    layer.windows.push_back(*window);
  }
  return layer;
}

// An RFC 3339 instant, or a wall-clock "YYYY-MM-DDTHH:MM[:SS]" in `zone`.
Result<Timestamp> ParseTime(const Json& object, std::string_view name, std::string_view path, const TimeZone& zone) {
  auto text = StringField(object, name, path);
  if (!text.ok()) return text.error();
  const std::string& value = *text;
  const auto fail = [&] {
    return Invalid(Join(path, name), "expected an RFC 3339 time (2026-03-28T18:00:00+01:00) or a local time (" +
                                         std::string("2026-03-28T18:00), got ") + Quoted(value));
  };
  std::optional<Timestamp> at;
  if ((value.size() == 16 || value.size() == 19) && value[10] == 'T') {
    const auto day = ParseLocalDate(std::string_view(value).substr(0, 10));
    const auto clock = ParseClock(std::string_view(value).substr(11, 5), false);
    int seconds = 0;
    if (value.size() == 19) {
      if (value[16] != ':' || value[17] < '0' || value[17] > '5' || value[18] < '0' || value[18] > '9') return fail();
      seconds = (value[17] - '0') * 10 + (value[18] - '0');
    }
    if (!day || !clock) return fail();
    at = zone.At(*day, *clock * kMinuteMs + std::int64_t{seconds} * 1000);
  } else {
    auto instant = Timestamp::Parse(value);
    if (!instant.ok()) return fail();
    at = *instant;
  }
  if (!YearSupported(YearOf(zone.Read(*at).day))) return Invalid(Join(path, name), SupportedYears());
  return *at;
}

Result<Override> ParseOverride(const Json& json, const std::string& path, const TimeZone& zone) {
  DV_TRY(internal::ExpectObject(json, path));
  DV_TRY(internal::RefuseUnknownFields(json, {"participant", "from", "to"}, path));
  Override item;
  auto participant = ParticipantField(json, "participant", path);
  if (!participant.ok()) return participant.error();
  item.participant = std::move(*participant);
  auto start = ParseTime(json, "from", path, zone);
  if (!start.ok()) return start.error();
  auto end = ParseTime(json, "to", path, zone);
  if (!end.ok()) return end.error();
  if (*end <= *start) return Invalid(Join(path, "to"), "must be after from");
  if (end->unix_ms() - start->unix_ms() > kMaxOverrideMs) {
    return Invalid(Join(path, "to"), "an override lasts at most 366 days; change the layers instead");
  }
  item.start = *start;
  item.end = *end;
  return item;
}

// ---- evaluation --------------------------------------------------------------

// What is on duty over a stretch: a layer in one rotation period, an
// override, or nobody (index < 0).
struct Pick {
  ShiftSource::Kind kind = ShiftSource::Kind::kLayer;
  int index = -1;
  std::int64_t period = 0;

  bool nobody() const { return index < 0; }
  friend bool operator==(const Pick&, const Pick&) = default;
};

struct Segment {
  Timestamp start;
  Timestamp end;
  Pick pick;
};

Timestamp Handoff(const Layer& layer, const TimeZone& zone, std::int64_t period) {
  return zone.AtMinute(layer.start_day + period * layer.rotation_days, layer.handoff_minute);
}

// The layer's rotation period at `at`; nullopt before its first hand-off.
std::optional<std::int64_t> PeriodAt(const Layer& layer, const TimeZone& zone, Timestamp at) {
  if (at < Handoff(layer, zone, 0)) return std::nullopt;
  std::int64_t period = std::max<std::int64_t>(0, FloorDiv(zone.Read(at).day - layer.start_day, layer.rotation_days));
  while (period > 0 && Handoff(layer, zone, period) > at) --period;
  while (Handoff(layer, zone, period + 1) <= at) ++period;
  return period;
}

// Calls visit(start, end) for each instance of the layer's windows on the
// days [first_day, last_day].
template <typename Visit>
void ForEachWindow(const Layer& layer, const TimeZone& zone, LocalDay first_day, LocalDay last_day, Visit visit) {
  for (LocalDay day = first_day; day <= last_day; ++day) {
    const auto bit = static_cast<std::uint8_t>(1U << static_cast<unsigned>(WeekdayOf(day)));
    for (const WeeklyWindow& window : layer.windows) {
      if ((window.days & bit) == 0) continue;
      visit(zone.AtMinute(day, window.from_minute), zone.AtMinute(day, window.to_minute));
    }
  }
}

// The number of window instances containing `at` (a window on a
// neighbouring local day can contain it around a DST change at midnight).
int OpenWindows(const Layer& layer, const TimeZone& zone, Timestamp at) {
  const LocalDay day = zone.Read(at).day;
  int open = 0;
  ForEachWindow(layer, zone, day - 1, day + 1, [&](Timestamp start, Timestamp end) {
    if (start <= at && at < end) ++open;
  });
  return open;
}

Pick PickAt(const Rota& rota, Timestamp at) {
  for (std::size_t override_idx = rota.overrides.size(); override_idx-- > 0;) {
    const Override& item = rota.overrides[override_idx];
    if (item.start <= at && at < item.end) return {ShiftSource::Kind::kOverride, static_cast<int>(override_idx), 0};
  }
  for (std::size_t layer_idx = rota.layers.size(); layer_idx-- > 0;) {
    const Layer& layer = rota.layers[layer_idx];
    const auto period = PeriodAt(layer, rota.zone, at);
    if (!period) continue;
    if (!layer.windows.empty() && OpenWindows(layer, rota.zone, at) == 0) continue;
    return {ShiftSource::Kind::kLayer, static_cast<int>(layer_idx), *period};
  }
  return {};
}

const std::string& ParticipantOf(const Rota& rota, const Pick& pick) {
  if (pick.kind == ShiftSource::Kind::kOverride) return rota.overrides[pick.index].participant;
  const Layer& layer = rota.layers[pick.index];
  return layer.participants[pick.period % static_cast<std::int64_t>(layer.participants.size())];
}

// The maximal stretches of [lo, hi) with one pick each, in order; adjacent
// segments differ. A sweep over the hand-offs, window edges and override
// edges in the range: the state at `lo` is computed directly, then each
// event updates it.
std::vector<Segment> Sweep(const Rota& rota, Timestamp lo, Timestamp hi) {
  std::vector<Segment> segments;
  if (hi <= lo) return segments;
  enum class Kind : std::uint8_t { kHandoff, kOpen, kClose, kOverrideStart, kOverrideEnd };
  struct Event {
    Timestamp at;
    Kind kind;
    int index;
    std::int64_t period;
  };
  const TimeZone& zone = rota.zone;
  const std::size_t layer_count = rota.layers.size();
  std::vector<std::optional<std::int64_t>> periods(layer_count);
  std::vector<int> open(layer_count, 0);
  std::set<int> active_overrides;
  std::vector<Event> events;
  const auto inside = [&](Timestamp at) { return lo < at && at < hi; };
  const LocalDay first_day = zone.Read(lo).day - 1;
  const LocalDay last_day = zone.Read(hi).day + 1;

  for (std::size_t layer_idx = 0; layer_idx < layer_count; ++layer_idx) {
    const Layer& layer = rota.layers[layer_idx];
    const int index = static_cast<int>(layer_idx);
    periods[layer_idx] = PeriodAt(layer, zone, lo);
    for (std::int64_t period = periods[layer_idx].value_or(-1) + 1;; ++period) {
      const Timestamp handoff = Handoff(layer, zone, period);
      if (handoff >= hi) break;
      if (inside(handoff)) events.push_back({handoff, Kind::kHandoff, index, period});
    }
    ForEachWindow(layer, zone, first_day, last_day, [&](Timestamp start, Timestamp end) {
      if (start <= lo && lo < end) ++open[layer_idx];
      if (inside(start)) events.push_back({start, Kind::kOpen, index, 0});
      if (inside(end)) events.push_back({end, Kind::kClose, index, 0});
    });
  }
  for (std::size_t override_idx = 0; override_idx < rota.overrides.size(); ++override_idx) {
    const Override& item = rota.overrides[override_idx];
    const int index = static_cast<int>(override_idx);
    if (item.start <= lo && lo < item.end) active_overrides.insert(index);
    if (inside(item.start)) events.push_back({item.start, Kind::kOverrideStart, index, 0});
    if (inside(item.end)) events.push_back({item.end, Kind::kOverrideEnd, index, 0});
  }
  std::sort(events.begin(), events.end(), [](const Event& a, const Event& b) { return a.at < b.at; });

  const auto evaluate = [&]() -> Pick {
    if (!active_overrides.empty()) return {ShiftSource::Kind::kOverride, *active_overrides.rbegin(), 0};
    for (std::size_t layer_idx = layer_count; layer_idx-- > 0;) {
      if (!periods[layer_idx]) continue;
      if (!rota.layers[layer_idx].windows.empty() && open[layer_idx] == 0) continue;
      return {ShiftSource::Kind::kLayer, static_cast<int>(layer_idx), *periods[layer_idx]};
    }
    return {};
  };
  const auto emit = [&](Timestamp start, Timestamp end, const Pick& pick) {
    if (!segments.empty() && segments.back().pick == pick) {
      segments.back().end = end;
    } else {
      segments.push_back({start, end, pick});
    }
  };

  Timestamp cursor = lo;
  Pick pick = evaluate();
  for (std::size_t event_idx = 0; event_idx < events.size();) {
    const Timestamp at = events[event_idx].at;
    emit(cursor, at, pick);
    for (; event_idx < events.size() && events[event_idx].at == at; ++event_idx) {
      const Event& event = events[event_idx];
      switch (event.kind) {
        case Kind::kHandoff:
          periods[event.index] = event.period;
          break;
        case Kind::kOpen:
          ++open[event.index];
          break;
        case Kind::kClose:
          --open[event.index];
          break;
        case Kind::kOverrideStart:
          active_overrides.insert(event.index);
          break;
        case Kind::kOverrideEnd:
          active_overrides.erase(event.index);
          break;
      }
    }
    cursor = at;
    pick = evaluate();
  }
  emit(cursor, hi, pick);
  return segments;
}

// ---- JSON out ----------------------------------------------------------------

Json WindowJson(const WeeklyWindow& window) {
  Json days = Json::array();
  for (std::size_t day_idx = 0; day_idx < kDayNames.size(); ++day_idx) {
    if ((window.days & (1U << day_idx)) != 0) days.push_back(kDayNames[day_idx]);
  }
  return {{"days", days}, {"from", FormatClock(window.from_minute)}, {"to", FormatClock(window.to_minute)}};
}

}  // namespace

std::string ShiftSource::Name() const {
  return (kind == Kind::kLayer ? "layers[" : "overrides[") + std::to_string(index) + "]";
}

Result<Rota> RotaFromJson(const Json& json, const RotaCheck& check) {
  DV_TRY(internal::ExpectObject(json, ""));
  DV_TRY(internal::RefuseUnknownFields(json, {"name", "time_zone", "coverage", "layers", "overrides"}, ""));
  auto name = internal::OptionalTextField(json, "name", "", 200);
  if (!name.ok()) return name.error();
  auto zone_name = OptionalStringField(json, "time_zone", "");
  if (!zone_name.ok()) return zone_name.error();
  auto zone = TimeZone::Locate(zone_name->value_or(std::string(kCopenhagen)));
  if (!zone.ok()) return zone.error().WithContext("time_zone");
  Rota rota{.name = name->value_or(""), .zone = *zone, .coverage = Coverage::kFull, .layers = {}, .overrides = {}};

  auto coverage = OptionalStringField(json, "coverage", "");
  if (!coverage.ok()) return coverage.error();
  if (*coverage == "partial") {
    rota.coverage = Coverage::kPartial;
  } else if (coverage->has_value() && **coverage != "full") {
    return Invalid("coverage", "expected \"full\" or \"partial\", got " + Quoted(**coverage));
  }

  auto layers = internal::BoundedArrayField(json, "layers", "", 1, kMaxLayers);
  if (!layers.ok()) return layers.error();
  for (std::size_t layer_idx = 0; layer_idx < (*layers)->size(); ++layer_idx) {
    auto layer = ParseLayer((**layers)[layer_idx], Index("layers", layer_idx));
    if (!layer.ok()) return layer.error();
    rota.layers.push_back(std::move(*layer));
  }
  auto overrides = internal::BoundedArrayField(json, "overrides", "", 0, kMaxOverrides);
  if (!overrides.ok()) return overrides.error();
  for (std::size_t override_idx = 0; override_idx < (*overrides)->size(); ++override_idx) {
    auto item = ParseOverride((**overrides)[override_idx], Index("overrides", override_idx), rota.zone);
    if (!item.ok()) return item.error();
    rota.overrides.push_back(std::move(*item));
  }

  if (rota.coverage == Coverage::kFull && check.coverage_from) {
    // The horizon, then the week after the last layer starts. In between,
    // layers only start, never stop, and windows repeat weekly, so a gap
    // there would show in one of the two (overrides are only counted where
    // checked: within the horizon).
    const Timestamp from = *check.coverage_from;
    const Timestamp horizon_end(from.unix_ms() + std::max<std::int64_t>(check.horizon_ms, 0));
    Timestamp last_start = from;
    for (const Layer& layer : rota.layers) last_start = std::max(last_start, Handoff(layer, rota.zone, 0));
    Timestamp check_end = horizon_end;
    auto gaps = FindGaps(rota, from, check_end);
    const Timestamp week_after(last_start.unix_ms() + 8 * kDayMs);
    if (gaps.empty() && week_after > horizon_end) {
      check_end = week_after;
      gaps = FindGaps(rota, std::max(last_start, horizon_end), check_end);
    }
    if (!gaps.empty()) {
      const Gap& gap = gaps.front();
      const std::string until = gap.end < check_end
                                    ? "to " + rota.zone.Format(gap.end)
                                    : "until at least " + rota.zone.Format(gap.end) + " (the end of the check)";
      return Invalid("layers", "nobody is on duty from " + rota.zone.Format(gap.start) + " " + until +
                                   "; add a layer or override that covers it, or set \"coverage\": \"partial\"");
    }
  }
  return rota;
}

Json RotaToJson(const Rota& rota) {
  Json layers = Json::array();
  for (const Layer& layer : rota.layers) {
    Json item = {{"participants", layer.participants},
                 {"rotation_days", layer.rotation_days},
                 {"handoff", FormatClock(layer.handoff_minute)},
                 {"start", FormatLocalDate(layer.start_day)}};
    if (!layer.name.empty()) item["name"] = layer.name;
    if (!layer.windows.empty()) {
      Json windows = Json::array();
      for (const WeeklyWindow& window : layer.windows) windows.push_back(WindowJson(window));
      item["windows"] = std::move(windows);
    }
    layers.push_back(std::move(item));
  }
  Json overrides = Json::array();
  for (const Override& item : rota.overrides) {
    overrides.push_back(
        {{"participant", item.participant}, {"from", item.start.ToRfc3339()}, {"to", item.end.ToRfc3339()}});
  }
  Json out = {{"time_zone", rota.zone.name()},
              {"coverage", rota.coverage == Coverage::kFull ? "full" : "partial"},
              {"layers", std::move(layers)},
              {"overrides", std::move(overrides)}};
  if (!rota.name.empty()) out["name"] = rota.name;
  return out;
}

std::optional<std::string> OnDuty(const Rota& rota, Timestamp at) {
  const Pick pick = PickAt(rota, at);
  if (pick.nobody()) return std::nullopt;
  return ParticipantOf(rota, pick);
}

std::vector<Shift> Shifts(const Rota& rota, Timestamp from, Timestamp to) {
  std::vector<Shift> shifts;
  if (to <= from) return shifts;
  // Scan far enough on both sides that the first and last shifts are whole:
  // a layer's shift lies within one of its turns, an override's within the
  // override. From the earliest start of a turn current at `from` to the
  // latest end of a turn current just before `to` covers both.
  std::int64_t lo = from.unix_ms();
  std::int64_t hi = to.unix_ms();
  const Timestamp last(to.unix_ms() - 1);
  for (const Layer& layer : rota.layers) {
    if (const auto period = PeriodAt(layer, rota.zone, from)) {
      lo = std::min(lo, Handoff(layer, rota.zone, *period).unix_ms());
    }
    if (const auto period = PeriodAt(layer, rota.zone, last)) {
      hi = std::max(hi, Handoff(layer, rota.zone, *period + 1).unix_ms());
    }
  }
  for (const Override& item : rota.overrides) {
    if (item.start <= from && from < item.end) lo = std::min(lo, item.start.unix_ms());
    if (item.start <= last && last < item.end) hi = std::max(hi, item.end.unix_ms());
  }
  for (const Segment& segment : Sweep(rota, Timestamp(lo), Timestamp(hi))) {
    if (segment.pick.nobody() || segment.end <= from || segment.start >= to) continue;
    shifts.push_back({ParticipantOf(rota, segment.pick),
                      segment.start,
                      segment.end,
                      {segment.pick.kind, segment.pick.index, segment.pick.period}});
  }
  return shifts;
}

std::vector<Gap> FindGaps(const Rota& rota, Timestamp from, Timestamp to) {
  std::vector<Gap> gaps;
  for (const Segment& segment : Sweep(rota, from, to)) {
    if (segment.pick.nobody()) gaps.push_back({segment.start, segment.end});
  }
  return gaps;
}

Json ShiftToJson(const Shift& shift, const TimeZone& zone) {
  return {{"participant", shift.participant},    {"start", shift.start.ToRfc3339()},
          {"end", shift.end.ToRfc3339()},        {"start_local", zone.Format(shift.start)},
          {"end_local", zone.Format(shift.end)}, {"source", shift.source.Name()}};
}

}  // namespace dv::duty
