// SPDX-License-Identifier: Apache-2.0
#include "ingest/log_source.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "ingest/log_time.h"
#include "ingest/test_util.h"

namespace dv {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "dv-ingest-XXXXXX").string();
    path_ = ::mkdtemp(pattern.data()) != nullptr ? pattern : "";
  }
  ~TempDir() {
    std::error_code ignored;
    fs::permissions(path_, fs::perms::owner_all, fs::perm_options::add, ignored);
    fs::remove_all(path_, ignored);
  }
  const fs::path& path() const { return path_; }
  void Write(const std::string& relative, const std::string& content) const {
    fs::create_directories((path_ / relative).parent_path());
    std::ofstream(path_ / relative, std::ios::binary) << content;
  }

 private:
  fs::path path_;
};

struct Seen {
  std::vector<std::string> origins;
  std::vector<std::string> first_values;
};

Seen ReadAll(LogSource& source, const std::vector<std::string>& paths, Status* status = nullptr) {
  Seen seen;
  Status result = source.Read(paths, [&](const Event& event) {
    seen.origins.push_back(event.origin);
    seen.first_values.push_back(event.empty() ? "" : event.fields()[0].value);
  });
  if (status != nullptr) *status = result;
  return seen;
}

IngestOptions FixedOptions() {
  IngestOptions options;
  options.reference_time = *ParseLogTime("2026-11-26T12:00:00Z");
  return options;
}

TEST(LogSource, WalksATreeInPathOrderAndReadsGzip) {
  TempDir dir;
  const std::string root = dir.path().string();
  dir.Write("b/syslog.log", "<13>Nov 26 10:00:00 host app: one\n<13>Nov 26 10:00:01 host app: two\n");
  dir.Write("a/deeper/events.jsonl", "{\"n\":\"j1\"}\n\n{\"n\":\"j2\"}\n");
  dir.Write("a/cef.log", "CEF:0|V|P|1|1|n|1|src=1.1.1.1\n");
  dir.Write("c/packed.log.gz", testing::Gzip("{\"n\":\"gz1\"}\nplain words\n"));
  dir.Write("c/unreadable.log", "secret\n");
  fs::create_symlink(dir.path() / "nowhere", dir.path() / "c/dangling.log");
  const bool root_user = ::geteuid() == 0;
  fs::permissions(dir.path() / "c/unreadable.log", fs::perms::none);

  LogSource source(FixedOptions());
  Status status;
  const Seen seen = ReadAll(source, {root}, &status);
  EXPECT_TRUE(status.ok());
  std::vector<std::string> expected = {
      root + "/a/cef.log:1",      root + "/a/deeper/events.jsonl:1", root + "/a/deeper/events.jsonl:3",
      root + "/b/syslog.log:1",   root + "/b/syslog.log:2",          root + "/c/packed.log.gz:1",
      root + "/c/packed.log.gz:2"};
  if (root_user) expected.push_back(root + "/c/unreadable.log:1");  // permissions do not bind root
  EXPECT_EQ(seen.origins, expected);

  const IngestStats& stats = source.stats();
  EXPECT_EQ(stats.events, expected.size());
  EXPECT_EQ(stats.events_by_format[static_cast<std::size_t>(LogFormat::kJsonLines)], 3U);
  EXPECT_EQ(stats.events_by_format[static_cast<std::size_t>(LogFormat::kSyslog3164)], 2U);
  EXPECT_EQ(stats.events_by_format[static_cast<std::size_t>(LogFormat::kCef)], 1U);
  EXPECT_EQ(stats.bad_records(), 0U);
  EXPECT_EQ(stats.files_skipped, root_user ? 1U : 2U);
  EXPECT_EQ(stats.files, root_user ? 5U : 4U);
  ASSERT_FALSE(stats.problems.empty());
  EXPECT_EQ(stats.problems[0].place, root + "/c/dangling.log");
  EXPECT_THAT(stats.problems[0].message, HasSubstr("cannot open"));

  // Determinism: a second run gives the same events in the same order.
  LogSource again(FixedOptions());
  EXPECT_EQ(ReadAll(again, {root}).origins, seen.origins);
}

// What Windows PowerShell 5.1 writes with `Get-WinEvent … | ConvertTo-Json >
// events.json`: a pretty-printed array in UTF-16LE with a byte order mark,
// CRLF line ends. Also gzipped, big-endian, and as UTF-16 JSON lines.
TEST(LogSource, ReadsJsonWrittenInUtf16) {
  const std::string array =
      "[\r\n    {\r\n        \"Id\":  4688,\r\n        \"Message\":  \"En proces er oprettet af Søren\"\r\n"
      "    },\r\n    {\r\n        \"Id\":  4624,\r\n        \"Message\":  \"Login — 🔑\"\r\n    }\r\n]\r\n";
  TempDir dir;
  dir.Write("a-powershell.json", testing::Utf16(array));
  dir.Write("b-powershell.json.gz", testing::Gzip(testing::Utf16(array)));
  dir.Write("c-big-endian.json", testing::Utf16(array, true));
  dir.Write("d-lines.jsonl", testing::Utf16("{\"Id\": 1}\n{\"Id\": 2}\n", false, false));
  LogSource source(FixedOptions());
  std::vector<std::string> messages;
  std::vector<std::string> ids;
  const std::vector<std::string> paths = {dir.path().string()};
  const Status status = source.Read(paths, [&](const Event& event) {
    if (const EventField* id = event.Find("Id")) ids.push_back(id->value);
    if (const EventField* message = event.Find("Message")) messages.push_back(message->value);
  });
  EXPECT_TRUE(status.ok());
  EXPECT_THAT(ids, ElementsAre("4688", "4624", "4688", "4624", "4688", "4624", "1", "2"));
  EXPECT_THAT(messages, ElementsAre("En proces er oprettet af Søren", "Login — 🔑", "En proces er oprettet af Søren",
                                    "Login — 🔑", "En proces er oprettet af Søren", "Login — 🔑"));
  EXPECT_EQ(source.stats().bad_records(), 0U);
}

TEST(LogSource, CountsBadLinesWithTheirPlaceAndReadsOn) {
  TempDir dir;
  const std::string file = (dir.path() / "mixed.log").string();
  dir.Write("mixed.log",
            "{\"ok\":1}\n"
            "{\"truncated\":\n"
            "{\"utf8\":\"\xff\"}\n"
            "<13>1 2026-13-45T00:00:00Z host app - - - bad time\n" +
                std::string(100, 'x') +
                "\n"
                "{\"ok\":2}\n");
  IngestOptions options = FixedOptions();
  options.max_line_bytes = 64;
  options.block_bytes = 16;
  LogSource source(options);
  const Seen seen = ReadAll(source, {file});
  EXPECT_THAT(seen.origins, ElementsAre(file + ":1", file + ":6"));
  const IngestStats& stats = source.stats();
  EXPECT_EQ(stats.bad_by_format[static_cast<std::size_t>(LogFormat::kJsonLines)], 2U);
  EXPECT_EQ(stats.bad_by_format[static_cast<std::size_t>(LogFormat::kSyslog5424)], 1U);
  EXPECT_EQ(stats.lines_too_long, 1U);
  EXPECT_EQ(stats.bad_records(), 4U);
  ASSERT_EQ(stats.problems.size(), 4U);
  EXPECT_EQ(stats.problems[0].place, file + ":2");
  EXPECT_THAT(stats.problems[0].message, HasSubstr("jsonl: "));
  EXPECT_EQ(stats.problems[1].place, file + ":3");
  EXPECT_THAT(stats.problems[1].message, HasSubstr("invalid UTF-8"));
  EXPECT_EQ(stats.problems[2].place, file + ":4");
  EXPECT_THAT(stats.problems[2].message, HasSubstr("syslog5424: RFC 5424 TIMESTAMP"));
  EXPECT_EQ(stats.problems[3].place, file + ":5");
  EXPECT_THAT(stats.problems[3].message, HasSubstr("line longer than 64 bytes"));
}

TEST(LogSource, CountsATooDeepJsonLineAndReadsOn) {
  // Deeper than our limit (64) and than simdjson's own (1024): one bad record, no crash.
  TempDir dir;
  const std::string file = (dir.path() / "deep.jsonl").string();
  const std::string deep_objects = [] {
    std::string line;
    for (int level = 0; level < 5000; ++level) line += "{\"a\":";
    return line + "1" + std::string(5000, '}');
  }();
  dir.Write("deep.jsonl", "{\"ok\":1}\n{\"a\":" + std::string(100000, '[') + std::string(100000, ']') + "}\n" +
                              deep_objects + "\n{\"ok\":2}\n");
  LogSource source(FixedOptions());
  const Seen seen = ReadAll(source, {file});
  EXPECT_THAT(seen.origins, ElementsAre(file + ":1", file + ":4"));
  EXPECT_EQ(source.stats().bad_by_format[static_cast<std::size_t>(LogFormat::kJsonLines)], 2U);
  EXPECT_EQ(source.stats().bad_records(), 2U);
}

TEST(LogSource, KeepsOnlyTheFirstProblemsButCountsAll) {
  TempDir dir;
  std::string content;
  for (int line_idx = 0; line_idx < 10; ++line_idx) content += "{bad\n";
  dir.Write("bad.jsonl", content);
  IngestOptions options = FixedOptions();
  options.max_problems = 3;
  LogSource source(options);
  ReadAll(source, {(dir.path() / "bad.jsonl").string()});
  EXPECT_EQ(source.stats().problem_count, 10U);
  EXPECT_EQ(source.stats().problems.size(), 3U);
}

TEST(LogSource, FailsForAMissingNamedPathAfterReadingTheRest) {
  TempDir dir;
  dir.Write("ok.log", "hello\n");
  LogSource source(FixedOptions());
  Status status;
  const Seen seen = ReadAll(source, {(dir.path() / "missing.log").string(), (dir.path() / "ok.log").string()}, &status);
  EXPECT_EQ(seen.origins.size(), 1U);
  ASSERT_FALSE(status.ok());
  EXPECT_THAT(status.error().message(), HasSubstr("missing.log: no such file or folder"));
}

TEST(LogSource, ReportsProgressUpToTheTotal) {
  TempDir dir;
  std::string content;
  for (int line_idx = 0; line_idx < 1000; ++line_idx) content += "line " + std::to_string(line_idx) + "\n";
  dir.Write("big.log", content);
  IngestOptions options = FixedOptions();
  options.block_bytes = 1024;
  std::vector<std::pair<std::uint64_t, std::uint64_t>> reports;
  options.progress = [&](std::uint64_t done, std::uint64_t total) { reports.emplace_back(done, total); };
  LogSource source(options);
  ReadAll(source, {(dir.path() / "big.log").string()});
  ASSERT_GT(reports.size(), 5U);
  EXPECT_EQ(reports.back(), std::make_pair(std::uint64_t{content.size()}, std::uint64_t{content.size()}));
  for (std::size_t report_idx = 1; report_idx < reports.size(); ++report_idx) {
    EXPECT_LE(reports[report_idx - 1].first, reports[report_idx].first);
  }
  EXPECT_EQ(source.stats().bytes, content.size());
}

TEST(LogSource, ReportsEvtxThatCannotBeRead) {
  TempDir dir;
  dir.Write("broken.evtx", std::string("ElfFile\0", 8) + "short");
  LogSource source(FixedOptions());
  ReadAll(source, {(dir.path() / "broken.evtx").string()});
  EXPECT_EQ(source.stats().bad_by_format[static_cast<std::size_t>(LogFormat::kEvtx)], 1U);
  ASSERT_FALSE(source.stats().problems.empty());
  EXPECT_EQ(source.stats().problems[0].place, (dir.path() / "broken.evtx").string());
}

}  // namespace
}  // namespace dv
