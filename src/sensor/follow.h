// SPDX-License-Identifier: Apache-2.0
#pragma once

// FileFollower: reads log files the way `tail -F` does — the lines appended
// since the last look, across rotation — and remembers how far it got, so a
// restarted sensor neither reads a line twice nor skips one.
//
// Each Poll() looks at every file once (no inotify: a stat() per file per
// poll works the same on local disks, NFS/CIFS log shares and bind mounts in
// containers, needs no watch limits, and sees rename and truncate alike;
// docs/sensor.md):
// - The open descriptor is read to its end first, so lines written to a file
//   just before it was renamed away are not lost.
// - Rotation by rename (the path now names another inode, dev+inode compared)
//   closes the old file and reads the new one from its first byte.
// - Truncation (the file is shorter than what was read, e.g. copytruncate)
//   starts again at byte 0.
// - A missing file is waited for; it is read from its start once it appears.
// - Only complete lines ('\n') are processed; a partial last line waits for
//   the rest (a rotated-away file's unterminated last line is taken as is).
//   A line longer than max_line_bytes is a bad record and skipped.
//
// Where a file starts when the follower first sees it: the offset remembered
// in the state file when it names the same inode and the file is not shorter;
// otherwise its end (default) or, with from_start, its first byte. A file
// that did not exist at start, or replaced the remembered inode, is read from
// its first byte (its lines are all new).
//
// State file (JSON, written to *.tmp and renamed):
//   {"files": {"<path as given>": {"dev": N, "inode": N, "offset": N}}}
// `offset` is the byte after the last line handed to on_event. Lines are
// processed before their offset is saved, so a crash re-reads at most the
// lines since the last SaveState (at-least-once).
//
// Events: each line is parsed by LineParser (JSON lines, syslog 5424/3164,
// CEF, firewall key=value, Zeek TSV, plain), one parser per file, so that a
// Zeek log's header is state of its own file; the origin is "<path>@<byte
// offset of the line>". A file opened at byte 0 (first sight with
// from_start, rotation, truncation) starts a new stream; one resumed at a
// remembered offset first reads the '#' header block at the top of the file
// (at most 64 KiB), so a Zeek log goes on with its columns — a header that
// changed mid-file before the restart is not seen, and the records after it
// are read with the first header's columns (reported when their count
// differs). Zeek header lines give no event. Not thread-safe: one thread
// polls.

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/event.h"
#include "core/result.h"
#include "ingest/line_parser.h"

namespace dv::sensor {

struct FollowOptions {
  bool from_start = false;           // files without a remembered offset start at byte 0, not at the end
  std::filesystem::path state_file;  // empty: offsets are not remembered
  std::size_t max_line_bytes = std::size_t{1} << 20;
  std::size_t read_bytes = std::size_t{1} << 16;  // per read() call
};

struct FollowStats {
  std::uint64_t lines = 0;
  std::uint64_t events = 0;
  std::uint64_t bad_records = 0;
  std::uint64_t rotations = 0;    // a new inode at the path
  std::uint64_t truncations = 0;  // the file shrank below what was read
  std::uint64_t reopen_failures = 0;
};

class FileFollower {
 public:
  using EventCallback = std::function<void(const Event&)>;

  // Loads the state file (a missing one is empty; an unreadable one is an
  // error naming it) and positions every file as described above. Files that
  // do not exist yet are waited for.
  static Result<std::unique_ptr<FileFollower>> Create(std::vector<std::string> paths, FollowOptions options);
  ~FileFollower();
  FileFollower(const FileFollower&) = delete;
  FileFollower& operator=(const FileFollower&) = delete;

  // Reads what was appended to every file since the last call and calls
  // on_event for each line's event. Returns the number of lines read.
  std::size_t Poll(const EventCallback& on_event);
  // The same, handing over each line as read (without its '\n'), for
  // readers that parse lines of their own (sensor/blocks.h): the path as
  // given, the line, and the byte offset it starts at. Lines longer than
  // max_line_bytes are skipped and counted as bad records, as by Poll.
  using LineCallback = std::function<void(const std::string& path, std::string_view line, std::uint64_t offset)>;
  std::size_t PollLines(const LineCallback& on_line);
  // Writes the offsets of every file to the state file (when one is set and
  // something moved since the last save).
  Status SaveState();

  const FollowStats& stats() const { return stats_; }
  // The offset the next line of `path` starts at (tests); -1 when not open.
  std::int64_t offset(const std::string& path) const;

 private:
  struct File;
  explicit FileFollower(FollowOptions options);
  std::size_t PollFile(File& file, const LineCallback& on_line);
  std::size_t ReadAvailable(File& file, const LineCallback& on_line, bool final_read);
  void EmitLine(File& file, std::string_view line, std::uint64_t line_offset, const EventCallback& on_event);
  void ReplayZeekHeader(File& file, std::uint64_t start);
  bool OpenFile(File& file, bool at_end);
  void CloseFile(File& file);

  FollowOptions options_;
  std::vector<std::unique_ptr<File>> files_;
  Event event_;
  FollowStats stats_;
  bool dirty_ = false;
};

}  // namespace dv::sensor
