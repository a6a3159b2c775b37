// SPDX-License-Identifier: Apache-2.0
#pragma once

// EvtxReader: reads Windows event log files (.evtx) into dv::Event values for
// the detection engine. docs/evtx_format.md describes the format as read here.
//
// Field names follow the Sigma Windows taxonomy:
//  - System: EventID (without Qualifiers), Provider_Name, Provider_Guid,
//    EventSourceName, Channel, Computer, EventRecordID, Level, Task, Opcode,
//    Keywords, Version, ProcessID, ThreadID (from Execution), UserID (from
//    Security, a SID string), ActivityID and RelatedActivityID (from
//    Correlation), TimeCreated (RFC 3339 with milliseconds).
//  - EventData: <Data Name="X">v</Data> becomes X = v; unnamed Data elements
//    become repeated fields "Data"; other children (Binary) keep their
//    element name. Array values give one field per item.
//  - UserData: every leaf element becomes a field named after the element
//    (a leaf <Data Name="X"> is named X).
// Values are rendered as Windows renders them in XML: GUIDs "{…}" upper-case,
// SIDs "S-1-5-…", hex integers "0x3e7", binary as upper-case hex, FILETIME
// and SYSTEMTIME as RFC 3339 (seven and three fraction digits).
// Event::time is TimeCreated (else the record's written time) and
// Event::origin is "<name>#<EventRecordID>".
//
// Errors: a file whose header is missing, truncated or of the wrong
// signature fails ReadAll with a kParse error naming the file. Everything
// after the header is read on a best-effort basis: a corrupt chunk or record
// is counted in EvtxStats, described (the first kMaxProblems) with its place
// — file, chunk number, record id, offsets — and skipped; reading goes on.
// Checksum mismatches (file header, chunk header, chunk records) are counted
// and described, and the data is read anyway.
//
// Ownership and threads: OpenFile maps the file read-only and the reader owns
// the mapping; FromBuffer views the caller's bytes, which must outlive the
// reader. A reader is movable, not copyable, and not thread-safe; read
// different files from different threads with different readers. The Event
// passed to a sink is valid only during the call.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/event.h"
#include "core/result.h"

namespace dv::evtx {

struct EvtxStats {
  std::uint64_t records = 0;          // records passed to the sink
  std::uint64_t bad_records = 0;      // records skipped as corrupt
  std::uint64_t chunks = 0;           // chunks read (even with checksum mismatches)
  std::uint64_t bad_chunks = 0;       // chunks skipped as unusable
  std::uint64_t checksum_errors = 0;  // CRC32 mismatches of file header, chunk headers and chunk data
  std::uint64_t bytes = 0;            // size of the file
  // The first kMaxProblems descriptions of corruption, each naming its place.
  std::vector<std::string> problems;
};

class EvtxReader {
 public:
  static constexpr std::size_t kMaxProblems = 100;

  // Maps the file at `path`. Fails with kIo when it cannot be opened or mapped.
  static Result<EvtxReader> OpenFile(const std::string& path);
  // Views `bytes` (not copied; must outlive the reader); `name` is used in
  // origins and messages.
  static EvtxReader FromBuffer(std::string_view bytes, std::string name);

  EvtxReader(EvtxReader&&) noexcept;
  EvtxReader& operator=(EvtxReader&&) noexcept;
  ~EvtxReader();

  // Calls sink(event) once per readable record, in file order.
  Result<EvtxStats> ReadAll(const std::function<void(const Event&)>& sink);

  // Calls sink(record_id, xml) once per readable record, in file order, with
  // the record rendered as indented XML text (in the manner of libevtx's
  // evtxexport), for debugging and differential tests.
  Result<EvtxStats> ReadAllXml(const std::function<void(std::uint64_t, std::string_view)>& sink);

  const std::string& name() const { return name_; }

 private:
  struct Mapping;
  EvtxReader(std::string_view bytes, std::string name, std::unique_ptr<Mapping> mapping);

  template <typename Handler>
  Result<EvtxStats> Read(Handler& handler);

  std::string_view bytes_;
  std::string name_;
  std::unique_ptr<Mapping> mapping_;
};

}  // namespace dv::evtx
