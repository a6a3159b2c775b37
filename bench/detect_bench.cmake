# SPDX-License-Identifier: Apache-2.0
# dv_detect_bench: the SigmaHQ Windows rules over a generated Windows corpus
# and the EVTX samples — engine, routing only, one rule at a time (see the source).
if(TARGET dv_pipeline)
  # The benchmark corpus generator (bench/corpus): deterministic Windows events.
  add_library(dv_bench_corpus STATIC ${CMAKE_CURRENT_SOURCE_DIR}/corpus/windows_corpus.cpp)
  target_include_directories(dv_bench_corpus PUBLIC ${CMAKE_CURRENT_SOURCE_DIR})
  target_link_libraries(dv_bench_corpus PUBLIC dv_core PRIVATE dv_warnings)

  add_executable(dv_detect_bench ${CMAKE_CURRENT_SOURCE_DIR}/detect_bench.cpp)
  target_link_libraries(dv_detect_bench PRIVATE dv_bench_corpus dv_pipeline dv_detect dv_ingest Threads::Threads dv_warnings)
  target_compile_definitions(dv_detect_bench PRIVATE DV_SHARED_DIR="${DV_SHARED_DIR}")
endif()
