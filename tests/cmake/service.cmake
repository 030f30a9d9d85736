# The background service: sd_notify, reload, log reopen, stopping, journald prefixes, XDG,
# tail, OPML, the systemd units, the man pages and the install tree.
find_package(Python3 REQUIRED COMPONENTS Interpreter)
foreach(group Notify Reload LogReopen Stop Journal Xdg)
	add_test(NAME service_${group}
		COMMAND ${Python3_EXECUTABLE} ${NW_TESTS}/integration/test_service.py ${group})
	set_tests_properties(service_${group} PROPERTIES TIMEOUT 180
		ENVIRONMENT "NEWSWATCH=$<TARGET_FILE:newswatch>;PYTHONDONTWRITEBYTECODE=1")
endforeach()
foreach(group Tail Opml Units Install ManAndCompletion)
	add_test(NAME service_${group}
		COMMAND ${Python3_EXECUTABLE} ${NW_TESTS}/integration/test_service_cli.py ${group})
	set_tests_properties(service_${group} PROPERTIES TIMEOUT 180
		ENVIRONMENT "NEWSWATCH=$<TARGET_FILE:newswatch>;NW_BUILD_DIR=${CMAKE_BINARY_DIR};PYTHONDONTWRITEBYTECODE=1")
endforeach()
# README's configuration and alert-log examples are checked against real output.
add_test(NAME readme_examples COMMAND ${Python3_EXECUTABLE} ${NW_TESTS}/integration/test_readme.py)
set_tests_properties(readme_examples PROPERTIES TIMEOUT 60
	ENVIRONMENT "NEWSWATCH=$<TARGET_FILE:newswatch>;PYTHONDONTWRITEBYTECODE=1")
