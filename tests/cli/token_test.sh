#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Token and member lifecycle from the command line, against a real database
# and a real hub (docs/security.md, "Tokens and members"): create, list,
# revoke, rotate, expiry, disable, a move to another organisation, remove;
# bad usage; the sensor's refusal of plain HTTP to a remote hub; and the
# demo's token file.
# Usage: token_test.sh PATH/TO/dannevirke
set -uo pipefail
bin=$1
tmp=$(mktemp -d)
hub_pid=
cleanup() {
  [[ -n $hub_pid ]] && kill "$hub_pid" 2>/dev/null && wait "$hub_pid" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT
failures=0
check() {  # check DESCRIPTION CONDITION...
  local what=$1
  shift
  if "$@"; then echo "ok: $what"; else echo "FAIL: $what"; failures=$((failures + 1)); fi
}
json() {  # json FILE PYTHON-EXPRESSION-ON-d
  python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($2)" "$1"
}
db="sqlite:$tmp/hub.db"

"$bin" federation load --db "$db" >/dev/null 2>&1
"$bin" member add --db "$db" --id kbh-soc --org 0101 --name "Københavns SOC" >/dev/null
"$bin" member add --db "$db" --id kbh-sensor --org 0101 --role sensor >/dev/null

start_hub() {
  rm -f "$tmp/port"
  "$bin" hub --db "$db" --port 0 --port-file "$tmp/port" --quiet >"$tmp/hub.log" 2>&1 &
  hub_pid=$!
  for _ in $(seq 1 300); do [[ -s $tmp/port ]] && break; sleep 0.1; done
  url="http://127.0.0.1:$(cat "$tmp/port")"
}
stop_hub() { kill "$hub_pid" && wait "$hub_pid" 2>/dev/null; hub_pid=; }
rest() {  # rest TOKEN: the HTTP status of GET /api/v1/me
  curl -s --max-time 20 -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $1" "$url/api/v1/me"
}
taxii() {  # taxii TOKEN: the HTTP status of TAXII's collection list
  curl -s --max-time 20 -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $1" \
    -H "Accept: application/taxii+json;version=2.1" "$url/taxii2/dannevirke/collections/"
}
start_hub

# create: printed once; list shows id, label, dates and state, never the token or its hash.
"$bin" token create --db "$db" --member kbh-soc --label laptop --json >"$tmp/t1.json" 2>"$tmp/t1.err"
check "token create succeeds" test $? -eq 0
t1=$(json "$tmp/t1.json" 'd["token"]')
t1_id=$(json "$tmp/t1.json" 'd["id"]')
check "token create gives an id of 12 hex digits" grep -Eq '^[0-9a-f]{12}$' <<<"$t1_id"
check "a new token opens the REST API" test "$(rest "$t1")" = 200
check "a new token opens TAXII" test "$(taxii "$t1")" = 200
"$bin" token list --db "$db" --json >"$tmp/list.json"
check "token list --json names the token by id, label and state" \
  test "$(json "$tmp/list.json" '[t["label"] + "/" + t["state"] for t in d if t["id"] == "'"$t1_id"'"][0]')" = laptop/active
check "token list never shows the token" bash -c "! grep -q '$t1' '$tmp/list.json'"
hash=$(printf '%s' "$t1" | sha256sum | cut -c1-64)
check "token list never shows the hash" bash -c "! grep -q '$hash' '$tmp/list.json'"
sleep 0.2
"$bin" token list --db "$db" --member kbh-soc >"$tmp/list.txt"
check "token list (table) has a header and the token's row" \
  bash -c "grep -q '^ID .*MEMBER .*LABEL .*CREATED .*EXPIRES .*LAST USED .*STATE' '$tmp/list.txt' &&
           grep -q '^$t1_id .*kbh-soc .*laptop .*active\$' '$tmp/list.txt'"
check "token list records the last use" \
  test "$(json <("$bin" token list --db "$db" --json) '[t["last_used"] is not None for t in d if t["id"] == "'"$t1_id"'"][0]')" = True

# revoke: refused at the next request, on both interfaces.
"$bin" token revoke --db "$db" --id "$t1_id" >"$tmp/revoke.out"
check "token revoke succeeds" test $? -eq 0
check "a revoked token is refused by the REST API (401)" test "$(rest "$t1")" = 401
check "a revoked token is refused by TAXII (401)" test "$(taxii "$t1")" = 401
check "token list shows it revoked" \
  test "$(json <("$bin" token list --db "$db" --json) '[t["state"] for t in d if t["id"] == "'"$t1_id"'"][0]')" = revoked

# expiry
t2=$("$bin" token create --db "$db" --member kbh-soc --expires 6s 2>/dev/null)
check "a token with --expires 6s works at first" test "$(rest "$t2")" = 200
sleep 6.3
check "…and is refused once expired (REST)" test "$(rest "$t2")" = 401
check "…and is refused once expired (TAXII)" test "$(taxii "$t2")" = 401
"$bin" token create --db "$db" --member kbh-soc --expires 2099-01-01 --json >"$tmp/t_date.json" 2>/dev/null
check "--expires takes a date" test "$(json "$tmp/t_date.json" 'd["expires_at"]')" = 2099-01-01T00:00:00.000Z

# rotate: a new token now, the old one after the grace period.
"$bin" token create --db "$db" --member kbh-soc --label rotating --json >"$tmp/t3.json" 2>/dev/null
t3=$(json "$tmp/t3.json" 'd["token"]')
t3_id=$(json "$tmp/t3.json" 'd["id"]')
"$bin" token rotate --db "$db" --id "$t3_id" --grace 1h --json >"$tmp/t4.json" 2>"$tmp/rotate.err"
check "token rotate succeeds" test $? -eq 0
t4=$(json "$tmp/t4.json" 'd["token"]')
t4_id=$(json "$tmp/t4.json" 'd["id"]')
check "the rotated token works" test "$(rest "$t4")" = 200
check "the old token works during the grace period" test "$(rest "$t3")" = 200
check "token rotate says when the old one stops" grep -q "stops working at" "$tmp/rotate.err"
"$bin" token rotate --db "$db" --id "$t4_id" --grace 0s --json >"$tmp/t5.json" 2>/dev/null
t5=$(json "$tmp/t5.json" 'd["token"]')
check "with --grace 0s the old token stops at once" test "$(rest "$t4")" = 401
check "…and the new one works" test "$(taxii "$t5")" = 200
check "the new token keeps the label" \
  test "$(json <("$bin" token list --db "$db" --json) '[t["label"] for t in d if t["id"] == "'"$(json "$tmp/t5.json" 'd["id"]')"'"][0]')" = rotating
"$bin" token rotate --db "$db" --id "$t1_id" >"$tmp/rotate_revoked.out" 2>&1
check "a revoked token cannot be rotated (exit 1, says why)" \
  bash -c "test $? -eq 1 && grep -q 'revoked' '$tmp/rotate_revoked.out'"

# disable / enable
"$bin" member disable --db "$db" --id kbh-soc >/dev/null
check "a disabled member's token is refused (REST)" test "$(rest "$t5")" = 401
check "a disabled member's token is refused (TAXII)" test "$(taxii "$t5")" = 401
check "token list shows member-disabled" \
  test "$(json <("$bin" token list --db "$db" --json) '[t["state"] for t in d if t["id"] == "'"$(json "$tmp/t5.json" 'd["id"]')"'"][0]')" = member-disabled
check "member list shows it disabled" grep -q '^kbh-soc .*disabled' <("$bin" member list --db "$db")
"$bin" token create --db "$db" --member kbh-soc >"$tmp/disabled_create.out" 2>&1
check "no new token for a disabled member (exit 1)" test $? -eq 1
"$bin" member enable --db "$db" --id kbh-soc >/dev/null
check "an enabled member's token works again" test "$(rest "$t5")" = 200

# a move to another organisation revokes every token of the member
"$bin" member add --db "$db" --id kbh-soc --org 0751 --name "Københavns SOC" >"$tmp/move.out"
check "member add says a move revokes the tokens" grep -q "its tokens are revoked" "$tmp/move.out"
check "a moved member's token is refused (REST)" test "$(rest "$t5")" = 401
check "a moved member's token is refused (TAXII)" test "$(taxii "$t5")" = 401
check "a moved member's grace-period token is refused too" test "$(rest "$t3")" = 401

# revoke --member --all, remove
s1=$("$bin" token create --db "$db" --member kbh-sensor 2>/dev/null)
s2=$("$bin" token create --db "$db" --member kbh-sensor 2>/dev/null)
"$bin" token revoke --db "$db" --member kbh-sensor --all >"$tmp/revoke_all.out"
check "token revoke --member --all revokes every token" grep -q "^2 token(s) of member 'kbh-sensor' revoked" "$tmp/revoke_all.out"
check "…both refused" test "$(rest "$s1")$(taxii "$s2")" = 401401
s3=$("$bin" token create --db "$db" --member kbh-sensor 2>/dev/null)
check "a fresh sensor token works" test "$(taxii "$s3")" = 200
"$bin" member remove --db "$db" --id kbh-sensor >/dev/null
check "member remove succeeds" test $? -eq 0
check "a removed member's token is refused (REST)" test "$(rest "$s3")" = 401
check "a removed member's token is refused (TAXII)" test "$(taxii "$s3")" = 401
check "member list no longer shows it" bash -c "! \"$bin\" member list --db \"$db\" | grep -q kbh-sensor"
"$bin" member remove --db "$db" --id kbh-sensor >"$tmp/remove_again.out" 2>&1
check "removing it again is not_found (exit 1)" \
  bash -c "test $? -eq 1 && grep -q 'not_found' '$tmp/remove_again.out'"
stop_hub

# every change is audited with the actor; the audit keeps the removed member's history
python3 - "$tmp/hub.db" >"$tmp/audit.txt" <<'EOF'
import sqlite3, sys
for actor, action, obj, detail in sqlite3.connect(sys.argv[1]).execute(
        "SELECT actor, action, object, detail FROM audit_log WHERE action LIKE 'token.%' OR action LIKE 'member.%'"):
    print(actor, action, obj, detail)
EOF
for action in token.create token.revoke token.rotate member.disable member.enable member.update member.remove; do
  check "audited with the command line's actor: $action" grep -q "^cli:[^ ]* $action " "$tmp/audit.txt"
done
check "the org change is the reason of its revocations" grep -q 'token.revoke kbh-soc .*member.org_change' "$tmp/audit.txt"
check "the removed member's history is kept" grep -q 'member.create kbh-sensor' "$tmp/audit.txt"
check "the audit never holds a token or a hash" bash -c "! grep -q -e '$t1' -e '$hash' '$tmp/audit.txt'"

# bad usage: exit 2 with a message
usage() {  # usage DESCRIPTION ARGS...: the command exits 2 and says something
  local what=$1
  shift
  "$bin" "$@" >"$tmp/usage.out" 2>&1
  local status=$?
  check "bad usage, exit 2: $what" bash -c "test $status -eq 2 && test -s '$tmp/usage.out'"
}
usage "--expires soon" token create --db "$db" --member kbh-soc --expires soon
usage "--expires 2026-13-40" token create --db "$db" --member kbh-soc --expires 2026-13-40
usage "revoke without --id or --member" token revoke --db "$db"
usage "revoke --member without --all" token revoke --db "$db" --member kbh-soc
usage "revoke --id with --member --all" token revoke --db "$db" --id "$t1_id" --member kbh-soc --all
usage "rotate --grace soon" token rotate --db "$db" --id "$t3_id" --grace soon
usage "member disable without --id" member disable --db "$db"
"$bin" token create --db "$db" --member kbh-soc --expires 2020-01-01 >"$tmp/past.out" 2>&1
check "an expiry in the past is refused and named" bash -c "test $? -eq 1 && grep -q expires_at '$tmp/past.out'"

# the sensor: plain HTTP only to loopback
"$bin" sensor --hub http://hub.example:8080 --token "$t5" --collection x --once --no-archive /dev/null \
  >"$tmp/sensor.out" 2>&1
check "the sensor refuses http:// to a remote hub (exit 2)" test $? -eq 2
check "…and says why" grep -q "not loopback" "$tmp/sensor.out"

# the demo: tokens only in a 0600 file; stdout names the file and Copenhagen's sign-in link only
demo_db="$tmp/demo.db"
run_demo() {  # run_demo OUT
  rm -f "$tmp/demo.port"
  "$bin" hub --db "sqlite:$demo_db" --seed-demo --port 0 --port-file "$tmp/demo.port" >"$1" 2>&1 &
  hub_pid=$!
  for _ in $(seq 1 600); do [[ -s $tmp/demo.port ]] && grep -q "Press Ctrl-C" "$1" && break; sleep 0.1; done
  url="http://127.0.0.1:$(cat "$tmp/demo.port")"
}
umask 022
run_demo "$tmp/demo1.out"
tokens="$tmp/demo.tokens.json"
check "the demo writes its tokens beside the database" test -s "$tokens"
check "the token file is private (0600)" test "$(stat -c %a "$tokens")" = 600
check "the demo prints where the token file is" grep -q "Tokens: *$tokens" "$tmp/demo1.out"
coordinator=$(json "$tokens" 'd["cfcs-analyst"]')
member=$(json "$tokens" 'd["0101-soc"]')
check "the coordinator's token is not in the demo's output" bash -c "! grep -q '$coordinator' '$tmp/demo1.out'"
check "no other member's token is in the demo's output" \
  bash -c "! grep -q -e '$(json "$tokens" 'd["0751-soc"]')' -e '$(json "$tokens" 'd["0101-sensor"]')' '$tmp/demo1.out'"
check "the demo prints Copenhagen's sign-in link, named by who signs in" \
  bash -c "grep -A1 -q 'Sign in as Københavns Kommune — security officer' '$tmp/demo1.out' && grep -q '#/login/$member' '$tmp/demo1.out'"
signin="$tmp/demo.signin.html"
check "every demo role's sign-in link is in a page beside the token file" grep -q "#/login/$coordinator\">National coordinator — Center for Cybersikkerhed<" "$signin"
check "…which is private (0600)" test "$(stat -c %a "$signin")" = 600
check "…and the demo's output names it" grep -q "file://$signin" "$tmp/demo1.out"
check "…and holds no sensor's token" bash -c "! grep -q '$(json "$tokens" 'd["0101-sensor"]')' '$signin'"
check "the demo's member token works" test "$(rest "$member")" = 200
curl_hint=$(sed -n 's/^  Try: //p' "$tmp/demo1.out")
check "the demo's curl hint works as printed" bash -c "$curl_hint -s -o /dev/null -w '%{http_code}' | grep -q 200"
stop_hub
old_member=$member
run_demo "$tmp/demo2.out"
check "a restarted demo revokes the tokens of its previous start" test "$(rest "$old_member")" = 401
check "…and its new ones work" test "$(rest "$(json "$tokens" 'd["0101-soc"]')")" = 200
check "…and the file stays private" test "$(stat -c %a "$tokens")" = 600
stop_hub

echo "$failures failed"
exit $((failures > 0))
