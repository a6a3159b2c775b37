// SPDX-License-Identifier: Apache-2.0
#include "baseline/report.h"

#include <cstdio>

#include "core/text.h"

namespace dv::baseline {

namespace {

std::string Number(std::optional<double> value, const char* format = "%.0f") {
  if (!value) return "–";
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, format, *value);
  return buffer;
}

std::string_view StatusDa(ReqStatus status) {
  switch (status) {
    case ReqStatus::kMet:
      return "Opfyldt";
    case ReqStatus::kPartly:
      return "Delvist opfyldt";
    case ReqStatus::kNotMet:
      return "Ikke opfyldt";
    case ReqStatus::kNotApplicable:
      return "Ikke relevant";
    case ReqStatus::kNotAssessed:
      return "Ikke vurderet";
  }
  return "";
}

std::string_view StatusEn(ReqStatus status) {
  switch (status) {
    case ReqStatus::kMet:
      return "Met";
    case ReqStatus::kPartly:
      return "Partly met";
    case ReqStatus::kNotMet:
      return "Not met";
    case ReqStatus::kNotApplicable:
      return "Not applicable";
    case ReqStatus::kNotAssessed:
      return "Not assessed";
  }
  return "";
}

std::string_view BasisDa(StatusBasis basis) {
  switch (basis) {
    case StatusBasis::kDeclared:
      return "erklæret";
    case StatusBasis::kMeasured:
      return "målt";
    case StatusBasis::kMeasuredExpired:
      return "måling udløbet";
    case StatusBasis::kNone:
      return "–";
  }
  return "";
}

std::string Bar(std::optional<double> score) {
  const int width = score ? static_cast<int>(*score + 0.5) : 0;
  return "<span class=\"bar\"><span style=\"width:" + std::to_string(width) + "%\"></span></span>";
}

constexpr std::string_view kStyle = R"(
body{font-family:"Helvetica Neue",Arial,sans-serif;font-size:10.5pt;color:#1b1b1b;margin:2em auto;max-width:48em}
h1{font-size:18pt;margin-bottom:0}h2{font-size:13pt;border-bottom:1px solid #999;margin-top:1.6em}
.en{color:#555;font-style:italic}.sub{color:#555;margin-top:.2em}
table{border-collapse:collapse;width:100%;margin:.5em 0}th,td{border-bottom:1px solid #ddd;padding:3px 6px;text-align:left;vertical-align:top}
th{background:#f2f2f2}td.num,th.num{text-align:right}
.bar{display:inline-block;width:8em;height:.7em;background:#eee;border:1px solid #bbb}.bar span{display:block;height:100%;background:#2f6f9f}
.big{font-size:28pt;font-weight:bold}.synthetic{border:2px solid #b00;color:#b00;padding:.4em;font-weight:bold}
.met{color:#1a7f37}.partly{color:#9a6700}.not_met{color:#b00}.not_assessed{color:#666}
@media print{body{margin:0;max-width:none}h2{page-break-after:avoid}tr{page-break-inside:avoid}}
@page{size:A4;margin:18mm}
)";

}  // namespace

Result<std::string> RenderGapReportHtml(const ReportInput& input) {
  if (input.catalogue == nullptr || input.assessment == nullptr || input.card == nullptr) {
    return Error::InvalidArgument("gap report: catalogue, assessment and scorecard are required");
  }
  const Catalogue& catalogue = *input.catalogue;
  const Assessment& assessment = *input.assessment;
  const Scorecard& card = *input.card;
  if (card.requirements.size() != catalogue.requirements.size()) {
    return Error::InvalidArgument("gap report: the scorecard was computed with a different catalogue");
  }
  const std::string member = XmlEscape(input.member_name.empty() ? assessment.member : input.member_name);
  std::string html;
  html.reserve(64 * 1024);
  html += "<!DOCTYPE html>\n<html lang=\"da\">\n<head>\n<meta charset=\"utf-8\">\n<title>Minimumskrav – " + member +
          "</title>\n<style>" + std::string(kStyle) + "</style>\n</head>\n<body>\n";
  if (input.synthetic) {
    html +=
        "<p class=\"synthetic\">Syntetiske demodata – ikke en rigtig vurdering. <span lang=\"en\">Synthetic demo "
        "data – not a real assessment.</span></p>\n";
  }
  html += "<h1>Minimumskrav: gaprapport for " + member + "</h1>\n";
  html += "<p class=\"en\" lang=\"en\">Minimum requirements: gap report for " + member + "</p>\n";
  html += "<p class=\"sub\">Organisation " + XmlEscape(assessment.member) + " · vurderet / assessed " +
          DateOnly(assessment.assessed_at) + " · katalog / catalogue " + XmlEscape(catalogue.id) + " " +
          XmlEscape(catalogue.version) + " (" + XmlEscape(catalogue.date) + ")</p>\n";

  // Summary.
  html += "<h2>Samlet score <span class=\"en\" lang=\"en\">Overall score</span></h2>\n";
  html += "<p><span class=\"big\">" + Number(card.overall) + "</span> / 100 &nbsp; " + Bar(card.overall) + "</p>\n";
  html += "<p>Vurderet andel / assessed share: " + Number(card.assessed_share * 100.0) +
          " %. Målte krav / measured requirements: " + std::to_string(card.measured_requirements) +
          ". Gennemsnitlig modenhed / mean maturity: " + Number(card.mean_maturity, "%.1f") + ".</p>\n";
  html +=
      "<table><tr><th>Opfyldt<br><span class=\"en\">Met</span></th><th>Delvist<br><span "
      "class=\"en\">Partly</span></th><th>Ikke opfyldt<br><span class=\"en\">Not met</span></th><th>Ikke "
      "vurderet<br><span class=\"en\">Not assessed</span></th><th>Ikke relevant<br><span class=\"en\">Not "
      "applicable</span></th></tr>\n<tr><td class=\"num\">" +
      std::to_string(card.counts.met) + "</td><td class=\"num\">" + std::to_string(card.counts.partly) +
      "</td><td class=\"num\">" + std::to_string(card.counts.not_met) + "</td><td class=\"num\">" +
      std::to_string(card.counts.not_assessed) + "</td><td class=\"num\">" +
      std::to_string(card.counts.not_applicable) + "</td></tr></table>\n";

  // Comparison.
  if (input.comparison) {
    const Comparison& comparison = *input.comparison;
    html += "<h2>Sammenligning <span class=\"en\" lang=\"en\">Comparison</span></h2>\n";
    html += "<p>Medianer for grupper med mindst " + std::to_string(kMinGroupSize) +
            " medlemmer; mindre grupper vises ikke. <span class=\"en\" lang=\"en\">Medians of groups of at least " +
            std::to_string(kMinGroupSize) + " members; smaller groups are not shown.</span></p>\n";
    html += "<table><tr><th>Gruppe / group</th><th class=\"num\">Median</th></tr>\n";
    html += "<tr><td>" + member + "</td><td class=\"num\">" + Number(card.overall) + "</td></tr>\n";
    html +=
        "<tr><td>Hele landet / national</td><td class=\"num\">" + Number(comparison.national_median) + "</td></tr>\n";
    if (!comparison.region_code.empty()) {
      html += "<tr><td>Region " + XmlEscape(comparison.region_code) + "</td><td class=\"num\">" +
              Number(comparison.region_median) + "</td></tr>\n";
    }
    if (comparison.size_band != "unknown") {
      html += "<tr><td>Samme størrelse / same size (" + XmlEscape(comparison.size_band) + ")</td><td class=\"num\">" +
              Number(comparison.size_band_median) + "</td></tr>\n";
    }
    html += "</table>\n";
  }

  // Disciplines.
  html += "<h2>Discipliner <span class=\"en\" lang=\"en\">Disciplines</span></h2>\n<table>\n";
  html += "<tr><th>Disciplin / discipline</th><th class=\"num\">Score</th><th></th>";
  const bool national = input.comparison && !input.comparison->national_discipline_median.empty();
  if (national) html += "<th class=\"num\">Landsmedian<br><span class=\"en\">National median</span></th>";
  html += "<th class=\"num\">Vurderet<br><span class=\"en\">Assessed</span></th></tr>\n";
  for (std::size_t discipline_idx = 0; discipline_idx < catalogue.disciplines.size(); ++discipline_idx) {
    const Discipline& discipline = catalogue.disciplines[discipline_idx];
    const DisciplineScore& score = card.disciplines[discipline_idx];
    html += "<tr><td>" + XmlEscape(discipline.title.da) + "<br><span class=\"en\" lang=\"en\">" +
            XmlEscape(discipline.title.en) + "</span></td><td class=\"num\">" + Number(score.score) + "</td><td>" +
            Bar(score.score) + "</td>";
    if (national && discipline_idx < input.comparison->national_discipline_median.size()) {
      html += "<td class=\"num\">" + Number(input.comparison->national_discipline_median[discipline_idx]) + "</td>";
    }
    html += "<td class=\"num\">" + Number(score.assessed_share * 100.0) + " %</td></tr>\n";
  }
  html += "</table>\n";

  // NIS2.
  html += "<h2>NIS2 artikel 21, stk. 2 <span class=\"en\" lang=\"en\">NIS2 Article 21(2)</span></h2>\n<table>\n";
  html +=
      "<tr><th>Litra / letter</th><th class=\"num\">Dækning / coverage</th><th></th><th class=\"num\">Krav / "
      "requirements</th><th class=\"num\">Opfyldt / met</th></tr>\n";
  for (const auto& letter : card.nis2) {
    html += "<tr><td>(" + std::string(1, letter.letter) + ") <span class=\"en\" lang=\"en\">" +
            XmlEscape(Nis2LetterSummary(letter.letter)) + "</span></td><td class=\"num\">" + Number(letter.coverage) +
            "</td><td>" + Bar(letter.coverage) + "</td><td class=\"num\">" + std::to_string(letter.requirements) +
            "</td><td class=\"num\">" + std::to_string(letter.met) + "</td></tr>\n";
  }
  html += "</table>\n";

  // Gaps.
  const auto gaps = Gaps(catalogue, assessment, card);
  html += "<h2>Mangler efter prioritet <span class=\"en\" lang=\"en\">Gaps by priority</span></h2>\n";
  html +=
      "<p>Prioritet = vægt × risikoreduktion × manglende andel ÷ indsats. <span class=\"en\" lang=\"en\">Priority "
      "= weight × risk reduction × missing share ÷ effort.</span></p>\n";
  if (gaps.empty()) {
    html += "<p>Ingen mangler. <span class=\"en\" lang=\"en\">No gaps.</span></p>\n";
  } else {
    html +=
        "<table>\n<tr><th>#</th><th>Krav / requirement</th><th>Status</th><th>Grundlag<br><span "
        "class=\"en\">Basis</span></th><th class=\"num\">Prioritet</th><th>Ejer / owner</th><th>Frist / "
        "due</th></tr>\n";
    for (std::size_t gap_idx = 0; gap_idx < gaps.size() && static_cast<int>(gap_idx) < input.max_gaps; ++gap_idx) {
      const Gap& gap = gaps[gap_idx];
      const Requirement& requirement = catalogue.requirements[gap.requirement_idx];
      const std::string status_class(ReqStatusName(gap.effective.status));
      html += "<tr><td>" + std::to_string(gap_idx + 1) + "</td><td><b>" + XmlEscape(requirement.id) + "</b> " +
              XmlEscape(requirement.title.da) + "<br><span class=\"en\" lang=\"en\">" +
              XmlEscape(requirement.title.en) + "</span></td><td class=\"" + status_class + "\">" +
              std::string(StatusDa(gap.effective.status)) + "<br><span class=\"en\">" +
              std::string(StatusEn(gap.effective.status)) + "</span></td><td>" +
              std::string(BasisDa(gap.effective.basis)) + "</td><td class=\"num\">" + Number(gap.priority, "%.1f") +
              "</td><td>" + XmlEscape(gap.owner) + "</td><td>" + (gap.due ? DateOnly(*gap.due) : std::string("–")) +
              "</td></tr>\n";
    }
    html += "</table>\n";
    if (static_cast<int>(gaps.size()) > input.max_gaps) {
      html += "<p>… og " + std::to_string(gaps.size() - static_cast<std::size_t>(input.max_gaps)) +
              " mangler mere. <span class=\"en\" lang=\"en\">… and " +
              std::to_string(gaps.size() - static_cast<std::size_t>(input.max_gaps)) + " more gaps.</span></p>\n";
    }
  }

  // Evidence freshness.
  int expired = 0;
  int measured = 0;
  for (const auto& score : card.requirements) {
    if (score.has_expired_evidence) ++expired;
    if (score.has_measured) ++measured;
  }
  html += "<h2>Beviser <span class=\"en\" lang=\"en\">Evidence</span></h2>\n";
  html += "<p>Krav med målte beviser: " + std::to_string(measured) +
          "; heraf aktuelle: " + std::to_string(card.measured_requirements) +
          ". Krav med udløbne beviser: " + std::to_string(expired) +
          ". <span class=\"en\" lang=\"en\">Requirements with measured evidence: " + std::to_string(measured) +
          "; current: " + std::to_string(card.measured_requirements) +
          ". Requirements with expired evidence: " + std::to_string(expired) + ".</span></p>\n";

  // History.
  if (!input.history.empty()) {
    html +=
        "<h2>Udvikling <span class=\"en\" lang=\"en\">History</span></h2>\n<table>\n<tr><th>Dato / "
        "date</th><th class=\"num\">Score</th><th></th><th class=\"num\">Vurderet / assessed</th></tr>\n";
    for (const auto& point : input.history) {
      html += "<tr><td>" + DateOnly(point.at) + "</td><td class=\"num\">" + Number(point.overall) + "</td><td>" +
              Bar(point.overall) + "</td><td class=\"num\">" + Number(point.assessed_share * 100.0) + " %</td></tr>\n";
    }
    html += "</table>\n";
  }

  html += "<h2>Sådan beregnes scoren <span class=\"en\" lang=\"en\">How the score is computed</span></h2>\n";
  html +=
      "<p>Opfyldt tæller 1, delvist 0,5, ikke opfyldt og ikke vurderet 0; ikke relevante krav udelades. Scoren er "
      "det vægtede gennemsnit × 100. Udløbne målinger nedgraderer status ét trin. <span class=\"en\" "
      "lang=\"en\">Met counts 1, partly 0.5, not met and not assessed 0; not applicable requirements are left "
      "out. The score is the weighted mean × 100. Expired measurements downgrade the status one step.</span></p>\n";
  html += "</body>\n</html>\n";
  return html;
}

}  // namespace dv::baseline
