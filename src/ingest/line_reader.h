// SPDX-License-Identifier: Apache-2.0
#pragma once

// Streaming input: byte sources (a file descriptor, gzip over another
// source) and LineReader, which cuts a source into lines with constant
// memory. Nothing here reads a whole file.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/result.h"

namespace dv {

// A sequential stream of bytes. Read returns how many bytes it stored in
// `buffer` (at most `size`), 0 at the end, or an Io/Parse error. Not
// thread-safe.
class ByteSource {
 public:
  virtual ~ByteSource() = default;
  virtual Result<std::size_t> Read(char* buffer, std::size_t size) = 0;
  // Bytes taken from the underlying file so far (compressed bytes for gzip),
  // for progress reports.
  virtual std::uint64_t consumed() const = 0;
};

// Reads a file descriptor. `name` is used in error messages. When `owned`,
// the descriptor is closed by the destructor.
class FdSource final : public ByteSource {
 public:
  FdSource(int fd, std::string name, bool owned);
  ~FdSource() override;
  FdSource(const FdSource&) = delete;
  FdSource& operator=(const FdSource&) = delete;

  // Opens `path` for reading; kNotFound or kIo with the path and the reason.
  static Result<std::unique_ptr<FdSource>> Open(const std::string& path);

  Result<std::size_t> Read(char* buffer, std::size_t size) override;
  std::uint64_t consumed() const override { return consumed_; }

 private:
  int fd_;
  std::string name_;
  bool owned_;
  std::uint64_t consumed_ = 0;
};

// Decompresses gzip (RFC 1952) from `inner`, streaming; concatenated gzip
// members are read one after the other. Corrupt or truncated data is a
// kParse error naming `name`. Owns `inner`.
class GzipSource final : public ByteSource {
 public:
  GzipSource(std::unique_ptr<ByteSource> inner, std::string name);
  ~GzipSource() override;
  GzipSource(const GzipSource&) = delete;
  GzipSource& operator=(const GzipSource&) = delete;

  Result<std::size_t> Read(char* buffer, std::size_t size) override;
  std::uint64_t consumed() const override { return inner_->consumed(); }

 private:
  struct Stream;  // zlib's state stays out of this header
  std::unique_ptr<ByteSource> inner_;
  std::string name_;
  std::unique_ptr<Stream> stream_;
};

// A source that first replays bytes already read (a peeked file head), then
// continues with `inner`. Owns `inner`.
// Decodes UTF-16 (little- or big-endian; what Windows PowerShell 5.1's
// Out-File and `>` write) into UTF-8, streaming: memory is bounded by the
// chunk it reads. A byte order mark at the start is dropped; an unpaired
// surrogate or an odd last byte becomes U+FFFD, so bad input is visible
// in the record it belongs to and the rest of the stream goes on.
class Utf16Source final : public ByteSource {
 public:
  Utf16Source(std::unique_ptr<ByteSource> inner, bool big_endian);
  Result<std::size_t> Read(char* buffer, std::size_t size) override;
  std::uint64_t consumed() const override { return inner_->consumed(); }

 private:
  // Decodes the whole code units of raw_ into out_, keeping an incomplete
  // tail (an odd byte, a high surrogate) unless `at_end`.
  void Decode(bool at_end);
  std::unique_ptr<ByteSource> inner_;
  bool big_endian_;
  bool started_ = false;
  bool end_ = false;
  std::string raw_;
  std::string out_;
  std::size_t out_pos_ = 0;
};

class ReplaySource final : public ByteSource {
 public:
  ReplaySource(std::string head, std::unique_ptr<ByteSource> inner);
  Result<std::size_t> Read(char* buffer, std::size_t size) override;
  std::uint64_t consumed() const override { return inner_->consumed(); }

 private:
  std::string head_;
  std::size_t head_pos_ = 0;
  std::unique_ptr<ByteSource> inner_;
};

// Reads up to `size` bytes, fewer only at the end of the source.
Result<std::string> ReadHead(ByteSource& source, std::size_t size);

// Cuts a source into lines. A line ends at '\n'; a '\r' before it is
// dropped; a last line without '\n' is still a line. Memory is bounded by
// max_line_bytes + block_bytes. A line longer than max_line_bytes is not
// returned: Next reports it as kTooLong (with its number) and skips to the
// next line ending.
class LineReader {
 public:
  enum class Outcome { kLine, kTooLong, kEnd };

  LineReader(ByteSource& source, std::size_t max_line_bytes, std::size_t block_bytes);

  // The next line (valid until the next call) and its 1-based number.
  // Errors are the source's read errors; the reader is then at its end.
  Result<Outcome> Next(std::string_view& line);
  std::uint64_t line_number() const { return line_number_; }

 private:
  Result<bool> Fill();  // false at the end of the source

  ByteSource& source_;
  std::size_t max_line_bytes_;
  std::size_t block_bytes_;
  std::string buffer_;
  std::size_t begin_ = 0;  // unread bytes are [begin_, end_)
  std::size_t end_ = 0;
  bool eof_ = false;
  std::uint64_t line_number_ = 0;
};

}  // namespace dv
