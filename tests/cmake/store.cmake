# store and alert: the state database and the alert log.
nw_unit(NAME test_store SOURCES ${NW_SRC}/store.c ${NW_SRC}/util.c ${NW_SRC}/log.c ${NW_SRC}/record.c
	LIBS PkgConfig::SQLITE)
nw_unit(NAME test_alert SOURCES ${NW_SRC}/alert.c ${NW_SRC}/util.c ${NW_SRC}/log.c ${NW_SRC}/record.c)
# hook: the exec hook runner on a real loop with /bin/sh scripts.
nw_unit(NAME test_hook SOURCES ${NW_SRC}/hook.c ${NW_SRC}/alert.c ${NW_SRC}/util.c ${NW_SRC}/log.c
	${NW_SRC}/record.c LIBS PkgConfig::UV)
