// SPDX-License-Identifier: Apache-2.0
// The record parsers one field at a time: what each standard allows, what it
// refuses, and the place an error names.
#include "posture/records.h"

#include <gtest/gtest.h>

#include <string>

namespace dv::posture {
namespace {

TEST(SpfRecord, ReadsQualifiersMechanismsAndModifiers) {
  EXPECT_TRUE(IsSpfRecord("v=spf1"));
  EXPECT_TRUE(IsSpfRecord("V=SPF1 -all"));
  EXPECT_FALSE(IsSpfRecord("v=spf10 -all"));
  EXPECT_FALSE(IsSpfRecord("spf2.0/pra"));
  auto record = ParseSpf(
      "v=spf1  ip4:192.0.2.0/24 ip6:2001:db8::/32 a:web.kolding.dk/24 mx ~include:x.dk exp=why.kolding.dk -all");
  ASSERT_TRUE(record.ok()) << record.error().message();
  ASSERT_EQ(record->terms.size(), 7U);
  EXPECT_EQ(record->terms[2].name, "a");
  EXPECT_EQ(record->terms[2].value, "web.kolding.dk/24");
  EXPECT_EQ(record->terms[4].qualifier, '~');
  EXPECT_EQ(record->terms[5].kind, SpfTerm::Kind::kModifier);
  EXPECT_EQ(record->LookupTerms(), 3U);
  EXPECT_EQ(record->AllQualifier(), '-');
  EXPECT_FALSE(record->Redirect().has_value());
}

TEST(SpfRecord, RefusalsNameTheTerm) {
  const auto error = [](std::string_view txt) {
    auto record = ParseSpf(txt);
    return record.ok() ? std::string("accepted") : record.error().message();
  };
  EXPECT_EQ(error("v=spf1 mx ipv4:192.0.2.1 -all"), "SPF term 2 'ipv4:192.0.2.1': 'ipv4' is not an SPF mechanism");
  EXPECT_NE(error("v=spf1 include: -all").find("needs a domain"), std::string::npos);
  EXPECT_NE(error("v=spf1 ip4:192.0.2.0/33").find("IPv4"), std::string::npos);
  EXPECT_NE(error("v=spf1 ip6:zz::1").find("IPv6"), std::string::npos);
  EXPECT_NE(error("v=spf1 redirect=a.dk redirect=b.dk").find("twice"), std::string::npos);
  EXPECT_NE(error("v=spf1 all:x").find("no argument"), std::string::npos);
  std::string many = "v=spf1";
  for (int idx = 0; idx < 201; ++idx) many += " a";
  EXPECT_NE(error(many).find("more than 200"), std::string::npos);
}

TEST(DmarcRecord, ReadsTagsAndIgnoresUnknownOnes) {
  EXPECT_TRUE(IsDmarcRecord("v=DMARC1; p=reject"));
  EXPECT_TRUE(IsDmarcRecord("v = DMARC1;p=none"));
  EXPECT_FALSE(IsDmarcRecord("v=spf1 -all"));
  auto record = ParseDmarc(
      "v=DMARC1; p=Reject; sp=quarantine; np=reject; psd=n; t=n; pct=100; adkim=s; "
      "rua=mailto:a@kolding.dk!10m, mailto:b@x.dk; ruf=mailto:f@kolding.dk; fo=1; future=yes");
  ASSERT_TRUE(record.ok()) << record.error().message();
  EXPECT_EQ(record->p, "reject");
  EXPECT_EQ(record->sp, "quarantine");
  EXPECT_EQ(record->np, "reject");
  EXPECT_EQ(record->adkim, "s");
  EXPECT_EQ(record->aspf, "r");
  ASSERT_EQ(record->rua.size(), 2U);
  EXPECT_EQ(record->rua[0], "mailto:a@kolding.dk");
  EXPECT_EQ(MailtoDomain("mailto:A@Rapport.Kolding.DK!10m"), "rapport.kolding.dk");
  EXPECT_FALSE(MailtoDomain("https://kolding.dk/dmarc").has_value());
}

TEST(DmarcRecord, RefusesWhatTheRfcDoesNotAllow) {
  EXPECT_FALSE(ParseDmarc("p=reject; v=DMARC1").ok());
  EXPECT_FALSE(ParseDmarc("v=DMARC1; p=block").ok());
  EXPECT_FALSE(ParseDmarc("v=DMARC1; p=reject; pct=101").ok());
  EXPECT_FALSE(ParseDmarc("v=DMARC1; p=reject; p=none").ok());
  EXPECT_FALSE(ParseDmarc("v=DMARC1; p=reject; adkim=x").ok());
  EXPECT_FALSE(ParseDmarc("v=DMARC1; p=reject; novalue").ok());
  EXPECT_EQ(ParseDmarc("v=DMARC1; sp=reject").error().message(),
            "DMARC: the record has no p= policy (RFC 7489 §6.3: required)");
}

TEST(MtaSts, PolicyLinesAndMxPatterns) {
  auto policy = ParseMtaStsPolicy(
      "version: STSv1\r\nmode: enforce\r\nmx: MX1.Kolding.DK.\r\nmx: *.mail.kolding.dk\r\nmax_age: 86400\r\n");
  ASSERT_TRUE(policy.ok()) << policy.error().message();
  EXPECT_EQ(policy->mode, "enforce");
  EXPECT_EQ(policy->mx, (std::vector<std::string>{"mx1.kolding.dk", "*.mail.kolding.dk"}));
  EXPECT_EQ(policy->max_age, 86400);
  EXPECT_TRUE(MtaStsMxMatches("mx1.kolding.dk", "MX1.kolding.dk."));
  EXPECT_TRUE(MtaStsMxMatches("*.mail.kolding.dk", "in.mail.kolding.dk"));
  EXPECT_FALSE(MtaStsMxMatches("*.mail.kolding.dk", "mail.kolding.dk"));
  EXPECT_FALSE(MtaStsMxMatches("*.mail.kolding.dk", "a.b.mail.kolding.dk"));
  EXPECT_FALSE(MtaStsMxMatches("", ""));
  EXPECT_EQ(ParseMtaStsPolicy("version: STSv1\nmode: enforce\nmax_age: 99999999\nmx: a.dk\n").error().message(),
            "MTA-STS policy line 3: max_age '99999999' is not a number of seconds up to 31557600");
  EXPECT_FALSE(ParseMtaStsPolicy("version: STSv1\nmode: enforce\nmax_age: 60\n").ok());
  EXPECT_FALSE(ParseMtaStsPolicy(std::string(70000, 'x')).ok());
  auto txt = ParseMtaStsTxt("v=STSv1; id=20261201T0000;");
  ASSERT_TRUE(txt.ok());
  EXPECT_EQ(txt->id, "20261201T0000");
  EXPECT_FALSE(ParseMtaStsTxt("v=STSv1;").ok());
}

TEST(TlsRpt, NeedsAReportAddress) {
  auto record = ParseTlsRpt("v=TLSRPTv1; rua=mailto:tls@kolding.dk,https://rapport.kolding.dk/tls");
  ASSERT_TRUE(record.ok());
  EXPECT_EQ(record->rua.size(), 2U);
  EXPECT_FALSE(ParseTlsRpt("v=TLSRPTv1;").ok());
  EXPECT_FALSE(ParseTlsRpt("v=TLSRPTv2; rua=mailto:x@y.dk").ok());
}

TEST(Tlsa, PresentationForm) {
  const std::string digest(64, 'a');
  auto record = ParseTlsa("3 1 1 " + digest.substr(0, 32) + " " + digest.substr(32));
  ASSERT_TRUE(record.ok()) << record.error().message();
  EXPECT_EQ(record->usage, 3);
  EXPECT_EQ(record->selector, 1);
  EXPECT_EQ(record->matching, 1);
  EXPECT_EQ(record->data.size(), 32U);
  EXPECT_EQ(record->data[0], 0xaa);
  EXPECT_FALSE(ParseTlsa("3 1 1 abc").ok());
  EXPECT_FALSE(ParseTlsa("3 1 1 " + std::string(62, 'a')).ok());
  EXPECT_FALSE(ParseTlsa("3 1 2 " + digest).ok());
  EXPECT_FALSE(ParseTlsa("256 1 1 " + digest).ok());
  EXPECT_FALSE(ParseTlsa("3 1").ok());
  EXPECT_FALSE(ParseTlsa("3 1 0 zz").ok());
}

TEST(Hsts, DirectivesCaseInsensitiveAndQuotedAge) {
  auto policy = ParseHsts("Max-Age=\"63072000\"; IncludeSubDomains; preload");
  ASSERT_TRUE(policy.ok()) << policy.error().message();
  EXPECT_EQ(policy->max_age, 63072000);
  EXPECT_TRUE(policy->include_subdomains);
  EXPECT_TRUE(policy->preload);
  EXPECT_FALSE(ParseHsts("includeSubDomains").ok());
  EXPECT_FALSE(ParseHsts("max-age=1; preload; preload").ok());
}

TEST(SecurityTxt, FieldsCommentsAndPlaces) {
  auto file = ParseSecurityTxt(
      "# comment\r\nContact: mailto:a@kolding.dk\r\nContact: tel:+4579792000\r\nExpires: 2027-01-01T00:00:00Z\r\n"
      "Encryption: https://kolding.dk/pgp.txt\r\nPreferred-Languages: da, en\r\nCanonical: "
      "https://kolding.dk/.well-known/security.txt\r\nUnknown-Field: kept out\r\n");
  ASSERT_TRUE(file.ok()) << file.error().message();
  EXPECT_EQ(file->contact.size(), 2U);
  ASSERT_TRUE(file->expires.has_value());
  EXPECT_EQ(file->expires->unix_ms(), Timestamp::FromCivil(2027, 1, 1).unix_ms());
  EXPECT_EQ(file->preferred_languages, (std::vector<std::string>{"da", "en"}));
  EXPECT_FALSE(file->signed_);
  EXPECT_EQ(ParseSecurityTxt("Contact: a\nExpires: next year\n").error().message(),
            "security.txt line 2: Expires 'next year' is not an RFC 3339 date-time");
  EXPECT_FALSE(ParseSecurityTxt(std::string(40000, '#')).ok());
}

TEST(Records, ArbitraryBytesNeverCrash) {
  // A deterministic sweep of short hostile strings; the fuzz target goes further.
  const std::string alphabet = "v=spf1DMARC;:/-~?+%.@ \r\n\t\"*0123456789abcdef!,";
  std::uint32_t state = 1;
  for (int round = 0; round < 5000; ++round) {
    std::string text = round % 2 ? "v=spf1 " : "v=DMARC1; ";
    const int length = static_cast<int>(state % 60);
    for (int idx = 0; idx < length; ++idx) {
      state = state * 1103515245U + 12345U;
      text += alphabet[(state >> 16) % alphabet.size()];
    }
    (void)ParseSpf(text);
    (void)ParseDmarc(text);
    (void)ParseMtaStsTxt(text);
    (void)ParseMtaStsPolicy(text);
    (void)ParseTlsRpt(text);
    (void)ParseTlsa(text);
    (void)ParseHsts(text);
    (void)ParseSecurityTxt(text);
  }
  SUCCEED();
}

}  // namespace
}  // namespace dv::posture
