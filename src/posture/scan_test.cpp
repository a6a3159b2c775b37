// SPDX-License-Identifier: Apache-2.0
#include "posture/scan.h"

#include <gtest/gtest.h>

#include <map>

namespace dv::posture {
namespace {

// A zone as a table: name → TXT strings; a missing name is NXDOMAIN, a name
// mapped to "SERVFAIL" fails the lookup.
TxtLookup Zone(std::map<std::string, std::vector<std::string>> names) {
  return [names = std::move(names)](std::string_view name) -> Result<std::vector<std::string>> {
    const auto found = names.find(std::string(name));
    if (found == names.end()) return Error::NotFound("NXDOMAIN");
    if (found->second.size() == 1 && found->second.front() == "SERVFAIL") return Error::Io("SERVFAIL");
    return found->second;
  };
}

std::string Org(std::string_view domain) { return std::string(domain); }

Status StatusOf(const DomainScan& scan, std::string_view check) {
  for (const auto& result : scan.checks) {
    if (result.check == check) return result.status;
  }
  ADD_FAILURE() << "no check " << check;
  return Status::kError;
}

const Timestamp kNow = Timestamp::Parse("2026-12-06T12:00:00Z").value();

TEST(PostureScan, ScansSpfDmarcAndTlsRptAndRoundTripsThroughJson) {
  const auto lookup = Zone(
      {{"kommune.test", {"v=spf1 -all"}}, {"_dmarc.kommune.test", {"v=DMARC1; p=reject; rua=mailto:d@kommune.test"}}});
  const DomainScan scan = ScanDomain("kommune.test", lookup, Org, kNow);
  ASSERT_EQ(scan.checks.size(), 3u);
  EXPECT_EQ(scan.checks[0].check, "spf");
  EXPECT_EQ(scan.checks[1].check, "dmarc");
  EXPECT_EQ(scan.checks[2].check, "tls_rpt");
  EXPECT_EQ(StatusOf(scan, "spf"), Status::kPass);
  EXPECT_EQ(StatusOf(scan, "dmarc"), Status::kPass);
  EXPECT_EQ(StatusOf(scan, "tls_rpt"), Status::kWarn);  // none published: recommended, not required

  const nlohmann::json json = ScanJson(scan);
  EXPECT_EQ(json["measured_at"], "2026-12-06T12:00:00.000Z");
  auto back = ScanFromJson(json);
  ASSERT_TRUE(back.ok()) << back.error().message();
  EXPECT_EQ(ScanJson(*back), json);
}

TEST(PostureScan, StoredScansThatAreNotScansAreRefusedWithTheField) {
  const auto refused = [](nlohmann::json json) {
    auto scan = ScanFromJson(json);
    return scan.ok() ? std::string("accepted") : scan.error().message();
  };
  EXPECT_EQ(refused(nlohmann::json::array()), "scan: expected an object");
  EXPECT_EQ(refused({{"measured_at", "2026-12-06T12:00:00Z"}, {"checks", nlohmann::json::array()}}),
            "domain: required, a string");
  EXPECT_NE(refused({{"domain", "a.test"}, {"measured_at", "yesterday"}, {"checks", nlohmann::json::array()}})
                .find("measured_at: "),
            std::string::npos);
  EXPECT_EQ(refused({{"domain", "a.test"},
                     {"measured_at", "2026-12-06T12:00:00Z"},
                     {"checks", {{{"check", "spf"}, {"status", "great"}}}}}),
            "checks[0].status: must be pass, warn, fail or error");
  EXPECT_EQ(refused({{"domain", "a.test"},
                     {"measured_at", "2026-12-06T12:00:00Z"},
                     {"checks", {{{"check", "spf"}, {"status", "pass"}, {"reasons", {1}}}}}}),
            "checks[0].reasons: expected a list of strings");
}

TEST(PostureScan, ARegressionIsPassOrWarnBecomingFailNeverAnError) {
  const auto good = Zone({{"kommune.test", {"v=spf1 -all"}},
                          {"_dmarc.kommune.test", {"v=DMARC1; p=reject; rua=mailto:d@kommune.test"}},
                          {"_smtp._tls.kommune.test", {"v=TLSRPTv1; rua=mailto:t@kommune.test"}}});
  const auto worse = Zone({{"kommune.test", {"v=spf1 +all"}},
                           {"_dmarc.kommune.test", {"v=DMARC1; p=none; rua=mailto:d@kommune.test"}},
                           {"_smtp._tls.kommune.test", {"SERVFAIL"}}});
  const DomainScan before = ScanDomain("kommune.test", good, Org, kNow);
  const DomainScan after = ScanDomain("kommune.test", worse, Org, Timestamp(kNow.unix_ms() + 86'400'000));
  ASSERT_EQ(StatusOf(after, "tls_rpt"), Status::kError);
  const auto regressions = Regressions(before, after);
  ASSERT_EQ(regressions.size(), 2u);
  EXPECT_EQ(regressions[0].check, "spf");
  EXPECT_EQ(regressions[0].from, Status::kPass);
  EXPECT_EQ(regressions[1].check, "dmarc");
  EXPECT_FALSE(regressions[1].reason.empty());
  // Getting better, or staying as bad, raises nothing.
  EXPECT_TRUE(Regressions(after, before).empty());
  EXPECT_TRUE(Regressions(after, after).empty());
}

}  // namespace
}  // namespace dv::posture
