// SPDX-License-Identifier: Apache-2.0
#include "sigma/mapping.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace dv::sigma {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Pair;

std::vector<std::pair<std::string, std::string>> Fields(const Event& event) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const EventField& field : event.fields()) out.emplace_back(field.name, field.is_null ? "<null>" : field.value);
  return out;
}

constexpr std::string_view kMapping = R"(
strip_prefixes: [Event.EventData.]
strip_wrapper_prefixes: [Event.UserData.]
names_without_spaces: true
field_aliases: {SourceName: Provider_Name}
logsources:
  - logsource: {product: windows, service: windefend}
    when: {Channel: "Microsoft-Windows-Windows Defender/Operational"}
)";

TEST(FieldMapping, UnwrapsUserDataAndGivesNamesWithoutSpaces) {
  auto mapping = FieldMapping::Parse(kMapping, "m.yml");
  ASSERT_TRUE(mapping.ok()) << mapping.error().message();
  Event event;
  event.Add("Channel", "Microsoft-Windows-Windows Defender/Operational");
  event.Add("Provider_Name", "Defender");
  event.Add("Event.UserData.LogFileCleared.SubjectUserName", "admin01");
  event.Add("Event.UserData.Op.Detail.Query", "q");
  event.Add("Event.UserData.NoWrapper", "x");
  event.Add("Event.EventData.Threat Name", "Mimikatz");
  event.Add("Process Name", "p.exe");
  event.Add("ProcessName", "already here");
  event.Add("a.b c", "dotted: untouched");
  event.AddNull("Source Name");
  std::vector<std::uint32_t> matched;
  mapping->Normalize(event, matched);
  EXPECT_THAT(matched, ElementsAre(0U));
  EXPECT_THAT(
      Fields(event),
      ElementsAre(Pair("Channel", "Microsoft-Windows-Windows Defender/Operational"), Pair("Provider_Name", "Defender"),
                  Pair("Event.UserData.LogFileCleared.SubjectUserName", "admin01"),
                  Pair("Event.UserData.Op.Detail.Query", "q"), Pair("Event.UserData.NoWrapper", "x"),
                  Pair("Event.EventData.Threat Name", "Mimikatz"), Pair("Process Name", "p.exe"),
                  Pair("ProcessName", "already here"), Pair("a.b c", "dotted: untouched"),
                  Pair("Source Name", "<null>"), Pair("SubjectUserName", "admin01"), Pair("Detail.Query", "q"),
                  Pair("Threat Name", "Mimikatz"), Pair("SourceName", "<null>"), Pair("ThreatName", "Mimikatz")));
}

TEST(FieldMapping, TheDefaultMappingNormalisesDefenderAndUserData) {
  Event event;
  event.Add("Event.System.Channel", "Security");
  event.Add("Event.System.EventID.#text", "1102");
  event.Add("Event.System.Provider.#attributes.Name", "Microsoft-Windows-Eventlog");
  event.Add("Event.UserData.LogFileCleared.SubjectUserName", "admin01");
  event.Add("Detection User", "EXAMPLE\\user1");
  std::vector<std::uint32_t> matched;
  FieldMapping::Default().Normalize(event, matched);
  EXPECT_FALSE(matched.empty());
  ASSERT_NE(event.Find("EventID"), nullptr);
  EXPECT_EQ(event.Find("EventID")->value, "1102");
  ASSERT_NE(event.Find("Provider_Name"), nullptr);
  EXPECT_EQ(event.Find("Provider_Name")->value, "Microsoft-Windows-Eventlog");
  ASSERT_NE(event.Find("SubjectUserName"), nullptr);
  ASSERT_NE(event.Find("DetectionUser"), nullptr);
}

TEST(FieldMapping, BadNewKeysNameTheFileAndLine) {
  auto bad_flag = FieldMapping::Parse("names_without_spaces: yes please\nlogsources: []\n", "m.yml");
  ASSERT_FALSE(bad_flag.ok());
  EXPECT_THAT(bad_flag.error().message(), HasSubstr("m.yml:1: 'names_without_spaces' must be true or false"));
  auto bad_list = FieldMapping::Parse("logsources: []\nstrip_wrapper_prefixes: Event.UserData.\n", "m.yml");
  ASSERT_FALSE(bad_list.ok());
  EXPECT_THAT(bad_list.error().message(), HasSubstr("m.yml:2: 'strip_wrapper_prefixes' must be a list"));
}

}  // namespace
}  // namespace dv::sigma
