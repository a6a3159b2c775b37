// SPDX-License-Identifier: Apache-2.0
#include "detect/prefilter_cache.h"

#include <hs/hs.h>
#include <openssl/evp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>

namespace dv::detect {
namespace {

namespace fs = std::filesystem;

std::string KeyOf(const std::vector<std::string>& literals, const std::vector<std::uint32_t>& ids) {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr);
  const std::string header = std::string("dannevirke prefilter 1; hyperscan ") + hs_version() + "; literal, no flags\n";
  EVP_DigestUpdate(ctx.get(), header.data(), header.size());
  for (const auto id : ids) {
    // Length-prefixed, so that no two lists hash the same bytes.
    const std::uint64_t fields[2] = {id, literals[id].size()};
    EVP_DigestUpdate(ctx.get(), fields, sizeof(fields));
    EVP_DigestUpdate(ctx.get(), literals[id].data(), literals[id].size());
  }
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int size = 0;
  EVP_DigestFinal_ex(ctx.get(), digest.data(), &size);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int byte_idx = 0; byte_idx < size; ++byte_idx) {
    hex += kHex[digest[byte_idx] >> 4];
    hex += kHex[digest[byte_idx] & 0xF];
  }
  return hex;
}

Result<hs_database*> Compile(const std::vector<std::string>& literals, const std::vector<std::uint32_t>& ids) {
  std::vector<const char*> expressions;
  std::vector<std::size_t> lengths;
  expressions.reserve(ids.size());
  lengths.reserve(ids.size());
  for (const auto id : ids) {
    expressions.push_back(literals[id].data());
    lengths.push_back(literals[id].size());
  }
  const std::vector<unsigned> flags(ids.size(), 0);
  const std::vector<unsigned> hs_ids(ids.begin(), ids.end());
  hs_database* db = nullptr;
  hs_compile_error_t* error = nullptr;
  if (hs_compile_lit_multi(expressions.data(), flags.data(), hs_ids.data(), lengths.data(),
                           static_cast<unsigned>(expressions.size()), HS_MODE_BLOCK, nullptr, &db,
                           &error) != HS_SUCCESS) {
    std::string message = error != nullptr ? error->message : "unknown error";
    hs_free_compile_error(error);
    return Error::Internal("building the rule prefilter failed: " + message);
  }
  return db;
}

// A compiled database of the SigmaHQ rules is a few MB; anything far larger
// is not ours.
constexpr std::uintmax_t kMaxCacheFileBytes = std::uintmax_t{256} << 20;

// The directory is used only when it is this user's and nobody else can
// write into it (the files in it decide what the engine looks for).
bool Trusted(const fs::path& dir) {
  struct stat info {};
  if (::lstat(dir.c_str(), &info) != 0) return true;  // created below, 0700
  return S_ISDIR(info.st_mode) && info.st_uid == ::geteuid() && (info.st_mode & (S_IWGRP | S_IWOTH)) == 0;
}

hs_database* Read(const fs::path& path) {
  // Only a regular file of a sane size (not a FIFO that never ends, not a
  // link to a device).
  struct stat info {};
  if (::lstat(path.c_str(), &info) != 0 || !S_ISREG(info.st_mode) ||
      static_cast<std::uintmax_t>(info.st_size) > kMaxCacheFileBytes) {
    return nullptr;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return nullptr;
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  hs_database* db = nullptr;
  if (bytes.empty() || hs_deserialize_database(bytes.data(), bytes.size(), &db) != HS_SUCCESS) return nullptr;
  return db;
}

void Write(const fs::path& dir, const fs::path& path, const hs_database* db) {
  char* bytes = nullptr;
  std::size_t size = 0;
  if (hs_serialize_database(db, &bytes, &size) != HS_SUCCESS) return;
  std::unique_ptr<char, decltype(&std::free)> owned(bytes, std::free);
  std::error_code ignored;
  fs::create_directories(dir, ignored);
  ::chmod(dir.c_str(), 0700);
  const fs::path temporary = path.string() + ".tmp" + std::to_string(::getpid());
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out) return;
    ::chmod(temporary.c_str(), 0600);
    out.write(bytes, static_cast<std::streamsize>(size));
    if (!out) {
      out.close();
      fs::remove(temporary, ignored);
      return;
    }
  }
  fs::rename(temporary, path, ignored);
  if (ignored) fs::remove(temporary, ignored);
  // Keep the most recent files only.
  std::vector<std::pair<fs::file_time_type, fs::path>> files;
  for (const auto& entry : fs::directory_iterator(dir, ignored)) {
    if (entry.path().extension() == ".hsdb") files.emplace_back(entry.last_write_time(ignored), entry.path());
  }
  if (files.size() <= kKeptFiles) return;
  std::sort(files.begin(), files.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  for (std::size_t file_idx = kKeptFiles; file_idx < files.size(); ++file_idx) {
    if (files[file_idx].second != path) fs::remove(files[file_idx].second, ignored);
  }
}

}  // namespace

Result<hs_database*> LiteralDatabase(const std::vector<std::string>& literals, const std::vector<std::uint32_t>& ids,
                                     const std::string& cache_dir, bool* from_cache) {
  if (from_cache != nullptr) *from_cache = false;
  if (ids.empty()) return static_cast<hs_database*>(nullptr);
  if (cache_dir.empty() || !Trusted(cache_dir)) return Compile(literals, ids);
  const fs::path dir(cache_dir);
  const fs::path path = dir / ("prefilter-" + KeyOf(literals, ids) + ".hsdb");
  if (hs_database* cached = Read(path); cached != nullptr) {
    if (from_cache != nullptr) *from_cache = true;
    std::error_code ignored;
    fs::last_write_time(path, fs::file_time_type::clock::now(), ignored);  // recently used
    return cached;
  }
  auto compiled = Compile(literals, ids);
  if (compiled.ok()) Write(dir, path, *compiled);
  return compiled;
}

}  // namespace dv::detect
