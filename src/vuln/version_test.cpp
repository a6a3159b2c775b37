// SPDX-License-Identifier: Apache-2.0
#include "vuln/version.h"

#include <gtest/gtest.h>

#include <vector>

namespace dv::vuln {
namespace {

// Each list is in ascending order; neighbours compare as < (or == when marked).
void ExpectAscending(const std::vector<std::string_view>& versions, VersionScheme scheme) {
  for (std::size_t idx = 0; idx + 1 < versions.size(); ++idx) {
    EXPECT_LT(CompareVersions(versions[idx], versions[idx + 1], scheme), 0)
        << versions[idx] << " < " << versions[idx + 1] << " (" << VersionSchemeName(scheme) << ")";
    EXPECT_GT(CompareVersions(versions[idx + 1], versions[idx], scheme), 0)
        << versions[idx + 1] << " > " << versions[idx] << " (" << VersionSchemeName(scheme) << ")";
  }
}

TEST(Version, GenericDottedNumerics) {
  ExpectAscending({"0.9", "1.0rc1", "1.0", "1.0.1", "1.2", "1.10", "4.60", "4.73", "5.35", "5.36", "10.0"},
                  VersionScheme::kGeneric);
  EXPECT_EQ(CompareVersions("1.0", "1.0.0"), 0);
  EXPECT_EQ(CompareVersions("v2.4.1", "2.4.1"), 0);
  EXPECT_EQ(CompareVersions("01.002", "1.2"), 0);
  ExpectAscending({"1.0-alpha", "1.0-beta", "1.0-rc1", "1.0", "1.0-patch1"}, VersionScheme::kGeneric);
  ExpectAscending({"2023.1", "2023.10", "99999999999999999999.1", "199999999999999999999"}, VersionScheme::kGeneric);
}

TEST(Version, Semver) {
  ExpectAscending({"1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11",
                   "1.0.0-rc.1", "1.0.0", "1.0.1", "1.1.0", "2.0.0"},
                  VersionScheme::kSemver);
  EXPECT_EQ(CompareVersions("1.0.0+build.1", "1.0.0+build.2", VersionScheme::kSemver), 0);
}

TEST(Version, Rpm) {
  ExpectAscending({"1.0~rc1-1", "1.0-1", "1.0-2", "1.0^git1-1", "1.0.1-1", "1:0.1-1"}, VersionScheme::kRpm);
  ExpectAscending({"1.0.2k-16.el7", "1.0.2k-16.el7_6.1", "1.0.2k-19.el7"}, VersionScheme::kRpm);
  EXPECT_EQ(CompareVersions("0:1.2-3", "1.2-3", VersionScheme::kRpm), 0);
  EXPECT_EQ(CompareVersions("1.2", "1.2-3", VersionScheme::kRpm), 0);  // no release matches any release
  EXPECT_GT(CompareVersions("1.0a", "1.0", VersionScheme::kRpm), 0);
  EXPECT_GT(CompareVersions("1.1", "1.a", VersionScheme::kRpm), 0);
}

TEST(Version, Debian) {
  ExpectAscending(
      {"1.0~~", "1.0~~a", "1.0~", "1.0", "1.0-1", "1.0-1+deb12u1", "1.0-2", "1.0a", "1.0+b1", "1.1", "1:0.9"},
      VersionScheme::kDebian);
  ExpectAscending({"3.0.11-1~deb12u1", "3.0.11-1~deb12u2", "3.0.11-1"}, VersionScheme::kDebian);
  EXPECT_EQ(CompareVersions("0:2.36-9", "2.36-9", VersionScheme::kDebian), 0);
}

TEST(Version, VendorSuffixes) {
  struct Case {
    std::string_view text;
    std::string_view version;
    std::string_view update;
  };
  for (const Case& c :
       {Case{"5.36 Patch 1", "5.36", "patch1"}, Case{"5.36 patch1", "5.36", "patch1"},
        Case{"V5.36(ABPS.1)", "5.36", "patch1"}, Case{"V4.73(AAAB.0)", "4.73", ""}, Case{"2.4 SP2", "2.4", "sp2"},
        Case{"1.2.3", "1.2.3", ""}, Case{"4.73-patch2", "4.73", "patch2"}, Case{"patch 1", "patch 1", ""}}) {
    const VendorVersion split = SplitVendorVersion(c.text);
    EXPECT_EQ(split.version, c.version) << c.text;
    EXPECT_EQ(split.update, c.update) << c.text;
  }
}

TEST(Version, Ranges) {
  const VersionRange nvd{"4.60", true, "5.36", false, VersionScheme::kGeneric};
  EXPECT_TRUE(nvd.Contains("4.60"));
  EXPECT_TRUE(nvd.Contains("5.35"));
  EXPECT_FALSE(nvd.Contains("5.36"));
  EXPECT_FALSE(nvd.Contains("4.50"));
  EXPECT_EQ(nvd.ToString(), ">= 4.60, < 5.36");
  const VersionRange exclusive{"1.0", false, "2.0", true, VersionScheme::kGeneric};
  EXPECT_FALSE(exclusive.Contains("1.0"));
  EXPECT_TRUE(exclusive.Contains("2.0"));
  EXPECT_TRUE(VersionRange{}.Contains("anything"));
}

TEST(Version, FreeTextRanges) {
  struct Case {
    std::string_view text;
    std::string_view expected;  // ToString(), or "" for not parsed
  };
  for (const Case& c : {Case{"4.60 through 5.35", ">= 4.60, <= 5.35"}, Case{"4.60 to 5.35", ">= 4.60, <= 5.35"},
                        Case{"< 2.3.1", "< 2.3.1"}, Case{"<=2.3.1", "<= 2.3.1"}, Case{"before 7.0", "< 7.0"},
                        Case{"prior to 7.0", "< 7.0"}, Case{"7.0 and earlier", "<= 7.0"},
                        Case{"versions 3.2 and later", ">= 3.2"}, Case{"all versions", "all versions"},
                        Case{"5.0.1", "= 5.0.1"}, Case{"vers:generic/>=4.60|<5.36", ">= 4.60, < 5.36"},
                        Case{"vers:deb/1.2-3", "= 1.2-3"}, Case{"unspecified", ""}, Case{"see advisory", ""},
                        Case{"4.60 through 5.35 except 5.10", ""}, Case{"vers:generic/>=1|>=2", ""}}) {
    const auto range = ParseFreeTextRange(c.text);
    if (c.expected.empty()) {
      EXPECT_FALSE(range.has_value()) << c.text << " → " << (range ? range->ToString() : "");
    } else {
      ASSERT_TRUE(range.has_value()) << c.text;
      EXPECT_EQ(range->ToString(), c.expected) << c.text;
    }
  }
  EXPECT_EQ(ParseFreeTextRange("vers:deb/1.2-3")->scheme, VersionScheme::kDebian);
}

}  // namespace
}  // namespace dv::vuln
