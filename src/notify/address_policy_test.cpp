// SPDX-License-Identifier: Apache-2.0
// The address classifier against the IANA special-purpose registries: each
// range at its first and last address and just outside it, the IPv6 forms
// that embed an IPv4 address, and resolution under the policy (numeric
// forms and /etc/hosts only: no DNS traffic).

#include "notify/address_policy.h"

#include <gtest/gtest.h>

#include <string>

namespace dv::notify {
namespace {

using C = AddressClass;

struct Golden {
  const char* address;
  AddressClass expected;
};

constexpr Golden kGolden[] = {
    // Public IPv4, including the neighbours of every special range.
    {"1.1.1.1", C::kPublic},
    {"8.8.8.8", C::kPublic},
    {"193.163.102.1", C::kPublic},
    {"1.0.0.0", C::kPublic},
    {"9.255.255.255", C::kPublic},
    {"11.0.0.0", C::kPublic},
    {"100.63.255.255", C::kPublic},
    {"100.128.0.0", C::kPublic},
    {"126.255.255.255", C::kPublic},
    {"128.0.0.0", C::kPublic},
    {"169.253.255.255", C::kPublic},
    {"169.255.0.0", C::kPublic},
    {"172.15.255.255", C::kPublic},
    {"172.32.0.0", C::kPublic},
    {"191.255.255.255", C::kPublic},
    {"192.0.1.255", C::kPublic},
    {"192.0.3.0", C::kPublic},
    {"192.31.196.1", C::kPublic},  // AS112, globally reachable
    {"192.52.193.1", C::kPublic},  // AMT, globally reachable
    {"192.175.48.1", C::kPublic},  // AS112 direct delegation
    {"192.88.98.255", C::kPublic},
    {"192.88.100.0", C::kPublic},
    {"192.167.255.255", C::kPublic},
    {"192.169.0.0", C::kPublic},
    {"198.17.255.255", C::kPublic},
    {"198.20.0.0", C::kPublic},
    {"198.51.99.255", C::kPublic},
    {"198.51.101.0", C::kPublic},
    {"203.0.112.255", C::kPublic},
    {"203.0.114.0", C::kPublic},
    {"223.255.255.255", C::kPublic},
    // Special IPv4.
    {"0.0.0.0", C::kUnspecified},
    {"0.0.0.1", C::kThisNetwork},
    {"0.255.255.255", C::kThisNetwork},
    {"10.0.0.0", C::kPrivate},
    {"10.0.0.1", C::kPrivate},
    {"10.255.255.255", C::kPrivate},
    {"100.64.0.0", C::kSharedCgnat},
    {"100.127.255.255", C::kSharedCgnat},
    {"127.0.0.1", C::kLoopback},
    {"127.0.0.0", C::kLoopback},
    {"127.255.255.255", C::kLoopback},
    {"169.254.0.0", C::kLinkLocal},
    {"169.254.169.254", C::kLinkLocal},  // cloud metadata services
    {"169.254.255.255", C::kLinkLocal},
    {"172.16.0.0", C::kPrivate},
    {"172.31.255.255", C::kPrivate},
    {"192.0.0.0", C::kReserved},
    {"192.0.0.8", C::kReserved},
    {"192.0.0.255", C::kReserved},
    {"192.0.2.0", C::kDocumentation},
    {"192.0.2.255", C::kDocumentation},
    {"192.88.99.1", C::kReserved},
    {"192.168.0.0", C::kPrivate},
    {"192.168.1.1", C::kPrivate},
    {"192.168.255.255", C::kPrivate},
    {"198.18.0.0", C::kReserved},
    {"198.19.255.255", C::kReserved},
    {"198.51.100.0", C::kDocumentation},
    {"198.51.100.255", C::kDocumentation},
    {"203.0.113.0", C::kDocumentation},
    {"203.0.113.255", C::kDocumentation},
    {"224.0.0.0", C::kMulticast},
    {"224.0.0.251", C::kMulticast},
    {"239.255.255.255", C::kMulticast},
    {"240.0.0.0", C::kReserved},
    {"255.255.255.254", C::kReserved},
    {"255.255.255.255", C::kBroadcast},
    // Public IPv6.
    {"2a00:1450:4001:80b::200e", C::kPublic},
    {"2001:4860:4860::8888", C::kPublic},
    {"2001:200::1", C::kPublic},         // just past 2001::/23
    {"2001:1ff:ffff::1", C::kReserved},  // the last of 2001::/23
    {"2001:db9::1", C::kPublic},
    {"3ffe:ffff::1", C::kPublic},
    {"3fff:1000::1", C::kPublic},  // just past 3fff::/20
    {"2620:4f:8000::1", C::kPublic},
    // Special IPv6.
    {"::", C::kUnspecified},
    {"::1", C::kLoopback},
    {"::2", C::kReserved},  // deprecated IPv4-compatible
    {"::127.0.0.1", C::kReserved},
    {"100::1", C::kReserved},      // discard-only
    {"2001::1", C::kReserved},     // Teredo
    {"2001:2::1", C::kReserved},   // benchmarking
    {"2001:10::1", C::kReserved},  // ORCHID
    {"2001:db8::", C::kDocumentation},
    {"2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", C::kDocumentation},
    {"3fff::1", C::kDocumentation},
    {"3fff:fff::1", C::kDocumentation},
    {"4000::1", C::kReserved},  // outside 2000::/3
    {"1fff:ffff::1", C::kReserved},
    {"5f00::1", C::kReserved},  // SRv6 SIDs
    {"fc00::1", C::kPrivate},
    {"fd12:3456:789a::1", C::kPrivate},
    {"fdff:ffff::1", C::kPrivate},
    {"fe80::1", C::kLinkLocal},
    {"febf:ffff::1", C::kLinkLocal},
    {"fec0::1", C::kPrivate},  // site-local (deprecated)
    {"ff02::1", C::kMulticast},
    {"ff05::1:3", C::kMulticast},
    {"64:ff9b:1::1", C::kPrivate},  // local-use NAT64
    // IPv6 forms that carry an IPv4 address: the IPv4 address decides.
    {"::ffff:127.0.0.1", C::kLoopback},
    {"::ffff:10.1.2.3", C::kPrivate},
    {"::ffff:169.254.169.254", C::kLinkLocal},
    {"::ffff:100.64.0.1", C::kSharedCgnat},
    {"::ffff:0.0.0.0", C::kUnspecified},
    {"::ffff:255.255.255.255", C::kBroadcast},
    {"::ffff:224.0.0.1", C::kMulticast},
    {"::ffff:192.0.2.1", C::kDocumentation},
    {"::ffff:8.8.8.8", C::kPublic},
    {"64:ff9b::7f00:1", C::kLoopback},
    {"64:ff9b::a00:1", C::kPrivate},
    {"64:ff9b::808:808", C::kPublic},
    {"2002:7f00:1::1", C::kLoopback},   // 6to4 of 127.0.0.1
    {"2002:c0a8:101::1", C::kPrivate},  // 6to4 of 192.168.1.1
    {"2002:a9fe:a9fe::1", C::kLinkLocal},
    {"2002:808:808::1", C::kPublic},
    {"::ffff:0:7f00:1", C::kReserved},  // IPv4-translated (SIIT)
};

TEST(AddressClassifier, GoldenTable) {
  for (const Golden& golden : kGolden) {
    auto address = ParseIpAddress(golden.address);
    ASSERT_TRUE(address.ok()) << golden.address;
    EXPECT_EQ(AddressClassName(ClassifyAddress(*address)), AddressClassName(golden.expected)) << golden.address;
  }
}

TEST(AddressClassifier, EveryIpv4SlashEightAgreesWithTheRegistry) {
  // One address in the middle of each /8: only these /8s are not public
  // there.
  for (int first = 0; first < 256; ++first) {
    IpAddress address;
    address.bytes = {static_cast<std::uint8_t>(first), 77, 77, 77};
    const AddressClass got = ClassifyAddress(address);
    AddressClass expected = AddressClass::kPublic;
    if (first == 0) expected = AddressClass::kThisNetwork;
    if (first == 10) expected = AddressClass::kPrivate;
    if (first == 100) expected = AddressClass::kSharedCgnat;  // 100.64/10 holds 100.77
    if (first == 127) expected = AddressClass::kLoopback;
    if (first >= 224 && first <= 239) expected = AddressClass::kMulticast;
    if (first >= 240) expected = AddressClass::kReserved;
    EXPECT_EQ(AddressClassName(got), AddressClassName(expected)) << first << ".77.77.77";
  }
}

TEST(AddressClassifier, ParsesOnlyPlainNumericForms) {
  for (const char* bad : {"", "localhost", "127.1", "0x7f.0.0.1", "2130706433", "017700000001", "[::1]", "fe80::1%eth0",
                          "1.2.3.4 ", "1.2.3.4.5", "::ffff:1.2.3"}) {
    EXPECT_FALSE(ParseIpAddress(bad).ok()) << bad;
  }
  auto v6 = ParseIpAddress("2001:DB8::1");
  ASSERT_TRUE(v6.ok());
  EXPECT_EQ(FormatIpAddress(*v6), "2001:db8::1");
}

TEST(ResolvePublic, RefusesLoopbackUnderTheProductionPolicy) {
  for (const char* host : {"127.0.0.1", "::1", "localhost", "10.0.0.1", "169.254.169.254", "0.0.0.0",
                           // Shortened and numeric IPv4 forms resolve like inet_aton reads them.
                           "2130706433", "0x7f.0.0.1", "127.1"}) {
    auto addresses = ResolvePublic(host, false);
    ASSERT_FALSE(addresses.ok()) << host;
    EXPECT_EQ(addresses.error().kind(), ErrorKind::kForbidden) << host << ": " << addresses.error().message();
    EXPECT_NE(addresses.error().message().find("notifications go only to public addresses"), std::string::npos);
  }
  auto localhost = ResolvePublic("localhost", true);
  ASSERT_TRUE(localhost.ok()) << localhost.error().message();
  EXPECT_FALSE(localhost->empty());
  auto public_literal = ResolvePublic("193.163.102.1", false);
  ASSERT_TRUE(public_literal.ok());
  EXPECT_EQ(FormatIpAddress(public_literal->front()), "193.163.102.1");
}

}  // namespace
}  // namespace dv::notify
