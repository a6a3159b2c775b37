// SPDX-License-Identifier: Apache-2.0
#include "core/file_cache.h"

#include <elf.h>
#include <link.h>
#include <openssl/evp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <utility>
#include <vector>

namespace dv {
namespace {

namespace fs = std::filesystem;

std::string ToHex(const unsigned char* bytes, std::size_t size) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(size * 2);
  for (std::size_t byte_idx = 0; byte_idx < size; ++byte_idx) {
    hex += kHex[bytes[byte_idx] >> 4];
    hex += kHex[bytes[byte_idx] & 0xF];
  }
  return hex;
}

// dl_iterate_phdr visits the executable first; its PT_NOTE segments hold the
// build id note (name "GNU", type NT_GNU_BUILD_ID).
int FindBuildId(dl_phdr_info* info, std::size_t, void* out) {
  auto* id = static_cast<std::string*>(out);
  for (int phdr_idx = 0; phdr_idx < info->dlpi_phnum; ++phdr_idx) {
    const auto& phdr = info->dlpi_phdr[phdr_idx];
    if (phdr.p_type != PT_NOTE) continue;
    const auto* note = reinterpret_cast<const unsigned char*>(info->dlpi_addr + phdr.p_vaddr);
    std::size_t offset = 0;
    const auto align4 = [](std::size_t n) { return (n + 3) & ~std::size_t{3}; };
    while (offset + sizeof(ElfW(Nhdr)) <= phdr.p_memsz) {
      ElfW(Nhdr) header;
      std::memcpy(&header, note + offset, sizeof(header));
      const std::size_t name_at = offset + sizeof(header);
      const std::size_t desc_at = name_at + align4(header.n_namesz);
      const std::size_t next = desc_at + align4(header.n_descsz);
      if (next > phdr.p_memsz) break;
      if (header.n_type == NT_GNU_BUILD_ID && header.n_namesz == 4 && std::memcmp(note + name_at, "GNU", 4) == 0) {
        *id = ToHex(note + desc_at, header.n_descsz);
        return 1;
      }
      offset = next;
    }
  }
  return 1;  // only the executable
}

}  // namespace

KeyHasher::KeyHasher() : ctx_(EVP_MD_CTX_new()) {
  EVP_DigestInit_ex(static_cast<EVP_MD_CTX*>(ctx_), EVP_sha256(), nullptr);
}

KeyHasher::~KeyHasher() { EVP_MD_CTX_free(static_cast<EVP_MD_CTX*>(ctx_)); }

KeyHasher& KeyHasher::Add(std::string_view part) {
  Add(static_cast<std::uint64_t>(part.size()));
  EVP_DigestUpdate(static_cast<EVP_MD_CTX*>(ctx_), part.data(), part.size());
  return *this;
}

KeyHasher& KeyHasher::Add(std::uint64_t number) {
  unsigned char bytes[8];
  for (int byte_idx = 0; byte_idx < 8; ++byte_idx)
    bytes[byte_idx] = static_cast<unsigned char>(number >> (8 * byte_idx));
  EVP_DigestUpdate(static_cast<EVP_MD_CTX*>(ctx_), bytes, sizeof(bytes));
  return *this;
}

std::string KeyHasher::Hex() {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int size = 0;
  EVP_DigestFinal_ex(static_cast<EVP_MD_CTX*>(ctx_), digest.data(), &size);
  return ToHex(digest.data(), size);
}

const std::string& ProgramBuildId() {
  static const std::string id = [] {
    std::string found;
    dl_iterate_phdr(FindBuildId, &found);
    return found;
  }();
  return id;
}

FileCache::FileCache(std::string dir, std::string extension, std::uintmax_t max_file_bytes, std::size_t kept)
    : dir_(std::move(dir)), extension_(std::move(extension)), max_file_bytes_(max_file_bytes), kept_(kept) {}

bool FileCache::usable() const {
  if (dir_.empty()) return false;
  struct stat info {};
  if (::lstat(dir_.c_str(), &info) != 0) return errno == ENOENT;  // created on the first write, 0700
  return S_ISDIR(info.st_mode) && info.st_uid == ::geteuid() && (info.st_mode & (S_IWGRP | S_IWOTH)) == 0;
}

std::string FileCache::PathOf(const std::string& key) const { return (fs::path(dir_) / (key + extension_)).string(); }

std::optional<std::string> FileCache::Read(const std::string& key) const {
  if (!usable()) return std::nullopt;
  const std::string path = PathOf(key);
  struct stat info {};
  if (::lstat(path.c_str(), &info) != 0 || !S_ISREG(info.st_mode) ||
      static_cast<std::uintmax_t>(info.st_size) > max_file_bytes_) {
    return std::nullopt;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::string bytes;
  bytes.resize(static_cast<std::size_t>(info.st_size));
  in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (in.gcount() != static_cast<std::streamsize>(bytes.size())) return std::nullopt;
  std::error_code ignored;
  fs::last_write_time(path, fs::file_time_type::clock::now(), ignored);  // recently used
  return bytes;
}

void FileCache::Write(const std::string& key, std::string_view bytes) const {
  if (!usable() || bytes.size() > max_file_bytes_) return;
  std::error_code ignored;
  const fs::path dir(dir_);
  if (!fs::exists(dir, ignored)) {
    fs::create_directories(dir, ignored);
    ::chmod(dir.c_str(), 0700);
  }
  if (!usable()) return;
  const fs::path path = PathOf(key);
  // Unique per process and per write: two threads storing the same key
  // never write into one temporary file.
  static std::atomic<std::uint64_t> writes{0};
  const fs::path temporary = path.string() + ".tmp" + std::to_string(::getpid()) + "-" + std::to_string(++writes);
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out) return;
    ::chmod(temporary.c_str(), 0600);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.close();
    if (!out) {
      fs::remove(temporary, ignored);
      return;
    }
  }
  fs::rename(temporary, path, ignored);
  if (ignored) fs::remove(temporary, ignored);
  // Keep the most recently used files only.
  std::vector<std::pair<fs::file_time_type, fs::path>> files;
  for (const auto& entry : fs::directory_iterator(dir, ignored)) {
    if (entry.path().extension() == extension_) files.emplace_back(entry.last_write_time(ignored), entry.path());
  }
  if (files.size() <= kept_) return;
  std::sort(files.begin(), files.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  for (std::size_t file_idx = kept_; file_idx < files.size(); ++file_idx) {
    if (files[file_idx].second != path) fs::remove(files[file_idx].second, ignored);
  }
}

}  // namespace dv
