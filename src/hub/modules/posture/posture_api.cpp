// SPDX-License-Identifier: Apache-2.0
// /api/v1/posture/…: every member's proven domains checked from outside
// (issue 17, docs/posture.md).
//   members/{code}                 the newest measurement of each proven domain
//   members/{code}/history         one domain's verdicts over time (?domain=)
//   members/{code}/regressions     checks that fell from pass or warn to fail
//   members/{code}/scan            POST: measure the member's domains now (queued)
//   national                       per check, the share of members that pass
//
// Who reads what: a member's results are its own (TLP:AMBER): its people
// and sensors and the coordinators read them, anyone else gets 403, audited.
// The national figures are for every signed-in user and hide a check
// measured at fewer than five members. Only domains that a member has
// proven (or a coordinator approved) are ever looked up; a domain that
// stops being proven drops out of the answers.
//
// The scanner runs in the hub: one domain at a time, DV_POSTURE_PACE_MS
// apart (default 2 s), every DV_POSTURE_INTERVAL_HOURS (default 24), the
// first round DV_POSTURE_START_DELAY_MINUTES after start (default 60);
// DV_POSTURE_SCAN=off stops the schedule (a requested scan still runs).
// Lookups go to DV_POSTURE_RESOLVER, else the register's resolver
// (DV_REGISTER_RESOLVER), else the system's; DNSSEC is validated from
// DV_POSTURE_TRUST_ANCHOR (default: Debian's root key, dns-root-data) and
// left out when there is none. Besides DNS, the scanner connects only to
// port 25 (DV_POSTURE_SMTP_PORT) of the public addresses of a domain's MX
// hosts, up to the TLS handshake after STARTTLS and QUIT: no mail is sent
// (DV_POSTURE_MAIL_SERVERS=off leaves this out; DV_POSTURE_CA_FILE names the
// trust anchors for their certificates; DV_POSTURE_ALLOW_PRIVATE=1 allows
// loopback and private addresses, for tests and closed networks).

#include <httplib.h>

#include <array>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <thread>

#include "hub/api.h"
#include "hub/module.h"
#include "hub/router.h"
#include "posture/measure.h"
#include "posture/stored.h"
#include "register/register_store.h"
#include "register/txt_resolver.h"

namespace dv::hub {

namespace {

constexpr std::string_view kPostureActor = "system:posture";
constexpr const char* kRootTrustAnchor = "/usr/share/dns/root.key";  // Debian's dns-root-data
constexpr std::string_view kScanRequestedAction = "posture.scan_requested";
// A member's people ask for a scan of it at most this often: every request
// makes the hub query the member's DNS servers. Coordinators are bounded by
// the queue only.
constexpr std::int64_t kScanRequestIntervalMs = 10LL * 60'000;
constexpr std::size_t kMaxQueuedMembers = 200;
constexpr std::size_t kMaxRegressionsListed = 500;

std::string EnvValue(const char* name, std::string fallback) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? std::string(value) : fallback;
}

std::int64_t EnvNumber(const char* name, std::int64_t fallback, std::int64_t low, std::int64_t high) {
  const std::string text = EnvValue(name, "");
  if (text.empty()) return fallback;
  try {
    return std::clamp<std::int64_t>(std::stoll(text), low, high);
  } catch (const std::exception&) {
    return fallback;
  }
}

// Names under the special-use top-level domains (RFC 2606, RFC 6761: the
// demo's illustrative domains, test zones) exist nowhere on the internet:
// the scanner never asks about them, so a demo hub sends no query for them.
bool SpecialUse(std::string_view domain) {
  for (const std::string_view tld : {".example", ".test", ".invalid", ".localhost"}) {
    if (domain.ends_with(tld)) return true;
  }
  return false;
}

// The proven (or approved) domains of every member, by organisation.
Result<std::map<std::string, std::vector<std::string>>> ProvenDomains(Store& store) {
  auto presence = reg::LoadProvenPresence(store);
  if (!presence.ok()) return presence.error();
  std::map<std::string, std::vector<std::string>> out;
  for (auto& member : *presence) {
    if (!member.domains.empty()) out[member.org_code] = std::move(member.domains);
  }
  return out;
}

class PostureService {
 public:
  explicit PostureService(ApiContext& context) : context_(context) {
    scheduled_ = EnvValue("DV_POSTURE_SCAN", "on") != "off";
    interval_ms_ = EnvNumber("DV_POSTURE_INTERVAL_HOURS", 24, 1, 24 * 7) * 3'600'000;
    pace_ms_ = EnvNumber("DV_POSTURE_PACE_MS", 2000, 0, 60'000);
    member_budget_ms_ = EnvNumber("DV_POSTURE_MEMBER_BUDGET_SECONDS", 300, 1, 3600) * 1000;
    next_round_ms_ = Timestamp::Now().unix_ms() + EnvNumber("DV_POSTURE_START_DELAY_MINUTES", 60, 0, 24 * 60) * 60'000;
    std::string resolver = EnvValue("DV_POSTURE_RESOLVER", "");
    if (resolver.empty()) resolver = EnvValue("DV_REGISTER_RESOLVER", "");
    std::unique_ptr<reg::DnssecValidator> validator;
    if (auto made = reg::MakeUnboundValidator(resolver, EnvValue("DV_POSTURE_TRUST_ANCHOR", kRootTrustAnchor));
        made.ok()) {
      validator = std::move(made).value();
    }
    posture::MeasureOptions measure;
    measure.mail_servers = EnvValue("DV_POSTURE_MAIL_SERVERS", "on") != "off";
    measure.web = EnvValue("DV_POSTURE_WEB_SERVERS", "on") != "off";
    measure.smtp.port = static_cast<int>(EnvNumber("DV_POSTURE_SMTP_PORT", 25, 1, 65535));
    measure.smtp.ca_file = EnvValue("DV_POSTURE_CA_FILE", "");
    measure.web_options.http_port = static_cast<int>(EnvNumber("DV_POSTURE_HTTP_PORT", 80, 1, 65535));
    measure.web_options.https_port = static_cast<int>(EnvNumber("DV_POSTURE_HTTPS_PORT", 443, 1, 65535));
    measure.web_options.ca_file = measure.smtp.ca_file;
    measure.allow_private = EnvValue("DV_POSTURE_ALLOW_PRIVATE", "") == "1";
    measurer_ = std::make_unique<posture::Measurer>(reg::MakeUnboundResolver(resolver), std::move(validator), measure);
    thread_ = std::thread([this] { Run(); });
  }
  ~PostureService() {
    {
      std::lock_guard lock(mutex_);
      stop_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
  }
  PostureService(const PostureService&) = delete;
  PostureService& operator=(const PostureService&) = delete;

  // Queues `org` for a scan; the refusal (a 429) when the queue is full or,
  // `limited`, the member's people asked within the last ten minutes.
  std::optional<std::string> Request(const std::string& org, bool limited) {
    std::lock_guard lock(mutex_);
    const std::int64_t now = Timestamp::Now().unix_ms();
    if (const auto last = last_request_ms_.find(org);
        limited && last != last_request_ms_.end() && now - last->second < kScanRequestIntervalMs) {
      return "a scan of " + org + " was asked for less than ten minutes ago";
    }
    if (queue_.size() >= kMaxQueuedMembers) return "too many scans are waiting";
    if (limited) last_request_ms_[org] = now;
    if (std::find(queue_.begin(), queue_.end(), org) == queue_.end()) queue_.push_back(org);
    wake_.notify_all();
    return std::nullopt;
  }

  bool Queued(const std::string& org) {
    std::lock_guard lock(mutex_);
    return std::find(queue_.begin(), queue_.end(), org) != queue_.end() || scanning_ == org;
  }

 private:
  void Run() {
    std::unique_lock lock(mutex_);
    while (!stop_) {
      if (!queue_.empty()) {
        scanning_ = queue_.front();
        queue_.pop_front();
        const std::string org = scanning_;
        lock.unlock();
        ScanMembers({org});
        lock.lock();
        scanning_.clear();
        continue;
      }
      const std::int64_t now = Timestamp::Now().unix_ms();
      if (scheduled_ && now >= next_round_ms_) {
        next_round_ms_ = now + interval_ms_;
        lock.unlock();
        ScanMembers({});
        lock.lock();
        continue;
      }
      const std::int64_t wait_ms = scheduled_ ? std::min<std::int64_t>(next_round_ms_ - now, 60'000) : 60'000;
      wake_.wait_for(lock, std::chrono::milliseconds(std::max<std::int64_t>(wait_ms, 10)));
    }
  }

  bool Stopping() {
    std::lock_guard lock(mutex_);
    return stop_;
  }

  // Scans the proven domains of `only` (every member when empty), one
  // domain at a time, `pace_ms_` apart.
  void ScanMembers(const std::set<std::string>& only) {
    auto proven = ProvenDomains(context_.store());
    if (!proven.ok()) return;
    bool first = true;
    for (const auto& [org, domains] : *proven) {
      if (!only.empty() && !only.count(org)) continue;
      const auto selectors = posture::LoadDkimSelectors(context_.store(), org);
      // A member's servers may answer slowly, on purpose or not: its domains
      // get DV_POSTURE_MEMBER_BUDGET_SECONDS a round (pauses excluded), so no
      // member can delay the others' round by more. The rest keep their last
      // measurement until the next round; the audit log says so.
      std::chrono::steady_clock::duration spent{0};
      std::size_t left_out = 0;
      for (const auto& domain : domains) {
        if (SpecialUse(domain)) continue;
        if (!first && pace_ms_ > 0) {
          std::unique_lock lock(mutex_);
          if (wake_.wait_for(lock, std::chrono::milliseconds(pace_ms_), [this] { return stop_; })) return;
        }
        if (Stopping()) return;
        first = false;
        std::vector<std::string> dkim;
        if (selectors.ok()) {
          if (const auto found = selectors->find(domain); found != selectors->end()) dkim = found->second;
        }
        if (spent >= std::chrono::milliseconds(member_budget_ms_)) {
          ++left_out;
          continue;
        }
        const auto started = std::chrono::steady_clock::now();
        const auto scan = measurer_->Measure(domain, Timestamp::Now(), dkim,
                                             started - spent + std::chrono::milliseconds(member_budget_ms_));
        spent += std::chrono::steady_clock::now() - started;
        (void)posture::StoreScan(context_.store(), org, scan, kPostureActor);
      }
      if (left_out > 0) {
        (void)context_.store().Audit(
            kPostureActor, "posture.budget_spent", org,
            nlohmann::json{{"domains_left_out", left_out}, {"budget_seconds", member_budget_ms_ / 1000}}.dump());
      }
    }
  }

  ApiContext& context_;
  std::unique_ptr<posture::Measurer> measurer_;  // without a trust anchor, DNSSEC and DANE are not checked
  bool scheduled_ = true;
  std::int64_t interval_ms_ = 0;
  std::int64_t pace_ms_ = 0;
  std::int64_t member_budget_ms_ = 300'000;
  std::int64_t next_round_ms_ = 0;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::deque<std::string> queue_;
  std::string scanning_;
  std::map<std::string, std::int64_t> last_request_ms_;
  std::thread thread_;
};

Json ScanAnswer(const posture::DomainScan& scan, Timestamp now) {
  Json json = posture::ScanJson(scan);
  json["age_hours"] = (now.unix_ms() - scan.measured_at.unix_ms()) / 3'600'000;
  return json;
}

class PostureApi {
 public:
  explicit PostureApi(ApiContext& context) : context_(context), service_(std::make_unique<PostureService>(context)) {}

  void Register(Router& server) {
    const std::string member = R"(/api/v1/posture/members/([A-Za-z0-9_.-]{1,64}))";
    server.Get(member, context_.Route(this, &PostureApi::GetMember));
    server.Get(member + "/history", context_.Route(this, &PostureApi::GetHistory));
    server.Get(member + "/regressions", context_.Route(this, &PostureApi::GetRegressions));
    server.Post(member + "/scan", context_.Route(this, &PostureApi::PostScan));
    server.Get(member + "/dkim", context_.Route(this, &PostureApi::GetDkim));
    server.Put(member + "/dkim", context_.Route(this, &PostureApi::PutDkim));
    server.Get("/api/v1/posture/national", context_.Route(this, &PostureApi::GetNational));
  }

 private:
  // The organisation of the path when the principal may read its results;
  // sends the answer (404, 403 audited) otherwise.
  std::optional<std::string> ReadableOrg(const httplib::Request& req, httplib::Response& res,
                                         const Principal& principal) {
    const std::string code = req.matches[1].str();
    auto organisation = context_.store().GetOrganisation(code);
    if (!organisation.ok()) {
      SendError(res, organisation.error().kind() == ErrorKind::kNotFound
                         ? Error::NotFound("no organisation has the code '" + code + "'")
                         : organisation.error());
      return std::nullopt;
    }
    if (!CanReadOrgRecords(principal, code)) {
      context_.Forbid(principal, req, res, "the posture results of " + code);
      return std::nullopt;
    }
    return code;
  }

  // The organisation of the path when the principal may act for it (ask
  // for a scan, list DKIM selectors): the member's people and the
  // coordinators, not a sensor, not another member. Sends the answer (404,
  // or 403 audited naming `what` and the code) otherwise.
  std::optional<std::string> ActingOrg(const httplib::Request& req, httplib::Response& res, const Principal& principal,
                                       const std::string& what) {
    const std::string code = req.matches[1].str();
    if (!context_.store().GetOrganisation(code).ok()) {
      SendError(res, Error::NotFound("no organisation has the code '" + code + "'"));
      return std::nullopt;
    }
    const bool allowed =
        IsCoordinator(principal) || (principal.member.role == MemberRole::kMember && principal.member.org_code == code);
    if (!allowed) {
      context_.Forbid(principal, req, res, what + code);
      return std::nullopt;
    }
    return code;
  }

  Result<std::vector<std::string>> ProvenOf(const std::string& org) {
    auto proven = ProvenDomains(context_.store());
    if (!proven.ok()) return proven.error();
    const auto found = proven->find(org);
    return found == proven->end() ? std::vector<std::string>{} : found->second;
  }

  void GetMember(const httplib::Request& req, httplib::Response& res, const Principal& principal) {
    if (auto status = CheckParams(req, {}); !status.ok()) return SendError(res, status.error());
    const auto org = ReadableOrg(req, res, principal);
    if (!org) return;
    auto proven = ProvenOf(*org);
    if (!proven.ok()) return SendError(res, proven.error());
    Json domains = Json::array();
    if (!proven->empty()) {
      auto latest = posture::LatestScans(context_.store(), *org, *proven);
      if (!latest.ok()) return SendError(res, latest.error());
      const Timestamp now = Timestamp::Now();
      for (const auto& scan : *latest) domains.push_back(ScanAnswer(scan, now));
    }
    Json unmeasured = Json::array();
    for (const auto& domain : *proven) {
      const bool measured =
          std::any_of(domains.begin(), domains.end(), [&domain](const Json& item) { return item["domain"] == domain; });
      if (!measured) unmeasured.push_back(domain);
    }
    SendNoStore(res, {{"organisation", *org},
                      {"tlp", "amber"},
                      {"domains", std::move(domains)},
                      {"not_yet_measured", std::move(unmeasured)},
                      {"scan_queued", service_->Queued(*org)}});
  }

  void GetHistory(const httplib::Request& req, httplib::Response& res, const Principal& principal) {
    if (auto status = CheckParams(req, {"domain", "check"}); !status.ok()) return SendError(res, status.error());
    const auto org = ReadableOrg(req, res, principal);
    if (!org) return;
    const std::string domain = req.get_param_value("domain");
    if (domain.empty()) return SendError(res, Error::InvalidArgument("query parameter 'domain' is required"));
    const std::string check = req.get_param_value("check");
    if (!check.empty() && !posture::IsCheckName(check)) {
      std::string known;
      for (const std::string_view name : posture::kCheckNames) known += (known.empty() ? "" : ", ") + std::string(name);
      return SendError(
          res, Error::InvalidArgument("query parameter 'check': '" + check + "' is not a check (" + known + ")"));
    }
    auto proven = ProvenOf(*org);
    if (!proven.ok()) return SendError(res, proven.error());
    if (std::find(proven->begin(), proven->end(), domain) == proven->end()) {
      return SendError(res, Error::NotFound("'" + domain + "' is not a proven domain of " + *org));
    }
    auto history = posture::History(context_.store(), *org, domain);
    if (!history.ok() && history.error().kind() != ErrorKind::kNotFound) return SendError(res, history.error());
    Json points = Json::array();
    if (history.ok()) {
      for (const auto& point : *history) {
        if (!check.empty() && point.check != check) continue;
        points.push_back({{"measured_at", point.measured_at.ToRfc3339()},
                          {"check", point.check},
                          {"status", posture::StatusName(point.status)},
                          {"reason", point.reason}});
      }
    }
    SendNoStore(res, {{"organisation", *org}, {"domain", domain}, {"history", std::move(points)}});
  }

  void GetRegressions(const httplib::Request& req, httplib::Response& res, const Principal& principal) {
    if (auto status = CheckParams(req, {}); !status.ok()) return SendError(res, status.error());
    const auto org = ReadableOrg(req, res, principal);
    if (!org) return;
    auto records = context_.store().ListRecords({std::string(posture::kRegressionKind), *org, false});
    if (!records.ok()) return SendError(res, records.error());
    std::vector<Json> list;
    for (const auto& record : *records) {
      Json body = Json::parse(record.body, nullptr, false);
      if (!body.is_object()) continue;
      body["id"] = record.id;
      list.push_back(std::move(body));
    }
    std::sort(list.begin(), list.end(),
              [](const Json& a, const Json& b) { return a.value("measured_at", "") > b.value("measured_at", ""); });
    if (list.size() > kMaxRegressionsListed) list.resize(kMaxRegressionsListed);
    SendNoStore(res, {{"organisation", *org}, {"regressions", list}});
  }

  void PostScan(const httplib::Request& req, httplib::Response& res, const Principal& principal) {
    if (auto status = CheckParams(req, {}); !status.ok()) return SendError(res, status.error());
    const auto org = ActingOrg(req, res, principal, "a posture scan of ");
    if (!org) return;
    const std::string& code = *org;
    auto proven = ProvenOf(code);
    if (!proven.ok()) return SendError(res, proven.error());
    if (proven->empty()) {
      return SendError(res, Error::Conflict(code + " has no proven domain: prove one in the register first"));
    }
    if (auto refused = service_->Request(code, !IsCoordinator(principal))) {
      res.set_header("Retry-After", "600");
      return SendJson(res, 429, {{"error", {{"kind", "rate_limited"}, {"message", *refused}}}});
    }
    (void)context_.store().Audit(ApiContext::Actor(principal), kScanRequestedAction, code, code);
    SendJson(res, 202, {{"organisation", code}, {"queued", true}, {"domains", *proven}});
  }

  void GetDkim(const httplib::Request& req, httplib::Response& res, const Principal& principal) {
    if (auto status = CheckParams(req, {}); !status.ok()) return SendError(res, status.error());
    const auto org = ReadableOrg(req, res, principal);
    if (!org) return;
    auto selectors = posture::LoadDkimSelectors(context_.store(), *org);
    if (!selectors.ok()) return SendError(res, selectors.error());
    SendNoStore(res, {{"organisation", *org}, {"selectors", *selectors}});
  }

  // The member's people or a coordinator list the selectors whose DKIM keys
  // the scan checks; only for the member's proven domains.
  void PutDkim(const httplib::Request& req, httplib::Response& res, const Principal& principal) {
    if (auto status = CheckParams(req, {}); !status.ok()) return SendError(res, status.error());
    const auto org = ActingOrg(req, res, principal, "the DKIM selectors of ");
    if (!org) return;
    const std::string& code = *org;
    auto body = JsonBody(req);
    if (!body.ok()) return SendError(res, body.error());
    auto proven = ProvenOf(code);
    if (!proven.ok()) return SendError(res, proven.error());
    auto selectors = posture::DkimSelectorsFromJson(*body, *proven);
    if (!selectors.ok()) return SendError(res, selectors.error());
    if (auto stored = posture::StoreDkimSelectors(context_.store(), code, *selectors, ApiContext::Actor(principal));
        !stored.ok()) {
      return SendError(res, stored.error());
    }
    SendNoStore(res, {{"organisation", code}, {"selectors", *selectors}});
  }

  void GetNational(const httplib::Request& req, httplib::Response& res, const Principal&) {
    if (auto status = CheckParams(req, {}); !status.ok()) return SendError(res, status.error());
    auto latest = posture::AllLatestScans(context_.store());
    if (!latest.ok()) return SendError(res, latest.error());
    auto proven = ProvenDomains(context_.store());
    if (!proven.ok()) return SendError(res, proven.error());
    // Only what is still proven counts, as in each member's answer.
    for (auto& [org, scans] : *latest) {
      const auto found = proven->find(org);
      std::erase_if(scans, [&](const posture::DomainScan& scan) {
        return found == proven->end() ||
               std::find(found->second.begin(), found->second.end(), scan.domain) == found->second.end();
      });
    }
    Json checks = Json::array();
    for (const auto& share : posture::NationalShares(*latest)) {
      Json item = {{"check", share.check}, {"members", share.members}, {"hidden", !share.passing.has_value()}};
      item["passing"] = share.passing ? Json(*share.passing) : Json(nullptr);
      item["failing"] = share.failing ? Json(*share.failing) : Json(nullptr);
      checks.push_back(std::move(item));
    }
    SendNoStore(res, {{"min_group", 5}, {"checks", std::move(checks)}});
  }

  static void SendNoStore(httplib::Response& res, const Json& body) {
    SendJson(res, 200, body);
    res.set_header("Cache-Control", "no-store");
  }

  ApiContext& context_;
  std::unique_ptr<PostureService> service_;
};

void RegisterPostureApi(Router& server, ApiContext& context) {
  auto module = std::make_shared<PostureApi>(context);
  module->Register(server);
  context.Keep(module);
}

constexpr std::array<std::string_view, 1> kPosturePathPrefixes = {"/api/v1/posture"};
constexpr std::array<std::string_view, 2> kPostureRecordKinds = {posture::kResultKind, posture::kRegressionKind};
constexpr std::array<std::string_view, 1> kPostureAuditActions = {kScanRequestedAction};

}  // namespace

extern const Module kPostureModule;
constinit const Module kPostureModule{
    .name = "posture",
    .register_routes = &RegisterPostureApi,
    .openapi_fragment = "posture.openapi.json",
    .path_prefixes = kPosturePathPrefixes,
    .record_kinds = kPostureRecordKinds,
    .audit_actions = kPostureAuditActions,
    .dashboard_route = "#/posture",
};

}  // namespace dv::hub
