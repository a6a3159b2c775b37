// SPDX-License-Identifier: Apache-2.0
// EvtxReader on small files built byte by byte in the test.

#include "ingest/evtx/evtx_reader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <zlib.h>

#include <cstdint>
#include <cstring>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace dv::evtx {
namespace {

using ::testing::HasSubstr;

constexpr std::size_t kChunkSize = 65536;

std::uint32_t Crc(std::string_view bytes) {
  return static_cast<std::uint32_t>(
      crc32(0L, reinterpret_cast<const Bytef*>(bytes.data()), static_cast<uInt>(bytes.size())));
}

void PutU16(std::string& out, std::size_t pos, std::uint16_t value) {
  out[pos] = static_cast<char>(value & 0xff);
  out[pos + 1] = static_cast<char>(value >> 8);
}
void PutU32(std::string& out, std::size_t pos, std::uint32_t value) {
  for (int byte_idx = 0; byte_idx < 4; ++byte_idx) out[pos + byte_idx] = static_cast<char>(value >> (8 * byte_idx));
}
void PutU64(std::string& out, std::size_t pos, std::uint64_t value) {
  for (int byte_idx = 0; byte_idx < 8; ++byte_idx) out[pos + byte_idx] = static_cast<char>(value >> (8 * byte_idx));
}

std::string U16(std::uint16_t value) {
  std::string out(2, '\0');
  PutU16(out, 0, value);
  return out;
}
std::string U32(std::uint32_t value) {
  std::string out(4, '\0');
  PutU32(out, 0, value);
  return out;
}
std::string U64(std::uint64_t value) {
  std::string out(8, '\0');
  PutU64(out, 0, value);
  return out;
}
std::string Utf16(std::string_view ascii) {
  std::string out;
  for (char c : ascii) {
    out += c;
    out += '\0';
  }
  return out;
}

// Writes binary XML into a buffer whose first byte sits at chunk offset `base`,
// so that inline names and template definitions get their chunk offsets.
class XmlBuilder {
 public:
  XmlBuilder(std::string& out, std::size_t base) : out_(out), base_(base - out.size()) {}

  std::uint32_t Pos() const { return static_cast<std::uint32_t>(base_ + out_.size()); }
  XmlBuilder& Raw(std::string_view bytes) {
    out_ += bytes;
    return *this;
  }
  XmlBuilder& FragmentHeader() { return Raw(std::string_view("\x0f\x01\x01\x00", 4)); }
  XmlBuilder& Eof() { return Raw(std::string_view("\x00", 1)); }
  // A name defined inline, where it is used.
  XmlBuilder& Name(std::string_view name) {
    Raw(U32(Pos() + 4));
    Raw(U32(0)).Raw(U16(0)).Raw(U16(static_cast<std::uint16_t>(name.size()))).Raw(Utf16(name)).Raw(U16(0));
    return *this;
  }
  // Element start with the dependency id of template bodies.
  XmlBuilder& Open(std::string_view name, bool has_attributes = false) {
    Raw(std::string(1, static_cast<char>(has_attributes ? 0x41 : 0x01))).Raw(U16(0xffff)).Raw(U32(0));
    Name(name);
    if (has_attributes) Raw(U32(0));
    return *this;
  }
  XmlBuilder& Attribute(std::string_view name) {
    Raw(std::string_view("\x06", 1));
    return Name(name);
  }
  XmlBuilder& CloseStart() { return Raw(std::string_view("\x02", 1)); }
  XmlBuilder& CloseEmpty() { return Raw(std::string_view("\x03", 1)); }
  XmlBuilder& End() { return Raw(std::string_view("\x04", 1)); }
  XmlBuilder& Text(std::string_view ascii) {
    Raw(std::string_view("\x05\x01", 2)).Raw(U16(static_cast<std::uint16_t>(ascii.size())));
    return Raw(Utf16(ascii));
  }
  XmlBuilder& Subst(std::uint16_t index, std::uint8_t type, bool optional = false) {
    Raw(std::string(1, optional ? '\x0e' : '\x0d')).Raw(U16(index));
    return Raw(std::string(1, static_cast<char>(type)));
  }
  // <name>%index</name>
  XmlBuilder& SubstElement(std::string_view name, std::uint16_t index, std::uint8_t type, bool optional = false) {
    return Open(name).CloseStart().Subst(index, type, optional).End();
  }
  // <Data Name="name">%index</Data>
  XmlBuilder& DataElement(std::string_view name, std::uint16_t index, std::uint8_t type, bool optional = false) {
    Open("Data", true).Attribute("Name").Text(name).CloseStart();
    return Subst(index, type, optional).End();
  }

  // A template instance whose definition follows inline; `body` writes the
  // definition's fragment. Returns the definition's chunk offset.
  std::uint32_t InlineTemplate(const std::function<void(XmlBuilder&)>& body) {
    Raw(std::string_view("\x0c\x01", 2)).Raw(U32(0x1234));
    const std::uint32_t definition = Pos() + 4;
    Raw(U32(definition));
    Raw(U32(0)).Raw(std::string(16, '\x11'));
    const std::size_t size_pos = out_.size();
    Raw(U32(0));
    const std::size_t body_start = out_.size();
    body(*this);
    PutU32(out_, size_pos, static_cast<std::uint32_t>(out_.size() - body_start));
    return definition;
  }
  // A template instance that uses a definition elsewhere in the chunk.
  XmlBuilder& TemplateRef(std::uint32_t definition) {
    return Raw(std::string_view("\x0c\x01", 2)).Raw(U32(0x1234)).Raw(U32(definition));
  }

  struct ValueSpec {
    std::uint8_t type;
    std::string bytes;
    // When set, builds the bytes knowing their chunk offset (embedded binary XML).
    std::function<std::string(std::size_t)> build;
  };
  XmlBuilder& Values(const std::vector<ValueSpec>& values) {
    Raw(U32(static_cast<std::uint32_t>(values.size())));
    std::vector<std::string> bytes;
    std::size_t data_pos = Pos() + 4 * values.size();
    for (const ValueSpec& value : values) {
      bytes.push_back(value.build ? value.build(data_pos) : value.bytes);
      data_pos += bytes.back().size();
    }
    for (std::size_t value_idx = 0; value_idx < values.size(); ++value_idx) {
      Raw(U16(static_cast<std::uint16_t>(bytes[value_idx].size())));
      Raw(std::string(1, static_cast<char>(values[value_idx].type))).Raw(std::string(1, '\0'));
    }
    for (const std::string& value : bytes) Raw(value);
    return *this;
  }

 private:
  std::string& out_;
  std::size_t base_;
};

class ChunkBuilder {
 public:
  ChunkBuilder() : data_(kChunkSize, '\0') {}

  // Appends a record whose binary XML `body` writes; returns its chunk offset.
  std::size_t AddRecord(std::uint64_t id, const std::function<void(XmlBuilder&)>& body) {
    const std::size_t start = pos_;
    std::string record("**\0\0", 4);
    record += U32(0) + U64(id) + U64(132'000'000'000'000'000ULL);
    XmlBuilder xml(record, start + record.size());
    body(xml);
    record += U32(0);
    PutU32(record, 4, static_cast<std::uint32_t>(record.size()));
    PutU32(record, record.size() - 4, static_cast<std::uint32_t>(record.size()));
    data_.replace(start, record.size(), record);
    pos_ += record.size();
    if (first_id_ == 0) first_id_ = id;
    last_id_ = id;
    last_record_ = start;
    return start;
  }

  std::size_t pos() const { return pos_; }

  std::string Finish() {
    std::string chunk = data_;
    chunk.replace(0, 8, std::string("ElfChnk\0", 8));
    PutU64(chunk, 8, first_id_);
    PutU64(chunk, 16, last_id_);
    PutU64(chunk, 24, first_id_);
    PutU64(chunk, 32, last_id_);
    PutU32(chunk, 40, 128);
    PutU32(chunk, 44, static_cast<std::uint32_t>(last_record_));
    PutU32(chunk, 48, static_cast<std::uint32_t>(pos_));
    PutU32(chunk, 52, Crc(std::string_view(chunk).substr(512, pos_ - 512)));
    const std::string header = chunk.substr(0, 120) + chunk.substr(128, 384);
    PutU32(chunk, 124, Crc(header));
    return chunk;
  }

 private:
  std::string data_;
  std::size_t pos_ = 512;
  std::uint64_t first_id_ = 0;
  std::uint64_t last_id_ = 0;
  std::size_t last_record_ = 512;
};

std::string MakeFile(const std::vector<std::string>& chunks) {
  std::string file(4096, '\0');
  file.replace(0, 8, std::string("ElfFile\0", 8));
  PutU64(file, 16, chunks.empty() ? 0 : chunks.size() - 1);
  PutU32(file, 32, 128);
  PutU16(file, 36, 1);
  PutU16(file, 38, 3);
  PutU16(file, 40, 4096);
  PutU16(file, 42, static_cast<std::uint16_t>(chunks.size()));
  PutU32(file, 124, Crc(std::string_view(file).substr(0, 120)));
  for (const std::string& chunk : chunks) file += chunk;
  return file;
}

// The System part of the usual template: values 0 EventID (UInt16),
// 1 TimeCreated (FILETIME), 2 EventRecordID (UInt64), 3 Computer (String),
// 4 Security UserID (SID, optional).
void WriteSystem(XmlBuilder& xml) {
  xml.Open("System").CloseStart();
  xml.Open("Provider", true).Attribute("Name").Text("Test-Provider").CloseEmpty();
  xml.SubstElement("EventID", 0, 0x06);
  xml.Open("TimeCreated", true).Attribute("SystemTime").Subst(1, 0x11).CloseEmpty();
  xml.SubstElement("EventRecordID", 2, 0x0a);
  xml.Open("Channel").CloseStart().Text("Security").End();
  xml.SubstElement("Computer", 3, 0x01);
  xml.Open("Security", true).Attribute("UserID").Subst(4, 0x13, true).CloseEmpty();
  xml.End();
}

std::string Sid(std::initializer_list<std::uint32_t> subs, std::uint8_t authority = 5) {
  std::string sid;
  sid += '\x01';
  sid += static_cast<char>(subs.size());
  sid += std::string(5, '\0');
  sid += static_cast<char>(authority);
  for (std::uint32_t sub : subs) sid += U32(sub);
  return sid;
}

// FILETIME of 2021-10-20T13:39:17.3154798Z.
constexpr std::uint64_t kFileTime = 132792107573154798ULL;

std::vector<XmlBuilder::ValueSpec> SystemValues(std::uint64_t record_id, bool with_user = true) {
  return {{0x06, U16(4624), {}},
          {0x11, U64(kFileTime), {}},
          {0x0a, U64(record_id), {}},
          {0x01, Utf16("HOST01") + U16(0), {}},
          {with_user ? std::uint8_t{0x13} : std::uint8_t{0x00}, with_user ? Sid({18}) : std::string(), {}}};
}

// One record: System plus EventData with Data Name="V<i>" for each extra value.
std::function<void(XmlBuilder&)> EventRecord(std::uint64_t record_id, const std::vector<XmlBuilder::ValueSpec>& data,
                                             bool with_user = true) {
  return [=](XmlBuilder& xml) {
    xml.FragmentHeader();
    xml.InlineTemplate([&](XmlBuilder& body) {
      body.FragmentHeader();
      body.Open("Event", true).Attribute("xmlns").Text("http://schemas.microsoft.com/win/2004/08/events/event");
      body.CloseStart();
      WriteSystem(body);
      body.Open("EventData").CloseStart();
      for (std::size_t data_idx = 0; data_idx < data.size(); ++data_idx) {
        body.DataElement("V" + std::to_string(data_idx), static_cast<std::uint16_t>(5 + data_idx), data[data_idx].type,
                         true);
      }
      body.End().End().Eof();
    });
    auto values = SystemValues(record_id, with_user);
    values.insert(values.end(), data.begin(), data.end());
    xml.Values(values).Eof();
  };
}

struct ReadResult {
  EvtxStats stats;
  std::vector<Event> events;
};

ReadResult ReadBuffer(const std::string& bytes) {
  ReadResult result;
  auto stats =
      EvtxReader::FromBuffer(bytes, "test.evtx").ReadAll([&](const Event& event) { result.events.push_back(event); });
  EXPECT_TRUE(stats.ok()) << stats.error().message();
  if (stats.ok()) result.stats = *stats;
  return result;
}

std::vector<std::string> Values(const Event& event, std::string_view name) {
  std::vector<std::string> values;
  event.ForEach(name, [&](const EventField& field) { values.push_back(field.value); });
  return values;
}

std::string Value(const Event& event, std::string_view name) {
  const EventField* field = event.Find(name);
  return field == nullptr ? "<missing>" : field->value;
}

TEST(EvtxReader, ReadsARecordWithAnInlineTemplate) {
  ChunkBuilder chunk;
  chunk.AddRecord(7, EventRecord(4711, {{0x01, Utf16("powershell.exe") + U16(0), {}}}));
  const ReadResult result = ReadBuffer(MakeFile({chunk.Finish()}));
  EXPECT_EQ(result.stats.records, 1u);
  EXPECT_EQ(result.stats.bad_records, 0u);
  EXPECT_EQ(result.stats.checksum_errors, 0u);
  EXPECT_TRUE(result.stats.problems.empty());
  ASSERT_EQ(result.events.size(), 1u);
  const Event& event = result.events[0];
  EXPECT_EQ(Value(event, "Provider_Name"), "Test-Provider");
  EXPECT_EQ(Value(event, "EventID"), "4624");
  EXPECT_EQ(Value(event, "EventRecordID"), "4711");
  EXPECT_EQ(Value(event, "Channel"), "Security");
  EXPECT_EQ(Value(event, "Computer"), "HOST01");
  EXPECT_EQ(Value(event, "UserID"), "S-1-5-18");
  EXPECT_EQ(Value(event, "TimeCreated"), "2021-10-20T13:39:17.315Z");
  EXPECT_EQ(Value(event, "V0"), "powershell.exe");
  ASSERT_TRUE(event.time.has_value());
  EXPECT_EQ(event.time->ToRfc3339(), "2021-10-20T13:39:17.315Z");
  EXPECT_EQ(event.origin, "test.evtx#4711");
}

TEST(EvtxReader, RendersEveryValueType) {
  std::string systemtime = U16(2024) + U16(3) + U16(0) + U16(15) + U16(8) + U16(5) + U16(9) + U16(42);
  std::string guid;
  for (int byte_idx = 0; byte_idx < 16; ++byte_idx) guid += static_cast<char>(0xa0 + byte_idx);
  float real32 = 1.5f;
  double real64 = -0.25;
  std::string real32_bytes(4, '\0');
  std::string real64_bytes(8, '\0');
  std::memcpy(real32_bytes.data(), &real32, 4);
  std::memcpy(real64_bytes.data(), &real64, 8);
  ChunkBuilder chunk;
  chunk.AddRecord(1, EventRecord(1, {
                                        {0x01, Utf16("caf\xe9") + U16(0), {}},       // V0 string (é as one unit)
                                        {0x02, std::string("ansi\xe6\0", 6), {}},    // V1 ANSI
                                        {0x03, std::string(1, '\xfe'), {}},          // V2 int8 -2
                                        {0x04, std::string(1, '\xfe'), {}},          // V3 uint8 254
                                        {0x05, U16(0xfffd), {}},                     // V4 int16 -3
                                        {0x06, U16(65533), {}},                      // V5 uint16
                                        {0x07, U32(0xfffffffc), {}},                 // V6 int32 -4
                                        {0x08, U32(4000000000U), {}},                // V7 uint32
                                        {0x09, U64(~std::uint64_t{4}), {}},          // V8 int64 -5
                                        {0x0a, U64(18000000000000000000ULL), {}},    // V9 uint64
                                        {0x0b, real32_bytes, {}},                    // V10 real32
                                        {0x0c, real64_bytes, {}},                    // V11 real64
                                        {0x0d, U32(1), {}},                          // V12 bool
                                        {0x0e, std::string("\x01\xab\xff", 3), {}},  // V13 binary
                                        {0x0f, guid, {}},                            // V14 GUID
                                        {0x10, U64(0x7ff6a000ULL), {}},              // V15 size_t
                                        {0x11, U64(kFileTime), {}},                  // V16 FILETIME
                                        {0x12, systemtime, {}},                      // V17 SYSTEMTIME
                                        {0x13, Sid({21, 1, 2, 3, 500}), {}},         // V18 SID
                                        {0x14, U32(0x3e7), {}},                      // V19 hex int32
                                        {0x15, U64(0x1f4c65fULL), {}},               // V20 hex int64
                                        {0x81, Utf16("one") + U16(0) + Utf16("two") + U16(0), {}},  // V21
                                        {0x86, U16(1) + U16(2) + U16(3), {}},                       // V22 uint16 array
                                        {0x0d, U32(0), {}},                                         // V23 bool false
                                    }));
  const ReadResult result = ReadBuffer(MakeFile({chunk.Finish()}));
  ASSERT_EQ(result.events.size(), 1u) << (result.stats.problems.empty() ? "" : result.stats.problems[0]);
  const Event& event = result.events[0];
  EXPECT_EQ(Value(event, "V0"), "caf\xc3\xa9");
  EXPECT_EQ(Value(event, "V1"), "ansi\xc3\xa6");
  EXPECT_EQ(Value(event, "V2"), "-2");
  EXPECT_EQ(Value(event, "V3"), "254");
  EXPECT_EQ(Value(event, "V4"), "-3");
  EXPECT_EQ(Value(event, "V5"), "65533");
  EXPECT_EQ(Value(event, "V6"), "-4");
  EXPECT_EQ(Value(event, "V7"), "4000000000");
  EXPECT_EQ(Value(event, "V8"), "-5");
  EXPECT_EQ(Value(event, "V9"), "18000000000000000000");
  EXPECT_EQ(Value(event, "V10"), "1.500000e+000");
  EXPECT_EQ(Value(event, "V11"), "-2.500000e-001");
  EXPECT_EQ(Value(event, "V12"), "true");
  EXPECT_EQ(Value(event, "V13"), "01ABFF");
  EXPECT_EQ(Value(event, "V14"), "{A3A2A1A0-A5A4-A7A6-A8A9-AAABACADAEAF}");
  EXPECT_EQ(Value(event, "V15"), "0x7ff6a000");
  EXPECT_EQ(Value(event, "V16"), "2021-10-20T13:39:17.315479800Z");
  EXPECT_EQ(Value(event, "V17"), "2024-03-15T08:05:09.042Z");
  EXPECT_EQ(Value(event, "V18"), "S-1-5-21-1-2-3-500");
  EXPECT_EQ(Value(event, "V19"), "0x3e7");
  EXPECT_EQ(Value(event, "V20"), "0x1f4c65f");
  EXPECT_EQ(Values(event, "V21"), (std::vector<std::string>{"one", "two"}));
  EXPECT_EQ(Values(event, "V22"), (std::vector<std::string>{"1", "2", "3"}));
  EXPECT_EQ(Value(event, "V23"), "false");
}

TEST(EvtxReader, LeavesOutOptionalNullValues) {
  ChunkBuilder chunk;
  chunk.AddRecord(1, EventRecord(1, {{0x00, "", {}}, {0x01, Utf16("x"), {}}}, /*with_user=*/false));
  const ReadResult result = ReadBuffer(MakeFile({chunk.Finish()}));
  ASSERT_EQ(result.events.size(), 1u);
  EXPECT_EQ(result.events[0].Find("UserID"), nullptr);
  EXPECT_EQ(result.events[0].Find("V0"), nullptr);
  EXPECT_EQ(Value(result.events[0], "V1"), "x");
}

TEST(EvtxReader, ReadsTemplatesDefinedInAnotherRecordAndOddRecordSizes) {
  ChunkBuilder chunk;
  std::uint32_t definition = 0;
  chunk.AddRecord(1, [&](XmlBuilder& xml) {
    xml.FragmentHeader();
    definition = xml.InlineTemplate([](XmlBuilder& body) {
      body.FragmentHeader().Open("Event").CloseStart();
      WriteSystem(body);
      body.Open("EventData").CloseStart().DataElement("CommandLine", 5, 0x01).End().End().Eof();
    });
    auto values = SystemValues(1);
    values.push_back({0x02, "abc", {}});  // an ANSI string of odd size makes the record odd-sized
    xml.Values(values).Eof();
  });
  EXPECT_EQ(chunk.pos() % 2, 1u);
  chunk.AddRecord(2, [&](XmlBuilder& xml) {
    xml.FragmentHeader().TemplateRef(definition);
    auto values = SystemValues(2);
    values.push_back({0x01, Utf16("cmd.exe /c whoami"), {}});
    xml.Values(values).Eof();
  });
  const ReadResult result = ReadBuffer(MakeFile({chunk.Finish()}));
  ASSERT_EQ(result.events.size(), 2u);
  EXPECT_EQ(Value(result.events[0], "CommandLine"), "abc");
  EXPECT_EQ(Value(result.events[1], "CommandLine"), "cmd.exe /c whoami");
  EXPECT_EQ(Value(result.events[1], "EventRecordID"), "2");
}

TEST(EvtxReader, FlattensUserDataFromEmbeddedBinaryXml) {
  ChunkBuilder chunk;
  chunk.AddRecord(1, [](XmlBuilder& xml) {
    xml.FragmentHeader();
    xml.InlineTemplate([](XmlBuilder& body) {
      body.FragmentHeader().Open("Event").CloseStart();
      WriteSystem(body);
      body.Open("UserData").CloseStart().Subst(5, 0x21).End().End().Eof();
    });
    auto values = SystemValues(1);
    values.push_back({0x21, "", [](std::size_t base) {
                        std::string nested;
                        XmlBuilder inner(nested, base);
                        inner.FragmentHeader().Open("LogFileCleared", true).Attribute("xmlns").Text("urn:x");
                        inner.CloseStart();
                        inner.Open("SubjectUserName").CloseStart().Text("admmig").End();
                        inner.Open("SubjectLogonId").CloseStart().Text("0x1f4c65f").End();
                        inner.End().Eof();
                        return nested;
                      }});
    xml.Values(values).Eof();
  });
  const ReadResult result = ReadBuffer(MakeFile({chunk.Finish()}));
  ASSERT_EQ(result.events.size(), 1u) << (result.stats.problems.empty() ? "" : result.stats.problems[0]);
  EXPECT_EQ(Value(result.events[0], "SubjectUserName"), "admmig");
  EXPECT_EQ(Value(result.events[0], "SubjectLogonId"), "0x1f4c65f");
  EXPECT_EQ(result.events[0].Find("LogFileCleared"), nullptr);
}

TEST(EvtxReader, ReadsElementsWrittenWithoutATemplate) {
  // Records written without templates carry no dependency id in element starts.
  ChunkBuilder chunk;
  chunk.AddRecord(1, [](XmlBuilder& xml) {
    auto open = [&](std::string_view name) { xml.Raw(std::string_view("\x01", 1)).Raw(U32(0)).Name(name); };
    xml.FragmentHeader();
    open("Event");
    xml.CloseStart();
    open("System");
    xml.CloseStart();
    open("EventID");
    xml.CloseStart().Text("1116").End().End();
    open("EventData");
    xml.CloseStart();
    xml.Raw(std::string_view("\x41", 1)).Raw(U32(0)).Name("Data").Raw(U32(0)).Attribute("Name").Text("Threat Name");
    xml.CloseStart().Text("HackTool:Win32/Mimikatz").End();
    xml.End().End().Eof();
  });
  const ReadResult result = ReadBuffer(MakeFile({chunk.Finish()}));
  ASSERT_EQ(result.events.size(), 1u) << (result.stats.problems.empty() ? "" : result.stats.problems[0]);
  EXPECT_EQ(Value(result.events[0], "EventID"), "1116");
  EXPECT_EQ(Value(result.events[0], "Threat Name"), "HackTool:Win32/Mimikatz");
}

TEST(EvtxReader, RendersRecordsAsXml) {
  ChunkBuilder chunk;
  chunk.AddRecord(1, EventRecord(9, {{0x01, Utf16("a<b"), {}}}));
  std::vector<std::string> xml;
  auto stats = EvtxReader::FromBuffer(MakeFile({chunk.Finish()}), "test.evtx")
                   .ReadAllXml([&](std::uint64_t, std::string_view text) { xml.emplace_back(text); });
  ASSERT_TRUE(stats.ok());
  ASSERT_EQ(xml.size(), 1u);
  EXPECT_EQ(xml[0],
            "<Event xmlns=\"http://schemas.microsoft.com/win/2004/08/events/event\">\n"
            "  <System>\n"
            "    <Provider Name=\"Test-Provider\"/>\n"
            "    <EventID>4624</EventID>\n"
            "    <TimeCreated SystemTime=\"2021-10-20T13:39:17.315479800Z\"/>\n"
            "    <EventRecordID>9</EventRecordID>\n"
            "    <Channel>Security</Channel>\n"
            "    <Computer>HOST01</Computer>\n"
            "    <Security UserID=\"S-1-5-18\"/>\n"
            "  </System>\n"
            "  <EventData>\n"
            "    <Data Name=\"V0\">a&lt;b</Data>\n"
            "  </EventData>\n"
            "</Event>\n");
}

TEST(EvtxReader, FailsOnATruncatedFileHeader) {
  const std::string file = MakeFile({}).substr(0, 100);
  auto stats = EvtxReader::FromBuffer(file, "short.evtx").ReadAll([](const Event&) {});
  ASSERT_FALSE(stats.ok());
  EXPECT_EQ(stats.error().kind(), ErrorKind::kParse);
  EXPECT_THAT(stats.error().message(), HasSubstr("short.evtx: file header truncated"));
}

TEST(EvtxReader, FailsOnABadSignature) {
  std::string file = MakeFile({});
  file[0] = 'X';
  auto stats = EvtxReader::FromBuffer(file, "bad.evtx").ReadAll([](const Event&) {});
  ASSERT_FALSE(stats.ok());
  EXPECT_THAT(stats.error().message(), HasSubstr("bad.evtx: not an EVTX file"));
}

TEST(EvtxReader, OpenFileNamesAMissingFile) {
  auto reader = EvtxReader::OpenFile("/nonexistent/dir/Security.evtx");
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.error().kind(), ErrorKind::kIo);
  EXPECT_THAT(reader.error().message(), HasSubstr("/nonexistent/dir/Security.evtx: cannot open"));
}

TEST(EvtxReader, SkipsAChunkWithABadSignatureAndReadsTheRest) {
  std::vector<std::string> chunks;
  for (std::uint64_t chunk_idx = 0; chunk_idx < 3; ++chunk_idx) {
    ChunkBuilder chunk;
    chunk.AddRecord(chunk_idx + 1, EventRecord(chunk_idx + 1, {}));
    chunks.push_back(chunk.Finish());
  }
  chunks[1][0] = 'X';
  const ReadResult result = ReadBuffer(MakeFile(chunks));
  EXPECT_EQ(result.stats.records, 2u);
  EXPECT_EQ(result.stats.bad_chunks, 1u);
  ASSERT_EQ(result.events.size(), 2u);
  EXPECT_EQ(Value(result.events[0], "EventRecordID"), "1");
  EXPECT_EQ(Value(result.events[1], "EventRecordID"), "3");
  ASSERT_EQ(result.stats.problems.size(), 1u);
  EXPECT_EQ(result.stats.problems[0], "test.evtx: chunk 1 (file offset 0x11000): bad signature (want \"ElfChnk\")");
}

TEST(EvtxReader, SkipsARecordWhoseSizePointsPastTheChunk) {
  ChunkBuilder chunk;
  const std::size_t first = chunk.AddRecord(1, EventRecord(1, {}));
  chunk.AddRecord(2, EventRecord(2, {}));
  std::string bytes = chunk.Finish();
  PutU32(bytes, first + 4, 70000);
  const ReadResult result = ReadBuffer(MakeFile({bytes}));
  EXPECT_EQ(result.stats.bad_records, 1u);
  EXPECT_EQ(result.stats.checksum_errors, 1u);  // the records checksum no longer matches
  ASSERT_EQ(result.events.size(), 1u);
  EXPECT_EQ(Value(result.events[0], "EventRecordID"), "2");
  ASSERT_EQ(result.stats.problems.size(), 2u);
  EXPECT_EQ(result.stats.problems[0], "test.evtx: chunk 0 (file offset 0x1000): records checksum mismatch");
  EXPECT_EQ(result.stats.problems[1],
            "test.evtx: chunk 0 (file offset 0x1000): record 1 (chunk offset 0x200): size 70000 points past the chunk");
}

TEST(EvtxReader, CountsChecksumMismatchesButReadsTheData) {
  ChunkBuilder chunk;
  const std::size_t record = chunk.AddRecord(1, EventRecord(1, {{0x01, Utf16("abc"), {}}}));
  std::string bytes = chunk.Finish();
  const std::size_t value = bytes.find(Utf16("abc"), record);
  bytes[value] = 'x';
  bytes[8] = '\x05';  // first record number in the chunk header
  const ReadResult result = ReadBuffer(MakeFile({bytes}));
  EXPECT_EQ(result.stats.checksum_errors, 2u);
  ASSERT_EQ(result.events.size(), 1u);
  EXPECT_EQ(Value(result.events[0], "V0"), "xbc");
  EXPECT_THAT(result.stats.problems,
              ::testing::ElementsAre("test.evtx: chunk 0 (file offset 0x1000): header checksum mismatch",
                                     "test.evtx: chunk 0 (file offset 0x1000): records checksum mismatch"));
}

TEST(EvtxReader, NamesTheRecordAndOffsetOfABadToken) {
  ChunkBuilder chunk;
  chunk.AddRecord(41, [](XmlBuilder& xml) { xml.FragmentHeader().Raw(std::string_view("\x1b", 1)); });
  chunk.AddRecord(42, EventRecord(42, {}));
  const ReadResult result = ReadBuffer(MakeFile({chunk.Finish()}));
  EXPECT_EQ(result.stats.records, 1u);
  EXPECT_EQ(result.stats.bad_records, 1u);
  ASSERT_EQ(result.stats.problems.size(), 1u);
  EXPECT_EQ(result.stats.problems[0],
            "test.evtx: chunk 0 (file offset 0x1000): record 41 (chunk offset 0x200): unknown binary XML token 0x1b "
            "at chunk offset 0x21c");
}

TEST(EvtxReader, SkipsAllZeroChunksAndReportsATruncatedOne) {
  ChunkBuilder chunk;
  chunk.AddRecord(1, EventRecord(1, {}));
  std::string file = MakeFile({chunk.Finish(), std::string(kChunkSize, '\0')});
  file += "ElfChnk";
  const ReadResult result = ReadBuffer(file);
  EXPECT_EQ(result.stats.records, 1u);
  EXPECT_EQ(result.stats.bad_chunks, 1u);
  ASSERT_EQ(result.stats.problems.size(), 1u);
  EXPECT_EQ(result.stats.problems[0], "test.evtx: chunk 2 (file offset 0x21000): truncated to 7 bytes");
}

TEST(EvtxReader, BoundsTheExpansionOfNestedArrays) {
  // <A>%5<B>%6</B></A> with two arrays of 30000 items would expand to 9e8 elements.
  ChunkBuilder chunk;
  chunk.AddRecord(1, [](XmlBuilder& xml) {
    xml.FragmentHeader();
    xml.InlineTemplate([](XmlBuilder& body) {
      body.FragmentHeader().Open("Event").CloseStart();
      WriteSystem(body);
      body.Open("EventData").CloseStart().Open("A").CloseStart().Subst(5, 0x84);
      body.SubstElement("B", 6, 0x84).End().End().End().Eof();
    });
    auto values = SystemValues(1);
    values.push_back({0x84, std::string(30000, 'a'), {}});
    values.push_back({0x84, std::string(30000, 'b'), {}});
    xml.Values(values).Eof();
  });
  chunk.AddRecord(2, EventRecord(2, {}));
  const ReadResult result = ReadBuffer(MakeFile({chunk.Finish()}));
  EXPECT_EQ(result.stats.bad_records, 2u);  // the second record finds the chunk's budget spent
  ASSERT_FALSE(result.stats.problems.empty());
  EXPECT_THAT(result.stats.problems[0], HasSubstr("record 1 (chunk offset 0x200): the chunk's records expand beyond"));
}

// Every single-byte corruption and every truncation of a small file is read
// without a crash (the fuzz target explores further).
TEST(EvtxReader, SurvivesEveryByteFlipAndTruncation) {
  ChunkBuilder chunk;
  std::uint32_t definition = 0;
  chunk.AddRecord(1, [&](XmlBuilder& xml) {
    xml.FragmentHeader();
    definition = xml.InlineTemplate([](XmlBuilder& body) {
      body.FragmentHeader().Open("Event").CloseStart();
      WriteSystem(body);
      body.Open("EventData").CloseStart().DataElement("A", 5, 0x81).DataElement("B", 6, 0x21).End().End().Eof();
    });
    auto values = SystemValues(1);
    values.push_back({0x81, Utf16("x") + U16(0) + Utf16("y"), {}});
    values.push_back({0x21, "", [](std::size_t base) {
                        std::string nested;
                        XmlBuilder inner(nested, base);
                        inner.FragmentHeader().Open("N").CloseStart().Text("t").End().Eof();
                        return nested;
                      }});
    xml.Values(values).Eof();
  });
  chunk.AddRecord(2, [&](XmlBuilder& xml) {
    xml.FragmentHeader().TemplateRef(definition);
    auto values = SystemValues(2);
    values.push_back({0x01, Utf16("z"), {}});
    values.push_back({0x00, "", {}});
    xml.Values(values).Eof();
  });
  const std::string file = MakeFile({chunk.Finish()});
  const std::size_t used = 4096 + chunk.pos();
  std::uint64_t records = 0;
  for (std::size_t pos = 4096; pos < used; ++pos) {
    for (char flip : {'\x01', '\x80', '\xff'}) {
      std::string corrupt = file.substr(0, used);
      corrupt[pos] = static_cast<char>(corrupt[pos] ^ flip);
      auto stats = EvtxReader::FromBuffer(corrupt, "flip.evtx").ReadAll([](const Event&) {});
      ASSERT_TRUE(stats.ok());
      records += stats->records;
    }
    auto stats = EvtxReader::FromBuffer(std::string_view(file).substr(0, pos), "cut.evtx").ReadAll([](const Event&) {});
    ASSERT_TRUE(stats.ok());
  }
  EXPECT_GT(records, 0u);
}

}  // namespace
}  // namespace dv::evtx
