// SPDX-License-Identifier: Apache-2.0
#include "duty/rota.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "duty/test_support.h"

namespace dv::duty {
namespace {

using testing::At;
using testing::Hours;
using testing::MustParseRota;
using testing::ParseRota;
using Json = nlohmann::json;

// Two people alternating daily, handing off at `handoff`, from `start`.
std::string Daily(std::string_view handoff, std::string_view start) {
  return R"({"layers": [{"participants": ["anna", "bo"], "rotation_days": 1, "handoff": ")" + std::string(handoff) +
         R"(", "start": ")" + std::string(start) + R"("}]})";
}

TEST(TimeZone, MapsSkippedAndRepeatedWallTimesByTheDocumentedRules) {
  const TimeZone zone = *TimeZone::Locate("Europe/Copenhagen");
  const LocalDay march29 = *ParseLocalDate("2026-03-29");
  const LocalDay october25 = *ParseLocalDate("2026-10-25");
  // 02:00 and 02:30 do not exist on 29 March: both are 03:00 CEST.
  EXPECT_EQ(zone.AtMinute(march29, 2 * 60), At("2026-03-29T01:00:00Z"));
  EXPECT_EQ(zone.AtMinute(march29, 2 * 60 + 30), At("2026-03-29T01:00:00Z"));
  EXPECT_EQ(zone.AtMinute(march29, 3 * 60), At("2026-03-29T01:00:00Z"));
  EXPECT_EQ(zone.AtMinute(march29, 1 * 60 + 59), At("2026-03-29T00:59:00Z"));
  // 02:00–03:00 happens twice on 25 October: the first (CEST) is taken.
  EXPECT_EQ(zone.AtMinute(october25, 2 * 60), At("2026-10-25T00:00:00Z"));
  EXPECT_EQ(zone.AtMinute(october25, 2 * 60 + 30), At("2026-10-25T00:30:00Z"));
  EXPECT_EQ(zone.AtMinute(october25, 3 * 60), At("2026-10-25T02:00:00Z"));
  EXPECT_EQ(zone.Format(At("2026-10-25T01:30:00Z")), "2026-10-25T02:30:00+01:00");
  EXPECT_EQ(zone.Read(At("2026-10-25T01:30:00Z")).weekday, 6);
}

TEST(TimeZone, RefusesAnUnknownZone) {
  auto zone = TimeZone::Locate("Europe/Atlantis");
  ASSERT_FALSE(zone.ok());
  EXPECT_EQ(zone.error().kind(), ErrorKind::kInvalidArgument);
  EXPECT_NE(zone.error().message().find("unknown time zone 'Europe/Atlantis'"), std::string::npos);
}

TEST(Rota, HandOffAt0200OnTheSpringForwardNightHappensAt0300Cest) {
  const Rota rota = MustParseRota(Daily("02:00", "2026-03-27"));
  const auto shifts = Shifts(rota, At("2026-03-27T12:00:00Z"), At("2026-03-30T12:00:00Z"));
  ASSERT_EQ(shifts.size(), 4U);
  // Fri 02:00 CET → Sat 02:00 CET → Sun 03:00 CEST (02:00 does not exist) → Mon 02:00 CEST.
  EXPECT_EQ(shifts[0].participant, "anna");
  EXPECT_EQ(shifts[0].start, At("2026-03-27T01:00:00Z"));
  EXPECT_EQ(shifts[1].participant, "bo");
  EXPECT_EQ(shifts[1].start, At("2026-03-28T01:00:00Z"));
  EXPECT_EQ(shifts[1].end, At("2026-03-29T01:00:00Z"));
  EXPECT_EQ(Hours(shifts[1]), 24);
  EXPECT_EQ(shifts[2].participant, "anna");
  EXPECT_EQ(shifts[2].end, At("2026-03-30T00:00:00Z"));
  EXPECT_EQ(Hours(shifts[2]), 23);
  EXPECT_EQ(rota.zone.Format(shifts[2].start), "2026-03-29T03:00:00+02:00");

  EXPECT_EQ(OnDuty(rota, At("2026-03-29T00:59:59.999Z")), "bo");
  EXPECT_EQ(OnDuty(rota, At("2026-03-29T01:00:00Z")), "anna");
}

TEST(Rota, HandOffAt0200OnTheFallBackNightHappensAtTheFirst0200) {
  const Rota rota = MustParseRota(Daily("02:00", "2026-10-23"));
  const auto shifts = Shifts(rota, At("2026-10-24T12:00:00Z"), At("2026-10-26T12:00:00Z"));
  ASSERT_EQ(shifts.size(), 3U);
  EXPECT_EQ(shifts[0].participant, "bo");
  EXPECT_EQ(shifts[0].start, At("2026-10-24T00:00:00Z"));
  EXPECT_EQ(shifts[0].end, At("2026-10-25T00:00:00Z"));  // the first 02:00, CEST
  EXPECT_EQ(shifts[1].participant, "anna");
  EXPECT_EQ(shifts[1].end, At("2026-10-26T01:00:00Z"));  // 02:00 CET on Monday
  EXPECT_EQ(Hours(shifts[1]), 25);
  // The second 02:00 (CET) is no hand-off: anna stays on.
  EXPECT_EQ(OnDuty(rota, At("2026-10-25T01:00:00Z")), "anna");
  EXPECT_EQ(OnDuty(rota, At("2026-10-25T01:30:00Z")), "anna");
  EXPECT_EQ(OnDuty(rota, At("2026-10-24T23:59:59Z")), "bo");
}

TEST(Rota, ADailyShiftOverTheDstNightsIs23Or25Hours) {
  const Rota rota = MustParseRota(Daily("08:00", "2026-01-01"));
  const auto spring = Shifts(rota, At("2026-03-28T12:00:00Z"), At("2026-03-28T12:00:01Z"));
  ASSERT_EQ(spring.size(), 1U);
  EXPECT_EQ(rota.zone.Format(spring[0].start), "2026-03-28T08:00:00+01:00");
  EXPECT_EQ(rota.zone.Format(spring[0].end), "2026-03-29T08:00:00+02:00");
  EXPECT_EQ(Hours(spring[0]), 23);
  const auto autumn = Shifts(rota, At("2026-10-24T12:00:00Z"), At("2026-10-24T12:00:01Z"));
  ASSERT_EQ(autumn.size(), 1U);
  EXPECT_EQ(rota.zone.Format(autumn[0].end), "2026-10-25T08:00:00+01:00");
  EXPECT_EQ(Hours(autumn[0]), 25);
}

TEST(Rota, ASevenDayRotationKeepsItsWallClockHandOffOverADstChange) {
  const Rota rota = MustParseRota(
      R"({"layers": [{"participants": ["anna", "bo", "carl"], "rotation_days": 7, "handoff": "09:00",
                      "start": "2026-03-23"}]})");
  const auto shifts = Shifts(rota, At("2026-03-24T00:00:00Z"), At("2026-04-07T00:00:00Z"));
  ASSERT_EQ(shifts.size(), 3U);
  EXPECT_EQ(shifts[0].participant, "anna");
  EXPECT_EQ(rota.zone.Format(shifts[0].start), "2026-03-23T09:00:00+01:00");
  EXPECT_EQ(rota.zone.Format(shifts[0].end), "2026-03-30T09:00:00+02:00");
  EXPECT_EQ(Hours(shifts[0]), 7 * 24 - 1);
  EXPECT_EQ(shifts[1].participant, "bo");
  EXPECT_EQ(Hours(shifts[1]), 7 * 24);
  EXPECT_EQ(shifts[2].participant, "carl");
  EXPECT_EQ(shifts[2].source.period, 2);
  // Seven months later the rotation has gone round and the clocks back.
  const auto october = Shifts(rota, At("2026-10-20T00:00:00Z"), At("2026-10-20T00:00:01Z"));
  ASSERT_EQ(october.size(), 1U);
  EXPECT_EQ(rota.zone.Format(october[0].start), "2026-10-19T09:00:00+02:00");
  EXPECT_EQ(rota.zone.Format(october[0].end), "2026-10-26T09:00:00+01:00");
  EXPECT_EQ(Hours(october[0]), 7 * 24 + 1);
  EXPECT_EQ(october[0].source.period, 30);    // 30 weeks after 23 March
  EXPECT_EQ(october[0].participant, "anna");  // 30 mod 3 = 0
}

TEST(Rota, NobodyIsOnDutyBeforeALayerStarts) {
  const Rota rota = MustParseRota(R"({"coverage": "partial", "layers": [{"participants": ["anna"],
      "rotation_days": 1, "handoff": "08:00", "start": "2026-05-04"}]})");
  EXPECT_EQ(OnDuty(rota, At("2026-05-04T05:59:59Z")), std::nullopt);
  EXPECT_EQ(OnDuty(rota, At("2026-05-04T06:00:00Z")), "anna");
}

constexpr std::string_view kOfficeOnTopOf247 = R"({
  "name": "SOC",
  "layers": [
    {"name": "Døgnvagt", "participants": ["nat-a", "nat-b"], "rotation_days": 7, "handoff": "08:00",
     "start": "2026-03-02"},
    {"name": "Kontortid", "participants": ["kontor"], "rotation_days": 7, "handoff": "08:00", "start": "2026-03-02",
     "windows": [{"days": ["mon", "tue", "wed", "thu", "fri"], "from": "08:00", "to": "16:00"}]}
  ]})";

TEST(Rota, ALaterLayerWinsWhereItsWindowsApply) {
  const Rota rota = MustParseRota(kOfficeOnTopOf247);
  EXPECT_EQ(OnDuty(rota, At("2026-03-09T09:00:00Z")), "kontor");  // Monday 10:00 CET
  EXPECT_EQ(OnDuty(rota, At("2026-03-09T15:00:00Z")), "nat-b");   // Monday 16:00: the window closed
  EXPECT_EQ(OnDuty(rota, At("2026-03-14T09:00:00Z")), "nat-b");   // Saturday
  const auto shifts = Shifts(rota, At("2026-03-10T00:00:00Z"), At("2026-03-11T00:00:00Z"));  // Tuesday
  ASSERT_EQ(shifts.size(), 3U);
  EXPECT_EQ(shifts[0].participant, "nat-b");
  EXPECT_EQ(rota.zone.Format(shifts[0].end), "2026-03-10T08:00:00+01:00");
  EXPECT_EQ(shifts[1].participant, "kontor");
  EXPECT_EQ(shifts[1].source, (ShiftSource{ShiftSource::Kind::kLayer, 1, 1}));
  EXPECT_EQ(rota.zone.Format(shifts[1].end), "2026-03-10T16:00:00+01:00");
  // The 24/7 layer resumes as a new shift, same rotation period.
  EXPECT_EQ(shifts[2].participant, "nat-b");
  EXPECT_EQ(shifts[2].source, shifts[0].source);
  EXPECT_EQ(rota.zone.Format(shifts[2].end), "2026-03-11T08:00:00+01:00");
}

TEST(Rota, OverridesWinOverEveryLayerAndTheLaterOverrideWins) {
  const Rota rota = MustParseRota(R"({
    "layers": [{"participants": ["anna", "bo"], "rotation_days": 1, "handoff": "08:00", "start": "2026-06-01"}],
    "overrides": [
      {"participant": "carl", "from": "2026-06-03T10:00", "to": "2026-06-03T18:00"},
      {"participant": "member:0101/soc-vagt", "from": "2026-06-03T12:00:00+02:00", "to": "2026-06-03T10:30:00Z"}
    ]})");
  EXPECT_EQ(OnDuty(rota, At("2026-06-03T07:59:59Z")), "anna");
  EXPECT_EQ(OnDuty(rota, At("2026-06-03T08:00:00Z")), "carl");  // 10:00 CEST
  EXPECT_EQ(OnDuty(rota, At("2026-06-03T10:00:00Z")), "member:0101/soc-vagt");
  EXPECT_EQ(OnDuty(rota, At("2026-06-03T10:30:00Z")), "carl");
  EXPECT_EQ(OnDuty(rota, At("2026-06-03T16:00:00Z")), "anna");
  const auto shifts = Shifts(rota, At("2026-06-03T06:00:00Z"), At("2026-06-04T06:00:00Z"));
  ASSERT_EQ(shifts.size(), 5U);
  EXPECT_EQ(shifts[0].participant, "anna");
  EXPECT_EQ(shifts[0].end, At("2026-06-03T08:00:00Z"));
  EXPECT_EQ(shifts[1].participant, "carl");
  EXPECT_EQ(shifts[2].source, (ShiftSource{ShiftSource::Kind::kOverride, 1, 0}));
  EXPECT_EQ(shifts[3].participant, "carl");
  EXPECT_EQ(shifts[3].end, At("2026-06-03T16:00:00Z"));
  EXPECT_EQ(shifts[4].participant, "anna");
  EXPECT_EQ(shifts[4].start, At("2026-06-03T16:00:00Z"));
  EXPECT_EQ(shifts[4].end, At("2026-06-04T06:00:00Z"));
}

TEST(Rota, LocalOverrideTimesFollowTheDstRules) {
  const Rota rota = MustParseRota(R"({
    "layers": [{"participants": ["anna"], "rotation_days": 1, "handoff": "08:00", "start": "2026-01-01"}],
    "overrides": [{"participant": "bo", "from": "2026-10-25T02:30", "to": "2026-10-25T03:00"},
                  {"participant": "carl", "from": "2026-03-29T02:15", "to": "2026-03-29T04:00"}]})");
  EXPECT_EQ(rota.overrides[0].start, At("2026-10-25T00:30:00Z"));  // the first 02:30
  EXPECT_EQ(rota.overrides[0].end, At("2026-10-25T02:00:00Z"));
  EXPECT_EQ(rota.overrides[1].start, At("2026-03-29T01:00:00Z"));  // 02:15 does not exist: 03:00 CEST
}

TEST(Rota, ShiftsAreWholeWhateverRangeIsAskedFor) {
  const Rota rota = MustParseRota(kOfficeOnTopOf247);
  const auto wide = Shifts(rota, At("2026-03-01T00:00:00Z"), At("2026-04-15T00:00:00Z"));
  const auto narrow = Shifts(rota, At("2026-03-18T12:00:00Z"), At("2026-03-18T12:00:01Z"));
  ASSERT_EQ(narrow.size(), 1U);
  EXPECT_LT(narrow[0].start, At("2026-03-18T12:00:00Z"));
  EXPECT_NE(std::find(wide.begin(), wide.end(), narrow[0]), wide.end());
  // Consecutive, non-overlapping, with no gap in a full-coverage rota (after its start).
  for (std::size_t shift_idx = 1; shift_idx < wide.size(); ++shift_idx) {
    EXPECT_EQ(wide[shift_idx - 1].end, wide[shift_idx].start) << shift_idx;
  }
}

// OnDuty evaluates one instant directly; Shifts sweeps over events. They
// must agree everywhere, DST nights, windows and overrides included.
TEST(Rota, OnDutyAgreesWithShiftsAtEveryQuarterHourOverBothDstWeeks) {
  const Rota rota = MustParseRota(R"({
    "coverage": "partial",
    "layers": [
      {"participants": ["a", "b", "c"], "rotation_days": 2, "handoff": "02:30", "start": "2026-03-20"},
      {"participants": ["d", "e"], "rotation_days": 1, "handoff": "02:00", "start": "2026-03-21",
       "windows": [{"days": ["sat", "sun"], "from": "00:00", "to": "03:00"},
                   {"days": ["sun", "mon"], "from": "02:00", "to": "02:45"},
                   {"days": ["wed"], "from": "22:00", "to": "24:00"}]}
    ],
    "overrides": [{"participant": "f", "from": "2026-03-29T01:30", "to": "2026-03-29T03:30"},
                  {"participant": "g", "from": "2026-10-25T02:10", "to": "2026-10-25T02:50:00+01:00"}]})");
  for (const char* week_start : {"2026-03-25T00:00:00Z", "2026-10-21T00:00:00Z"}) {
    const Timestamp from = At(week_start);
    const Timestamp to(from.unix_ms() + 8 * kDayMs);
    const auto shifts = Shifts(rota, from, to);
    std::size_t shift_idx = 0;
    for (std::int64_t ms = from.unix_ms(); ms < to.unix_ms(); ms += 15 * kMinuteMs) {
      const Timestamp at(ms);
      while (shift_idx < shifts.size() && shifts[shift_idx].end <= at) ++shift_idx;
      const bool covered = shift_idx < shifts.size() && shifts[shift_idx].start <= at;
      EXPECT_EQ(OnDuty(rota, at), covered ? std::optional(shifts[shift_idx].participant) : std::nullopt)
          << at.ToRfc3339();
    }
    // Asked for any instant inside it, a shift comes back whole.
    for (const Shift& shift : shifts) {
      const Timestamp inside(shift.end.unix_ms() - 1);
      EXPECT_EQ(Shifts(rota, inside, Timestamp(inside.unix_ms() + 1)), std::vector<Shift>{shift})
          << shift.start.ToRfc3339();
    }
  }
}

TEST(Rota, AGapIsRefusedUnlessCoverageIsPartial) {
  constexpr std::string_view kOfficeOnly = R"({"layers": [{"participants": ["kontor"], "rotation_days": 7,
      "handoff": "08:00", "start": "2026-03-02",
      "windows": [{"days": ["mon", "tue", "wed", "thu", "fri"], "from": "08:00", "to": "16:00"}]}]})";
  auto refused = ParseRota(kOfficeOnly, At("2026-03-10T12:00:00Z"));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().message(),
            "layers: nobody is on duty from 2026-03-10T16:00:00+01:00 to 2026-03-11T08:00:00+01:00; add a layer or "
            "override that covers it, or set \"coverage\": \"partial\"");

  Json partial = Json::parse(kOfficeOnly);
  partial["coverage"] = "partial";
  auto accepted = RotaFromJson(partial, RotaCheck{At("2026-03-10T12:00:00Z")});
  ASSERT_TRUE(accepted.ok()) << accepted.error().message();
  const auto gaps = FindGaps(*accepted, At("2026-03-13T12:00:00Z"), At("2026-03-17T12:00:00Z"));
  ASSERT_EQ(gaps.size(), 2U);  // Fri 16:00 → Mon 08:00 and Mon 16:00 → Tue 08:00 (CET)
  EXPECT_EQ(gaps[0], (Gap{At("2026-03-13T15:00:00Z"), At("2026-03-16T07:00:00Z")}));
  EXPECT_EQ(gaps[1], (Gap{At("2026-03-16T15:00:00Z"), At("2026-03-17T07:00:00Z")}));
  // Clipped to the range asked for.
  EXPECT_EQ(FindGaps(*accepted, At("2026-03-13T18:00:00Z"), At("2026-03-13T19:00:00Z")),
            (std::vector<Gap>{{At("2026-03-13T18:00:00Z"), At("2026-03-13T19:00:00Z")}}));
}

TEST(Rota, AGapBeforeALaterLayerStartOrAfterAnEarlierOneIsFound) {
  // Only a layer that starts in three weeks: nobody until then.
  auto late = ParseRota(Daily("08:00", "2026-04-01"), At("2026-03-10T12:00:00Z"));
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.error().message(),
            "layers: nobody is on duty from 2026-03-10T13:00:00+01:00 to 2026-04-01T08:00:00+02:00; add a layer or "
            "override that covers it, or set \"coverage\": \"partial\"");
  // Day and night layers meeting at 02:30 still meet on 29 March, when 02:30 does not exist (both ends
  // map to 03:00 CEST); layers that leave 02:00–03:00 open every night are refused.
  auto seamless = ParseRota(R"({"layers": [
      {"participants": ["dag"], "rotation_days": 7, "handoff": "08:00", "start": "2026-03-02",
       "windows": [{"days": ["mon","tue","wed","thu","fri","sat","sun"], "from": "02:30", "to": "24:00"}]},
      {"participants": ["nat"], "rotation_days": 7, "handoff": "08:00", "start": "2026-03-02",
       "windows": [{"days": ["mon","tue","wed","thu","fri","sat","sun"], "from": "00:00", "to": "02:30"}]}]})",
                            At("2026-03-20T00:00:00Z"));
  EXPECT_TRUE(seamless.ok()) << seamless.error().message();
  auto broken = ParseRota(R"({"layers": [
      {"participants": ["dag"], "rotation_days": 7, "handoff": "08:00", "start": "2026-03-02",
       "windows": [{"days": ["mon","tue","wed","thu","fri","sat","sun"], "from": "03:00", "to": "24:00"}]},
      {"participants": ["nat"], "rotation_days": 7, "handoff": "08:00", "start": "2026-03-02",
       "windows": [{"days": ["mon","tue","wed","thu","fri","sat","sun"], "from": "00:00", "to": "02:00"}]}]})",
                          At("2026-03-20T00:00:00Z"));
  ASSERT_FALSE(broken.ok());
  EXPECT_EQ(broken.error().message().substr(0, 86),
            "layers: nobody is on duty from 2026-03-20T02:00:00+01:00 to 2026-03-20T03:00:00+01:00;");
}

TEST(Rota, TheHorizonIsAParameter) {
  // The layers start on 20 April; until then a three-week override holds the fort.
  const Json rota = Json::parse(R"({"layers": [{"participants": ["anna", "bo"], "rotation_days": 1,
      "handoff": "08:00", "start": "2026-04-20"}],
      "overrides": [{"participant": "carl", "from": "2026-03-10T00:00:00Z", "to": "2026-03-31T00:00:00Z"}]})");
  const Timestamp now = At("2026-03-10T00:00:00Z");
  EXPECT_TRUE(RotaFromJson(rota, RotaCheck{now, 14 * kDayMs}).ok());
  auto eight_weeks = RotaFromJson(rota, RotaCheck{now});
  ASSERT_FALSE(eight_weeks.ok());
  EXPECT_EQ(eight_weeks.error().message(),
            "layers: nobody is on duty from 2026-03-31T02:00:00+02:00 to 2026-04-20T08:00:00+02:00; add a layer or "
            "override that covers it, or set \"coverage\": \"partial\"");
  // A gap that runs past the end of the check says so.
  auto four_weeks = RotaFromJson(rota, RotaCheck{now, 28 * kDayMs});
  ASSERT_FALSE(four_weeks.ok());
  EXPECT_NE(four_weeks.error().message().find("from 2026-03-31T02:00:00+02:00 until at least "
                                              "2026-04-07T02:00:00+02:00 (the end of the check)"),
            std::string::npos)
      << four_weeks.error().message();
}

// Beyond the horizon, the week after the last layer starts is checked as well:
// from then on coverage repeats weekly.
TEST(Rota, TheWeekAfterTheLastLayerStartsIsCheckedBeyondTheHorizon) {
  Json rota = Json::parse(R"({"layers": [
      {"participants": ["anna"], "rotation_days": 7, "handoff": "08:00", "start": "2026-09-07",
       "windows": [{"days": ["mon", "tue", "wed", "thu", "fri"], "from": "00:00", "to": "24:00"}]}],
      "overrides": [{"participant": "carl", "from": "2026-03-10T00:00:00Z", "to": "2026-05-10T00:00:00Z"}]})");
  auto refused = RotaFromJson(rota, RotaCheck{At("2026-03-10T00:00:00Z")});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().message().substr(0, 86),
            "layers: nobody is on duty from 2026-09-12T00:00:00+02:00 to 2026-09-14T00:00:00+02:00;");
  rota["layers"].push_back(Json::parse(R"({"participants": ["weekend"], "rotation_days": 7, "handoff": "08:00",
      "start": "2026-09-07", "windows": [{"days": ["sat", "sun"], "from": "00:00", "to": "24:00"}]})"));
  EXPECT_TRUE(RotaFromJson(rota, RotaCheck{At("2026-03-10T00:00:00Z")}).ok());
}

struct RotaCase {
  const char* json;
  const char* message;
};

class RotaRefusal : public ::testing::TestWithParam<RotaCase> {};

TEST_P(RotaRefusal, NamesTheField) {
  auto rota = ParseRota(GetParam().json);
  ASSERT_FALSE(rota.ok());
  EXPECT_EQ(rota.error().message(), GetParam().message);
}

#define DV_LAYER R"("participants": ["anna"], "rotation_days": 1, "handoff": "08:00", "start": "2026-03-02")"

INSTANTIATE_TEST_SUITE_P(
    Fields, RotaRefusal,
    ::testing::Values(
        RotaCase{R"([])", "expected an object"}, RotaCase{R"({})", "missing 'layers'"},
        RotaCase{R"({"layers": []})", "layers: must not be empty"},
        RotaCase{R"({"layers": [{)" DV_LAYER R"(}], "time_zone": "Europe/Atlantis"})",
                 "time_zone: unknown time zone 'Europe/Atlantis' (not in the system's tz database, "
                 "/usr/share/zoneinfo)"},
        RotaCase{R"({"layers": [{)" DV_LAYER R"(}], "coverage": "most"})",
                 "coverage: expected \"full\" or \"partial\", got 'most'"},
        RotaCase{R"({"layers": [{)" DV_LAYER R"(}], "colour": "red"})", "colour: unknown field"},
        RotaCase{R"({"layers": [{)" DV_LAYER R"(}, {"participants": ["bo"], "rotation_days": 1, "handoff": "8:00",
                   "start": "2026-03-02"}]})",
                 "layers[1].handoff: expected HH:MM (00:00–23:59), got '8:00'"},
        RotaCase{R"({"layers": [{"participants": ["anna"], "rotation_days": 1, "handoff": "24:00",
                   "start": "2026-03-02"}]})",
                 "layers[0].handoff: expected HH:MM (00:00–23:59), got '24:00'"},
        RotaCase{R"({"layers": [{"participants": ["anna"], "rotation_days": 1, "start": "2026-03-02"}]})",
                 "layers[0]: missing 'handoff'"},
        RotaCase{R"({"layers": [{"participants": [], "rotation_days": 1, "handoff": "08:00", "start": "2026-03-02"}]})",
                 "layers[0].participants: must not be empty"},
        RotaCase{R"({"layers": [{"participants": ["anna", "Bo"], "rotation_days": 1, "handoff": "08:00",
                   "start": "2026-03-02"}]})",
                 "layers[0].participants[1]: 'Bo' is not a participant id ([a-z0-9-]{1,64} or "
                 "member:<org>/<id>)"},
        RotaCase{R"({"layers": [{"participants": ["member:kbh/soc"], "rotation_days": 1, "handoff": "08:00",
                   "start": "2026-03-02"}]})",
                 "layers[0].participants[0]: 'member:kbh/soc' is not a participant id ([a-z0-9-]{1,64} or "
                 "member:<org>/<id>)"},
        RotaCase{R"({"layers": [{"participants": ["anna"], "rotation_days": 0, "handoff": "08:00",
                   "start": "2026-03-02"}]})",
                 "layers[0].rotation_days: must be 1–365 days, got 0"},
        RotaCase{R"({"layers": [{"participants": ["anna"], "rotation_days": 1, "handoff": "08:00",
                   "start": "2026-02-30"}]})",
                 "layers[0].start: expected a date YYYY-MM-DD, got '2026-02-30'"},
        RotaCase{R"({"layers": [{"participants": ["anna"], "rotation_days": 1, "handoff": "08:00",
                   "start": "2040-01-01"}]})",
                 "layers[0].start: years 2000–2036 are supported (the system's tz database lists DST changes "
                 "only up to 2037)"},
        RotaCase{R"({"layers": [{)" DV_LAYER R"(, "windows": [{"days": ["mon", "Tue"], "from": "08:00",
                   "to": "16:00"}]}]})",
                 "layers[0].windows[0].days[1]: expected mon, tue, wed, thu, fri, sat or sun, got 'Tue'"},
        RotaCase{R"({"layers": [{)" DV_LAYER R"(, "windows": [{"days": ["mon", "mon"], "from": "08:00",
                   "to": "16:00"}]}]})",
                 "layers[0].windows[0].days[1]: 'mon' is listed twice"},
        RotaCase{R"({"layers": [{)" DV_LAYER R"(, "windows": [{"days": ["mon"], "from": "22:00", "to": "06:00"}]}]})",
                 "layers[0].windows[0].to: must be after from (a window ends by 24:00 on its day; write a night as "
                 "two windows)"},
        RotaCase{R"({"layers": [{)" DV_LAYER R"(}], "overrides": [{"participant": "bo",
                   "from": "2026-03-05T10:00", "to": "2026-03-05T10:00"}]})",
                 "overrides[0].to: must be after from"},
        RotaCase{R"({"layers": [{)" DV_LAYER R"(}], "overrides": [{"participant": "bo",
                   "from": "2026-03-05T12:00:00Z", "to": "2026-03-05T10:00:00Z"}]})",
                 "overrides[0].to: must be after from"},
        RotaCase{R"({"layers": [{)" DV_LAYER R"(}], "overrides": [{"participant": "bo",
                   "from": "tomorrow", "to": "2026-03-05T10:00:00Z"}]})",
                 "overrides[0].from: expected an RFC 3339 time (2026-03-28T18:00:00+01:00) or a local time "
                 "(2026-03-28T18:00), got 'tomorrow'"},
        RotaCase{R"({"layers": [{)" DV_LAYER R"(}], "overrides": [{"participant": "bo",
                   "from": "2026-03-01T00:00", "to": "2027-03-05T00:00"}]})",
                 "overrides[0].to: an override lasts at most 366 days; change the layers instead"}));

TEST(Rota, EnforcesItsLimits) {
  Json layer = {{"participants", {"anna"}}, {"rotation_days", 1}, {"handoff", "08:00"}, {"start", "2026-03-02"}};
  Json rota = {{"layers", Json::array()}};
  for (int layer_idx = 0; layer_idx < 51; ++layer_idx) rota["layers"].push_back(layer);
  EXPECT_EQ(RotaFromJson(rota, {}).error().message(), "layers: at most 50 entries (has 51)");

  rota["layers"] = Json::array({layer});
  rota["layers"][0]["participants"] = Json::array();
  for (int participant_idx = 0; participant_idx < 201; ++participant_idx) {
    rota["layers"][0]["participants"].push_back("p" + std::to_string(participant_idx));
  }
  EXPECT_EQ(RotaFromJson(rota, {}).error().message(), "layers[0].participants: at most 200 entries (has 201)");
  rota["layers"][0]["participants"].erase(200);
  EXPECT_TRUE(RotaFromJson(rota, {}).ok());

  rota["overrides"] = Json::array();
  for (int override_idx = 0; override_idx < 1001; ++override_idx) {
    rota["overrides"].push_back({{"participant", "bo"}, {"from", "2026-03-05T10:00"}, {"to", "2026-03-05T11:00"}});
  }
  EXPECT_EQ(RotaFromJson(rota, {}).error().message(), "overrides: at most 1000 entries (has 1001)");
  rota["overrides"].erase(1000);
  EXPECT_TRUE(RotaFromJson(rota, {}).ok());
}

TEST(Rota, JsonRoundTrips) {
  Json json = Json::parse(kOfficeOnTopOf247);
  json["overrides"] = Json::array(
      {{{"participant", "member:0101/soc-vagt"}, {"from", "2026-10-25T02:30"}, {"to", "2026-10-25T05:00:00+01:00"}}});
  const Rota rota = *RotaFromJson(json, {});
  const Json canonical = RotaToJson(rota);
  EXPECT_EQ(canonical["overrides"][0]["from"], "2026-10-25T00:30:00.000Z");
  EXPECT_EQ(canonical["coverage"], "full");
  EXPECT_EQ(canonical["time_zone"], "Europe/Copenhagen");
  EXPECT_EQ(canonical["layers"][1]["windows"][0]["days"], Json::parse(R"(["mon","tue","wed","thu","fri"])"));
  auto again = RotaFromJson(canonical, {});
  ASSERT_TRUE(again.ok()) << again.error().message();
  EXPECT_EQ(*again, rota);
}

TEST(Rota, ShiftJsonShowsUtcAndLocalTimes) {
  const Rota rota = MustParseRota(Daily("02:00", "2026-03-27"));
  const auto shifts = Shifts(rota, At("2026-03-29T12:00:00Z"), At("2026-03-29T12:00:01Z"));
  ASSERT_EQ(shifts.size(), 1U);
  EXPECT_EQ(ShiftToJson(shifts[0], rota.zone), Json::parse(R"({"participant": "anna",
      "start": "2026-03-29T01:00:00.000Z", "end": "2026-03-30T00:00:00.000Z",
      "start_local": "2026-03-29T03:00:00+02:00", "end_local": "2026-03-30T02:00:00+02:00",
      "source": "layers[0]"})"));
}

}  // namespace
}  // namespace dv::duty
