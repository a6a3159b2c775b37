# SPDX-License-Identifier: Apache-2.0
add_executable(dv_e2e_bench ${CMAKE_CURRENT_SOURCE_DIR}/e2e_bench.cpp)
target_link_libraries(dv_e2e_bench PRIVATE dv_core PkgConfig::HTTPLIB nlohmann_json::nlohmann_json Threads::Threads
                                           dv_warnings)
target_include_directories(dv_e2e_bench SYSTEM PRIVATE ${HTTPLIB_INCLUDE_DIRS})
