# Feed parsing: dates, HTML text, the input stage, the libxml2 feed parser, the conformance corpus.
nw_unit(NAME test_date SOURCES ${NW_SRC}/date.c ${NW_SRC}/util.c ${NW_SRC}/log.c)
nw_unit(NAME test_text SOURCES ${NW_SRC}/text.c ${NW_SRC}/util.c ${NW_SRC}/log.c)
nw_unit(NAME test_input SOURCES ${NW_SRC}/input.c ${NW_SRC}/util.c ${NW_SRC}/log.c)
nw_unit(NAME test_parse
	SOURCES ${NW_SRC}/parse.c ${NW_SRC}/xmlcharset.c ${NW_SRC}/jsonfeed.c ${NW_SRC}/input.c ${NW_SRC}/date.c
	${NW_SRC}/text.c ${NW_SRC}/util.c ${NW_SRC}/log.c
	LIBS PkgConfig::XML2 PkgConfig::JSONC)
nw_unit(NAME test_parse_json
	SOURCES ${NW_SRC}/parse.c ${NW_SRC}/xmlcharset.c ${NW_SRC}/jsonfeed.c ${NW_SRC}/input.c ${NW_SRC}/date.c
	${NW_SRC}/text.c ${NW_SRC}/util.c ${NW_SRC}/log.c
	LIBS PkgConfig::XML2 PkgConfig::JSONC)

# feedparser's corpus through "newswatch parse --json" against the committed baseline
# (exits 77, skipped, when ../shared is absent).
add_test(NAME parse_conformance
	COMMAND ${NW_TESTS}/conformance/run.sh $<TARGET_FILE:newswatch> ${NW_SHARED})
set_tests_properties(parse_conformance PROPERTIES TIMEOUT 300 SKIP_RETURN_CODE 77)

# Benchmark driver (not part of ctest): cmake --build DIR --target bench_parse.
add_executable(bench_parse EXCLUDE_FROM_ALL ${CMAKE_SOURCE_DIR}/bench/parse/bench_parse.c
	${NW_SRC}/parse.c ${NW_SRC}/xmlcharset.c ${NW_SRC}/jsonfeed.c ${NW_SRC}/input.c ${NW_SRC}/date.c ${NW_SRC}/text.c
	${NW_SRC}/util.c ${NW_SRC}/log.c)
target_link_libraries(bench_parse PRIVATE PkgConfig::XML2 PkgConfig::JSONC m)

# parse and match on the command line: --help, item counts, big feeds, unknown --feed.
find_package(Python3 REQUIRED COMPONENTS Interpreter)
add_test(NAME parse_cli
	COMMAND ${Python3_EXECUTABLE} ${NW_TESTS}/integration/test_service_cli.py ParseMatch)
set_tests_properties(parse_cli PROPERTIES TIMEOUT 120
	ENVIRONMENT "NEWSWATCH=$<TARGET_FILE:newswatch>;PYTHONDONTWRITEBYTECODE=1")
