// SPDX-License-Identifier: Apache-2.0
#pragma once

// E-mail over SMTP with TLS (docs/notify.md, "E-mail"), through libcurl:
// one message to one recipient per call. With an smtp:// URL the session
// must be upgraded with STARTTLS before anything else is sent
// (CURLUSESSL_ALL): a server that does not offer STARTTLS, or whose
// certificate does not verify, gets nothing, not even the sender's address;
// there is no cleartext fallback. smtps:// is TLS from the first byte.
//
// The message is built here (mime.h): RFC 5322 headers, the subject as
// RFC 2047 encoded-words when not ASCII, text/plain UTF-8 in
// quoted-printable, "Auto-Submitted: auto-generated".
//
// Errors: kInvalidArgument for configuration, address and notification
// faults (naming the field, never the value); kIo for connection, TLS,
// timeout and SMTP failures, with libcurl's reason and, when the server
// refused something, its reply ("550 5.1.1 …"); kUnauthorized when the
// server refused the login. Never the password, never the body.
//
// Thread-safe: an EmailSender is immutable; Send uses its own connection.

#include <chrono>
#include <string>
#include <string_view>

#include "core/result.h"
#include "notify/notification.h"

namespace dv::notify {

struct SmtpConfig {
  // smtp://host:port (STARTTLS, port 587 or 25) or smtps://host:port
  // (implicit TLS, 465). A path sets the name sent in EHLO
  // (smtp://mail.example:587/hub.example.dk); without one it is "localhost".
  std::string url;
  std::string from;                      // addr-spec of the sender
  std::string from_name = "Dannevirke";  // display name, UTF-8
  std::string username;                  // empty: no login
  std::string password;
  std::string ca_file;  // PEM trust anchors; empty: the system's store
  // Tests only: TLS without checking the certificate or host name.
  bool insecure_skip_verify = false;
  std::chrono::milliseconds connect_timeout{10000};
  std::chrono::milliseconds total_timeout{30000};
};

class EmailSender {
 public:
  // Checks the configuration: the URL's scheme (smtp or smtps), host, no
  // credentials in the URL, the sender's address, a password only with a
  // user name. kInvalidArgument naming the field.
  static Result<EmailSender> Create(SmtpConfig config);

  // The complete message for `notification` to `to`, as Send would send it
  // at `date` with `message_id`. kInvalidArgument for a bad address or
  // notification.
  Result<std::string> BuildMessage(std::string_view to, const Notification& notification,
                                   std::chrono::system_clock::time_point date, std::string_view message_id) const;

  // Sends `notification` to the one address `to`; on success the message's
  // Message-ID ("<id.random@sender-domain>"), which replies refer to.
  Result<std::string> Send(std::string_view to, const Notification& notification) const;

  const SmtpConfig& config() const { return config_; }

 private:
  EmailSender(SmtpConfig config, std::string server) : config_(std::move(config)), server_(std::move(server)) {}
  SmtpConfig config_;
  std::string server_;  // "host:port", for messages
};

}  // namespace dv::notify
