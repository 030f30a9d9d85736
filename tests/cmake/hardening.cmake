# Hardening gates (issue 3): fuzz targets and their replays, valgrind on the end-to-end test,
# security tests and the fault soak.

# Fuzz targets (tests/fuzz/fuzz_*.c). Each is built twice: replay_<t> with a plain main() that runs
# saved inputs, in every build (ctest fuzz_regressions runs the seeds and every saved crash), and
# fuzz_<t> with libFuzzer when NW_FUZZ=ON (clang only; tests/fuzz/run.sh is the CI gate).
option(NW_FUZZ "Build the libFuzzer targets fuzz_* (needs clang)" OFF)
if(NW_FUZZ AND NOT CMAKE_C_COMPILER_ID MATCHES "Clang")
	message(FATAL_ERROR "NW_FUZZ=ON needs clang (CC=clang): gcc has no libFuzzer")
endif()
set(NW_FUZZ_DIR ${NW_TESTS}/fuzz)
set(NW_FUZZ_parse_SRC ${NW_SRC}/parse.c ${NW_SRC}/xmlcharset.c ${NW_SRC}/jsonfeed.c ${NW_SRC}/input.c ${NW_SRC}/date.c
	${NW_SRC}/text.c)
set(NW_FUZZ_parse_LIBS PkgConfig::XML2 PkgConfig::JSONC)
set(NW_FUZZ_input_SRC ${NW_SRC}/input.c)
set(NW_FUZZ_text_SRC ${NW_SRC}/text.c)
set(NW_FUZZ_date_SRC ${NW_SRC}/date.c)
set(NW_FUZZ_conf_SRC ${NW_SRC}/conf.c ${NW_SRC}/ini.c ${NW_SRC}/match.c ${NW_SRC}/context.c
	${NW_SRC}/words.c ${NW_SRC}/fold.c
	${NW_SRC}/gazetteer.c)
set(NW_FUZZ_conf_LIBS PkgConfig::UTF8PROC)
set(NW_FUZZ_match_SRC ${NW_SRC}/match.c ${NW_SRC}/context.c ${NW_SRC}/words.c ${NW_SRC}/fold.c
	${NW_SRC}/conf.c ${NW_SRC}/ini.c
	${NW_SRC}/gazetteer.c)
set(NW_FUZZ_match_LIBS PkgConfig::UTF8PROC)
set(NW_FUZZ_alert_SRC ${NW_SRC}/alert.c ${NW_SRC}/record.c)
set(NW_FUZZ_article_SRC ${NW_SRC}/article.c ${NW_SRC}/xmlcharset.c ${NW_SRC}/input.c)
set(NW_FUZZ_article_LIBS PkgConfig::XML2)
set(NW_FUZZ_REPLAYS)
foreach(t parse input text date conf match alert article)
	set(srcs ${NW_FUZZ_DIR}/fuzz_${t}.c ${NW_FUZZ_${t}_SRC} ${NW_SRC}/util.c ${NW_SRC}/log.c)
	add_executable(replay_${t} ${NW_FUZZ_DIR}/replay.c ${srcs})
	target_include_directories(replay_${t} PRIVATE ${NW_FUZZ_DIR})
	target_link_libraries(replay_${t} PRIVATE ${NW_FUZZ_${t}_LIBS} m)
	list(APPEND NW_FUZZ_REPLAYS replay_${t})
	if(NW_FUZZ)
		add_executable(fuzz_${t} ${srcs})
		target_include_directories(fuzz_${t} PRIVATE ${NW_FUZZ_DIR})
		target_compile_options(fuzz_${t} PRIVATE -fsanitize=fuzzer,address,undefined
			-fno-sanitize-recover=all -fno-omit-frame-pointer -g)
		target_link_options(fuzz_${t} PRIVATE -fsanitize=fuzzer,address,undefined)
		target_link_libraries(fuzz_${t} PRIVATE ${NW_FUZZ_${t}_LIBS} m)
	endif()
endforeach()
add_test(NAME fuzz_regressions
	COMMAND ${NW_FUZZ_DIR}/replay.sh ${CMAKE_CURRENT_BINARY_DIR} ${NW_SHARED})
set_tests_properties(fuzz_regressions PROPERTIES TIMEOUT 300)

# The end-to-end test with every newswatch it runs under valgrind (not in sanitizer builds:
# valgrind cannot run ASan binaries). GLib's one-time allocations are in tests/notify/valgrind.supp.
find_package(Python3 REQUIRED COMPONENTS Interpreter)
find_program(NW_VALGRIND valgrind)
if(NW_VALGRIND AND NOT NW_SANITIZE)
	add_test(NAME e2e_valgrind COMMAND ${Python3_EXECUTABLE} ${NW_TESTS}/integration/test_e2e.py)
	set_tests_properties(e2e_valgrind PROPERTIES TIMEOUT 600 ENVIRONMENT
		"NEWSWATCH=$<TARGET_FILE:newswatch>;PYTHONDONTWRITEBYTECODE=1;NEWSWATCH_WRAPPER=${NW_VALGRIND} --error-exitcode=1 --leak-check=full -q --suppressions=${NW_TESTS}/notify/valgrind.supp")
endif()

# Security: external entities, entity expansion, log and terminal injection, file modes; and a
# title full of markup against a real notification server.
add_test(NAME security COMMAND ${Python3_EXECUTABLE} ${NW_TESTS}/integration/test_security.py Hostile)
set_tests_properties(security PROPERTIES TIMEOUT 300
	ENVIRONMENT "NEWSWATCH=$<TARGET_FILE:newswatch>;PYTHONDONTWRITEBYTECODE=1")
add_test(NAME security_notify COMMAND ${NW_TESTS}/notify/with-notify-server.sh
	${Python3_EXECUTABLE} ${NW_TESTS}/integration/test_security.py NotifyMarkup)
set_tests_properties(security_notify PROPERTIES TIMEOUT 120 SKIP_RETURN_CODE 77
	ENVIRONMENT "NEWSWATCH=$<TARGET_FILE:newswatch>;PYTHONDONTWRITEBYTECODE=1")

# LeakSanitizer is on and fails the run in the sanitizer build, for processes the Python tests
# start too: the canary leaks and must exit non-zero when run through a Python subprocess.
if(NW_SANITIZE MATCHES "address")
	add_executable(leak_canary ${NW_FUZZ_DIR}/leak_canary.c)
	add_test(NAME lsan_canary COMMAND ${Python3_EXECUTABLE} -c
		"import subprocess, sys; sys.exit(subprocess.run([sys.argv[1]]).returncode == 0)"
		$<TARGET_FILE:leak_canary>)
endif()

# The fault soak (tests/soak/soak.py, about 3 minutes): label soak, skipped (77) unless NW_SOAK=1;
# CI's soak gate runs it with ctest -L soak in the normal build.
add_test(NAME soak COMMAND ${Python3_EXECUTABLE} ${NW_TESTS}/soak/soak.py)
set_tests_properties(soak PROPERTIES LABELS soak TIMEOUT 600 SKIP_RETURN_CODE 77
	ENVIRONMENT "NEWSWATCH=$<TARGET_FILE:newswatch>;PYTHONDONTWRITEBYTECODE=1")
