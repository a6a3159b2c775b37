#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The analyst commands as a user meets them: risk, exposure and baseline.
# Usage: analyst_test.sh PATH/TO/dannevirke SOURCE_DIR [SHARED_DIR]
# Checks on the Zyxel scenario are skipped when SHARED_DIR lacks its files.
set -uo pipefail
bin=$1
src=${2:-.}
shared=${3:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export TZ=UTC
failures=0
check() {  # check DESCRIPTION CONDITION...
  local what=$1
  shift
  if "$@"; then echo "ok: $what"; else echo "FAIL: $what"; failures=$((failures + 1)); fi
}
# json FILE EXPRESSION: true when the Python expression over `d` (the parsed file) holds.
json() {
  python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); sys.exit(0 if eval("(" + sys.argv[2] + ")") else 1)' "$1" "$2"
}

for cmd in risk "risk weakest" "risk simulate" "risk plan" "risk export" exposure baseline "baseline catalogue" \
  "baseline score" "baseline report" "baseline import-xccdf"; do
  # shellcheck disable=SC2086
  "$bin" $cmd --help >"$tmp/help" 2>&1
  check "'$cmd --help' explains itself" grep -q "Usage: dannevirke" "$tmp/help"
done

# ---- risk ----
"$bin" risk weakest --json >"$tmp/weakest.json"
check "risk weakest: exit 0" test $? -eq 0
check "risk weakest: 10 nodes with score intervals" json "$tmp/weakest.json" \
  'len(d["ranking"]) == 10 and all(r["score"]["low"] <= r["score"]["mean"] <= r["score"]["high"] for r in d["ranking"])'
check "risk weakest: a large supplier or shared system in the top 5" json "$tmp/weakest.json" \
  'any(r["kind"] in ("supplier", "shared_system") and r["code"] in ("KMD", "NETCOMPANY", "CPR", "NEMLOGIN", "MSDK")
       for r in d["ranking"][:5])'
check "risk weakest: every entry has a reason, and there are cut points" json "$tmp/weakest.json" \
  'all(r["reason"] for r in d["ranking"]) and d["cut_nodes"] and d["cut_edges"]'
"$bin" risk weakest --top 3 >"$tmp/weakest.txt"
check "risk weakest: human output ranks and names cut points" \
  bash -c "grep -q '^3\. ' '$tmp/weakest.txt' && ! grep -q '^4\. ' '$tmp/weakest.txt' && grep -q 'Cut points' '$tmp/weakest.txt'"

"$bin" federation load --db "sqlite:$tmp/fed.db" >/dev/null
"$bin" risk weakest --db "sqlite:$tmp/fed.db" --json --top 3 >"$tmp/weakest_db.json"
"$bin" risk weakest --json --top 3 >"$tmp/weakest_demo.json"
check "risk weakest --db: the loaded federation gives the demo's ranking" json "$tmp/weakest_db.json" \
  "d['nodes'] == 167 and [r['code'] for r in d['ranking']] == \
   [r['code'] for r in json.load(open('$tmp/weakest_demo.json'))['ranking']]"
"$bin" risk weakest --db "sqlite:$tmp/empty.db" >"$tmp/empty.out" 2>&1
check "risk weakest on an empty database fails with exit 1" test $? -eq 1
check "risk weakest on an empty database says it holds no organisations" grep -q "holds no organisations" "$tmp/empty.out"

"$bin" risk simulate --from KMD --runs 2000 --seed 1 >"$tmp/sim1.txt"
"$bin" risk simulate --from KMD --runs 2000 --seed 1 >"$tmp/sim2.txt"
check "risk simulate --from KMD is deterministic" cmp -s "$tmp/sim1.txt" "$tmp/sim2.txt"
check "risk simulate prints VaR and CVaR" grep -q "CVaR99" "$tmp/sim1.txt"
"$bin" risk simulate --from KMD --runs 2000 --seed 1 --json >"$tmp/sim.json"
check "risk simulate --json: members, population and critical services with intervals, and the tail" json \
  "$tmp/sim.json" 'd["members_hit"]["low"] <= d["members_hit"]["mean"] <= d["members_hit"]["high"]
   and d["members_hit"]["mean"] > 10 and d["population_affected"]["mean"] > 0 and "critical_hit" in d
   and d["population_tail"]["cvar99"] >= d["population_tail"]["var99"] >= d["population_tail"]["var95"]'
"$bin" risk simulate --threat-picture --crime low --espionage low --activism none --destructive none --runs 2000 \
  --json >"$tmp/sim_low.json"
"$bin" risk simulate --threat-picture --runs 2000 --json >"$tmp/sim_default.json"
check "risk simulate: a lower threat picture hits fewer members" json "$tmp/sim_low.json" \
  "d['members_hit']['mean'] < json.load(open('$tmp/sim_default.json'))['members_hit']['mean']"
"$bin" risk simulate --random --model threshold --runs 500 --json >"$tmp/sim_lt.json"
check "risk simulate --random --model threshold runs" json "$tmp/sim_lt.json" 'd["members_hit"]["mean"] >= 1'
"$bin" risk simulate --from NOPE --runs 10 >"$tmp/nope.out" 2>&1
check "risk simulate --from an unknown code fails with exit 1" test $? -eq 1
check "risk simulate names the unknown organisation" grep -q "unknown seed organisation 'NOPE'" "$tmp/nope.out"
"$bin" risk simulate --runs 10 >"$tmp/noscenario.out" 2>&1
check "risk simulate without a scenario is bad usage (exit 2)" test $? -eq 2
"$bin" risk simulate --random --crime extreme >"$tmp/badlevel.out" 2>&1
check "risk simulate refuses an unknown threat level" test $? -ne 0
check "the refusal names the option" grep -q -- "--crime" "$tmp/badlevel.out"

"$bin" risk plan --budget 50000000 --json >"$tmp/plan.json"
check "risk plan: greedy first, harm below every baseline's" json "$tmp/plan.json" \
  'd["strategies"][0]["strategy"] == "greedy" and len(d["strategies"]) == 4 and
   all(d["strategies"][0]["simulated_harm"]["mean"] < s["simulated_harm"]["mean"] for s in d["strategies"][1:])'
check "risk plan: spends within the budget and draws the curve" json "$tmp/plan.json" \
  'all(s["spent_kr"] <= 50000000 for s in d["strategies"]) and len(d["strategies"][0]["curve"]) == 11'
"$bin" risk plan --budget lots >"$tmp/budget.out" 2>&1
check "risk plan --budget lots fails with exit 1" test $? -eq 1
check "risk plan names the bad budget" grep -q -- "--budget 'lots'" "$tmp/budget.out"
"$bin" risk plan --budget -5 >"$tmp/budget2.out" 2>&1
check "risk plan refuses a negative budget" test $? -eq 1

"$bin" risk export --format json >"$tmp/graph.json"
check "risk export --format json: the graph with probabilities" json "$tmp/graph.json" \
  'd["format"] == "dannevirke-risk-graph" and len(d["nodes"]) == 167 and "probability" in d["edges"][0]'
"$bin" risk export --format graphml >"$tmp/graph.graphml"
check "risk export --format graphml: GraphML with 167 nodes" \
  bash -c "grep -q '<graphml' '$tmp/graph.graphml' && test \$(grep -c '<node ' '$tmp/graph.graphml') -eq 167"

# ---- exposure ----
scenario=$shared/data/vuln/zyxel-scenario
assets=$src/src/vuln/testdata/zyxel-assets.csv
if [[ -n $shared && -f $scenario/nvd-CVE-2023-28771.json ]]; then
  feeds=("$scenario"/nvd-CVE-2023-28771.json "$scenario"/cve5-CVE-2023-28771.json "$scenario"/kev-zyxel.json
    "$scenario"/epss-CVE-2023-28771-changepoints.csv)
  "$bin" exposure --feeds "${feeds[@]}" --assets "$assets" --json >"$tmp/exposure.json" 2>"$tmp/exposure.err"
  check "exposure: exit 0" test $? -eq 0
  check "exposure: exactly ENERGINET, FJVFYN and 0751 open, BIOFOS needs review" json "$tmp/exposure.json" \
    'sorted((f["member"], f["status"]) for f in d["findings"]) ==
     [("0751", "open"), ("BIOFOS", "needs_review"), ("ENERGINET", "open"), ("FJVFYN", "open")]'
  check "exposure: findings say why, are in KEV and due 2023-06-21" json "$tmp/exposure.json" \
    'all(f["kev"] and f["due"] == "2023-06-21" and "(>= 4.60, < 5.36)" in f["why"] + f["criterion"] or
         f["member"] == "FJVFYN" for f in d["findings"])'
  check "exposure: blind spots are 1084 and SEKTORCERT" json "$tmp/exposure.json" \
    'sorted(b["member"] for b in d["blind_spots"]) == ["1084", "SEKTORCERT"]'
  check "exposure: the match time goes to stderr" grep -q "matched 1 vulnerability in" "$tmp/exposure.err"
  "$bin" exposure --feeds "${feeds[@]}" --assets "$assets" --cve CVE-2023-28771 --member 0751 \
    >"$tmp/exposure.txt" 2>/dev/null
  check "exposure --member 0751: one open finding with its due date" \
    bash -c "grep -q '^1 findings' '$tmp/exposure.txt' && grep -q 'CVE-2023-28771  open' '$tmp/exposure.txt' &&
             grep -q 'due: *2023-06-21' '$tmp/exposure.txt'"
  "$bin" exposure --feeds "${feeds[@]}" --assets "$assets" --cve CVE-2099-0001 >"$tmp/nocve.out" 2>&1
  check "exposure --cve not in the feeds fails with exit 1 and names it" \
    bash -c "test $? -eq 1 && grep -q 'CVE-2099-0001 is not in the given feeds' '$tmp/nocve.out'"
  "$bin" exposure --feeds "${feeds[@]}" --assets "$assets" --member NOPE >"$tmp/nomember.out" 2>&1
  check "exposure --member without assets fails with exit 1 and names it" \
    bash -c "test $? -eq 1 && grep -q \"member 'NOPE'\" '$tmp/nomember.out'"
else
  echo "skip: exposure on the Zyxel scenario (no $scenario)"
fi
"$bin" exposure --feeds "$tmp/missing-feed.json" --assets "$assets" >"$tmp/nofeed.out" 2>&1
check "exposure with a missing feed fails with exit 1" test $? -eq 1
check "exposure names the missing feed" grep -q "missing-feed.json" "$tmp/nofeed.out"

# ---- baseline ----
"$bin" baseline catalogue >"$tmp/catalogue.txt"
check "baseline catalogue lists requirements per discipline" \
  bash -c "grep -q '^GOV ' '$tmp/catalogue.txt' && grep -q 'DV-GOV-01' '$tmp/catalogue.txt'"
"$bin" baseline catalogue --json >"$tmp/catalogue.json"
check "baseline catalogue --json: every requirement once" json "$tmp/catalogue.json" \
  'sum(len(x["requirements"]) for x in d["disciplines"]) == d["requirements"] > 0'
"$bin" baseline catalogue --oscal >"$tmp/oscal.json"
check "baseline catalogue --oscal: an OSCAL catalog" json "$tmp/oscal.json" \
  'd["catalog"]["metadata"]["oscal-version"].startswith("1.1") and len(d["catalog"]["groups"]) > 0'

cat >"$tmp/assessment.json" <<'EOF'
{"format": "dannevirke-baseline-assessment/1", "member": "0101", "catalogue_version": "2025.1",
 "assessed_at": "2025-03-01", "assessor": "ciso@example.dk",
 "requirements": [
   {"id": "DV-GOV-01", "status": "met", "maturity": 4},
   {"id": "DV-GOV-03", "status": "partly", "maturity": 3, "owner": "Driftschef", "due": "2025-09-30"},
   {"id": "DV-AST-01", "status": "not_met", "maturity": 1}]}
EOF
"$bin" baseline score --assessment "$tmp/assessment.json" --json >"$tmp/score.json"
check "baseline score --json: overall, disciplines, NIS2 letters a–j and gaps" json "$tmp/score.json" \
  'd["member"] == "0101" and 0 < d["overall"] < 100 and d["counts"]["met"] == 1 and len(d["nis2"]) == 10
   and len(d["top_gaps"]) == 10 and any(x["discipline"] == "GOV" and x["score"] > 0 for x in d["disciplines"])'
"$bin" baseline score --assessment "$tmp/assessment.json" >"$tmp/score.txt"
check "baseline score prints NIS2 coverage and top gaps" \
  bash -c "grep -q 'NIS2 Article 21(2) coverage' '$tmp/score.txt' && grep -q 'Top gaps' '$tmp/score.txt'"
sed 's/"maturity": 1/"maturity": 7/' "$tmp/assessment.json" >"$tmp/bad_assessment.json"
"$bin" baseline score --assessment "$tmp/bad_assessment.json" >"$tmp/bad_score.out" 2>&1
check "baseline score refuses a bad assessment with exit 1" test $? -eq 1
check "the refusal names the place" grep -q "(DV-AST-01).maturity: 7 is out of range" "$tmp/bad_score.out"
"$bin" baseline score --assessment "$tmp/missing.json" >"$tmp/missing.out" 2>&1
check "baseline score with a missing file fails with exit 1 and names it" \
  bash -c "test $? -eq 1 && grep -q 'missing.json' '$tmp/missing.out'"

"$bin" baseline report --member 0101 --out "$tmp/x.html" 2>"$tmp/report.err"
check "baseline report --member 0101: exit 0" test $? -eq 0
check "baseline report writes HTML that names København" \
  bash -c "grep -qi '<!doctype html' '$tmp/x.html' && grep -q 'København' '$tmp/x.html'"
check "baseline report marks demo data as synthetic" grep -q "Syntetiske demodata" "$tmp/x.html"
"$bin" baseline report --member 0101 --assessment "$tmp/assessment.json" >"$tmp/own.html"
check "baseline report --assessment prints the member's own report" grep -q "København" "$tmp/own.html"
"$bin" baseline report --member 9999 --out "$tmp/none.html" >"$tmp/unknown.out" 2>&1
check "baseline report for an unknown member fails with exit 1 and names it" \
  bash -c "test $? -eq 1 && grep -q \"unknown member '9999'\" '$tmp/unknown.out'"
check "baseline report for an unknown member writes nothing" test ! -e "$tmp/none.html"
"$bin" baseline report --member 0751 --assessment "$tmp/assessment.json" >"$tmp/mismatch.out" 2>&1
check "baseline report refuses another member's assessment" test $? -eq 1

cat >"$tmp/results.xml" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<Benchmark xmlns="http://checklists.nist.gov/xccdf/1.2" id="xccdf_org.ssgproject.content_benchmark_DEBIAN12">
  <TestResult id="xccdf_org.open-scap_testresult_standard" start-time="2025-02-27T09:58:00" end-time="2025-02-27T10:00:00">
    <target>fileserver-01.kommune.dk</target>
    <rule-result idref="xccdf_org.ssgproject.content_rule_service_firewalld_enabled"><result>pass</result></rule-result>
    <rule-result idref="xccdf_org.ssgproject.content_rule_nftables_ensure_default_deny_policy"><result>fail</result></rule-result>
    <rule-result idref="xccdf_org.ssgproject.content_rule_banner_etc_issue"><result>pass</result></rule-result>
    <rule-result idref="xccdf_org.ssgproject.content_rule_chronyd_specify_remote_server"><result>notapplicable</result></rule-result>
  </TestResult>
</Benchmark>
EOF
"$bin" baseline import-xccdf --results "$tmp/results.xml" --member 0101 --json >"$tmp/xccdf.json"
check "baseline import-xccdf: firewall rules give partial evidence for DV-DEV-03" json "$tmp/xccdf.json" \
  'd["member"] == "0101" and d["rule_results"] == 4 and d["ignored"] == 1 and d["unmapped"] == 1 and
   any(e["requirement_id"] == "DV-DEV-03" and e["result"] == "partial" and e["kind"] == "measured"
       for e in d["evidence"])'
echo '<Benchmark>' >"$tmp/broken.xml"
"$bin" baseline import-xccdf --results "$tmp/broken.xml" --member 0101 >"$tmp/broken.out" 2>&1
check "baseline import-xccdf refuses malformed XML with exit 1 and its line" \
  bash -c "test $? -eq 1 && grep -q 'broken.xml:2' '$tmp/broken.out'"

echo "$failures failed"
[[ $failures -eq 0 ]]
