// SPDX-License-Identifier: Apache-2.0
#include "notify/email.h"

#include <algorithm>
#include <cstring>
#include <memory>

#include "core/uuid.h"
#include "notify/curl_support.h"
#include "notify/mime.h"

namespace dv::notify {
namespace {

constexpr std::size_t kMaxReplyChars = 300;

// The message being uploaded.
struct Upload {
  std::string_view data;
  std::size_t pos = 0;
};

std::size_t ReadMessage(char* buffer, std::size_t size, std::size_t count, void* user) {
  auto* upload = static_cast<Upload*>(user);
  const std::size_t bytes = std::min(size * count, upload->data.size() - upload->pos);
  std::memcpy(buffer, upload->data.data() + upload->pos, bytes);
  upload->pos += bytes;
  return bytes;
}

// The server's last refusal (a 4xx or 5xx reply line), or else its last
// reply, for error messages. Only what the server sent (CURLINFO_HEADER_IN)
// is looked at: what the client sent holds the login.
struct ReplyLog {
  std::string last;
  std::string last_refusal;
  std::string Best() const { return last_refusal.empty() ? last : last_refusal; }
};

int RecordReply(CURL* /*handle*/, curl_infotype type, char* data, std::size_t size, void* user) {
  if (type != CURLINFO_HEADER_IN) return 0;
  std::string line;
  for (std::size_t idx = 0; idx < size && line.size() < kMaxReplyChars; ++idx) {
    const auto byte = static_cast<unsigned char>(data[idx]);
    if (byte == '\r' || byte == '\n') break;
    line += (byte < 0x20 || byte == 0x7f) ? '?' : static_cast<char>(byte);
  }
  if (line.empty()) return 0;
  auto* log = static_cast<ReplyLog*>(user);
  log->last = line;
  if (line[0] == '4' || line[0] == '5') log->last_refusal = line;
  return 0;
}

}  // namespace

Result<EmailSender> EmailSender::Create(SmtpConfig config) {
  if (config.url.empty()) return Error::InvalidArgument("smtp url is empty");
  for (char c : config.url) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte >= 0x7f) {
      return Error::InvalidArgument("smtp url contains a space, control or non-ASCII character");
    }
  }
  internal::EnsureCurlInitialised();
  const internal::CurlUrl url(curl_url());
  if (!url) return Error::Internal("out of memory");
  if (curl_url_set(url.get(), CURLUPART_URL, config.url.c_str(), 0) != CURLUE_OK) {
    return Error::InvalidArgument("smtp url is not a valid URL");
  }
  const std::string scheme = internal::UrlPart(url.get(), CURLUPART_SCHEME);
  if (scheme != "smtp" && scheme != "smtps") {
    return Error::InvalidArgument("smtp url must start with smtp:// (STARTTLS) or smtps:// (TLS)");
  }
  const std::string host = internal::UrlPart(url.get(), CURLUPART_HOST);
  if (host.empty()) return Error::InvalidArgument("smtp url has no host");
  if (!internal::UrlPart(url.get(), CURLUPART_USER).empty() ||
      !internal::UrlPart(url.get(), CURLUPART_PASSWORD).empty()) {
    return Error::InvalidArgument("smtp url must not hold a user name or password; use username and password");
  }
  DV_TRY(ValidateMailbox(config.from, "from"));
  if (config.from_name.find_first_of(std::string_view("\r\n\0", 3)) != std::string::npos ||
      !IsValidUtf8(config.from_name)) {
    return Error::InvalidArgument("from_name contains a line break or is not valid UTF-8");
  }
  if (!config.password.empty() && config.username.empty()) {
    return Error::InvalidArgument("password is set without username");
  }
  if (config.username.find_first_of(std::string_view("\r\n\0", 3)) != std::string::npos ||
      config.password.find_first_of(std::string_view("\r\n\0", 3)) != std::string::npos) {
    return Error::InvalidArgument("username or password contains a line break or NUL");
  }
  std::string server = host + ":" + internal::UrlPart(url.get(), CURLUPART_PORT, CURLU_DEFAULT_PORT);
  return EmailSender(std::move(config), std::move(server));
}

Result<std::string> EmailSender::BuildMessage(std::string_view to, const Notification& notification,
                                              std::chrono::system_clock::time_point date,
                                              std::string_view message_id) const {
  DV_TRY(ValidateMailbox(to, "recipient"));
  DV_TRY(ValidateNotification(notification));
  EmailHeaders headers;
  headers.from = config_.from;
  headers.from_name = config_.from_name;
  headers.to = std::string(to);
  headers.subject = RenderSubject(notification);
  headers.message_id = std::string(message_id);
  headers.notification_id = notification.id;
  headers.date = date;
  return BuildEmailMessage(headers, RenderBody(notification));
}

Result<std::string> EmailSender::Send(std::string_view to, const Notification& notification) const {
  std::string random = Uuid::V4().ToString();
  random.erase(std::remove(random.begin(), random.end(), '-'), random.end());
  const std::string message_id =
      "<" + notification.id + "." + random + "@" + std::string(MailboxDomain(config_.from)) + ">";
  auto message = BuildMessage(to, notification, std::chrono::system_clock::now(), message_id);
  if (!message.ok()) return message.error().WithContext("e-mail");

  internal::CurlEasy curl = internal::NewCurlEasy();
  if (!curl) return Error::Internal("libcurl could not create a handle");
  CURL* handle = curl.get();
  internal::CurlSlist recipients;
  if (!internal::AppendSlist(recipients, "<" + std::string(to) + ">")) return Error::Internal("out of memory");
  const std::string mail_from = "<" + config_.from + ">";
  Upload upload{*message, 0};
  ReplyLog replies;
  char error_buffer[CURL_ERROR_SIZE] = {};

  curl_easy_setopt(handle, CURLOPT_URL, config_.url.c_str());
  curl_easy_setopt(handle, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  curl_easy_setopt(handle, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
  curl_easy_setopt(handle, CURLOPT_SSL_VERIFYPEER, config_.insecure_skip_verify ? 0L : 1L);
  curl_easy_setopt(handle, CURLOPT_SSL_VERIFYHOST, config_.insecure_skip_verify ? 0L : 2L);
  if (!config_.ca_file.empty()) curl_easy_setopt(handle, CURLOPT_CAINFO, config_.ca_file.c_str());
  if (!config_.username.empty()) {
    curl_easy_setopt(handle, CURLOPT_USERNAME, config_.username.c_str());
    curl_easy_setopt(handle, CURLOPT_PASSWORD, config_.password.c_str());
  }
  curl_easy_setopt(handle, CURLOPT_MAIL_FROM, mail_from.c_str());
  curl_easy_setopt(handle, CURLOPT_MAIL_RCPT, recipients.get());
  curl_easy_setopt(handle, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(handle, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(message->size()));
  curl_easy_setopt(handle, CURLOPT_READFUNCTION, &ReadMessage);
  curl_easy_setopt(handle, CURLOPT_READDATA, &upload);
  curl_easy_setopt(handle, CURLOPT_NOPROXY, "*");
  curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(handle, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(config_.connect_timeout.count()));
  curl_easy_setopt(handle, CURLOPT_TIMEOUT_MS, static_cast<long>(config_.total_timeout.count()));
  curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, error_buffer);
  // The debug callback sees the server's replies; with it set, libcurl's
  // verbose output goes nowhere else.
  curl_easy_setopt(handle, CURLOPT_DEBUGFUNCTION, &RecordReply);
  curl_easy_setopt(handle, CURLOPT_DEBUGDATA, &replies);
  curl_easy_setopt(handle, CURLOPT_VERBOSE, 1L);

  const CURLcode code = curl_easy_perform(handle);
  if (code == CURLE_OK) return message_id;

  const std::string place = "e-mail via SMTP server " + server_;
  const std::string reason = internal::DescribeCurlCode(code, error_buffer);
  const std::string reply = replies.Best().empty() ? "" : "; the server replied \"" + replies.Best() + "\"";
  switch (code) {
    case CURLE_USE_SSL_FAILED:
      return Error::Io(place + ": the server does not offer STARTTLS; nothing was sent in cleartext");
    case CURLE_LOGIN_DENIED:
      return Error::Unauthorized(place + ": the server refused the login" + reply);
    case CURLE_OPERATION_TIMEDOUT:
      return Error::Io(place + ": timed out (" + reason + ")");
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
      return Error::Io(place + ": cannot connect (" + reason + ")");
    default:
      break;
  }
  if (internal::IsTlsFailure(code)) return Error::Io(place + ": TLS failed: " + reason);
  return Error::Io(place + ": " + reason + reply);
}

}  // namespace dv::notify
