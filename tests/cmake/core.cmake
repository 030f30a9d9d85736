# The daemon's core, each module alone: deliver.c on a real loop, store and alert log with a fake
# notifier (test_deliver).
nw_unit(NAME test_deliver
	SOURCES ${NW_SRC}/deliver.c ${NW_SRC}/store.c ${NW_SRC}/alert.c ${NW_SRC}/hook.c
	${NW_SRC}/conf.c ${NW_SRC}/ini.c ${NW_SRC}/record.c ${NW_SRC}/util.c ${NW_SRC}/log.c
	LIBS PkgConfig::UV PkgConfig::SQLITE)
