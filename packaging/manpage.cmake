# SPDX-License-Identifier: Apache-2.0
# Writes a program's man page from its real --help and --version output with help2man, gzip -9n compressed as
# Debian wants it, so the page cannot drift from the program. Run by packaging/CMakeLists.txt as
#   cmake -DHELP2MAN=… -DGZIP=… -DPROGRAM=<built binary> -DNAME=<one-line description> -DINCLUDE=<.h2m>
#         [-DCOMMANDS=ON] -DOUTPUT=<page>.1.gz -P manpage.cmake
# COMMANDS=ON adds a COMMANDS section from '<program> help <command>' for each command '<program> --help' lists.
foreach(_var HELP2MAN GZIP PROGRAM NAME INCLUDE OUTPUT)
    if(NOT DEFINED ${_var})
        message(FATAL_ERROR "manpage.cmake: ${_var} is not set")
    endif()
endforeach()

get_filename_component(_dir "${PROGRAM}" DIRECTORY)
get_filename_component(_program "${PROGRAM}" NAME)
string(REGEX REPLACE "\\.gz$" "" _page "${OUTPUT}")

# The page describes what every user sees: English (no translation is loaded for the C locale; help2man's own
# --locale keeps the UTF-8 of the text, e.g. "…", which it would turn into "?" otherwise), no display needed,
# the program called by its name (the usage line shows argv[0]) and the user's data directory written as ~.
set(ENV{LC_ALL} "C.UTF-8")
set(ENV{LANGUAGE} "")
set(ENV{QT_QPA_PLATFORM} "offscreen")
set(ENV{QT_LOGGING_RULES} "*.debug=false;*.info=false;*.warning=false")
set(ENV{HOME} "~")
unset(ENV{XDG_DATA_HOME})
set(ENV{PATH} "${_dir}:$ENV{PATH}")
# In the asan and tsan presets a leak or race report at exit would fail the build here; the tests report them.
set(ENV{ASAN_OPTIONS} "$ENV{ASAN_OPTIONS}:detect_leaks=0")
set(ENV{TSAN_OPTIONS} "$ENV{TSAN_OPTIONS}:exitcode=0")

set(_include "${INCLUDE}")
if(COMMANDS)
    execute_process(COMMAND "${_program}" --help OUTPUT_VARIABLE _help RESULT_VARIABLE _rc)
    if(NOT _rc EQUAL 0)
        message(FATAL_ERROR "${_program} --help failed (${_rc})")
    endif()
    # The command list: "Commands:" up to the next blank line, "  name [sub]   description".
    string(REGEX MATCH "\nCommands:\n(.*)" _list "${_help}")
    string(REGEX REPLACE "\n\n.*" "" _list "${CMAKE_MATCH_1}")
    string(REPLACE "\n" ";" _lines "${_list}")
    set(_section "[COMMANDS]\nRun '${_program} help <command>' for the same text on the terminal.\n")
    foreach(_line IN LISTS _lines)
        if(NOT _line MATCHES "^  ([a-z-]+( [a-z-]+)?)  ")
            continue()
        endif()
        set(_command "${CMAKE_MATCH_1}")
        if(_command STREQUAL "help")
            continue()
        endif()
        separate_arguments(_words UNIX_COMMAND "${_command}")
        execute_process(COMMAND "${_program}" help ${_words} OUTPUT_VARIABLE _text RESULT_VARIABLE _rc)
        if(NOT _rc EQUAL 0)
            message(FATAL_ERROR "${_program} help ${_command} failed (${_rc})")
        endif()
        # roff: escape backslashes and control characters at line starts; prose is filled, indented blocks
        # (options, tables) keep their layout.
        string(REPLACE "\\" "\\e" _text "${_text}")
        string(REPLACE ";" "\\;" _text "${_text}")
        string(REPLACE "\n" ";" _textLines "${_text}")
        string(APPEND _section ".SS \"${_program} ${_command}\"\n")
        set(_inBlock OFF)
        foreach(_textLine IN LISTS _textLines)
            string(REGEX REPLACE "^([.'])" "\\\\&\\1" _textLine "${_textLine}")
            if(_textLine MATCHES "^[ \t]")
                if(NOT _inBlock)
                    string(APPEND _section ".nf\n")
                    set(_inBlock ON)
                endif()
                string(APPEND _section "${_textLine}\n")
            else()
                if(_inBlock)
                    string(APPEND _section ".fi\n")
                    set(_inBlock OFF)
                endif()
                if(_textLine STREQUAL "")
                    string(APPEND _section ".PP\n")
                else()
                    string(APPEND _section "${_textLine}\n")
                endif()
            endif()
        endforeach()
        if(_inBlock)
            string(APPEND _section ".fi\n")
        endif()
    endforeach()
    file(READ "${INCLUDE}" _static)
    set(_include "${_page}.h2m")
    file(WRITE "${_include}" "${_static}\n${_section}")
endif()

execute_process(
    COMMAND "${HELP2MAN}" --no-info --section=1 --locale=C.UTF-8 "--name=${NAME}" "--include=${_include}"
        "--output=${_page}" "${_program}"
    RESULT_VARIABLE _rc)
if(NOT _rc EQUAL 0)
    message(FATAL_ERROR "help2man failed for ${_program} (${_rc})")
endif()
file(REMOVE "${OUTPUT}")
execute_process(COMMAND "${GZIP}" -9n "${_page}" RESULT_VARIABLE _rc)
if(NOT _rc EQUAL 0)
    message(FATAL_ERROR "gzip failed for ${_page} (${_rc})")
endif()
