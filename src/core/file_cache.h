// SPDX-License-Identifier: Apache-2.0
#pragma once

// Files kept between runs of the program, each named by the SHA-256 of
// everything it was made from (its key), so that changed inputs never read
// another input's file: the compiled rule prefilter (detect/prefilter_cache.h)
// and the parsed Sigma rule documents (sigma/document_cache.h).
//
// Trust: whoever can write a cache directory can change what is read from it,
// exactly as whoever can write the inputs it was made from. A directory that
// is not the user's, or that its group or others may write, is not used. A
// directory this class creates is 0700, its files 0600, written to a
// temporary name and renamed. Only a regular file under the size limit is
// read (a FIFO or a link to a device in its place is not). The directory
// keeps the `kept` most recently used files with the cache's extension.
//
// Readers must still treat what they read as possibly damaged (a full disk,
// a crash): decode it with bounds checks and fall back to making it afresh.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace dv {

// SHA-256 over a sequence of parts, each length-prefixed, so that no two
// sequences hash the same bytes.
class KeyHasher {
 public:
  KeyHasher();
  ~KeyHasher();
  KeyHasher(const KeyHasher&) = delete;
  KeyHasher& operator=(const KeyHasher&) = delete;

  KeyHasher& Add(std::string_view part);
  KeyHasher& Add(std::uint64_t number);
  // The digest as 64 lower-case hex digits. Ends the hasher.
  std::string Hex();

 private:
  void* ctx_;  // EVP_MD_CTX
};

// The GNU build id of the running executable, in hex; empty when it has none.
// A cache of what the program's own code computed (parsed documents) keys on
// it, so that a rebuilt program never reads its predecessor's files.
const std::string& ProgramBuildId();

class FileCache {
 public:
  static constexpr std::size_t kDefaultKept = 4;

  // `dir` empty: a cache that holds nothing. `extension` names its files
  // (".hsdb"); files of other extensions in the directory are left alone.
  FileCache(std::string dir, std::string extension, std::uintmax_t max_file_bytes, std::size_t kept = kDefaultKept);

  // Whether files are read and written: the directory is given, and it is
  // the user's and not writable by others (or does not exist yet).
  bool usable() const;
  // The file for `key` (hex), or nullopt. A file read is marked recently used.
  std::optional<std::string> Read(const std::string& key) const;
  // Stores `bytes` as the file for `key`, then removes the least recently
  // used files beyond `kept`. Failing to write is not an error: the cache
  // simply holds nothing.
  void Write(const std::string& key, std::string_view bytes) const;

 private:
  std::string PathOf(const std::string& key) const;

  std::string dir_;
  std::string extension_;
  std::uintmax_t max_file_bytes_;
  std::size_t kept_;
};

}  // namespace dv
