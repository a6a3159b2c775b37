// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: the HTTP answer a member's web server sends to the
// posture probe (web_probe.h: ParseHttpAnswer), and the checks that read it
// (the redirect from HTTP, HSTS from its header).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "posture/checks.h"
#include "posture/web_probe.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  constexpr std::size_t kCap = 1024;
  auto answer = dv::posture::ParseHttpAnswer(text, size % 2 == 0, kCap);
  if (!answer.ok()) return 0;
  if (answer->body.size() > kCap || answer->headers.size() > 200 || answer->status < 0 || answer->status > 999) {
    std::abort();
  }
  (void)dv::posture::CheckHttpsRedirect("kommune.dk", *answer);
  (void)dv::posture::CheckHsts("kommune.dk", answer->Header("strict-transport-security"));
  return 0;
}
