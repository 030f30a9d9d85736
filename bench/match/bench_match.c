/* bench_match.c: generates a deterministic news-like corpus and alias lists, and times the matcher on them. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "conf.h"
#include "match.h"
#include "util.h"

/*
 * Usage:
 *   bench_match corpus MB          > corpus.txt   (one item per line)
 *   bench_match aliases N          > aliases.txt  (one alias per line; real names first)
 *   bench_match run aliases.txt corpus.txt        (prints throughput, normalisation included)
 *   bench_match conf newswatch.conf corpus.txt    (the same with a real configuration, such as
 *                                                  one naming built-in places; also prints the
 *                                                  load and compile times and the added memory)
 *   bench_match scale RUNS corpus.txt [newswatch.conf]
 *                                                 (issue 15: 100, 1,000, 10,000 and 100,000
 *                                                  generated aliases, and the configuration if
 *                                                  given, compiled in one process and timed in
 *                                                  turn RUNS times: the best of each, and the
 *                                                  ratios between them from the same run)
 */

static const char *const real_names[] = {
	"Hezbollah", "Hizbullah", "Hamas", "Hayat Tahrir al-Sham", "HTS", "Erdoğan", "Bashar al-Assad",
	"al-Assad", "Homs", "Hama", "Aleppo", "Idlib", "Damascus", "Deir ez-Zor", "Raqqa", "Latakia",
	"Daraa", "Syria", "Lebanon", "Beirut", "Tyre", "Sidon", "Baalbek", "Türkiye", "Ankara",
	"İstanbul", "Diyarbakır", "Gaziantep", "Kobani", "Qamishli", "Oman", "Niger", "Yemen",
	"Houthis", "Ansar Allah", "Islamic State", "Tehran", "Baghdad", "Mosul", "Kirkuk", "Erbil",
	"São Paulo", "Zürich", "Kraków", "حزب الله", "دمشق", "حلب", "حمص", "حماة", "إدلب",
	"Дамаск", "Сирия", "Wagner", "IRGC", "Quds Force", "Nasrallah", "Jolani", "Golan", "Quneitra",
	"Manbij",
};
#define NREAL	(sizeof(real_names) / sizeof(real_names[0]))

static const char *const words[] = {
	"the", "said", "on", "in", "officials", "forces", "government", "talks", "reported", "after",
	"attack", "near", "border", "minister", "of", "and", "to", "a", "was", "were", "new", "city",
	"people", "aid", "convoy", "ceasefire", "statement", "week", "region", "military", "local",
	"sources", "according", "spokesman", "thousands", "fled", "woman", "women", "Nigeria",
	"Omani", "Syrian", "Hamastan", "economy", "prices", "oil", "election", "parliament", "vote",
	"residents", "hospital", "school", "water", "electricity", "U.N.", "U.S.", "Gen.", "3.5",
	"Müller", "café", "naïve", "Señor", "Łódź", "Ağrı", "قال", "مسؤول", "الحكومة", "في",
};
#define NWORDS	(sizeof(words) / sizeof(words[0]))

static const char *const syl[] = {
	"ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "za", "be", "da", "fu", "go", "hi", "ja", "ke",
	"ma", "no", "pe", "qi", "ro", "su", "ta", "wu", "ye", "zo", "bar", "dor", "kan", "lim",
};
#define NSYL	(sizeof(syl) / sizeof(syl[0]))

static uint64_t	 rng = 88172645463325252ULL;

static uint64_t
next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* Generated name i: two capitalised made-up words, e.g. "Kalomi Nerusa". */
static void
gen_name(uint64_t i, char *out, size_t size)
{
	char	 a[32] = "", b[32] = "";
	int	 k;

	for (k = 0; k < 3; k++) {
		strcat(a, syl[i % NSYL]);
		i /= NSYL;
	}
	for (k = 0; k < 3; k++) {
		strcat(b, syl[(i + k * 7) % NSYL]);
		i /= 3;
	}
	a[0] = (char)(a[0] - 32);
	b[0] = (char)(b[0] - 32);
	snprintf(out, size, "%s %s", a, b);
}

static int
gen_corpus(long mb)
{
	uint64_t	 total = (uint64_t)mb * 1024 * 1024, done = 0, r;
	char		 name[64], line[8192];
	size_t		 len, w, nwords;

	while (done < total) {
		len = 0;
		nwords = 60 + next() % 300;
		for (w = 0; w < nwords && len < sizeof(line) - 128; w++) {
			r = next() % 1000;
			if (r < 4)
				len += (size_t)snprintf(line + len, sizeof(line) - len, "%s ",
				    real_names[next() % NREAL]);
			else if (r < 6) {
				gen_name(next() % 20000, name, sizeof(name));
				len += (size_t)snprintf(line + len, sizeof(line) - len, "%s ", name);
			} else
				len += (size_t)snprintf(line + len, sizeof(line) - len, "%s%s",
				    words[next() % NWORDS], r % 17 == 0 ? ". " : r % 11 == 0 ?
				    ", " : " ");
		}
		line[len - 1] = '\n';
		if (fwrite(line, 1, len, stdout) != len)
			return 1;
		done += len;
	}
	return fflush(stdout) == 0 ? 0 : 1;
}

/* Alias i of a generated list: the real names first, then made-up ones. */
static void
alias_at(long i, char *out, size_t size)
{
	if ((size_t)i < NREAL)
		snprintf(out, size, "%s", real_names[i]);
	else
		gen_name((uint64_t)i * 2, out, size);	/* half of the corpus names */
}

static int
gen_aliases(long n)
{
	char	 name[64];
	long	 i;

	for (i = 0; i < n; i++) {
		alias_at(i, name, sizeof(name));
		printf("%s\n", name);
	}
	return fflush(stdout) == 0 ? 0 : 1;
}

static char *
slurp(const char *path, size_t *len)
{
	FILE	*f = fopen(path, "rb");
	char	*s;
	long	 n;

	if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0)
		return NULL;
	rewind(f);
	s = xmalloc((size_t)n + 1);
	if (fread(s, 1, (size_t)n, f) != (size_t)n) {
		fclose(f);
		free(s);
		return NULL;
	}
	fclose(f);
	s[n] = '\0';
	*len = (size_t)n;
	return s;
}

static int
count_cb(void *arg, const struct match_result *res)
{
	(void)res;
	(*(size_t *)arg)++;
	return 0;
}

static double
now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * This thread's processor time: on a machine shared with other work, the time the matcher
 * spent waiting for a core is not the matcher's.
 */
static double
cpu_now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The corpus cut into lines, one item's content each (the newlines become NULs). */
struct lines {
	char		**v;
	size_t		 n;
	size_t		 bytes;		/* the corpus's size, newlines included */
};

static void
lines_cut(struct lines *l, char *corpus, size_t clen)
{
	char	*p, *nl;
	size_t	 cap = 0;

	memset(l, 0, sizeof(*l));
	l->bytes = clen;
	for (p = corpus; p < corpus + clen; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(corpus + clen - p))) == NULL)
			nl = corpus + clen;
		*nl = '\0';
		if (l->n == cap) {
			cap = cap ? cap * 2 : 1024;
			l->v = xreallocarray(l->v, cap, sizeof(*l->v));
		}
		l->v[l->n++] = p;
	}
}

/*
 * Runs m over each line as one item's content; its speed in MB/s (of processor time when cpu,
 * else of wall-clock time), or -1 on error.
 */
static double
match_lines(const struct matcher *m, const struct lines *l, int cpu, size_t *fired)
{
	struct match_item	 it = { "bench", NULL, NULL, NULL, NULL, 0, NULL };
	size_t			 i;
	double			 t0 = cpu ? cpu_now() : now();

	*fired = 0;
	for (i = 0; i < l->n; i++) {
		it.content = l->v[i];
		if (matcher_run(m, &it, 0, count_cb, fired) == -1)
			return -1;
	}
	return (double)l->bytes / 1e6 / ((cpu ? cpu_now() : now()) - t0);
}

/* A configuration of one rule, match = any, over n actors of one alias each (names[i]). */
struct alias_conf {
	struct conf		 c;
	struct conf_rule	 rule;
};

static void
alias_conf_init(struct alias_conf *ac, char **names, size_t n)
{
	size_t	 i;

	memset(ac, 0, sizeof(*ac));
	ac->c.entities = xcalloc(n ? n : 1, sizeof(*ac->c.entities));
	for (i = 0; i < n; i++) {
		ac->c.entities[i].name = names[i];
		ac->c.entities[i].aliases = &ac->c.entities[i].name;
		ac->c.entities[i].naliases = 1;
		ac->c.entities[i].kind = ENTITY_ACTOR;
		ac->c.entities[i].in = -1;
	}
	ac->c.nentities = n;
	ac->rule.name = "bench";
	ac->rule.actors = xcalloc(n ? n : 1, sizeof(size_t));
	for (i = 0; i < n; i++)
		ac->rule.actors[i] = i;
	ac->rule.nactors = n;
	ac->rule.mode = MATCH_ANY;
	ac->rule.fields = FIELD_ALL;
	ac->c.rules = &ac->rule;
	ac->c.nrules = 1;
}

static void
alias_conf_free(struct alias_conf *ac)
{
	free(ac->rule.actors);
	free(ac->c.entities);
}

static int
run(const char *aliases_path, const char *corpus_path)
{
	struct alias_conf	 ac;
	struct lines		 l;
	struct matcher		*m;
	size_t			 alen, clen, n = 0, fired;
	char			*aliases, *corpus, *p, *nl, **names = NULL;
	double			 t0, tc, mbs;

	if ((aliases = slurp(aliases_path, &alen)) == NULL ||
	    (corpus = slurp(corpus_path, &clen)) == NULL) {
		fprintf(stderr, "bench_match: cannot read input\n");
		return 1;
	}
	for (p = aliases; *p; p = nl + 1) {
		if ((nl = strchr(p, '\n')) == NULL)
			break;
		*nl = '\0';
		names = xreallocarray(names, n + 1, sizeof(*names));
		names[n++] = p;
	}
	alias_conf_init(&ac, names, n);
	lines_cut(&l, corpus, clen);
	t0 = now();
	if ((m = matcher_new(&ac.c)) == NULL)
		return 1;
	tc = now() - t0;
	if ((mbs = match_lines(m, &l, 0, &fired)) < 0)
		return 1;
	printf("aliases %zu compile %.3f s items %zu matched %zu bytes %zu seconds %.3f MB/s %.1f\n",
	    n, tc, l.n, fired, clen, (double)clen / 1e6 / mbs, mbs);
	matcher_free(m);
	alias_conf_free(&ac);
	free(l.v);
	free(names);
	free(aliases);
	free(corpus);
	return 0;
}

/* This process's resident memory in kB, now (VmRSS) or at its peak (VmHWM); 0 if unknown. */
static long
rss_kb(const char *key)
{
	FILE	*f = fopen("/proc/self/status", "r");
	char	 line[256];
	long	 kb = 0;

	if (f == NULL)
		return 0;
	while (fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, key, strlen(key)) == 0)
			kb = atol(line + strlen(key));
	fclose(f);
	return kb;
}

/* A real configuration loaded and compiled, with what that cost. */
struct conf_run {
	struct conf	*c;
	struct matcher	*m;
	size_t		 aliases;
	double		 load, compile;	/* seconds */
	double		 added, peak;	/* MB of resident memory, after and at most */
};

/* Loads and compiles conf_path; the times in processor time when cpu, else wall-clock. */
static int
conf_run_load(struct conf_run *cr, const char *conf_path, int cpu)
{
	double	 (*timer)(void) = cpu ? cpu_now : now, t0;
	long	 rss0;
	size_t	 i;

	memset(cr, 0, sizeof(*cr));
	rss0 = rss_kb("VmRSS:");
	t0 = timer();
	if (conf_load(conf_path, &cr->c, stderr) == -1)
		return -1;
	cr->load = timer() - t0;
	t0 = timer();
	if ((cr->m = matcher_new(cr->c)) == NULL)
		return -1;
	cr->compile = timer() - t0;
	cr->added = (double)(rss_kb("VmRSS:") - rss0) / 1024;
	cr->peak = (double)(rss_kb("VmHWM:") - rss0) / 1024;
	for (i = 0; i < cr->c->nentities; i++)
		cr->aliases += cr->c->entities[i].naliases;
	return 0;
}

static void
conf_run_free(struct conf_run *cr)
{
	matcher_free(cr->m);
	conf_free(cr->c);
}

static int
run_conf(const char *conf_path, const char *corpus_path)
{
	struct conf_run	 cr;
	struct lines	 l;
	size_t		 clen, fired;
	char		*corpus;
	double		 mbs;

	if ((corpus = slurp(corpus_path, &clen)) == NULL) {
		fprintf(stderr, "bench_match: cannot read input\n");
		return 1;
	}
	lines_cut(&l, corpus, clen);
	if (conf_run_load(&cr, conf_path, 0) == -1 || (mbs = match_lines(cr.m, &l, 0, &fired)) < 0)
		return 1;
	printf("entities %zu aliases %zu load %.3f s compile %.3f s added-rss %.1f MB (peak %.1f) "
	    "items %zu matched %zu bytes %zu seconds %.3f MB/s %.1f\n", cr.c->nentities,
	    cr.aliases, cr.load, cr.compile, cr.added, cr.peak, l.n, fired, clen,
	    (double)clen / 1e6 / mbs, mbs);
	conf_run_free(&cr);
	free(l.v);
	free(corpus);
	return 0;
}

/*
 * Issue 15's scale: matchers over 100 to 100,000 generated aliases (and the configuration, if
 * any), all compiled first, then timed one after the other, round after round, keeping each
 * one's best, in MB per second of processor time (cpu_now; compile and load times too).
 * Interleaved so that a busy machine slows them alike, and the ratios printed compare figures
 * from the same run. The configuration is loaded first, so that its added
 * memory is not taken from pages the others freed.
 */
#define SCALE_SETS	4
static const long scale_sizes[SCALE_SETS] = { 100, 1000, 10000, 100000 };

static int
run_scale(int runs, const char *corpus_path, const char *conf_path)
{
	struct alias_conf	 ac[SCALE_SETS];
	struct matcher		*m[SCALE_SETS + 1];
	struct conf_run		 cr;
	struct lines		 l;
	char			**names, *corpus;
	size_t			 clen, fired[SCALE_SETS + 1], nm = SCALE_SETS, k;
	long			 i, nmax = scale_sizes[SCALE_SETS - 1];
	double			 tc[SCALE_SETS], best[SCALE_SETS + 1], mbs, t0;
	int			 r;

	if ((corpus = slurp(corpus_path, &clen)) == NULL) {
		fprintf(stderr, "bench_match: cannot read input\n");
		return 1;
	}
	lines_cut(&l, corpus, clen);
	if (conf_path != NULL) {
		if (conf_run_load(&cr, conf_path, 1) == -1)
			return 1;
		m[nm++] = cr.m;
	}
	names = xcalloc((size_t)nmax, sizeof(*names));
	for (i = 0; i < nmax; i++) {
		names[i] = xmalloc(64);
		alias_at(i, names[i], 64);
	}
	for (k = 0; k < SCALE_SETS; k++) {
		alias_conf_init(&ac[k], names, (size_t)scale_sizes[k]);
		t0 = cpu_now();
		if ((m[k] = matcher_new(&ac[k].c)) == NULL)
			return 1;
		tc[k] = cpu_now() - t0;
	}
	for (k = 0; k < nm; k++)
		best[k] = 0;
	for (r = 0; r < runs; r++)
		for (k = 0; k < nm; k++) {
			if ((mbs = match_lines(m[k], &l, 1, &fired[k])) < 0)
				return 1;
			if (mbs > best[k])
				best[k] = mbs;
		}
	printf("corpus %zu bytes, %zu items; processor time, MB/s best of %d runs, interleaved\n",
	    clen, l.n, runs);
	for (k = 0; k < SCALE_SETS; k++)
		printf("scale: aliases %ld compile %.3f s matched %zu MB/s %.1f\n", scale_sizes[k],
		    tc[k], fired[k], best[k]);
	printf("scale: flatness (MB/s with 100,000 aliases / with 100) %.2f\n",
	    best[SCALE_SETS - 1] / best[0]);
	if (conf_path != NULL) {
		printf("scale: conf entities %zu aliases %zu load %.3f s compile %.3f s added-rss "
		    "%.1f MB (peak %.1f) matched %zu MB/s %.1f\n", cr.c->nentities, cr.aliases,
		    cr.load, cr.compile, cr.added, cr.peak, fired[SCALE_SETS], best[SCALE_SETS]);
		printf("scale: conf ratio (MB/s / with 10,000 aliases) %.2f\n",
		    best[SCALE_SETS] / best[2]);
		conf_run_free(&cr);
	}
	for (k = 0; k < SCALE_SETS; k++) {
		matcher_free(m[k]);
		alias_conf_free(&ac[k]);
	}
	for (i = 0; i < nmax; i++)
		free(names[i]);
	free(names);
	free(l.v);
	free(corpus);
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "corpus") == 0)
		return gen_corpus(atol(argv[2]));
	if (argc == 3 && strcmp(argv[1], "aliases") == 0)
		return gen_aliases(atol(argv[2]));
	if (argc == 4 && strcmp(argv[1], "run") == 0)
		return run(argv[2], argv[3]);
	if (argc == 4 && strcmp(argv[1], "conf") == 0)
		return run_conf(argv[2], argv[3]);
	if ((argc == 4 || argc == 5) && strcmp(argv[1], "scale") == 0 && atoi(argv[2]) > 0)
		return run_scale(atoi(argv[2]), argv[3], argc == 5 ? argv[4] : NULL);
	fprintf(stderr, "usage: bench_match corpus MB | aliases N | run ALIASES CORPUS | "
	    "conf CONFIG CORPUS | scale RUNS CORPUS [CONFIG]\n");
	return 2;
}
