# SPDX-License-Identifier: Apache-2.0
add_executable(dv_taxii_bench ${CMAKE_CURRENT_SOURCE_DIR}/taxii_bench.cpp)
target_link_libraries(dv_taxii_bench PRIVATE dv_hub dv_federation PkgConfig::HTTPLIB nlohmann_json::nlohmann_json
                                             Threads::Threads dv_warnings)
target_include_directories(dv_taxii_bench SYSTEM PRIVATE ${HTTPLIB_INCLUDE_DIRS})
