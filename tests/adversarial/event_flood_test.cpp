// SPDX-License-Identifier: Apache-2.0
// Events built to make the engine's per-event work quadratic (docs/sigma.md,
// "Evaluation and speed"): whoever writes to a log a member scans or its
// sensor follows can put a JSON array of 200,000 elements in one line (one
// field per element, all of one name), 30,000 case variants of one field
// name, or 30,000 Winlogbeat-style prefixed fields that normalization copies
// under their short names. Each such line must cost time in proportion to
// its size, and the rule that the line also triggers must still fire. The
// real `dannevirke scan` runs under `timeout`: a stall fails the test, no
// timing is asserted.

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>

namespace dv {
namespace {

namespace fs = std::filesystem;

constexpr const char* kFloodRules = R"(title: Mimikatz on the command line
id: flood-r1
logsource: {product: windows, category: process_creation}
detection:
  sel: {CommandLine|contains: 'mimikatz'}
  condition: sel
---
title: Mimikatz keywords
id: flood-r2
logsource: {product: windows}
detection:
  keywords: ['sekurlsa::logonpasswords']
  condition: keywords
)";

// "commandlinexxxxxxx" in the case pattern of the bits of `variant`.
std::string CaseVariant(unsigned variant) {
  std::string name = "commandlinexxxxxxx";
  for (std::size_t pos = 0; pos < name.size(); ++pos) {
    if ((variant >> pos) & 1U) name[pos] = static_cast<char>(name[pos] - 32);
  }
  return name;
}

TEST(EventFlood, HostileFieldLayoutsCostTimeInProportionAndTheRuleStillFires) {
  const fs::path dir = fs::temp_directory_path() / ("dv-event-flood-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::ofstream(dir / "rules.yml") << kFloodRules;
  {
    std::ofstream logs(dir / "flood.jsonl");
    const std::string sysmon = R"("Channel":"Microsoft-Windows-Sysmon/Operational","EventID":1,)";
    // 1. One name, 200,000 times (a JSON array).
    logs << "{" << sysmon << R"("CommandLine":"run mimikatz","a":[)";
    for (int element = 0; element < 200000; ++element) logs << (element == 0 ? "0" : ",0");
    logs << "]}\n";
    // 2. 30,000 case variants of one name, all distinct.
    logs << "{" << sysmon << R"("CommandLine":"run mimikatz")";
    for (unsigned variant = 0; variant < 30000; ++variant) logs << ",\"" << CaseVariant(variant) << "\":1";
    logs << "}\n";
    // 3. 30,000 prefixed fields that normalization copies under short names,
    // and a keyword in the last of them.
    logs << "{" << sysmon << R"("CommandLine":"run mimikatz","winlog":{"event_data":{)";
    for (int field = 0; field < 30000; ++field) logs << "\"f" << field << "\":\"v\",";
    logs << R"("Note":"sekurlsa::logonpasswords"}}})"
         << "\n";
  }
  EXPECT_LT(fs::file_size(dir / "flood.jsonl"), std::size_t{3} << 20);  // each line under the 1 MiB line limit

  const std::string command = "timeout 300 " + std::string(DV_BINARY) + " scan -q --no-cache --no-summary --json -r " +
                              (dir / "rules.yml").string() + " " + (dir / "flood.jsonl").string() + " > " +
                              (dir / "alerts.jsonl").string() + " 2> " + (dir / "stderr.txt").string();
  const int status = std::system(command.c_str());
  ASSERT_TRUE(WIFEXITED(status));
  ASSERT_NE(WEXITSTATUS(status), 124) << "scan stalled on the hostile lines";
  ASSERT_EQ(WEXITSTATUS(status), 0);

  std::set<std::pair<std::string, std::string>> seen;  // rule id, origin
  std::ifstream alerts(dir / "alerts.jsonl");
  for (std::string line; std::getline(alerts, line);) {
    const auto alert = nlohmann::json::parse(line);
    seen.emplace(alert["rule_id"].get<std::string>(), fs::path(alert["origin"].get<std::string>()).filename());
  }
  const std::set<std::pair<std::string, std::string>> expected = {{"flood-r1", "flood.jsonl:1"},
                                                                  {"flood-r1", "flood.jsonl:2"},
                                                                  {"flood-r1", "flood.jsonl:3"},
                                                                  {"flood-r2", "flood.jsonl:3"}};
  EXPECT_EQ(seen, expected);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace dv
