// SPDX-License-Identifier: Apache-2.0
// /api/v1/me and /api/v1/indicators…: the shared indicators as the caller may
// see them (hub/modules/indicators/indicator_board.h), false-positive reports and verdicts, and
// the list of indicators a member's sensors must not alert on.

#include <httplib.h>

#include <array>
#include <cmath>
#include <map>

#include "core/text.h"
#include "core/uuid.h"
#include "hub/api.h"
#include "hub/module.h"
#include "hub/modules/indicators/indicator_board.h"
#include "hub/refusal_audit.h"
#include "hub/router.h"
#include "hub/stix_intake.h"

namespace dv::hub {

namespace {

constexpr std::size_t kMaxReason = 2000;

Json Time(const std::optional<Timestamp>& at) { return at ? Json(at->ToRfc3339()) : Json(); }

double Round1(double value) { return std::round(value * 10.0) / 10.0; }

// Who posted a sighting, or null for a counts-only sighting (it names no
// organisation) read by anyone but the poster and coordinators.
Json SighterJson(const SightingFact& sighting, const Principal& principal, OrganisationLookup& names) {
  if (sighting.counts_only && !IsCoordinator(principal) && sighting.sighter_org != principal.organisation.code) {
    return Json();
  }
  return {{"code", sighting.sighter_org}, {"name", names.Name(sighting.sighter_org)}};
}

Json ViewJson(const IndicatorView& view, const Principal& principal, OrganisationLookup& names, bool detail) {
  const IndicatorFact& fact = *view.fact;
  Json sightings = {{"objects", view.sightings},
                    {"count", view.sighting_count},
                    {"members", view.sighting_orgs},
                    {"first_seen", Time(view.first_seen)},
                    {"last_seen", Time(view.last_seen)}};
  std::int64_t proposals = 0;
  for (const auto& opinion : view.visible_opinions) proposals += opinion->scope == "all" ? 1 : 0;
  Json fps = {{"reports", view.fp_reports}, {"for_my_organisation", view.fp_self}, {"proposals_for_all", proposals}};
  Json json = {{"id", fact.stored.id},
               {"name", fact.name},
               {"pattern", fact.pattern},
               {"pattern_type", fact.pattern_type},
               {"collection", {{"id", view.collection->id}, {"title", view.collection->title}}},
               {"producer", {{"code", view.producer_org}, {"name", names.Name(view.producer_org)}}},
               {"tlp", TlpName(EffectiveTlp(*view.collection, fact.stored))},
               {"created", fact.created.ToRfc3339()},
               {"modified", fact.modified.ToRfc3339()},
               {"valid_from", fact.valid_from.ToRfc3339()},
               {"valid_until", Time(fact.valid_until)},
               {"revoked", fact.revoked},
               {"confidence",
                {{"base", Round1(view.base)},
                 {"current", Round1(view.confidence)},
                 {"lifetime_days", view.lifetime_days},
                 {"decay_from", view.decay_from.ToRfc3339()},
                 {"expires_at", view.expires_at.ToRfc3339()}}},
               {"status", IndicatorStatusName(view.status)},
               {"status_detail", view.status_detail},
               {"sightings", std::move(sightings)},
               {"blocks", view.blocks},
               {"blocked_members", view.blocked_members},
               {"false_positives", std::move(fps)}};
  if (!detail) return json;
  Json seen = Json::array();
  for (const auto& sighting : view.visible_sightings) {
    seen.push_back({{"id", sighting->stored.id},
                    {"organisation", SighterJson(*sighting, principal, names)},
                    {"count", sighting->count},
                    {"measured", sighting->measured},
                    {"first_seen", Time(sighting->first_seen)},
                    {"last_seen", Time(sighting->last_seen)},
                    {"tlp", sighting->stored.tlp ? Json(TlpName(*sighting->stored.tlp)) : Json()}});
  }
  json["sightings"]["visible"] = std::move(seen);
  Json reports = Json::array();
  for (const auto& opinion : view.visible_opinions) {
    reports.push_back({{"id", opinion->stored.id},
                       {"organisation", {{"code", opinion->reporter_org}, {"name", names.Name(opinion->reporter_org)}}},
                       {"scope", opinion->scope},
                       {"opinion", opinion->opinion},
                       {"explanation", opinion->explanation},
                       {"created", opinion->created.ToRfc3339()}});
  }
  json["false_positives"]["visible"] = std::move(reports);
  Json verdicts = Json::array();
  for (const Verdict& verdict : view.verdicts) {
    verdicts.push_back({{"organisation", {{"code", verdict.org_code}, {"name", names.Name(verdict.org_code)}}},
                        {"reason", verdict.reason},
                        {"at", verdict.at.ToRfc3339()}});
  }
  json["false_positives"]["verdicts"] = std::move(verdicts);
  return json;
}

Result<std::string> Reason(const Json& body) {
  if (!body.contains("reason") || !body["reason"].is_string()) {
    return Error::InvalidArgument("request body: field 'reason' is required (a short text)");
  }
  std::string reason = body["reason"];
  if (reason.empty() || reason.size() > kMaxReason) {
    return Error::InvalidArgument("request body: field 'reason' must be 1-" + std::to_string(kMaxReason) +
                                  " characters");
  }
  return reason;
}

class IndicatorApi {
 public:
  explicit IndicatorApi(ApiContext& context)
      : context_(context), board_(SharedBoard(context)), refusals_(context.store()) {}

  void Register(Router& server) {
    server.Get("/api/v1/me", context_.Route(this, &IndicatorApi::Me));
    server.Get("/api/v1/indicators", context_.Route(this, &IndicatorApi::List));
    server.Get("/api/v1/indicators/state", context_.Route(this, &IndicatorApi::State));
    server.Get(R"(/api/v1/indicators/(indicator--[0-9a-fA-F-]{36}))", context_.Route(this, &IndicatorApi::One));
    server.Post(R"(/api/v1/indicators/(indicator--[0-9a-fA-F-]{36})/false-positive)",
                context_.Route(this, &IndicatorApi::ReportFalse));
    server.Post(R"(/api/v1/indicators/(indicator--[0-9a-fA-F-]{36})/verdict)",
                context_.Route(this, &IndicatorApi::Accept));
  }

 private:
  void Me(const httplib::Request& req, httplib::Response& res, const Principal& principal) {
    if (auto status = CheckParams(req, {}); !status.ok()) return SendError(res, status.error());
    SendJson(res, 200,
             {{"member", principal.member.id},
              {"name", principal.member.name},
              {"role", MemberRoleName(principal.member.role)},
              {"coordinator", IsCoordinator(principal)},
              {"organisation",
               {{"code", principal.organisation.code},
                {"name", principal.organisation.name},
                {"kind", OrgKindName(principal.organisation.kind)}}}});
  }

  void List(const httplib::Request& req, httplib::Response& res, const Principal& principal) {
    if (auto status = CheckParams(req, {"q", "status", "limit", "offset"}); !status.ok()) {
      return SendError(res, status.error());
    }
    auto limit = IntParam(req, "limit", 100);
    if (!limit.ok()) return SendError(res, limit.error());
    auto offset = IntParam(req, "offset", 0);
    if (!offset.ok()) return SendError(res, offset.error());
    if (*limit < 1 || *limit > Store::kMaxPageSize || *offset < 0) {
      return SendError(res, Error::InvalidArgument("query parameters: limit must be 1-" +
                                                   std::to_string(Store::kMaxPageSize) + " and offset >= 0"));
    }
    const std::string status_filter = req.get_param_value("status");
    if (!status_filter.empty() && status_filter != "active" && status_filter != "expired" &&
        status_filter != "revoked" && status_filter != "false_positive") {
      return SendError(res, Error::InvalidArgument("query parameter 'status' must be active, expired, revoked or "
                                                   "false_positive, not '" +
                                                   status_filter + "'"));
    }
    const std::string q = FoldCase(req.get_param_value("q"));
    auto views = board_->Views(principal, Timestamp::Now());
    if (!views.ok()) return SendError(res, views.error());
    OrganisationLookup names(context_.store());
    Json items = Json::array();
    std::int64_t total = 0;
    for (const auto& view : *views) {
      if (!status_filter.empty() && IndicatorStatusName(view.status) != status_filter) continue;
      if (!q.empty() && FoldCase(view.fact->name).find(q) == std::string::npos &&
          FoldCase(view.fact->pattern).find(q) == std::string::npos &&
          view.fact->stored.id.find(q) == std::string::npos) {
        continue;
      }
      if (total >= *offset && total < *offset + *limit) items.push_back(ViewJson(view, principal, names, false));
      ++total;
    }
    SendJson(res, 200, {{"items", std::move(items)}, {"total", total}, {"limit", *limit}, {"offset", *offset}});
  }

  // Without `since`, every indicator inactive for the caller; with the
  // cursor of an earlier answer, only what may have changed since
  // (IndicatorBoard::State): "inactive" and "active" then list the changed
  // ones by their status now, and everything else is as it was.
  void State(const httplib::Request& req, httplib::Response& res, const Principal& principal) {
    if (auto status = CheckParams(req, {"since"}); !status.ok()) return SendError(res, status.error());
    std::optional<StateCursor> since;
    if (req.has_param("since")) {
      auto parsed = StateCursor::Parse(req.get_param_value("since"), "query parameter 'since'");
      if (!parsed.ok()) return SendError(res, parsed.error());
      since = *parsed;
    }
    const Timestamp now = Timestamp::Now();
    auto answer = board_->State(principal, now, since);
    if (!answer.ok()) return SendError(res, answer.error());
    Json inactive = Json::array();
    Json active = Json::array();
    for (const auto& entry : answer->entries) {
      if (entry.status == IndicatorStatus::kActive) {
        active.push_back(entry.id);
        continue;
      }
      inactive.push_back({{"id", entry.id}, {"reason", IndicatorStatusName(entry.status)}, {"detail", entry.detail}});
    }
    SendJson(res, 200,
             {{"generated", now.ToRfc3339()},
              {"cursor", answer->cursor.ToString()},
              {"complete", answer->complete},
              {"inactive", std::move(inactive)},
              {"active", std::move(active)}});
  }

  void One(const httplib::Request& req, httplib::Response& res, const Principal& principal) {
    if (auto status = CheckParams(req, {}); !status.ok()) return SendError(res, status.error());
    const std::string id = req.matches[1].str();
    auto view = board_->View(principal, id, Timestamp::Now());
    if (!view.ok()) {
      if (view.error().kind() == ErrorKind::kNotFound && board_->Known(id)) {
        refusals_.Refused(ApiContext::Actor(principal), id, "GET " + req.path + ": not visible under its TLP");
      }
      return SendError(res, view.error());
    }
    OrganisationLookup names(context_.store());
    SendJson(res, 200, ViewJson(*view, principal, names, true));
  }

  // A false-positive report becomes a STIX opinion in the indicator's
  // collection: "self" reports are TLP:RED for the reporter and the producer;
  // proposals for all are shared like the indicator (at least AMBER).
  void ReportFalse(const httplib::Request& req, httplib::Response& res, const Principal& principal) {
    if (auto status = CheckParams(req, {}); !status.ok()) return SendError(res, status.error());
    if (principal.member.role == MemberRole::kSensor) {
      return context_.Forbid(principal, req, res, "false-positive reports (sensors only read)");
    }
    auto body = JsonBody(req);
    if (!body.ok()) return SendError(res, body.error());
    const std::string scope = body->value("scope", std::string());
    if (scope != "self" && scope != "all") {
      return SendError(res, Error::InvalidArgument("request body: field 'scope' must be \"self\" or \"all\""));
    }
    auto reason = Reason(*body);
    if (!reason.ok()) return SendError(res, reason.error());
    const std::string id = req.matches[1].str();
    auto view = board_->View(principal, id, Timestamp::Now());
    if (!view.ok()) return SendError(res, view.error());
    const StoredObject& indicator = view->fact->stored;
    const Tlp indicator_tlp = EffectiveTlp(*view->collection, indicator);
    Tlp tlp = Tlp::kRed;
    std::vector<std::string> recipients = {view->producer_org};
    if (scope == "all") {
      if (indicator_tlp == Tlp::kRed) {
        recipients.insert(recipients.end(), indicator.recipients.begin(), indicator.recipients.end());
      } else if (indicator_tlp != Tlp::kAmberStrict) {
        tlp = std::max(indicator_tlp, Tlp::kAmber);
        recipients.clear();
      }
    }
    const std::string now = Timestamp::Now().ToRfc3339();
    Json opinion = {{"type", "opinion"},
                    {"spec_version", "2.1"},
                    {"id", "opinion--" + Uuid::V4().ToString()},
                    {"created", now},
                    {"modified", now},
                    {"created_by_ref", principal.organisation.StixId()},
                    {"opinion", "strongly-disagree"},
                    {"explanation", *reason},
                    {"object_refs", {id}},
                    {"object_marking_refs", {TlpMarkingId(tlp)}},
                    {"x_dannevirke_fp_scope", scope}};
    if (!recipients.empty()) opinion["x_dannevirke_recipients"] = recipients;
    auto intake = IntakeObject(opinion.dump());
    if (!intake.ok()) return SendError(res, intake.error());
    auto added = context_.store().AddObjects(view->collection->id, {*intake}, principal.organisation.code,
                                             ApiContext::Actor(principal));
    if (!added.ok()) return SendError(res, added.error());
    if (auto refreshed = board_->Refresh(); !refreshed.ok()) return SendError(res, refreshed.error());
    SendJson(
        res, 201,
        {{"opinion", opinion["id"]}, {"collection", view->collection->id}, {"scope", scope}, {"tlp", TlpName(tlp)}});
  }

  // Accepting a proposal: the producer's organisation or a coordinator says
  // the indicator is a false positive for everyone.
  void Accept(const httplib::Request& req, httplib::Response& res, const Principal& principal) {
    if (auto status = CheckParams(req, {}); !status.ok()) return SendError(res, status.error());
    auto body = JsonBody(req);
    if (!body.ok()) return SendError(res, body.error());
    auto reason = Reason(*body);
    if (!reason.ok()) return SendError(res, reason.error());
    const std::string id = req.matches[1].str();
    auto view = board_->View(principal, id, Timestamp::Now());
    if (!view.ok()) return SendError(res, view.error());
    // The producer is the organisation of the first version (IndicatorView::producer_org).
    const bool producer =
        view->producer_org == principal.organisation.code && principal.member.role != MemberRole::kSensor;
    if (!producer && !IsCoordinator(principal)) {
      return context_.Forbid(principal, req, res, "the verdict on " + id + " (producer or coordinator only)");
    }
    bool proposed = false;
    for (const auto& opinion : view->visible_opinions) proposed = proposed || opinion->scope == "all";
    if (!proposed) {
      return SendError(res, Error::Conflict("nobody has proposed " + id + " as a false positive for all"));
    }
    RecordWrite write{"indicator.verdict", id + "|" + principal.organisation.code, principal.organisation.code,
                      Json{{"indicator", id}, {"reason", *reason}}.dump(), std::nullopt};
    auto stored = context_.store().PutRecord(write, ApiContext::Actor(principal));
    if (!stored.ok()) return SendError(res, stored.error());
    if (auto refreshed = board_->Refresh(); !refreshed.ok()) return SendError(res, refreshed.error());
    SendJson(res, 201, {{"indicator", id}, {"status", "false_positive"}, {"version", stored->version}});
  }

  ApiContext& context_;
  std::shared_ptr<IndicatorBoard> board_;  // one per hub, shared by the modules that read it
  RefusalAudit refusals_;
};

}  // namespace

void RegisterIndicatorApi(Router& server, ApiContext& context) {
  auto module = std::make_shared<IndicatorApi>(context);
  module->Register(server);
  context.Keep(module);
}

namespace {
constexpr std::array<std::string_view, 2> kIndicatorsPathPrefixes = {"/api/v1/indicators", "/api/v1/me"};
constexpr std::array<std::string_view, 1> kIndicatorsRecordKinds = {"indicator.verdict"};
constexpr std::array<std::string_view, 0> kIndicatorsAuditActions = {};
}  // namespace

extern const Module kIndicatorsModule;
constinit const Module kIndicatorsModule{
    .name = "indicators",
    .register_routes = &RegisterIndicatorApi,
    .openapi_fragment = "indicators.openapi.json",
    .path_prefixes = kIndicatorsPathPrefixes,
    .record_kinds = kIndicatorsRecordKinds,
    .audit_actions = kIndicatorsAuditActions,
    .dashboard_route = "#/indicators",
};

}  // namespace dv::hub
