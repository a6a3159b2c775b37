// SPDX-License-Identifier: Apache-2.0
#include "ingest/line_reader.h"

#include <fcntl.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

#include "core/text.h"

namespace dv {

FdSource::FdSource(int fd, std::string name, bool owned) : fd_(fd), name_(std::move(name)), owned_(owned) {}

FdSource::~FdSource() {
  if (owned_ && fd_ >= 0) ::close(fd_);
}

Result<std::unique_ptr<FdSource>> FdSource::Open(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    const int error = errno;
    std::string message = path + ": cannot open: " + std::strerror(error);
    if (error == ENOENT) return Error::NotFound(std::move(message));
    return Error::Io(std::move(message));
  }
  return std::make_unique<FdSource>(fd, path, true);
}

Result<std::size_t> FdSource::Read(char* buffer, std::size_t size) {
  while (true) {
    const ssize_t got = ::read(fd_, buffer, size);
    if (got >= 0) {
      consumed_ += static_cast<std::uint64_t>(got);
      return static_cast<std::size_t>(got);
    }
    if (errno != EINTR) return Error::Io(name_ + ": read failed: " + std::strerror(errno));
  }
}

struct GzipSource::Stream {
  z_stream zs{};
  bool initialised = false;
  bool inner_done = false;
  bool in_member = false;  // inside a gzip member that has not ended yet
  std::vector<unsigned char> input = std::vector<unsigned char>(std::size_t{64} << 10);
};

GzipSource::GzipSource(std::unique_ptr<ByteSource> inner, std::string name)
    : inner_(std::move(inner)), name_(std::move(name)), stream_(std::make_unique<Stream>()) {
  // 15 + 32: the largest window, and accept a gzip (or zlib) header.
  stream_->initialised = inflateInit2(&stream_->zs, 15 + 32) == Z_OK;
}

GzipSource::~GzipSource() {
  if (stream_->initialised) inflateEnd(&stream_->zs);
}

Result<std::size_t> GzipSource::Read(char* buffer, std::size_t size) {
  Stream& stream = *stream_;
  if (!stream.initialised) return Error::Internal(name_ + ": zlib could not be initialised");
  z_stream& zs = stream.zs;
  zs.next_out = reinterpret_cast<Bytef*>(buffer);
  zs.avail_out = static_cast<uInt>(std::min<std::size_t>(size, 1U << 30));
  const uInt wanted = zs.avail_out;
  while (zs.avail_out == wanted) {
    if (zs.avail_in == 0 && !stream.inner_done) {
      auto got = inner_->Read(reinterpret_cast<char*>(stream.input.data()), stream.input.size());
      if (!got.ok()) return got.error();
      if (*got == 0) {
        stream.inner_done = true;
      } else {
        zs.next_in = stream.input.data();
        zs.avail_in = static_cast<uInt>(*got);
      }
    }
    if (zs.avail_in == 0 && stream.inner_done) {
      if (stream.in_member) return Error::Parse(name_ + ": gzip data is truncated");
      return std::size_t{0};
    }
    const int status = inflate(&zs, Z_NO_FLUSH);
    if (status == Z_STREAM_END) {
      stream.in_member = false;
      inflateReset(&zs);
      continue;
    }
    if (status == Z_OK || status == Z_BUF_ERROR) {
      stream.in_member = true;
      continue;
    }
    return Error::Parse(name_ + ": corrupt gzip data: " + (zs.msg != nullptr ? zs.msg : "inflate failed"));
  }
  return static_cast<std::size_t>(wanted - zs.avail_out);
}

ReplaySource::ReplaySource(std::string head, std::unique_ptr<ByteSource> inner)
    : head_(std::move(head)), inner_(std::move(inner)) {}

Utf16Source::Utf16Source(std::unique_ptr<ByteSource> inner, bool big_endian)
    : inner_(std::move(inner)), big_endian_(big_endian) {}

namespace {

constexpr char32_t kReplacement = 0xFFFD;

}  // namespace

void Utf16Source::Decode(bool at_end) {
  const auto unit_at = [&](std::size_t pos) -> char32_t {
    const auto first = static_cast<unsigned char>(raw_[pos]);
    const auto second = static_cast<unsigned char>(raw_[pos + 1]);
    return big_endian_ ? (char32_t{first} << 8) | second : (char32_t{second} << 8) | first;
  };
  std::size_t pos = 0;
  while (pos + 2 <= raw_.size()) {
    const char32_t unit = unit_at(pos);
    if (!started_) {
      started_ = true;
      if (unit == 0xFEFF) {  // byte order mark
        pos += 2;
        continue;
      }
    }
    if (unit >= 0xD800 && unit <= 0xDBFF) {
      if (pos + 4 > raw_.size()) {
        if (!at_end) break;  // its low surrogate comes with the next read
        AppendUtf8(kReplacement, out_);
        pos += 2;
        continue;
      }
      const char32_t low = unit_at(pos + 2);
      if (low >= 0xDC00 && low <= 0xDFFF) {
        AppendUtf8(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00), out_);
        pos += 4;
      } else {
        AppendUtf8(kReplacement, out_);
        pos += 2;
      }
      continue;
    }
    AppendUtf8(unit >= 0xDC00 && unit <= 0xDFFF ? kReplacement : unit, out_);
    pos += 2;
  }
  if (at_end && pos < raw_.size()) {  // an odd last byte
    AppendUtf8(kReplacement, out_);
    pos = raw_.size();
  }
  raw_.erase(0, pos);
}

Result<std::size_t> Utf16Source::Read(char* buffer, std::size_t size) {
  constexpr std::size_t kChunk = std::size_t{64} << 10;
  while (out_pos_ == out_.size()) {
    if (end_) return std::size_t{0};
    out_.clear();
    out_pos_ = 0;
    const std::size_t kept = raw_.size();  // at most three bytes
    raw_.resize(kept + kChunk);
    auto got = inner_->Read(raw_.data() + kept, kChunk);
    if (!got.ok()) {
      raw_.resize(kept);
      return got.error();
    }
    raw_.resize(kept + *got);
    end_ = *got == 0;
    Decode(end_);
  }
  const std::size_t count = std::min(size, out_.size() - out_pos_);
  std::memcpy(buffer, out_.data() + out_pos_, count);
  out_pos_ += count;
  return count;
}

Result<std::size_t> ReplaySource::Read(char* buffer, std::size_t size) {
  if (head_pos_ < head_.size()) {
    const std::size_t count = std::min(size, head_.size() - head_pos_);
    std::memcpy(buffer, head_.data() + head_pos_, count);
    head_pos_ += count;
    if (head_pos_ == head_.size()) {
      std::string().swap(head_);  // a peeked head can be large; memory stays bounded
      head_pos_ = 0;
    }
    return count;
  }
  return inner_->Read(buffer, size);
}

Result<std::string> ReadHead(ByteSource& source, std::size_t size) {
  std::string head(size, '\0');
  std::size_t filled = 0;
  while (filled < size) {
    auto got = source.Read(head.data() + filled, size - filled);
    if (!got.ok()) return got.error();
    if (*got == 0) break;
    filled += *got;
  }
  head.resize(filled);
  return head;
}

LineReader::LineReader(ByteSource& source, std::size_t max_line_bytes, std::size_t block_bytes)
    : source_(source),
      max_line_bytes_(std::max<std::size_t>(max_line_bytes, 1)),
      block_bytes_(std::max<std::size_t>(block_bytes, 1)),
      buffer_(max_line_bytes_ + block_bytes_ + 2, '\0') {}

Result<bool> LineReader::Fill() {
  if (eof_) return false;
  if (buffer_.size() - end_ < block_bytes_) {
    std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  const std::size_t room = std::min(block_bytes_, buffer_.size() - end_);
  auto got = source_.Read(buffer_.data() + end_, room);
  if (!got.ok()) {
    eof_ = true;
    return got.error();
  }
  if (*got == 0) {
    eof_ = true;
    return false;
  }
  end_ += *got;
  return true;
}

Result<LineReader::Outcome> LineReader::Next(std::string_view& line) {
  std::size_t scanned = begin_;  // no '\n' in [begin_, scanned)
  while (true) {
    const char* found = static_cast<const char*>(std::memchr(buffer_.data() + scanned, '\n', end_ - scanned));
    if (found != nullptr || (eof_ && begin_ < end_)) {
      const std::size_t stop = found != nullptr ? static_cast<std::size_t>(found - buffer_.data()) : end_;
      line = std::string_view(buffer_.data() + begin_, stop - begin_);
      begin_ = found != nullptr ? stop + 1 : end_;
      ++line_number_;
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (line.size() > max_line_bytes_) return Outcome::kTooLong;
      return Outcome::kLine;
    }
    if (eof_) return Outcome::kEnd;
    if (end_ - begin_ > max_line_bytes_ + 1) {
      // Too long to hold: drop it up to its line ending.
      ++line_number_;
      while (true) {
        begin_ = end_ = 0;
        auto more = Fill();
        if (!more.ok()) return more.error();
        if (!*more) return Outcome::kTooLong;
        const void* newline = std::memchr(buffer_.data(), '\n', end_);
        if (newline != nullptr) {
          begin_ = static_cast<std::size_t>(static_cast<const char*>(newline) - buffer_.data()) + 1;
          return Outcome::kTooLong;
        }
      }
    }
    const std::size_t unread_before = end_ - begin_;
    auto more = Fill();
    if (!more.ok()) return more.error();
    scanned = begin_ + unread_before;
  }
}

}  // namespace dv
