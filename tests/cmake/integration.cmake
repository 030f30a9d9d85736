# End-to-end tests: the real program against a fixture HTTP server on 127.0.0.1.
find_package(Python3 REQUIRED COMPONENTS Interpreter)
add_test(NAME e2e COMMAND ${Python3_EXECUTABLE} ${NW_TESTS}/integration/test_e2e.py)
set_tests_properties(e2e PROPERTIES TIMEOUT 300
	ENVIRONMENT "NEWSWATCH=$<TARGET_FILE:newswatch>;PYTHONDONTWRITEBYTECODE=1")
