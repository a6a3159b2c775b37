#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Builds the program (Release, in build/) and the dashboard (web/dist): only
# what `dannevirke demo` needs, so the first command stays fast. The tests and
# benchmarks are built by scripts/test.sh.
# Usage: scripts/build.sh [extra cmake -D options]
set -euo pipefail
cd "$(dirname "$0")/.."
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release "${launcher[@]}" "$@" >/dev/null
cmake --build build --parallel "$(nproc)" --target dannevirke
(cd web && npm run --silent build >/dev/null)
echo "Built build/dannevirke ($(du -h build/dannevirke | cut -f1)) and web/dist"
