// SPDX-License-Identifier: Apache-2.0
// Golden rotas over the DST weeks: each testdata/rota/<case>/ holds
// case.json ({"name", "from", "to", "stamp", "rota"}); the shifts of the rota
// that overlap [from, to) must equal shifts.txt line for line (local start →
// local end, real hours, participant, source) and the iCalendar export must
// equal calendar.ics byte for byte, and read back through libical with the
// same events. After reviewing an intended change, run with
// DV_UPDATE_GOLDEN=1 to rewrite the expected files.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "duty/ical_reader.h"
#include "duty/icalendar.h"
#include "duty/rota.h"
#include "duty/test_support.h"

namespace dv::duty {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;
using testing::At;

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

void Compare(const fs::path& path, const std::string& actual) {
  if (std::getenv("DV_UPDATE_GOLDEN") != nullptr) {
    std::ofstream(path, std::ios::binary) << actual;
    return;
  }
  ASSERT_TRUE(fs::exists(path)) << path << " is missing; run with DV_UPDATE_GOLDEN=1 and review it";
  EXPECT_EQ(ReadFile(path), actual) << path;
}

std::string Describe(const Rota& rota, const std::vector<Shift>& shifts) {
  std::ostringstream out;
  for (const Shift& shift : shifts) {
    const std::int64_t minutes = (shift.end.unix_ms() - shift.start.unix_ms()) / kMinuteMs;
    out << rota.zone.Format(shift.start) << " → " << rota.zone.Format(shift.end) << "  " << minutes / 60 << "h";
    if (minutes % 60 != 0) out << minutes % 60 << "m";
    out << "  " << shift.participant << "  " << shift.source.Name() << "\n";
  }
  return out.str();
}

class GoldenRota : public ::testing::TestWithParam<std::string> {};

TEST_P(GoldenRota, ShiftsAndCalendarMatch) {
  const fs::path dir = fs::path(DV_DUTY_TESTDATA) / "rota" / GetParam();
  const Json input = Json::parse(ReadFile(dir / "case.json"));
  auto rota = RotaFromJson(input["rota"], RotaCheck{At(input["from"].get<std::string>())});
  ASSERT_TRUE(rota.ok()) << rota.error().message();
  const Timestamp from = At(input["from"].get<std::string>());
  const Timestamp to = At(input["to"].get<std::string>());
  const auto shifts = Shifts(*rota, from, to);
  Compare(dir / "shifts.txt", Describe(*rota, shifts));

  CalendarOptions options;
  options.name = input["name"].get<std::string>();
  options.calendar_id = GetParam();
  options.stamp = At(input["stamp"].get<std::string>());
  const std::string calendar = ToICalendar(*rota, from, to, options);
  Compare(dir / "calendar.ics", calendar);

  const auto parsed = testing::ParseWithLibical(calendar);
  ASSERT_TRUE(parsed.parsed);
  EXPECT_EQ(parsed.errors, 0);
  EXPECT_EQ(parsed.name, options.name);
  ASSERT_EQ(parsed.events.size(), shifts.size());
  for (std::size_t shift_idx = 0; shift_idx < shifts.size(); ++shift_idx) {
    const auto& event = parsed.events[shift_idx];
    EXPECT_EQ(event.start_unix * 1000, shifts[shift_idx].start.unix_ms()) << shift_idx;
    EXPECT_EQ(event.end_unix * 1000, shifts[shift_idx].end.unix_ms()) << shift_idx;
    EXPECT_EQ(event.summary, "Vagt: " + shifts[shift_idx].participant);
  }
}

std::vector<std::string> Cases() {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(fs::path(DV_DUTY_TESTDATA) / "rota")) {
    if (entry.is_directory()) names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

INSTANTIATE_TEST_SUITE_P(Dst, GoldenRota, ::testing::ValuesIn(Cases()),
                         [](const ::testing::TestParamInfo<std::string>& param_info) {
                           std::string name = param_info.param;
                           for (char& c : name) {
                             if (c == '-') c = '_';
                           }
                           return name;
                         });

}  // namespace
}  // namespace dv::duty
