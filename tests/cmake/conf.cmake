# conf: the configuration parser and `newswatch check`; ini: the line reader under it.
nw_unit(NAME test_conf
	SOURCES ${NW_SRC}/conf.c ${NW_SRC}/ini.c ${NW_SRC}/cmd_check.c ${NW_SRC}/cmd.c ${NW_SRC}/util.c ${NW_SRC}/log.c
	${NW_SRC}/gazetteer.c ${NW_SRC}/fold.c
	LIBS PkgConfig::UTF8PROC)
# gazetteer: the built-in places and actors (a small fixture, and data/ when it is there).
nw_unit(NAME test_gazetteer
	SOURCES ${NW_SRC}/gazetteer.c ${NW_SRC}/ini.c ${NW_SRC}/fold.c ${NW_SRC}/util.c ${NW_SRC}/log.c
	LIBS PkgConfig::UTF8PROC)
nw_unit(NAME test_ini SOURCES ${NW_SRC}/ini.c ${NW_SRC}/util.c ${NW_SRC}/log.c)

# The shipped example, through the real program (needs every module to link).
add_test(NAME conf_check_shipped_example
	COMMAND newswatch check --config ${CMAKE_SOURCE_DIR}/conf/newswatch.conf)

# A first run with no configuration, through the real program.
find_package(Python3 REQUIRED COMPONENTS Interpreter)
add_test(NAME conf_cli COMMAND ${Python3_EXECUTABLE} ${NW_TESTS}/integration/test_conf_cli.py)
set_tests_properties(conf_cli PROPERTIES TIMEOUT 120
	ENVIRONMENT "NEWSWATCH=$<TARGET_FILE:newswatch>;PYTHONDONTWRITEBYTECODE=1")
# newswatch places NAME on the small fixture gazetteer.
add_test(NAME places_cli COMMAND ${Python3_EXECUTABLE} ${NW_TESTS}/integration/test_places.py)
set_tests_properties(places_cli PROPERTIES TIMEOUT 60
	ENVIRONMENT "NEWSWATCH=$<TARGET_FILE:newswatch>;PYTHONDONTWRITEBYTECODE=1")
