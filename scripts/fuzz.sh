#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Builds every libFuzzer target (clang, ASan + UBSan) and runs each briefly.
# Usage: scripts/fuzz.sh [SECONDS_PER_TARGET]   (default 10; longer runs find more)
# A crash fails the script and leaves the crashing input in <build>/findings/.
# DV_FUZZ_BUILD names a build directory already configured with -DDV_FUZZ=ON (the
# sanitizer build of scripts/test.sh); without it the targets are built in build-fuzz/.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
out=${DV_FUZZ_BUILD:-build-fuzz}
if [[ -z ${DV_FUZZ_BUILD:-} ]]; then
  launcher=()
  command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  CC=clang CXX=clang++ cmake -S . -B "$out" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DDV_FUZZ=ON \
    -DDV_BUILD_TESTS=OFF -DDV_BUILD_BENCH=OFF "${launcher[@]}" >/dev/null
fi
mapfile -t targets < <(sed -n 's/.*dv_fuzz_target(\([a-z_]*\).*/\1/p' fuzz/*.cmake | sort)
cmake --build "$out" --parallel "$(nproc)" --target "${targets[@]}"
mkdir -p "$out"/findings
for target in "${targets[@]}"; do
  corpus=$out/corpus/$target
  mkdir -p "$corpus"
  # Seeds: the project's own fixtures of the matching kind.
  case $target in
    *evtx*) ;;  # the EVTX reader's tests build their files in code; the fuzzer starts from scratch
    *syslog* | *cef*) cp tests/scan/formats/logs/*.log tests/scan/formats/logs/*.cef "$corpus"/ 2>/dev/null || true ;;
    *jsonl*) cp tests/scan/formats/logs/*.jsonl "$corpus"/ 2>/dev/null || true ;;
    *json_stream*)
      seed=0
      for input in src/ingest/testdata/json_*/input.json tests/scan/json_exports/logs/*.json; do
        cp "$input" "$corpus/seed$((seed++)).json"
      done ;;
    *sigma_rule*)
      seed=0
      for rules in tests/detect/*/rules.yml; do cp "$rules" "$corpus/seed$((seed++)).yml"; done ;;
    *sigma_documents*)
      # A leading NUL byte: the rest is YAML whose encoding is round-tripped.
      seed=0
      for rules in tests/detect/*/rules.yml; do { printf '\x00'; cat "$rules"; } >"$corpus/seed$((seed++))"; done ;;
    *sigma_condition*) printf 'all of selection_* and not 1 of filter_*' >"$corpus/seed1" ;;
    *stix*) printf "[ipv4-addr:value = '198.51.100.1']" >"$corpus/seed1" ;;
    *cpe*) printf 'cpe:2.3:o:zyxel:atp100_firmware:5.36:patch1:*:*:*:*:*:*' >"$corpus/seed1" ;;
    *http_request*)
      printf 'GET /api/v1/organisations?kind=municipality&limit=5 HTTP/1.1\r\nHost: x\r\n\r\n' >"$corpus/seed1"
      printf 'GET /taxii2/dannevirke/collections/ HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer TOKEN!\r\nAccept: application/taxii+json;version=2.1\r\n\r\n' >"$corpus/seed2"
      printf 'POST /api/v1/assets HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer TOKEN!\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n4\r\n{"a"\r\n3\r\n:[]\r\n1\r\n}\r\n0\r\n\r\n' >"$corpus/seed3"
      printf 'PUT /api/v1/baseline/assessments/0101 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer TOKEN!\r\nContent-Type: application/json\r\nContent-Length: 12\r\n\r\n{"items":[]}' >"$corpus/seed4" ;;
    *json_depth*)
      printf '{"objects":[{"type":"indicator","spec_version":"2.1","id":"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","created":"2026-01-01T00:00:00.000Z","modified":"2026-01-01T00:00:00.000Z","pattern":"[ipv4-addr:value = \x27198.51.100.1\x27]","pattern_type":"stix","valid_from":"2026-01-01T00:00:00Z"}]}' >"$corpus/seed1"
      printf '[["\\"[[",{"a":[{}]}]]' >"$corpus/seed2" ;;
    *duty*)
      # The first byte picks the reader (0 rota, 1 policy, 2 notification state, 3 routes, 4 ack token).
      seed=0
      for input in src/duty/testdata/rota/*/case.json; do
        { printf '\x00'; python3 -c 'import json,sys; print(json.dumps(json.load(open(sys.argv[1]))["rota"]))' "$input"; } \
          >"$corpus/seed$((seed++))"
      done
      printf '\x01{"steps": [{"targets": [{"kind": "rota", "ref": "soc"}]}, {"delay_minutes": 15, "targets": [{"kind": "coordinator"}]}], "repeat": 1}' >"$corpus/seed$((seed++))"
      printf '\x03{"routes": [{"event": "sighting", "severity": "critical", "policy": "p-soc"}, {"policy": "p-default"}]}' >"$corpus/seed$((seed++))" ;;
    *reports*)
      # The first byte picks the format (0 Shadowserver, 1 generic CSV, 2 JSON).
      seed=0
      for input in src/reports/testdata/*/input.*; do
        case $input in *.json | *.jsonl) selector='\x02' ;; *) selector='\x00' ;; esac
        { printf "$selector"; cat "$input"; } >"$corpus/seed$((seed++))"
        { printf '\x01'; cat "$input"; } >"$corpus/seed$((seed++))"
      done ;;
    *kv*)
      seed=0
      while IFS= read -r line; do printf '%s' "$line" >"$corpus/seed$((seed++))"; done <tests/scan/network/logs/firewall.log ;;
    *zeek*) cp tests/scan/network/logs/zeek.log "$corpus"/ ;;
  esac
done

# One fuzzer per core at a time; each one's output goes to <build>/fuzz-logs/.
mkdir -p "$out"/fuzz-logs
failed=()
batch=$(nproc)
for ((first = 0; first < ${#targets[@]}; first += batch)); do
  pids=()
  for target in "${targets[@]:first:batch}"; do
    # -max_total_time is checked between inputs only: -timeout makes one input
    # that runs longer than 20 s a finding (a hang is a denial of service), and
    # the outer timeout ends a fuzzer that stops answering altogether.
    ASAN_OPTIONS=detect_leaks=0 timeout --kill-after=10 $((seconds + 120)) "$out"/fuzz/"$target" \
      -max_total_time="$seconds" -timeout=20 -artifact_prefix="$out"/findings/ \
      -print_final_stats=0 "$out/corpus/$target" >"$out/fuzz-logs/$target.log" 2>&1 &
    pids+=($!)
  done
  for idx in "${!pids[@]}"; do
    target=${targets[first + idx]}
    status=0
    wait "${pids[idx]}" || status=$?
    echo "== $target (${seconds}s)"
    tail -n 2 "$out/fuzz-logs/$target.log"
    if ((status != 0)); then
      failed+=("$target")
      tail -n 40 "$out/fuzz-logs/$target.log"
    fi
  done
done
if ((${#failed[@]} > 0)); then
  echo "fuzzing: ${failed[*]} crashed or hung; the inputs are in $out/findings/" >&2
  exit 1
fi
echo "fuzzing: ${#targets[@]} targets ran ${seconds}s each without a crash"
