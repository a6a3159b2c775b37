// SPDX-License-Identifier: Apache-2.0
#include "core/tlp.h"

#include <gtest/gtest.h>

#include <string>

namespace dv {
namespace {

TEST(Tlp, MarkingIdsAreTheTlp2Ones) {
  EXPECT_EQ(TlpMarkingId(Tlp::kClear), "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487");
  EXPECT_EQ(TlpMarkingId(Tlp::kAmberStrict), "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003");
  EXPECT_EQ(TlpMarkingId(Tlp::kRed), "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1");
  for (Tlp tlp : {Tlp::kClear, Tlp::kGreen, Tlp::kAmber, Tlp::kAmberStrict, Tlp::kRed}) {
    EXPECT_EQ(TlpFromMarkingId(TlpMarkingId(tlp)), tlp);
  }
}

TEST(Tlp, AcceptsTlp1IdsAsTheirTlp2Equivalents) {
  EXPECT_EQ(TlpFromMarkingId("marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9"), Tlp::kClear);
  EXPECT_EQ(TlpFromMarkingId("marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da"), Tlp::kGreen);
  EXPECT_EQ(TlpFromMarkingId("marking-definition--f88d31f6-486f-44da-b317-01333bde0b82"), Tlp::kAmber);
  EXPECT_EQ(TlpFromMarkingId("marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed"), Tlp::kRed);
  EXPECT_EQ(TlpFromMarkingId("marking-definition--00000000-0000-4000-8000-000000000000"), std::nullopt);
}

TEST(Tlp, MarkingIdsAreRecognisedInAnyLetterCase) {
  EXPECT_EQ(TlpFromMarkingId("marking-definition--E828B379-4E03-4974-9AC4-E53A884C97C1"), Tlp::kRed);
  EXPECT_EQ(TlpFromMarkingId("MARKING-DEFINITION--e828b379-4e03-4974-9ac4-e53a884c97c1"), Tlp::kRed);
  EXPECT_EQ(TlpFromMarkingId("marking-definition--5E57C739-391A-4EB3-B6BE-7D15CA92D5ED"), Tlp::kRed);
  EXPECT_EQ(TlpFromMarkingId("marking-definition--BAB4A63C-aed9-4cf5-a766-dfca5abac2bb"), Tlp::kGreen);
  EXPECT_EQ(TlpFromMarkingId("marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c"), std::nullopt);
}

TEST(Tlp, TheGoverningTlpFailsClosedOnUnknownMarkings) {
  const std::string green(TlpMarkingId(Tlp::kGreen));
  const std::string amber(TlpMarkingId(Tlp::kAmber));
  const std::string statement = "marking-definition--70d034e6-3d0c-479b-877f-8bba8486dd86";
  EXPECT_EQ(GoverningTlp({}), std::nullopt);
  EXPECT_EQ(GoverningTlp({green}), Tlp::kGreen);
  EXPECT_EQ(GoverningTlp({amber, green}), Tlp::kAmber);
  EXPECT_EQ(GoverningTlp({statement}), Tlp::kRed);
  EXPECT_EQ(GoverningTlp({green, statement}), Tlp::kRed);
  EXPECT_EQ(GoverningTlp({"marking-definition--E828B379-4E03-4974-9AC4-E53A884C97C1"}), Tlp::kRed);
}

TEST(Tlp, ParsesNamesInAnyCase) {
  EXPECT_EQ(ParseTlp("TLP:AMBER+STRICT"), Tlp::kAmberStrict);
  EXPECT_EQ(ParseTlp("amber+strict"), Tlp::kAmberStrict);
  EXPECT_EQ(ParseTlp("white"), Tlp::kClear);
  EXPECT_EQ(ParseTlp("tlp:red"), Tlp::kRed);
  EXPECT_EQ(ParseTlp("purple"), std::nullopt);
  EXPECT_EQ(TlpName(Tlp::kAmberStrict), "TLP:AMBER+STRICT");
}

TEST(Tlp, OrderIsFromMostToLeastShareable) {
  EXPECT_LT(Tlp::kClear, Tlp::kGreen);
  EXPECT_LT(Tlp::kAmber, Tlp::kAmberStrict);
  EXPECT_LT(Tlp::kAmberStrict, Tlp::kRed);
}

}  // namespace
}  // namespace dv
