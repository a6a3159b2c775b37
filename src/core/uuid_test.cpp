// SPDX-License-Identifier: Apache-2.0
#include "core/uuid.h"

#include <gtest/gtest.h>

#include <set>

namespace dv {
namespace {

TEST(Uuid, V5MatchesRfcNamespaceExample) {
  // uuid5(NAMESPACE_DNS, "python.org") as published in Python's documentation.
  const Uuid dns = Uuid::Parse("6ba7b810-9dad-11d1-80b4-00c04fd430c8").value();
  EXPECT_EQ(Uuid::V5(dns, "python.org").ToString(), "886313e1-3b8a-5372-9b90-0c9aee199e5d");
}

TEST(Uuid, StixObservableNamespaceGivesDeterministicIds) {
  const Uuid id = Uuid::V5(kStixObservableNamespace, R"({"value":"198.51.100.3"})");
  EXPECT_EQ(id.version(), 5);
  EXPECT_EQ(id, Uuid::V5(kStixObservableNamespace, R"({"value":"198.51.100.3"})"));
  EXPECT_NE(id, Uuid::V5(kStixObservableNamespace, R"({"value":"198.51.100.4"})"));
}

TEST(Uuid, V4HasVersionAndVariantBitsAndIsUnique) {
  std::set<std::string> seen;
  for (int draw_idx = 0; draw_idx < 1000; ++draw_idx) {
    const Uuid id = Uuid::V4();
    EXPECT_EQ(id.version(), 4);
    EXPECT_EQ(id.bytes()[8] & 0xC0, 0x80);
    seen.insert(id.ToString());
  }
  EXPECT_EQ(seen.size(), 1000U);
}

TEST(Uuid, ParseRoundTripsAndAcceptsUpperCase) {
  const auto id = Uuid::Parse("6BA7B810-9DAD-11D1-80B4-00C04FD430C8");
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(id->ToString(), "6ba7b810-9dad-11d1-80b4-00c04fd430c8");
}

TEST(Uuid, ParseRejectsMalformedWithReason) {
  EXPECT_FALSE(Uuid::Parse("").ok());
  EXPECT_FALSE(Uuid::Parse("6ba7b810-9dad-11d1-80b4-00c04fd430c").ok());
  const auto bad = Uuid::Parse("6ba7b810-9dad-11d1-80b4-00c04fd430cg");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message().find("offset 35"), std::string::npos) << bad.error().message();
}

TEST(Uuid, NilIsNil) {
  EXPECT_TRUE(Uuid().IsNil());
  EXPECT_FALSE(Uuid::V4().IsNil());
}

}  // namespace
}  // namespace dv
