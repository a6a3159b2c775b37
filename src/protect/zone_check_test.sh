#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Checks the golden protection outputs with the real tools:
#   every expected*.rpz with named-checkzone (Debian bind9-utils);
#   every expected.nft with `nft --check -f` (no ruleset is changed);
#   every expected.ipset with `ipset restore` inside a private network
#   namespace (unshare -n), so the host's sets are never touched.
# Exit 77 (skipped) when named-checkzone is absent; the nft and ipset checks
# are skipped one by one when their tool or the privileges are missing.
set -uo pipefail
testdata=${1:?usage: zone_check_test.sh TESTDATA_DIR}

if ! command -v named-checkzone >/dev/null; then
  echo "SKIP: named-checkzone not installed (apt-get install bind9-utils)"
  exit 77
fi

failures=0
zones=0
for zone in "$testdata"/*/expected*.rpz; do
  zones=$((zones + 1))
  # -k fail / -n fail: a bad name or an NS problem fails the check.
  if ! out=$(named-checkzone -k fail -n fail -i local rpz.dannevirke.test "$zone" 2>&1); then
    echo "FAIL: named-checkzone $zone"
    echo "$out"
    failures=$((failures + 1))
  fi
done
echo "named-checkzone: $zones zones checked"

nft_bin=$(command -v nft || true)
if [[ -n $nft_bin ]]; then
  for file in "$testdata"/*/expected.nft; do
    if out=$("$nft_bin" --check -f "$file" 2>&1); then
      echo "nft --check: $file OK"
    elif grep -qiE "operation not permitted|permission denied|netlink" <<<"$out"; then
      echo "SKIP: nft --check needs CAP_NET_ADMIN here: $out"
    else
      echo "FAIL: nft --check $file"
      echo "$out"
      failures=$((failures + 1))
    fi
  done
else
  echo "SKIP: nft not installed"
fi

ipset_bin=$(command -v ipset || true)
if [[ -n $ipset_bin ]] && unshare -n true 2>/dev/null; then
  for file in "$testdata"/*/expected.ipset; do
    if out=$(unshare -n "$ipset_bin" restore <"$file" 2>&1); then
      echo "ipset restore (private namespace): $file OK"
    elif grep -qiE "kernel|not supported|permission|protocol" <<<"$out"; then
      echo "SKIP: ipset cannot run here: $out"
    else
      echo "FAIL: ipset restore $file"
      echo "$out"
      failures=$((failures + 1))
    fi
  done
else
  echo "SKIP: ipset not installed or no private network namespace (unshare -n)"
fi

if ((failures > 0)); then
  echo "$failures check(s) failed"
  exit 1
fi
echo "all checks passed"
