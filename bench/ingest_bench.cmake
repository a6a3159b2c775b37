# SPDX-License-Identifier: Apache-2.0
# dv_ingest_bench: throughput and memory of the log readers (see the source).
if(TARGET dv_ingest)
  add_executable(dv_ingest_bench ${CMAKE_CURRENT_SOURCE_DIR}/ingest_bench.cpp)
  target_include_directories(dv_ingest_bench PRIVATE ${CMAKE_CURRENT_SOURCE_DIR})
  target_link_libraries(dv_ingest_bench PRIVATE dv_ingest PkgConfig::SIMDJSON dv_warnings)
endif()
