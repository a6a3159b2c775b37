// SPDX-License-Identifier: Apache-2.0
// `dannevirke posture scan`: the checks of docs/posture.md on a list of
// domains, through the system's resolvers or one named resolver (measure.h).
// Besides DNS, only the domains' MX hosts (port 25, up to the TLS handshake
// and QUIT: no mail is sent) and web servers (one GET of /, of
// /.well-known/security.txt and of the MTA-STS policy) are contacted, at
// public addresses.

#include <unistd.h>

#include <atomic>
#include <cctype>
#include <chrono>
#include <fstream>
#include <functional>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "cli/commands.h"
#include "core/text.h"
#include "core/time.h"
#include "posture/checks.h"
#include "posture/measure.h"
#include "posture/records.h"
#include "posture/scan.h"
#include "protect/value.h"
#include "register/txt_resolver.h"

namespace dv::cli {
namespace {

constexpr std::size_t kMaxDomains = 10000;
constexpr std::size_t kMaxLineBytes = 1024;

// Debian's dns-root-data: the root zone's trust anchor.
constexpr const char* kRootTrustAnchor = "/usr/share/dns/root.key";

struct PostureScanOptions {
  std::string domains_file;
  std::string resolver;
  std::string trust_anchor;
  int timeout_seconds = 5;
  int parallel = 8;
  bool mail_servers = true;
  bool web_servers = true;
  int smtp_port = 25;
  int http_port = 80;
  int https_port = 443;
  std::string ca_file;
  bool allow_private = false;
  bool json = false;
};

struct DomainList {
  std::vector<std::string> domains;
  std::vector<std::vector<std::string>> dkim_selectors;  // per domain, in the same order
  std::vector<std::string> skipped;                      // "FILE:LINE: reason"
};

Result<DomainList> ReadDomains(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Error::Io(path + ": cannot be read");
  DomainList list;
  std::string line;
  std::size_t number = 0;
  while (std::getline(in, line)) {
    ++number;
    const std::string place = path + ":" + std::to_string(number);
    if (line.size() > kMaxLineBytes) {
      list.skipped.push_back(place + ": longer than 1024 bytes");
      continue;
    }
    std::string_view text = TrimSpace(line);
    if (text.empty() || text.front() == '#') continue;
    // "domain [dkim=selector1,selector2]"
    std::vector<std::string> selectors;
    if (const std::size_t space = text.find_first_of(" \t"); space != std::string_view::npos) {
      const std::string_view option = TrimSpace(text.substr(space));
      text = text.substr(0, space);
      if (!option.starts_with("dkim=")) {
        list.skipped.push_back(place + ": '" + std::string(option.substr(0, 40)) +
                               "' is not understood (want: DOMAIN [dkim=SELECTOR,…])");
        continue;
      }
      auto parsed = posture::ParseDkimSelectors(option.substr(5));
      if (!parsed.ok()) {
        list.skipped.push_back(place + ": dkim=: " + parsed.error().message());
        continue;
      }
      selectors = std::move(parsed).value();
    }
    auto domain = protect::NormaliseDomain(text);
    if (!domain.ok()) {
      list.skipped.push_back(place + ": " + domain.error().message());
      continue;
    }
    if (list.domains.size() >= kMaxDomains) return Error::InvalidArgument(place + ": more than 10,000 domains");
    list.domains.push_back(std::move(*domain));
    list.dkim_selectors.push_back(std::move(selectors));
  }
  return list;
}

int PostureScan(const PostureScanOptions& options) {
  auto list = ReadDomains(options.domains_file);
  if (!list.ok()) {
    std::cerr << "error: " << list.error().message() << "\n";
    return 1;
  }
  for (const std::string& skipped : list->skipped) std::cerr << "skipped " << skipped << "\n";
  // DNSSEC and DANE from the trust anchor given, else the root's when
  // Debian's dns-root-data is installed; without one they are left out, and said so.
  std::string anchor = options.trust_anchor;
  if (anchor.empty() && ::access(kRootTrustAnchor, R_OK) == 0) anchor = kRootTrustAnchor;
  std::unique_ptr<reg::DnssecValidator> validator;
  if (!anchor.empty()) {
    auto made = reg::MakeUnboundValidator(options.resolver, anchor, std::chrono::seconds(options.timeout_seconds));
    if (!made.ok()) {
      std::cerr << "error: " << made.error().message() << "\n";
      return 1;
    }
    validator = std::move(made).value();
  } else {
    std::cerr << "DNSSEC and DANE not checked: no trust anchor (install dns-root-data, or give --trust-anchor)\n";
  }
  // Connections: port 25 of the MX hosts and the web ports of the domain and
  // mta-sts.<domain>, at public addresses only unless --allow-private.
  posture::MeasureOptions measure;
  measure.mail_servers = options.mail_servers;
  measure.web = options.web_servers;
  measure.allow_private = options.allow_private;
  measure.smtp.port = options.smtp_port;
  measure.smtp.ca_file = options.ca_file;
  measure.smtp.timeout = std::chrono::seconds(options.timeout_seconds);
  measure.web_options.http_port = options.http_port;
  measure.web_options.https_port = options.https_port;
  measure.web_options.ca_file = options.ca_file;
  measure.web_options.timeout = std::chrono::seconds(options.timeout_seconds);
  const posture::Measurer measurer(
      reg::MakeUnboundResolver(options.resolver, std::chrono::seconds(options.timeout_seconds)), std::move(validator),
      measure);

  const std::string measured_at = Timestamp::Now().ToRfc3339();
  nlohmann::json report = {{"measured_at", measured_at}, {"domains", nlohmann::json::array()}};
  report["skipped"] = list->skipped;
  // At most `parallel` domains at a time, each asking one lookup at a time;
  // printed in the file's order.
  std::vector<posture::DomainScan> scans(list->domains.size());
  std::atomic<std::size_t> next{0};
  const auto work = [&] {
    for (std::size_t index = next++; index < scans.size(); index = next++) {
      scans[index] = measurer.Measure(list->domains[index], Timestamp::Now(), list->dkim_selectors[index]);
    }
  };
  std::vector<std::thread> workers;
  const std::size_t threads = std::min<std::size_t>(static_cast<std::size_t>(options.parallel), scans.size());
  for (std::size_t count = 1; count < threads; ++count) workers.emplace_back(work);
  work();
  for (auto& worker : workers) worker.join();
  for (const posture::DomainScan& scan : scans) {
    const std::string& domain = scan.domain;
    nlohmann::json checks = nlohmann::json::array();
    for (const posture::CheckResult& result : scan.checks) {
      checks.push_back(posture::CheckJson(result));
      if (!options.json) {
        std::cout << domain << "  " << result.check << "  " << posture::StatusName(result.status) << "  "
                  << (result.reasons.empty() ? std::string() : result.reasons.front()) << "\n";
        if (result.dmarcbis_status) {
          std::cout << domain << "  dmarc (DMARCbis)  " << posture::StatusName(*result.dmarcbis_status) << "  "
                    << (result.dmarcbis_reasons.empty() ? std::string() : result.dmarcbis_reasons.front()) << "\n";
        }
      }
    }
    report["domains"].push_back({{"domain", domain}, {"checks", std::move(checks)}});
  }
  if (options.json) {
    std::cout << report.dump(2) << "\n";
  } else {
    std::cout << list->domains.size() << " domains checked at " << measured_at << ", " << list->skipped.size()
              << " lines skipped\n";
  }
  return 0;
}

}  // namespace

void AddPostureCommands(CLI::App& app, int* exit_code) {
  CLI::App* posture_cmd = app.add_subcommand(
      "posture",
      "A domain's mail set-up measured from outside (docs/posture.md): DNSSEC, STARTTLS, SPF, DMARC and TLS-RPT, each "
      "pass, warn, fail or error with the reason and the records read.");
  posture_cmd->require_subcommand(1);
  auto scan = std::make_shared<PostureScanOptions>();
  CLI::App* scan_cmd = posture_cmd->add_subcommand(
      "scan",
      "Check the domains of a file (one per line, # comments; \"DOMAIN dkim=SELECTOR,…\" adds the DKIM check of "
      "those selectors) through the system's resolvers or --resolver, "
      "STARTTLS and DANE on their mail servers (port 25, no mail sent) and their web servers (HTTPS, the "
      "redirect from HTTP, HSTS, security.txt, the MTA-STS policy); a line that is not a domain is skipped "
      "and named.");
  scan_cmd->add_option("--domains", scan->domains_file, "File of domains")->required();
  scan_cmd->add_option("--resolver", scan->resolver,
                       "Resolver to ask, ADDRESS or ADDRESS@PORT (default: the system's)");
  scan_cmd->add_option("--timeout", scan->timeout_seconds, "Seconds to wait for each DNS answer")
      ->check(CLI::Range(1, 60))
      ->capture_default_str();
  scan_cmd->add_option("--trust-anchor", scan->trust_anchor,
                       "DNSSEC trust anchor file (DS or DNSKEY records; default: Debian's root key, "
                       "/usr/share/dns/root.key)");
  scan_cmd->add_option("--parallel", scan->parallel, "Domains checked at the same time")
      ->check(CLI::Range(1, 32))
      ->capture_default_str();
  scan_cmd->add_flag("!--no-mail-servers", scan->mail_servers,
                     "Do not connect to the domains' mail servers (leaves out the STARTTLS check)");
  scan_cmd->add_flag("!--no-web-servers", scan->web_servers,
                     "Do not connect to the domains' web servers (leaves out the web checks and MTA-STS)");
  scan_cmd->add_option("--smtp-port", scan->smtp_port, "Port of the mail servers (tests)")
      ->check(CLI::Range(1, 65535))
      ->capture_default_str();
  scan_cmd->add_option("--http-port", scan->http_port, "Port of plain HTTP (tests)")
      ->check(CLI::Range(1, 65535))
      ->capture_default_str();
  scan_cmd->add_option("--https-port", scan->https_port, "Port of HTTPS (tests)")
      ->check(CLI::Range(1, 65535))
      ->capture_default_str();
  scan_cmd->add_option("--ca-file", scan->ca_file,
                       "Trust anchors for the mail and web servers' certificates (default: the system's)");
  scan_cmd->add_flag("--allow-private", scan->allow_private,
                     "Connect to mail and web servers at loopback and private addresses too (tests, closed networks)");
  scan_cmd->add_flag("--json", scan->json, "Print the results as JSON");
  scan_cmd->callback([scan, exit_code] { *exit_code = PostureScan(*scan); });
}

}  // namespace dv::cli
