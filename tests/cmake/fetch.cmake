# fetch: fetch.c against tests/server/fixture_server.py (python3, stdlib only) on a real loop.
# NW_VERSION and NW_PROJECT_URL (the User-Agent) come from the top-level add_compile_definitions,
# which covers this target too; the test checks the server saw exactly that User-Agent.
nw_unit(NAME test_fetch
	SOURCES ${NW_SRC}/fetch.c ${NW_SRC}/url.c ${NW_SRC}/util.c ${NW_SRC}/log.c
	LIBS PkgConfig::CURL PkgConfig::UV)
set_tests_properties(test_fetch PROPERTIES TIMEOUT 60)
