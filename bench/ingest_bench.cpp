// SPDX-License-Identifier: Apache-2.0
// Ingest benchmark: generates a deterministic corpus (fixed seed) in a temp
// folder — Winlogbeat-style JSON lines with Sysmon and Security events, BSD
// and RFC 5424 syslog, CEF — then reads each file with LogSource and prints
// events/s, MB/s and peak resident memory (VmHWM, reset before each format
// through /proc/self/clear_refs). As peer figures on the same JSON file it
// times simdjson's DOM parser alone (parse and walk, no Event) and, when jq is
// installed, `jq -c . FILE > /dev/null`.
//
// Usage: dv_ingest_bench [JSON_MB (default 200)] [OTHER_MB (default 50)]

#include <simdjson.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "corpus/rng.h"
#include "ingest/log_source.h"

namespace {

namespace fs = std::filesystem;

using dv::bench::Rng;

constexpr const char* kHosts[] = {"WS-0751-17", "WS-0751-230", "SRV-KMD-3",  "DC01",       "DC02",
                                  "WS-0101-4",  "SRV-FIL-01",  "WS-0461-88", "SRV-SQL-02", "WS-0851-12"};
constexpr const char* kUsers[] = {"jens", "mette", "anders", "sofie", "svc_backup", "SYSTEM", "lars", "karen"};
constexpr const char* kImages[] = {"C:\\\\Windows\\\\System32\\\\svchost.exe",
                                   "C:\\\\Windows\\\\System32\\\\cmd.exe",
                                   "C:\\\\Windows\\\\System32\\\\WindowsPowerShell\\\\v1.0\\\\powershell.exe",
                                   "C:\\\\Program Files\\\\Google\\\\Chrome\\\\Application\\\\chrome.exe",
                                   "C:\\\\Program Files\\\\Microsoft Office\\\\root\\\\Office16\\\\OUTLOOK.EXE",
                                   "C:\\\\Windows\\\\explorer.exe",
                                   "C:\\\\Windows\\\\System32\\\\rundll32.exe",
                                   "C:\\\\Windows\\\\System32\\\\conhost.exe"};
constexpr const char* kCommandLines[] = {
    "C:\\\\Windows\\\\system32\\\\svchost.exe -k netsvcs -p -s Schedule",
    "\\\"C:\\\\Program Files\\\\Google\\\\Chrome\\\\Application\\\\chrome.exe\\\" --type=renderer --lang=da",
    "powershell.exe -NoProfile -ExecutionPolicy Bypass -File C:\\\\ProgramData\\\\scripts\\\\inventory.ps1",
    "cmd.exe /c whoami /all",
    "rundll32.exe C:\\\\Windows\\\\system32\\\\shell32.dll,Control_RunDLL",
    "\\\"C:\\\\Windows\\\\system32\\\\conhost.exe\\\" 0xffffffff -ForceV1"};

std::string Hex(Rng& rng, int digits) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string out;
  for (int digit_idx = 0; digit_idx < digits; ++digit_idx) out.push_back(kDigits[rng.Below(16)]);
  return out;
}

std::string Stamp(std::uint64_t second, std::uint64_t millis) {
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "2026-11-%02llu %02llu:%02llu:%02llu.%03llu",
                static_cast<unsigned long long>(1 + second / 86400 % 28),
                static_cast<unsigned long long>(second / 3600 % 24), static_cast<unsigned long long>(second / 60 % 60),
                static_cast<unsigned long long>(second % 60), static_cast<unsigned long long>(millis));
  return buffer;
}

std::string JsonLine(Rng& rng, std::uint64_t record) {
  const std::uint64_t second = record / 40;
  const std::string utc = Stamp(second, rng.Below(1000));
  std::string iso = utc;
  iso[10] = 'T';
  iso += "Z";
  const char* host = rng.Pick(kHosts);
  const char* user = rng.Pick(kUsers);
  char buffer[4096];
  const std::uint64_t kind = rng.Below(100);
  int length = 0;
  if (kind < 45) {  // Sysmon 1: process creation
    length = std::snprintf(
        buffer, sizeof buffer,
        R"J({"@timestamp":"%s","agent":{"type":"winlogbeat","version":"8.11.1","hostname":"%s"},"ecs":{"version":"8.0.0"},)J"
        R"J("event":{"code":"1","kind":"event","provider":"Microsoft-Windows-Sysmon","action":"Process Create (rule: ProcessCreate)","created":"%s"},)J"
        R"J("host":{"name":"%s.kommune.local","os":{"family":"windows","version":"10.0"}},"log":{"level":"information"},)J"
        R"J("winlog":{"channel":"Microsoft-Windows-Sysmon/Operational","computer_name":"%s.kommune.local","event_id":"1","record_id":%llu,)J"
        R"J("process":{"pid":3184,"thread":{"id":%llu}},"provider_name":"Microsoft-Windows-Sysmon","user":{"identifier":"S-1-5-18","name":"SYSTEM","domain":"NT AUTHORITY","type":"User"},)J"
        R"J("event_data":{"RuleName":"-","UtcTime":"%s","ProcessGuid":"{%s-%s-6563-2a01-0000000%s}","ProcessId":"%llu","Image":"%s","FileVersion":"10.0.19041.1","Description":"Windows Command Processor","Company":"Microsoft Corporation",)J"
        R"J("CommandLine":"%s","CurrentDirectory":"C:\\Users\\%s\\","User":"KOMMUNE\\%s","LogonId":"0x%s","TerminalSessionId":"1","IntegrityLevel":"%s",)J"
        R"J("Hashes":"SHA256=%s,IMPHASH=%s","ParentProcessId":"%llu","ParentImage":"%s","ParentCommandLine":"%s"}},"tags":["sysmon","beats_input_codec_plain_applied"]})J",
        iso.c_str(), host, iso.c_str(), host, host, static_cast<unsigned long long>(record),
        static_cast<unsigned long long>(rng.Below(9000) + 100), utc.c_str(), Hex(rng, 8).c_str(), Hex(rng, 4).c_str(),
        Hex(rng, 5).c_str(), static_cast<unsigned long long>(rng.Below(60000)), rng.Pick(kImages),
        rng.Pick(kCommandLines), user, user, Hex(rng, 6).c_str(), rng.Below(4) == 0 ? "High" : "Medium",
        Hex(rng, 64).c_str(), Hex(rng, 32).c_str(), static_cast<unsigned long long>(rng.Below(60000)),
        rng.Pick(kImages), rng.Pick(kCommandLines));
  } else if (kind < 70) {  // Sysmon 3: network connection
    length = std::snprintf(
        buffer, sizeof buffer,
        R"J({"@timestamp":"%s","agent":{"type":"winlogbeat","version":"8.11.1"},"event":{"code":"3","kind":"event","provider":"Microsoft-Windows-Sysmon","category":["network"]},)J"
        R"J("host":{"name":"%s.kommune.local"},"winlog":{"channel":"Microsoft-Windows-Sysmon/Operational","event_id":"3","record_id":%llu,)J"
        R"J("event_data":{"RuleName":"-","UtcTime":"%s","ProcessGuid":"{%s-0000-6563-2a01-000000000f00}","ProcessId":"%llu","Image":"%s","User":"KOMMUNE\\%s",)J"
        R"J("Protocol":"tcp","Initiated":"true","SourceIsIpv6":"false","SourceIp":"10.%llu.%llu.%llu","SourcePort":"%llu","DestinationIsIpv6":"false",)J"
        R"J("DestinationIp":"%llu.%llu.%llu.%llu","DestinationHostname":%s,"DestinationPort":"%s"}}})J",
        iso.c_str(), host, static_cast<unsigned long long>(record), utc.c_str(), Hex(rng, 8).c_str(),
        static_cast<unsigned long long>(rng.Below(60000)), rng.Pick(kImages), user,
        static_cast<unsigned long long>(rng.Below(255)), static_cast<unsigned long long>(rng.Below(255)),
        static_cast<unsigned long long>(rng.Below(255)), static_cast<unsigned long long>(49152 + rng.Below(16000)),
        static_cast<unsigned long long>(rng.Below(223) + 1), static_cast<unsigned long long>(rng.Below(255)),
        static_cast<unsigned long long>(rng.Below(255)), static_cast<unsigned long long>(rng.Below(255)),
        rng.Below(3) == 0 ? "null" : "\"cdn.example.net\"", rng.Below(2) == 0 ? "443" : "80");
  } else {  // Security 4624 / 4625 / 4688
    static constexpr const char* kCodes[] = {"4624", "4624", "4624", "4625", "4688", "4672"};
    const char* code = rng.Pick(kCodes);
    length = std::snprintf(
        buffer, sizeof buffer,
        R"J({"@timestamp":"%s","agent":{"type":"winlogbeat","version":"8.11.1"},"event":{"code":"%s","kind":"event","provider":"Microsoft-Windows-Security-Auditing","outcome":"%s"},)J"
        R"J("host":{"name":"%s.kommune.local"},"winlog":{"channel":"Security","event_id":%s,"record_id":%llu,"keywords":["Audit %s"],"opcode":"Info",)J"
        R"J("event_data":{"SubjectUserSid":"S-1-5-18","SubjectUserName":"%s$","SubjectDomainName":"KOMMUNE","SubjectLogonId":"0x3e7","TargetUserName":"%s",)J"
        R"J("TargetDomainName":"KOMMUNE","LogonType":"%llu","LogonProcessName":"NtLmSsp ","AuthenticationPackageName":"NTLM","WorkstationName":"%s",)J"
        R"J("IpAddress":"10.%llu.%llu.%llu","IpPort":"%llu","KeyLength":0,"ElevatedToken":"%%%%1843","ImpersonationLevel":null}}})J",
        iso.c_str(), code, code[3] == '5' ? "failure" : "success", host, code, static_cast<unsigned long long>(record),
        code[3] == '5' ? "Failure" : "Success", host, user, static_cast<unsigned long long>(rng.Below(2) == 0 ? 3 : 10),
        rng.Pick(kHosts), static_cast<unsigned long long>(rng.Below(255)),
        static_cast<unsigned long long>(rng.Below(255)), static_cast<unsigned long long>(rng.Below(255)),
        static_cast<unsigned long long>(49152 + rng.Below(16000)));
  }
  return std::string(buffer, static_cast<std::size_t>(length)) + "\n";
}

std::string SyslogLine(Rng& rng, std::uint64_t record) {
  char buffer[1024];
  const char* host = rng.Pick(kHosts);
  int length = 0;
  if (rng.Below(2) == 0) {
    static constexpr const char* kMonths[] = {"Oct", "Nov"};
    length = std::snprintf(
        buffer, sizeof buffer,
        "<38>%s %2llu %02llu:%02llu:%02llu %s sshd[%llu]: Failed password for %s from "
        "203.0.%llu.%llu port %llu ssh2\n",
        rng.Pick(kMonths), static_cast<unsigned long long>(1 + rng.Below(28)),
        static_cast<unsigned long long>(rng.Below(24)), static_cast<unsigned long long>(rng.Below(60)),
        static_cast<unsigned long long>(rng.Below(60)), host, static_cast<unsigned long long>(rng.Below(60000)),
        rng.Pick(kUsers), static_cast<unsigned long long>(rng.Below(255)),
        static_cast<unsigned long long>(rng.Below(255)), static_cast<unsigned long long>(40000 + rng.Below(20000)));
  } else {
    std::string iso = Stamp(record / 20, rng.Below(1000));
    iso[10] = 'T';
    length = std::snprintf(
        buffer, sizeof buffer,
        "<86>1 %sZ %s sshd %llu auth [origin ip=\"10.1.%llu.%llu\" software=\"OpenSSH\"]"
        "[meta sequenceId=\"%llu\"] Accepted publickey for %s from 10.2.%llu.%llu port %llu\n",
        iso.c_str(), host, static_cast<unsigned long long>(rng.Below(60000)),
        static_cast<unsigned long long>(rng.Below(255)), static_cast<unsigned long long>(rng.Below(255)),
        static_cast<unsigned long long>(record), rng.Pick(kUsers), static_cast<unsigned long long>(rng.Below(255)),
        static_cast<unsigned long long>(rng.Below(255)), static_cast<unsigned long long>(40000 + rng.Below(20000)));
  }
  return std::string(buffer, static_cast<std::size_t>(length));
}

std::string CefLine(Rng& rng, std::uint64_t record) {
  char buffer[1024];
  const int length = std::snprintf(
      buffer, sizeof buffer,
      "<134>Nov 26 09:%02llu:%02llu fw01 CEF:0|Fortinet|FortiGate|7.2|0000000013|traffic:forward %s|3|"
      "rt=%llu src=10.%llu.%llu.%llu spt=%llu dst=%llu.%llu.%llu.%llu dpt=443 proto=6 act=%s "
      "suser=KOMMUNE\\\\%s request=https://portal.example.dk/sag?id\\=%llu&q=a b cs1Label=policyname "
      "cs1=Internet access %llu deviceExternalId=FG100F%llu\n",
      static_cast<unsigned long long>(rng.Below(60)), static_cast<unsigned long long>(rng.Below(60)),
      rng.Below(5) == 0 ? "deny" : "accept", static_cast<unsigned long long>(1795683600000ULL + record),
      static_cast<unsigned long long>(rng.Below(255)), static_cast<unsigned long long>(rng.Below(255)),
      static_cast<unsigned long long>(rng.Below(255)), static_cast<unsigned long long>(40000 + rng.Below(20000)),
      static_cast<unsigned long long>(rng.Below(223) + 1), static_cast<unsigned long long>(rng.Below(255)),
      static_cast<unsigned long long>(rng.Below(255)), static_cast<unsigned long long>(rng.Below(255)),
      rng.Below(5) == 0 ? "deny" : "accept", rng.Pick(kUsers), static_cast<unsigned long long>(record),
      static_cast<unsigned long long>(rng.Below(20)), static_cast<unsigned long long>(rng.Below(1000)));
  return std::string(buffer, static_cast<std::size_t>(length));
}

template <typename LineFn>
std::uint64_t WriteCorpus(const fs::path& path, std::uint64_t target_bytes, std::uint64_t seed, LineFn&& line_fn) {
  Rng rng(seed);
  std::ofstream out(path, std::ios::binary);
  std::string block;
  std::uint64_t written = 0;
  for (std::uint64_t record = 0; written < target_bytes; ++record) {
    block += line_fn(rng, record);
    if (block.size() > (1U << 20)) {
      out << block;
      written += block.size();
      block.clear();
    }
  }
  out << block;
  return written + block.size();
}

void ResetPeakRss() {
  std::ofstream clear("/proc/self/clear_refs");
  clear << "5";
}

long PeakRssKb() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::atol(line.c_str() + 6);
  }
  return -1;
}

double Seconds(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

void Measure(const char* label, const fs::path& path) {
  ResetPeakRss();
  dv::LogSource source;
  std::uint64_t fields = 0;
  const auto start = std::chrono::steady_clock::now();
  const dv::Status status =
      source.Read(std::vector<std::string>{path.string()}, [&](const dv::Event& event) { fields += event.size(); });
  const double seconds = Seconds(start);
  const auto& stats = source.stats();
  const double megabytes = static_cast<double>(stats.bytes) / 1e6;
  std::printf("%-22s %8.1f MB %10llu events %6.1f fields/ev %7.2f s %10.0f events/s %8.1f MB/s  peak RSS %ld kB%s\n",
              label, megabytes, static_cast<unsigned long long>(stats.events),
              stats.events ? static_cast<double>(fields) / static_cast<double>(stats.events) : 0.0, seconds,
              static_cast<double>(stats.events) / seconds, megabytes / seconds, PeakRssKb(),
              status.ok() && stats.bad_records() == 0 ? "" : "  (ERRORS)");
}

// Peer: simdjson's DOM parser on the same lines, parsing and visiting every
// value but building no Event (a lower bound for a DOM-based reader).
void MeasureDom(const fs::path& path) {
  ResetPeakRss();
  simdjson::dom::parser parser;
  std::ifstream in(path, std::ios::binary);
  std::string line;
  std::uint64_t lines = 0;
  std::uint64_t bytes = 0;
  std::uint64_t leaves = 0;
  auto walk = [&](auto&& self, simdjson::dom::element element) -> void {
    simdjson::dom::object object;
    simdjson::dom::array array;
    if (element.get_object().get(object) == simdjson::SUCCESS) {
      for (auto field : object) self(self, field.value);
    } else if (element.get_array().get(array) == simdjson::SUCCESS) {
      for (auto item : array) self(self, item);
    } else {
      ++leaves;
    }
  };
  const auto start = std::chrono::steady_clock::now();
  while (std::getline(in, line)) {
    bytes += line.size() + 1;
    simdjson::dom::element root;
    if (parser.parse(line).get(root) == simdjson::SUCCESS) {
      walk(walk, root);
      ++lines;
    }
  }
  const double seconds = Seconds(start);
  std::printf("%-22s %8.1f MB %10llu events %6.1f leaves/ev %7.2f s %10.0f events/s %8.1f MB/s  peak RSS %ld kB\n",
              "peer simdjson DOM", static_cast<double>(bytes) / 1e6, static_cast<unsigned long long>(lines),
              lines ? static_cast<double>(leaves) / static_cast<double>(lines) : 0.0, seconds,
              static_cast<double>(lines) / seconds, static_cast<double>(bytes) / 1e6 / seconds, PeakRssKb());
}

void MeasureJq(const fs::path& path, std::uint64_t bytes) {
  if (std::system("command -v jq > /dev/null 2>&1") != 0) {
    std::printf("peer jq: not installed; skipped\n");
    return;
  }
  const std::string command = "jq -c . '" + path.string() + "' > /dev/null";
  const auto start = std::chrono::steady_clock::now();
  const int status = std::system(command.c_str());
  const double seconds = Seconds(start);
  std::printf("%-22s %8.1f MB %7.2f s %8.1f MB/s%s  (separate process: jq -c . FILE > /dev/null)\n", "peer jq",
              static_cast<double>(bytes) / 1e6, seconds, static_cast<double>(bytes) / 1e6 / seconds,
              status == 0 ? "" : "  (jq failed)");
}

}  // namespace

int main(int argc, char** argv) {
  const std::uint64_t json_mb = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 200;
  const std::uint64_t other_mb = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 50;
  std::string pattern = (fs::temp_directory_path() / "dv-ingest-bench-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    std::perror("mkdtemp");
    return 1;
  }
  const fs::path dir = pattern;
  std::printf("corpus in %s (seed 20261126)\n", dir.c_str());
  const auto start = std::chrono::steady_clock::now();
  const std::uint64_t json_bytes = WriteCorpus(dir / "winlogbeat.jsonl", json_mb * 1'000'000, 20261126,
                                               [](Rng& rng, std::uint64_t record) { return JsonLine(rng, record); });
  WriteCorpus(dir / "syslog.log", other_mb * 1'000'000, 20261127, SyslogLine);
  WriteCorpus(dir / "cef.log", other_mb * 1'000'000, 20261128, CefLine);
  std::printf("generated in %.1f s\n\n", Seconds(start));

  Measure("jsonl (JsonLineParser)", dir / "winlogbeat.jsonl");
  Measure("syslog 3164+5424", dir / "syslog.log");
  Measure("cef (after syslog)", dir / "cef.log");
  MeasureDom(dir / "winlogbeat.jsonl");
  MeasureJq(dir / "winlogbeat.jsonl", json_bytes);

  std::error_code ignored;
  fs::remove_all(dir, ignored);
  return 0;
}
