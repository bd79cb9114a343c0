# SPDX-License-Identifier: Apache-2.0
# eventscope_add_test(<name> SOURCES <files...> LINKS <targets...> [LABELS <labels...>] [TIMEOUT <s>])
#
# Adds one QtTest executable, links Qt6::Test plus the given targets, registers it with CTest and
# runs it headless (QT_QPA_PLATFORM=offscreen). Tests link targets; they never re-list production sources.
function(eventscope_add_test name)
    cmake_parse_arguments(ARG "" "TIMEOUT" "SOURCES;LINKS;LABELS;ENVIRONMENT" ${ARGN})
    add_executable(${name} ${ARG_SOURCES})
    target_link_libraries(${name} PRIVATE Qt6::Test eventscope_settings ${ARG_LINKS})
    target_include_directories(${name} PRIVATE "${PROJECT_SOURCE_DIR}/tests/support")
    add_test(NAME ${name} COMMAND ${name})
    if(NOT ARG_TIMEOUT)
        set(ARG_TIMEOUT 300)
    endif()
    set_tests_properties(${name} PROPERTIES
        TIMEOUT ${ARG_TIMEOUT}
        LABELS "${ARG_LABELS}"
        ENVIRONMENT "QT_QPA_PLATFORM=offscreen;${ARG_ENVIRONMENT}")
endfunction()
