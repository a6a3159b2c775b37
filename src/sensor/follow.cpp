// SPDX-License-Identifier: Apache-2.0
#include "sensor/follow.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace dv::sensor {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

bool Blank(std::string_view line) {
  for (const char c : line) {
    if (c != ' ' && c != '\t' && c != '\r') return false;
  }
  return true;
}

}  // namespace

struct FileFollower::File {
  std::string path;  // as given; the state key is its absolute form
  std::string key;
  int fd = -1;
  dev_t dev = 0;
  ino_t ino = 0;
  std::uint64_t offset = 0;  // the byte after the last line handed out
  std::string pending;       // bytes read after `offset`, no '\n' among them
  bool skipping = false;     // inside a line longer than max_line_bytes
  // Where to start when the file is opened next: its end (first sight) or byte 0.
  bool start_at_end = false;
  // A remembered position from the state file, used on first sight only.
  bool has_saved = false;
  std::uint64_t saved_dev = 0;
  std::uint64_t saved_ino = 0;
  std::uint64_t saved_offset = 0;
  std::unique_ptr<LineParser> parser;  // per file: a Zeek log's header is per file
};

FileFollower::FileFollower(FollowOptions options) : options_(std::move(options)) {}

FileFollower::~FileFollower() {
  for (auto& file : files_) CloseFile(*file);
}

Result<std::unique_ptr<FileFollower>> FileFollower::Create(std::vector<std::string> paths, FollowOptions options) {
  std::unique_ptr<FileFollower> follower(new FileFollower(std::move(options)));
  Json state = Json::object();
  const fs::path& state_file = follower->options_.state_file;
  std::error_code ec;
  if (!state_file.empty() && fs::exists(state_file, ec)) {
    std::ifstream in(state_file, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    state = Json::parse(text.str(), nullptr, false);
    if (!in || !state.is_object() || (state.contains("files") && !state["files"].is_object())) {
      return Error::Parse("'" + state_file.string() + "': not a follow state ({\"files\": {...}})");
    }
  }
  for (auto& path : paths) {
    auto file = std::make_unique<File>();
    file->path = path;
    file->key = fs::absolute(path, ec).lexically_normal().string();
    if (ec) file->key = path;
    if (state.contains("files") && state["files"].contains(file->key)) {
      const Json& entry = state["files"][file->key];
      if (entry.is_object() && entry.value("offset", Json()).is_number_unsigned()) {
        file->has_saved = true;
        file->saved_dev = entry.value("dev", std::uint64_t{0});
        file->saved_ino = entry.value("inode", std::uint64_t{0});
        file->saved_offset = entry.value("offset", std::uint64_t{0});
      }
    }
    // A file that exists now starts at its end (unless from_start); one that
    // appears later is new and read from its first byte.
    struct stat st {};
    file->start_at_end = !follower->options_.from_start && ::stat(path.c_str(), &st) == 0;
    (void)follower->OpenFile(*file, file->start_at_end);
    follower->files_.push_back(std::move(file));
  }
  return follower;
}

bool FileFollower::OpenFile(File& file, bool at_end) {
  const int fd = ::open(file.path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    ++stats_.reopen_failures;
    return false;
  }
  file.fd = fd;
  file.dev = st.st_dev;
  file.ino = st.st_ino;
  file.pending.clear();
  file.skipping = false;
  std::uint64_t start = at_end ? static_cast<std::uint64_t>(st.st_size) : 0;
  if (file.has_saved) {
    file.has_saved = false;
    if (file.saved_dev == static_cast<std::uint64_t>(st.st_dev) &&
        file.saved_ino == static_cast<std::uint64_t>(st.st_ino) &&
        file.saved_offset <= static_cast<std::uint64_t>(st.st_size)) {
      start = file.saved_offset;  // the same file, not shorter: go on where we were
    } else {
      start = 0;  // rotated or truncated while the sensor was down: all of it is new
    }
  }
  if (::lseek(fd, static_cast<off_t>(start), SEEK_SET) < 0) start = 0;
  file.offset = start;
  if (!file.parser) file.parser = std::make_unique<LineParser>();
  file.parser->BeginStream();
  if (start > 0) ReplayZeekHeader(file, start);
  file.start_at_end = false;
  dirty_ = true;
  return true;
}

void FileFollower::CloseFile(File& file) {
  if (file.fd >= 0) ::close(file.fd);
  file.fd = -1;
}

void FileFollower::ReplayZeekHeader(File& file, std::uint64_t start) {
  constexpr std::size_t kMaxHeaderBytes = 64 * 1024;
  std::string head(static_cast<std::size_t>(std::min<std::uint64_t>(start, kMaxHeaderBytes)), '\0');
  const ssize_t got = ::pread(file.fd, head.data(), head.size(), 0);
  if (got <= 0) return;
  head.resize(static_cast<std::size_t>(got));
  if (!head.starts_with("#separator ") && !head.starts_with("#fields")) return;
  std::size_t line_start = 0;
  while (line_start < head.size() && head[line_start] == '#') {
    const std::size_t newline = head.find('\n', line_start);
    if (newline == std::string::npos) break;
    LogFormat format = LogFormat::kPlain;
    (void)file.parser->ParseLine(std::string_view(head).substr(line_start, newline - line_start), event_, format);
    line_start = newline + 1;
  }
}

std::size_t FileFollower::Poll(const EventCallback& on_event) {
  std::size_t lines = 0;
  for (auto& file : files_) {
    File& current = *file;
    if (current.parser) current.parser->set_reference_time(Timestamp::Now());
    lines += PollFile(current, [&](const std::string&, std::string_view line, std::uint64_t line_offset) {
      EmitLine(current, line, line_offset, on_event);
    });
  }
  return lines;
}

std::size_t FileFollower::PollLines(const LineCallback& on_line) {
  std::size_t lines = 0;
  for (auto& file : files_) lines += PollFile(*file, on_line);
  return lines;
}

std::size_t FileFollower::PollFile(File& file, const LineCallback& on_line) {
  std::size_t lines = 0;
  if (file.fd < 0 && !OpenFile(file, file.start_at_end)) return 0;
  lines += ReadAvailable(file, on_line, false);
  struct stat st {};
  if (::stat(file.path.c_str(), &st) != 0) return lines;  // renamed away, the new one not there yet
  if (st.st_dev != file.dev || st.st_ino != file.ino) {
    // Rotated: what was written to the old file before the rename has been
    // read above; take its unterminated last line too, then the new file.
    lines += ReadAvailable(file, on_line, true);
    CloseFile(file);
    ++stats_.rotations;
    if (OpenFile(file, false)) lines += ReadAvailable(file, on_line, false);
    return lines;
  }
  struct stat open_st {};
  if (::fstat(file.fd, &open_st) == 0 &&
      static_cast<std::uint64_t>(open_st.st_size) < file.offset + file.pending.size()) {
    // Truncated (copytruncate, or "> file"): start again at its first byte.
    ++stats_.truncations;
    file.pending.clear();
    file.skipping = false;
    file.offset = 0;
    if (file.parser) file.parser->BeginStream();
    dirty_ = true;
    if (::lseek(file.fd, 0, SEEK_SET) == 0) lines += ReadAvailable(file, on_line, false);
  }
  return lines;
}

std::size_t FileFollower::ReadAvailable(File& file, const LineCallback& on_line, bool final_read) {
  std::size_t lines = 0;
  std::string block(options_.read_bytes, '\0');
  for (;;) {
    const ssize_t got = ::read(file.fd, block.data(), block.size());
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) break;
    std::size_t begin = file.pending.size();
    file.pending.append(block.data(), static_cast<std::size_t>(got));
    // Hand out every complete line; keep the rest for the next read.
    std::size_t start = 0;
    for (;;) {
      const std::size_t newline = file.pending.find('\n', begin);
      if (newline == std::string::npos) break;
      std::string_view line(file.pending.data() + start, newline - start);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (file.skipping) {
        file.skipping = false;
      } else {
        ++stats_.lines;
        on_line(file.path, line, file.offset);
        ++lines;
      }
      file.offset += newline + 1 - start;
      start = newline + 1;
      begin = start;
    }
    file.pending.erase(0, start);
    if (start > 0) dirty_ = true;
    if (file.pending.size() > options_.max_line_bytes) {
      if (!file.skipping) {
        ++stats_.bad_records;
        file.skipping = true;
      }
      file.offset += file.pending.size();
      file.pending.clear();
      dirty_ = true;
    }
  }
  if (final_read && !file.pending.empty()) {
    if (!file.skipping) {
      ++stats_.lines;
      on_line(file.path, file.pending, file.offset);
      ++lines;
    }
    file.offset += file.pending.size();
    file.pending.clear();
    dirty_ = true;
  }
  return lines;
}

void FileFollower::EmitLine(File& file, std::string_view line, std::uint64_t line_offset,
                            const EventCallback& on_event) {
  if (Blank(line)) return;
  LogFormat format = LogFormat::kPlain;
  if (!file.parser) file.parser = std::make_unique<LineParser>();
  if (!file.parser->ParseLine(line, event_, format).ok()) {
    ++stats_.bad_records;
    return;
  }
  if (file.parser->last_line_was_header()) return;
  event_.origin = file.path + "@" + std::to_string(line_offset);
  ++stats_.events;
  on_event(event_);
}

Status FileFollower::SaveState() {
  if (options_.state_file.empty() || !dirty_) return Ok();
  Json files = Json::object();
  for (const auto& file : files_) {
    if (file->fd < 0) continue;
    files[file->key] = {{"dev", static_cast<std::uint64_t>(file->dev)},
                        {"inode", static_cast<std::uint64_t>(file->ino)},
                        {"offset", file->offset}};
  }
  const fs::path temporary = options_.state_file.string() + ".tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out << Json{{"files", files}}.dump(2) << "\n";
    out.flush();
    if (!out) return Error::Io("'" + temporary.string() + "': write failed");
  }
  std::error_code ec;
  fs::rename(temporary, options_.state_file, ec);
  if (ec) return Error::Io("'" + options_.state_file.string() + "': cannot replace: " + ec.message());
  dirty_ = false;
  return Ok();
}

std::int64_t FileFollower::offset(const std::string& path) const {
  for (const auto& file : files_) {
    if (file->path == path) return file->fd < 0 ? -1 : static_cast<std::int64_t>(file->offset);
  }
  return -1;
}

}  // namespace dv::sensor
