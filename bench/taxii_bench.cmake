# SPDX-License-Identifier: Apache-2.0
# dv_taxii_bench: TAXII ingest and paging over HTTP; dv_taxii_load_bench:
# many concurrent clients against one hub, then a check for lost writes.
foreach(bench_name taxii_bench taxii_load_bench)
  if(EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/${bench_name}.cpp)
    add_executable(dv_${bench_name} ${CMAKE_CURRENT_SOURCE_DIR}/${bench_name}.cpp)
    target_link_libraries(dv_${bench_name} PRIVATE dv_hub dv_federation PkgConfig::HTTPLIB PkgConfig::SIMDJSON
                                                   nlohmann_json::nlohmann_json Threads::Threads dv_warnings)
    target_include_directories(dv_${bench_name} SYSTEM PRIVATE ${HTTPLIB_INCLUDE_DIRS})
  endif()
endforeach()
