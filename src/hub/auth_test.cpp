// SPDX-License-Identifier: Apache-2.0
#include "hub/auth.h"

#include <gtest/gtest.h>

#include <set>

namespace dv::hub {
namespace {

TEST(Auth, TokensAreRandomAndHashedWithSha256) {
  std::set<std::string> tokens;
  for (int draw_idx = 0; draw_idx < 100; ++draw_idx) tokens.insert(NewToken());
  EXPECT_EQ(tokens.size(), 100U);
  EXPECT_EQ(tokens.begin()->size(), 68U);  // "dvt_" + 64 hex
  // SHA-256("abc"), FIPS 180-2 test vector.
  EXPECT_EQ(HashToken("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Auth, ParsesBearerAndBasic) {
  auto bearer = ParseAuthorization("Bearer dvt_abc");
  ASSERT_TRUE(bearer);
  EXPECT_EQ(bearer->token, "dvt_abc");
  EXPECT_FALSE(bearer->user);
  // "kbh-soc:dvt_abc" in base64.
  auto basic = ParseAuthorization("Basic a2JoLXNvYzpkdnRfYWJj");
  ASSERT_TRUE(basic);
  EXPECT_EQ(basic->user, "kbh-soc");
  EXPECT_EQ(basic->token, "dvt_abc");
  EXPECT_FALSE(ParseAuthorization("Basic !!!"));
  EXPECT_FALSE(ParseAuthorization("Basic a2JoLXNvYw=="));  // no colon
  EXPECT_FALSE(ParseAuthorization("Digest x"));
  EXPECT_FALSE(ParseAuthorization("Bearer "));
}

TEST(Auth, ConstantTimeEquals) {
  EXPECT_TRUE(ConstantTimeEquals("abc", "abc"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abd"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abcd"));
}

}  // namespace
}  // namespace dv::hub
