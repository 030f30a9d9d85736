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

static int
gen_aliases(long n)
{
	char	 name[64];
	long	 i;

	for (i = 0; i < n; i++) {
		if ((size_t)i < NREAL)
			printf("%s\n", real_names[i]);
		else {
			gen_name((uint64_t)i * 2, name, sizeof(name));	/* half of the corpus names */
			printf("%s\n", name);
		}
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

/* Runs m over each line of the corpus as one item's content (the lines are cut in place). */
static int
match_corpus(const struct matcher *m, char *corpus, size_t clen, size_t *fired, size_t *items)
{
	struct match_item	 it = { "bench", NULL, NULL, NULL, NULL, 0 };
	char			*p, *nl;

	for (p = corpus; p < corpus + clen; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(corpus + clen - p))) == NULL)
			nl = corpus + clen;
		*nl = '\0';
		it.content = p;
		if (matcher_run(m, &it, 0, count_cb, fired) == -1)
			return -1;
		(*items)++;
	}
	return 0;
}

static int
run(const char *aliases_path, const char *corpus_path)
{
	struct conf		 c;
	struct conf_rule	 rule;
	struct matcher		*m;
	size_t			 alen, clen, n = 0, i, fired = 0, items = 0;
	char			*aliases, *corpus, *p, *nl;
	double			 t0, t1, tc;

	if ((aliases = slurp(aliases_path, &alen)) == NULL ||
	    (corpus = slurp(corpus_path, &clen)) == NULL) {
		fprintf(stderr, "bench_match: cannot read input\n");
		return 1;
	}
	memset(&c, 0, sizeof(c));
	memset(&rule, 0, sizeof(rule));
	for (p = aliases; *p; p = nl + 1) {
		if ((nl = strchr(p, '\n')) == NULL)
			break;
		*nl = '\0';
		c.entities = xreallocarray(c.entities, n + 1, sizeof(*c.entities));
		memset(&c.entities[n], 0, sizeof(c.entities[n]));
		c.entities[n].name = p;
		c.entities[n].kind = ENTITY_ACTOR;
		c.entities[n].naliases = 1;
		c.entities[n].in = -1;
		n++;
	}
	c.nentities = n;
	for (i = 0; i < n; i++)	/* now that the array has stopped moving */
		c.entities[i].aliases = &c.entities[i].name;
	rule.name = "bench";
	rule.actors = xcalloc(n, sizeof(size_t));
	for (i = 0; i < n; i++)
		rule.actors[i] = i;
	rule.nactors = n;
	rule.mode = MATCH_ANY;
	rule.fields = FIELD_ALL;
	c.rules = &rule;
	c.nrules = 1;

	t0 = now();
	if ((m = matcher_new(&c)) == NULL)
		return 1;
	tc = now() - t0;
	t0 = now();
	if (match_corpus(m, corpus, clen, &fired, &items) == -1)
		return 1;
	t1 = now();
	printf("aliases %zu compile %.3f s items %zu matched %zu bytes %zu seconds %.3f MB/s %.1f\n",
	    n, tc, items, fired, clen, t1 - t0, (double)clen / 1e6 / (t1 - t0));
	matcher_free(m);
	free(rule.actors);
	free(c.entities);
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

static int
run_conf(const char *conf_path, const char *corpus_path)
{
	struct conf		*c;
	struct matcher		*m;
	size_t			 clen, fired = 0, items = 0, i, aliases = 0;
	char			*corpus;
	double			 t0, tl, tc, t1;
	long			 rss0, rss1, peak;

	if ((corpus = slurp(corpus_path, &clen)) == NULL) {
		fprintf(stderr, "bench_match: cannot read input\n");
		return 1;
	}
	rss0 = rss_kb("VmRSS:");
	t0 = now();
	if (conf_load(conf_path, &c, stderr) == -1)
		return 1;
	tl = now() - t0;
	t0 = now();
	if ((m = matcher_new(c)) == NULL)
		return 1;
	tc = now() - t0;
	rss1 = rss_kb("VmRSS:");
	peak = rss_kb("VmHWM:");
	for (i = 0; i < c->nentities; i++)
		aliases += c->entities[i].naliases;
	t0 = now();
	if (match_corpus(m, corpus, clen, &fired, &items) == -1)
		return 1;
	t1 = now();
	printf("entities %zu aliases %zu load %.3f s compile %.3f s added-rss %.1f MB (peak %.1f) "
	    "items %zu matched %zu bytes %zu seconds %.3f MB/s %.1f\n", c->nentities, aliases, tl,
	    tc, (double)(rss1 - rss0) / 1024, (double)(peak - rss0) / 1024, items, fired, clen,
	    t1 - t0,
	    (double)clen / 1e6 / (t1 - t0));
	matcher_free(m);
	conf_free(c);
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
	fprintf(stderr, "usage: bench_match corpus MB | aliases N | run ALIASES CORPUS | "
	    "conf CONFIG CORPUS\n");
	return 2;
}
