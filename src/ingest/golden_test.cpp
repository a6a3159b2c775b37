// SPDX-License-Identifier: Apache-2.0
// Golden tests: every folder testdata/<case>/ holds one input.<ext> and the
// expected.jsonl that LogSource must produce from it — one JSON object per
// event ({"origin", "time", "fields": [[name, value], …]} with null values as
// JSON null), then one per problem ({"problem", "message"}). Origins and
// places are relative to the case folder. Set DV_UPDATE_GOLDEN=1 to rewrite
// the expected files after an intended change, and review the diff.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/text.h"
#include "ingest/log_source.h"
#include "ingest/log_time.h"

namespace dv {
namespace {

namespace fs = std::filesystem;

std::string Relative(const std::string& text, const std::string& prefix) {
  return text.starts_with(prefix) ? text.substr(prefix.size()) : text;
}

std::string Render(const fs::path& case_dir, const fs::path& input) {
  IngestOptions options;
  options.reference_time = *ParseLogTime("2026-11-26T12:00:00Z");
  options.max_line_bytes = 4096;
  LogSource source(options);
  const std::string prefix = case_dir.string() + "/";
  std::ostringstream out;
  const Status status = source.Read(std::vector<std::string>{input.string()}, [&](const Event& event) {
    out << R"({"origin":")" << JsonEscape(Relative(event.origin, prefix)) << R"(","time":)";
    if (event.time) {
      out << '"' << event.time->ToRfc3339() << '"';
    } else {
      out << "null";
    }
    out << R"(,"fields":[)";
    bool first = true;
    for (const EventField& field : event.fields()) {
      out << (first ? "" : ",") << R"([")" << JsonEscape(field.name) << R"(",)";
      if (field.is_null) {
        out << "null]";
      } else {
        out << '"' << JsonEscape(field.value) << R"("])";
      }
      first = false;
    }
    out << "]}\n";
  });
  EXPECT_TRUE(status.ok()) << (status.ok() ? "" : status.error().message());
  for (const Problem& problem : source.stats().problems) {
    out << R"({"problem":")" << JsonEscape(Relative(problem.place, prefix)) << R"(","message":")"
        << JsonEscape(problem.message) << "\"}\n";
  }
  return out.str();
}

TEST(IngestGolden, EveryCaseMatchesItsExpectedOutput) {
  const fs::path root = DV_INGEST_TESTDATA;
  const bool update = std::getenv("DV_UPDATE_GOLDEN") != nullptr && std::string(std::getenv("DV_UPDATE_GOLDEN")) == "1";
  std::vector<fs::path> cases;
  for (const fs::directory_entry& entry : fs::directory_iterator(root)) {
    if (entry.is_directory()) cases.push_back(entry.path());
  }
  std::sort(cases.begin(), cases.end());
  ASSERT_FALSE(cases.empty()) << "no cases under " << root;
  for (const fs::path& case_dir : cases) {
    SCOPED_TRACE(case_dir.filename().string());
    fs::path input;
    for (const fs::directory_entry& entry : fs::directory_iterator(case_dir)) {
      if (entry.path().stem() == "input") input = entry.path();
    }
    ASSERT_FALSE(input.empty()) << "no input.* in " << case_dir;
    const std::string actual = Render(case_dir, input);
    const fs::path expected_path = case_dir / "expected.jsonl";
    if (update) {
      std::ofstream(expected_path, std::ios::binary) << actual;
      continue;
    }
    std::ifstream expected_file(expected_path, std::ios::binary);
    ASSERT_TRUE(expected_file.good()) << "missing " << expected_path << "; run with DV_UPDATE_GOLDEN=1";
    std::stringstream expected;
    expected << expected_file.rdbuf();
    EXPECT_EQ(actual, expected.str()) << "output differs from " << expected_path
                                      << "; if the change is intended, run with DV_UPDATE_GOLDEN=1 and review";
  }
}

}  // namespace
}  // namespace dv
