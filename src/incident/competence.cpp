// SPDX-License-Identifier: Apache-2.0
#include "incident/competence.h"

#include <algorithm>
#include <set>

#include "incident/json_fields.h"

namespace dv::incident {

using detail::FieldError;
using detail::Json;

const std::vector<RoleProfile>& RoleProfiles() {
  static const std::vector<RoleProfile> kProfiles = {
      {"ciso", "Chief Information Security Officer (CISO)", "Informationssikkerhedschef (CISO)",
       "Chief information security officer (CISO)",
       "Ejer strategien for informationssikkerhed, rapporterer til ledelsen og holder styr på risici og krav.",
       "Owns the security strategy, reports to management and keeps risks and obligations in view."},
      {"incident_responder", "Cyber Incident Responder", "Hændelseshåndterer", "Incident responder",
       "Opdager, vurderer og begrænser hændelser og sørger for, at organisationen kommer sig.",
       "Detects, assesses and contains incidents and leads the recovery."},
      {"legal_compliance", "Cyber Legal, Policy and Compliance Officer", "Jura, politik og compliance",
       "Legal, policy and compliance officer",
       "Sikrer, at sikkerhedsarbejdet følger lovgivning som NIS2 og GDPR, og at pligter bliver opfyldt.",
       "Makes sure security work follows laws such as NIS2 and GDPR and that duties are met."},
      {"threat_intelligence", "Cyber Threat Intelligence Specialist", "Trusselsanalytiker",
       "Threat intelligence specialist",
       "Indsamler og vurderer viden om trusler og aktører og deler den med dem, der skal bruge den.",
       "Collects and assesses knowledge of threats and actors and shares it with those who need it."},
      {"architect", "Cybersecurity Architect", "Sikkerhedsarkitekt", "Security architect",
       "Designer systemer og netværk, så sikkerhed er bygget ind fra starten.",
       "Designs systems and networks with security built in from the start."},
      {"auditor", "Cybersecurity Auditor", "Sikkerhedsrevisor", "Security auditor",
       "Kontrollerer uafhængigt, at sikringen virker og lever op til krav og standarder.",
       "Checks independently that controls work and meet requirements and standards."},
      {"educator", "Cybersecurity Educator", "Underviser i sikkerhed", "Security educator",
       "Uddanner ledelse og medarbejdere og holder bevidstheden om sikkerhed i live.",
       "Trains management and staff and keeps security awareness alive."},
      {"implementer", "Cybersecurity Implementer", "Sikkerhedsimplementerer", "Security implementer",
       "Sætter sikringsforanstaltninger op, driver og vedligeholder dem i systemerne.",
       "Sets up, runs and maintains security controls in the systems."},
      {"researcher", "Cybersecurity Researcher", "Sikkerhedsforsker", "Security researcher",
       "Undersøger nye trusler, teknikker og løsninger og omsætter viden til praksis.",
       "Investigates new threats, techniques and solutions and turns findings into practice."},
      {"risk_manager", "Cybersecurity Risk Manager", "Risikoansvarlig", "Risk manager",
       "Kortlægger og vurderer risici for organisationens tjenester og foreslår, hvordan de styres.",
       "Maps and assesses risks to the organisation's services and proposes how to treat them."},
      {"forensics", "Digital Forensics Investigator", "Digital efterforsker", "Digital forensics investigator",
       "Sikrer og analyserer digitale spor efter en hændelse, så de kan bruges som bevis.",
       "Secures and analyses digital traces after an incident so that they hold as evidence."},
      {"penetration_tester", "Penetration Tester", "Penetrationstester", "Penetration tester",
       "Angriber egne systemer med tilladelse for at finde svagheder, før andre gør det.",
       "Attacks the organisation's own systems, with permission, to find weaknesses before others do."},
  };
  return kProfiles;
}

const RoleProfile* FindRole(std::string_view id) {
  for (const auto& profile : RoleProfiles()) {
    if (profile.id == id) return &profile;
  }
  return nullptr;
}

std::string_view HolderKindName(HolderKind kind) {
  switch (kind) {
    case HolderKind::kStaff:
      return "staff";
    case HolderKind::kContracted:
      return "contracted";
    case HolderKind::kShared:
      return "shared";
  }
  return "staff";
}

std::string_view TrainingKindName(TrainingKind kind) {
  switch (kind) {
    case TrainingKind::kManagement:
      return "management";
    case TrainingKind::kRole:
      return "role";
    case TrainingKind::kAwareness:
      return "awareness";
  }
  return "role";
}

namespace {

bool IsDate(const std::string& text) { return text.size() == 10 && Timestamp::Parse(text + "T00:00:00Z").ok(); }

}  // namespace

Result<CompetenceRegister> RegisterFromJson(const Json& json) {
  if (!json.is_object()) return Error::InvalidArgument("competence register: must be a JSON object");
  DV_TRY(detail::OnlyKnown(json, {"roles", "trainings"}, "", [](std::string_view key) {
    return key == "org" || key == "version" || key == "gaps" || key == "baseline_evidence" || key == "updated" ||
           key == "versions";
  }));
  CompetenceRegister reg;
  const auto roles = json.find("roles");
  if (roles != json.end() && !roles->is_null()) {
    if (!roles->is_array()) return FieldError("roles", "must be a list");
    std::set<std::string> seen;
    for (std::size_t role_idx = 0; role_idx < roles->size(); ++role_idx) {
      const std::string prefix = "roles[" + std::to_string(role_idx) + "].";
      const Json& item = (*roles)[role_idx];
      if (!item.is_object()) return FieldError("roles[" + std::to_string(role_idx) + "]", "must be an object");
      DV_TRY(detail::OnlyKnown(item, {"role", "holders"}, prefix));
      auto role = detail::Text(item, "role", prefix, 1, 40, true);
      if (!role.ok()) return role.error();
      if (FindRole(**role) == nullptr) {
        return FieldError(prefix + "role", "'" + **role + "' is not one of the 12 ECSF role profiles");
      }
      if (!seen.insert(**role).second) return FieldError(prefix + "role", "'" + **role + "' is listed twice");
      RoleAssignment assignment{**role, {}};
      const auto holders = item.find("holders");
      if (holders != item.end() && !holders->is_null()) {
        if (!holders->is_array()) return FieldError(prefix + "holders", "must be a list");
        if (holders->size() > 50) return FieldError(prefix + "holders", "may hold at most 50 entries");
        for (std::size_t holder_idx = 0; holder_idx < holders->size(); ++holder_idx) {
          const std::string hprefix = prefix + "holders[" + std::to_string(holder_idx) + "].";
          const Json& holder = (*holders)[holder_idx];
          if (!holder.is_object()) return FieldError(hprefix.substr(0, hprefix.size() - 1), "must be an object");
          DV_TRY(detail::OnlyKnown(holder, {"initials", "name", "kind", "provider"}, hprefix));
          RoleHolder out;
          auto kind = detail::Text(holder, "kind", hprefix, 1, 20, false);
          if (!kind.ok()) return kind.error();
          const std::string kind_name = kind->value_or("staff");
          if (kind_name == "staff") {
            out.kind = HolderKind::kStaff;
          } else if (kind_name == "contracted") {
            out.kind = HolderKind::kContracted;
          } else if (kind_name == "shared") {
            out.kind = HolderKind::kShared;
          } else {
            return FieldError(hprefix + "kind", "must be staff, contracted or shared, not '" + kind_name + "'");
          }
          auto initials = detail::Text(holder, "initials", hprefix, 1, 8, out.kind == HolderKind::kStaff);
          if (!initials.ok()) return initials.error();
          out.initials = initials->value_or("");
          auto name = detail::Text(holder, "name", hprefix, 1, 120, false);
          if (!name.ok()) return name.error();
          out.name = name->value_or("");
          auto provider = detail::Text(holder, "provider", hprefix, 1, 120, out.kind != HolderKind::kStaff);
          if (!provider.ok()) return provider.error();
          out.provider = provider->value_or("");
          assignment.holders.push_back(std::move(out));
        }
      }
      reg.roles.push_back(std::move(assignment));
    }
  }
  const auto trainings = json.find("trainings");
  if (trainings != json.end() && !trainings->is_null()) {
    if (!trainings->is_array()) return FieldError("trainings", "must be a list");
    if (trainings->size() > 500) return FieldError("trainings", "may hold at most 500 entries");
    for (std::size_t training_idx = 0; training_idx < trainings->size(); ++training_idx) {
      const std::string prefix = "trainings[" + std::to_string(training_idx) + "].";
      const Json& item = (*trainings)[training_idx];
      if (!item.is_object()) return FieldError("trainings[" + std::to_string(training_idx) + "]", "must be an object");
      DV_TRY(detail::OnlyKnown(item, {"title", "kind", "date", "participants"}, prefix));
      Training training;
      auto title = detail::Text(item, "title", prefix, 1, 200, true);
      if (!title.ok()) return title.error();
      training.title = **title;
      auto kind = detail::Text(item, "kind", prefix, 1, 20, true);
      if (!kind.ok()) return kind.error();
      if (**kind == "management") {
        training.kind = TrainingKind::kManagement;
      } else if (**kind == "role") {
        training.kind = TrainingKind::kRole;
      } else if (**kind == "awareness") {
        training.kind = TrainingKind::kAwareness;
      } else {
        return FieldError(prefix + "kind", "must be management, role or awareness, not '" + **kind + "'");
      }
      auto date = detail::Text(item, "date", prefix, 10, 10, true);
      if (!date.ok() || !IsDate(**date)) {
        return FieldError(prefix + "date", "must be a date YYYY-MM-DD");
      }
      training.date = **date;
      auto participants = detail::TextList(item, "participants", prefix, 200, 20);
      if (!participants.ok()) return participants.error();
      training.participants = std::move(participants).value();
      reg.trainings.push_back(std::move(training));
    }
  }
  return reg;
}

Json RegisterToJson(const CompetenceRegister& reg) {
  Json roles = Json::array();
  for (const auto& assignment : reg.roles) {
    Json holders = Json::array();
    for (const auto& holder : assignment.holders) {
      Json item = {{"kind", HolderKindName(holder.kind)}};
      if (!holder.initials.empty()) item["initials"] = holder.initials;
      if (!holder.name.empty()) item["name"] = holder.name;
      if (!holder.provider.empty()) item["provider"] = holder.provider;
      holders.push_back(std::move(item));
    }
    roles.push_back({{"role", assignment.role}, {"holders", std::move(holders)}});
  }
  Json trainings = Json::array();
  for (const auto& training : reg.trainings) {
    trainings.push_back({{"title", training.title},
                         {"kind", TrainingKindName(training.kind)},
                         {"date", training.date},
                         {"participants", training.participants}});
  }
  return {{"roles", std::move(roles)}, {"trainings", std::move(trainings)}};
}

std::string_view SizeBandName(SizeBand band) {
  switch (band) {
    case SizeBand::kSmall:
      return "small";
    case SizeBand::kMedium:
      return "medium";
    case SizeBand::kLarge:
      return "large";
  }
  return "small";
}

SizeBand BandFor(OrgKind kind, std::optional<std::int64_t> population) {
  if (kind != OrgKind::kMunicipality) return SizeBand::kMedium;
  if (!population || *population < 30'000) return SizeBand::kSmall;
  return *population < 100'000 ? SizeBand::kMedium : SizeBand::kLarge;
}

std::vector<std::string> TargetRoles(SizeBand band) {
  std::vector<std::string> roles = {"ciso", "incident_responder", "risk_manager", "legal_compliance"};
  if (band == SizeBand::kSmall) return roles;
  roles.insert(roles.end(), {"implementer", "architect", "auditor", "educator"});
  if (band == SizeBand::kMedium) return roles;
  roles.insert(roles.end(), {"threat_intelligence", "forensics", "penetration_tester"});
  return roles;
}

std::string_view CoverageName(Coverage coverage) {
  switch (coverage) {
    case Coverage::kCovered:
      return "covered";
    case Coverage::kPartly:
      return "partly";
    case Coverage::kMissing:
      return "missing";
  }
  return "missing";
}

Coverage RoleCoverage(const CompetenceRegister& reg, std::string_view role) {
  for (const auto& assignment : reg.roles) {
    if (assignment.role != role) continue;
    bool staff = false;
    for (const auto& holder : assignment.holders) staff = staff || holder.kind == HolderKind::kStaff;
    if (staff) return Coverage::kCovered;
    return assignment.holders.empty() ? Coverage::kMissing : Coverage::kPartly;
  }
  return Coverage::kMissing;
}

GapReport AnalyseGaps(const CompetenceRegister& reg, SizeBand band, const std::string& today) {
  GapReport report;
  report.band = band;
  const auto target = TargetRoles(band);
  double points = 0;
  for (const auto& profile : RoleProfiles()) {
    RoleGap gap;
    gap.role = profile.id;
    gap.required = std::find(target.begin(), target.end(), profile.id) != target.end();
    gap.coverage = RoleCoverage(reg, profile.id);
    for (const auto& assignment : reg.roles) {
      if (assignment.role == profile.id) {
        gap.single_person = assignment.holders.size() == 1 && assignment.holders[0].kind == HolderKind::kStaff;
      }
    }
    if (gap.required) {
      points += gap.coverage == Coverage::kCovered ? 1.0 : gap.coverage == Coverage::kPartly ? 0.5 : 0.0;
      if (gap.coverage != Coverage::kCovered) report.gaps.push_back(profile.id);
    }
    if (gap.single_person) report.single_person.push_back(profile.id);
    report.roles.push_back(std::move(gap));
  }
  report.score = target.empty() ? 1.0 : points / static_cast<double>(target.size());
  for (const auto& training : reg.trainings) {
    if (training.kind != TrainingKind::kManagement) continue;
    if (!report.last_management_training || training.date > *report.last_management_training) {
      report.last_management_training = training.date;
    }
  }
  if (report.last_management_training && today.size() == 10) {
    // Within 24 months: on or after the same date two years earlier.
    const std::string cutoff = std::to_string(std::stoi(today.substr(0, 4)) - 2) + today.substr(4);
    report.management_training_current =
        *report.last_management_training >= cutoff && *report.last_management_training <= today;
  }
  return report;
}

Json BaselineEvidence(const GapReport& gaps) {
  auto covered = [&](const std::string& role) {
    for (const auto& gap : gaps.roles) {
      if (gap.role == role) return gap.coverage != Coverage::kMissing;
    }
    return false;
  };
  return {{"management_training_current", gaps.management_training_current},
          {"last_management_training", gaps.last_management_training ? Json(*gaps.last_management_training) : Json()},
          {"ciso_assigned", covered("ciso")},
          {"incident_response_capacity", covered("incident_responder")},
          {"risk_management_assigned", covered("risk_manager")},
          {"target_roles_gaps", gaps.gaps.size()},
          {"single_person_roles", gaps.single_person.size()},
          {"competence_score", gaps.score},
          {"requirements",
           {{"nis2_art20_2", "management body trained (management_training_current)"},
            {"nis2_art21_2_g", "basic cyber hygiene practices and cybersecurity training"},
            {"nis2_art21_2_b", "incident handling (incident_response_capacity)"}}}};
}

NationalCompetence SummariseNational(const std::vector<MemberCompetence>& members, int min_members) {
  NationalCompetence out;
  out.registers = static_cast<int>(members.size());
  std::map<std::string, NationalCompetence::RoleCount> counts;
  for (const auto& profile : RoleProfiles()) counts[profile.id].role = profile.id;
  std::map<std::pair<std::string, std::string>, std::vector<std::string>> lacking;  // (region, role) → members
  for (const auto& member : members) {
    if (member.gaps.management_training_current) ++out.management_training_current;
    for (const auto& gap : member.gaps.roles) {
      auto& count = counts[gap.role];
      if (gap.coverage == Coverage::kCovered) {
        ++count.covered;
      } else if (gap.coverage == Coverage::kPartly) {
        ++count.partly;
      } else if (gap.required) {
        ++count.missing;
      }
      if (gap.single_person) {
        ++count.single_person;
        out.single_person.emplace_back(member.org_code, gap.role);
      }
      if (gap.required && gap.coverage != Coverage::kCovered && !member.region_code.empty()) {
        lacking[{member.region_code, gap.role}].push_back(member.org_code);
      }
    }
  }
  for (const auto& profile : RoleProfiles()) out.roles.push_back(counts[profile.id]);
  for (auto& [key, codes] : lacking) {
    if (static_cast<int>(codes.size()) < min_members) continue;
    std::sort(codes.begin(), codes.end());
    out.suggestions.push_back({key.first, key.second, codes});
  }
  std::stable_sort(out.suggestions.begin(), out.suggestions.end(),
                   [](const SharedCapacitySuggestion& a, const SharedCapacitySuggestion& b) {
                     return a.members.size() > b.members.size();
                   });
  return out;
}

}  // namespace dv::incident
