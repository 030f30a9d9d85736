nw_unit(NAME test_util SOURCES ${NW_SRC}/util.c ${NW_SRC}/log.c)
