# conf: the configuration parser and `newswatch check`.
nw_unit(NAME test_conf
	SOURCES ${NW_SRC}/conf.c ${NW_SRC}/cmd_check.c ${NW_SRC}/util.c ${NW_SRC}/log.c
	LIBS PkgConfig::INIH)

# The shipped example, through the real program (needs every module to link).
add_test(NAME conf_check_shipped_example
	COMMAND newswatch check --config ${CMAKE_SOURCE_DIR}/conf/newswatch.conf)
