# SPDX-License-Identifier: Apache-2.0
# The engine as a library, end to end (ctest -L package):
#  1. installs the Development component of the build into a scratch prefix and checks what landed there: the
#     static library, the CMake package files, every header of core/ under include/eventscope/, nothing else, and no
#     path of the source or build tree in the package files;
#  2. compiles each installed header on its own (tests/package/headercheck) against that prefix, and all of them in
#     one translation unit (HEADERS=together: only the latter);
#  3. configures and builds docs/examples/embedding out of tree against that prefix, runs it and checks its output.
#
# cmake -DBUILD_DIR=… -DSOURCE_DIR=… -DWORK_DIR=… -DGENERATOR=… -DCXX_COMPILER=… [-DLAUNCHER=ccache]
#       [-DCXX_FLAGS=…] [-DLINK_FLAGS=…] [-DHEADERS=each|together] [-DJOBS=2] -P checkpackage.cmake
# CXX_FLAGS and LINK_FLAGS: the flags the library was built with that its users need too (sanitizers, coverage).
cmake_minimum_required(VERSION 3.25)

foreach(_required BUILD_DIR SOURCE_DIR WORK_DIR GENERATOR CXX_COMPILER)
    if(NOT DEFINED ${_required} OR "${${_required}}" STREQUAL "")
        message(FATAL_ERROR "checkpackage.cmake needs -D${_required}=…")
    endif()
endforeach()
if(NOT JOBS)
    set(JOBS 2)
endif()
if(NOT HEADERS)
    set(HEADERS each)
endif()

set(PREFIX "${WORK_DIR}/prefix")
file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")

string(TIMESTAMP _started "%s")
function(step title)
    string(TIMESTAMP _now "%s")
    math(EXPR _elapsed "${_now} - ${_started}")
    message(STATUS "[${_elapsed} s] ${title}")
endfunction()

# Runs a command; on failure shows its output and stops the test with \a what.
function(run what)
    execute_process(COMMAND ${ARGN} RESULT_VARIABLE _rc OUTPUT_VARIABLE _out ERROR_VARIABLE _err)
    if(NOT _rc EQUAL 0)
        message(FATAL_ERROR "${what} failed (${_rc}):\n${_out}\n${_err}")
    endif()
endfunction()

set(_tools "-G" "${GENERATOR}" "-DCMAKE_CXX_COMPILER=${CXX_COMPILER}" "-DCMAKE_PREFIX_PATH=${PREFIX}"
    # Only this prefix: never a package some earlier `cmake --build` registered in ~/.cmake/packages.
    "-DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF"
    "-DCMAKE_EXE_LINKER_FLAGS=${LINK_FLAGS}")
if(LAUNCHER)
    list(APPEND _tools "-DCMAKE_CXX_COMPILER_LAUNCHER=${LAUNCHER}")
endif()

# 1. Install and inspect.
step("installing the Development component of ${BUILD_DIR} into ${PREFIX}")
run("cmake --install --component Development" "${CMAKE_COMMAND}" --install "${BUILD_DIR}" --prefix "${PREFIX}"
    --component Development)

file(GLOB_RECURSE _installed LIST_DIRECTORIES false RELATIVE "${PREFIX}" "${PREFIX}/*")
set(_problems)
set(_headers)
set(_libraries)
set(_packagefiles)
foreach(_file IN LISTS _installed)
    if(_file MATCHES "^include/eventscope/.+\\.h$")
        list(APPEND _headers "${_file}")
    elseif(_file MATCHES "^lib[^/]*/(.+/)?libeventscope_core\\.a$")
        list(APPEND _libraries "${_file}")
    elseif(_file MATCHES "^lib[^/]*/(.+/)?cmake/EventScope/EventScope[A-Za-z-]*\\.cmake$")
        list(APPEND _packagefiles "${_file}")
    else()
        list(APPEND _problems "not part of the engine's development files: ${_file}")
    endif()
endforeach()
list(LENGTH _libraries _count)
if(NOT _count EQUAL 1)
    list(APPEND _problems "expected one libeventscope_core.a, found ${_count}: ${_libraries}")
endif()
foreach(_name EventScopeConfig.cmake EventScopeConfigVersion.cmake EventScopeTargets.cmake)
    if(NOT _packagefiles MATCHES "/${_name}(;|$)")
        list(APPEND _problems "missing package file ${_name} (found: ${_packagefiles})")
    endif()
endforeach()
foreach(_file IN LISTS _packagefiles)
    file(READ "${PREFIX}/${_file}" _text)
    # The project's own warnings and Qt definitions (eventscope_settings) stay in the project.
    foreach(_private eventscope_settings QT_NO_ QT_USE_QSTRINGBUILDER -Werror -Wall EVENTSCOPE_VERSION)
        string(FIND "${_text}" "${_private}" _at)
        if(NOT _at EQUAL -1)
            list(APPEND _problems "${_file} passes ${_private} on to embedding projects")
        endif()
    endforeach()
    foreach(_tree "${SOURCE_DIR}" "${BUILD_DIR}")
        string(FIND "${_text}" "${_tree}" _at)
        if(NOT _at EQUAL -1)
            list(APPEND _problems "${_file} names ${_tree}: it would not work once installed elsewhere")
        endif()
    endforeach()
endforeach()
# Every header of the engine is installed, under the same sub-folder as in core/.
file(GLOB_RECURSE _sources LIST_DIRECTORIES false RELATIVE "${SOURCE_DIR}/core" "${SOURCE_DIR}/core/*.h")
foreach(_header IN LISTS _sources)
    if(NOT "include/eventscope/${_header}" IN_LIST _headers)
        list(APPEND _problems "core/${_header} is not installed as include/eventscope/${_header}")
    endif()
endforeach()
if(_problems)
    list(JOIN _problems "\n  " _text)
    message(FATAL_ERROR "The installed package is not what it should be:\n  ${_text}")
endif()
list(LENGTH _headers _count)
step("installed: ${_libraries}, ${_count} headers, package files ${_packagefiles}")

# 2. Every header on its own.
step("compiling the installed headers (${HEADERS})")
run("configuring the header check" "${CMAKE_COMMAND}" -S "${CMAKE_CURRENT_LIST_DIR}/headercheck"
    -B "${WORK_DIR}/headercheck" ${_tools} "-DCMAKE_CXX_FLAGS=${CXX_FLAGS}" "-DHEADERS=${HEADERS}")
run("compiling the installed headers" "${CMAKE_COMMAND}" --build "${WORK_DIR}/headercheck" --parallel ${JOBS})

# 3. The embedding example, out of tree, warnings as errors.
step("configuring docs/examples/embedding against ${PREFIX}")
run("configuring the example" "${CMAKE_COMMAND}" -S "${SOURCE_DIR}/docs/examples/embedding" -B "${WORK_DIR}/example"
    ${_tools} "-DCMAKE_CXX_FLAGS=${CXX_FLAGS} -Wall -Wextra -Wpedantic -Werror")
file(STRINGS "${WORK_DIR}/example/CMakeCache.txt" _found REGEX "^EventScope_DIR:")
if(NOT _found MATCHES "=${PREFIX}/")
    message(FATAL_ERROR "The example found EventScope somewhere else than in ${PREFIX}: ${_found}")
endif()
step("building the example")
run("building the example" "${CMAKE_COMMAND}" --build "${WORK_DIR}/example" --parallel ${JOBS})

step("running the example")
# An instrumented (coverage) library writes its counters under GCOV_PREFIX, not into the build's .gcda files.
execute_process(COMMAND "${CMAKE_COMMAND}" -E env "GCOV_PREFIX=${WORK_DIR}/gcov" "${WORK_DIR}/example/library-loans"
    WORKING_DIRECTORY "${WORK_DIR}"
    TIMEOUT 120
    RESULT_VARIABLE _rc OUTPUT_VARIABLE _out ERROR_VARIABLE _err)
message(STATUS "library-loans said:\n${_out}")
if(NOT _rc EQUAL 0)
    message(FATAL_ERROR "The example exited with ${_rc}:\n${_out}\n${_err}")
endif()
foreach(_expected
        "AddBook: book-dune is at version 0"
        "LendBook: book-dune is at version 1"
        "LendBook refused \\(domain-rule-violated\\): \"Dune\" is on loan to Ada already\\."
        "GetBook: {\"asOf\":[1-9][0-9]*,\"borrower\":\"Ada\",\"id\":\"dune\",\"timesLent\":1,\"title\":\"Dune\"}"
        "\"Dune\" is on loan to Ada \\(as of position [1-9][0-9]*\\)\\.")
    if(NOT _out MATCHES "${_expected}")
        message(FATAL_ERROR "The example's output lacks a line matching «${_expected}»:\n${_out}\n${_err}")
    endif()
endforeach()
step("done")
