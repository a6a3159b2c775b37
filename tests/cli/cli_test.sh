#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The command line as a user meets it.
# Usage: cli_test.sh PATH/TO/dannevirke SOURCE_DIR [SHARED_DIR]
set -uo pipefail
bin=$1
src=${2:-.}
shared=${3:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
check() {  # check DESCRIPTION CONDITION...
  local what=$1
  shift
  if "$@"; then echo "ok: $what"; else echo "FAIL: $what"; failures=$((failures + 1)); fi
}

"$bin" --version >"$tmp/version" 2>&1
check "--version prints the version" grep -Eq '^dannevirke [0-9]+\.[0-9]+\.[0-9]+$' "$tmp/version"
for cmd in demo hub federation "federation check" "federation load" scan sigma "sigma check" "sigma compile"; do
  # shellcheck disable=SC2086
  "$bin" $cmd --help >"$tmp/help" 2>&1
  check "'$cmd --help' explains itself" grep -q "Usage: dannevirke" "$tmp/help"
done
"$bin" >"$tmp/none" 2>&1
check "no sub-command is a usage error (exit 2)" test $? -eq 2
"$bin" hub --port 8080 >"$tmp/nodb" 2>&1
check "hub without --db says --db is required" grep -q -- "--db" "$tmp/nodb"

"$bin" federation check --json >"$tmp/check.json"
check "federation check: 98 municipalities" grep -q '"municipality":98' "$tmp/check.json"
check "federation check: 5 regions" grep -q '"region":5' "$tmp/check.json"

mkdir -p "$tmp/bad"
printf 'code,name,region_code,population\n0101,København,1084,lots\n' >"$tmp/bad/municipalities.csv"
echo '[]' >"$tmp/bad/organisations.json"
echo '{}' >"$tmp/bad/dependencies.json"
"$bin" federation check --dir "$tmp/bad" >"$tmp/bad.out" 2>&1
status=$?
check "bad federation file fails with exit 1" test "$status" -eq 1
check "bad federation file names file, line and field" grep -q "municipalities.csv:2: field 'population'" "$tmp/bad.out"

"$bin" federation load --db "sqlite:$tmp/fed.db" --json >"$tmp/load1.json"
"$bin" federation load --db "sqlite:$tmp/fed.db" --json >"$tmp/load2.json"
check "federation load twice gives the same result" cmp -s "$tmp/load1.json" "$tmp/load2.json"

"$bin" demo --db "sqlite:$tmp/demo.db" --port 0 --port-file "$tmp/port" --quiet >"$tmp/demo.out" 2>&1 &
pid=$!
# Generous: seeding the demo takes about 6 s under the sanitizers on an idle machine.
for _ in $(seq 1 300); do [[ -s $tmp/port ]] && break; sleep 0.1; done
check "demo writes its port" test -s "$tmp/port"
check "demo prints where to look" grep -q "Dashboard:  http://127.0.0.1:" "$tmp/demo.out"
for _ in $(seq 1 100); do grep -q "reported 3 sightings" "$tmp/demo.out" && break; sleep 0.1; done
check "demo: Aarhus publishes indicators over TAXII" grep -q "0751-soc (Aarhus) published 3 indicators" "$tmp/demo.out"
check "demo: Copenhagen's sensor reports sightings" grep -q "0101-sensor (København) read 6 log events and reported 3 sightings" "$tmp/demo.out"
# One member's detection protects another: Aarhus's shared domain, sighted by
# Copenhagen's sensor, is a blocking entry of Copenhagen's RPZ zone (the demo
# seeds Copenhagen an enforcing profile that trusts Aarhus).
demo_token=$(sed -n 's/.*"0101-soc": "\(dvt_[0-9a-f]*\)".*/\1/p' "$tmp/demo.tokens.json")
curl -s -H "Authorization: Bearer $demo_token" "http://127.0.0.1:$(cat "$tmp/port")/api/v1/protection/members/0101/rpz" \
  >"$tmp/demo.rpz"
check "demo: Copenhagen's zone blocks the domain Aarhus shared" \
  grep -qx 'login-mitid-support.example CNAME \.' "$tmp/demo.rpz"
check "demo: the demo prints how to fetch Copenhagen's zone" grep -q "api/v1/protection/members/0101/rpz" "$tmp/demo.out"
for _ in $(seq 1 50); do grep -q "resolver feed" "$tmp/demo.out" && break; sleep 0.1; done
check "demo: says what Copenhagen's resolver feed blocks" \
  grep -q "København's resolver feed (serial [0-9]*) blocks login-mitid-support.example" "$tmp/demo.out"
kill -INT "$pid"
wait "$pid"
status=$?
check "demo stops cleanly on Ctrl-C (exit 0)" test "$status" -eq 0
check "demo says it stopped" grep -q "Stopped cleanly" "$tmp/demo.out"

# TLS: plain HTTP only on loopback; HTTPS with a configured certificate.
"$bin" hub --db "sqlite:$tmp/tls.db" --bind 0.0.0.0 --port 0 >"$tmp/plain.out" 2>&1
check "hub refuses plain HTTP on a non-loopback address" grep -q "plain HTTP is only for localhost" "$tmp/plain.out"
if command -v openssl >/dev/null; then
  openssl req -x509 -newkey rsa:2048 -nodes -keyout "$tmp/key.pem" -out "$tmp/cert.pem" -days 1 \
    -subj "/CN=localhost" >/dev/null 2>&1
  "$bin" hub --db "sqlite:$tmp/tls.db" --port 0 --port-file "$tmp/tls.port" --tls-cert "$tmp/cert.pem" \
    --tls-key "$tmp/key.pem" --quiet >"$tmp/tls.out" 2>&1 &
  tls_pid=$!
  for _ in $(seq 1 100); do [[ -s $tmp/tls.port ]] && break; sleep 0.1; done
  curl -sk "https://127.0.0.1:$(cat "$tmp/tls.port")/healthz" >"$tmp/tls.health" 2>&1
  check "hub serves HTTPS with a configured certificate" grep -q '"status":"ok"' "$tmp/tls.health"
  kill -TERM "$tls_pid"
  wait "$tls_pid"
  "$bin" hub --db "sqlite:$tmp/tls.db" --port 0 --tls-cert "$tmp/missing.pem" --tls-key "$tmp/key.pem" \
    >"$tmp/tls_bad.out" 2>&1
  check "hub names an unusable certificate" grep -q "missing.pem" "$tmp/tls_bad.out"
fi

# Sigma rules: check, compile, and scan exit codes.
"$bin" sigma check "$src"/tests/detect/*/rules.yml >"$tmp/check.out" 2>&1
check "sigma check accepts the project's rule fixtures" test $? -eq 0
mkdir -p "$tmp/rules"
printf 'title: broken\nlogsource: {product: windows}\ndetection:\n  sel:\n    Image|endswit: x\n  condition: sel\n' \
  >"$tmp/rules/broken.yml"
"$bin" sigma check "$tmp/rules" >"$tmp/check_bad.out" 2>&1
status=$?
check "sigma check fails (exit 1) on a broken rule" test "$status" -eq 1
check "sigma check names file, line and reason" grep -q "broken.yml:5: unknown value modifier 'endswit'" "$tmp/check_bad.out"
"$bin" sigma check --json "$tmp/rules" >"$tmp/check.json" 2>&1
check "sigma check --json reports the error" grep -q '"errors": 1' "$tmp/check.json"
"$bin" sigma compile "$src/tests/detect/conditions/rules.yml" --rule "Parentheses" >"$tmp/compile.out" 2>&1
check "sigma compile explains the condition" grep -q "condition: ((a or b) and not c)" "$tmp/compile.out"
check "sigma compile shows the routing" grep -q "routed from: process_creation" "$tmp/compile.out"
"$bin" scan -q --no-summary --fail-on-match -r "$src/tests/scan/formats/rules.yml" "$src/tests/scan/formats/logs/auth.log" \
  >"$tmp/scan.out" 2>&1
check "scan --fail-on-match exits 3 when alerts are found" test $? -eq 3
check "scan prints a readable timeline" grep -q "SSH brute force from one address \[3 events\]" "$tmp/scan.out"
"$bin" scan -q -r "$src/tests/scan/formats/rules.yml" "$tmp/does-not-exist" >"$tmp/scan_missing.out" 2>&1
check "scan of a missing path fails with exit 1 and names it" test $? -eq 1
check "scan names the missing path" grep -q "does-not-exist" "$tmp/scan_missing.out"
printf '<134>1 2026-11-26T10:01:00Z h payroll 1 - - login failed for x\n' | "$bin" scan -q --no-summary --json \
  -r "$src/tests/scan/formats/rules.yml" - >"$tmp/stdin.out" 2>&1
check "scan reads stdin" grep -q '"origin":"stdin:1"' "$tmp/stdin.out"
# The parsed rules of a folder and the compiled prefilter are kept between
# runs, and a run from the cache finds the same.
mkdir -p "$tmp/rule_folder/sub"
cp "$src/tests/scan/formats/rules.yml" "$tmp/rule_folder/sub/"
for run in cold warm; do
  XDG_CACHE_HOME="$tmp/xdg" "$bin" scan -q --no-summary --json -r "$tmp/rule_folder" \
    "$src/tests/scan/formats/logs" >"$tmp/cache_$run.out" 2>&1
done
has_files() { compgen -G "$1" >/dev/null; }
check "scan keeps its compiled prefilter under \$XDG_CACHE_HOME/dannevirke/prefilter" \
  has_files "$tmp/xdg/dannevirke/prefilter/prefilter-*.hsdb"
check "scan keeps a rule folder's parsed documents under \$XDG_CACHE_HOME/dannevirke/rules" \
  has_files "$tmp/xdg/dannevirke/rules/documents-*.rules"
check "the rule cache is the user's alone (0700)" test "$(stat -c %a "$tmp/xdg/dannevirke/rules")" = 700
check "the prefilter cache is the user's alone (0700)" test "$(stat -c %a "$tmp/xdg/dannevirke/prefilter")" = 700
check "a scan from the cache gives the same alerts" cmp -s "$tmp/cache_cold.out" "$tmp/cache_warm.out"
check "a scan from the cache found alerts" grep -q '"rule_id"' "$tmp/cache_warm.out"
"$bin" scan -q --no-summary --cache "$tmp/own" -r "$src/tests/scan/formats/rules.yml" "$src/tests/scan/formats/logs" \
  >/dev/null 2>&1
check "scan --cache DIR keeps the prefilter in DIR" has_files "$tmp/own/prefilter/prefilter-*.hsdb"
XDG_CACHE_HOME="$tmp/xdg-unused" "$bin" scan -q --no-summary --no-cache -r "$src/tests/scan/formats/rules.yml" \
  "$src/tests/scan/formats/logs" >/dev/null 2>&1
check "scan --no-cache keeps nothing" test ! -e "$tmp/xdg-unused"

# Sharing Sigma rules through the hub: publish as STIX indicators, read them back over TAXII.
mkdir -p "$tmp/share"
cat >"$tmp/share/certutil.yml" <<'RULE'
title: Certutil download
id: 6c1f3a2e-8d4b-4f0a-9c1e-2b7d5e4f3a10
date: 2025/03/07
logsource:
  category: process_creation
  product: windows
detection:
  selection:
    Image|endswith: '\certutil.exe'
  condition: selection
RULE
printf 'title: broken\n' >"$tmp/share/broken.yml"
"$bin" hub --db "sqlite:$tmp/share.db" --seed-demo --port 0 --port-file "$tmp/share.port" \
  --token-file "$tmp/share.tokens" --quiet >"$tmp/share.hub" 2>&1 &
share_pid=$!
for _ in $(seq 1 300); do [[ -s $tmp/share.port ]] && break; sleep 0.1; done
share_url="http://127.0.0.1:$(cat "$tmp/share.port")"
token_of() { python3 -c "import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])" "$tmp/share.tokens" "$1"; }
national=9441b7ab-2adf-5ef8-a96b-80b8bafbb85e
"$bin" sigma publish --hub "$share_url" --collection "$national" --token "$(token_of 0751-soc)" --org 0751 \
  "$tmp/share" >"$tmp/publish.out" 2>&1
check "sigma publish exits 1 when a rule file is refused" test $? -eq 1
check "sigma publish names the refused file" grep -q "broken.yml:1:" "$tmp/publish.out"
check "sigma publish stores the good rule" grep -q "^1 rules stored" "$tmp/publish.out"
curl -s -H "Authorization: Bearer $(token_of 0101-sensor)" -H "Accept: application/taxii+json;version=2.1" \
  "$share_url/taxii2/dannevirke/collections/$national/objects/?match%5Btype%5D=indicator" >"$tmp/pulled.json"
check "a sensor reads the rule back as a sigma indicator" \
  grep -q '"id":"indicator--6c1f3a2e-8d4b-4f0a-9c1e-2b7d5e4f3a10".*"pattern_type":"sigma"' "$tmp/pulled.json"
rm "$tmp/share/broken.yml"
"$bin" sigma publish --hub "$share_url" --collection "$national" --token "$(token_of 0751-soc)" "$tmp/share" \
  >"$tmp/publish2.out" 2>&1
check "publishing the same rule again succeeds" test $? -eq 0
curl -s -H "Authorization: Bearer $(token_of 0101-sensor)" -H "Accept: application/taxii+json;version=2.1" \
  "$share_url/taxii2/dannevirke/collections/$national/objects/indicator--6c1f3a2e-8d4b-4f0a-9c1e-2b7d5e4f3a10/versions/" \
  >"$tmp/versions.json"
check "an unchanged rule stays one version at the hub" python3 -c \
  "import json,sys; sys.exit(len(json.load(open('$tmp/versions.json'))['versions']) != 1)"
# The demo's register and outside report (issue 15): every organisation registered, an
# illustrative report routed to several members and one blind spot left for the coordinator.
curl -s -H "Authorization: Bearer $(token_of cfcs-analyst)" "$share_url/api/v1/notices/reports" >"$tmp/reports.json"
check "the demo report routes rows to at least five members and leaves one blind spot" python3 -c "
import json,sys
r = json.load(open('$tmp/reports.json'))['reports'][0]
sys.exit(not (len(r['members']) >= 5 and r['blind_spots'] == 1 and r['rejected'] == 0))"
curl -s -H "Authorization: Bearer $(token_of cfcs-analyst)" "$share_url/api/v1/register/coverage" >"$tmp/coverage.json"
check "every demo organisation has registered its presence" python3 -c "
import json,sys
c = json.load(open('$tmp/coverage.json'))
sys.exit(not (c['registered'] == c['organisations'] and c['with_proven_domain'] == c['organisations']))"
curl -s -H "Authorization: Bearer $(token_of 0101-soc)" "$share_url/api/v1/notices/members/0101" >"$tmp/kbh.json"
check "Copenhagen reads its own demo notice" grep -q '"tlp":"amber"' "$tmp/kbh.json"
check "Copenhagen cannot read Aarhus's notices" test "$(curl -s -o /dev/null -w '%{http_code}' \
  -H "Authorization: Bearer $(token_of 0101-soc)" "$share_url/api/v1/notices/members/0751")" = 403
# The demo's duty chain (issue 16): Copenhagen's SOC is on duty, and the demo's high outside
# report about Copenhagen became a routed notification (not delivered: the demo has no mail server).
curl -s -H "Authorization: Bearer $(token_of 0101-soc)" "$share_url/api/v1/duty/members/0101/on-duty" >"$tmp/onduty.json"
check "Copenhagen's SOC is on duty in the demo" grep -q '"soc"' "$tmp/onduty.json"
for _ in $(seq 1 50); do
  curl -s -H "Authorization: Bearer $(token_of 0101-soc)" "$share_url/api/v1/duty/members/0101/notifications" \
    >"$tmp/duty.json"
  grep -q '"outside_report"' "$tmp/duty.json" && grep -q '"deliveries":\[{' "$tmp/duty.json" && break
  sleep 0.2
done
check "the demo outside report woke Copenhagen's duty chain" python3 -c "
import json,sys
n = [x for x in json.load(open('$tmp/duty.json'))['notifications'] if x['event']['kind'] == 'outside_report']
sys.exit(not (n and n[0]['routed'] and n[0]['deliveries'] and not n[0]['deliveries'][0]['ok']))"
kill "$share_pid" && wait "$share_pid" 2>/dev/null

# The public SigmaHQ rules over the real EVTX samples, when the reference material is present.
if [[ -d $shared/sigma/rules && -d $shared/evtx ]]; then
  "$bin" scan -q --json -r "$shared/sigma/rules/windows" "$shared/evtx" >"$tmp/evtx.jsonl" 2>"$tmp/evtx.err"
  check "SigmaHQ over the EVTX samples: scan succeeds" test $? -eq 0
  check "SigmaHQ over the EVTX samples: no bad records" bash -c "! grep -q 'bad records' '$tmp/evtx.err'"
  check "SigmaHQ over the EVTX samples: Mimikatz is found" grep -q 'Mimikatz' "$tmp/evtx.jsonl"
  check "SigmaHQ over the EVTX samples: over 1000 alerts" test "$(wc -l <"$tmp/evtx.jsonl")" -gt 1000
else
  echo "skip: reference SigmaHQ rules or EVTX samples not present"
fi

echo "$failures failed"
exit $((failures > 0))
