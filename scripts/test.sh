#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The second command of README.md, and what CI runs: install, check the
# formatting, build, run every test (unit, integration, browser), then build
# again with AddressSanitizer + UndefinedBehaviorSanitizer and run the unit
# and integration tests under them, run every fuzz target briefly, and run
# every test on the Release build last.
set -euo pipefail
cd "$(dirname "$0")/.."
export TZ=UTC
jobs=$(nproc)

scripts/install-deps.sh

echo "== format check (clang-format)"
mapfile -t sources < <(git ls-files '*.h' '*.cpp' 2>/dev/null || find src tests bench -name '*.h' -o -name '*.cpp')
clang-format --dry-run --Werror "${sources[@]}"

echo "== build (Release)"
scripts/build.sh -DDV_SANITIZE=OFF

echo "== build (ASan + UBSan)"
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DDV_SANITIZE=ON "${launcher[@]}" >/dev/null
cmake --build build-asan --parallel "$jobs"

echo "== tests under ASan + UBSan (unit, integration)"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --test-dir build-asan --label-regex 'unit|integration' --output-on-failure --parallel "$jobs"

echo "== fuzzing (libFuzzer, ${DV_FUZZ_SECONDS:-10}s per target)"
scripts/fuzz.sh "${DV_FUZZ_SECONDS:-10}"

echo "== all tests (Release: unit, integration, browser)"
ctest --test-dir build --output-on-failure --parallel "$jobs"
