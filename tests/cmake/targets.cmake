# Push targets (#16): HMAC-SHA256 against RFC 4231 (test_hmac); the messages each service gets
# (test_tmsg); digest boundaries and quiet hours at chosen moments (test_tsched); and the daemon
# against fixture receivers, a real SMTP server and a real MQTT broker (test_targets*.py; over TLS
# with a throwaway CA in test_targets_tls), and beside a real notification server
# (test_targets_notify).
nw_unit(NAME test_hmac SOURCES ${NW_SRC}/hmac.c ${NW_SRC}/log.c ${NW_SRC}/util.c
	LIBS nw_glib_headers Threads::Threads)
nw_unit(NAME test_tsched SOURCES ${NW_SRC}/tsched.c)
nw_unit(NAME test_tmsg SOURCES ${NW_SRC}/tmsg.c ${NW_SRC}/alert.c ${NW_SRC}/record.c
	${NW_SRC}/conf.c ${NW_SRC}/ini.c ${NW_SRC}/gazetteer.c ${NW_SRC}/fold.c ${NW_SRC}/util.c
	${NW_SRC}/log.c
	LIBS PkgConfig::UTF8PROC)
find_package(Python3 REQUIRED COMPONENTS Interpreter)
foreach(t test_targets test_targets_mail test_targets_mqtt test_targets_tls)
	add_test(NAME ${t} COMMAND ${Python3_EXECUTABLE} ${NW_TESTS}/integration/${t}.py)
	set_tests_properties(${t} PROPERTIES TIMEOUT 400 SKIP_RETURN_CODE 77
		ENVIRONMENT "NEWSWATCH=$<TARGET_FILE:newswatch>;PYTHONDONTWRITEBYTECODE=1")
endforeach()
add_test(NAME test_targets_notify COMMAND ${NW_TESTS}/notify/with-notify-server.sh
	${Python3_EXECUTABLE} ${NW_TESTS}/integration/test_targets_notify.py)
set_tests_properties(test_targets_notify PROPERTIES TIMEOUT 240 SKIP_RETURN_CODE 77
	ENVIRONMENT "NEWSWATCH=$<TARGET_FILE:newswatch>;PYTHONDONTWRITEBYTECODE=1")
