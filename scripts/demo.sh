#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The first command of README.md: install, build, and start the demo — a hub
# on an embedded SQLite database with the demo federation and the dashboard on
# http://127.0.0.1:8080 (pass --port N to change it). Ctrl-C stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
exec build/dannevirke demo "$@"
