// SPDX-License-Identifier: Apache-2.0
#include "core/uuid.h"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <cstdio>
#include <random>

namespace dv {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

const Uuid kDnsNamespace = Uuid::Parse("6ba7b810-9dad-11d1-80b4-00c04fd430c8").value();

}  // namespace

const Uuid kStixObservableNamespace = Uuid::Parse("00abedb4-aa42-466c-9c01-fed23315a9b7").value();

const Uuid& DannevirkeNamespace() {
  static const Uuid kNamespace = Uuid::V5(kDnsNamespace, "dannevirke.dk");
  return kNamespace;
}

Result<Uuid> Uuid::Parse(std::string_view text) {
  if (text.size() != 36 || text[8] != '-' || text[13] != '-' || text[18] != '-' || text[23] != '-') {
    return Error::InvalidArgument("'" + std::string(text) + "' is not a UUID (want 8-4-4-4-12 hex digits)");
  }
  std::array<std::uint8_t, 16> bytes{};
  std::size_t byte_idx = 0;
  for (std::size_t pos = 0; pos < text.size();) {
    if (text[pos] == '-') {
      ++pos;
      continue;
    }
    const int hi = HexValue(text[pos]);
    const int lo = HexValue(text[pos + 1]);
    if (hi < 0 || lo < 0) {
      return Error::InvalidArgument("'" + std::string(text) + "' is not a UUID (non-hex digit at offset " +
                                    std::to_string(hi < 0 ? pos : pos + 1) + ")");
    }
    bytes[byte_idx++] = static_cast<std::uint8_t>(hi * 16 + lo);
    pos += 2;
  }
  return Uuid(bytes);
}

Uuid Uuid::V4() {
  std::array<std::uint8_t, 16> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
    // OpenSSL's CSPRNG failing is an environment fault; fall back to the
    // kernel's entropy through random_device rather than returning an error
    // from every id allocation.
    std::random_device device;
    for (auto& byte : bytes) byte = static_cast<std::uint8_t>(device());
  }
  bytes[6] = static_cast<std::uint8_t>((bytes[6] & 0x0F) | 0x40);
  bytes[8] = static_cast<std::uint8_t>((bytes[8] & 0x3F) | 0x80);
  return Uuid(bytes);
}

Uuid Uuid::V5(const Uuid& ns, std::string_view name) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int digest_len = 0;
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_DigestInit_ex(ctx, EVP_sha1(), nullptr);
  EVP_DigestUpdate(ctx, ns.bytes_.data(), ns.bytes_.size());
  EVP_DigestUpdate(ctx, name.data(), name.size());
  EVP_DigestFinal_ex(ctx, digest.data(), &digest_len);
  EVP_MD_CTX_free(ctx);
  std::array<std::uint8_t, 16> bytes{};
  for (std::size_t byte_idx = 0; byte_idx < bytes.size(); ++byte_idx) bytes[byte_idx] = digest[byte_idx];
  bytes[6] = static_cast<std::uint8_t>((bytes[6] & 0x0F) | 0x50);
  bytes[8] = static_cast<std::uint8_t>((bytes[8] & 0x3F) | 0x80);
  return Uuid(bytes);
}

std::string Uuid::ToString() const {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (std::size_t byte_idx = 0; byte_idx < bytes_.size(); ++byte_idx) {
    if (byte_idx == 4 || byte_idx == 6 || byte_idx == 8 || byte_idx == 10) out.push_back('-');
    out.push_back(kHex[bytes_[byte_idx] >> 4]);
    out.push_back(kHex[bytes_[byte_idx] & 0x0F]);
  }
  return out;
}

bool Uuid::IsNil() const {
  for (auto byte : bytes_) {
    if (byte != 0) return false;
  }
  return true;
}

}  // namespace dv
