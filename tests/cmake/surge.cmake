# surge: story counts per rule and entity, baselines and surge episodes on a real store with a
# clock the test moves (test_surge).
nw_unit(NAME test_surge SOURCES ${NW_SRC}/surge.c ${NW_SRC}/store.c ${NW_SRC}/util.c ${NW_SRC}/log.c
	${NW_SRC}/record.c LIBS PkgConfig::SQLITE)
# newswatch trends: the real binary on a store filled with a synthetic stream; the SVG parsed
# as XML and rendered with rsvg-convert (test_trends; exits 77 without rsvg-convert).
nw_unit(NAME test_trends SOURCES ${NW_SRC}/surge.c ${NW_SRC}/chart.c ${NW_SRC}/store.c ${NW_SRC}/util.c
	${NW_SRC}/log.c ${NW_SRC}/record.c LIBS PkgConfig::SQLITE)
set_tests_properties(test_trends PROPERTIES ENVIRONMENT "NEWSWATCH=$<TARGET_FILE:newswatch>")
# Through the daemon: a burst makes one surge record in the JSON Lines log, across restarts and
# kill -9 (test_surge_daemon).
add_test(NAME test_surge_daemon
	COMMAND ${Python3_EXECUTABLE} ${NW_TESTS}/integration/test_surge.py)
set_tests_properties(test_surge_daemon PROPERTIES TIMEOUT 240 SKIP_RETURN_CODE 77
	ENVIRONMENT "NEWSWATCH=$<TARGET_FILE:newswatch>;PYTHONDONTWRITEBYTECODE=1")
