# SPDX-License-Identifier: Apache-2.0
# Line coverage (the `coverage` preset): every target is built with --coverage; after the tests ran,
# `cmake --build --preset coverage --target coverage-report` writes an HTML report of the engine (core/) to
# <build>/coverage/index.html and prints its summary. `bash packaging/quickstart.sh coverage` does it all.

option(EVENTSCOPE_COVERAGE "Build with line coverage instrumentation (gcov)" OFF)
if(NOT EVENTSCOPE_COVERAGE)
    return()
endif()

# Atomic counters: the store's readers, projections and subscriptions run on threads of their own, and plain
# counters updated from several threads come out wrong (even negative, which gcovr cannot read).
add_compile_options(--coverage -fprofile-update=atomic)
add_link_options(--coverage)

find_program(GCOVR_PROGRAM gcovr)
if(NOT GCOVR_PROGRAM)
    message(WARNING "gcovr not found (Debian package gcovr): the coverage-report target is not available.")
    return()
endif()

set(_coverage_dir "${PROJECT_BINARY_DIR}/coverage")
add_custom_target(coverage-report
    COMMAND ${CMAKE_COMMAND} -E make_directory "${_coverage_dir}"
    COMMAND ${GCOVR_PROGRAM}
        --root "${PROJECT_SOURCE_DIR}"
        --object-directory "${PROJECT_BINARY_DIR}"
        --filter "${PROJECT_SOURCE_DIR}/core/"
        --exclude-unreachable-branches
        --html-details "${_coverage_dir}/index.html"
        --txt "${_coverage_dir}/summary.txt"
        --json-summary "${_coverage_dir}/summary.json"
        --print-summary
    WORKING_DIRECTORY "${PROJECT_BINARY_DIR}"
    COMMENT "Line coverage of core/ (report: ${_coverage_dir}/index.html)"
    VERBATIM)
