# The daemon's core, each module alone: deliver.c on a real loop, store and alert log with a fake
# notifier (test_deliver); feed.c with a fake fetcher and a fake delivery (test_feed): the
# test plays the server of feeds and of pages (page.c and article.c are real).
nw_unit(NAME test_deliver
	SOURCES ${NW_SRC}/deliver.c ${NW_SRC}/surge.c ${NW_SRC}/store.c ${NW_SRC}/alert.c ${NW_SRC}/hook.c
	${NW_SRC}/conf.c ${NW_SRC}/ini.c ${NW_SRC}/gazetteer.c ${NW_SRC}/fold.c ${NW_SRC}/record.c
	${NW_SRC}/util.c ${NW_SRC}/log.c ${NW_SRC}/target.c ${NW_SRC}/tmsg.c ${NW_SRC}/tsched.c
	${NW_SRC}/fetch.c ${NW_SRC}/url.c ${NW_SRC}/mqtt.c ${NW_SRC}/hmac.c
	LIBS PkgConfig::UV PkgConfig::SQLITE PkgConfig::UTF8PROC PkgConfig::CURL PkgConfig::MOSQUITTO
	nw_glib_headers Threads::Threads)
nw_unit(NAME test_feed
	SOURCES ${NW_SRC}/feed.c ${NW_SRC}/page.c ${NW_SRC}/article.c ${NW_SRC}/item.c
	${NW_SRC}/text.c ${NW_SRC}/fold.c ${NW_SRC}/match.c ${NW_SRC}/context.c ${NW_SRC}/words.c
	${NW_SRC}/parse.c ${NW_SRC}/xmlcharset.c
	${NW_SRC}/jsonfeed.c ${NW_SRC}/input.c ${NW_SRC}/date.c ${NW_SRC}/store.c
	${NW_SRC}/conf.c ${NW_SRC}/ini.c ${NW_SRC}/gazetteer.c ${NW_SRC}/record.c ${NW_SRC}/util.c
	${NW_SRC}/log.c ${NW_SRC}/url.c
	LIBS PkgConfig::UV PkgConfig::SQLITE PkgConfig::XML2 PkgConfig::JSONC PkgConfig::UTF8PROC
	PkgConfig::CURL)
