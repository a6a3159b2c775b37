// SPDX-License-Identifier: Apache-2.0
#include "sigma/encoding.h"

#include <gtest/gtest.h>

namespace dv::sigma {
namespace {

TEST(Encoding, Base64OffsetGivesTheThreeShiftedForms) {
  // Reference values computed independently from the definition (shift by 0-2 bytes, drop unstable characters).
  EXPECT_EQ(Base64OffsetVariants("http://"), (std::vector<std::string>{"aHR0cDovL", "h0dHA6Ly", "odHRwOi8v"}));
  EXPECT_EQ(Base64OffsetVariants("ping"), (std::vector<std::string>{"cGluZ", "Bpbm", "waW5n"}));
  EXPECT_EQ(Base64OffsetVariants(Utf16Encode("cmd", false, false)),
            (std::vector<std::string>{"YwBtAGQA", "MAbQBkA", "jAG0AZA"}));
}

TEST(Encoding, Base64DropsPaddingSoItMatchesInsideLongerText) {
  EXPECT_EQ(Base64Encode("whoami"), "d2hvYW1p");
  EXPECT_EQ(Base64Encode("ab"), "YWI=");
  EXPECT_EQ(ApplyEncoding(Modifier::kBase64, "ab"), std::vector<std::string>{"YWI"});
}

TEST(Encoding, Utf16Variants) {
  EXPECT_EQ(Utf16Encode("cmd", false, false), std::string("c\0m\0d\0", 6));
  EXPECT_EQ(Utf16Encode("cmd", true, false), std::string("\0c\0m\0d", 6));
  EXPECT_EQ(Utf16Encode("ab", false, true), std::string("\xff\xfe"
                                                        "a\0b\0",
                                                        6));
  EXPECT_EQ(Utf16Encode("æ", false, false), std::string("\xe6\0", 2));
  EXPECT_EQ(ApplyEncoding(Modifier::kWide, "a"), ApplyEncoding(Modifier::kUtf16Le, "a"));
}

}  // namespace
}  // namespace dv::sigma
