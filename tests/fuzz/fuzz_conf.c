/* fuzz_conf.c: libFuzzer target for the configuration parser (conf_load, ini.c) and its matcher. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "conf.h"
#include "fuzz.h"
#include "log.h"
#include "match.h"

/*
 * conf_load reads a path, so the input goes into a memfd opened again through /proc/self/fd: no
 * disk, no temporary names. conf_load keeps no state between calls, so runs do not leak into
 * each other. A configuration that loads is printed and compiled into a matcher, which is then
 * run once: what conf accepts, match must take.
 */
static int
count_cb(void *arg, const struct match_result *r)
{
	size_t	*n = arg;

	*n += r->nactors + r->nplaces + r->nkeywords;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE	*devnull;
	const char	*cats[] = { "Syria", "Middle East" };
	struct match_item item = { "world", "Hezbollah fighters near Homs, Erdoğan says",
	    "<p>al-Assad in Aleppo</p>", "Hayat Tahrir al-Sham enters Hama", cats, 2, NULL };
	struct matcher	*m;
	struct conf	*c;
	char		 path[64];
	size_t		 hits = 0;
	int		 fd;

	if (devnull == NULL) {
		log_init(-1);	/* matcher_new warns about odd aliases: keep the fuzzer's log readable */
		/*
		 * gazetteer = yes (the default) would read the 3 MB data/places.tsv on every run:
		 * point it at nothing, so runs stay fast (an input's own gazetteer = DIR still goes).
		 */
		setenv("NEWSWATCH_DATADIR", "/nonexistent", 1);
		if ((devnull = fopen("/dev/null", "w")) == NULL)
			abort();
	}
	if ((fd = memfd_create("fuzz_conf", 0)) == -1)
		abort();
	if (size > 0 && write(fd, data, size) != (ssize_t)size)
		abort();
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	if (conf_load(path, &c, devnull) == 0) {
		conf_print_summary(c, devnull);
		if ((m = matcher_new(c)) != NULL) {
			matcher_run(m, &item, 1, count_cb, &hits);
			matcher_free(m);
		}
		conf_free(c);
	}
	close(fd);
	return 0;
}
