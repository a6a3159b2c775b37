// SPDX-License-Identifier: Apache-2.0
// /api/v1/duty/…: around the clock (issue 16, docs/duty.md "In the hub").
//   members/{code}/config                   GET, PUT: the member's rotas, pools, policies, routes, sharing
//   members/{code}/on-duty                  who is on duty now in each rota
//   members/{code}/rotas/{id}/ical          the rota's shifts as iCalendar (RFC 5545), at most 92 days
//   members/{code}/notifications            the member's notifications and their escalation state
//   notifications/{id}/ack                  POST: acknowledge (the member's people, the coordinator)
//   ack                                     GET: a page with a button; POST token=…: acknowledge by link
//
// The engine: a thread of the hub (one per hub process) wakes every second,
// turns new high-severity outside reports (notices) of a member into events,
// routes each event by the member's routes to a policy, bounds storms (one
// notification per member, event kind and source per 15 minutes, with a
// count), advances every active notification with the escalation engine of
// dv_duty and sends what it asks for by e-mail (dv_notify, SMTP with TLS).
// Every notification carries a single-use acknowledge link (an HMAC token
// bound to the notification and the participant, valid 7 days); a GET of
// the link changes nothing (mail scanners follow links), the page's button
// POSTs it.
//
// Who may do what: a member's config and notifications are read by its
// people and coordinators and written by its people; contacts are read
// only through contacts::ContactsOf, audited with the notification as the
// purpose. A rota, pool, policy or contact of another member is referred to
// as member:<org>/<id> and only when that member shares with the referring
// one (share_with). Refusals are 403, audited.
//
// Configuration (environment): DV_SMTP_URL, DV_SMTP_FROM (e-mail; without
// them no e-mail is sent and the delivery says so), DV_SMTP_CA_FILE (the
// server's trust anchors when not the system's), DV_SMTP_INSECURE=1 (accept
// any certificate; never in production), DV_HUB_PUBLIC_URL (the base
// of acknowledge links), DV_DUTY_ACK_SECRET (≥ 32 bytes; without it a random
// secret per process, so links die with a restart), DV_DUTY_COORDINATOR_ORG
// (the organisation whose rota "national" is the coordinator's; default
// CFCS), DV_DUTY_TICK_MS (default 1000).

#include <httplib.h>
#include <openssl/rand.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <thread>

#include "contacts/contacts_store.h"
#include "core/text.h"
#include "duty/ack_token.h"
#include "duty/escalation.h"
#include "duty/icalendar.h"
#include "duty/ids.h"
#include "duty/policy.h"
#include "duty/rota.h"
#include "duty/routes.h"
#include "duty/storm_gate.h"
#include "hub/api.h"
#include "hub/auth.h"
#include "hub/duty_inbox.h"
#include "hub/module.h"
#include "hub/modules/duty/duty_records.h"
#include "hub/modules/duty/triggers.h"
#include "hub/modules/vulnerabilities/vuln_service.h"
#include "hub/router.h"
#include "notices/notices.h"
#include "notify/email.h"
#include "notify/notification.h"
#include "notify/sms.h"
#include "notify/webhook.h"
#include "posture/stored.h"
#include "vuln/kev_clock.h"

namespace dv::hub {

namespace {

constexpr std::string_view kConfigKind = duty_records::kConfigKind;
constexpr std::string_view kNotificationKind = duty_records::kNotificationKind;
constexpr std::string_view kCursorKind = "duty.cursor";
constexpr std::string_view kKevClockKind = duty_records::kKevClockKind;
constexpr std::string_view kWebhookSecretKind = "duty.webhook_secret";
constexpr std::string_view kWebhookSecretAction = "duty.webhook_secret.create";
// Calendar subscription links: id = SHA-256 of the link's token.
constexpr std::string_view kCalendarLinkKind = "duty.calendar_link";
constexpr std::string_view kCalendarLinkAction = "duty.calendar_link.create";
constexpr std::string_view kCalendarUnlinkAction = "duty.calendar_link.revoke";
constexpr std::size_t kMaxCalendarLinks = 20;  // per member
// A subscribed calendar shows the week behind and 12 weeks ahead.
constexpr std::int64_t kCalendarBackMs = 7LL * 86'400'000;
constexpr std::int64_t kCalendarAheadMs = 84LL * 86'400'000;
constexpr std::int64_t kKevCheckMs = 10'000;
// Notifications whose messages are sent at the same time.
constexpr std::size_t kDeliveryWorkers = 8;
// National figures are shown to a member only over at least this many members.
constexpr std::size_t kMinMembersForNational = 5;
constexpr std::string_view kAckAction = "duty.ack";
constexpr std::string_view kAckRefusedAction = "duty.ack.refused";
constexpr std::string_view kSystemActor = "system:duty";
constexpr std::int64_t kAckValidMs = 7LL * 86'400'000;
constexpr std::int64_t kStormWindowMs = 15LL * 60'000;
constexpr std::int64_t kMaxIcalRangeMs = 92LL * 86'400'000;
constexpr std::size_t kMaxConfigBytes = 1u << 20;
// Objects per config, counted before any is parsed: each rota's coverage
// check walks weeks of hand-offs, so the count bounds a write's work.
constexpr std::size_t kMaxRotas = 50;
constexpr std::size_t kMaxPools = 20;
constexpr std::size_t kMaxPolicies = 50;
constexpr std::size_t kMaxShareWith = 200;

std::string RandomHex(std::size_t bytes) {
  std::vector<unsigned char> buffer(bytes);
  if (RAND_bytes(buffer.data(), static_cast<int>(buffer.size())) != 1) return {};
  static constexpr char kHexDigits[] = "0123456789abcdef";
  std::string out;
  for (const unsigned char byte : buffer) {
    out.push_back(kHexDigits[byte >> 4]);
    out.push_back(kHexDigits[byte & 0xf]);
  }
  return out;
}

std::string EnvOr(const char* name, std::string fallback) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? std::string(value) : fallback;
}

// Outgoing HTTP (webhooks, the SMS gateway): public addresses only, unless
// DV_NOTIFY_ALLOW_PRIVATE=1 (tests and closed networks: loopback and private
// addresses allowed).
notify::HttpPolicy HttpPolicyFromEnvironment() {
  notify::HttpPolicy policy;
  policy.allow_loopback_and_private = EnvOr("DV_NOTIFY_ALLOW_PRIVATE", "") == "1";
  policy.ca_file = EnvOr("DV_NOTIFY_CA_FILE", "");  // trust anchors for https endpoints; empty: the system's
  return policy;
}

// One member's duty configuration, parsed.
struct MemberDuty {
  std::string org;
  std::int64_t version = 0;
  std::map<std::string, duty::Rota, std::less<>> rotas;
  std::map<std::string, duty::Pool, std::less<>> pools;
  std::map<std::string, duty::Policy, std::less<>> policies;
  duty::Routes routes;
  std::set<std::string, std::less<>> share_with;  // organisations that may refer to this member's objects
  duty_triggers::Settings triggers;               // thresholds of the sighting and NIS2 triggers
  Json raw = Json::object();
};

// Splits "member:<org>/<id>" into (org, id); a local id belongs to `owner`.
std::pair<std::string, std::string> Owned(std::string_view owner, std::string_view id) {
  if (id.rfind("member:", 0) == 0) {
    const auto slash = id.find('/');
    if (slash != std::string_view::npos) {
      return {std::string(id.substr(7, slash - 7)), std::string(id.substr(slash + 1))};
    }
  }
  return {std::string(owner), std::string(id)};
}

// Every member's configuration and contact ids, as one member sees them.
class Snapshot {
 public:
  std::map<std::string, MemberDuty, std::less<>> members;
  std::map<std::string, std::set<std::string, std::less<>>, std::less<>> contact_ids;
  std::string coordinator_org;

  const MemberDuty* Visible(std::string_view viewer, std::string_view org) const {
    const auto found = members.find(org);
    if (found == members.end()) return nullptr;
    if (org != viewer && !found->second.share_with.count(viewer)) return nullptr;
    return &found->second;
  }
};

class View final : public duty::Directory {
 public:
  View(const Snapshot& snapshot, std::string owner) : snapshot_(snapshot), owner_(std::move(owner)) {}
  bool HasContact(std::string_view id) const override {
    const auto [org, local] = Owned(owner_, id);
    if (org != owner_ && snapshot_.Visible(owner_, org) == nullptr) return false;
    const auto found = snapshot_.contact_ids.find(org);
    return found != snapshot_.contact_ids.end() && found->second.count(local) > 0;
  }
  const duty::Rota* FindRota(std::string_view id) const override { return Find(&MemberDuty::rotas, id); }
  const duty::Pool* FindPool(std::string_view id) const override { return Find(&MemberDuty::pools, id); }
  const duty::Policy* FindPolicy(std::string_view id) const override { return Find(&MemberDuty::policies, id); }
  const duty::Rota* CoordinatorRota(std::string_view org) const override {
    const std::string code = org.empty() ? snapshot_.coordinator_org : std::string(org);
    const auto found = snapshot_.members.find(code);
    if (found == snapshot_.members.end()) return nullptr;
    const auto rota = found->second.rotas.find("national");
    return rota == found->second.rotas.end() ? nullptr : &rota->second;
  }

 private:
  template <typename T>
  const T* Find(std::map<std::string, T, std::less<>> MemberDuty::*field, std::string_view id) const {
    const auto [org, local] = Owned(owner_, id);
    const MemberDuty* member = snapshot_.Visible(owner_, org);
    if (member == nullptr) return nullptr;
    const auto& objects = member->*field;
    const auto found = objects.find(local);
    return found == objects.end() ? nullptr : &found->second;
  }
  const Snapshot& snapshot_;
  std::string owner_;
};

// Parses a config body's forms (no references checked). `check_coverage`
// when it is being written (a stored one was checked then).
Result<MemberDuty> ParseConfig(const std::string& org, const Json& body, bool check_coverage) {
  MemberDuty out;
  out.org = org;
  for (const auto& [key, value] : body.items()) {
    static const std::set<std::string> kKnown = {"rotas", "pools", "policies", "routes", "share_with", "triggers"};
    if (!kKnown.count(key)) return Error::InvalidArgument(key + ": unknown field");
    if (key != "routes" && key != "share_with" && key != "triggers" && !value.is_object()) {
      return Error::InvalidArgument(key + ": expected an object of id → definition");
    }
  }
  for (const auto& [key, limit] : {std::pair<const char*, std::size_t>{"rotas", kMaxRotas},
                                   {"pools", kMaxPools},
                                   {"policies", kMaxPolicies},
                                   {"share_with", kMaxShareWith}}) {
    if (body.contains(key) && body[key].size() > limit) {
      return Error::InvalidArgument(std::string(key) + ": at most " + std::to_string(limit));
    }
  }
  duty::RotaCheck check;
  if (check_coverage) check.coverage_from = Timestamp::Now();
  const Json rotas_json = body.value("rotas", Json::object());
  for (const auto& [id, value] : rotas_json.items()) {
    if (!duty::IsValidId(id) || id.rfind("member:", 0) == 0) return Error::InvalidArgument("rotas." + id + ": bad id");
    auto rota = duty::RotaFromJson(value, check);
    if (!rota.ok()) return rota.error().WithContext("rotas." + id);
    out.rotas.emplace(id, std::move(rota).value());
  }
  const Json pools_json = body.value("pools", Json::object());
  for (const auto& [id, value] : pools_json.items()) {
    if (!duty::IsValidId(id) || id.rfind("member:", 0) == 0) return Error::InvalidArgument("pools." + id + ": bad id");
    auto pool = duty::ParsePool(value);
    if (!pool.ok()) return pool.error().WithContext("pools." + id);
    out.pools.emplace(id, std::move(pool).value());
  }
  const Json policies_json = body.value("policies", Json::object());
  for (const auto& [id, value] : policies_json.items()) {
    if (!duty::IsValidId(id) || id.rfind("member:", 0) == 0) {
      return Error::InvalidArgument("policies." + id + ": bad id");
    }
    auto policy = duty::ParsePolicy(value);
    if (!policy.ok()) return policy.error().WithContext("policies." + id);
    out.policies.emplace(id, std::move(policy).value());
  }
  if (body.contains("routes")) {
    auto routes = duty::RoutesFromJson(body["routes"], nullptr);  // the form; references in CheckReferences
    if (!routes.ok()) return routes.error().WithContext("routes");
    out.routes = std::move(routes).value();
  }
  if (body.contains("share_with")) {
    if (!body["share_with"].is_array()) return Error::InvalidArgument("share_with: expected an array of codes");
    for (const auto& code : body["share_with"]) {
      if (!code.is_string() || !IsValidOrgCode(code.get<std::string>())) {
        return Error::InvalidArgument("share_with: expected organisation codes");
      }
      out.share_with.insert(code.get<std::string>());
    }
  }
  if (body.contains("triggers")) {
    auto triggers = duty_triggers::SettingsFromJson(body["triggers"]);
    if (!triggers.ok()) return triggers.error();
    out.triggers = *triggers;
  }
  out.raw = body;
  return out;
}

// The references of `member` (rotas' participants, pools' rotas, policies,
// routes), resolved as `member.org` sees them in `snapshot`.
Status CheckReferences(const MemberDuty& member, const Snapshot& snapshot) {
  const View view(snapshot, member.org);
  for (const auto& [id, rota] : member.rotas) {
    for (std::size_t layer = 0; layer < rota.layers.size(); ++layer) {
      for (std::size_t index = 0; index < rota.layers[layer].participants.size(); ++index) {
        const std::string& participant = rota.layers[layer].participants[index];
        if (!view.HasContact(participant)) {
          return Error::InvalidArgument("rotas." + id + ".layers[" + std::to_string(layer) + "].participants[" +
                                        std::to_string(index) + "]: no contact " + duty::Quoted(participant) +
                                        " (a contact id of this member, or member:<org>/<id> shared with it)");
        }
      }
    }
    for (std::size_t index = 0; index < rota.overrides.size(); ++index) {
      if (!view.HasContact(rota.overrides[index].participant)) {
        return Error::InvalidArgument("rotas." + id + ".overrides[" + std::to_string(index) +
                                      "].participant: no contact " + duty::Quoted(rota.overrides[index].participant));
      }
    }
  }
  for (const auto& [id, pool] : member.pools) {
    if (auto checked = duty::PoolFromJson(member.raw["pools"][id], view); !checked.ok()) {
      return checked.error().WithContext("pools." + id);
    }
  }
  for (const auto& [id, policy] : member.policies) {
    if (auto status = duty::CheckPolicyRefs(policy, id, view); !status.ok()) {
      return status.error().WithContext("policies." + id);
    }
  }
  if (member.raw.contains("routes")) {
    auto routes = duty::RoutesFromJson(member.raw["routes"], &view);
    if (!routes.ok()) return routes.error().WithContext("routes");
  }
  return Ok();
}

duty::Severity DutySeverity(notices::Severity severity) {
  switch (severity) {
    case notices::Severity::kCritical:
      return duty::Severity::kCritical;
    case notices::Severity::kHigh:
      return duty::Severity::kHigh;
    case notices::Severity::kMedium:
      return duty::Severity::kMedium;
    default:
      return duty::Severity::kLow;
  }
}

class DutyService {
 public:
  explicit DutyService(ApiContext& context)
      : context_(context),
        vulns_(context.Shared<VulnService>(std::string(kVulnServiceName),
                                           [&context] { return std::make_shared<VulnService>(context.store()); })),
        inbox_(context.Shared<DutyInbox>(std::string(kDutyInboxName), [] { return std::make_shared<DutyInbox>(); })) {
    secret_ = EnvOr("DV_DUTY_ACK_SECRET", "");
    if (secret_.size() < duty::kMinAckSecretBytes) secret_ = RandomHex(32);
    public_url_ = EnvOr("DV_HUB_PUBLIC_URL", "http://127.0.0.1:8080");
    while (!public_url_.empty() && public_url_.back() == '/') public_url_.pop_back();
    coordinator_org_ = EnvOr("DV_DUTY_COORDINATOR_ORG", "CFCS");
    tick_ms_ = std::max(50, std::atoi(EnvOr("DV_DUTY_TICK_MS", "1000").c_str()));
    const std::string smtp = EnvOr("DV_SMTP_URL", "");
    if (!smtp.empty()) {
      notify::SmtpConfig config;
      config.url = smtp;
      config.from = EnvOr("DV_SMTP_FROM", "dannevirke@localhost.localdomain");
      config.ca_file = EnvOr("DV_SMTP_CA_FILE", "");
      config.insecure_skip_verify = EnvOr("DV_SMTP_INSECURE", "") == "1";
      auto sender = notify::EmailSender::Create(config);
      if (sender.ok()) email_ = std::make_unique<notify::EmailSender>(std::move(sender).value());
    }
    // The first look at known-exploited findings waits one period: the
    // vulnerability service loads the feeds on first use, and a hub seeded
    // just after it started (tests, a restore) should be seen whole.
    last_kev_check_ms_ = Timestamp::Now().unix_ms();
    // The SMS gateway: DV_SMS_URL_TEMPLATE ("https://sms.example/send?to={to}"),
    // DV_SMS_BODY_TEMPLATE and DV_SMS_CONTENT_TYPE (optional), DV_SMS_AUTHORIZATION
    // (sent as the Authorization header).
    const std::string sms_url = EnvOr("DV_SMS_URL_TEMPLATE", "");
    if (!sms_url.empty()) {
      notify::SmsGatewayConfig config;
      config.url_template = sms_url;
      config.body_template = EnvOr("DV_SMS_BODY_TEMPLATE", "");
      config.content_type = EnvOr("DV_SMS_CONTENT_TYPE", "");
      if (const std::string auth = EnvOr("DV_SMS_AUTHORIZATION", ""); !auth.empty()) {
        config.headers.push_back({"Authorization", auth});
      }
      config.policy = HttpPolicyFromEnvironment();
      auto sender = notify::SmsSender::Create(config);
      if (sender.ok()) sms_ = std::make_unique<notify::SmsSender>(std::move(sender).value());
    }
    thread_ = std::thread([this] { Run(); });
  }
  ~DutyService() {
    {
      std::lock_guard lock(wake_mutex_);
      stop_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
  }
  DutyService(const DutyService&) = delete;
  DutyService& operator=(const DutyService&) = delete;

  Store& store() { return context_.store(); }
  const std::string& secret() const { return secret_; }
  const std::string& public_url() const { return public_url_; }

  // Every member's stored config (forms only) and the contact ids of the
  // organisations in `contact_orgs`, read with an audited contacts read.
  Result<Snapshot> LoadSnapshot(const std::set<std::string>& contact_orgs, const std::string& purpose) {
    Snapshot snapshot;
    snapshot.coordinator_org = coordinator_org_;
    auto records = store().ListRecords({std::string(kConfigKind), std::nullopt, false});
    if (!records.ok()) return records.error();
    for (const auto& record : *records) {
      const Json body = Json::parse(record.body, nullptr, false);
      if (!body.is_object()) continue;
      auto member = ParseConfig(record.org_code, body, false);
      if (!member.ok()) continue;  // checked when written; a later library change must not stop the others
      member->version = record.version;
      snapshot.members.emplace(record.org_code, std::move(member).value());
    }
    for (const auto& org : contact_orgs) {
      auto contacts = contacts::ContactsOf(store(), org, {std::string(kSystemActor), purpose});
      if (!contacts.ok()) {
        if (contacts.error().kind() == ErrorKind::kNotFound) continue;
        return contacts.error();
      }
      auto& ids = snapshot.contact_ids[org];
      for (const auto& contact : contacts->contacts) ids.insert(contact.id);
    }
    return snapshot;
  }

  // Validates and stores a member's config.
  Result<Record> PutConfig(const std::string& org, const Json& body, std::optional<std::int64_t> expected,
                           const std::string& actor) {
    auto member = ParseConfig(org, body, true);
    if (!member.ok()) return member.error();
    // The contacts a config can name: its own and those of members sharing with it.
    std::set<std::string> orgs = {org};
    const auto collect = [&](std::string_view id) {
      const auto [owner, local] = Owned(org, id);
      orgs.insert(owner);
    };
    for (const auto& [id, rota] : member->rotas) {
      for (const auto& layer : rota.layers) {
        for (const auto& participant : layer.participants) collect(participant);
      }
      for (const auto& item : rota.overrides) collect(item.participant);
    }
    if (orgs.size() > 20) return Error::InvalidArgument("rotas: participants of at most 20 organisations");
    auto snapshot = LoadSnapshot(orgs, "duty config of " + org);
    if (!snapshot.ok()) return snapshot.error();
    snapshot->members[org] = *member;
    DV_TRY(CheckReferences(*member, *snapshot));
    RecordWrite write{std::string(kConfigKind), org, org, body.dump(), expected};
    return store().PutRecord(write, actor);
  }

  // Acknowledges notification `id` as `by`. kNotFound, kConflict when already.
  Result<Json> Acknowledge(const std::string& id, const std::string& by, std::optional<std::string> nonce) {
    std::lock_guard lock(engine_mutex_);
    auto record = store().GetRecord(kNotificationKind, id);
    if (!record.ok()) return Error::NotFound("no notification '" + id + "'");
    Json body = Json::parse(record->body);
    auto state = duty::NotificationFromJson(body["state"]);
    if (!state.ok()) return state.error();
    if (nonce) {
      Json used = body.value("used_nonces", Json::array());
      for (const auto& item : used) {
        if (item == *nonce) return Error::Conflict("this acknowledge link was already used");
      }
      used.push_back(*nonce);
      body["used_nonces"] = std::move(used);
    }
    auto acknowledged = duty::Acknowledge(*state, by, Timestamp::Now());
    if (!acknowledged.ok()) return acknowledged.error();
    body["state"] = duty::NotificationToJson(*acknowledged);
    auto stored = store().PutRecord({record->kind, record->id, record->org_code, body.dump(), record->version},
                                    std::string(kSystemActor));
    if (!stored.ok()) return stored.error();
    DV_TRY(store().Audit(by, kAckAction, id, record->org_code));
    return body;
  }

  void Wake() { wake_.notify_all(); }

 private:
  void Run() {
    std::unique_lock lock(wake_mutex_);
    while (!stop_) {
      lock.unlock();
      Tick(Timestamp::Now());
      lock.lock();
      wake_.wait_for(lock, std::chrono::milliseconds(tick_ms_), [this] { return stop_; });
    }
  }

  // One round: new events, then every active notification.
  // The engine's lock is held while events are raised and states advance,
  // never while a message is on its way: a slow or silent mail server must
  // not hold up an acknowledgement (it does hold up the next round). A step's new state is stored before its
  // messages go out, their results after (at most once: a hub stopped in
  // between has advanced the step without sending it).
  void Tick(Timestamp now) {
    std::vector<DeliveryJob> jobs;
    {
      std::lock_guard lock(engine_mutex_);
      CollectInbox(now);
      (void)CollectOutsideReports(now);
      (void)CollectPostureRegressions(now);
      (void)CollectSightings(now);
      if (now.unix_ms() - last_kev_check_ms_ >= kKevCheckMs) {
        last_kev_check_ms_ = now.unix_ms();
        (void)CollectKnownExploited(now);
        (void)CollectNis2Deadlines(now);
      }
      auto advanced = AdvanceAll(now);
      if (advanced.ok()) jobs = std::move(advanced).value();
    }
    // Up to kDeliveryWorkers notifications are sent at once (each send is
    // its own connection; the senders keep no state between sends), so a
    // burst does not queue behind one connection at a time.
    std::atomic<std::size_t> next{0};
    const auto work = [this, &jobs, &next] {
      for (std::size_t index = next++; index < jobs.size(); index = next++) {
        const DeliveryJob& job = jobs[index];
        std::vector<Json> deliveries;
        for (const auto& target : job.targets) {
          for (auto& delivery : Deliver(job.record, job.body, target, Timestamp::Now())) {
            deliveries.push_back(std::move(delivery));
          }
        }
        std::lock_guard lock(engine_mutex_);
        (void)RecordDeliveries(job.record.id, deliveries);
      }
    };
    std::vector<std::thread> workers;
    for (std::size_t count = 1; count < std::min(jobs.size(), kDeliveryWorkers); ++count) workers.emplace_back(work);
    work();
    for (auto& worker : workers) worker.join();
  }

  // One advanced notification's messages, sent outside the engine's lock.
  struct DeliveryJob {
    Record record;
    Json body;
    std::vector<duty::Notified> targets;
  };

  // Appends delivery results to notification `id` (under the engine's lock).
  Status RecordDeliveries(const std::string& id, std::vector<Json>& deliveries) {
    auto record = store().GetRecord(kNotificationKind, id);
    if (!record.ok()) return record.error();
    Json body = Json::parse(record->body, nullptr, false);
    if (!body.is_object()) return Error::Internal("notification '" + id + "' is not JSON");
    for (auto& delivery : deliveries) body["deliveries"].push_back(std::move(delivery));
    auto stored = store().PutRecord({record->kind, record->id, record->org_code, body.dump(), record->version},
                                    std::string(kSystemActor));
    return stored.ok() ? Ok() : Status(stored.error());
  }

  // High and critical notices not yet seen become outside_report events.
  // What was seen is kept in a record of the coordinator's organisation
  // (when it exists), so a restart does not raise them again.
  Status CollectOutsideReports(Timestamp now) {
    std::optional<std::int64_t> cursor_version;
    if (!seen_loaded_) {
      auto cursor = store().GetRecord(kCursorKind, "notices");
      if (cursor.ok()) {
        const Json body = Json::parse(cursor->body, nullptr, false);
        for (const auto& id : body.value("seen", Json::array())) seen_notices_.insert(id.get<std::string>());
      }
      seen_loaded_ = true;
    }
    auto records = store().ListRecords({std::string(notices::kNoticeKind), std::nullopt, false});
    if (!records.ok()) return records.error();
    bool changed = false;
    for (const auto& record : *records) {
      if (!seen_notices_.insert(record.id).second) continue;
      changed = true;
      const Json body = Json::parse(record.body, nullptr, false);
      if (!body.is_object()) continue;
      const auto severity = notices::ParseSeverity(body.value("severity", "medium"));
      if (!severity || *severity < notices::Severity::kHigh) continue;
      const std::string type = body.value("report_type", "");
      const std::string rows = std::to_string(body.value("row_count", 0));
      Event event;
      event.org = record.org_code;
      event.kind = duty::EventKind::kOutsideReport;
      event.severity = DutySeverity(*severity);
      event.group_key = record.org_code + "|outside_report|" + type;
      event.subject = {"Henvendelse udefra: " + type + " (" + rows + " rækker)",
                       "Outside report: " + type + " (" + rows + " rows)"};
      event.text = {"Kilde: " + body.value("source", "") + ". Se " + public_url_ + "/#/notices",
                    "Source: " + body.value("source", "") + ". See " + public_url_ + "/#/notices"};
      event.reference = record.id;
      (void)Raise(event, now);
    }
    if (!changed || !store().GetOrganisation(coordinator_org_).ok()) return Ok();
    Json list = Json::array();
    for (const auto& id : seen_notices_) list.push_back(id);
    auto current = store().GetRecord(kCursorKind, "notices");
    cursor_version = current.ok() ? current->version : 0;
    auto stored = store().PutRecord(
        {std::string(kCursorKind), "notices", coordinator_org_, Json{{"seen", std::move(list)}}.dump(), cursor_version},
        std::string(kSystemActor));
    return stored.ok() ? Ok() : Status(stored.error());
  }

  // Checks of a member's proven domain that fell from pass or warn to fail
  // (posture module): one posture_regression event each, high for SPF and
  // DMARC (the domain can be spoofed again), medium otherwise. What was
  // raised is kept in the "posture" cursor.
  Status CollectPostureRegressions(Timestamp now) {
    if (!posture_loaded_) {
      for (const auto& id : LoadCursor("posture").value("seen", Json::array())) {
        if (id.is_string()) seen_regressions_.insert(id.get<std::string>());
      }
      posture_loaded_ = true;
    }
    auto records = store().ListRecords({std::string(posture::kRegressionKind), std::nullopt, false});
    if (!records.ok()) return records.error();
    bool changed = false;
    for (const auto& record : *records) {
      if (!seen_regressions_.insert(record.id).second) continue;
      changed = true;
      const Json body = Json::parse(record.body, nullptr, false);
      if (!body.is_object()) continue;
      const std::string check = body.value("check", "");
      const std::string domain = body.value("domain", "");
      const std::string reason = body.value("reason", "");
      Event event;
      event.org = record.org_code;
      event.kind = duty::EventKind::kPostureRegression;
      event.severity = check == "spf" || check == "dmarc" ? duty::Severity::kHigh : duty::Severity::kMedium;
      event.group_key = record.org_code + "|posture|" + domain + "|" + check;
      event.subject = {"Forværret: " + check + " på " + domain, "Regression: " + check + " on " + domain};
      event.text = {
          "Målt udefra " + body.value("measured_at", "") + ": " + reason + ". Se " + public_url_ + "/#/baseline",
          "Measured from outside " + body.value("measured_at", "") + ": " + reason + ". See " + public_url_ +
              "/#/baseline"};
      event.reference = record.id;
      (void)Raise(event, now);
    }
    if (!changed) return Ok();
    Json list = Json::array();
    for (const auto& id : seen_regressions_) list.push_back(id);
    return SaveCursor("posture", Json{{"seen", std::move(list)}});
  }

  // A member's trigger thresholds (its stored config's, or the defaults).
  duty_triggers::Settings SettingsOf(const std::string& org) {
    auto config = store().GetRecord(kConfigKind, org);
    if (!config.ok()) return {};
    const Json body = Json::parse(config->body, nullptr, false);
    if (!body.is_object() || !body.contains("triggers")) return {};
    auto settings = duty_triggers::SettingsFromJson(body["triggers"]);
    return settings.ok() ? *settings : duty_triggers::Settings{};
  }

  // A cursor of the engine, kept in a record of the coordinator's
  // organisation (when it exists) so that a restart raises nothing twice.
  Json LoadCursor(const std::string& name) {
    auto cursor = store().GetRecord(kCursorKind, name);
    if (!cursor.ok()) return Json::object();
    Json body = Json::parse(cursor->body, nullptr, false);
    return body.is_object() ? body : Json::object();
  }
  Status SaveCursor(const std::string& name, Json body) {
    if (!store().GetOrganisation(coordinator_org_).ok()) return Ok();
    auto current = store().GetRecord(kCursorKind, name);
    auto stored = store().PutRecord({std::string(kCursorKind), name, coordinator_org_, body.dump(),
                                     current.ok() ? current->version : std::int64_t{0}},
                                    std::string(kSystemActor));
    return stored.ok() ? Ok() : Status(stored.error());
  }

  // Sightings by a member of indicators it trusts enough (triggers.h).
  Status CollectSightings(Timestamp now) {
    if (!sighting_cursors_loaded_) {
      const Json collections = LoadCursor("sightings").value("collections", Json::object());
      for (const auto& [collection, after] : collections.items()) {
        if (after.is_number_integer()) sighting_cursors_[collection] = after.get<std::int64_t>();
      }
      sighting_cursors_loaded_ = true;
    }
    const auto before = sighting_cursors_;
    std::map<std::string, duty_triggers::Settings> settings;
    auto events = duty_triggers::CollectSightings(
        store(), sighting_cursors_, now,
        [this, &settings](const std::string& org) {
          auto found = settings.find(org);
          if (found == settings.end()) found = settings.emplace(org, SettingsOf(org)).first;
          return found->second;
        },
        public_url_);
    if (!events.ok()) return events.error();
    for (const auto& event : *events) (void)Raise(event, now);
    if (sighting_cursors_ == before) return Ok();
    return SaveCursor("sightings", Json{{"collections", sighting_cursors_}});
  }

  // Incidents whose NIS2 report is due within the member's warning hours, or overdue.
  Status CollectNis2Deadlines(Timestamp now) {
    if (!nis2_loaded_) {
      const Json raised = LoadCursor("nis2").value("raised", Json::array());
      for (const auto& key : raised) {
        if (key.is_string()) nis2_raised_.insert(key.get<std::string>());
      }
      nis2_loaded_ = true;
    }
    const std::size_t before = nis2_raised_.size();
    auto events = duty_triggers::CollectNis2Deadlines(
        store(), nis2_raised_, now, [this](const std::string& org) { return SettingsOf(org); }, public_url_);
    if (!events.ok()) return events.error();
    for (const auto& event : *events) (void)Raise(event, now);
    if (nis2_raised_.size() == before) return Ok();
    return SaveCursor("nis2", Json{{"raised", nis2_raised_}});
  }

  // Every open finding of a known-exploited vulnerability: the first time it
  // is seen, its detection is recorded on the member's KEV clock and it
  // becomes a kev_exposure event (critical when used by ransomware); once
  // past its KEV due date and still open, a kev_overdue event.
  Status CollectKnownExploited(Timestamp now) {
    auto findings = vulns_->Findings("", "");
    if (!findings.ok()) return findings.error();
    std::map<std::string, std::vector<const vuln::Finding*>> by_member;
    for (const auto& finding : *findings) {
      if (finding.kev && finding.status == vuln::FindingStatus::kOpen) by_member[finding.member].push_back(&finding);
    }
    for (const auto& [member, open] : by_member) {
      auto record = store().GetRecord(kKevClockKind, member);
      Json body = record.ok() ? Json::parse(record->body, nullptr, false) : Json{{"findings", Json::object()}};
      if (!body.is_object()) body = {{"findings", Json::object()}};
      bool changed = false;
      for (const vuln::Finding* finding : open) {
        const std::string key = finding->cve + "|" + finding->asset_id;
        Json& entry = body["findings"][key];
        if (!entry.contains("detected")) {
          entry = {{"cve", finding->cve}, {"asset_id", finding->asset_id}, {"detected", now.ToRfc3339()}};
          changed = true;
          Event event;
          event.org = member;
          event.kind = duty::EventKind::kKevExposure;
          event.severity = finding->ransomware ? duty::Severity::kCritical : duty::Severity::kHigh;
          event.group_key = member + "|kev_exposure|" + finding->cve;
          event.subject = {"Kendt udnyttet sårbarhed: " + finding->cve + " på " + finding->asset_name,
                           "Known exploited vulnerability: " + finding->cve + " on " + finding->asset_name};
          event.text = {finding->Why() + ". Se " + public_url_ + "/#/vulnerabilities",
                        finding->Why() + ". See " + public_url_ + "/#/vulnerabilities"};
          event.reference = key;
          (void)Raise(event, now);
        }
        if (finding->due && *finding->due < now && !entry.value("overdue_raised", false)) {
          entry["overdue_raised"] = true;
          changed = true;
          Event event;
          event.org = member;
          event.kind = duty::EventKind::kKevOverdue;
          event.severity = duty::Severity::kHigh;
          event.group_key = member + "|kev_overdue|" + finding->cve;
          event.subject = {"Forfalden: " + finding->cve + " på " + finding->asset_name,
                           "Overdue: " + finding->cve + " on " + finding->asset_name};
          event.text = {"Fristen var " + finding->due->ToRfc3339().substr(0, 10) + " (" + finding->due_basis + ").",
                        "It was due " + finding->due->ToRfc3339().substr(0, 10) + " (" + finding->due_basis + ")."};
          event.reference = key;
          (void)Raise(event, now);
        }
      }
      if (!changed) continue;
      (void)store().PutRecord({std::string(kKevClockKind), member, member, body.dump(),
                               record.ok() ? std::optional<std::int64_t>(record->version) : std::int64_t{0}},
                              std::string(kSystemActor));
    }
    return Ok();
  }

 public:
  // The KEV-to-fix clock's entries of one member (or every member: empty).
  Result<std::vector<vuln::KevClockEntry>> KevClock(const std::string& member) {
    return duty_records::LoadKevClock(store(), *vulns_, member);
  }

 private:
  using Event = duty_triggers::Event;

  // What other modules posted to the duty inbox (hub/duty_inbox.h): today
  // the injects of running exercises.
  void CollectInbox(Timestamp now) {
    for (auto& request : inbox_->Take()) {
      Event event;
      event.org = std::move(request.org);
      event.kind = duty::EventKind::kExercise;
      event.severity = duty::ParseSeverity(request.severity).value_or(duty::Severity::kHigh);
      event.group_key = "exercise/" + request.reference;
      event.subject = {std::move(request.subject_da), std::move(request.subject_en)};
      event.text = {std::move(request.text_da), std::move(request.text_en)};
      event.reference = std::move(request.reference);
      event.exercise = std::move(request.exercise);
      (void)Raise(event, now);
    }
  }

  // Routes an event to a notification, or counts it in an open storm window.
  Status Raise(const Event& event, Timestamp now) {
    const auto decision = storm_.Offer(event.group_key, now);
    if (!decision.pass) {
      const auto open = open_by_group_.find(event.group_key);
      if (open != open_by_group_.end()) {
        auto record = store().GetRecord(kNotificationKind, open->second);
        if (record.ok()) {
          Json body = Json::parse(record->body);
          body["more"] = body.value("more", 0) + 1;
          (void)store().PutRecord({record->kind, record->id, record->org_code, body.dump(), record->version},
                                  std::string(kSystemActor));
        }
      }
      return Ok();
    }
    auto config = store().GetRecord(kConfigKind, event.org);
    std::string policy_id;
    if (config.ok()) {
      auto member = ParseConfig(event.org, Json::parse(config->body), false);
      if (member.ok()) {
        if (auto routed = duty::RouteEvent(member->routes, event.kind, event.severity)) policy_id = *routed;
      }
    }
    const std::string id = "dn-" + RandomHex(16);
    Json body = {{"id", id},
                 {"organisation", event.org},
                 {"event",
                  {{"kind", duty::EventKindName(event.kind)},
                   {"severity", duty::SeverityName(event.severity)},
                   {"group_key", event.group_key},
                   {"reference", event.reference},
                   {"subject", {{"da", event.subject.da}, {"en", event.subject.en}}},
                   {"text", {{"da", event.text.da}, {"en", event.text.en}}}}},
                 {"created", now.ToRfc3339()},
                 {"more", 0},
                 {"deliveries", Json::array()}};
    if (!event.exercise.empty()) body["exercise"] = event.exercise;
    if (policy_id.empty()) {
      body["routed"] = false;  // the member has no route for it: shown, nobody woken
    } else {
      body["routed"] = true;
      body["state"] = duty::NotificationToJson(duty::StartNotification(id, policy_id, now));
    }
    auto stored =
        store().PutRecord({std::string(kNotificationKind), id, event.org, body.dump(), 0}, std::string(kSystemActor));
    if (!stored.ok()) return stored.error();
    open_by_group_[event.group_key] = id;
    return Ok();
  }

  // Advances every active notification and delivers what is due.
  Result<std::vector<DeliveryJob>> AdvanceAll(Timestamp now) {
    std::vector<DeliveryJob> jobs;
    auto records = store().ListRecords({std::string(kNotificationKind), std::nullopt, false});
    if (!records.ok()) return records.error();
    std::optional<Snapshot> snapshot;
    for (const auto& record : *records) {
      Json body = Json::parse(record.body, nullptr, false);
      if (!body.is_object() || !body.contains("state")) continue;
      auto state = duty::NotificationFromJson(body["state"]);
      if (!state.ok() || state->phase != duty::Phase::kActive || state->due_at > now) continue;
      if (!snapshot) {
        auto loaded = LoadSnapshot({}, "");
        if (!loaded.ok()) return loaded.error();
        snapshot = std::move(loaded).value();
      }
      // The contact ids this notification's policy may name: its member's,
      // and those of members it refers to (an audited read each).
      std::set<std::string> orgs = {record.org_code};
      if (const auto* member = snapshot->Visible(record.org_code, record.org_code)) {
        for (const auto& [policy_id, policy] : member->policies) {
          for (const auto& step : policy.steps) {
            for (const auto& target : step.targets) orgs.insert(Owned(record.org_code, target.ref).first);
          }
        }
        for (const auto& [rota_id, rota] : member->rotas) {
          for (const auto& layer : rota.layers) {
            for (const auto& participant : layer.participants) orgs.insert(Owned(record.org_code, participant).first);
          }
        }
      }
      for (const auto& org : orgs) {
        if (snapshot->contact_ids.count(org) || !IsValidOrgCode(org)) continue;
        auto contacts = contacts::ContactsOf(store(), org, {std::string(kSystemActor), "notification " + record.id});
        if (!contacts.ok()) continue;
        auto& ids = snapshot->contact_ids[org];
        for (const auto& contact : contacts->contacts) ids.insert(contact.id);
      }
      const View view(*snapshot, record.org_code);
      const duty::Policy* policy = view.FindPolicy(state->policy);
      if (policy == nullptr) continue;
      const auto advanced = duty::Advance(*state, *policy, view, now);
      body["state"] = duty::NotificationToJson(advanced.state);
      auto stored = store().PutRecord({record.kind, record.id, record.org_code, body.dump(), record.version},
                                      std::string(kSystemActor));
      if (!stored.ok() || advanced.notify.empty()) continue;
      jobs.push_back({*stored, body, advanced.notify});
    }
    return jobs;
  }

  // Sends one step's message to one participant on each channel the contact
  // has (e-mail, webhook, SMS); one delivery record per channel tried.
  std::vector<Json> Deliver(const Record& record, const Json& body, const duty::Notified& target, Timestamp now) {
    const Json base = {{"participant", target.participant},
                       {"step", target.step},
                       {"run", target.run},
                       {"via", target.via},
                       {"at", now.ToRfc3339()}};
    const auto failed = [&](std::string channel, std::string error) {
      Json delivery = base;
      delivery["channel"] = std::move(channel);
      delivery["ok"] = false;
      delivery["error"] = std::move(error);
      return std::vector<Json>{delivery};
    };
    // Not a structured binding: clang 14 does not let lambdas capture those.
    const auto owned = Owned(record.org_code, target.participant);
    const std::string& org = owned.first;
    const std::string& local = owned.second;
    auto contacts = contacts::ContactsOf(store(), org, {std::string(kSystemActor), "notification " + record.id});
    if (!contacts.ok()) return failed("none", "contacts could not be read");
    const auto contact = std::find_if(contacts->contacts.begin(), contacts->contacts.end(),
                                      [&](const contacts::Contact& item) { return item.id == local; });
    if (contact == contacts->contacts.end()) return failed("none", "no such contact any more");
    const Json& event = body["event"];
    // A contact named directly in a step is reached within its hours (the
    // step counts as tried and the escalation goes on); whoever is on duty in
    // a rota or pool is reached at any hour, and so is everyone for a
    // critical event.
    if (target.via.rfind("contact:", 0) == 0 && event.value("severity", "") != "critical") {
      auto available = contacts::AvailableAt(contact->hours, now);
      if (available.ok() && !*available) return failed("none", "outside the contact's hours");
    }
    // Each channel's message has its own single-use link.
    const auto message_for = [&]() {
      notify::Notification message;
      message.id = record.id;
      message.language = contact->language == contacts::Language::kEn ? notify::Language::kEn : notify::Language::kDa;
      message.subject = {event["subject"].value("da", ""), event["subject"].value("en", "")};
      message.text = {event["text"].value("da", ""), event["text"].value("en", "")};
      message.more = body.value("more", 0);
      const std::string severity = event.value("severity", "high");
      message.severity = severity == "critical" ? notify::Severity::kCritical
                         : severity == "medium" ? notify::Severity::kMedium
                         : severity == "low"    ? notify::Severity::kLow
                                                : notify::Severity::kHigh;
      auto token = duty::IssueAckToken(secret_, record.id, target.participant, Timestamp(now.unix_ms() + kAckValidMs),
                                       RandomHex(16));
      if (token.ok()) message.ack_url = public_url_ + "/api/v1/duty/ack/dva_" + *token;
      return message;
    };
    std::vector<Json> out;
    const auto result = [&](std::string channel, const Status& status) {
      Json delivery = base;
      delivery["channel"] = std::move(channel);
      delivery["ok"] = status.ok();
      if (!status.ok()) delivery["error"] = status.error().message();
      out.push_back(std::move(delivery));
    };
    if (!contact->channels.email.empty()) {
      if (!email_) {
        result("email", Error::Unsupported("no SMTP server configured (DV_SMTP_URL)"));
      } else {
        auto sent = email_->Send(contact->channels.email, message_for());
        result("email", sent.ok() ? Ok() : Status(sent.error()));
      }
    }
    if (!contact->channels.webhook.empty()) {
      auto secret = store().GetRecord(kWebhookSecretKind, org);
      if (!secret.ok()) {
        result("webhook", Error::Unsupported("no webhook secret made for " + org +
                                             " (POST /api/v1/duty/members/{code}/webhook-secret)"));
      } else {
        const Json stored = Json::parse(secret->body, nullptr, false);
        const notify::WebhookEndpoint endpoint{contact->channels.webhook, stored.value("secret", "")};
        auto sent = webhooks_.Send(endpoint, message_for());
        result("webhook", sent.ok() ? Ok() : Status(sent.error()));
      }
    }
    if (!contact->channels.phone.empty()) {
      if (!sms_) {
        result("sms", Error::Unsupported("no SMS gateway configured (DV_SMS_URL_TEMPLATE)"));
      } else {
        auto sent = sms_->Send(contact->channels.phone, message_for());
        result("sms", sent.ok() ? Ok() : Status(sent.error()));
      }
    }
    if (out.empty()) return failed("none", "the contact has no channel");
    return out;
  }

  ApiContext& context_;
  std::string secret_;
  std::string public_url_;
  std::string coordinator_org_;
  int tick_ms_ = 1000;
  std::unique_ptr<notify::EmailSender> email_;
  notify::WebhookSender webhooks_{HttpPolicyFromEnvironment()};
  std::unique_ptr<notify::SmsSender> sms_;
  std::mutex engine_mutex_;  // one round or one acknowledgement at a time
  std::set<std::string> seen_regressions_;
  bool posture_loaded_ = false;
  duty::StormGate storm_{kStormWindowMs, 10'000};
  std::map<std::string, std::string> open_by_group_;  // group key -> newest notification id
  std::set<std::string> seen_notices_;
  bool seen_loaded_ = false;
  std::map<std::string, std::int64_t> sighting_cursors_;  // collection -> last date_added read (µs)
  bool sighting_cursors_loaded_ = false;
  std::set<std::string> nis2_raised_;  // "<incident>/<stage>/risk|overdue" already raised
  bool nis2_loaded_ = false;
  std::shared_ptr<VulnService> vulns_;  // the hub's one, shared with the vulnerabilities module
  std::shared_ptr<DutyInbox> inbox_;    // what other modules hand to the duty chain
  std::int64_t last_kev_check_ms_ = 0;
  std::mutex wake_mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::thread thread_;
};

class DutyApi {
 public:
  DutyApi(ApiContext& context, std::shared_ptr<DutyService> service)
      : context_(context), service_(std::move(service)) {}

  void Register(Router& server) {
    const std::string member = R"(/api/v1/duty/members/([A-Za-z0-9_.-]{1,64}))";
    server.Get(member + "/config", context_.Route(this, &DutyApi::GetConfig));
    server.Put(member + "/config", context_.Route(this, &DutyApi::PutConfig));
    server.Get(member + "/on-duty", context_.Route(this, &DutyApi::OnDuty));
    server.Get(member + R"(/rotas/([a-z0-9-]{1,64})/ical)", context_.Route(this, &DutyApi::Ical));
    server.Get(member + "/notifications", context_.Route(this, &DutyApi::ListNotifications));
    server.Post(R"(/api/v1/duty/notifications/(dn-[0-9a-f]{32})/ack)", context_.Route(this, &DutyApi::AckByApi));
    server.Get("/api/v1/duty/kev-clock", context_.Route(this, &DutyApi::GetKevClock));
    server.Post(member + "/webhook-secret", context_.Route(this, &DutyApi::NewWebhookSecret));
    server.Get(member + "/calendar-links", context_.Route(this, &DutyApi::ListCalendarLinks));
    server.Post(member + R"(/rotas/([a-z0-9-]{1,64})/calendar-link)", context_.Route(this, &DutyApi::NewCalendarLink));
    server.Delete(member + R"(/calendar-links/([0-9a-f]{16}))", context_.Route(this, &DutyApi::RevokeCalendarLink));
    // A calendar subscription (phones and calendar programs send no bearer
    // token): the link's token ("dvc_…", redacted in the logs) is the credential.
    server.Get(R"(/api/v1/duty/calendar/(dvc_[0-9a-f]{64}))",
               [this](const httplib::Request& req, httplib::Response& res) { SubscribedCalendar(req, res); });
    // The link in a message: no bearer token; the link's token (a path
    // segment "dva_…", redacted in the access and audit logs) is the credential.
    const std::string link = R"(/api/v1/duty/ack/(dva_[A-Za-z0-9_.-]{1,1024}))";
    server.Get(link, [this](const httplib::Request& req, httplib::Response& res) { AckPage(req, res); });
    server.Post(link, [this](const httplib::Request& req, httplib::Response& res) { AckByLink(req, res); });
  }

 private:
  Result<Organisation> PathOrganisation(const httplib::Request& req) {
    const std::string code = req.matches[1].str();
    auto organisation = context_.store().GetOrganisation(code);
    if (!organisation.ok() && organisation.error().kind() == ErrorKind::kNotFound) {
      return Error::NotFound("no organisation has the code '" + code + "'");
    }
    return organisation;
  }

  // The organisation of the path when the principal may read (or write) its duty.
  std::optional<Organisation> Allowed(const httplib::Request& req, httplib::Response& res, const Principal& principal,
                                      bool write) {
    auto organisation = PathOrganisation(req);
    if (!organisation.ok()) {
      SendError(res, organisation.error());
      return std::nullopt;
    }
    const bool allowed = write ? CanWriteOrgRecords(principal, organisation->code)
                               : CanReadOrgPeopleRecords(principal, organisation->code);
    if (!allowed) {
      context_.Forbid(principal, req, res, "the duty of " + organisation->code);
      return std::nullopt;
    }
    return std::move(organisation).value();
  }

  void GetConfig(const httplib::Request& req, httplib::Response& res, const Principal& principal) {
    if (auto status = CheckParams(req, {}); !status.ok()) return SendError(res, status.error());
    auto org = Allowed(req, res, principal, false);
    if (!org) return;
    auto record = context_.store().GetRecord(kConfigKind, org->code);
    Json out = {{"organisation", org->code}, {"version", 0}, {"config", Json::object()}};
    if (record.ok()) {
      out["version"] = record->version;
      out["config"] = Json::parse(record->body);
      out["updated"] = record->at.ToRfc3339();
    }
    SendJson(res, 200, out);
  }

  void PutConfig(const httplib::Request& req, httplib::Response& res, const Principal& principal) {
    if (auto status = CheckParams(req, {}); !status.ok()) return SendError(res, status.error());
    auto org = Allowed(req, res, principal, true);
    if (!org) return;
    if (req.body.size() > kMaxConfigBytes) return SendError(res, Error::InvalidArgument("a config is at most 1 MiB"));
    auto body = JsonBody(req);
    if (!body.ok()) return SendError(res, body.error());
    std::optional<std::int64_t> expected;
    if (body->contains("expected_version")) {
      if (!(*body)["expected_version"].is_number_integer()) {
        return SendError(res, Error::InvalidArgument("expected_version: must be an integer"));
      }
      expected = (*body)["expected_version"].get<std::int64_t>();
      body->erase("expected_version");
    }
    auto stored = service_->PutConfig(org->code, *body, expected, ApiContext::Actor(principal));
    if (!stored.ok()) return SendError(res, stored.error());
    SendJson(res, 200,
             {{"organisation", org->code},
              {"version", stored->version},
              {"config", Json::parse(stored->body)},
              {"updated", stored->at.ToRfc3339()}});
  }

  void OnDuty(const httplib::Request& req, httplib::Response& res, const Principal& principal) {
    if (auto status = CheckParams(req, {}); !status.ok()) return SendError(res, status.error());
    auto org = Allowed(req, res, principal, false);
    if (!org) return;
    auto record = context_.store().GetRecord(kConfigKind, org->code);
    Json rotas = Json::array();
    if (record.ok()) {
      auto member = ParseConfig(org->code, Json::parse(record->body), false);
      if (!member.ok()) return SendError(res, member.error());
      const Timestamp now = Timestamp::Now();
      for (const auto& [id, rota] : member->rotas) {
        const auto who = duty::OnDuty(rota, now);
        Json item = {{"rota", id}, {"name", rota.name}, {"on_duty", who ? Json(*who) : Json(nullptr)}};
        const auto shifts = duty::Shifts(rota, now, Timestamp(now.unix_ms() + 1));
        if (!shifts.empty()) item["until"] = shifts.front().end.ToRfc3339();
        rotas.push_back(std::move(item));
      }
    }
    SendJson(res, 200, {{"organisation", org->code}, {"rotas", std::move(rotas)}});
  }

  void Ical(const httplib::Request& req, httplib::Response& res, const Principal& principal) {
    if (auto status = CheckParams(req, {"from", "to"}); !status.ok()) return SendError(res, status.error());
    auto org = Allowed(req, res, principal, false);
    if (!org) return;
    const std::string id = req.matches[2].str();
    auto record = context_.store().GetRecord(kConfigKind, org->code);
    if (!record.ok()) return SendError(res, Error::NotFound("no rota '" + id + "' of " + org->code));
    auto member = ParseConfig(org->code, Json::parse(record->body), false);
    if (!member.ok()) return SendError(res, member.error());
    const auto rota = member->rotas.find(id);
    if (rota == member->rotas.end()) return SendError(res, Error::NotFound("no rota '" + id + "' of " + org->code));
    Timestamp from = Timestamp::Now();
    Timestamp to(from.unix_ms() + 28LL * 86'400'000);
    for (const auto* name : {"from", "to"}) {
      if (!req.has_param(name)) continue;
      auto parsed = Timestamp::Parse(req.get_param_value(name));
      if (!parsed.ok())
        return SendError(res, parsed.error().WithContext(std::string("query parameter '") + name + "'"));
      (std::string_view(name) == "from" ? from : to) = *parsed;
    }
    if (to <= from || to.unix_ms() - from.unix_ms() > kMaxIcalRangeMs) {
      return SendError(res, Error::InvalidArgument("'to' must be after 'from', at most 92 days later"));
    }
    duty::CalendarOptions options;
    options.name = org->name + " — " + (rota->second.name.empty() ? id : rota->second.name);
    options.calendar_id = org->code + "/" + id;
    options.stamp = Timestamp::Now();
    res.set_content(duty::ToICalendar(rota->second, from, to, options), "text/calendar; charset=utf-8");
    res.status = 200;
  }

  void ListNotifications(const httplib::Request& req, httplib::Response& res, const Principal& principal) {
    if (auto status = CheckParams(req, {}); !status.ok()) return SendError(res, status.error());
    auto org = Allowed(req, res, principal, false);
    if (!org) return;
    auto records = context_.store().ListRecords({std::string(kNotificationKind), org->code, false});
    if (!records.ok()) return SendError(res, records.error());
    std::vector<Json> list;
    for (const auto& record : *records) {
      Json body = Json::parse(record.body, nullptr, false);
      if (!body.is_object()) continue;
      body.erase("used_nonces");
      body["version"] = record.version;
      list.push_back(std::move(body));
    }
    std::sort(list.begin(), list.end(),
              [](const Json& a, const Json& b) { return a.value("created", "") > b.value("created", ""); });
    SendJson(res, 200, {{"organisation", org->code}, {"notifications", list}});
  }

  void AckByApi(const httplib::Request& req, httplib::Response& res, const Principal& principal) {
    if (auto status = CheckParams(req, {}); !status.ok()) return SendError(res, status.error());
    const std::string id = req.matches[1].str();
    auto record = context_.store().GetRecord(kNotificationKind, id);
    if (!record.ok()) return SendError(res, Error::NotFound("no notification '" + id + "'"));
    if (!IsCoordinator(principal) &&
        !(principal.member.role == MemberRole::kMember && principal.member.org_code == record->org_code)) {
      // Another member's notification answers as an unknown one; the refusal is audited.
      (void)context_.store().Audit(ApiContext::Actor(principal), kAckRefusedAction, id, "not the member's");
      return SendError(res, Error::NotFound("no notification '" + id + "'"));
    }
    auto acked = service_->Acknowledge(id, ApiContext::Actor(principal), std::nullopt);
    if (!acked.ok()) return SendError(res, acked.error());
    acked->erase("used_nonces");
    SendJson(res, 200, *acked);
  }

  // A new secret for signing the member's webhooks (docs/notify.md): shown
  // once, replacing the previous one; the member's people only.
  void NewWebhookSecret(const httplib::Request& req, httplib::Response& res, const Principal& principal) {
    if (auto status = CheckParams(req, {}); !status.ok()) return SendError(res, status.error());
    auto org = Allowed(req, res, principal, true);
    if (!org) return;
    const std::string secret = RandomHex(32);
    if (secret.empty()) return SendError(res, Error::Internal("no randomness for a secret"));
    auto current = context_.store().GetRecord(kWebhookSecretKind, org->code);
    const Timestamp now = Timestamp::Now();
    auto stored =
        context_.store().PutRecord({std::string(kWebhookSecretKind), org->code, org->code,
                                    Json{{"secret", secret}, {"created", now.ToRfc3339()}}.dump(),
                                    current.ok() ? std::optional<std::int64_t>(current->version) : std::int64_t{0}},
                                   ApiContext::Actor(principal));
    if (!stored.ok()) return SendError(res, stored.error());
    (void)context_.store().Audit(ApiContext::Actor(principal), kWebhookSecretAction, org->code, "");
    SendJson(res, 201, {{"organisation", org->code}, {"secret", secret}, {"created", now.ToRfc3339()}});
    res.set_header("Cache-Control", "no-store");
  }

  // ---- Calendar subscription links ----
  // A member's people make a link per rota for their phones' calendars; it
  // shows the rota's shifts (participants by contact id, never a name or an
  // address) to whoever holds it, until revoked. The hub keeps only the
  // SHA-256 of the token; the link is shown once. Making and revoking are
  // audited; an unknown link answers 404 and is audited aggregated per
  // client address and minute.

  static Json CalendarLinkJson(const Record& record) {
    const Json body = Json::parse(record.body, nullptr, false);
    return {{"id", record.id.substr(0, 16)},
            {"rota", body.is_object() ? body.value("rota", "") : ""},
            {"created", body.is_object() ? body.value("created", "") : ""},
            {"created_by", record.actor}};
  }

  Result<std::vector<Record>> CalendarLinksOf(const std::string& org) {
    return context_.store().ListRecords({std::string(kCalendarLinkKind), org, false});
  }

  void ListCalendarLinks(const httplib::Request& req, httplib::Response& res, const Principal& principal) {
    if (auto status = CheckParams(req, {}); !status.ok()) return SendError(res, status.error());
    auto org = Allowed(req, res, principal, false);
    if (!org) return;
    auto links = CalendarLinksOf(org->code);
    if (!links.ok()) return SendError(res, links.error());
    Json list = Json::array();
    for (const auto& record : *links) list.push_back(CalendarLinkJson(record));
    SendJson(res, 200, {{"organisation", org->code}, {"links", std::move(list)}});
  }

  void NewCalendarLink(const httplib::Request& req, httplib::Response& res, const Principal& principal) {
    if (auto status = CheckParams(req, {}); !status.ok()) return SendError(res, status.error());
    auto org = Allowed(req, res, principal, true);
    if (!org) return;
    const std::string rota = req.matches[2].str();
    auto config = context_.store().GetRecord(kConfigKind, org->code);
    if (!config.ok()) return SendError(res, Error::NotFound("no rota '" + rota + "' of " + org->code));
    auto member = ParseConfig(org->code, Json::parse(config->body), false);
    if (!member.ok()) return SendError(res, member.error());
    if (!member->rotas.count(rota)) return SendError(res, Error::NotFound("no rota '" + rota + "' of " + org->code));
    auto links = CalendarLinksOf(org->code);
    if (!links.ok()) return SendError(res, links.error());
    if (links->size() >= kMaxCalendarLinks) {
      return SendError(res, Error::InvalidArgument("at most " + std::to_string(kMaxCalendarLinks) +
                                                   " calendar links per member: revoke one first"));
    }
    const std::string secret = RandomHex(32);
    if (secret.empty()) return SendError(res, Error::Internal("no randomness for a link"));
    const std::string token = "dvc_" + secret;
    const Timestamp now = Timestamp::Now();
    auto stored =
        context_.store().PutRecord({std::string(kCalendarLinkKind), HashToken(token), org->code,
                                    Json{{"rota", rota}, {"created", now.ToRfc3339()}}.dump(), std::int64_t{0}},
                                   ApiContext::Actor(principal));
    if (!stored.ok()) return SendError(res, stored.error());
    (void)context_.store().Audit(ApiContext::Actor(principal), kCalendarLinkAction, org->code, "rota " + rota);
    Json answer = CalendarLinkJson(*stored);
    answer["organisation"] = org->code;
    answer["url"] = service_->public_url() + "/api/v1/duty/calendar/" + token;
    SendJson(res, 201, answer);
    res.set_header("Cache-Control", "no-store");
  }

  void RevokeCalendarLink(const httplib::Request& req, httplib::Response& res, const Principal& principal) {
    if (auto status = CheckParams(req, {}); !status.ok()) return SendError(res, status.error());
    auto org = Allowed(req, res, principal, true);
    if (!org) return;
    const std::string id = req.matches[2].str();
    auto links = CalendarLinksOf(org->code);
    if (!links.ok()) return SendError(res, links.error());
    for (const auto& record : *links) {
      if (record.id.rfind(id, 0) != 0) continue;
      auto deleted = context_.store().DeleteRecord(kCalendarLinkKind, record.id, ApiContext::Actor(principal));
      if (!deleted.ok()) return SendError(res, deleted.error());
      (void)context_.store().Audit(ApiContext::Actor(principal), kCalendarUnlinkAction, org->code, "link " + id);
      res.status = 204;
      return;
    }
    SendError(res, Error::NotFound("no calendar link '" + id + "' of " + org->code));
  }

  void SubscribedCalendar(const httplib::Request& req, httplib::Response& res) {
    const std::string token = req.matches[1].str();
    auto link = context_.store().GetRecord(kCalendarLinkKind, HashToken(token));
    const auto refuse = [&](const std::string& why) {
      context_.AuditUnauthenticated(req, "calendar link refused: " + why);
      SendError(res, Error::NotFound("no such calendar"));
    };
    if (!link.ok()) return refuse("unknown or revoked");
    const Json body = Json::parse(link->body, nullptr, false);
    const std::string rota_id = body.is_object() ? body.value("rota", "") : "";
    auto config = context_.store().GetRecord(kConfigKind, link->org_code);
    if (!config.ok()) return refuse("the member has no duty config");
    auto member = ParseConfig(link->org_code, Json::parse(config->body), false);
    if (!member.ok()) return refuse("the member's config cannot be read");
    const auto rota = member->rotas.find(rota_id);
    if (rota == member->rotas.end()) return refuse("the rota is gone");
    auto org = context_.store().GetOrganisation(link->org_code);
    const Timestamp now = Timestamp::Now();
    duty::CalendarOptions options;
    options.name =
        (org.ok() ? org->name : link->org_code) + " — " + (rota->second.name.empty() ? rota_id : rota->second.name);
    options.calendar_id = link->org_code + "/" + rota_id;
    options.stamp = now;
    res.set_content(duty::ToICalendar(rota->second, Timestamp(now.unix_ms() - kCalendarBackMs),
                                      Timestamp(now.unix_ms() + kCalendarAheadMs), options),
                    "text/calendar; charset=utf-8");
    res.set_header("Cache-Control", "private, max-age=900");
    res.status = 200;
  }

  static Json FiguresJson(const vuln::KevClockFigures& figures) {
    const auto optional = [](const std::optional<double>& value) { return value ? Json(*value) : Json(nullptr); };
    return {{"findings", figures.findings},
            {"fixed", figures.fixed},
            {"not_applicable", figures.not_applicable},
            {"open", figures.open},
            {"open_overdue", figures.open_overdue},
            {"median_days_to_fix", optional(figures.median_days_to_fix)},
            {"p90_days_to_fix", optional(figures.p90_days_to_fix)},
            {"acknowledged", figures.acknowledged},
            {"median_minutes_to_acknowledge", optional(figures.median_minutes_to_acknowledge)},
            {"p90_minutes_to_acknowledge", optional(figures.p90_minutes_to_acknowledge)}};
  }

  // The KEV-to-fix clock: a coordinator sees every member's figures and the
  // national ones; a member its own, and the national figures only when at
  // least kMinMembersForNational members have KEV findings.
  void GetKevClock(const httplib::Request& req, httplib::Response& res, const Principal& principal) {
    if (auto status = CheckParams(req, {}); !status.ok()) return SendError(res, status.error());
    const bool coordinator = IsCoordinator(principal);
    if (!coordinator && principal.member.role != MemberRole::kMember) {
      return context_.Forbid(principal, req, res, "the KEV-to-fix clock");
    }
    auto entries = service_->KevClock("");
    if (!entries.ok()) return SendError(res, entries.error());
    const Timestamp now = Timestamp::Now();
    std::map<std::string, std::vector<vuln::KevClockEntry>> by_member;
    for (const auto& entry : *entries) by_member[entry.member].push_back(entry);
    Json out = {{"measured", now.ToRfc3339()}, {"members_with_findings", by_member.size()}};
    if (coordinator || by_member.size() >= kMinMembersForNational) {
      out["national"] = FiguresJson(vuln::Figures(*entries, now));
    }
    Json members = Json::object();
    for (const auto& [code, list] : by_member) {
      if (!coordinator && code != principal.member.org_code) continue;
      Json item = FiguresJson(vuln::Figures(list, now));
      Json findings = Json::array();
      for (const auto& entry : list) {
        const auto time = [](const std::optional<Timestamp>& at) { return at ? Json(at->ToRfc3339()) : Json(nullptr); };
        findings.push_back({{"cve", entry.cve},
                            {"asset_id", entry.asset_id},
                            {"published", time(entry.published)},
                            {"kev_added", time(entry.kev_added)},
                            {"due", time(entry.due)},
                            {"detected", time(entry.detected)},
                            {"notified", time(entry.notified)},
                            {"acknowledged", time(entry.acknowledged)},
                            {"decision", entry.decision.empty() ? Json(nullptr) : Json(entry.decision)},
                            {"decided", time(entry.decided)}});
      }
      item["findings_detail"] = std::move(findings);
      members[code] = std::move(item);
    }
    out["members"] = std::move(members);
    SendJson(res, 200, out);
  }

  static void SendPage(httplib::Response& res, int status, const std::string& title, const std::string& body) {
    res.status = status;
    res.set_header("Cache-Control", "no-store");
    res.set_header("Referrer-Policy", "no-referrer");
    res.set_content(
        "<!doctype html><html lang=\"da\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" "
        "content=\"width=device-width\"><title>" +
            XmlEscape(title) + "</title></head><body><main><h1>" + XmlEscape(title) + "</h1>" + body +
            "</main></body></html>",
        "text/html; charset=utf-8");
  }

  // GET of a link: shows what would be acknowledged, changes nothing.
  void AckPage(const httplib::Request& req, httplib::Response& res) {
    const std::string token = req.matches[1].str().substr(4);  // after "dva_"
    auto claims = duty::VerifyAckToken(service_->secret(), token, Timestamp::Now());
    if (!claims.ok()) {
      return SendPage(res, 401, "Linket virker ikke / The link does not work",
                      "<p>Linket er ugyldigt eller udløbet. / The link is invalid or has expired.</p>");
    }
    SendPage(res, 200, "Kvittér for varsling / Acknowledge notification",
             "<p>Varsling " + XmlEscape(claims->notification_id) +
                 "</p><form method=\"post\"><button type=\"submit\">Kvittér / Acknowledge</button></form>");
  }

  // POST of a link's token: acknowledges once; forged, expired or replayed
  // tokens do nothing and are audited.
  void AckByLink(const httplib::Request& req, httplib::Response& res) {
    const std::string token = req.matches[1].str().substr(4);  // after "dva_"
    auto claims = duty::VerifyAckToken(service_->secret(), token, Timestamp::Now());
    if (!claims.ok()) {
      // Aggregated per client address and minute: a flood of forged links
      // cannot fill the audit log.
      context_.AuditUnauthenticated(req, "acknowledge link refused: " + claims.error().message());
      return SendPage(res, 401, "Linket virker ikke / The link does not work",
                      "<p>Linket er ugyldigt eller udløbet. / The link is invalid or has expired.</p>");
    }
    auto acked = service_->Acknowledge(claims->notification_id, "link:" + claims->participant, claims->nonce);
    if (!acked.ok()) {
      context_.AuditUnauthenticated(
          req, "acknowledge link for " + claims->notification_id + " refused: " + acked.error().message());
      return SendPage(res, 409, "Ikke kvitteret / Not acknowledged",
                      "<p>Varslingen er allerede kvitteret, eller linket er brugt. / The notification was already "
                      "acknowledged, or the link was used.</p>");
    }
    SendPage(res, 200, "Kvitteret / Acknowledged",
             "<p>Tak. Eskaleringen er stoppet. / Thank you. The escalation has stopped.</p>");
  }

  ApiContext& context_;
  std::shared_ptr<DutyService> service_;
};

void RegisterDutyApi(Router& server, ApiContext& context) {
  auto service = std::make_shared<DutyService>(context);
  auto module = std::make_shared<DutyApi>(context, service);
  module->Register(server);
  context.Keep(module);
  context.Keep(service);
}

constexpr std::array<std::string_view, 1> kDutyPathPrefixes = {"/api/v1/duty"};
constexpr std::array<std::string_view, 6> kDutyRecordKinds = {kConfigKind,   kNotificationKind,  kCursorKind,
                                                              kKevClockKind, kWebhookSecretKind, kCalendarLinkKind};
constexpr std::array<std::string_view, 5> kDutyAuditActions = {kAckAction, kAckRefusedAction, kWebhookSecretAction,
                                                               kCalendarLinkAction, kCalendarUnlinkAction};

}  // namespace

extern const Module kDutyModule;
constinit const Module kDutyModule{
    .name = "duty",
    .register_routes = &RegisterDutyApi,
    .openapi_fragment = "duty.openapi.json",
    .path_prefixes = kDutyPathPrefixes,
    .record_kinds = kDutyRecordKinds,
    .audit_actions = kDutyAuditActions,
    .dashboard_route = "#/duty",
};

}  // namespace dv::hub
