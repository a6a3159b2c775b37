// SPDX-License-Identifier: Apache-2.0
#include "ingest/log_source.h"

#include <sys/stat.h>

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <system_error>

#include "ingest/json_stream_reader.h"

#ifdef DV_HAVE_EVTX
#include "ingest/evtx/evtx_reader.h"
#endif

namespace dv {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kHeadBytes = 8;

// Regular files (and anything else that is not a folder) below `folder`, not
// following links to folders. Unreadable folders are reported to `problem`.
template <typename ProblemFn>
void CollectFiles(const fs::path& folder, std::vector<std::string>& out, ProblemFn&& problem) {
  std::error_code error;
  fs::directory_iterator entries(folder, error);
  if (error) {
    problem(folder.string(), "cannot read folder: " + error.message());
    return;
  }
  for (const fs::directory_entry& entry : entries) {
    std::error_code status_error;
    if (entry.symlink_status(status_error).type() == fs::file_type::directory) {
      CollectFiles(entry.path(), out, problem);
    } else {
      out.push_back(entry.path().string());
    }
  }
}

std::optional<Timestamp> ModificationTime(const std::string& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) return std::nullopt;
  return Timestamp(static_cast<std::int64_t>(info.st_mtim.tv_sec) * 1000 + info.st_mtim.tv_nsec / 1'000'000);
}

// The ReplaySource does not own `source`; a thin forwarding source lets
// the chain be built on a reference.
class Borrowed final : public ByteSource {
 public:
  explicit Borrowed(ByteSource& inner) : inner_(inner) {}
  Result<std::size_t> Read(char* buffer, std::size_t size) override { return inner_.Read(buffer, size); }
  std::uint64_t consumed() const override { return inner_.consumed(); }

 private:
  ByteSource& inner_;
};

// Replays a read error met while peeking, where the reader would have met it.
class Failed final : public ByteSource {
 public:
  Failed(Error error, const ByteSource& inner) : error_(std::move(error)), inner_(inner) {}
  Result<std::size_t> Read(char* /*buffer*/, std::size_t /*size*/) override { return error_; }
  std::uint64_t consumed() const override { return inner_.consumed(); }

 private:
  Error error_;
  const ByteSource& inner_;
};

// How far the start of a text stream is peeked at to tell JSON lines from a
// JSON stream: the first object's line, up to this many bytes.
constexpr std::size_t kPeekChunk = std::size_t{64} << 10;

void SetOrigin(Event& event, const std::string& name, std::uint64_t line_number) {
  event.origin.assign(name);
  event.origin.push_back(':');
  char digits[24];
  auto [end, ec] = std::to_chars(digits, digits + sizeof digits, line_number);
  event.origin.append(digits, end);
}

}  // namespace

std::uint64_t IngestStats::bad_records() const {
  std::uint64_t total = lines_too_long;
  for (std::uint64_t bad : bad_by_format) total += bad;
  return total;
}

LogSource::LogSource(IngestOptions options)
    : options_(std::move(options)), parser_(options_.reference_time.value_or(Timestamp::Now())) {}

void LogSource::Problem(std::string place, std::string message) {
  ++stats_.problem_count;
  KeepProblem(stats_.problems, options_.max_problems, {std::move(place), std::move(message)});
}

void LogSource::ReportProgress(std::uint64_t file_done) {
  if (options_.progress) options_.progress(bytes_before_file_ + file_done, total_bytes_);
}

Status LogSource::Read(std::span<const std::string> paths, const EventCallback& on_event) {
  std::vector<std::string> failures;
  struct Item {
    std::string path;
    bool named;
  };
  std::vector<Item> items;
  auto problem = [this](std::string place, std::string message) { Problem(std::move(place), std::move(message)); };
  for (const std::string& path : paths) {
    if (path == "-") {
      items.push_back({path, true});
      continue;
    }
    std::error_code error;
    const fs::file_status status = fs::status(path, error);
    if (error || !fs::exists(status)) {
      const std::string message = path + ": no such file or folder";
      Problem(path, "no such file or folder");
      failures.push_back(message);
      ++stats_.files_skipped;
      continue;
    }
    if (!fs::is_directory(status)) {
      items.push_back({path, true});
      continue;
    }
    std::vector<std::string> found;
    CollectFiles(path, found, problem);
    std::sort(found.begin(), found.end());
    for (std::string& file : found) items.push_back({std::move(file), false});
  }

  total_bytes_ = 0;
  for (const Item& item : items) {
    std::error_code error;
    if (item.path != "-" && fs::is_regular_file(item.path, error)) {
      total_bytes_ += fs::file_size(item.path, error);
    }
  }
  bytes_before_file_ = 0;
  for (const Item& item : items) {
    if (item.path == "-") {
      FdSource input(0, "stdin", false);
      if (!options_.reference_time) parser_.set_reference_time(Timestamp::Now());
      ++stats_.files;
      auto status = ReadStream(input, "stdin", on_event);
      if (!status.ok()) failures.push_back(status.error().message());
      continue;
    }
    ReadFile(item.path, on_event, failures, item.named);
  }
  ReportProgress(0);
  if (failures.empty()) return Ok();
  std::string message = failures.front();
  for (std::size_t failure_idx = 1; failure_idx < failures.size(); ++failure_idx) {
    message += "; " + failures[failure_idx];
  }
  return Error::Io(std::move(message));
}

void LogSource::ReadFile(const std::string& path, const EventCallback& on_event, std::vector<std::string>& failures,
                         bool named) {
  std::error_code type_error;
  const fs::file_status status = fs::status(path, type_error);
  if (!type_error && fs::exists(status) && !fs::is_regular_file(status)) {
    Problem(path, "not a regular file; skipped");
    ++stats_.files_skipped;
    if (named) failures.push_back(path + ": not a regular file");
    return;
  }
  auto opened = FdSource::Open(path);
  if (!opened.ok()) {
    Problem(path, opened.error().message());
    ++stats_.files_skipped;
    if (named) failures.push_back(opened.error().message());
    return;
  }
  if (!options_.reference_time) parser_.set_reference_time(ModificationTime(path).value_or(Timestamp::Now()));
  std::unique_ptr<FdSource> file = std::move(*opened);
  auto head = ReadHead(*file, kHeadBytes);
  if (!head.ok()) {
    Problem(path, head.error().message());
    ++stats_.files_skipped;
    if (named) failures.push_back(head.error().message());
    return;
  }
  ++stats_.files;
  if (DetectFileFormat(*head) == FileFormat::kEvtx) {
    file.reset();
    ReadEvtx(path, on_event);
    std::error_code size_error;
    const std::uint64_t size = fs::file_size(path, size_error);
    if (!size_error) {
      stats_.bytes += size;
      bytes_before_file_ += size;
    }
    ReportProgress(0);
    return;
  }
  const FdSource* raw = file.get();
  auto replay = std::make_unique<ReplaySource>(std::move(*head), std::move(file));
  (void)ReadStream(*replay, path, on_event);
  stats_.bytes += raw->consumed();
  bytes_before_file_ += raw->consumed();
}

Status LogSource::ReadStream(ByteSource& source, const std::string& name, const EventCallback& on_event) {
  auto head = ReadHead(source, kHeadBytes);
  if (!head.ok()) {
    Problem(name, head.error().message());
    return head.error();
  }
  const FileFormat format = DetectFileFormat(*head);
  if (format == FileFormat::kEvtx) {
    Problem(name, "EVTX can only be read from a file");
    return Error::Unsupported(name + ": EVTX can only be read from a file");
  }
  auto replay = std::make_unique<ReplaySource>(std::move(*head), std::make_unique<Borrowed>(source));
  if (format == FileFormat::kUtf16Le || format == FileFormat::kUtf16Be) {
    Utf16Source decoded(std::move(replay), format == FileFormat::kUtf16Be);
    return ReadTextOrJson(decoded, name, on_event);
  }
  if (format != FileFormat::kGzip) return ReadTextOrJson(*replay, name, on_event);

  GzipSource gzip(std::move(replay), name);
  auto inner_head = ReadHead(gzip, kHeadBytes);
  if (!inner_head.ok()) {
    Problem(name, inner_head.error().message());
    return Ok();
  }
  const FileFormat inner_format = DetectFileFormat(*inner_head);
  if (inner_format == FileFormat::kUtf16Le || inner_format == FileFormat::kUtf16Be) {
    Utf16Source decoded(std::make_unique<ReplaySource>(std::move(*inner_head), std::make_unique<Borrowed>(gzip)),
                        inner_format == FileFormat::kUtf16Be);
    return ReadTextOrJson(decoded, name, on_event);
  }
  if (inner_format != FileFormat::kText) {
    Problem(name, inner_format == FileFormat::kEvtx ? "EVTX inside gzip is not supported; decompress it first"
                                                    : "gzip inside gzip is not supported");
    return Ok();
  }
  ReplaySource inner(std::move(*inner_head), std::make_unique<Borrowed>(gzip));
  return ReadTextOrJson(inner, name, on_event);
}

Status LogSource::ReadText(ByteSource& source, const std::string& name, const EventCallback& on_event) {
  LineReader reader(source, options_.max_line_bytes, options_.block_bytes);
  parser_.BeginStream();
  std::uint64_t reported = 0;
  std::string_view line;
  while (true) {
    auto outcome = reader.Next(line);
    if (!outcome.ok()) {
      SetOrigin(event_, name, reader.line_number() + 1);
      Problem(event_.origin, outcome.error().message());
      break;
    }
    if (*outcome == LineReader::Outcome::kEnd) break;
    if (source.consumed() != reported) {
      reported = source.consumed();
      ReportProgress(reported);
    }
    if (*outcome == LineReader::Outcome::kTooLong) {
      ++stats_.lines_too_long;
      SetOrigin(event_, name, reader.line_number());
      Problem(event_.origin, "line longer than " + std::to_string(options_.max_line_bytes) + " bytes; skipped");
      continue;
    }
    if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
    LogFormat format = LogFormat::kPlain;
    const Status parsed = parser_.ParseLine(line, event_, format);
    const auto format_idx = static_cast<std::size_t>(format);
    SetOrigin(event_, name, reader.line_number());
    if (!parsed.ok()) {
      ++stats_.bad_by_format[format_idx];
      Problem(event_.origin, std::string(LogFormatName(format)) + ": " + parsed.error().message());
      continue;
    }
    if (parser_.last_line_was_header()) continue;
    ++stats_.events;
    ++stats_.events_by_format[format_idx];
    on_event(event_);
  }
  return Ok();
}

Status LogSource::ReadTextOrJson(ByteSource& source, const std::string& name, const EventCallback& on_event) {
  std::string head;
  std::optional<Error> peek_error;
  std::optional<TextLayout> layout;
  const std::size_t peek_limit = std::max(options_.max_line_bytes, kPeekChunk);
  while (!(layout = DetectTextLayout(head, false))) {
    if (head.size() >= peek_limit) break;
    const std::size_t before = head.size();
    head.resize(before + std::min(kPeekChunk, peek_limit - before));
    auto got = source.Read(head.data() + before, head.size() - before);
    head.resize(before + (got.ok() ? *got : 0));
    if (!got.ok()) peek_error = got.error();
    if (!got.ok() || *got == 0) break;
  }
  if (!layout) layout = DetectTextLayout(head, true);
  std::unique_ptr<ByteSource> rest;
  if (peek_error) {
    rest = std::make_unique<Failed>(*peek_error, source);
  } else {
    rest = std::make_unique<Borrowed>(source);
  }
  ReplaySource replay(std::move(head), std::move(rest));
  if (*layout == TextLayout::kLines) return ReadText(replay, name, on_event);
  ReadJson(replay, name, on_event);
  return Ok();
}

void LogSource::ReadJson(ByteSource& source, const std::string& name, const EventCallback& on_event) {
  const auto json_idx = static_cast<std::size_t>(LogFormat::kJsonLines);
  JsonStreamReader reader(source, options_.max_line_bytes, options_.block_bytes);
  std::uint64_t reported = 0;
  std::string_view record;
  auto place = [&] {
    SetOrigin(event_, name, reader.line());
    if (reader.ordinal() != 0) {
      event_.origin.push_back('#');
      event_.origin += std::to_string(reader.ordinal());
    }
  };
  while (true) {
    auto outcome = reader.Next(record);
    if (!outcome.ok()) {
      SetOrigin(event_, name, std::max<std::uint64_t>(reader.line(), 1));
      Problem(event_.origin, outcome.error().message());
      break;
    }
    if (*outcome == JsonStreamReader::Outcome::kEnd) break;
    if (source.consumed() != reported) {
      reported = source.consumed();
      ReportProgress(reported);
    }
    if (*outcome == JsonStreamReader::Outcome::kProblem) {
      ++stats_.bad_by_format[json_idx];
      place();
      Problem(event_.origin, "json: " + reader.problem());
      continue;
    }
    const Status parsed = json_parser_.ParseLine(record, event_);
    place();
    if (!parsed.ok()) {
      ++stats_.bad_by_format[json_idx];
      Problem(event_.origin, "json: " + parsed.error().message());
      continue;
    }
    ++stats_.events;
    ++stats_.events_by_format[json_idx];
    on_event(event_);
  }
  stats_.empty_json_objects += reader.empty_objects();
}

namespace {

// The EVTX reader's messages already start with the file name; the problem's
// place says it once.
std::string WithoutPlace(std::string message, const std::string& path) {
  const std::string prefix = path + ": ";
  if (message.compare(0, prefix.size(), prefix) == 0) message.erase(0, prefix.size());
  return message;
}

}  // namespace

void LogSource::ReadEvtx(const std::string& path, const EventCallback& on_event) {
  const auto evtx_idx = static_cast<std::size_t>(LogFormat::kEvtx);
#ifdef DV_HAVE_EVTX
  auto reader = evtx::EvtxReader::OpenFile(path);
  if (!reader.ok()) {
    Problem(path, WithoutPlace(reader.error().message(), path));
    ++stats_.bad_by_format[evtx_idx];
    return;
  }
  auto read = reader->ReadAll([&](const Event& event) {
    ++stats_.events;
    ++stats_.events_by_format[evtx_idx];
    on_event(event);
  });
  if (!read.ok()) {
    Problem(path, WithoutPlace(read.error().message(), path));
    ++stats_.bad_by_format[evtx_idx];
    return;
  }
  stats_.bad_by_format[evtx_idx] += read->bad_records + read->bad_chunks;
  for (std::string& problem : read->problems) Problem(path, WithoutPlace(std::move(problem), path));
#else
  (void)on_event;
  Problem(path, "EVTX support is not built into this program");
  ++stats_.bad_by_format[evtx_idx];
#endif
}

}  // namespace dv
