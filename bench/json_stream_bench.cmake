# SPDX-License-Identifier: Apache-2.0
# json_stream_bench [EVENTS]: the same generated events as JSON lines, one JSON
# array and pretty-printed documents through LogSource; peak memory against
# array size (see the source).
if(TARGET dv_bench_corpus AND TARGET dv_ingest)
  add_executable(json_stream_bench ${CMAKE_CURRENT_SOURCE_DIR}/json_stream_bench.cpp)
  target_link_libraries(json_stream_bench PRIVATE dv_bench_corpus dv_ingest dv_warnings)
endif()
