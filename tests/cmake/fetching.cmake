# fetching: the real daemon (`newswatch run`) against tests/server/fixture_server.py: conditional
# GET, redirects, Retry-After, backoff, limits, and `newswatch status` (about 25 s).
find_package(Python3 REQUIRED COMPONENTS Interpreter)
add_test(NAME fetching COMMAND ${Python3_EXECUTABLE} ${NW_TESTS}/integration/test_fetching.py)
set_tests_properties(fetching PROPERTIES TIMEOUT 120
	ENVIRONMENT "NEWSWATCH=$<TARGET_FILE:newswatch>;PYTHONDONTWRITEBYTECODE=1")
