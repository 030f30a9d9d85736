# delivery: the outbox drained exactly once into the alert log across kill -9, full disks and
# unwritable logs; intake dedup (rewritten guids, one story in many feeds), max_age, exec hooks,
# replay (test_delivery); what run --once and status report of the outbox, quiet polls and a
# deleted log (test_run_report); pop-up burst control and a hung notification server beside a real
# server (test_delivery_notify); the crash test (test_crash, 60 kills, prints its counts).
find_package(Python3 REQUIRED COMPONENTS Interpreter)
set(NW_DELIVERY_ENV "NEWSWATCH=$<TARGET_FILE:newswatch>;PYTHONDONTWRITEBYTECODE=1")
add_test(NAME test_delivery
	COMMAND ${Python3_EXECUTABLE} ${NW_TESTS}/integration/test_delivery.py)
add_test(NAME test_delivery_notify
	COMMAND ${NW_TESTS}/notify/with-notify-server.sh ${Python3_EXECUTABLE}
		${NW_TESTS}/integration/test_delivery_notify.py)
add_test(NAME test_run_report
	COMMAND ${Python3_EXECUTABLE} ${NW_TESTS}/integration/test_run_report.py)
add_test(NAME test_crash COMMAND ${Python3_EXECUTABLE} ${NW_TESTS}/integration/test_crash.py)
set_tests_properties(test_delivery test_delivery_notify test_run_report test_crash PROPERTIES
	TIMEOUT 240 SKIP_RETURN_CODE 77 ENVIRONMENT "${NW_DELIVERY_ENV}")
# Updated items matched again (test_updates).
add_test(NAME test_updates
	COMMAND ${Python3_EXECUTABLE} ${NW_TESTS}/integration/test_updates.py)
set_tests_properties(test_updates PROPERTIES
	TIMEOUT 240 SKIP_RETURN_CODE 77 ENVIRONMENT "${NW_DELIVERY_ENV}")
# settle: alerts wait for copies from other feeds (test_settle).
add_test(NAME test_settle
	COMMAND ${Python3_EXECUTABLE} ${NW_TESTS}/integration/test_settle.py)
set_tests_properties(test_settle PROPERTIES
	TIMEOUT 300 SKIP_RETURN_CODE 77 ENVIRONMENT "${NW_DELIVERY_ENV}")
