// SPDX-License-Identifier: Apache-2.0
#include "core/text.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

namespace dv {
namespace {

TEST(FoldForSearch, LowerCasesDanishLetters) {
  EXPECT_EQ(FoldForSearch("ÆRØ"), "ærø");
  EXPECT_EQ(FoldForSearch("Aabenraa ÅRHUS"), "aabenraa århus");
  EXPECT_EQ(FoldForSearch("×"), "×");
  EXPECT_EQ(FoldForSearch("\xC3"), "\xC3");  // truncated UTF-8 passes through
}

// Long ASCII runs are folded eight bytes at a time; the answer must be the
// same as folding each piece on its own (pieces under eight bytes take the
// byte-by-byte path), for every ASCII byte and mixed with other scripts.
TEST(FoldCase, FoldsLongRunsAsShortPieces) {
  std::mt19937 rng(5);
  const std::vector<std::string> others = {"Æ", "ø", "Å", "Ł", "Ω", "Я", "中", "\xff", "İ"};
  for (int round = 0; round < 2000; ++round) {
    std::string text;
    std::string expected;
    const int pieces = static_cast<int>(rng() % 12);
    for (int piece_idx = 0; piece_idx < pieces; ++piece_idx) {
      std::string piece;
      if (rng() % 4 == 0) {
        piece = others[rng() % others.size()];
      } else {
        const auto length = rng() % 7;
        for (std::size_t byte_idx = 0; byte_idx < length; ++byte_idx) piece += static_cast<char>(rng() % 128);
      }
      text += piece;
      expected += FoldCase(piece);
    }
    ASSERT_EQ(FoldCase(text), expected) << "round " << round;
  }
  std::string all_ascii;
  for (int byte = 0; byte < 128; ++byte) all_ascii += static_cast<char>(byte);
  std::string lowered = all_ascii;
  for (char& c : lowered) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
  EXPECT_EQ(FoldCase(all_ascii), lowered);
  EXPECT_EQ(FoldCase("C:\\WINDOWS\\SYSTEM32\\CMD.EXE /C WHOAMI @[`{"), "c:\\windows\\system32\\cmd.exe /c whoami @[`{");
}

TEST(FoldCase, FoldsAcrossScripts) {
  EXPECT_EQ(FoldCase("CMD.EXE /C"), "cmd.exe /c");
  EXPECT_EQ(FoldCase("ÆØÅ Ærø"), "æøå ærø");
  EXPECT_EQ(FoldCase("ŁÓDŹ"), "łódź");
  EXPECT_EQ(FoldCase("ΑΘΗΝΑ"), "αθηνα");
  EXPECT_EQ(FoldCase("МОСКВА"), "москва");
  EXPECT_EQ(FoldCase("İ"), "i");
  EXPECT_EQ(FoldCase("\xff\xfe"), "\xff\xfe");
  EXPECT_EQ(FoldCase("中文"), "中文");
}

TEST(Text, XmlEscapeLineOfOffsetAndDigits) {
  EXPECT_EQ(XmlEscape("a<b & \"c\" 'd'>"), "a&lt;b &amp; &quot;c&quot; &#39;d&#39;&gt;");
  EXPECT_EQ(LineOfOffset("a\nb\nc", 0), 1U);
  EXPECT_EQ(LineOfOffset("a\nb\nc", 4), 3U);
  EXPECT_EQ(LineOfOffset("a", 99), 1U);
  EXPECT_EQ(ReadDigits("x2026", 1, 4), 2026);
  EXPECT_EQ(ReadDigits("20x6", 0, 4), -1);
  EXPECT_EQ(ReadDigits("20", 0, 4), -1);
}

TEST(JsonEscape, EscapesQuotesAndControls) {
  EXPECT_EQ(JsonEscape("a\"b\\c\n\x01"), "a\\\"b\\\\c\\n\\u0001");
  EXPECT_EQ(JsonEscape("København"), "København");
}

// The golden for the one escaper is nlohmann::json::dump itself: every ASCII
// byte alone and inside text, and UTF-8 of two, three and four bytes.
TEST(JsonEscape, EqualsNlohmannDumpForEveryAsciiByteAndUtf8) {
  auto dumped = [](const std::string& text) { return nlohmann::json(text).dump(); };
  auto quoted = [](const std::string& text) {
    std::string out;
    AppendJsonString(out, text);
    return out;
  };
  for (int byte = 0x00; byte <= 0x7f; ++byte) {
    const std::string alone(1, static_cast<char>(byte));
    EXPECT_EQ(quoted(alone), dumped(alone)) << "byte " << byte;
    const std::string inside = "a" + alone + "b";
    EXPECT_EQ(quoted(inside), dumped(inside)) << "byte " << byte;
    EXPECT_EQ("\"" + JsonEscape(inside) + "\"", dumped(inside)) << "byte " << byte;
  }
  for (const std::string text :
       {"København", "Æblegrød på Ærø", "€ 100", "中文", "😀 emoji", "\u00e6\n\u4e2d\x7f", "\xc3\xa6\x08\x0c\x1f\"\\"}) {
    EXPECT_EQ(quoted(text), dumped(text)) << text;
  }
  std::string appended = "x";
  AppendJsonEscaped(appended, "\b\f");
  EXPECT_EQ(appended, "x\\b\\f");
}

}  // namespace
}  // namespace dv
