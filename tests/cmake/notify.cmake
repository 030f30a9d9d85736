# notify: the notifier thread, without a bus (test_notify) and beside a real notification server
# on a private bus and display (test_notify_server, skipped when Xvfb or the server is missing).
nw_unit(NAME test_notify
	SOURCES ${NW_SRC}/notify.c ${NW_SRC}/util.c ${NW_SRC}/log.c
	LIBS nw_notify_headers PkgConfig::UV Threads::Threads)
add_test(NAME test_notify_server
	COMMAND ${NW_TESTS}/notify/with-notify-server.sh $<TARGET_FILE:test_notify> server)
set_tests_properties(test_notify_server PROPERTIES TIMEOUT 60 SKIP_RETURN_CODE 77)

# The same two runs under valgrind (not in sanitizer builds: valgrind cannot run ASan binaries).
# The suppressions cover GLib's one-time thread allocations only.
find_program(NW_VALGRIND valgrind)
if(NW_VALGRIND AND NOT NW_SANITIZE)
	set(NW_NOTIFY_VG ${NW_VALGRIND} --error-exitcode=1 --leak-check=full -q
		--suppressions=${NW_TESTS}/notify/valgrind.supp)
	add_test(NAME test_notify_valgrind COMMAND ${NW_NOTIFY_VG} $<TARGET_FILE:test_notify>)
	add_test(NAME test_notify_server_valgrind
		COMMAND ${NW_TESTS}/notify/with-notify-server.sh ${NW_NOTIFY_VG}
			$<TARGET_FILE:test_notify> server)
	set_tests_properties(test_notify_valgrind test_notify_server_valgrind
		PROPERTIES TIMEOUT 60 SKIP_RETURN_CODE 77)
endif()

# The program loads libnotify (and GLib with it) only when it shows a notification: it must not
# link either, directly or through another library.
add_test(NAME notify_program_links_no_glib
	COMMAND sh -c "libs=$(ldd \"$1\") && ! printf '%s\\n' \"$libs\" | grep -E 'libnotify|libglib|libgobject|libgio'"
		sh $<TARGET_FILE:newswatch>)
