#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The second command of README.md, and what CI runs: install, check the
# formatting, build the program and the benchmarks (Release, GCC), build
# everything again with clang under AddressSanitizer + UndefinedBehaviorSanitizer
# with the fuzz targets in the same build, run every unit, integration and
# adversarial test under the sanitizers, run every fuzz target briefly, and run
# the browser tests against the Release program and dashboard last. Every test
# runs once; the test binaries are built once, in the sanitizer build.
set -euo pipefail
cd "$(dirname "$0")/.."
export TZ=UTC
jobs=$(nproc)

# Each stage names the minutes since the start, so a slow CI run shows where
# its time went.
stage() { echo "== $* (at $((SECONDS / 60)) min $((SECONDS % 60)) s)"; }

scripts/install-deps.sh

stage "format check (clang-format)"
mapfile -t sources < <(git ls-files '*.h' '*.cpp' 2>/dev/null || find src tests bench -name '*.h' -o -name '*.cpp')
clang-format --dry-run --Werror "${sources[@]}"

stage "build (Release: the program and the dashboard, as scripts/demo.sh builds them)"
scripts/build.sh -DDV_SANITIZE=OFF
stage "build (Release: the benchmarks)"
cmake --build build --parallel "$jobs" --target dv_benchmarks

stage "build (clang, ASan + UBSan, fuzz targets included)"
# One sanitizer build serves the tests and the fuzzers: -O1 with line tables only
# is what the sanitizers need for readable reports, at half the cost of -O2 -g.
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
CC=clang CXX=clang++ cmake -S . -B build-san -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only" -DDV_SANITIZE=ON -DDV_FUZZ=ON \
  -DDV_BUILD_BENCH=OFF "${launcher[@]}" >/dev/null
cmake --build build-san --parallel "$jobs"

stage "tests under ASan + UBSan (unit, integration, adversarial)"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --test-dir build-san --label-regex 'unit|integration|adversarial' --output-on-failure --parallel "$jobs"

stage "fuzzing (libFuzzer, ${DV_FUZZ_SECONDS:-10}s per target)"
DV_FUZZ_BUILD=build-san scripts/fuzz.sh "${DV_FUZZ_SECONDS:-10}"

stage "browser tests (Release program and dashboard, chromium)"
ctest --test-dir build --label-regex browser --output-on-failure --parallel "$jobs"
stage "done"
