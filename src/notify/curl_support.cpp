// SPDX-License-Identifier: Apache-2.0
#include "notify/curl_support.h"

#include <mutex>

namespace dv::notify::internal {

void EnsureCurlInitialised() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

CurlEasy NewCurlEasy() {
  EnsureCurlInitialised();
  return CurlEasy(curl_easy_init());
}

bool AppendSlist(CurlSlist& list, const std::string& line) {
  curl_slist* grown = curl_slist_append(list.get(), line.c_str());
  if (grown == nullptr) return false;
  static_cast<void>(list.release());
  list.reset(grown);
  return true;
}

std::string UrlPart(CURLU* url, CURLUPart part, unsigned int flags) {
  char* raw = nullptr;
  if (curl_url_get(url, part, &raw, flags) != CURLUE_OK || raw == nullptr) return {};
  std::string text = raw;
  curl_free(raw);
  return text;
}

std::string DescribeCurlCode(CURLcode code, const char* error_buffer) {
  std::string text = curl_easy_strerror(code);
  if (error_buffer != nullptr && error_buffer[0] != '\0') {
    std::string detail = error_buffer;
    while (!detail.empty() && (detail.back() == '\n' || detail.back() == '.')) detail.pop_back();
    text += ": " + detail;
  }
  return text;
}

bool IsTlsFailure(CURLcode code) {
  switch (code) {
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_ENGINE_INITFAILED:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SSL_SHUTDOWN_FAILED:
    case CURLE_SSL_CLIENTCERT:
      return true;
    default:
      return false;
  }
}

}  // namespace dv::notify::internal
