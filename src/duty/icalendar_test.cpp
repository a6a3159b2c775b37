// SPDX-License-Identifier: Apache-2.0
#include "duty/icalendar.h"

#include <gtest/gtest.h>

#include "duty/ical_reader.h"
#include "duty/json_read.h"
#include "duty/test_support.h"

namespace dv::duty {
namespace {

using testing::At;
using testing::MustParseRota;

std::vector<std::string> PhysicalLines(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t end = text.find("\r\n", start);
    EXPECT_NE(end, std::string::npos) << "a line without CRLF at byte " << start;
    if (end == std::string::npos) break;
    lines.push_back(text.substr(start, end - start));
    start = end + 2;
  }
  return lines;
}

TEST(ICalendar, EscapesTextValues) {
  EXPECT_EQ(EscapeIcalText("a\\b;c,d\ne\r\nf\rg"), "a\\\\b\\;c\\,d\\ne\\nf\\ng");
  EXPECT_EQ(EscapeIcalText("tab\there\x01\x7f"), "tabhere");
  EXPECT_EQ(EscapeIcalText("Ærø: Søren"), "Ærø: Søren");
  EXPECT_EQ(EscapeIcalText("bad \xC3( byte"), "bad \xEF\xBF\xBD( byte");
}

TEST(ICalendar, FoldsAt75OctetsWithoutSplittingUtf8) {
  // 'ø' is two octets; at every offset a naive cut would split one.
  for (std::size_t prefix = 0; prefix < 4; ++prefix) {
    std::string line = "SUMMARY:" + std::string(prefix, 'x');
    for (int letter_idx = 0; letter_idx < 120; ++letter_idx) line += "ø";
    const std::string folded = FoldIcalLine(line);
    std::string unfolded;
    const auto lines = PhysicalLines(folded);
    ASSERT_GE(lines.size(), 4U);
    for (std::size_t line_idx = 0; line_idx < lines.size(); ++line_idx) {
      EXPECT_LE(lines[line_idx].size(), 75U) << line_idx;
      EXPECT_TRUE(internal::IsValidUtf8(lines[line_idx])) << "line " << line_idx << " splits a character";
      if (line_idx > 0) {
        ASSERT_EQ(lines[line_idx][0], ' ');
        // A fold only happens where the line was full, less at most one partial character.
        EXPECT_GE(lines[line_idx - 1].size(), 74U);
      }
      unfolded += line_idx == 0 ? lines[line_idx] : lines[line_idx].substr(1);
    }
    EXPECT_EQ(unfolded, line);
  }
  EXPECT_EQ(FoldIcalLine(std::string(75, 'a')), std::string(75, 'a') + "\r\n");
  EXPECT_EQ(FoldIcalLine(std::string(76, 'a')), std::string(75, 'a') + "\r\n a\r\n");
}

TEST(ICalendar, LibicalReadsBackTrickyTextAndTheSameEvents) {
  const Rota rota = MustParseRota(R"({"layers": [{"name": "Lag; med, tegn\\", "participants": ["anna", "bo"],
      "rotation_days": 1, "handoff": "08:00", "start": "2026-03-27"}]})");
  CalendarOptions options;
  options.name =
      "Vagtplan for Ærø, Fanø; Læsø\nog Bornholm — en meget lang kalendertitel som skal foldes på flere linjer";
  options.calendar_id = "aeroe";
  options.stamp = At("2026-03-20T12:00:00Z");
  options.label = [](std::string_view participant) {
    return participant == "anna" ? std::string("Anna Ørsted-Ærbøl, vagthavende; SOC") : std::string(participant);
  };
  const std::string calendar = ToICalendar(rota, At("2026-03-28T00:00:00Z"), At("2026-03-30T00:00:00Z"), options);
  for (const std::string& line : PhysicalLines(calendar)) EXPECT_LE(line.size(), 75U) << line;

  const auto parsed = testing::ParseWithLibical(calendar);
  ASSERT_TRUE(parsed.parsed);
  EXPECT_EQ(parsed.errors, 0);
  EXPECT_EQ(parsed.name, options.name);
  ASSERT_EQ(parsed.events.size(), 3U);
  EXPECT_EQ(parsed.events[0].summary, "Vagt: Anna Ørsted-Ærbøl, vagthavende; SOC");  // 27 March 08:00, anna
  EXPECT_EQ(parsed.events[0].start_unix, At("2026-03-27T07:00:00Z").unix_ms() / 1000);
  EXPECT_EQ(parsed.events[1].summary, "Vagt: bo");
  EXPECT_EQ(parsed.events[1].end_unix - parsed.events[1].start_unix, 23 * 3600);  // over the spring night
  EXPECT_EQ(parsed.events[1].description, "Vagtplan: " + options.name + "\nKilde: layers[0] (Lag; med, tegn\\)");
  EXPECT_EQ(parsed.events[1].stamp_unix, options.stamp.unix_ms() / 1000);
  EXPECT_NE(parsed.events[0].uid, parsed.events[2].uid);  // same participant, different shifts
}

TEST(ICalendar, UidsAreStableAcrossExportsAndDistinctPerShift) {
  const Rota rota = MustParseRota(R"({"layers": [{"participants": ["anna"], "rotation_days": 1,
      "handoff": "08:00", "start": "2026-03-01"}]})");
  CalendarOptions options{.name = "x", .calendar_id = "rota-1", .stamp = At("2026-03-01T00:00:00Z"), .label = {}};
  const auto week =
      testing::ParseWithLibical(ToICalendar(rota, At("2026-03-10T12:00:00Z"), At("2026-03-17T12:00:00Z"), options));
  options.stamp = At("2026-03-12T00:00:00Z");
  const auto later =
      testing::ParseWithLibical(ToICalendar(rota, At("2026-03-12T12:00:00Z"), At("2026-03-13T12:00:00Z"), options));
  ASSERT_EQ(week.events.size(), 8U);
  ASSERT_EQ(later.events.size(), 2U);
  EXPECT_EQ(later.events[0].uid, week.events[2].uid);
  EXPECT_EQ(later.events[1].uid, week.events[3].uid);
  std::set<std::string> uids;
  for (const auto& event : week.events) uids.insert(event.uid);
  EXPECT_EQ(uids.size(), week.events.size());
  options.calendar_id = "rota-2";
  const auto other =
      testing::ParseWithLibical(ToICalendar(rota, At("2026-03-12T12:00:00Z"), At("2026-03-13T12:00:00Z"), options));
  EXPECT_NE(other.events[0].uid, later.events[0].uid);
}

TEST(ICalendar, AnEmptyRangeIsAValidEmptyCalendar) {
  const auto parsed = testing::ParseWithLibical(ToICalendar(std::vector<Shift>{}, CalendarOptions{}));
  EXPECT_TRUE(parsed.parsed);
  EXPECT_EQ(parsed.errors, 0);
  EXPECT_TRUE(parsed.events.empty());
}

}  // namespace
}  // namespace dv::duty
