# End-to-end tests: the real program against a fixture HTTP server on 127.0.0.1.
find_package(Python3 REQUIRED COMPONENTS Interpreter)
add_test(NAME e2e COMMAND ${Python3_EXECUTABLE} ${NW_TESTS}/integration/test_e2e.py)
set_tests_properties(e2e PROPERTIES TIMEOUT 300
	ENVIRONMENT "NEWSWATCH=$<TARGET_FILE:newswatch>;PYTHONDONTWRITEBYTECODE=1")
add_test(NAME e2e_notify COMMAND ${NW_TESTS}/notify/with-notify-server.sh
	${Python3_EXECUTABLE} ${NW_TESTS}/integration/test_e2e_notify.py)
set_tests_properties(e2e_notify PROPERTIES TIMEOUT 120 SKIP_RETURN_CODE 77
	ENVIRONMENT "NEWSWATCH=$<TARGET_FILE:newswatch>;PYTHONDONTWRITEBYTECODE=1")
add_test(NAME e2e_article COMMAND ${Python3_EXECUTABLE} ${NW_TESTS}/integration/test_article.py)
set_tests_properties(e2e_article PROPERTIES TIMEOUT 300
	ENVIRONMENT "NEWSWATCH=$<TARGET_FILE:newswatch>;PYTHONDONTWRITEBYTECODE=1")
