// SPDX-License-Identifier: Apache-2.0
#include "detect/indicators/indicator.h"

#include <gtest/gtest.h>

namespace dv {
namespace {

std::vector<Indicator> Parse(std::string_view text, LoadReport& report, LoadOptions options = {}) {
  auto indicators = ParseIndicators(text, "feed", options, &report);
  EXPECT_TRUE(indicators.ok()) << indicators.error().message();
  return indicators.ok() ? std::move(indicators).value() : std::vector<Indicator>{};
}

constexpr std::string_view kBundle = R"({
  "type": "bundle", "id": "bundle--6c4f8a1e-2f5c-4a3e-9d7b-1f1b2c3d4e5f",
  "objects": [
    {"type": "identity", "id": "identity--1", "name": "CFCS"},
    {"type": "indicator", "spec_version": "2.1", "id": "indicator--a1c1b5a0-0000-4000-8000-000000000001",
     "name": "C2 server", "pattern": "[ipv4-addr:value = '198.51.100.7']", "pattern_type": "stix",
     "valid_from": "2026-01-01T00:00:00Z", "valid_until": "2026-06-01T00:00:00Z", "confidence": 80,
     "object_marking_refs": ["marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da",
                             "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82"]},
    {"type": "indicator", "id": "indicator--a1c1b5a0-0000-4000-8000-000000000002",
     "pattern": "[domain-name:value = ", "pattern_type": "stix"},
    {"type": "indicator", "id": "indicator--a1c1b5a0-0000-4000-8000-000000000003",
     "pattern": "title: x", "pattern_type": "sigma"},
    {"type": "indicator", "id": "indicator--a1c1b5a0-0000-4000-8000-000000000004",
     "pattern": "[domain-name:value = 'evil.example']", "pattern_type": "stix", "x_dannevirke_match_subdomains": true},
    {"type": "indicator", "id": "indicator--a1c1b5a0-0000-4000-8000-000000000005",
     "pattern": "[domain-name:value = 'old.example']", "pattern_type": "stix", "revoked": true},
    {"type": "indicator", "id": "indicator--a1c1b5a0-0000-4000-8000-000000000006",
     "pattern": "[url:value = 'http://x/']", "pattern_type": "stix", "confidence": 101},
    {"type": "indicator", "pattern": "[url:value = 'http://x/']", "pattern_type": "stix"},
    {"type": "indicator", "id": "indicator--a1c1b5a0-0000-4000-8000-000000000007",
     "pattern": "[url:value = 'http://x/']", "valid_from": "yesterday"}
  ]})";

TEST(IndicatorLoadTest, TlpIsTheConservativeMaximumOfAllMarkings) {
  auto tlp_of = [](const std::string& markings) {
    LoadReport report;
    const std::string bundle = R"({"type": "bundle", "id": "bundle--a1c1b5a0-0000-4000-8000-0000000000b1", "objects": [
      {"type": "indicator", "id": "indicator--a1c1b5a0-0000-4000-8000-0000000000b2", "pattern_type": "stix",
       "pattern": "[ipv4-addr:value = '198.51.100.9']", "valid_from": "2026-01-01T00:00:00Z")" +
                               markings + "}]}";
    auto indicators = Parse(bundle, report);
    return indicators.size() == 1 ? indicators[0].tlp : std::optional<Tlp>(Tlp::kClear);
  };
  EXPECT_EQ(tlp_of(""), std::nullopt);
  // The TLP:RED id in upper case is TLP:RED.
  EXPECT_EQ(tlp_of(R"(, "object_marking_refs": ["marking-definition--E828B379-4E03-4974-9AC4-E53A884C97C1"])"),
            Tlp::kRed);
  // A granular marking counts like an object marking.
  EXPECT_EQ(tlp_of(R"(, "object_marking_refs": ["marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"],
      "granular_markings": [{"marking_ref": "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
                             "selectors": ["pattern"]}])"),
            Tlp::kAmberStrict);
  // A marking that is not TLP fails closed.
  EXPECT_EQ(tlp_of(R"(, "object_marking_refs": ["marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
      "marking-definition--70d034e6-3d0c-479b-877f-8bba8486dd86"])"),
            Tlp::kRed);
}

TEST(IndicatorLoadTest, RefusesDeeplyNestedJsonBeforeParsing) {
  // Bundles in bundles recurse; the depth limit stops them first.
  std::string nested;
  for (int level = 0; level < 20000; ++level) nested += R"({"type":"bundle","objects":[)";
  for (int level = 0; level < 20000; ++level) nested += "]}";
  auto document = ParseIndicators(nested, "deep.json", {}, nullptr);
  ASSERT_FALSE(document.ok());
  EXPECT_NE(document.error().message().find("nested deeper than 66 levels"), std::string::npos);
  LoadReport report;
  auto lines = ParseIndicators("{\"type\":\"x\"}\n" + std::string(1000, '[') + "\n", "deep.jsonl",
                               {.format = IndicatorFormat::kJsonLines}, &report);
  ASSERT_TRUE(lines.ok());
  ASSERT_EQ(report.rejected, 1U);
  EXPECT_EQ(report.rejections[0].place, "deep.jsonl:2");
  EXPECT_NE(report.rejections[0].message.find("nested deeper than 66 levels"), std::string::npos);
}

TEST(IndicatorLoadTest, StixBundle) {
  LoadReport report;
  std::vector<Indicator> indicators = Parse(kBundle, report);
  ASSERT_EQ(indicators.size(), 2u);
  const Indicator& c2 = indicators[0];
  EXPECT_EQ(c2.id, "indicator--a1c1b5a0-0000-4000-8000-000000000001");
  EXPECT_EQ(c2.name, "C2 server");
  EXPECT_EQ(c2.pattern, "[ipv4-addr:value = '198.51.100.7']");
  EXPECT_EQ(c2.valid_from, Timestamp::FromCivil(2026, 1, 1));
  EXPECT_EQ(c2.valid_until, Timestamp::FromCivil(2026, 6, 1));
  EXPECT_EQ(c2.confidence, 80);
  EXPECT_EQ(c2.tlp, Tlp::kAmber);  // the most restrictive of GREEN and AMBER
  EXPECT_EQ(c2.source, "feed: indicator--a1c1b5a0-0000-4000-8000-000000000001");
  EXPECT_FALSE(c2.plain.has_value());
  EXPECT_TRUE(indicators[1].match_subdomains);
  EXPECT_EQ(report.loaded, 2u);
  EXPECT_EQ(report.ignored, 2u);  // the identity and the revoked indicator
  EXPECT_EQ(report.unsupported, 1u);
  EXPECT_EQ(report.unsupported_reasons[0].message, "pattern_type 'sigma' is not matched by the indicator index");
  ASSERT_EQ(report.rejected, 4u);
  EXPECT_EQ(report.rejections[0].place, "feed: indicator--a1c1b5a0-0000-4000-8000-000000000002");
  EXPECT_EQ(report.rejections[0].message, "pattern offset 21: expected a constant, found end of pattern");
  EXPECT_EQ(report.rejections[1].message, "confidence must be a whole number from 0 to 100");
  EXPECT_EQ(report.rejections[2].place, "feed: objects[7]");
  EXPECT_EQ(report.rejections[2].message, "indicator has no id of the form indicator--<uuid>");
  EXPECT_EQ(report.rejections[3].message.rfind("valid_from: ", 0), 0u);
}

TEST(IndicatorLoadTest, ArrayAndSingleObjectAndJsonLines) {
  LoadReport report;
  EXPECT_EQ(Parse(R"([{"type":"indicator","id":"indicator--1","pattern":"[url:value = 'http://a/']",
                      "pattern_type":"stix"}])",
                  report)
                .size(),
            1u);
  const std::string_view lines =
      "{\"type\":\"indicator\",\"id\":\"indicator--1\",\"pattern\":\"[url:value = 'http://a/']\"}\n"
      "\n"
      "{\"type\":\"indicator\",\"id\":\"indicator--2\",\"pattern\":\"[url:value = \"}\n"
      "{not json\n"
      "{\"type\":\"indicator\",\"id\":\"indicator--3\",\"pattern\":\"[email-addr:value = 'a@b.example']\"}\n";
  LoadReport lines_report;
  std::vector<Indicator> indicators = Parse(lines, lines_report);
  ASSERT_EQ(indicators.size(), 2u);
  EXPECT_EQ(indicators[1].id, "indicator--3");
  EXPECT_EQ(indicators[1].source, "feed:5 (indicator--3)");
  ASSERT_EQ(lines_report.rejected, 2u);
  EXPECT_EQ(lines_report.rejections[0].place, "feed:3 (indicator--2)");
  EXPECT_EQ(lines_report.rejections[1].place, "feed:4");
  EXPECT_EQ(lines_report.rejections[1].message, "not a valid JSON object");
  // A JSON document that does not parse at all is an error.
  LoadReport broken;
  auto result = ParseIndicators("[{\"type\": ", "feed.json", {}, &broken);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().message(), "feed.json: not a valid JSON document");
}

TEST(IndicatorLoadTest, PlainListGuessesTypes) {
  const std::string_view text =
      "# shared by CFCS\n"
      "198.51.100.7\n"
      "10.0.0.0/8\n"
      "2001:db8::/32\n"
      "evil[.]example\n"
      "*.wild.example\n"
      "hxxp://evil.example/x\n"
      "phish@evil.example\n"
      "44d88612fea8a8f36de82e1278abb02f\n"
      "3395856ce81f2b7382dee72602f798b642f14140\n"
      "275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f\n"
      "   \n"
      "not a value\n"
      "300.1.1.1\n";
  LoadReport report;
  std::vector<Indicator> indicators = Parse(text, report);
  ASSERT_EQ(indicators.size(), 10u);
  using K = ObservableKind;
  const K kinds[] = {K::kIpv4, K::kIpv4,  K::kIpv6, K::kDomain, K::kDomain,
                     K::kUrl,  K::kEmail, K::kMd5,  K::kSha1,   K::kSha256};
  for (std::size_t idx = 0; idx < indicators.size(); ++idx) {
    ASSERT_TRUE(indicators[idx].plain.has_value());
    EXPECT_EQ(indicators[idx].plain->kind, kinds[idx]) << idx;
  }
  EXPECT_EQ(IndicatorId(indicators[0]), "feed:2");
  EXPECT_EQ(indicators[0].id, "");  // a list line's id is spelt when asked
  EXPECT_EQ(IndicatorPattern(indicators[0]), "[ipv4-addr:value = '198.51.100.7']");
  EXPECT_EQ(IndicatorSource(indicators[0]), "feed:2");
  EXPECT_EQ(indicators[3].plain->value(), "evil.example");
  EXPECT_FALSE(indicators[3].match_subdomains);
  EXPECT_EQ(indicators[4].plain->value(), "wild.example");
  EXPECT_TRUE(indicators[4].match_subdomains);
  EXPECT_EQ(indicators[5].plain->value(), "http://evil.example/x");
  EXPECT_EQ(report.loaded, 10u);
  ASSERT_EQ(report.rejected, 2u);
  EXPECT_EQ(report.rejections[0].place, "feed:13");
  EXPECT_EQ(report.rejections[0].message, "cannot tell the type of 'not a value'");
  EXPECT_EQ(report.rejections[1].place, "feed:14");
  // Every synthesised pattern is valid STIX.
  for (const Indicator& indicator : indicators) {
    EXPECT_TRUE(IndicatorPattern(indicator).front() == '[') << IndicatorPattern(indicator);
  }
}

TEST(IndicatorLoadTest, ALargeListReadInTwoHalvesIsReadAsInOnePass) {
  // Over 4 MB, a list is read on two threads: the indicators, their order,
  // their line numbers and the report must be those of the lines in order.
  std::string text = "# comment\n";
  std::vector<std::string> values;
  constexpr std::size_t kLines = 300'000;
  for (std::size_t line_idx = 0; line_idx < kLines; ++line_idx) {
    std::string value;
    if (line_idx % 50'000 == 7) {
      value = "bad value " + std::to_string(line_idx);  // rejected, in both halves
    } else if (line_idx % 3 == 0) {
      value = "host" + std::to_string(line_idx) + ".example";
    } else {
      value = std::to_string(line_idx % 200 + 1) + "." + std::to_string(line_idx / 65536 % 256) + "." +
              std::to_string(line_idx / 256 % 256) + "." + std::to_string(line_idx % 256);
    }
    text += value + "\n";
    values.push_back(value);
  }
  ASSERT_GT(text.size(), std::size_t{4} << 20);
  LoadReport report;
  std::vector<Indicator> indicators = Parse(text, report);
  EXPECT_EQ(report.rejected, kLines / 50'000);
  EXPECT_EQ(report.ignored, 1u);
  ASSERT_EQ(report.loaded, kLines - kLines / 50'000);
  ASSERT_EQ(indicators.size(), report.loaded);
  std::size_t indicator_idx = 0;
  std::size_t rejection_idx = 0;
  for (std::size_t line_idx = 0; line_idx < kLines; ++line_idx) {
    const std::string place = "feed:" + std::to_string(line_idx + 2);
    if (values[line_idx].rfind("bad", 0) == 0) {
      ASSERT_LT(rejection_idx, report.rejections.size());
      EXPECT_EQ(report.rejections[rejection_idx++].place, place);
      continue;
    }
    const Indicator& indicator = indicators[indicator_idx++];
    ASSERT_EQ(indicator.plain->value(), values[line_idx]) << place;
    ASSERT_EQ(IndicatorSource(indicator), place);
  }
}

TEST(IndicatorLoadTest, Csv) {
  const std::string_view text =
      "type,value,id,name\n"
      "ipv4-addr,198.51.100.7,ioc-1,C2\n"
      "domain-name,\"evil.example\",ioc-2,\"Phishing, wave 3\"\n"
      "sha256,275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f,,\n"
      "ipv4-addr,2001:db8::1,ioc-4,wrong type\n"
      "md5,abc,ioc-5,too short\n"
      ",evil2.example,ioc-6,guessed\n"
      "file-name,mimikatz.exe,ioc-7,\n"
      "bogus,x,ioc-8,\n";
  LoadReport report;
  std::vector<Indicator> indicators = Parse(text, report);
  ASSERT_EQ(indicators.size(), 5u);
  EXPECT_EQ(indicators[0].id, "ioc-1");
  EXPECT_EQ(indicators[0].name, "C2");
  EXPECT_EQ(indicators[1].name, "Phishing, wave 3");
  EXPECT_EQ(indicators[2].id, "feed:4");
  EXPECT_EQ(indicators[3].plain->kind, ObservableKind::kDomain);
  EXPECT_EQ(indicators[4].plain->kind, ObservableKind::kFileName);
  ASSERT_EQ(report.rejected, 3u);
  EXPECT_EQ(report.rejections[0].place, "feed:5");
  EXPECT_EQ(report.rejections[0].message, "'2001:db8::1' is not of type 'ipv4-addr'");
  EXPECT_EQ(report.rejections[1].message, "'abc' is not 32 hex digits");
  EXPECT_EQ(report.rejections[2].place, "feed:9");

  LoadReport bad_header;
  Parse("type,values\nip,1.2.3.4\n", bad_header, {IndicatorFormat::kCsv, false});
  ASSERT_EQ(bad_header.rejected, 1u);
  EXPECT_EQ(bad_header.rejections[0].message, "CSV header must name the columns 'type' and 'value'");
}

TEST(IndicatorLoadTest, MissingFile) {
  LoadReport report;
  auto result = LoadIndicatorFile("/nonexistent/feed.txt", {}, &report);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind(), ErrorKind::kIo);
  EXPECT_EQ(result.error().message(), "/nonexistent/feed.txt: cannot open indicator file");
}

}  // namespace
}  // namespace dv
