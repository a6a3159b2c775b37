// SPDX-License-Identifier: Apache-2.0
// The golden matrix of mail and web misconfigurations
// (testdata/checks.json): each case gives the measured answers and the
// verdict a member must see, with a word of its reason.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "posture/checks.h"

namespace dv::posture {
namespace {

using Json = nlohmann::json;

Json LoadCases() {
  std::ifstream in(std::string(DV_SOURCE_DIR) + "/src/posture/testdata/checks.json");
  std::stringstream text;
  text << in.rdbuf();
  return Json::parse(text.str());
}

// The organisational domain of the tests: the last two labels.
std::string LastTwoLabels(std::string_view domain) {
  const std::size_t last = domain.rfind('.');
  if (last == std::string_view::npos || last == 0) return std::string(domain);
  const std::size_t before = domain.rfind('.', last - 1);
  return std::string(before == std::string_view::npos ? domain : domain.substr(before + 1));
}

TxtLookup TableLookup(const Json& test_case) {
  std::map<std::string, std::vector<std::string>> table;
  std::map<std::string, std::string> failing;
  if (test_case.contains("txt")) {
    for (const auto& [name, strings] : test_case["txt"].items()) table[name] = strings.get<std::vector<std::string>>();
  }
  if (test_case.contains("txt_error")) {
    for (const auto& [name, message] : test_case["txt_error"].items()) failing[name] = message.get<std::string>();
  }
  return [table, failing](std::string_view name) -> Result<std::vector<std::string>> {
    if (const auto found = failing.find(std::string(name)); found != failing.end()) return Error::Io(found->second);
    const auto found = table.find(std::string(name));
    if (found == table.end()) return Error::NotFound(std::string(name));
    return found->second;
  };
}

// A handshake as the golden file writes it: version, cipher, subject,
// issuer, not_after, valid, problem, and the presented chain's keys as
// [{"spki_sha256": …, "certificate_sha256": …}, …].
TlsSession SessionOf(const Json& item) {
  TlsSession tls;
  tls.version = item.value("version", "");
  tls.cipher = item.value("cipher", "");
  tls.subject = item.value("subject", "");
  tls.issuer = item.value("issuer", "");
  if (item.contains("not_after")) tls.not_after = *Timestamp::Parse(item["not_after"].get<std::string>());
  tls.certificate_valid = item.value("valid", false);
  tls.certificate_problem = item.value("problem", "");
  const Json chain = item.value("chain", Json::array());
  for (const Json& keys : chain) {
    CertificateKeys entry;
    entry.certificate_der = keys.value("certificate_der", "");
    entry.certificate_sha256 = keys.value("certificate_sha256", "");
    entry.certificate_sha512 = keys.value("certificate_sha512", "");
    entry.spki_der = keys.value("spki_der", "");
    entry.spki_sha256 = keys.value("spki_sha256", "");
    entry.spki_sha512 = keys.value("spki_sha512", "");
    tls.chain.push_back(std::move(entry));
  }
  return tls;
}

// An HTTP answer as the golden file writes it: {"status", "headers": {name:
// value}, "tls": {…SessionOf}} or {"error": …, "refused": true}.
Result<HttpAnswer> AnswerOf(const Json& item) {
  if (item.contains("error")) {
    const std::string message = item["error"].get<std::string>();
    return item.value("refused", false) ? Error::NotFound(message) : Error::Io(message);
  }
  HttpAnswer answer;
  answer.status = item.value("status", 200);
  const Json headers = item.value("headers", Json::object());
  for (const auto& [name, value] : headers.items()) {
    answer.headers.emplace_back(name, value.get<std::string>());
  }
  if (item.contains("tls")) answer.tls = SessionOf(item["tls"]);
  return answer;
}

std::optional<std::string> OptionalText(const Json& test_case, const char* key) {
  if (!test_case.contains(key)) return std::nullopt;
  return test_case[key].get<std::string>();
}

CheckResult RunCase(const Json& test_case, Timestamp now) {
  const std::string check = test_case["check"];
  const std::string domain = test_case["domain"];
  const TxtLookup lookup = TableLookup(test_case);
  if (check == "dnssec") {
    const std::string state = test_case.value("dnssec", "");
    const std::string error = test_case.value("dnssec_error", "");
    const std::string detail = test_case.value("dnssec_detail", "");
    return CheckDnssec(domain, [&](std::string_view) -> Result<DnssecResult> {
      if (!error.empty()) return Error::Io(error);
      return DnssecResult{state == "secure"  ? DnssecState::kSecure
                          : state == "bogus" ? DnssecState::kBogus
                                             : DnssecState::kInsecure,
                          detail};
    });
  }
  if (check == "mail_tls" || check == "dane") {
    Result<std::vector<std::string>> mx =
        test_case.contains("mx_error")
            ? Result<std::vector<std::string>>(Error::Io(test_case["mx_error"].get<std::string>()))
            : test_case.value("mx", std::vector<std::string>{});
    std::vector<MxProbe> probes;
    const Json probe_items = test_case.value("probes", Json::array());
    for (const Json& item : probe_items) {
      MxProbe entry;
      entry.host = item["host"].get<std::string>();
      if (item.contains("error")) {
        entry.probe = Error::Io(item["error"].get<std::string>());
      } else {
        SmtpTlsProbe probe;
        probe.host = entry.host;
        probe.address = item.value("address", "192.0.2.25");
        probe.starttls_offered = item.value("starttls", true);
        probe.tls = SessionOf(item);
        entry.probe = probe;
      }
      probes.push_back(std::move(entry));
    }
    if (check == "mail_tls") return CheckMailTls(domain, mx, probes, now);
    // "tlsa": {name: {"state": secure|insecure|bogus, "records": [...]}}, "tlsa_error": {name: message}
    const Json tlsa = test_case.value("tlsa", Json::object());
    const Json tlsa_error = test_case.value("tlsa_error", Json::object());
    return CheckDane(domain, mx, probes, [&](std::string_view name) -> Result<TlsaAnswer> {
      const std::string key(name);
      if (tlsa_error.contains(key)) return Error::Io(tlsa_error[key].get<std::string>());
      TlsaAnswer answer;
      answer.state = DnssecState::kSecure;
      if (tlsa.contains(key)) {
        const std::string state = tlsa[key].value("state", "secure");
        answer.state = state == "secure"  ? DnssecState::kSecure
                       : state == "bogus" ? DnssecState::kBogus
                                          : DnssecState::kInsecure;
        answer.records = tlsa[key].value("records", std::vector<std::string>{});
      }
      return answer;
    });
  }
  if (check == "web_tls") {
    Result<std::optional<std::string>> legacy = std::optional<std::string>();
    if (test_case.contains("legacy_error")) {
      legacy = Error::Io(test_case["legacy_error"].get<std::string>());
    } else if (test_case.contains("legacy")) {
      legacy = std::optional<std::string>(test_case["legacy"].get<std::string>());
    }
    return CheckWebTls(domain, AnswerOf(test_case["https"]), legacy, now);
  }
  if (check == "https_redirect") return CheckHttpsRedirect(domain, AnswerOf(test_case["http"]));
  if (check == "spf") return CheckSpf(domain, lookup);
  if (check == "dkim") return CheckDkim(domain, test_case["selectors"].get<std::vector<std::string>>(), lookup);
  if (check == "dmarc") return CheckDmarc(domain, lookup, LastTwoLabels);
  if (check == "mta_sts") {
    return CheckMtaSts(domain, lookup, OptionalText(test_case, "policy"), test_case.value("fetch_error", ""),
                       test_case.value("mx", std::vector<std::string>{}));
  }
  if (check == "tls_rpt") return CheckTlsRpt(domain, lookup);
  if (check == "hsts") return CheckHsts(domain, OptionalText(test_case, "header"));
  if (check == "security_txt") return CheckSecurityTxt(domain, OptionalText(test_case, "body"), now);
  ADD_FAILURE() << "unknown check " << check;
  return {};
}

TEST(PostureGolden, EveryCaseGivesItsVerdictAndReason) {
  const Json golden = LoadCases();
  const Timestamp now = *Timestamp::Parse(golden["now"].get<std::string>());
  ASSERT_GE(golden["cases"].size(), 30U);
  std::map<std::string, int> per_status;
  for (const Json& test_case : golden["cases"]) {
    const std::string name = test_case["name"];
    SCOPED_TRACE(name);
    const CheckResult result = RunCase(test_case, now);
    EXPECT_EQ(result.check, test_case["check"].get<std::string>());
    EXPECT_EQ(StatusName(result.status), test_case["expect"].get<std::string>());
    ASSERT_FALSE(result.reasons.empty());
    EXPECT_NE(result.reasons.front().find(test_case["reason"].get<std::string>()), std::string::npos)
        << "first reason: " << result.reasons.front();
    if (test_case.contains("expect_bis")) {
      ASSERT_TRUE(result.dmarcbis_status.has_value()) << "DMARCbis should differ";
      EXPECT_EQ(StatusName(*result.dmarcbis_status), test_case["expect_bis"].get<std::string>());
    } else if (result.dmarcbis_status) {
      EXPECT_EQ(*result.dmarcbis_status, result.status) << "DMARCbis verdict differs unexpectedly";
    }
    ++per_status[std::string(StatusName(result.status))];
  }
  // The matrix covers every verdict.
  for (const char* status : {"pass", "warn", "fail", "error"}) EXPECT_GT(per_status[status], 0) << status;
}

TEST(PostureGolden, TheSameAnswersAlwaysGiveTheSameVerdict) {
  const Json golden = LoadCases();
  const Timestamp now = *Timestamp::Parse(golden["now"].get<std::string>());
  for (const Json& test_case : golden["cases"]) {
    const CheckResult first = RunCase(test_case, now);
    const CheckResult second = RunCase(test_case, now);
    EXPECT_EQ(first.status, second.status);
    EXPECT_EQ(first.reasons, second.reasons);
    EXPECT_EQ(first.evidence, second.evidence);
  }
}

TEST(PostureGolden, SpfEvidenceCountsTheLookups) {
  const TxtLookup lookup = [](std::string_view name) -> Result<std::vector<std::string>> {
    if (name == "kolding.dk") return std::vector<std::string>{"v=spf1 include:_spf.kommune-it.dk mx -all"};
    if (name == "_spf.kommune-it.dk") return std::vector<std::string>{"v=spf1 ip4:198.51.100.0/24 a -all"};
    return Error::NotFound(std::string(name));
  };
  const CheckResult result = CheckSpf("Kolding.DK.", lookup);
  EXPECT_EQ(result.domain, "kolding.dk");
  EXPECT_EQ(result.status, Status::kPass);
  ASSERT_EQ(result.evidence.size(), 3U);
  EXPECT_EQ(result.evidence[0], "kolding.dk: v=spf1 include:_spf.kommune-it.dk mx -all");
  EXPECT_EQ(result.evidence[2], "3 DNS-querying terms, 0 void lookups");
}

TEST(PostureGolden, DmarcAsksEachNameOnceForBothReadings) {
  std::map<std::string, int> asked;
  const TxtLookup lookup = [&asked](std::string_view name) -> Result<std::vector<std::string>> {
    ++asked[std::string(name)];
    if (name == "_dmarc.kolding.dk") return std::vector<std::string>{"v=DMARC1; p=reject; rua=mailto:d@kolding.dk"};
    return Error::NotFound(std::string(name));
  };
  const CheckResult result = CheckDmarc("post.borger.kolding.dk", lookup, LastTwoLabels);
  EXPECT_EQ(result.status, Status::kPass);
  for (const auto& [name, count] : asked) EXPECT_EQ(count, 1) << name;
  EXPECT_EQ(asked.size(), 3U);  // post.borger.kolding.dk, borger.kolding.dk, kolding.dk
  EXPECT_EQ(result.evidence,
            (std::vector<std::string>{"_dmarc.kolding.dk: v=DMARC1; p=reject; rua=mailto:d@kolding.dk"}));
}

}  // namespace
}  // namespace dv::posture
