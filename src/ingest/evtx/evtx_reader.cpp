// SPDX-License-Identifier: Apache-2.0
#include "ingest/evtx/evtx_reader.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "ingest/evtx/binxml.h"
#include "ingest/evtx/bytes.h"

namespace dv::evtx {
namespace {

constexpr std::string_view kFileSignature{"ElfFile\0", 8};
constexpr std::string_view kChunkSignature{"ElfChnk\0", 8};
constexpr std::uint32_t kRecordSignature = 0x00002a2a;
constexpr std::string_view kRecordSignatureBytes{"**\0\0", 4};
constexpr std::size_t kFileHeaderBlockSize = 4096;
constexpr std::size_t kFileHeaderUsedSize = 128;
constexpr std::size_t kChunkSize = 65536;
constexpr std::size_t kChunkHeaderSize = 512;  // header proper (128) + string and template offset tables
constexpr std::size_t kRecordHeaderSize = 24;  // signature, size, id, written time
constexpr std::size_t kMinRecordSize = kRecordHeaderSize + 4;
// Nodes visited plus embedded bytes parsed per chunk. Real chunks need well
// under a million (a few hundred records of a few hundred nodes); crafted
// ones could otherwise expand exponentially.
constexpr std::uint64_t kWorkPerChunk = 16'000'000;

std::uint32_t Crc32(std::string_view bytes) {
  return static_cast<std::uint32_t>(
      crc32(0L, reinterpret_cast<const Bytef*>(bytes.data()), static_cast<uInt>(bytes.size())));
}

std::uint32_t Crc32(std::string_view first, std::string_view second) {
  uLong crc = crc32(0L, reinterpret_cast<const Bytef*>(first.data()), static_cast<uInt>(first.size()));
  crc = crc32(crc, reinterpret_cast<const Bytef*>(second.data()), static_cast<uInt>(second.size()));
  return static_cast<std::uint32_t>(crc);
}

// Builds a dv::Event from the walk of one record (see the field mapping in
// evtx_reader.h).
class EventBuilder {
 public:
  EventBuilder(const std::string& name, const std::function<void(const Event&)>& sink) : name_(name), sink_(sink) {}

  void BeginRecord(std::uint64_t record_id, std::uint64_t written_filetime) {
    event_.Clear();
    depth_ = 0;
    section_ = Section::kNone;
    record_id_ = record_id;
    written_filetime_ = written_filetime;
  }

  void EndRecord() {
    if (!event_.time) {
      constexpr std::int64_t kEpochDifferenceMs = 11'644'473'600'000;
      event_.time = Timestamp(static_cast<std::int64_t>(written_filetime_ / 10'000) - kEpochDifferenceMs);
    }
    event_.origin = name_;
    event_.origin += '#';
    if (const EventField* record_id = event_.Find("EventRecordID"); record_id != nullptr && !record_id->value.empty()) {
      event_.origin += record_id->value;
    } else {
      event_.origin += std::to_string(record_id_);
    }
    sink_(event_);
  }

  void StartElement(std::string_view name) {
    if (depth_ > 0) frames_[depth_ - 1].has_child = true;
    if (depth_ == frames_.size()) frames_.emplace_back();
    Frame& frame = frames_[depth_++];
    frame.name = name;
    frame.text.clear();
    frame.data_name.clear();
    frame.has_child = false;
    if (depth_ == 2) {
      if (name == "System") {
        section_ = Section::kSystem;
      } else if (name == "EventData") {
        section_ = Section::kEventData;
      } else if (name == "UserData") {
        section_ = Section::kUserData;
      } else {
        section_ = Section::kOther;
      }
    }
  }

  void Attribute(std::string_view name, std::string_view value) {
    if (depth_ < 3) return;
    Frame& frame = frames_[depth_ - 1];
    if (section_ == Section::kSystem && depth_ == 3) {
      SystemAttribute(frame.name, name, value);
    } else if ((section_ == Section::kEventData || section_ == Section::kUserData) && name == "Name") {
      frame.data_name.assign(value);
    }
  }

  void Text(std::string_view text) {
    if (depth_ == 0 || section_ == Section::kOther || section_ == Section::kNone) return;
    frames_[depth_ - 1].text += text;
  }

  void EndElement(std::string_view /*name*/) {
    if (depth_ == 0) return;
    const Frame& frame = frames_[depth_ - 1];
    if (section_ == Section::kSystem && depth_ == 3) {
      if (IsSystemTextElement(frame.name) || !frame.text.empty()) event_.Add(frame.name, frame.text);
    } else if (section_ == Section::kEventData && depth_ == 3) {
      event_.Add(frame.data_name.empty() ? frame.name : std::string_view(frame.data_name), frame.text);
    } else if (section_ == Section::kUserData && depth_ >= 3 && !frame.has_child) {
      event_.Add(frame.data_name.empty() ? frame.name : std::string_view(frame.data_name), frame.text);
    }
    --depth_;
    if (depth_ < 2) section_ = Section::kNone;
  }

 private:
  enum class Section { kNone, kSystem, kEventData, kUserData, kOther };
  struct Frame {
    std::string_view name;
    std::string text;
    std::string data_name;
    bool has_child = false;
  };

  static bool IsSystemTextElement(std::string_view name) {
    return name == "EventID" || name == "Version" || name == "Level" || name == "Task" || name == "Opcode" ||
           name == "Keywords" || name == "EventRecordID" || name == "Channel" || name == "Computer";
  }

  void SystemAttribute(std::string_view element, std::string_view name, std::string_view value) {
    if (element == "Provider") {
      if (name == "Name") {
        event_.Add("Provider_Name", value);
      } else if (name == "Guid") {
        event_.Add("Provider_Guid", value);
      } else if (name == "EventSourceName") {
        event_.Add("EventSourceName", value);
      }
    } else if (element == "TimeCreated" && name == "SystemTime") {
      auto time = Timestamp::Parse(value);
      if (time.ok()) {
        event_.time = *time;
        event_.Add("TimeCreated", time->ToRfc3339());
      } else {
        event_.Add("TimeCreated", value);
      }
    } else if (element == "Execution") {
      if (name == "ProcessID" || name == "ThreadID") event_.Add(name, value);
    } else if (element == "Security") {
      if (name == "UserID") event_.Add("UserID", value);
    } else if (element == "Correlation") {
      if (name == "ActivityID" || name == "RelatedActivityID") event_.Add(name, value);
    }
  }

  const std::string& name_;
  const std::function<void(const Event&)>& sink_;
  Event event_;
  std::vector<Frame> frames_;  // [0, depth_) open; the rest keep their capacity
  std::size_t depth_ = 0;
  Section section_ = Section::kNone;
  std::uint64_t record_id_ = 0;
  std::uint64_t written_filetime_ = 0;
};

// Renders the walk of one record as indented XML text.
class XmlWriter {
 public:
  explicit XmlWriter(const std::function<void(std::uint64_t, std::string_view)>& sink) : sink_(sink) {}

  void BeginRecord(std::uint64_t record_id, std::uint64_t /*written_filetime*/) {
    out_.clear();
    depth_ = 0;
    record_id_ = record_id;
  }

  void EndRecord() { sink_(record_id_, out_); }

  void StartElement(std::string_view name) {
    if (depth_ > 0) {
      Frame& parent = frames_[depth_ - 1];
      if (parent.tag_open) {
        out_ += ">";
        parent.tag_open = false;
      }
      if (!parent.has_children) out_ += '\n';
      parent.has_children = true;
    }
    if (depth_ == frames_.size()) frames_.emplace_back();
    frames_[depth_] = Frame{};
    out_.append(2 * depth_, ' ');
    out_ += '<';
    out_ += name;
    ++depth_;
  }

  void Attribute(std::string_view name, std::string_view value) {
    out_ += ' ';
    out_ += name;
    out_ += "=\"";
    Escape(value, true);
    out_ += '"';
  }

  void Text(std::string_view text) {
    if (depth_ == 0) return;
    Frame& frame = frames_[depth_ - 1];
    if (frame.tag_open) {
      out_ += '>';
      frame.tag_open = false;
    }
    frame.has_text = true;
    Escape(text, false);
  }

  void EndElement(std::string_view name) {
    if (depth_ == 0) return;
    const Frame frame = frames_[--depth_];
    if (frame.tag_open) {
      out_ += "/>\n";
      return;
    }
    if (frame.has_children && !frame.has_text) out_.append(2 * depth_, ' ');
    out_ += "</";
    out_ += name;
    out_ += ">\n";
  }

 private:
  struct Frame {
    bool tag_open = true;
    bool has_children = false;
    bool has_text = false;
  };

  void Escape(std::string_view text, bool attribute) {
    for (char c : text) {
      switch (c) {
        case '<':
          out_ += "&lt;";
          break;
        case '>':
          out_ += "&gt;";
          break;
        case '&':
          out_ += "&amp;";
          break;
        case '"':
          if (attribute) {
            out_ += "&quot;";
          } else {
            out_ += c;
          }
          break;
        default:
          out_ += c;
      }
    }
  }

  const std::function<void(std::uint64_t, std::string_view)>& sink_;
  std::string out_;
  std::vector<Frame> frames_;
  std::size_t depth_ = 0;
  std::uint64_t record_id_ = 0;
};

}  // namespace

struct EvtxReader::Mapping {
  void* address = nullptr;
  std::size_t size = 0;
  ~Mapping() {
    if (address != nullptr) munmap(address, size);
  }
};

EvtxReader::EvtxReader(std::string_view bytes, std::string name, std::unique_ptr<Mapping> mapping)
    : bytes_(bytes), name_(std::move(name)), mapping_(std::move(mapping)) {}
EvtxReader::EvtxReader(EvtxReader&&) noexcept = default;
EvtxReader& EvtxReader::operator=(EvtxReader&&) noexcept = default;
EvtxReader::~EvtxReader() = default;

Result<EvtxReader> EvtxReader::OpenFile(const std::string& path) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Error::Io(path + ": cannot open: " + std::strerror(errno));
  struct stat info {};
  if (fstat(fd, &info) != 0) {
    const int saved = errno;
    close(fd);
    return Error::Io(path + ": cannot stat: " + std::strerror(saved));
  }
  auto mapping = std::make_unique<Mapping>();
  std::string_view bytes;
  if (info.st_size > 0) {
    mapping->size = static_cast<std::size_t>(info.st_size);
    void* address = mmap(nullptr, mapping->size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (address == MAP_FAILED) {
      const int saved = errno;
      close(fd);
      return Error::Io(path + ": cannot map: " + std::strerror(saved));
    }
    mapping->address = address;
    madvise(address, mapping->size, MADV_SEQUENTIAL);
    bytes = std::string_view(static_cast<const char*>(address), mapping->size);
  }
  close(fd);
  return EvtxReader(bytes, path, std::move(mapping));
}

EvtxReader EvtxReader::FromBuffer(std::string_view bytes, std::string name) {
  return EvtxReader(bytes, std::move(name), nullptr);
}

Result<EvtxStats> EvtxReader::ReadAll(const std::function<void(const Event&)>& sink) {
  EventBuilder builder(name_, sink);
  return Read(builder);
}

Result<EvtxStats> EvtxReader::ReadAllXml(const std::function<void(std::uint64_t, std::string_view)>& sink) {
  XmlWriter writer(sink);
  return Read(writer);
}

template <typename Handler>
Result<EvtxStats> EvtxReader::Read(Handler& handler) {
  EvtxStats stats;
  stats.bytes = bytes_.size();
  auto note = [&](std::string message) {
    if (stats.problems.size() < kMaxProblems) stats.problems.push_back(name_ + ": " + std::move(message));
  };

  if (bytes_.size() < kFileHeaderUsedSize) {
    return Error::Parse(name_ + ": file header truncated (" + std::to_string(bytes_.size()) +
                        " bytes, the header needs " + std::to_string(kFileHeaderUsedSize) + ")");
  }
  if (bytes_.substr(0, kFileSignature.size()) != kFileSignature) {
    return Error::Parse(name_ + ": not an EVTX file (bad signature at offset 0, want \"ElfFile\")");
  }
  const std::uint16_t major_version = LoadU16(bytes_, 38);
  if (major_version != 3) note("file header: unexpected major version " + std::to_string(major_version));
  if (Crc32(bytes_.substr(0, 120)) != LoadU32(bytes_, 124)) {
    ++stats.checksum_errors;
    note("file header: checksum mismatch");
  }

  ChunkParser parser;
  Walker<Handler> walker(parser, handler);
  std::vector<Node> nodes;
  std::uint64_t chunk_number = 0;
  for (std::size_t chunk_start = kFileHeaderBlockSize; chunk_start < bytes_.size();
       chunk_start += kChunkSize, ++chunk_number) {
    const std::string_view chunk = bytes_.substr(chunk_start, kChunkSize);
    const std::string chunk_place =
        "chunk " + std::to_string(chunk_number) + " (file offset " + HexOffset(chunk_start) + ")";
    if (chunk.size() < kChunkHeaderSize) {
      ++stats.bad_chunks;
      note(chunk_place + ": truncated to " + std::to_string(chunk.size()) + " bytes");
      continue;
    }
    if (chunk.substr(0, kChunkSignature.size()) != kChunkSignature) {
      // Pre-allocated, never written chunks are all zeros; they are not corrupt.
      if (chunk.find_first_not_of('\0') == std::string_view::npos) continue;
      ++stats.bad_chunks;
      note(chunk_place + ": bad signature (want \"ElfChnk\")");
      continue;
    }
    ++stats.chunks;
    if (chunk.size() < kChunkSize) note(chunk_place + ": truncated to " + std::to_string(chunk.size()) + " bytes");
    if (Crc32(chunk.substr(0, 120), chunk.substr(128, kChunkHeaderSize - 128)) != LoadU32(chunk, 124)) {
      ++stats.checksum_errors;
      note(chunk_place + ": header checksum mismatch");
    }
    std::size_t limit = LoadU32(chunk, 48);  // free space offset: end of the last record
    if (limit < kChunkHeaderSize || limit > chunk.size()) {
      note(chunk_place + ": free space offset " + HexOffset(limit) + " is outside the chunk; reading to its end");
      limit = chunk.size();
    } else if (Crc32(chunk.substr(kChunkHeaderSize, limit - kChunkHeaderSize)) != LoadU32(chunk, 52)) {
      ++stats.checksum_errors;
      note(chunk_place + ": records checksum mismatch");
    }

    parser.Reset(chunk);
    walker.ResetBudget(kWorkPerChunk);
    std::size_t pos = kChunkHeaderSize;
    while (pos + kMinRecordSize <= limit) {
      if (LoadU32(chunk, pos) != kRecordSignature) {
        ++stats.bad_records;
        note(chunk_place + ": no record signature at chunk offset " + HexOffset(pos) + "; skipping to the next one");
        const std::size_t next = chunk.substr(0, limit).find(kRecordSignatureBytes, pos + 1);
        if (next == std::string_view::npos) break;
        pos = next;
        continue;
      }
      const std::uint32_t size = LoadU32(chunk, pos + 4);
      const std::uint64_t record_id = LoadU64(chunk, pos + 8);
      const std::string record_place =
          chunk_place + ": record " + std::to_string(record_id) + " (chunk offset " + HexOffset(pos) + ")";
      if (size < kMinRecordSize || !Fits(pos, size, chunk.size())) {
        ++stats.bad_records;
        note(record_place + ": size " + std::to_string(size) + " points past the chunk");
        const std::size_t next = chunk.substr(0, limit).find(kRecordSignatureBytes, pos + 1);
        if (next == std::string_view::npos) break;
        pos = next;
        continue;
      }
      if (LoadU32(chunk, pos + size - 4) != size) {
        ++stats.bad_records;
        note(record_place + ": size " + std::to_string(size) + " does not match its copy at the record's end");
        pos += size;
        continue;
      }
      nodes.clear();
      Status parsed = parser.ParseFragment(pos + kRecordHeaderSize, pos + size - 4, nodes);
      if (parsed.ok()) {
        handler.BeginRecord(record_id, LoadU64(chunk, pos + 16));
        parsed = walker.Walk(nodes, {}, 0);
      }
      if (!parsed.ok()) {
        ++stats.bad_records;
        note(record_place + ": " + parsed.error().message());
      } else {
        ++stats.records;
        handler.EndRecord();
      }
      pos += size;
    }
  }
  return stats;
}

}  // namespace dv::evtx
