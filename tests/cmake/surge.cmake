# surge: story counts per rule and entity, baselines and surge episodes on a real store with a
# clock the test moves (test_surge).
nw_unit(NAME test_surge SOURCES ${NW_SRC}/surge.c ${NW_SRC}/store.c ${NW_SRC}/util.c ${NW_SRC}/log.c
	${NW_SRC}/record.c LIBS PkgConfig::SQLITE)
