// SPDX-License-Identifier: Apache-2.0
#include "duty/ack_token.h"

#include <gtest/gtest.h>

#include "duty/test_support.h"

namespace dv::duty {
namespace {

using testing::At;

const std::string kAckSecret = "correct-horse-battery-staple-0123456789abcdef";
const std::string kOtherSecret = "another-secret-of-enough-length-0123456789xyz";

AckClaims Claims() {
  return {"n-2026-03-10-0001", "member:0101/soc-vagt", At("2026-03-10T12:00:00Z"), "q7Yh2kP0-xZ_aB3cD4eF"};
}

std::string Issue(const AckClaims& claims = Claims(), const std::string& secret = kAckSecret) {
  auto token = IssueAckToken(secret, claims);
  EXPECT_TRUE(token.ok()) << token.error().message();
  return token.ok() ? *token : "";
}

std::vector<std::string> Parts(const std::string& token) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (std::size_t dot = token.find('.'); dot != std::string::npos; dot = token.find('.', start)) {
    parts.push_back(token.substr(start, dot - start));
    start = dot + 1;
  }
  parts.push_back(token.substr(start));
  return parts;
}

// The refusal message for `token`, checked to be kUnauthorized and free of the secret.
std::string AckRefusal(const std::string& token, Timestamp now = At("2026-03-10T10:00:00Z")) {
  auto claims = VerifyAckToken(kAckSecret, token, now);
  EXPECT_FALSE(claims.ok()) << token;
  if (claims.ok()) return "accepted";
  EXPECT_EQ(claims.error().kind(), ErrorKind::kUnauthorized);
  EXPECT_EQ(claims.error().message().find(kAckSecret), std::string::npos);
  EXPECT_EQ(claims.error().message().find(Base64UrlEncode(kAckSecret).substr(0, 12)), std::string::npos);
  return claims.error().message();
}

TEST(AckToken, AGenuineTokenGivesBackItsClaims) {
  const std::string token = Issue();
  EXPECT_EQ(token.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_."),
            std::string::npos);
  EXPECT_EQ(token.substr(0, 3), "v1.");
  auto claims = VerifyAckToken(kAckSecret, token, At("2026-03-10T10:00:00Z"));
  ASSERT_TRUE(claims.ok()) << claims.error().message();
  EXPECT_EQ(*claims, Claims());
  // Deterministic: the caller's nonce makes each token unique.
  EXPECT_EQ(Issue(), token);
  AckClaims other = Claims();
  other.nonce = "another-nonce-0000001";
  EXPECT_NE(Issue(other), token);
}

TEST(AckToken, ExpiresAtItsExpiry) {
  const std::string token = Issue();
  EXPECT_TRUE(VerifyAckToken(kAckSecret, token, At("2026-03-10T11:59:59.999Z")).ok());
  EXPECT_EQ(AckRefusal(token, At("2026-03-10T12:00:00Z")), "ack token expired at 2026-03-10T12:00:00.000Z");
}

TEST(AckToken, ATokenForAnotherParticipantOrNotificationCannotBeMadeFromOne) {
  const std::string token = Issue();
  const auto parts = Parts(token);
  ASSERT_EQ(parts.size(), 4U);
  // Rewrite the claims to name someone else, keeping the signature.
  for (const std::string& forged_body :
       {std::string("n-2026-03-10-0001\nanna\n1773144000000\nq7Yh2kP0-xZ_aB3cD4eF"),
        std::string("n-other\nmember:0101/soc-vagt\n1773144000000\nq7Yh2kP0-xZ_aB3cD4eF"),
        std::string("n-2026-03-10-0001\nmember:0101/soc-vagt\n9999999999999\n"
                    "q7Yh2kP0-xZ_aB3cD4eF")}) {
    const std::string forged = parts[0] + "." + parts[1] + "." + Base64UrlEncode(forged_body) + "." + parts[3];
    EXPECT_EQ(AckRefusal(forged), "ack token signature does not match");
  }
  // Any changed character of the signature.
  for (std::size_t pos = 0; pos + 1 < parts[3].size(); ++pos) {
    std::string signature = parts[3];
    signature[pos] = signature[pos] == 'A' ? 'B' : 'A';
    EXPECT_EQ(AckRefusal(parts[0] + "." + parts[1] + "." + parts[2] + "." + signature),
              "ack token signature does not match")
        << pos;
  }
}

TEST(AckToken, ATokenSignedWithAnotherSecretIsNamedAsSuch) {
  EXPECT_EQ(AckRefusal(Issue(Claims(), kOtherSecret)), "ack token was signed with another key");
  // The same secret under another key id (an attacker's own key id) is still refused.
  const auto parts = Parts(Issue());
  const auto other = Parts(Issue(Claims(), kOtherSecret));
  EXPECT_EQ(AckRefusal(parts[0] + "." + other[1] + "." + parts[2] + "." + parts[3]),
            "ack token was signed with another key");
}

TEST(AckToken, TruncatedAndMalformedTokensAreRefused) {
  const std::string token = Issue();
  for (const std::size_t cut : {std::size_t{1}, std::size_t{10}, std::size_t{42}, std::size_t{43}}) {
    EXPECT_EQ(AckRefusal(token.substr(0, token.size() - cut)), "ack token is truncated") << cut;
  }
  EXPECT_EQ(AckRefusal(token.substr(0, token.find('.', 3))), "ack token is truncated");
  EXPECT_EQ(AckRefusal(""), "ack token is malformed");
  EXPECT_EQ(AckRefusal("v2" + token.substr(2)), "ack token is malformed");
  EXPECT_EQ(AckRefusal(token + ".x"), "ack token is malformed");
  EXPECT_EQ(AckRefusal(token + "AAAA"), "ack token is malformed");
  std::string padded = token;
  padded.insert(padded.rfind('.') + 1, "=");
  EXPECT_EQ(AckRefusal(padded), "ack token is malformed");
  EXPECT_EQ(AckRefusal(std::string(2000, 'A')), "ack token is malformed");
}

TEST(AckToken, SecretsAndClaimsAreChecked) {
  EXPECT_EQ(IssueAckToken("short", Claims()).error().kind(), ErrorKind::kInvalidArgument);
  EXPECT_EQ(VerifyAckToken("short", Issue(), At("2026-03-10T10:00:00Z")).error().message(),
            "ack token secret is too short: at least 32 bytes are needed");
  AckClaims claims = Claims();
  claims.nonce = "short";
  EXPECT_EQ(IssueAckToken(kAckSecret, claims).error().message(),
            "ack token: the nonce must be 16–64 characters of [A-Za-z0-9_-]");
  claims = Claims();
  claims.participant = "Anna";
  EXPECT_EQ(IssueAckToken(kAckSecret, claims).error().message(), "ack token: 'Anna' is not a participant id");
  claims = Claims();
  claims.notification_id = "two\nlines";
  EXPECT_EQ(IssueAckToken(kAckSecret, claims).error().kind(), ErrorKind::kInvalidArgument);
}

TEST(Base64Url, RoundTripsAndHasOneEncodingPerValue) {
  std::string bytes;
  for (int length = 0; length < 40; ++length) {
    EXPECT_EQ(Base64UrlDecode(Base64UrlEncode(bytes)), bytes) << length;
    bytes += static_cast<char>(length * 37 + 250);
  }
  EXPECT_EQ(Base64UrlEncode("\xfb\xff"), "-_8");
  EXPECT_EQ(Base64UrlDecode("-_8"), "\xfb\xff");
  EXPECT_FALSE(Base64UrlDecode("-_9").has_value());  // non-zero trailing bits
  EXPECT_FALSE(Base64UrlDecode("+/8").has_value());  // the standard alphabet
  EXPECT_FALSE(Base64UrlDecode("AA==").has_value());
  EXPECT_FALSE(Base64UrlDecode("AAAAA").has_value());
}

}  // namespace
}  // namespace dv::duty
