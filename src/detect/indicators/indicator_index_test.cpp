// SPDX-License-Identifier: Apache-2.0
#include "detect/indicators/indicator_index.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <initializer_list>
#include <utility>

namespace dv {
namespace {

using Fields = std::initializer_list<std::pair<std::string_view, std::string_view>>;

class IndexFixture {
 public:
  explicit IndexFixture(std::vector<std::string> patterns, bool subdomains = false) {
    std::vector<Indicator> indicators;
    for (std::size_t idx = 0; idx < patterns.size(); ++idx) {
      Indicator indicator;
      indicator.id = "indicator--" + std::to_string(idx);
      indicator.source = "test:" + std::to_string(idx);
      indicator.pattern = patterns[idx];
      indicator.match_subdomains = subdomains;
      indicators.push_back(std::move(indicator));
    }
    auto table = FieldTable::Default();
    EXPECT_TRUE(table.ok());
    auto index = IndicatorIndex::Build(std::move(indicators), *table, &report);
    EXPECT_TRUE(index.ok());
    index_ = std::make_unique<IndicatorIndex>(std::move(index).value());
  }

  // The indexes of the indicators that match an event with these fields, sorted.
  std::vector<std::uint32_t> Match(Fields fields) {
    event_.Clear();
    for (const auto& [name, value] : fields) event_.Add(name, value);
    return MatchEvent(event_);
  }
  std::vector<std::uint32_t> MatchEvent(const Event& event) {
    index_->Match(event, scratch_, hits_);
    std::vector<std::uint32_t> out;
    for (const IndicatorHit& hit : hits_) out.push_back(hit.indicator_idx);
    std::sort(out.begin(), out.end());
    return out;
  }
  const std::vector<IndicatorHit>& hits() const { return hits_; }
  IndicatorIndex& index() { return *index_; }

  LoadReport report;

 private:
  std::unique_ptr<IndicatorIndex> index_;
  IndicatorScratch scratch_;
  Event event_;  // hits point into it
  std::vector<IndicatorHit> hits_;
};

using Ids = std::vector<std::uint32_t>;

TEST(IndicatorIndexTest, Ipv4EqualsInAndRanges) {
  IndexFixture fixture({
      "[ipv4-addr:value = '198.51.100.7']",
      "[ipv4-addr:value IN ('203.0.113.1', '203.0.113.2')]",
      "[ipv4-addr:value ISSUBSET '10.0.0.0/8']",
      "[ipv4-addr:value = '192.168.4.0/24']",
      "[ipv4-addr:value = '172.16.0.9/32']",
  });
  EXPECT_EQ(fixture.report.unsupported + fixture.report.rejected, 0u);
  EXPECT_EQ(fixture.Match({{"SourceIp", "198.51.100.7"}}), Ids{0});
  EXPECT_EQ(fixture.Match({{"dst_ip", "198.51.100.8"}}), Ids{});
  EXPECT_EQ(fixture.Match({{"destination.ip", "203.0.113.2"}}), Ids{1});
  // Network and broadcast addresses belong to the range; neighbours do not.
  EXPECT_EQ(fixture.Match({{"src", "10.0.0.0"}}), Ids{2});
  EXPECT_EQ(fixture.Match({{"src", "10.255.255.255"}}), Ids{2});
  EXPECT_EQ(fixture.Match({{"src", "9.255.255.255"}}), Ids{});
  EXPECT_EQ(fixture.Match({{"src", "11.0.0.0"}}), Ids{});
  EXPECT_EQ(fixture.Match({{"src", "192.168.4.0"}}), Ids{3});
  EXPECT_EQ(fixture.Match({{"src", "192.168.4.255"}}), Ids{3});
  EXPECT_EQ(fixture.Match({{"src", "192.168.5.0"}}), Ids{});
  EXPECT_EQ(fixture.Match({{"src", "172.16.0.9"}}), Ids{4});
  EXPECT_EQ(fixture.Match({{"src", "172.16.0.10"}}), Ids{});
  // Windows writes IPv4-mapped IPv6; ports are dropped.
  EXPECT_EQ(fixture.Match({{"IpAddress", "::ffff:198.51.100.7"}}), Ids{0});
  EXPECT_EQ(fixture.Match({{"src", "198.51.100.7:443"}}), Ids{0});
  // Not an address: no match, no crash.
  EXPECT_EQ(fixture.Match({{"src", "198.51.100.7.1"}, {"dst", "-"}, {"SourceIp", ""}}), Ids{});
  // The hit names the field and the value as written.
  fixture.Match({{"Message", "x"}, {"SourceIp", " 198.51.100.7"}});
  ASSERT_EQ(fixture.hits().size(), 1u);
  EXPECT_EQ(fixture.hits()[0].field, "SourceIp");
  EXPECT_EQ(fixture.hits()[0].value, "198.51.100.7");
}

TEST(IndicatorIndexTest, CidrEdgesZeroAndFullLength) {
  IndexFixture fixture({
      "[ipv4-addr:value ISSUBSET '0.0.0.0/0']",
      "[ipv6-addr:value ISSUBSET '::/0']",
      "[ipv6-addr:value ISSUBSET '2001:db8::/32']",
      "[ipv6-addr:value = '2001:db8:0:0:0:0:0:1/128']",
      "[ipv6-addr:value ISSUBSET '2001:db8:ff::/127']",
  });
  EXPECT_EQ(fixture.Match({{"src", "1.2.3.4"}}), Ids{0});
  EXPECT_EQ(fixture.Match({{"src", "255.255.255.255"}}), Ids{0});
  EXPECT_EQ(fixture.Match({{"src", "2001:db8::"}}), (Ids{1, 2}));
  EXPECT_EQ(fixture.Match({{"src", "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff"}}), (Ids{1, 2}));
  EXPECT_EQ(fixture.Match({{"src", "2001:db9::"}}), Ids{1});
  EXPECT_EQ(fixture.Match({{"src", "2001:DB8::1"}}), (Ids{1, 2, 3}));
  EXPECT_EQ(fixture.Match({{"src", "[2001:db8::1]:443"}}), (Ids{1, 2, 3}));
  EXPECT_EQ(fixture.Match({{"src", "2001:db8::2"}}), (Ids{1, 2}));
  EXPECT_EQ(fixture.Match({{"src", "2001:db8:ff::1"}}), (Ids{1, 2, 4}));
  EXPECT_EQ(fixture.Match({{"src", "2001:db8:ff::2"}}), (Ids{1, 2}));
  EXPECT_EQ(fixture.Match({{"src", "fe80::1%eth0"}}), Ids{1});
}

TEST(IndicatorIndexTest, DomainsAreCaseInsensitiveAndSubdomainsOptional) {
  IndexFixture exact({
      "[domain-name:value = 'Evil.Example']",
      "[domain-name:value LIKE '%.bad.example']",
  });
  EXPECT_EQ(exact.Match({{"QueryName", "evil.example"}}), Ids{0});
  EXPECT_EQ(exact.Match({{"dns.question.name", "EVIL.EXAMPLE."}}), Ids{0});
  EXPECT_EQ(exact.Match({{"QueryName", "a.evil.example"}}), Ids{});
  EXPECT_EQ(exact.Match({{"QueryName", "notevil.example"}}), Ids{});
  // LIKE '%.x' means strict subdomains of x.
  EXPECT_EQ(exact.Match({{"QueryName", "bad.example"}}), Ids{});
  EXPECT_EQ(exact.Match({{"QueryName", "a.b.BAD.example"}}), Ids{1});
  EXPECT_EQ(exact.Match({{"QueryName", "notbad.example"}}), Ids{});

  IndexFixture with_subdomains({"[domain-name:value = 'evil.example']"}, /*subdomains=*/true);
  EXPECT_EQ(with_subdomains.Match({{"QueryName", "evil.example"}}), Ids{0});
  EXPECT_EQ(with_subdomains.Match({{"QueryName", "a.b.evil.example"}}), Ids{0});
  EXPECT_EQ(with_subdomains.Match({{"QueryName", "notevil.example"}}), Ids{});
  EXPECT_EQ(with_subdomains.Match({{"QueryName", "example"}}), Ids{});
  // The host of a URL field is a domain too.
  EXPECT_EQ(with_subdomains.Match({{"url.full", "https://user@cdn.evil.example:8443/x?y"}}), Ids{0});
}

TEST(IndicatorIndexTest, UrlsAreExact) {
  IndexFixture fixture({
      "[url:value = 'http://evil.example/Payload.exe']",
      "[url:value LIKE 'http://drop.example/%.ps1']",
  });
  EXPECT_EQ(fixture.Match({{"url.full", "http://evil.example/Payload.exe"}}), Ids{0});
  EXPECT_EQ(fixture.Match({{"url.full", "http://evil.example/payload.exe"}}), Ids{});
  EXPECT_EQ(fixture.Match({{"c-uri", "http://drop.example/a/b.ps1"}}), Ids{1});
  EXPECT_EQ(fixture.Match({{"c-uri", "http://drop.example/a/b.PS1"}}), Ids{});
}

TEST(IndicatorIndexTest, HashesAndSysmonHashesField) {
  const std::string md5 = "44d88612fea8a8f36de82e1278abb02f";
  const std::string sha1 = "3395856ce81f2b7382dee72602f798b642f14140";
  const std::string sha256 = "275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f";
  IndexFixture fixture({
      "[file:hashes.MD5 = '" + md5 + "']",
      "[file:hashes.'SHA-1' = '" + sha1 + "']",
      "[file:hashes.'SHA-256' = '" + sha256 + "']",
      "[file:hashes.MD5 = 'ffffffffffffffffffffffffffffffff']",
  });
  EXPECT_EQ(fixture.Match({{"hash.md5", "44D88612FEA8A8F36DE82E1278ABB02F"}}), Ids{0});
  EXPECT_EQ(fixture.Match({{"file.hash.sha1", sha1}}), Ids{1});
  EXPECT_EQ(fixture.Match({{"SHA256", sha256}}), Ids{2});
  const std::string sysmon =
      "SHA1=" + sha1 + ",MD5=" + md5 + ",SHA256=" + sha256 + ",IMPHASH=FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF";
  EXPECT_EQ(fixture.Match({{"Hashes", sysmon}}), (Ids{0, 1, 2}));
  fixture.Match({{"Hashes", "MD5=" + md5}});
  ASSERT_EQ(fixture.hits().size(), 1u);
  EXPECT_EQ(fixture.hits()[0].value, md5);
  // IMPHASH is not a file MD5; a hash under the wrong label is ignored.
  EXPECT_EQ(fixture.Match({{"Hashes", "IMPHASH=ffffffffffffffffffffffffffffffff"}}), Ids{});
  EXPECT_EQ(fixture.Match({{"Hashes", "SHA1=" + md5}}), Ids{});
}

TEST(IndicatorIndexTest, FileProcessRegistryUserEmail) {
  IndexFixture fixture({
      "[file:name = 'Mimikatz.exe']",
      "[process:name = 'rundll32.exe' AND process:command_line LIKE '%javascript:%']",
      "[windows-registry-key:key = 'HKEY_LOCAL_MACHINE\\\\Software\\\\Evil']",
      "[user-account:user_id = 'svc_backup']",
      "[email-addr:value = 'Phish@Evil.Example']",
      "[process:command_line = 'whoami /all']",
      "[user-account:account_login IN ('root', 'admin')]",
  });
  EXPECT_EQ(fixture.Match({{"TargetFilename", "C:\\Users\\x\\MIMIKATZ.EXE"}}), Ids{0});
  EXPECT_EQ(fixture.Match({{"Image", "C:\\Windows\\System32\\rundll32.exe"},
                           {"CommandLine", "rundll32.exe javascript:\"\\..\\mshtml,RunHTMLApplication\""}}),
            Ids{1});
  EXPECT_EQ(fixture.Match({{"Image", "C:\\Windows\\System32\\rundll32.exe"}, {"CommandLine", "rundll32 x.dll"}}),
            Ids{});
  EXPECT_EQ(fixture.Match({{"TargetObject", "HKLM\\SOFTWARE\\Evil"}}), Ids{2});
  EXPECT_EQ(fixture.Match({{"registry.path", "HKEY_LOCAL_MACHINE\\software\\evil"}}), Ids{2});
  EXPECT_EQ(fixture.Match({{"TargetUserName", "SVC_Backup"}}), Ids{3});
  EXPECT_EQ(fixture.Match({{"sender", "\"Bad\" <phish@evil.example>"}}), Ids{4});
  EXPECT_EQ(fixture.Match({{"recipients", "a@b.example, PHISH@evil.example"}}), Ids{4});
  // Command lines are compared exactly.
  EXPECT_EQ(fixture.Match({{"CommandLine", "whoami /all"}}), Ids{5});
  EXPECT_EQ(fixture.Match({{"CommandLine", "WHOAMI /all"}}), Ids{});
  EXPECT_EQ(fixture.Match({{"user.name", "Admin"}}), Ids{6});
}

TEST(IndicatorIndexTest, NegationAndMatches) {
  IndexFixture fixture({
      "[domain-name:value = 'evil.example' AND ipv4-addr:value != '10.0.0.1']",
      "[process:command_line MATCHES '(?i)powershell.+-enc(odedcommand)? [A-Za-z0-9+/=]{20,}']",
      "[process:command_line MATCHES '(\\\\w+) \\\\1']",  // a back-reference: PCRE2, not Hyperscan
      "[file:name NOT IN ('a.exe', 'b.exe') AND file:name LIKE '%.exe']",
  });
  EXPECT_EQ(fixture.Match({{"QueryName", "evil.example"}, {"src", "10.0.0.2"}}), Ids{0});
  EXPECT_EQ(fixture.Match({{"QueryName", "evil.example"}, {"src", "10.0.0.1"}}), Ids{});
  // != holds only when the event has a value of that kind.
  EXPECT_EQ(fixture.Match({{"QueryName", "evil.example"}}), Ids{});
  EXPECT_EQ(fixture.Match({{"CommandLine", "PowerShell.exe -NoP -EncodedCommand SQBFAFgAIAAoAE4AZQB3AC0A"}}), Ids{1});
  EXPECT_EQ(fixture.Match({{"CommandLine", "powershell -enc short"}}), Ids{});
  EXPECT_EQ(fixture.Match({{"CommandLine", "echo echo"}}), Ids{2});
  EXPECT_EQ(fixture.Match({{"CommandLine", "echo hello"}}), Ids{});
  EXPECT_EQ(fixture.Match({{"file.name", "c.exe"}}), Ids{3});
  EXPECT_EQ(fixture.Match({{"file.name", "A.exe"}}), Ids{});
  EXPECT_EQ(fixture.Match({{"file.name", "c.dll"}}), Ids{});
}

TEST(IndicatorIndexTest, CatastrophicPcreExpressionsStopAtTheLimitAndCountAsNoMatch) {
  // A back-reference keeps the expression out of Hyperscan, so PCRE2 runs
  // it: exponential backtracking on a long run of 'a's without a match.
  IndexFixture fixture(
      {"[process:command_line MATCHES '(a)\\\\1?(a+)+$']", "[process:command_line MATCHES '(\\\\w+) \\\\1']"});
  const std::string hostile = std::string(5000, 'a') + "b";
  const std::uint64_t before = IndicatorRegexMatchesStopped();
  EXPECT_EQ(fixture.Match({{"CommandLine", hostile}}), Ids{});
  EXPECT_EQ(IndicatorRegexMatchesStopped(), before + 1);
  EXPECT_EQ(fixture.Match({{"CommandLine", "aaaa"}}), Ids{0});  // decided within the limit
  EXPECT_EQ(fixture.Match({{"CommandLine", "echo echo"}}), Ids{1});
  for (int attempt = 1; attempt < 20; ++attempt) EXPECT_EQ(fixture.Match({{"CommandLine", hostile}}), Ids{});
  EXPECT_EQ(IndicatorRegexMatchesStopped(), before + 16);  // then switched off
  EXPECT_EQ(fixture.Match({{"CommandLine", "aaaa"}}), Ids{});
  EXPECT_EQ(fixture.Match({{"CommandLine", "echo echo"}}), Ids{1});  // the other expression still runs
}

TEST(IndicatorIndexTest, AndAcrossObjectTypesNeedsBothInOneEvent) {
  IndexFixture fixture({
      "[ipv4-addr:value = '198.51.100.7' AND domain-name:value = 'evil.example']",
      "[ipv4-addr:value = '198.51.100.8' OR domain-name:value = 'other.example']",
      "[(ipv4-addr:value = '198.51.100.9' OR ipv4-addr:value = '198.51.100.10') AND url:value = 'http://x.example/']",
      "[ipv4-addr:value = '203.0.113.5'] OR [url:value = 'http://y.example/']",
  });
  EXPECT_EQ(fixture.Match({{"DestinationIp", "198.51.100.7"}}), Ids{});
  EXPECT_EQ(fixture.Match({{"QueryName", "evil.example"}}), Ids{});
  EXPECT_EQ(fixture.Match({{"DestinationIp", "198.51.100.7"}, {"DestinationHostname", "EVIL.example"}}), Ids{0});
  EXPECT_EQ(fixture.Match({{"DestinationIp", "198.51.100.8"}}), Ids{1});
  EXPECT_EQ(fixture.Match({{"QueryName", "other.example"}}), Ids{1});
  EXPECT_EQ(fixture.Match({{"src", "198.51.100.10"}, {"url.full", "http://x.example/"}}), Ids{2});
  EXPECT_EQ(fixture.Match({{"src", "198.51.100.10"}}), Ids{});
  EXPECT_EQ(fixture.Match({{"url.full", "http://y.example/"}}), Ids{3});
  EXPECT_EQ(fixture.Match({{"src", "203.0.113.5"}}), Ids{3});
}

TEST(IndicatorIndexTest, UnsupportedPatternsAreCountedWithReasons) {
  IndexFixture fixture({
      "[ipv4-addr:value = '198.51.100.7'] FOLLOWEDBY [domain-name:value = 'evil.example']",
      "[ipv4-addr:value = '198.51.100.7'] WITHIN 60 SECONDS",
      "[ipv4-addr:value = '198.51.100.7'] AND [domain-name:value = 'evil.example']",
      "[x509-certificate:serial_number = '01']",
      "[file:name > 'a']",
      "[EXISTS file:name]",
      "[file:name != 'a.exe']",
      "[ipv4-addr:value = 'not-an-ip']",
      "[file:hashes.MD5 = 'abc']",
      "[ipv4-addr:value = '198.51.100.7']",
      "[file:name MATCHES 'a(']",
      "[file:hashes.'SHA-512' = 'aa']",
  });
  EXPECT_EQ(fixture.index().size(), 12u);
  EXPECT_EQ(fixture.index().matchable(), 1u);
  EXPECT_EQ(fixture.report.unsupported, 8u);
  EXPECT_EQ(fixture.report.rejected, 3u);
  ASSERT_EQ(fixture.report.unsupported_reasons.size(), 8u);
  const auto& reasons = fixture.report.unsupported_reasons;
  EXPECT_EQ(reasons[0].place, "test:0");
  EXPECT_EQ(reasons[0].message, "not matched: offset 46: FOLLOWEDBY needs correlation across events");
  EXPECT_EQ(reasons[1].message,
            "not matched: offset 35: qualifier WITHIN needs correlation over time, which the indicator index does not "
            "do");
  EXPECT_EQ(reasons[2].message, "not matched: offset 39: observations joined by AND need correlation across events");
  EXPECT_EQ(reasons[3].message,
            "not matched: offset 1: 'x509-certificate:serial_number' is not among the observables the index matches");
  EXPECT_EQ(reasons[4].message, "not matched: offset 1: ordering comparisons (>) are not matched");
  EXPECT_EQ(reasons[5].message, "not matched: offset 1: EXISTS would match every event with the field");
  EXPECT_EQ(reasons[6].message,
            "not matched: an alternative made only of negated comparisons (!=, NOT) would match nearly every event");
  EXPECT_EQ(reasons[7].message,
            "not matched: offset 1: 'file:hashes.'SHA-512'' is not among the observables the index matches");
  const auto& rejections = fixture.report.rejections;
  ASSERT_EQ(rejections.size(), 3u);
  EXPECT_EQ(rejections[0].place, "test:7");
  EXPECT_EQ(rejections[0].message, "'not-an-ip' is not an IP address or range");
  EXPECT_EQ(rejections[1].message, "'abc' is not a hash of 32 hex digits");
  EXPECT_EQ(rejections[2].message, "offset 1: expression does not compile at character 2: missing closing parenthesis");
  EXPECT_EQ(fixture.Match({{"src", "198.51.100.7"}, {"QueryName", "evil.example"}, {"file.name", "b.exe"}}), Ids{9});
}

TEST(IndicatorIndexTest, ValidityWindowAppliesWhenTheEventHasATime) {
  Indicator indicator;
  indicator.id = "indicator--w";
  indicator.pattern = "[ipv4-addr:value = '198.51.100.7']";
  indicator.valid_from = Timestamp::FromCivil(2026, 1, 1);
  indicator.valid_until = Timestamp::FromCivil(2026, 2, 1);
  auto index = IndicatorIndex::Build({indicator}, *FieldTable::Default(), nullptr);
  ASSERT_TRUE(index.ok());
  IndicatorScratch scratch;
  std::vector<IndicatorHit> hits;
  Event event;
  event.Add("src", "198.51.100.7");
  index->Match(event, scratch, hits);
  EXPECT_EQ(hits.size(), 1u);
  event.time = Timestamp::FromCivil(2026, 1, 15);
  index->Match(event, scratch, hits);
  EXPECT_EQ(hits.size(), 1u);
  event.time = Timestamp::FromCivil(2026, 2, 1);
  index->Match(event, scratch, hits);
  EXPECT_EQ(hits.size(), 0u);
  event.time = Timestamp::FromCivil(2025, 12, 31);
  index->Match(event, scratch, hits);
  EXPECT_EQ(hits.size(), 0u);
}

TEST(IndicatorIndexTest, ScratchMovesBetweenIndexes) {
  IndexFixture first({"[ipv4-addr:value = '198.51.100.7']"});
  auto second = IndicatorIndex::Build({*IndicatorFromValue(ObservableKind::kDomain, "evil.example"),
                                       *IndicatorFromValue(ObservableKind::kDomain, "evil2.example")},
                                      *FieldTable::Default(), nullptr);
  ASSERT_TRUE(second.ok());
  IndicatorScratch scratch;
  std::vector<IndicatorHit> hits;
  Event event;
  event.Add("QueryName", "evil2.example");
  second->Match(event, scratch, hits);
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].indicator_idx, 1u);
  EXPECT_EQ(first.Match({{"QueryName", "evil2.example"}, {"src", "198.51.100.7"}}), Ids{0});
  second->Match(event, scratch, hits);
  EXPECT_EQ(hits.size(), 1u);
}

TEST(IndicatorIndexTest, EmptyIndexMatchesNothing) {
  auto index = IndicatorIndex::Build({}, *FieldTable::Default(), nullptr);
  ASSERT_TRUE(index.ok());
  IndicatorScratch scratch;
  std::vector<IndicatorHit> hits{{1, "x", "y"}};
  Event event;
  event.Add("src", "1.2.3.4");
  index->Match(event, scratch, hits);
  EXPECT_TRUE(hits.empty());
}

TEST(FieldTableTest, DefaultAndErrors) {
  auto table = FieldTable::Default();
  ASSERT_TRUE(table.ok()) << table.error().message();
  ASSERT_NE(table->Lookup("image"), nullptr);
  EXPECT_EQ(table->Lookup("image")->size(), 2u);  // file name and process name
  EXPECT_EQ(table->Lookup("Image"), nullptr);     // lookups take lower-case names
  EXPECT_EQ(FieldTable::Parse("[]", "f.json").error().message(), "f.json: expected a JSON object of class → fields");
  EXPECT_EQ(FieldTable::Parse("{\"ipv9\": []}", "f.json").error().message(), "f.json: unknown observable class 'ipv9'");
  EXPECT_EQ(
      FieldTable::Parse("{\"ip\": [\"a\", {\"field\": \"b\", \"parse\": \"rot13\"}]}", "f.json").error().message(),
      "f.json: 'ip'[1]: unknown parse 'rot13'");
  EXPECT_EQ(FieldTable::Parse("{\"ip\": [5]}", "f.json").error().message(),
            "f.json: 'ip'[0]: expected a field name or {\"field\": …, \"parse\": …}");
  EXPECT_EQ(FieldTable::Parse("{", "f.json").error().message(), "f.json: not valid JSON");
  EXPECT_EQ(FieldTable::Load("/nonexistent/f.json").error().kind(), ErrorKind::kIo);
}

}  // namespace
}  // namespace dv
