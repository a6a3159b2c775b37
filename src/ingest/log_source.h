// SPDX-License-Identifier: Apache-2.0
#pragma once

// LogSource: reads the logs a user names — files, folders, "-" for stdin —
// and yields one Event per record through a callback.
//
// - Folders are walked recursively; the files found are read in byte order
//   of their paths, so two runs over the same tree yield the same events in
//   the same order. Symbolic links to folders are not followed.
// - Each file is sniffed (DetectFileFormat): EVTX goes to the EVTX reader,
//   gzip is decompressed while streaming and its content sniffed again, any
//   other file is text and every line is parsed by LineParser — unless its
//   content is a JSON array or JSON documents that span lines or sit back to
//   back (DetectTextLayout): those are cut into objects by JsonStreamReader
//   and each object is parsed by JsonLineParser.
// - Reading is streaming: memory is bounded by max_line_bytes + block_bytes
//   whatever the file size. A line longer than max_line_bytes is a bad
//   record ("line longer than N bytes") and skipped.
// - Origins: "path:line" for text ("stdin:line" for "-"), "path:line#n" for
//   the n-th document or array element of a JSON stream (line: where it
//   starts), the EVTX reader's own origin for EVTX records.
// - max_line_bytes also bounds one JSON document or array element.
// - A bad record, an unreadable file inside a folder, or a corrupt gzip
//   stream is a problem: counted in IngestStats, its place and reason kept
//   (the first max_problems of them), and reading goes on.
//
// Read returns an error (after reading everything else) only when a path
// named by the caller itself cannot be read; the error names every such path.
// Not thread-safe; the callbacks run on the calling thread. The Event passed
// to on_event is reused: copy what must outlive the call.

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/event.h"
#include "core/problem.h"
#include "core/result.h"
#include "ingest/line_parser.h"
#include "ingest/line_reader.h"

namespace dv {

struct IngestStats {
  std::uint64_t files = 0;          // files opened and read
  std::uint64_t files_skipped = 0;  // files that could not be opened or read
  std::uint64_t bytes = 0;          // bytes taken from files (compressed size for gzip)
  std::uint64_t events = 0;
  std::uint64_t lines_too_long = 0;  // bad records whose format was not looked at
  // `{}` in a JSON array or document stream: no event (see JsonStreamReader).
  std::uint64_t empty_json_objects = 0;
  std::array<std::uint64_t, kLogFormatCount> events_by_format{};
  std::array<std::uint64_t, kLogFormatCount> bad_by_format{};
  std::uint64_t problem_count = 0;  // every problem, kept or not
  // The first IngestOptions::max_problems, each placed "auth.log:17",
  // "logs/x.gz" or "Security.evtx" with the reason, e.g. "invalid JSON: ...".
  std::vector<Problem> problems;

  std::uint64_t bad_records() const;
};

struct IngestOptions {
  std::size_t max_line_bytes = std::size_t{1} << 20;
  std::size_t block_bytes = std::size_t{1} << 20;
  std::size_t max_problems = 100;
  // Dates BSD syslog lines. Unset: each file's modification time, now for stdin.
  std::optional<Timestamp> reference_time;
  // Called after each block with the bytes read so far and the total size of
  // the regular files named (0 when unknown, e.g. stdin only).
  std::function<void(std::uint64_t done, std::uint64_t total)> progress;
};

class LogSource {
 public:
  using EventCallback = std::function<void(const Event&)>;

  explicit LogSource(IngestOptions options = {});

  Status Read(std::span<const std::string> paths, const EventCallback& on_event);
  // Reads one already-open stream (e.g. a test's in-memory source) named
  // `name` in origins; the stream is sniffed for gzip like a file.
  Status ReadStream(ByteSource& source, const std::string& name, const EventCallback& on_event);

  const IngestStats& stats() const { return stats_; }

 private:
  void ReadFile(const std::string& path, const EventCallback& on_event, std::vector<std::string>& failures, bool named);
  Status ReadText(ByteSource& source, const std::string& name, const EventCallback& on_event);
  // Peeks at the start of a text stream and reads it with ReadText or ReadJson.
  Status ReadTextOrJson(ByteSource& source, const std::string& name, const EventCallback& on_event);
  void ReadJson(ByteSource& source, const std::string& name, const EventCallback& on_event);
  void ReadEvtx(const std::string& path, const EventCallback& on_event);
  void Problem(std::string place, std::string message);
  void ReportProgress(std::uint64_t file_done);

  IngestOptions options_;
  IngestStats stats_;
  LineParser parser_;
  JsonLineParser json_parser_;  // for JSON streams; LineParser's own serves JSON lines
  Event event_;
  std::uint64_t bytes_before_file_ = 0;
  std::uint64_t total_bytes_ = 0;
};

}  // namespace dv
