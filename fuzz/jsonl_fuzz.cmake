# SPDX-License-Identifier: Apache-2.0
dv_fuzz_target(dv_jsonl_fuzz ${CMAKE_CURRENT_SOURCE_DIR}/jsonl_fuzz.cpp dv_ingest)
