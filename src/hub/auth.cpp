// SPDX-License-Identifier: Apache-2.0
#include "hub/auth.h"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <array>

namespace dv::hub {
namespace {

constexpr char kHex[] = "0123456789abcdef";

std::string Hex(const unsigned char* bytes, std::size_t size) {
  std::string out;
  out.reserve(size * 2);
  for (std::size_t byte_idx = 0; byte_idx < size; ++byte_idx) {
    out.push_back(kHex[bytes[byte_idx] >> 4]);
    out.push_back(kHex[bytes[byte_idx] & 0x0F]);
  }
  return out;
}

std::optional<std::string> DecodeBase64(std::string_view text) {
  std::string out;
  out.resize(text.size() / 4 * 3 + 3);
  const int length =
      EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()), reinterpret_cast<const unsigned char*>(text.data()),
                      static_cast<int>(text.size()));
  if (length < 0 || text.size() % 4 != 0) return std::nullopt;
  std::size_t size = static_cast<std::size_t>(length);
  // EVP_DecodeBlock counts padding as zero bytes; drop them.
  if (!text.empty() && text.back() == '=') --size;
  if (text.size() > 1 && text[text.size() - 2] == '=') --size;
  out.resize(size);
  return out;
}

}  // namespace

std::string NewToken() {
  std::array<unsigned char, 32> bytes{};
  RAND_bytes(bytes.data(), static_cast<int>(bytes.size()));
  return "dvt_" + Hex(bytes.data(), bytes.size());
}

std::string HashToken(std::string_view token) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  EVP_Digest(token.data(), token.size(), digest.data(), &length, EVP_sha256(), nullptr);
  return Hex(digest.data(), length);
}

std::optional<Credentials> ParseAuthorization(std::string_view header) {
  auto starts = [&](std::string_view scheme) {
    if (header.size() <= scheme.size()) return false;
    for (std::size_t pos = 0; pos < scheme.size(); ++pos) {
      if (std::tolower(static_cast<unsigned char>(header[pos])) != scheme[pos]) return false;
    }
    return true;
  };
  if (starts("bearer ")) {
    Credentials credentials;
    credentials.token = std::string(header.substr(7));
    if (credentials.token.empty()) return std::nullopt;
    return credentials;
  }
  if (starts("basic ")) {
    auto decoded = DecodeBase64(header.substr(6));
    if (!decoded) return std::nullopt;
    const auto colon = decoded->find(':');
    if (colon == std::string::npos) return std::nullopt;
    Credentials credentials;
    credentials.user = decoded->substr(0, colon);
    credentials.token = decoded->substr(colon + 1);
    if (credentials.token.empty()) return std::nullopt;
    return credentials;
  }
  return std::nullopt;
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (std::size_t pos = 0; pos < a.size(); ++pos) diff |= static_cast<unsigned char>(a[pos] ^ b[pos]);
  return diff == 0;
}

}  // namespace dv::hub
