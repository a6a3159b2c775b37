// SPDX-License-Identifier: Apache-2.0
// The reader over the public EVTX samples in DV_SHARED_DIR/evtx (skipped when
// absent), and a differential test against libevtx (skipped when it was not
// found at configure time).

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/evtx/evtx_reader.h"

#ifdef DV_HAVE_LIBEVTX
// libevtx.h includes libbfio.h (not installed) when LIBEVTX_HAVE_BFIO is set;
// only the path-based API is used here.
#include <libevtx/features.h>
#undef LIBEVTX_HAVE_BFIO
#include <libevtx.h>
#endif

namespace dv::evtx {
namespace {

const std::filesystem::path kSampleDir = DV_SHARED_DIR "/evtx";
constexpr std::size_t kSampleFiles = 315;
constexpr std::uint64_t kSampleRecords = 16801;

std::vector<std::string> SampleFiles() {
  std::vector<std::string> files;
  std::error_code error;
  for (auto it = std::filesystem::recursive_directory_iterator(kSampleDir, error);
       !error && it != std::filesystem::recursive_directory_iterator(); it.increment(error)) {
    if (it->is_regular_file() && it->path().extension() == ".evtx") files.push_back(it->path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

TEST(EvtxSamples, EveryFileReadsWithoutFatalError) {
  const std::vector<std::string> files = SampleFiles();
  if (files.empty()) GTEST_SKIP() << "no samples under " << kSampleDir;
  EXPECT_EQ(files.size(), kSampleFiles);
  std::uint64_t records = 0;
  std::uint64_t bad_records = 0;
  std::uint64_t without_event_id = 0;
  std::uint64_t without_time = 0;
  for (const std::string& path : files) {
    auto reader = EvtxReader::OpenFile(path);
    ASSERT_TRUE(reader.ok()) << reader.error().message();
    auto stats = reader->ReadAll([&](const Event& event) {
      if (event.Find("EventID") == nullptr) ++without_event_id;
      if (event.Find("TimeCreated") == nullptr) ++without_time;
    });
    ASSERT_TRUE(stats.ok()) << stats.error().message();
    records += stats->records;
    bad_records += stats->bad_records;
    for (const std::string& problem : stats->problems) std::printf("  problem: %s\n", problem.c_str());
  }
  EXPECT_EQ(records, kSampleRecords);
  EXPECT_EQ(bad_records, 0u);
  EXPECT_EQ(without_event_id, 0u);
  EXPECT_EQ(without_time, 0u);
}

TEST(EvtxSamples, MapsASecurityLogonEvent) {
  const std::string path = (kSampleDir /
                            "EVTX-to-MITRE-Attack/TA0008-Lateral Movement/"
                            "T1550-Use Alternate Authentication Material/ID4624-Mimikatz Pass the hash.evtx")
                               .string();
  if (!std::filesystem::exists(path)) GTEST_SKIP() << "no sample " << path;
  auto reader = EvtxReader::OpenFile(path);
  ASSERT_TRUE(reader.ok()) << reader.error().message();
  std::vector<Event> events;
  ASSERT_TRUE(reader->ReadAll([&](const Event& event) { events.push_back(event); }).ok());
  ASSERT_GE(events.size(), 3u);
  const Event& cleared = events[0];
  EXPECT_EQ(cleared.Find("EventID")->value, "1102");
  EXPECT_EQ(cleared.Find("Provider_Name")->value, "Microsoft-Windows-Eventlog");
  EXPECT_EQ(cleared.Find("SubjectUserName")->value, "admmig");
  EXPECT_EQ(cleared.Find("SubjectLogonId")->value, "0x1f4c65f");
  EXPECT_EQ(cleared.Find("TimeCreated")->value, "2021-10-20T13:39:12.731Z");
  EXPECT_EQ(cleared.Find("Keywords")->value, "0x4020000000000000");
  EXPECT_EQ(cleared.origin, path + "#67099");
  const Event& logon = events[2];
  EXPECT_EQ(logon.Find("EventID")->value, "4624");
  EXPECT_EQ(logon.Find("EventRecordID")->value, "67101");
  EXPECT_EQ(logon.Find("Channel")->value, "Security");
  EXPECT_EQ(logon.Find("Computer")->value, "FS03.offsec.lan");
  EXPECT_EQ(logon.Find("ProcessID")->value, "512");
  EXPECT_EQ(logon.Find("Provider_Guid")->value, "{54849625-5478-4994-A5BA-3E3B0328C30D}");
  EXPECT_EQ(logon.Find("LogonType")->value, "9");
  EXPECT_EQ(logon.Find("LogonProcessName")->value, "seclogo");
  EXPECT_EQ(logon.Find("TargetLogonId")->value, "0x266e045");
  EXPECT_EQ(logon.Find("TargetUserSid")->value, "S-1-5-21-4230534742-2542757381-3142984815-1111");
  EXPECT_EQ(logon.Find("ProcessName")->value, "C:\\Windows\\System32\\svchost.exe");
  ASSERT_TRUE(logon.time.has_value());
  EXPECT_EQ(logon.time->ToRfc3339(), "2021-10-20T13:39:17.315Z");
}

#ifdef DV_HAVE_LIBEVTX

// A minimal XML reader for libevtx's well-formed output: elements with
// attributes and text, the five named entities and numeric references.
struct XmlElement {
  std::string name;
  std::map<std::string, std::string> attributes;
  std::string text;
  std::vector<XmlElement> children;
};

std::string Unescape(std::string_view text) {
  std::string out;
  for (std::size_t pos = 0; pos < text.size(); ++pos) {
    if (text[pos] != '&') {
      out += text[pos];
      continue;
    }
    const std::size_t end = text.find(';', pos);
    if (end == std::string_view::npos) {
      out += text[pos];
      continue;
    }
    const std::string_view entity = text.substr(pos + 1, end - pos - 1);
    if (entity == "lt") {
      out += '<';
    } else if (entity == "gt") {
      out += '>';
    } else if (entity == "amp") {
      out += '&';
    } else if (entity == "quot") {
      out += '"';
    } else if (entity == "apos") {
      out += '\'';
    } else {
      out += '&';
      out += entity;
      out += ';';
    }
    pos = end;
  }
  return out;
}

// Parses one element starting at text[pos] == '<'.
bool ParseXml(std::string_view text, std::size_t& pos, XmlElement& element) {
  const std::size_t name_end = text.find_first_of(" />", pos + 1);
  if (name_end == std::string_view::npos) return false;
  element.name = text.substr(pos + 1, name_end - pos - 1);
  pos = name_end;
  while (pos < text.size()) {
    while (pos < text.size() && text[pos] == ' ') ++pos;
    if (text.substr(pos, 2) == "/>") {
      pos += 2;
      return true;
    }
    if (text[pos] == '>') {
      ++pos;
      break;
    }
    const std::size_t equals = text.find("=\"", pos);
    const std::size_t quote = text.find('"', equals + 2);
    if (equals == std::string_view::npos || quote == std::string_view::npos) return false;
    element.attributes[std::string(text.substr(pos, equals - pos))] =
        Unescape(text.substr(equals + 2, quote - equals - 2));
    pos = quote + 1;
  }
  std::string raw_text;
  while (pos < text.size()) {
    if (text.substr(pos, 2) == "</") {
      element.text = Unescape(raw_text);
      pos = text.find('>', pos);
      if (pos == std::string_view::npos) return false;
      ++pos;
      return true;
    }
    if (text[pos] == '<') {
      if (!ParseXml(text, pos, element.children.emplace_back())) return false;
      raw_text.clear();  // whitespace between child elements is not text
      continue;
    }
    raw_text += text[pos++];
  }
  return false;
}

const XmlElement* Child(const XmlElement& parent, std::string_view name) {
  for (const XmlElement& child : parent.children) {
    if (child.name == name) return &child;
  }
  return nullptr;
}

// Known, systematic differences that the comparison forgives:
//  - libevtx pads hex integers to their width ("0x00000000000003e7");
//    Windows and we do not ("0x3e7"). Some string values hold padded hex
//    text, so both sides are normalised.
//  - libevtx renders a string value that is only a line break ("\n") as
//    empty; we keep the line break. Trailing line breaks are trimmed.
std::string NormaliseHex(std::string value) {
  while (!value.empty() && (value.back() == '\n' || value.back() == '\r')) value.pop_back();
  if (value.size() < 3 || value.compare(0, 2, "0x") != 0) return value;
  if (value.find_first_not_of("0123456789abcdefABCDEF", 2) != std::string::npos) return value;
  const std::size_t first = value.find_first_not_of('0', 2);
  return "0x" + (first == std::string::npos ? std::string("0") : value.substr(first));
}

void CollectLeaves(const XmlElement& element, std::vector<std::pair<std::string, std::string>>& out) {
  if (element.children.empty()) {
    auto name = element.attributes.find("Name");
    out.emplace_back(name != element.attributes.end() ? name->second : element.name, NormaliseHex(element.text));
    return;
  }
  for (const XmlElement& child : element.children) CollectLeaves(child, out);
}

struct OracleRecord {
  std::string record_id;  // EventRecordID of the XML (the record header may number differently)
  std::string event_id;
  std::vector<std::pair<std::string, std::string>> data;  // EventData or UserData leaves
};

// Reads a file with libevtx; false when libevtx cannot read all of it.
bool ReadWithLibevtx(const std::string& path, std::vector<OracleRecord>& records) {
  libevtx_file_t* file = nullptr;
  libevtx_error_t* error = nullptr;
  bool ok = libevtx_file_initialize(&file, &error) == 1 &&
            libevtx_file_open(file, path.c_str(), LIBEVTX_OPEN_READ, &error) == 1;
  int count = 0;
  if (ok) ok = libevtx_file_get_number_of_records(file, &count, &error) == 1;
  std::string xml;
  for (int record_idx = 0; ok && record_idx < count; ++record_idx) {
    libevtx_record_t* record = nullptr;
    std::size_t size = 0;
    ok = libevtx_file_get_record_by_index(file, record_idx, &record, &error) == 1 &&
         libevtx_record_get_utf8_xml_string_size(record, &size, &error) == 1;
    if (ok) {
      xml.assign(size, '\0');
      ok = libevtx_record_get_utf8_xml_string(record, reinterpret_cast<std::uint8_t*>(xml.data()), size, &error) == 1;
    }
    OracleRecord& oracle = records.emplace_back();
    if (record != nullptr) libevtx_record_free(&record, nullptr);
    if (!ok) break;
    XmlElement root;
    std::size_t pos = xml.find('<');
    if (pos == std::string::npos || !ParseXml(xml, pos, root)) {
      ok = false;
      break;
    }
    if (const XmlElement* system = Child(root, "System")) {
      if (const XmlElement* event_id = Child(*system, "EventID")) oracle.event_id = event_id->text;
      if (const XmlElement* record_id = Child(*system, "EventRecordID")) oracle.record_id = record_id->text;
    }
    if (const XmlElement* event_data = Child(root, "EventData")) {
      for (const XmlElement& data : event_data->children) {
        auto name = data.attributes.find("Name");
        oracle.data.emplace_back(name != data.attributes.end() ? name->second : data.name, NormaliseHex(data.text));
      }
    } else if (const XmlElement* user_data = Child(root, "UserData")) {
      for (const XmlElement& child : user_data->children) CollectLeaves(child, oracle.data);
    }
  }
  if (file != nullptr) {
    libevtx_file_close(file, nullptr);
    libevtx_file_free(&file, nullptr);
  }
  if (error != nullptr) libevtx_error_free(&error);
  return ok;
}

TEST(EvtxSamples, AgreesWithLibevtx) {
  const std::vector<std::string> files = SampleFiles();
  if (files.empty()) GTEST_SKIP() << "no samples under " << kSampleDir;
  std::vector<std::string> libevtx_failed;
  std::size_t compared_records = 0;
  std::size_t mismatches = 0;
  for (const std::string& path : files) {
    std::vector<OracleRecord> oracle;
    if (!ReadWithLibevtx(path, oracle)) {
      libevtx_failed.push_back(path);
      continue;
    }
    auto reader = EvtxReader::OpenFile(path);
    ASSERT_TRUE(reader.ok()) << reader.error().message();
    std::size_t record_idx = 0;
    auto stats = reader->ReadAll([&](const Event& event) {
      const std::size_t idx = record_idx++;
      if (idx >= oracle.size()) return;
      const OracleRecord& expected = oracle[idx];
      ++compared_records;
      const EventField* record_id = event.Find("EventRecordID");
      const EventField* event_id = event.Find("EventID");
      std::vector<std::pair<std::string, std::string>> data;
      std::size_t field_idx = 0;
      const auto fields = event.fields();
      // System fields come first, in the order of the System element, which
      // ends with Computer and the optional Security UserID.
      while (field_idx < fields.size() && fields[field_idx].name != "Computer") ++field_idx;
      if (field_idx < fields.size()) ++field_idx;
      if (field_idx < fields.size() && fields[field_idx].name == "UserID") ++field_idx;
      for (; field_idx < fields.size(); ++field_idx) {
        data.emplace_back(fields[field_idx].name, NormaliseHex(fields[field_idx].value));
      }
      const bool same = record_id != nullptr && record_id->value == expected.record_id && event_id != nullptr &&
                        event_id->value == expected.event_id && data == expected.data;
      if (!same && ++mismatches <= 10) {
        ADD_FAILURE() << event.origin << ": differs from libevtx (record " << expected.record_id << ", event id "
                      << expected.event_id << ", " << expected.data.size() << " vs " << data.size() << " values)";
        for (std::size_t pair_idx = 0; pair_idx < std::max(data.size(), expected.data.size()); ++pair_idx) {
          const auto ours = pair_idx < data.size() ? data[pair_idx] : std::pair<std::string, std::string>{};
          const auto theirs =
              pair_idx < expected.data.size() ? expected.data[pair_idx] : std::pair<std::string, std::string>{};
          if (ours != theirs) {
            std::printf("    ours   %s=%s\n    theirs %s=%s\n", ours.first.c_str(), ours.second.c_str(),
                        theirs.first.c_str(), theirs.second.c_str());
          }
        }
      }
    });
    ASSERT_TRUE(stats.ok()) << stats.error().message();
    EXPECT_EQ(stats->records, oracle.size()) << path;
  }
  std::printf("compared %zu records of %zu files; libevtx could not read %zu files:\n", compared_records,
              files.size() - libevtx_failed.size(), libevtx_failed.size());
  for (const std::string& path : libevtx_failed) std::printf("  %s\n", path.c_str());
  EXPECT_EQ(mismatches, 0u);
  EXPECT_LE(libevtx_failed.size(), 13u);
}

#endif  // DV_HAVE_LIBEVTX

}  // namespace
}  // namespace dv::evtx
