// SPDX-License-Identifier: Apache-2.0
#include "incident/demo_seed.h"

#include "core/uuid.h"
#include "incident/competence.h"
#include "incident/stored.h"

namespace dv::incident {

namespace {

using incident::Json;

constexpr std::int64_t kHourMs = 3'600'000;
constexpr const char* kSeedActor = "system:seed";

std::string DemoId(const std::string& name) {
  return Uuid::V5(DannevirkeNamespace(), "demo-incident:" + name).ToString();
}

std::string HoursAgo(Timestamp now, std::int64_t hours) {
  return Timestamp(now.unix_ms() - hours * kHourMs).ToRfc3339();
}

// Writes the record only when it does not exist yet (expected version 0).
Result<bool> PutIfMissing(Store& store, const RecordWrite& write) {
  if (store.GetRecord(write.kind, write.id).ok()) return false;
  auto stored = store.PutRecord(write, kSeedActor);
  if (!stored.ok()) return stored.error();
  return true;
}

Status SeedIncident(Store& store, const std::string& name, const std::string& org, const Json& body,
                    const std::vector<std::pair<incident::ReportStage, Json>>& reports, Timestamp now) {
  auto parsed = incident::IncidentFromJson(body, now);
  if (!parsed.ok()) return parsed.error().WithContext("demo incident '" + name + "'");
  const RecordWrite write{incident::kIncidentKind, DemoId(name), org, incident::IncidentToJson(*parsed).dump(), 0};
  auto created = PutIfMissing(store, write);
  if (!created.ok()) return created.error();
  if (!*created) return Ok();
  auto record = store.GetRecord(incident::kIncidentKind, write.id);
  if (!record.ok()) return record.error();
  for (const auto& [stage, contents] : reports) {
    auto submitted = incident::SubmitReport(store, *record, stage, contents, kSeedActor, now);
    if (!submitted.ok()) return submitted.error().WithContext("demo incident '" + name + "'");
  }
  return Ok();
}

Json Holder(const std::string& initials, const std::string& kind = "staff", const std::string& provider = "") {
  Json holder = {{"initials", initials}, {"kind", kind}};
  if (!provider.empty()) holder["provider"] = provider;
  return holder;
}

// `holders` is always a list: a braced single holder passed as a Json would be
// a copy of that object under clang (CWG 1467), an array under GCC.
Json Role(const std::string& role, std::initializer_list<Json> holders) {
  Json list = Json::array();
  for (const Json& holder : holders) list.push_back(holder);
  return {{"role", role}, {"holders", std::move(list)}};
}

Json ManagementTraining(const std::string& date) {
  return {{"title", "NIS2-ledelsesuddannelse (art. 20)"},
          {"kind", "management"},
          {"date", date},
          {"participants", {"management"}}};
}

Status SeedAll(Store& store, Timestamp now) {
  const Json early_warning = {{"summary", "Uautoriserede logins via leverandørens fjernadgang til ESDH."},
                              {"suspected_malicious", true},
                              {"cross_border_impact", false}};
  DV_TRY(SeedIncident(
      store, "kbh-remote-access", "0101",
      {{"title", "Mistænkelige logins via leverandørens fjernadgang"},
       {"description",
        "Driftsleverandørens fjernadgangskonto blev brugt fra en ukendt IP-adresse om natten; der er oprettet en "
        "ny administratorkonto på ESDH-serveren."},
       {"became_aware_at", HoursAgo(now, 5)},
       {"started_at", HoursAgo(now, 9)},
       {"affected_services", {"ESDH / sagsbehandling", "Borgerservice"}},
       {"citizens_affected", {{"count", 2500}, {"estimate", true}}},
       {"suspected_malicious", true},
       {"cross_member_impact", true},
       {"suspected_via", {"KMD"}},
       {"new_indicators", {{{"name", "Login fra ukendt adresse"}, {"pattern", "[ipv4-addr:value = '203.0.113.45']"}}}},
       {"share_tlp", "amber"}},
      {{incident::ReportStage::kEarlyWarning, early_warning}}, now));
  DV_TRY(SeedIncident(store, "odense-admin-logins", "0461",
                      {{"title", "Usædvanlige administrator-logins hos driftsleverandør"},
                       {"description",
                        "Leverandøren har meldt om administrator-logins uden for aftalte servicevinduer på vores "
                        "servere."},
                       {"became_aware_at", HoursAgo(now, 20)},
                       {"affected_services", {"Fagsystemer"}},
                       {"suspected_malicious", true},
                       {"cross_member_impact", true},
                       {"suspected_via", {"KMD"}}},
                      {}, now));
  DV_TRY(SeedIncident(
      store, "aarhus-phishing", "0751",
      {{"title", "Phishing mod medarbejdere"},
       {"description", "Målrettede mails med falsk Microsoft-login; tre medarbejdere har indtastet adgangskode."},
       {"became_aware_at", HoursAgo(now, 30)},
       {"started_at", HoursAgo(now, 34)},
       {"affected_services", {"E-mail"}},
       {"citizens_affected", {{"count", 0}, {"estimate", false}}},
       {"suspected_malicious", true}},
      {{incident::ReportStage::kEarlyWarning, Json{{"summary", "Phishing-bølge; adgangskoder nulstillet."},
                                                   {"suspected_malicious", true},
                                                   {"cross_border_impact", false}}}},
      now));

  const std::vector<std::pair<std::string, Json>> registers = {
      {"0101",
       {{"roles",
         {Role("ciso", {Holder("MH")}),
          Role("incident_responder",
               {Holder("JK"), Holder("SL"), Holder("SOC", "contracted", "Ekstern SOC-leverandør")}),
          Role("risk_manager", {Holder("AN")}), Role("legal_compliance", {Holder("BT"), Holder("PO")}),
          Role("architect", {Holder("KR")}), Role("implementer", {Holder("TS"), Holder("UV")}),
          Role("auditor", {Holder("REV", "contracted", "Ekstern revision")}), Role("educator", {Holder("LM")}),
          Role("threat_intelligence", {Holder("NK")})}},
        {"trainings", {ManagementTraining("2025-09-15")}}}},
      {"0751",
       {{"roles",
         {Role("ciso", {Holder("EH")}), Role("incident_responder", {Holder("FG"), Holder("OP")}),
          Role("risk_manager", {Holder("IJ")}), Role("legal_compliance", {Holder("QR")}),
          Role("implementer", {Holder("ST")}), Role("architect", {Holder("UW")})}},
        {"trainings", {ManagementTraining("2025-03-10")}}}},
      {"0461",
       {{"roles",
         {Role("ciso", {Holder("CB")}), Role("incident_responder", {Holder("SOC", "contracted", "KMD SOC")}),
          Role("legal_compliance", {Holder("DD")})}},
        {"trainings", {ManagementTraining("2023-11-02")}}}},
      {"0155", {{"roles", {Role("ciso", {Holder("AK")}), Role("legal_compliance", {Holder("AK")})}}}},
      {"0187",
       {{"roles", {Role("ciso", {Holder("HV")}), Role("risk_manager", {Holder("HV")})}},
        {"trainings", {ManagementTraining("2025-01-20")}}}},
      {"0183", {{"roles", {Role("ciso", {Holder("IS", "shared", "Fælleskommunal CISO, Vestegnen")})}}}},
  };
  for (const auto& [code, body] : registers) {
    auto parsed = incident::RegisterFromJson(body);
    if (!parsed.ok()) return parsed.error().WithContext("demo competence register of " + code);
    auto written =
        PutIfMissing(store, {incident::kRegisterKind, code, code, incident::RegisterToJson(*parsed).dump(), 0});
    if (!written.ok()) return written.error();
  }

  const Json guidance = {
      {"title", "Luk leverandørens fjernadgang midlertidigt"},
      {"body",
       "Flere medlemmer ser mistænkelige logins via driftsleverandørens fjernadgang. Deaktivér leverandørens "
       "fjernadgangskonti, indtil leverandøren har bekræftet nye legitimationsoplysninger, og gennemgå "
       "administratorkonti oprettet de seneste 14 dage."},
      {"severity", "warning"},
      {"recipients", {"0101", "0461"}},
      {"campaign", Json()},
      {"from", {{"code", "CFCS"}, {"name", "Center for Cybersikkerhed"}}}};
  if (store.GetOrganisation("CFCS").ok()) {
    auto written =
        PutIfMissing(store, {incident::kGuidanceKind, DemoId("guidance-remote-access"), "CFCS", guidance.dump(), 0});
    if (!written.ok()) return written.error();
  }
  return Ok();
}

}  // namespace

Status SeedDemoIncidents(Store& store) {
  const Timestamp now = Timestamp::Now();
  const Status seeded = store.InTransaction([&]() -> Status { return SeedAll(store, now); });
  if (!seeded.ok()) return seeded.error().WithContext("seeding the demo incidents and competences");
  return Ok();
}

}  // namespace dv::incident
