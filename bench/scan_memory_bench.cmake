# SPDX-License-Identifier: Apache-2.0
# dv_scan_memory_bench: peak RSS of the scan path (LogSource → Scanner::Run,
# SigmaHQ Windows rules) over N generated wide, varied events, for several N.
if(TARGET dv_pipeline)
  add_executable(dv_scan_memory_bench ${CMAKE_CURRENT_SOURCE_DIR}/scan_memory_bench.cpp)
  target_include_directories(dv_scan_memory_bench PRIVATE ${CMAKE_CURRENT_SOURCE_DIR})
  target_link_libraries(dv_scan_memory_bench PRIVATE dv_pipeline dv_detect dv_ingest Threads::Threads dv_warnings)
  target_compile_definitions(dv_scan_memory_bench PRIVATE DV_SHARED_DIR="${DV_SHARED_DIR}")
endif()
