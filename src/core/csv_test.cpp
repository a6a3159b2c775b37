// SPDX-License-Identifier: Apache-2.0
#include "core/csv.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace dv {
namespace {

// One entry per Next(): "line: a|b|c" for a record, "line! reason" for an error.
std::vector<std::string> ReadAll(std::string_view text, CsvLimits limits = {}) {
  CsvReader reader(text, limits);
  std::vector<std::string> out;
  for (;;) {
    const auto status = reader.Next();
    if (status == CsvReader::Status::kEnd) break;
    std::string entry = std::to_string(reader.line());
    if (status == CsvReader::Status::kError) {
      out.push_back(entry + "! " + reader.error());
      continue;
    }
    entry += ": ";
    for (std::size_t idx = 0; idx < reader.fields().size(); ++idx) {
      if (idx > 0) entry += '|';
      entry += reader.fields()[idx];
    }
    out.push_back(entry);
  }
  return out;
}

using Lines = std::vector<std::string>;

TEST(CsvReader, ReadsPlainRecordsWithLfAndCrlf) {
  EXPECT_EQ(ReadAll("a,b,c\n1,2,3\n"), (Lines{"1: a|b|c", "2: 1|2|3"}));
  EXPECT_EQ(ReadAll("a,b\r\n1,2\r\n"), (Lines{"1: a|b", "2: 1|2"}));
  EXPECT_EQ(ReadAll("a,b\r\n1,2"), (Lines{"1: a|b", "2: 1|2"}));
  EXPECT_EQ(ReadAll("a,b\r\n1,2\r"), (Lines{"1: a|b", "2: 1|2"}));
  EXPECT_EQ(ReadAll(""), Lines{});
}

TEST(CsvReader, KeepsEmptyFieldsAndSkipsEmptyLines) {
  EXPECT_EQ(ReadAll("a,,c,\n\n\r\n,\n"), (Lines{"1: a||c|", "4: |"}));
}

TEST(CsvReader, SkipsAByteOrderMark) {
  EXPECT_EQ(ReadAll("\xEF\xBB\xBFip\n192.0.2.1\n"), (Lines{"1: ip", "2: 192.0.2.1"}));
}

TEST(CsvReader, UnquotesDoubledQuotesCommasAndLineBreaks) {
  EXPECT_EQ(ReadAll("\"a,b\",\"say \"\"hi\"\"\",\"\"\n"), (Lines{"1: a,b|say \"hi\"|"}));
  // A record spanning lines is reported at its first line; the next one's line is right.
  EXPECT_EQ(ReadAll("\"one\ntwo\",x\r\ny,z\n"), (Lines{"1: one\ntwo|x", "3: y|z"}));
  EXPECT_EQ(ReadAll("\"\"\"\"\n"), (Lines{"1: \""}));
}

TEST(CsvReader, ACrInsideAFieldIsData) { EXPECT_EQ(ReadAll("a\rb,c\n"), (Lines{"1: a\rb|c"})); }

TEST(CsvReader, RefusesStrayQuotesAndGoesOn) {
  EXPECT_EQ(ReadAll("a,b\nx\"y,z\nc,d\n"), (Lines{"1: a|b", "2! quote inside an unquoted field", "3: c|d"}));
  EXPECT_EQ(ReadAll("\"ab\"c,d\ne,f\n"), (Lines{"1! unexpected character after a closing quote", "2: e|f"}));
}

TEST(CsvReader, AQuoteThatNeverClosesCostsOneRecord) {
  EXPECT_EQ(ReadAll("a,b\n\"open,x\nc,d\ne,f\n"),
            (Lines{"1: a|b", "2! quoted field opened on line 2 never closes", "3: c|d", "4: e|f"}));
}

TEST(CsvReader, LimitsRecordLengthAndFieldCount) {
  CsvLimits limits;
  limits.max_record_bytes = 8;
  EXPECT_EQ(ReadAll("12345678\n123456789\nok\n", limits),
            (Lines{"1: 12345678", "2! record longer than 8 bytes", "3: ok"}));
  EXPECT_EQ(ReadAll("\"1234\n5678\"\nok\n", limits),
            (Lines{"1! record longer than 8 bytes", "2! quote inside an unquoted field", "3: ok"}))
      << "a runaway quote is dropped and the lines after it are read anew";
  limits = CsvLimits{};
  limits.max_fields = 3;
  EXPECT_EQ(ReadAll("a,b,c\na,b,c,d\ne\n", limits), (Lines{"1: a|b|c", "2! more than 3 fields", "3: e"}));
}

TEST(CsvReader, NamesTheFieldOfAnError) {
  CsvReader reader("a,b,x\"y\n");
  ASSERT_EQ(reader.Next(), CsvReader::Status::kError);
  EXPECT_EQ(reader.error_field(), 2U);
}

TEST(CsvReader, IsLinearOnManyRunawayQuotes) {
  // Every line opens a quote that closes on the next line and is followed
  // by junk: each record fails, none rescans the whole text.
  std::string text;
  for (int idx = 0; idx < 20000; ++idx) text += "\"a\nb\"c\n";
  CsvReader reader(text);
  std::size_t errors = 0;
  for (auto status = reader.Next(); status != CsvReader::Status::kEnd; status = reader.Next()) {
    errors += status == CsvReader::Status::kError;
  }
  EXPECT_EQ(errors, 20000U);
}

}  // namespace
}  // namespace dv
