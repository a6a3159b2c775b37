// SPDX-License-Identifier: Apache-2.0
// `dannevirke baseline`: the shared minimum requirements (docs/baseline.md) —
// the catalogue, scoring a member's assessment, the printable gap report,
// and evidence from OpenSCAP results. Files in, text out; nothing is stored.

#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "baseline/assessment.h"
#include "baseline/catalogue.h"
#include "baseline/demo.h"
#include "baseline/national.h"
#include "baseline/oscal.h"
#include "baseline/report.h"
#include "baseline/scoring.h"
#include "baseline/xccdf_import.h"
#include "cli/commands.h"
#include "federation/federation.h"

namespace dv::cli {
namespace {

struct CatalogueOptions {
  bool json = false;
  bool oscal = false;
};

struct ScoreOptions {
  std::string assessment;
  std::size_t gaps = 10;
  bool json = false;
};

struct ReportOptions {
  std::string member;
  std::string assessment;  // empty = the demo generator's newest snapshot
  std::string out;         // empty = stdout
};

struct XccdfOptions {
  std::string results;
  std::string member;
  int valid_days = 30;
  bool json = false;
};

Result<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error::Io(path + ": cannot open file");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return Error::Io(path + ": read failed");
  return text.str();
}

std::string Percent(const std::optional<double>& value) {
  if (!value) return "–";
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1f", *value);
  return buffer;
}

nlohmann::json OptionalJson(const std::optional<double>& value) {
  return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

// ---- catalogue ----

int CatalogueCommand(const baseline::Catalogue& catalogue, const CatalogueOptions& options) {
  if (options.oscal) {
    std::cout << baseline::ExportOscalCatalog(catalogue) << "\n";
    return 0;
  }
  auto nis2_letters = [](const baseline::Requirement& requirement) {
    std::string letters;
    for (const auto& mapping : requirement.mappings) {
      if (mapping.framework == baseline::Framework::kNis2) letters += mapping.ref;
    }
    return letters;
  };
  if (options.json) {
    nlohmann::json disciplines = nlohmann::json::array();
    for (const auto& discipline : catalogue.disciplines) {
      nlohmann::json requirements = nlohmann::json::array();
      for (const auto& requirement : catalogue.requirements) {
        if (requirement.discipline != discipline.id) continue;
        nlohmann::json nis2 = nlohmann::json::array();
        for (const char letter : nis2_letters(requirement)) nis2.push_back(std::string(1, letter));
        requirements.push_back({{"id", requirement.id},
                                {"title", {{"da", requirement.title.da}, {"en", requirement.title.en}}},
                                {"weight", requirement.weight},
                                {"effort", requirement.effort},
                                {"risk_reduction", requirement.risk_reduction},
                                {"nis2", nis2},
                                {"facts", requirement.facts}});
      }
      disciplines.push_back({{"id", discipline.id},
                             {"title", {{"da", discipline.title.da}, {"en", discipline.title.en}}},
                             {"requirements", requirements}});
    }
    std::cout << nlohmann::json{{"id", catalogue.id},
                                {"version", catalogue.version},
                                {"date", catalogue.date},
                                {"requirements", catalogue.requirements.size()},
                                {"disciplines", disciplines}}
                     .dump(2)
              << "\n";
    return 0;
  }
  std::cout << catalogue.title.da << " / " << catalogue.title.en << ", version " << catalogue.version << " ("
            << catalogue.date << "): " << catalogue.requirements.size() << " requirements in "
            << catalogue.disciplines.size() << " disciplines.\n"
            << "Columns: id, weight (1–3), NIS2 Art. 21(2) letters, title.\n";
  for (const auto& discipline : catalogue.disciplines) {
    std::cout << "\n" << discipline.id << "  " << discipline.title.da << " / " << discipline.title.en << "\n";
    for (const auto& requirement : catalogue.requirements) {
      if (requirement.discipline != discipline.id) continue;
      char line[64];
      std::snprintf(line, sizeof line, "  %-11s %d  %-5s ", requirement.id.c_str(), requirement.weight,
                    nis2_letters(requirement).c_str());
      std::cout << line << requirement.title.da << " / " << requirement.title.en << "\n";
    }
  }
  return 0;
}

// ---- score ----

int ScoreCommand(const baseline::Catalogue& catalogue, const ScoreOptions& options) {
  auto text = ReadFile(options.assessment);
  if (!text.ok()) {
    std::cerr << "dannevirke: " << text.error().message() << "\n";
    return 1;
  }
  auto assessment = baseline::ParseAssessmentJson(*text, catalogue, options.assessment);
  if (!assessment.ok()) {
    std::cerr << "dannevirke: " << assessment.error().message() << "\n";
    return 1;
  }
  const baseline::Scorecard card = baseline::Score(catalogue, *assessment);
  std::vector<baseline::Gap> gaps = baseline::Gaps(catalogue, *assessment, card);
  if (gaps.size() > options.gaps) gaps.resize(options.gaps);

  if (options.json) {
    nlohmann::json disciplines = nlohmann::json::array();
    for (const auto& discipline : card.disciplines) {
      disciplines.push_back({{"discipline", discipline.discipline},
                             {"score", OptionalJson(discipline.score)},
                             {"assessed_share", discipline.assessed_share}});
    }
    nlohmann::json nis2 = nlohmann::json::array();
    for (const auto& letter : card.nis2) {
      nis2.push_back({{"letter", std::string(1, letter.letter)},
                      {"coverage", OptionalJson(letter.coverage)},
                      {"requirements", letter.requirements},
                      {"met", letter.met}});
    }
    nlohmann::json gaps_json = nlohmann::json::array();
    for (const auto& gap : gaps) {
      const auto& requirement = catalogue.requirements[gap.requirement_idx];
      gaps_json.push_back({{"id", requirement.id},
                           {"title", requirement.title.en},
                           {"status", baseline::ReqStatusName(gap.effective.status)},
                           {"basis", baseline::StatusBasisName(gap.effective.basis)},
                           {"priority", gap.priority},
                           {"owner", gap.owner},
                           {"due", gap.due ? baseline::DateOnly(*gap.due) : ""}});
    }
    std::cout << nlohmann::json{{"member", card.member},
                                {"at", baseline::DateOnly(card.at)},
                                {"catalogue_version", catalogue.version},
                                {"overall", OptionalJson(card.overall)},
                                {"assessed_share", card.assessed_share},
                                {"mean_maturity", OptionalJson(card.mean_maturity)},
                                {"counts",
                                 {{"met", card.counts.met},
                                  {"partly", card.counts.partly},
                                  {"not_met", card.counts.not_met},
                                  {"not_applicable", card.counts.not_applicable},
                                  {"not_assessed", card.counts.not_assessed}}},
                                {"measured_requirements", card.measured_requirements},
                                {"disciplines", disciplines},
                                {"nis2", nis2},
                                {"top_gaps", gaps_json}}
                     .dump(2)
              << "\n";
    return 0;
  }
  std::cout << "Member " << card.member << ", assessed " << baseline::DateOnly(card.at) << " against catalogue "
            << catalogue.version << ".\n"
            << "Overall score " << Percent(card.overall) << " of 100; " << Percent(100 * card.assessed_share)
            << " % of the weight assessed; " << card.counts.met << " met, " << card.counts.partly << " partly, "
            << card.counts.not_met << " not met, " << card.counts.not_assessed << " not assessed, "
            << card.counts.not_applicable << " not applicable.\n\nPer discipline (score, assessed share):\n";
  for (std::size_t discipline_idx = 0; discipline_idx < card.disciplines.size(); ++discipline_idx) {
    const auto& score = card.disciplines[discipline_idx];
    char line[160];
    std::snprintf(line, sizeof line, "  %-5s %6s  %5s %%  ", score.discipline.c_str(), Percent(score.score).c_str(),
                  Percent(100 * score.assessed_share).c_str());
    std::cout << line << catalogue.disciplines[discipline_idx].title.en << "\n";
  }
  std::cout << "\nNIS2 Article 21(2) coverage:\n";
  for (const auto& letter : card.nis2) {
    char line[64];
    std::snprintf(line, sizeof line, "  (%c) %6s  %2d of %2d met  ", letter.letter, Percent(letter.coverage).c_str(),
                  letter.met, letter.requirements);
    std::cout << line << baseline::Nis2LetterSummary(letter.letter) << "\n";
  }
  std::cout << "\nTop gaps (priority = weight × risk reduction × shortfall / effort):\n";
  for (const auto& gap : gaps) {
    const auto& requirement = catalogue.requirements[gap.requirement_idx];
    char line[96];
    std::snprintf(line, sizeof line, "  %-11s %-13s %5.2f  ", requirement.id.c_str(),
                  std::string(baseline::ReqStatusName(gap.effective.status)).c_str(), gap.priority);
    std::cout << line << requirement.title.en;
    if (!gap.owner.empty()) std::cout << "; owner " << gap.owner;
    if (gap.due) std::cout << ", due " << baseline::DateOnly(*gap.due);
    std::cout << "\n";
  }
  return 0;
}

// ---- report ----

int ReportCommand(const baseline::Catalogue& catalogue, const ReportOptions& options) {
  auto federation = LoadDemoFederation();
  if (!federation.ok()) {
    std::cerr << "dannevirke: " << federation.error().ToString() << "\n";
    return 1;
  }
  const Organisation* org = nullptr;
  for (const auto& candidate : federation->organisations) {
    if (candidate.code == options.member) org = &candidate;
  }

  std::vector<baseline::Assessment> snapshots;
  baseline::Assessment assessment;
  bool synthetic = false;
  if (options.assessment.empty()) {
    if (org == nullptr) {
      std::cerr << "dannevirke: unknown member '" << options.member
                << "': not in the demo federation (give --assessment FILE for other members)\n";
      return 1;
    }
    snapshots = baseline::GenerateDemoAssessments(catalogue, federation->organisations);
    const baseline::Assessment* latest = nullptr;
    for (const auto& snapshot : snapshots) {
      if (snapshot.member == options.member) latest = &snapshot;
    }
    if (latest == nullptr) {
      std::cerr << "dannevirke: member '" << options.member << "' (" << org->name
                << ") has no demo assessment: only municipalities and regions have one; give --assessment FILE\n";
      return 1;
    }
    assessment = *latest;
    synthetic = true;
  } else {
    auto text = ReadFile(options.assessment);
    if (!text.ok()) {
      std::cerr << "dannevirke: " << text.error().message() << "\n";
      return 1;
    }
    auto parsed = baseline::ParseAssessmentJson(*text, catalogue, options.assessment);
    if (!parsed.ok()) {
      std::cerr << "dannevirke: " << parsed.error().message() << "\n";
      return 1;
    }
    if (parsed->member != options.member) {
      std::cerr << "dannevirke: " << options.assessment << " is the assessment of member '" << parsed->member
                << "', not of '" << options.member << "'\n";
      return 1;
    }
    assessment = std::move(parsed).value();
  }

  const baseline::Scorecard card = baseline::Score(catalogue, assessment);
  baseline::ReportInput input;
  input.catalogue = &catalogue;
  input.assessment = &assessment;
  input.card = &card;
  input.member_name = org != nullptr ? org->name : options.member;
  input.synthetic = synthetic;
  if (synthetic) {
    // History and the comparison with the other demo members, as the hub shows them.
    input.history = baseline::ScoreHistory(catalogue, snapshots, options.member);
    const auto pictures =
        baseline::NationalTimeline(catalogue, federation->organisations, snapshots, {assessment.assessed_at});
    if (!pictures.empty()) input.comparison = baseline::ComparisonFor(pictures.front(), *org);
  }
  auto html = baseline::RenderGapReportHtml(input);
  if (!html.ok()) {
    std::cerr << "dannevirke: " << html.error().ToString() << "\n";
    return 1;
  }
  if (options.out.empty()) {
    std::cout << *html;
    return 0;
  }
  std::ofstream out(options.out, std::ios::binary | std::ios::trunc);
  out << *html;
  out.close();
  if (!out) {
    std::cerr << "dannevirke: " << options.out << ": cannot write the report\n";
    return 1;
  }
  std::cerr << "dannevirke: wrote the gap report of " << input.member_name << " (" << options.member << ", score "
            << Percent(card.overall) << ") to " << options.out << "\n";
  return 0;
}

// ---- import-xccdf ----

int XccdfCommand(const baseline::Catalogue& catalogue, const XccdfOptions& options) {
  if (options.member.empty()) {
    std::cerr << "dannevirke: --member must name an organisation code\n";
    return 1;
  }
  auto text = ReadFile(options.results);
  if (!text.ok()) {
    std::cerr << "dannevirke: " << text.error().message() << "\n";
    return 1;
  }
  baseline::XccdfImportOptions import_options;
  import_options.valid_days = options.valid_days;
  import_options.fallback_time = Timestamp::Now();
  auto import = baseline::ImportXccdfResults(*text, catalogue, import_options, options.results);
  if (!import.ok()) {
    std::cerr << "dannevirke: " << import.error().message() << "\n";
    return 1;
  }
  if (options.json) {
    nlohmann::json evidence = nlohmann::json::array();
    for (const auto& item : import->evidence) {
      evidence.push_back({{"requirement_id", item.requirement_id},
                          {"kind", baseline::EvidenceKindName(item.evidence.kind)},
                          {"result", baseline::EvidenceResultName(item.evidence.result)},
                          {"source", item.evidence.source},
                          {"collected", item.evidence.collected.ToRfc3339()},
                          {"valid_until", item.evidence.valid_until ? item.evidence.valid_until->ToRfc3339() : ""},
                          {"note", item.evidence.note}});
    }
    std::cout << nlohmann::json{{"member", options.member},
                                {"test_result", import->test_result_id},
                                {"target", import->target},
                                {"collected", import->collected.ToRfc3339()},
                                {"rule_results", import->rule_results},
                                {"mapped", import->mapped},
                                {"unmapped", import->unmapped},
                                {"ignored", import->ignored},
                                {"evidence", evidence}}
                     .dump(2)
              << "\n";
    return 0;
  }
  std::cout << "Member " << options.member << ": " << import->test_result_id << " on " << import->target
            << ", collected " << import->collected.ToRfc3339() << ".\n"
            << import->rule_results << " rule results: " << import->mapped << " map to requirements, "
            << import->unmapped << " map to none, " << import->ignored << " carry no verdict.\n\n"
            << import->evidence.size() << " measured evidence items (valid " << options.valid_days << " days):\n";
  for (const auto& item : import->evidence) {
    char line[64];
    std::snprintf(line, sizeof line, "  %-11s %-8s ", item.requirement_id.c_str(),
                  std::string(baseline::EvidenceResultName(item.evidence.result)).c_str());
    std::cout << line << item.evidence.note << "\n";
  }
  return 0;
}

// Runs `body` with the built-in catalogue, or reports why it cannot be had.
template <typename Options, typename Body>
int WithCatalogue(const Options& options, Body body) {
  auto catalogue = baseline::BuiltinCatalogue();
  if (!catalogue.ok()) {
    std::cerr << "dannevirke: " << catalogue.error().ToString() << "\n";
    return 1;
  }
  return body(**catalogue, options);
}

}  // namespace

void AddBaselineCommands(CLI::App& app, int* exit_code) {
  CLI::App* baseline_cmd = app.add_subcommand(
      "baseline",
      "The shared minimum requirements (docs/baseline.md): the catalogue, scores of a member's assessment, the "
      "printable gap report and evidence from OpenSCAP results.");
  baseline_cmd->require_subcommand(1);

  auto catalogue = std::make_shared<CatalogueOptions>();
  CLI::App* catalogue_cmd = baseline_cmd->add_subcommand(
      "catalogue",
      "List the requirements per discipline with weight and NIS2 Article 21(2) letters, or export the catalogue "
      "as JSON or as an OSCAL 1.1 catalog.");
  auto* json_flag = catalogue_cmd->add_flag("--json", catalogue->json, "Print the catalogue as JSON");
  catalogue_cmd->add_flag("--oscal", catalogue->oscal, "Print the catalogue as an OSCAL 1.1 catalog (JSON)")
      ->excludes(json_flag);
  catalogue_cmd->callback([catalogue, exit_code] { *exit_code = WithCatalogue(*catalogue, CatalogueCommand); });

  auto score = std::make_shared<ScoreOptions>();
  CLI::App* score_cmd = baseline_cmd->add_subcommand(
      "score",
      "Score a member's assessment file (format dannevirke-baseline-assessment/1): overall and per discipline, "
      "with the assessed share, NIS2 Article 21(2) coverage and the top gaps by priority.");
  score_cmd->add_option("--assessment", score->assessment, "The assessment file (JSON)")->required();
  score_cmd->add_option("--gaps", score->gaps, "Gaps listed")->capture_default_str();
  score_cmd->add_flag("--json", score->json, "Print the scores as JSON");
  score_cmd->callback([score, exit_code] { *exit_code = WithCatalogue(*score, ScoreCommand); });

  auto report = std::make_shared<ReportOptions>();
  CLI::App* report_cmd = baseline_cmd->add_subcommand(
      "report",
      "Write a member's printable gap report (self-contained HTML, Danish with English beneath). Without "
      "--assessment the member's synthetic demo assessment is used, with its history and the comparison with the "
      "other demo members.");
  report_cmd->add_option("--member", report->member, "Organisation code, e.g. 0101")->required();
  report_cmd->add_option("--assessment", report->assessment, "The member's assessment file (default: demo data)");
  report_cmd->add_option("--out", report->out, "Write the HTML here (default: stdout)");
  report_cmd->callback([report, exit_code] { *exit_code = WithCatalogue(*report, ReportCommand); });

  auto xccdf = std::make_shared<XccdfOptions>();
  CLI::App* xccdf_cmd = baseline_cmd->add_subcommand(
      "import-xccdf",
      "Turn OpenSCAP XCCDF 1.2 results (`oscap xccdf eval --results FILE`, or an ARF report) into dated, "
      "measured evidence for the requirements the catalogue's xccdf_map names.");
  xccdf_cmd->add_option("--results", xccdf->results, "The XCCDF results file")->required();
  xccdf_cmd->add_option("--member", xccdf->member, "Organisation code of the scanned member, e.g. 0101")->required();
  xccdf_cmd->add_option("--valid-days", xccdf->valid_days, "Days the results count as current evidence")
      ->check(CLI::Range(1, 3650))
      ->capture_default_str();
  xccdf_cmd->add_flag("--json", xccdf->json, "Print the evidence as JSON");
  xccdf_cmd->callback([xccdf, exit_code] { *exit_code = WithCatalogue(*xccdf, XccdfCommand); });
}

}  // namespace dv::cli
