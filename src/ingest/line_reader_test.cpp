// SPDX-License-Identifier: Apache-2.0
#include "ingest/line_reader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstring>

#include "ingest/test_util.h"

namespace dv {
namespace {

using testing::Gzip;
using testing::StringSource;
using testing::Utf16;

struct Line {
  std::string text;
  std::uint64_t number;
  bool too_long;
  bool operator==(const Line&) const = default;
};

std::vector<Line> ReadLines(ByteSource& source, std::size_t max_line, std::size_t block) {
  LineReader reader(source, max_line, block);
  std::vector<Line> lines;
  std::string_view line;
  while (true) {
    auto outcome = reader.Next(line);
    EXPECT_TRUE(outcome.ok());
    if (!outcome.ok() || *outcome == LineReader::Outcome::kEnd) break;
    const bool too_long = *outcome == LineReader::Outcome::kTooLong;
    lines.push_back({too_long ? "" : std::string(line), reader.line_number(), too_long});
  }
  return lines;
}

TEST(LineReader, SplitsLinesAcrossBlocks) {
  for (std::size_t block : {1U, 2U, 3U, 7U, 64U}) {
    StringSource source("one\r\ntwo\n\nthree", 5);
    EXPECT_THAT(ReadLines(source, 16, block), ::testing::ElementsAre(Line{"one", 1, false}, Line{"two", 2, false},
                                                                     Line{"", 3, false}, Line{"three", 4, false}))
        << "block " << block;
  }
}

TEST(LineReader, SkipsOverlongLinesAndCarriesOn) {
  for (std::size_t block : {1U, 4U, 100U}) {
    StringSource source("short\n" + std::string(50, 'x') + "\nabcdefgh\nabcdefghi\nend", 3);
    EXPECT_THAT(ReadLines(source, 8, block),
                ::testing::ElementsAre(Line{"short", 1, false}, Line{"", 2, true}, Line{"abcdefgh", 3, false},
                                       Line{"", 4, true}, Line{"end", 5, false}))
        << "block " << block;
  }
  StringSource tail("ok\n" + std::string(50, 'y'), 7);
  EXPECT_THAT(ReadLines(tail, 8, 4), ::testing::ElementsAre(Line{"ok", 1, false}, Line{"", 2, true}));
}

std::string ReadAllBytes(ByteSource& source) {
  std::string out;
  char buffer[5];  // small reads, so that decoded characters span them
  while (true) {
    auto got = source.Read(buffer, sizeof(buffer));
    if (!got.ok() || *got == 0) break;
    out.append(buffer, *got);
  }
  return out;
}

// Each case is decoded with the input handed out 1, 2, 3 and 4096 bytes at
// a time, so surrogate pairs and odd bytes fall across reads.
TEST(Utf16Source, DecodesBothByteOrdersWhateverTheReadSizes) {
  const std::string text = "{\"Message\":\"Ændret adgangskode for bruger Søren — 🔑 ok\"}\r\n{\"Id\":4688}\r\n";
  for (const bool big_endian : {false, true}) {
    for (const bool bom : {true, false}) {
      for (const std::size_t chunk : {1, 2, 3, 4096}) {
        Utf16Source source(std::make_unique<StringSource>(Utf16(text, big_endian, bom), chunk), big_endian);
        EXPECT_EQ(ReadAllBytes(source), text) << "big endian " << big_endian << ", bom " << bom << ", chunk " << chunk;
      }
    }
  }
}

TEST(Utf16Source, BadCodeUnitsBecomeReplacementCharactersAndTheRestIsRead) {
  // A lone high surrogate, a lone low surrogate, a high surrogate followed
  // by an ordinary character, then an odd last byte.
  const std::string bad = std::string("a\0", 2) + std::string("\x00\xD8", 2) + std::string("b\0", 2) +
                          std::string("\x00\xDC", 2) + std::string("c\0", 2) + std::string("\x00\xD8", 2) +
                          std::string("d\0", 2) + std::string("\n\0", 2) + std::string("e\0", 2) + "x";
  for (const std::size_t chunk : {1, 3, 4096}) {
    Utf16Source source(std::make_unique<StringSource>(bad, chunk), false);
    EXPECT_EQ(ReadAllBytes(source), "a\uFFFDb\uFFFDc\uFFFDd\ne\uFFFD") << "chunk " << chunk;
  }
}

TEST(GzipSource, DecompressesConcatenatedMembers) {
  auto inner = std::make_unique<StringSource>(Gzip("a\nb\n") + Gzip("c\n"), 3);
  GzipSource gzip(std::move(inner), "x.gz");
  EXPECT_THAT(ReadLines(gzip, 16, 2),
              ::testing::ElementsAre(Line{"a", 1, false}, Line{"b", 2, false}, Line{"c", 3, false}));
}

TEST(GzipSource, ReportsTruncatedAndCorruptData) {
  const std::string packed = Gzip(std::string(10000, 'z'));
  GzipSource truncated(std::make_unique<StringSource>(packed.substr(0, packed.size() / 2), 64), "t.gz");
  std::string buffer(100000, '\0');
  Result<std::size_t> got = std::size_t{1};
  while (got.ok() && *got > 0) got = truncated.Read(buffer.data(), buffer.size());
  ASSERT_FALSE(got.ok());
  EXPECT_THAT(got.error().message(), ::testing::HasSubstr("t.gz: gzip data is truncated"));

  std::string corrupt = packed;
  corrupt[12] = static_cast<char>(corrupt[12] ^ 0x55);
  corrupt[13] = static_cast<char>(corrupt[13] ^ 0x55);
  GzipSource bad(std::make_unique<StringSource>(corrupt, 64), "c.gz");
  got = std::size_t{1};
  while (got.ok() && *got > 0) got = bad.Read(buffer.data(), buffer.size());
  ASSERT_FALSE(got.ok());
  EXPECT_THAT(got.error().message(), ::testing::HasSubstr("c.gz: "));
}

TEST(FdSource, ReportsAMissingFile) {
  auto opened = FdSource::Open("/nonexistent/dannevirke/file.log");
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error().kind(), ErrorKind::kNotFound);
  EXPECT_THAT(opened.error().message(), ::testing::HasSubstr("/nonexistent/dannevirke/file.log: cannot open"));
}

}  // namespace
}  // namespace dv
