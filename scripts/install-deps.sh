#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Installs what Dannevirke needs to build, run and test, from Debian's
# packages and the npm registry only. Idempotent: already-installed packages
# are not fetched again. Needs root for apt-get (run as root or via sudo).
set -euo pipefail
cd "$(dirname "$0")/.."

debian_packages=(
  build-essential cmake ninja-build pkg-config ccache git curl openssl python3
  libsqlite3-dev libpq-dev postgresql-15 haproxy libssl-dev zlib1g-dev
  nlohmann-json3-dev libcli11-dev libcpp-httplib-dev
  libsimdjson-dev libyaml-cpp-dev libhyperscan-dev libpcre2-dev
  libevtx-dev libevtx-utils ripgrep libexpat1-dev libigraph-dev
  libboost-dev libgtest-dev libgmock-dev libbenchmark-dev libhowardhinnant-date-dev libvalijson-dev
  libical-dev
  clang-format clang-tidy clang libclang-rt-14-dev
  chromium
  bind9-utils unbound nsd nftables ipset libidn2-dev
  libpsl-dev publicsuffix libunbound-dev dns-root-data
  libcurl4-openssl-dev python3-aiosmtpd
)

missing=()
for pkg in "${debian_packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  missing+=(nodejs npm)
fi
if ((${#missing[@]} > 0)); then
  echo "Installing Debian packages: ${missing[*]}"
  sudo_cmd=()
  [[ $(id -u) -ne 0 ]] && sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

node_major=$(node -p 'process.versions.node.split(".")[0]')
if ((node_major < 20)); then
  echo "error: the dashboard build needs Node.js 20 or newer; found $(node --version)" >&2
  exit 1
fi

# The dashboard's npm packages, exactly as locked. Skipped when the lock file
# has not changed since the last install.
if [[ ! -f web/node_modules/.package-lock.json ]] || ! cmp -s web/package-lock.json web/node_modules/.dv-lock-installed; then
  echo "Installing the dashboard's npm packages"
  (cd web && npm ci --no-audit --no-fund --loglevel=error)
  cp web/package-lock.json web/node_modules/.dv-lock-installed
fi
