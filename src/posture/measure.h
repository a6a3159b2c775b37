// SPDX-License-Identifier: Apache-2.0
#pragma once

// A domain measured from outside, as the command line and the hub's daily
// round do it (docs/posture.md): the DNS through one resolver, DNSSEC and
// TLSA through a validator when there is a trust anchor, STARTTLS on the MX
// hosts (smtp_probe.h) and the web and MTA-STS policy (web_probe.h) when
// connections are allowed. Only public addresses are connected to unless
// `allow_private` (tests, closed networks): a member's records must not make
// the scanner probe anyone's internal network.
//
// Thread-safe: Measure may run on several threads at once.

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.h"
#include "posture/scan.h"
#include "posture/smtp_probe.h"
#include "posture/web_probe.h"
#include "register/txt_resolver.h"

namespace dv::posture {

struct MeasureOptions {
  bool mail_servers = true;  // STARTTLS and DANE: connects to port smtp.port of the MX hosts
  bool web = true;           // web checks and the MTA-STS policy: connects to the web ports
  bool allow_private = false;
  SmtpProbeOptions smtp;
  WebProbeOptions web_options;
};

// Why the scanner will not connect to `address` ("a loopback address"), or
// nullopt when it may (public, or anything when `allow_private`).
std::optional<std::string> RefusedAddress(std::string_view address, bool allow_private);

class Measurer {
 public:
  // `validator` may be null: then DNSSEC and DANE are not checked.
  Measurer(std::unique_ptr<reg::TxtResolver> resolver, std::unique_ptr<reg::DnssecValidator> validator,
           MeasureOptions options);

  // `dkim_selectors`: the selectors the member lists for the domain (none:
  // no dkim check).
  // `deadline`: no connection starts after it (the hub's time budget per
  // member and round); DNS lookups still run, each bounded by its timeout.
  DomainScan Measure(
      std::string_view domain, Timestamp now, const std::vector<std::string>& dkim_selectors = {},
      std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max()) const;
  bool validates() const { return validator_ != nullptr; }

 private:
  std::unique_ptr<reg::TxtResolver> resolver_;
  std::unique_ptr<reg::DnssecValidator> validator_;
  MeasureOptions options_;
};

}  // namespace dv::posture
