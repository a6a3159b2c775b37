// SPDX-License-Identifier: Apache-2.0
#include "sigma/value_matcher.h"

#include <gtest/gtest.h>

#include "core/text.h"

namespace dv::sigma {
namespace {

bool Match(const ValueMatcher& matcher, std::string_view value) { return matcher.Matches(value, FoldCase(value)); }

bool Sigma(std::string_view pattern, std::string_view value, StringMode mode = StringMode::kExact, bool cased = false) {
  return Match(*MakeStringMatcher(ParseSigmaWildcards(pattern), mode, cased), value);
}

TEST(Wildcards, EscapingFollowsTheSpecification) {
  // A plain backslash, single or doubled.
  EXPECT_TRUE(Sigma(R"(C:\Windows\)", R"(C:\Windows\)"));
  EXPECT_TRUE(Sigma(R"(C:\\Windows)", R"(C:\Windows)"));
  // Escaped wildcards are literal.
  EXPECT_TRUE(Sigma(R"(a\*b)", "a*b"));
  EXPECT_FALSE(Sigma(R"(a\*b)", "axxb"));
  EXPECT_TRUE(Sigma(R"(a\?)", "a?"));
  EXPECT_FALSE(Sigma(R"(a\?)", "ab"));
  // A backslash before a wildcard: "\\*" is a backslash then a wildcard.
  EXPECT_TRUE(Sigma(R"(dir\\*)", R"(dir\anything)"));
  // "\\\*" is a backslash then a literal star.
  EXPECT_TRUE(Sigma(R"(dir\\\*)", R"(dir\*)"));
  EXPECT_FALSE(Sigma(R"(dir\\\*)", R"(dir\x)"));
  // Three or four backslashes are a double backslash.
  EXPECT_TRUE(Sigma(R"(\\\\server)", R"(\\server)"));
}

TEST(Wildcards, StarAndQuestionMark) {
  EXPECT_TRUE(Sigma("prog?.exe", "progA.exe"));
  EXPECT_FALSE(Sigma("prog?.exe", "prog.exe"));
  EXPECT_TRUE(Sigma("prog?.exe", "progæ.exe"));  // one character, not one byte
  EXPECT_TRUE(Sigma("antivirus_V*.exe", "antivirus_V21.2.1.exe"));
  EXPECT_TRUE(Sigma("*\\cmd.exe", "C:\\Windows\\System32\\CMD.EXE"));
  EXPECT_TRUE(Sigma("a*b*c", "aXXbYYbZZc"));
  EXPECT_FALSE(Sigma("a*b*c", "aXXcYYb"));
  EXPECT_TRUE(Sigma("*", ""));
  EXPECT_TRUE(Sigma("", ""));
  EXPECT_FALSE(Sigma("", "x"));
}

TEST(Wildcards, ModesAndCase) {
  EXPECT_TRUE(Sigma("whoami", "cmd /c WHOAMI /all", StringMode::kContains));
  EXPECT_FALSE(Sigma("whoami", "cmd /c WHOAMI /all", StringMode::kContains, true));
  EXPECT_TRUE(Sigma("\\powershell.exe", "C:\\x\\PowerShell.EXE", StringMode::kEndsWith));
  EXPECT_TRUE(Sigma("C:\\Users\\", "c:\\users\\bob", StringMode::kStartsWith));
  EXPECT_TRUE(Sigma("ÆRØ", "ærø kommune", StringMode::kStartsWith));
  EXPECT_TRUE(Sigma("a*c", "xxabcxx", StringMode::kContains));
}

TEST(Wildcards, ReduceToLiteralsForPrefiltering) {
  EXPECT_EQ(MakeStringMatcher(ParseSigmaWildcards("WhoAmI"), StringMode::kContains, false)->RequiredLiteral(),
            "whoami");
  EXPECT_EQ(MakeStringMatcher(ParseSigmaWildcards("*\\a*longer*"), StringMode::kExact, false)->RequiredLiteral(),
            "longer");
}

TEST(Windash, AnyDashMatchesAnyDashWithoutPermutations) {
  auto matcher = MakeWindashMatcher(ParseSigmaWildcards(" -exec bypass -nop"), StringMode::kContains, false);
  ASSERT_TRUE(matcher.ok());
  EXPECT_TRUE(Match(**matcher, "powershell -exec bypass -nop"));
  EXPECT_TRUE(Match(**matcher, "powershell /exec bypass \u2013nop"));
  EXPECT_TRUE(Match(**matcher, "powershell \u2014EXEC bypass \u2015nop"));
  EXPECT_FALSE(Match(**matcher, "powershell +exec bypass -nop"));
  auto exact = MakeWindashMatcher(ParseSigmaWildcards("-a.b"), StringMode::kExact, false);
  EXPECT_FALSE(Match(**exact, "-axb"));  // '.' is literal
}

TEST(Regex, FlagsAndErrors) {
  auto plain = MakeRegexMatcher("^cmd\\.exe$", false, false, false);
  ASSERT_TRUE(plain.ok());
  EXPECT_TRUE(Match(**plain, "cmd.exe"));
  EXPECT_FALSE(Match(**plain, "CMD.EXE"));  // case-sensitive by default
  auto insensitive = MakeRegexMatcher("^cmd\\.exe$", true, false, false);
  EXPECT_TRUE(Match(**insensitive, "CMD.EXE"));
  auto multi = MakeRegexMatcher("^b$", false, true, false);
  EXPECT_TRUE(Match(**multi, "a\nb\nc"));
  auto dotall = MakeRegexMatcher("a.b", false, false, true);
  EXPECT_TRUE(Match(**dotall, "a\nb"));
  EXPECT_FALSE(Match(**MakeRegexMatcher("a.b", false, false, false), "a\nb"));
  auto bad = MakeRegexMatcher("a(b", false, false, false);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message().find("offset 3"), std::string::npos) << bad.error().message();
  EXPECT_TRUE(Match(**plain, std::string_view("\xff\xfe", 2)) == false);  // invalid UTF-8 does not crash
}

TEST(Numbers, CompareTypeRobustly) {
  EXPECT_TRUE(Match(*MakeNumberMatcher(CompareOp::kEq, 4688), "4688"));
  EXPECT_TRUE(Match(*MakeNumberMatcher(CompareOp::kEq, 4688), "0x1250"));
  EXPECT_TRUE(Match(*MakeNumberMatcher(CompareOp::kGt, 10), "10.5"));
  EXPECT_FALSE(Match(*MakeNumberMatcher(CompareOp::kGt, 10), "ten"));
  EXPECT_TRUE(Match(*MakeNumberMatcher(CompareOp::kLte, 10), " 10 "));
}

TEST(Cidr, Ipv4AndIpv6) {
  auto v4 = MakeCidrMatcher("10.0.0.0/8");
  ASSERT_TRUE(v4.ok());
  EXPECT_TRUE(Match(**v4, "10.255.1.2"));
  EXPECT_FALSE(Match(**v4, "11.0.0.1"));
  EXPECT_TRUE(Match(**v4, "::ffff:10.1.2.3"));
  EXPECT_FALSE(Match(**v4, "not an ip"));
  auto v6 = MakeCidrMatcher("fe80::/10");
  EXPECT_TRUE(Match(**v6, "fe80::1%eth0"));
  EXPECT_TRUE(Match(**v6, "[febf::1]"));
  EXPECT_FALSE(Match(**v6, "fec0::1"));
  EXPECT_TRUE(Match(**MakeCidrMatcher("192.168.1.7"), "192.168.1.7"));
  EXPECT_TRUE(Match(**MakeCidrMatcher("0.0.0.0/0"), "8.8.8.8"));
  EXPECT_FALSE(MakeCidrMatcher("10.0.0.0/33").ok());
  EXPECT_FALSE(MakeCidrMatcher("10.0.0/8").ok());
}

TEST(DateParts, ExtractAndCompare) {
  EXPECT_TRUE(Match(*MakeDatePartMatcher(DatePart::kHour, CompareOp::kEq, 23), "2026-11-26T23:24:05.123Z"));
  EXPECT_TRUE(Match(*MakeDatePartMatcher(DatePart::kHour, CompareOp::kGte, 18), "2026-11-26 19:00:00"));
  EXPECT_TRUE(Match(*MakeDatePartMatcher(DatePart::kMonth, CompareOp::kEq, 11), "2026-11-26T23:24:05Z"));
  EXPECT_TRUE(Match(*MakeDatePartMatcher(DatePart::kYear, CompareOp::kEq, 2026), "2026-11-26T23:24:05Z"));
  EXPECT_TRUE(Match(*MakeDatePartMatcher(DatePart::kDay, CompareOp::kEq, 26), "2026-11-26T23:24:05Z"));
  EXPECT_TRUE(Match(*MakeDatePartMatcher(DatePart::kMinute, CompareOp::kEq, 24), "2026-11-26T23:24:05Z"));
  EXPECT_TRUE(Match(*MakeDatePartMatcher(DatePart::kWeek, CompareOp::kEq, 48), "2026-11-26T23:24:05Z"));
  EXPECT_TRUE(Match(*MakeDatePartMatcher(DatePart::kWeek, CompareOp::kEq, 53), "2026-12-31T12:00:00Z"));
  EXPECT_TRUE(Match(*MakeDatePartMatcher(DatePart::kWeek, CompareOp::kEq, 1), "2024-12-30T12:00:00Z"));
  EXPECT_FALSE(Match(*MakeDatePartMatcher(DatePart::kHour, CompareOp::kEq, 23), "yesterday"));
}

}  // namespace
}  // namespace dv::sigma
