// SPDX-License-Identifier: Apache-2.0
#include "detect/indicators/observable.h"

#include <gtest/gtest.h>

namespace dv {
namespace {

std::string Canonical(std::string_view text) {
  auto address = ParseIp(text);
  return address ? FormatIp(*address) : "invalid";
}

TEST(ObservableTest, IpParsing) {
  EXPECT_EQ(Canonical("192.0.2.1"), "192.0.2.1");
  EXPECT_EQ(Canonical("0.0.0.0"), "0.0.0.0");
  EXPECT_EQ(Canonical("255.255.255.255"), "255.255.255.255");
  EXPECT_EQ(Canonical("256.0.0.1"), "invalid");
  EXPECT_EQ(Canonical("1.2.3"), "invalid");
  EXPECT_EQ(Canonical("1.2.3.4.5"), "invalid");
  EXPECT_EQ(Canonical("1..2.3"), "invalid");
  EXPECT_EQ(Canonical("2001:DB8:0:0:0:0:0:1"), "2001:db8::1");
  EXPECT_EQ(Canonical("::"), "::");
  EXPECT_EQ(Canonical("::1"), "::1");
  EXPECT_EQ(Canonical("1::"), "1::");
  EXPECT_EQ(Canonical("2001:db8::1:0:0:1"), "2001:db8::1:0:0:1");
  EXPECT_EQ(Canonical("::ffff:192.0.2.1"), "192.0.2.1");
  EXPECT_EQ(Canonical("64:ff9b::192.0.2.1"), "64:ff9b::c000:201");
  EXPECT_EQ(Canonical("fe80::1%eth0"), "fe80::1");
  EXPECT_EQ(Canonical("1:2:3:4:5:6:7:8:9"), "invalid");
  EXPECT_EQ(Canonical("1::2::3"), "invalid");
  EXPECT_EQ(Canonical("1:2:3:4:5:6:7:8::"), "invalid");
  EXPECT_EQ(Canonical(":1::"), "invalid");
  EXPECT_EQ(Canonical("1:"), "invalid");
  EXPECT_EQ(Canonical("12345::"), "invalid");
  EXPECT_EQ(Canonical("g::"), "invalid");
  EXPECT_TRUE(ParseIpLoose("192.0.2.1:8080").has_value());
  EXPECT_TRUE(ParseIpLoose("[2001:db8::1]:443").has_value());
  EXPECT_FALSE(ParseIpLoose("evil.example:80").has_value());
}

TEST(ObservableTest, Networks) {
  auto network = ParseIpNetwork("10.1.2.3/8");
  ASSERT_TRUE(network);
  EXPECT_EQ(FormatIp(network->address), "10.0.0.0");
  EXPECT_EQ(network->prefix, 8);
  EXPECT_TRUE(NetworkContains(*network, *ParseIp("10.255.255.255")));
  EXPECT_FALSE(NetworkContains(*network, *ParseIp("11.0.0.0")));
  EXPECT_FALSE(NetworkContains(*network, *ParseIp("::a00:1")));
  EXPECT_EQ(ParseIpNetwork("1.2.3.4")->prefix, 32);
  EXPECT_EQ(ParseIpNetwork("::/0")->prefix, 0);
  EXPECT_EQ(ParseIpNetwork("::ffff:10.0.0.0/104")->prefix, 8);
  EXPECT_FALSE(ParseIpNetwork("1.2.3.4/33"));
  EXPECT_FALSE(ParseIpNetwork("::/129"));
  EXPECT_FALSE(ParseIpNetwork("1.2.3.4/"));
  EXPECT_FALSE(ParseIpNetwork("1.2.3.4/x"));
}

TEST(ObservableTest, Normalisation) {
  EXPECT_EQ(Normalised(ObservableKind::kDomain, "Evil.Example."), "evil.example");
  EXPECT_EQ(Normalised(ObservableKind::kUrl, "HTTP://A/"), "HTTP://A/");
  EXPECT_EQ(Normalised(ObservableKind::kRegistryKey, "HKEY_CURRENT_USER\\Software\\X"), "hkcu\\software\\x");
  EXPECT_EQ(Normalised(ObservableKind::kRegistryKey, "HKLM\\A"), "hklm\\a");
  EXPECT_EQ(Normalised(ObservableKind::kCommandLine, "A B"), "A B");
}

TEST(ObservableTest, GuessingTypes) {
  using K = ObservableKind;
  EXPECT_EQ(GuessObservableKind("198.51.100.1"), K::kIpv4);
  EXPECT_EQ(GuessObservableKind("10.0.0.0/8"), K::kIpv4);
  EXPECT_EQ(GuessObservableKind("2001:db8::/32"), K::kIpv6);
  EXPECT_EQ(GuessObservableKind("44d88612fea8a8f36de82e1278abb02f"), K::kMd5);
  EXPECT_EQ(GuessObservableKind("3395856CE81F2B7382DEE72602F798B642F14140"), K::kSha1);
  EXPECT_EQ(GuessObservableKind("275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f"), K::kSha256);
  EXPECT_EQ(GuessObservableKind("http://evil.example/x"), K::kUrl);
  EXPECT_EQ(GuessObservableKind("a.b@evil.example"), K::kEmail);
  EXPECT_EQ(GuessObservableKind("evil.example"), K::kDomain);
  EXPECT_EQ(GuessObservableKind("*.evil.example"), K::kDomain);
  EXPECT_EQ(GuessObservableKind("xn--bcher-kva.example"), K::kDomain);
  EXPECT_EQ(GuessObservableKind("1.2.3.999"), std::nullopt);
  EXPECT_EQ(GuessObservableKind("hello"), std::nullopt);
  EXPECT_EQ(GuessObservableKind("abc def.example"), std::nullopt);
  EXPECT_EQ(GuessObservableKind("deadbeef"), std::nullopt);
  EXPECT_EQ(Refang("hxxps://evil[.]example[/]x"), "https://evil.example/x");
  EXPECT_EQ(Refang("a[@]b(.)example"), "a@b.example");
}

}  // namespace
}  // namespace dv
