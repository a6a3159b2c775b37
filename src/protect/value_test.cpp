// SPDX-License-Identifier: Apache-2.0
// Validation of every value a feed may write, and prefix carving.
#include "protect/value.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace dv::protect {
namespace {

std::string Domain(std::string_view text) {
  auto result = NormaliseDomain(text);
  return result.ok() ? *result : "ERROR: " + result.error().message();
}

std::vector<std::string> Carve(std::string_view network, const std::vector<std::string>& holes) {
  std::vector<IpNetwork> parsed;
  for (const std::string& hole : holes) parsed.push_back(*ParseNetwork(hole));
  std::vector<std::string> out;
  for (const IpNetwork& piece : CarveNetwork(*ParseNetwork(network), parsed)) {
    out.push_back(FormatNetworkWithLength(piece));
  }
  return out;
}

TEST(NormaliseDomain, FoldsCaseAndOneTrailingDot) {
  EXPECT_EQ(Domain("Evil.EXAMPLE."), "evil.example");
  EXPECT_EQ(Domain("a-b.c0.example"), "a-b.c0.example");
  EXPECT_EQ(Domain("evil.example.."), "ERROR: empty label in domain name");
}

TEST(NormaliseDomain, ConvertsIdnToALabels) {
  EXPECT_EQ(Domain("rødgrød.dk"), "xn--rdgrd-vuad.dk");
  EXPECT_EQ(Domain("RØDGRØD.DK"), "xn--rdgrd-vuad.dk");
  EXPECT_EQ(Domain("xn--rdgrd-vuad.dk"), "xn--rdgrd-vuad.dk");
  EXPECT_EQ(Domain("xn--zz.dk"), "ERROR: 'xn--' label that is not a valid A-label");
  EXPECT_NE(Domain("\xff\xfe.dk").rfind("ERROR: not a valid internationalised domain name", 0), std::string::npos);
}

TEST(NormaliseDomain, RefusesInjection) {
  EXPECT_EQ(Domain("evil.example\n$INCLUDE /etc/passwd"), "ERROR: white space or control character in domain name");
  EXPECT_EQ(Domain("evil.example;x"), "ERROR: character ';' not allowed in a host name");
  EXPECT_EQ(Domain("evil.example CNAME ."), "ERROR: white space or control character in domain name");
  EXPECT_EQ(Domain("$INCLUDE"), "ERROR: character '$' not allowed in a host name");
  EXPECT_EQ(Domain("@"), "ERROR: character '@' not allowed in a host name");
  EXPECT_EQ(Domain("*.evil.example"), "ERROR: wildcard '*' in domain name");
  EXPECT_EQ(Domain("ev*l.example"), "ERROR: wildcard '*' in domain name");
  EXPECT_EQ(Domain("*.rødgrød.dk"), "ERROR: wildcard '*' in domain name");
  EXPECT_EQ(Domain("\"evil\".example"), "ERROR: character '\"' not allowed in a host name");
  EXPECT_EQ(Domain("evil\\.example"), "ERROR: character '\\' not allowed in a host name");
  EXPECT_EQ(Domain("evil.example\r"), "ERROR: white space or control character in domain name");
  EXPECT_EQ(Domain("_dmarc.evil.example"), "ERROR: character '_' not allowed in a host name");
}

TEST(NormaliseDomain, RefusesNamesAResolverWouldMisread) {
  EXPECT_EQ(Domain("dk"), "ERROR: a top-level domain alone cannot be blocked");
  EXPECT_EQ(Domain("."), "ERROR: empty domain name");
  EXPECT_EQ(Domain(""), "ERROR: empty domain name");
  EXPECT_EQ(Domain("1.2.3.4"), "ERROR: all-numeric top-level label");
  EXPECT_EQ(Domain("32.1.0.0.127.rpz-ip"), "ERROR: top-level label 'rpz-…' is reserved for RPZ triggers");
  EXPECT_EQ(Domain("24.0.0.0.10.rpz-client-ip"), "ERROR: top-level label 'rpz-…' is reserved for RPZ triggers");
  EXPECT_EQ(Domain("-evil.example"), "ERROR: label starts or ends with '-'");
  EXPECT_EQ(Domain("ab--cd.example"), "ERROR: label with '--' in positions 3 and 4 that is not an A-label");
}

TEST(NormaliseDomain, Lengths) {
  const std::string label63(63, 'a');
  EXPECT_EQ(Domain(label63 + ".example"), label63 + ".example");
  EXPECT_EQ(Domain(std::string(64, 'a') + ".example"), "ERROR: label longer than 63 characters");
  std::string name;
  while (name.size() < 250) name += "abcdefghi.";
  name += "dk";  // 252 characters
  EXPECT_EQ(Domain(name), name);
  EXPECT_EQ(Domain("ab" + name), "ERROR: domain name longer than 253 characters") << name.size();
  EXPECT_EQ(Domain(std::string(100000, 'a')), "ERROR: domain name longer than 253 characters");
}

TEST(DomainWithin, LabelBoundaries) {
  EXPECT_TRUE(DomainWithin("www.borger.dk", "borger.dk"));
  EXPECT_TRUE(DomainWithin("borger.dk", "borger.dk"));
  EXPECT_FALSE(DomainWithin("notborger.dk", "borger.dk"));
  EXPECT_FALSE(DomainWithin("borger.dk", "www.borger.dk"));
}

TEST(ParseNetwork, Strict) {
  EXPECT_EQ(FormatNetwork(*ParseNetwork("192.0.2.1")), "192.0.2.1");
  EXPECT_EQ(FormatNetworkWithLength(*ParseNetwork("192.0.2.1")), "192.0.2.1/32");
  EXPECT_EQ(FormatNetwork(*ParseNetwork("192.0.2.0/24")), "192.0.2.0/24");
  EXPECT_EQ(FormatNetwork(*ParseNetwork("2001:DB8:0:0::1")), "2001:db8::1");
  EXPECT_EQ(FormatNetwork(*ParseNetwork("::ffff:192.0.2.7")), "192.0.2.7");
  EXPECT_EQ(FormatNetwork(*ParseNetwork("::ffff:192.0.2.0/120")), "192.0.2.0/24");
  EXPECT_EQ(FormatNetwork(*ParseNetwork("0.0.0.0/0")), "0.0.0.0/0");
  EXPECT_EQ(FormatNetwork(*ParseNetwork("::/0")), "::/0");
  for (const char* bad :
       {"192.0.2.1/33", "192.0.2.1/24", "192.0.2.01", "192.0.2", "192.0.2.1 ", " 192.0.2.1", "192.0.2.0/024",
        "192.0.2.0/", "fe80::1%eth0", "2001:db8::/129", "2001:db8::1/64", "192.0.2.1\n", "1.2.3.4;", "localhost", ""}) {
    EXPECT_FALSE(ParseNetwork(bad).ok()) << bad;
  }
  EXPECT_EQ(ParseNetwork("10.1.2.3/8").error().message(), "host bits set after the prefix length in '10.1.2.3/8'");
}

TEST(NormaliseUrl, NormalisesAndRefuses) {
  EXPECT_EQ(NormaliseUrl("HTTPS://Evil.Example/Path?q=1")->text, "https://evil.example/Path?q=1");
  EXPECT_EQ(NormaliseUrl("http://evil.example")->text, "http://evil.example/");
  EXPECT_EQ(NormaliseUrl("http://evil.example:8080/x")->text, "http://evil.example:8080/x");
  EXPECT_EQ(NormaliseUrl("http://192.0.2.1/x")->host, "192.0.2.1");
  EXPECT_EQ(NormaliseUrl("http://[2001:DB8::1]:443/x")->text, "http://[2001:db8::1]:443/x");
  for (const char* bad :
       {"ftp://evil.example/", "evil.example/x", "http://user@evil.example/", "http://evil.example/#x",
        "http://evil.example/a b", "http://evil.example/\n", "http://evil.example/*", "http://evil.example/^x",
        "http://evil.example/;x", "http://evil.example/'x", "http://evil.example:0/", "http://evil.example:65536/",
        "http://evil.example:/", "http:///x", "http://ev_il.example/", "http://[::1/", "http://999.1.1.1/",
        "http://rødgrød.dk/"}) {
    EXPECT_FALSE(NormaliseUrl(bad).ok()) << bad;
  }
  EXPECT_FALSE(NormaliseUrl("http://evil.example/" + std::string(kMaxUrlLength, 'a')).ok());
}

TEST(CarveNetwork, Ipv4) {
  EXPECT_EQ(Carve("192.0.2.0/24", {"192.0.2.77"}),
            (std::vector<std::string>{"192.0.2.0/26", "192.0.2.64/29", "192.0.2.72/30", "192.0.2.76/32",
                                      "192.0.2.78/31", "192.0.2.80/28", "192.0.2.96/27", "192.0.2.128/25"}));
  EXPECT_EQ(Carve("192.0.2.0/24", {"198.51.100.1"}), (std::vector<std::string>{"192.0.2.0/24"}));
  EXPECT_EQ(Carve("192.0.2.0/24", {"192.0.0.0/16"}), (std::vector<std::string>{}));
  EXPECT_EQ(Carve("192.0.2.0/24", {"192.0.2.0/25", "192.0.2.128/25"}), (std::vector<std::string>{}));
  EXPECT_EQ(Carve("192.0.2.0/24", {"192.0.2.0/25"}), (std::vector<std::string>{"192.0.2.128/25"}));
  EXPECT_EQ(Carve("192.0.2.4/32", {"192.0.2.4/32"}), (std::vector<std::string>{}));
  EXPECT_EQ(Carve("192.0.2.4/32", {"192.0.2.5/32"}), (std::vector<std::string>{"192.0.2.4/32"}));
  EXPECT_EQ(Carve("192.0.2.0/31", {"192.0.2.1"}), (std::vector<std::string>{"192.0.2.0/32"}));
  EXPECT_EQ(Carve("192.0.2.0/24", {"2001:db8::1"}), (std::vector<std::string>{"192.0.2.0/24"}));
}

TEST(CarveNetwork, Ipv4WholeSpace) {
  const auto pieces = Carve("0.0.0.0/0", {"0.0.0.0"});
  ASSERT_EQ(pieces.size(), 32u);
  EXPECT_EQ(pieces.front(), "0.0.0.1/32");
  EXPECT_EQ(pieces.back(), "128.0.0.0/1");
  const auto two = Carve("0.0.0.0/0", {"255.255.255.255", "10.0.0.0/8"});
  EXPECT_EQ(two.size(), 32u + 8u - 2u);  // one split path each, sharing the top level
  // The pieces and the holes cover the whole space exactly once.
  unsigned long long covered = 0;
  for (const std::string& piece : two) covered += 1ull << (32 - ParseNetwork(piece)->prefix);
  EXPECT_EQ(covered + 1 + (1ull << 24), 1ull << 32);
}

TEST(CarveNetwork, Ipv6) {
  EXPECT_EQ(Carve("2001:db8::/126", {"2001:db8::2"}), (std::vector<std::string>{"2001:db8::/127", "2001:db8::3/128"}));
  const auto whole = Carve("::/0", {"2001:db8::1"});
  EXPECT_EQ(whole.size(), 128u);
  EXPECT_EQ(whole.front(), "::/3");
  const auto host = Carve("2001:db8::1/128", {"2001:db8::1"});
  EXPECT_TRUE(host.empty());
  const auto mid = Carve("2001:db8::/32", {"2001:db8:1::/48"});
  EXPECT_EQ(mid.size(), 16u);
  for (const std::string& piece : mid) {
    EXPECT_FALSE(NetworkCovers(*ParseNetwork(piece), *ParseNetwork("2001:db8:1::1"))) << piece;
  }
}

TEST(Printable, EscapesControlAndNonAscii) {
  EXPECT_EQ(Printable("a\nb\xc3\xb8"), "a\\x0ab\\xc3\\xb8");
  EXPECT_EQ(Printable(std::string(10, 'a'), 4), "aaaa…");
}

}  // namespace
}  // namespace dv::protect
