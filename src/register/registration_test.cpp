// SPDX-License-Identifier: Apache-2.0
// Validation of what a member registers: each refusal names the field and
// index (JSON) or the line (CSV); oversized lists are refused before any
// value is parsed; values are normalised, sorted and de-duplicated.
#include "register/registration.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace dv::reg {
namespace {

using Json = nlohmann::json;

std::string RefusalOf(const Json& body) {
  auto result = RegistrationFromJson(body);
  EXPECT_FALSE(result.ok()) << body.dump();
  return result.ok() ? "" : result.error().message();
}

TEST(Registration, NormalisesSortsAndDeduplicates) {
  auto result = RegistrationFromJson(Json{{"domains", {"WWW.Aarhus.dk.", "aarhus.dk", "aarhus.dk", "ålborg.dk"}},
                                          {"prefixes", {"2001:db8::/32", "203.0.113.0/24", "192.0.2.1"}},
                                          {"asns", {64500, "AS64496", "as64500"}},
                                          {"urls", {"HTTPS://Aarhus.dk"}}});
  ASSERT_TRUE(result.ok()) << result.error().message();
  EXPECT_EQ(result->domains, (std::vector<std::string>{"aarhus.dk", "www.aarhus.dk", "xn--lborg-lra.dk"}));
  EXPECT_EQ(RegistrationJson(*result)["prefixes"], Json({"192.0.2.1/32", "203.0.113.0/24", "2001:db8::/32"}));
  EXPECT_EQ(result->asns, (std::vector<std::uint32_t>{64496, 64500}));
  EXPECT_EQ(result->urls, (std::vector<std::string>{"https://aarhus.dk/"}));
  EXPECT_TRUE(RegistrationFromJson(Json::object())->empty());
}

TEST(Registration, RefusalsNameTheFieldAndIndex) {
  EXPECT_EQ(RefusalOf({{"domains", {"aarhus.dk", "github.io"}}}).rfind("domains[1]: 'github.io' is a public suffix", 0),
            0u);
  EXPECT_EQ(RefusalOf({{"domains", {"kommune.no"}}}).rfind("domains[0]: 'kommune.no' is a public suffix", 0), 0u);
  EXPECT_EQ(RefusalOf({{"domains", {"dk"}}}).rfind("domains[0]: ", 0), 0u);
  EXPECT_EQ(RefusalOf({{"domains", {"*.aarhus.dk"}}}).rfind("domains[0]: wildcard", 0), 0u);
  EXPECT_EQ(RefusalOf({{"prefixes", {"203.0.113.0/24", "10.1.0.0/16"}}}),
            "prefixes[1]: '10.1.0.0/16' overlaps 10.0.0.0/8, which is not public address space");
  EXPECT_EQ(RefusalOf({{"prefixes", {"2.0.0.0/7"}}}), "prefixes[0]: '2.0.0.0/7' is wider than /8");
  EXPECT_EQ(RefusalOf({{"prefixes", {"fd00::/16"}}}),
            "prefixes[0]: 'fd00::/16' is not global unicast address space (2000::/3)");
  EXPECT_EQ(RefusalOf({{"prefixes", {"2000::/12"}}}), "prefixes[0]: '2000::/12' is wider than /16");
  EXPECT_EQ(RefusalOf({{"prefixes", {"203.0.113.1/24"}}}).rfind("prefixes[0]: ", 0), 0u);
  EXPECT_EQ(RefusalOf({{"asns", {64500, 64512}}}), "asns[1]: AS64512 is private or reserved");
  EXPECT_EQ(RefusalOf({{"asns", {23456}}}), "asns[0]: AS23456 is AS_TRANS, not an AS anyone owns");
  EXPECT_EQ(RefusalOf({{"asns", {"AS"}}}), "asns[0]: 'AS' is not an AS number (64500 or AS64500)");
  EXPECT_EQ(RefusalOf({{"asns", {-1}}}), "asns[0]: must be a string (\"AS64500\") or a positive integer");
  EXPECT_EQ(RefusalOf({{"urls", {"ftp://x.dk/"}}}).rfind("urls[0]: ", 0), 0u);
  EXPECT_EQ(RefusalOf({{"contacts", Json::array()}}), "contacts: unknown field (domains, prefixes, asns or urls)");
  EXPECT_EQ(RefusalOf({{"domains", "aarhus.dk"}}), "domains: must be an array");
  EXPECT_EQ(RefusalOf(Json::array()), "request body: must be a JSON object");
}

TEST(Registration, OversizedListIsRefusedBeforeAnyValueIsParsed) {
  // The first value is invalid: the size check must come first.
  Json domains = Json::array({"not a domain"});
  for (std::size_t idx = 0; idx < kMaxEntries; ++idx) domains.push_back("d" + std::to_string(idx) + ".dk");
  EXPECT_EQ(RefusalOf({{"urls", Json::array()}, {"domains", domains}}), "domains: at most 10000 values");
}

TEST(Registration, Csv) {
  auto result = RegistrationFromCsv(
      "\xEF\xBB\xBFvalue,type,note\r\n"
      "aarhus.dk,domain,main site\r\n"
      "\r\n"
      "\"203.0.113.0/24\",prefix,\"office, town hall\"\n"
      "AS64496,asn,\n"
      "https://aarhus.dk/borger,url,\n");
  ASSERT_TRUE(result.ok()) << result.error().message();
  EXPECT_EQ(result->domains, (std::vector<std::string>{"aarhus.dk"}));
  EXPECT_EQ(result->prefixes.size(), 1u);
  EXPECT_EQ(result->asns, (std::vector<std::uint32_t>{64496}));
  EXPECT_EQ(result->urls.size(), 1u);

  const auto refusal = [](std::string_view text) {
    auto bad = RegistrationFromCsv(text);
    EXPECT_FALSE(bad.ok()) << text;
    return bad.ok() ? "" : bad.error().message();
  };
  EXPECT_EQ(refusal("type,value\ndomain,aarhus.dk\ndomain,github.io\n")
                .rfind("line 3: value: 'github.io' is a public suffix", 0),
            0u);
  EXPECT_EQ(refusal("type,value\nhost,aarhus.dk\n"), "line 2: type must be domain, prefix, asn or url");
  EXPECT_EQ(refusal("kind,value\n"), "line 1: the header must name 'type' and 'value'");
  EXPECT_EQ(refusal("type,value\ndomain\n"), "line 2: fewer cells than the header");
  EXPECT_EQ(refusal("type,value\ndomain,\"aarhus.dk\n"), "line 2: unterminated quoted cell");
  EXPECT_EQ(refusal(""), "CSV: empty (expected a header 'type,value')");
  std::string many = "type,value\n";
  for (std::size_t idx = 0; idx <= 4 * kMaxEntries; ++idx) many += "asn,64496\n";
  EXPECT_EQ(refusal(many), "CSV: more than 40000 rows");
}

}  // namespace
}  // namespace dv::reg
