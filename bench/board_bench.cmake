# SPDX-License-Identifier: Apache-2.0
# dv_board_bench: the hub's indicator board over a million indicators.
add_executable(dv_board_bench ${CMAKE_CURRENT_SOURCE_DIR}/board_bench.cpp)
target_link_libraries(dv_board_bench PRIVATE dv_hub dv_federation Threads::Threads dv_warnings)
