/* gazetteer.c: loads the built-in places and actors and finds them by folded name, id and parent. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fold.h"
#include "gazetteer.h"
#include "ini.h"
#include "util.h"

#ifndef NW_DATADIR
#define NW_DATADIR	"/usr/local/share/newswatch"
#endif

/* places.tsv is about 3 MB; refuse anything far larger rather than read it whole. */
#define GAZ_FILE_MAX	(256u * 1024 * 1024)
#define GAZ_ACTOR_LINE_MAX	65532

struct gaz_key {
	uint64_t	 h;
	uint32_t	 entry;
	uint32_t	 display;	/* 1: the entry's display name */
};

/* In memory only: any hash that spreads names would do. */
static uint64_t
hash_bytes(const char *s, size_t n)
{
	return fnv1a(FNV1A_INIT, s, n);
}

/*
 * Sorts k[0..n) by hash, keeping the order of keys with the same hash: the tables are filled in
 * entry order, so that is the order of (hash, entry), as qsort had them. An LSD radix sort, a
 * byte per pass: qsort's 3 million comparisons of the 186,000 names were a fifth of the daemon's
 * start-up; a load of data/ took 62 ms with them, 38 ms with this.
 */
static void
key_sort(struct gaz_key *k, size_t n)
{
	struct gaz_key	*tmp, *from = k, *to, *swap;
	size_t		 count[256], i, sum, c;
	unsigned	 shift;

	if (n < 2)
		return;
	tmp = xcalloc(n, sizeof(*tmp));
	to = tmp;
	for (shift = 0; shift < 64; shift += 8) {
		memset(count, 0, sizeof(count));
		for (i = 0; i < n; i++)
			count[(from[i].h >> shift) & 0xff]++;
		/* A byte all keys share leaves the order as it is: skip the pass. */
		if (count[(from[0].h >> shift) & 0xff] == n)
			continue;
		for (i = 0, sum = 0; i < 256; i++) {
			c = count[i];
			count[i] = sum;
			sum += c;
		}
		for (i = 0; i < n; i++)
			to[count[(from[i].h >> shift) & 0xff]++] = from[i];
		swap = from;
		from = to;
		to = swap;
	}
	if (from != k)
		memcpy(k, from, n * sizeof(*k));
	free(tmp);
}

/* The first key with hash h in k[0..n), or n. */
static size_t
key_lower(const struct gaz_key *k, size_t n, uint64_t h)
{
	size_t	 lo = 0, hi = n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (k[mid].h < h)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

const char *
gaz_kind_name(char kind)
{
	switch (kind) {
	case GAZ_COUNTRY:
		return "country";
	case GAZ_REGION:
		return "region";
	case GAZ_CITY:
		return "city";
	default:
		return "actor";
	}
}

static void
seterr(char *err, size_t errsz, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(err, errsz, fmt, ap);
	va_end(ap);
}

/* Reads path whole into a NUL-terminated buffer. */
static char *
read_file(const char *path, size_t *len, char *err, size_t errsz)
{
	struct stat	 st;
	char		*b;
	FILE		*fp;
	size_t		 n;
	int		 e;

	if ((fp = fopen(path, "r")) == NULL) {
		e = errno;
		seterr(err, errsz, "%s: cannot open: %s", path, strerror(e));
		errno = e;
		return NULL;
	}
	if (fstat(fileno(fp), &st) == -1 || st.st_size < 0 || (size_t)st.st_size > GAZ_FILE_MAX) {
		seterr(err, errsz, "%s: not a regular file of at most %u MB", path,
		    GAZ_FILE_MAX >> 20);
		fclose(fp);
		errno = EFBIG;
		return NULL;
	}
	b = xmalloc((size_t)st.st_size + 1);
	n = fread(b, 1, (size_t)st.st_size, fp);
	if (ferror(fp)) {
		e = errno;
		seterr(err, errsz, "%s: read error: %s", path, strerror(e));
		fclose(fp);
		free(b);
		errno = e;
		return NULL;
	}
	fclose(fp);
	b[n] = '\0';
	*len = n;
	return b;
}

/* Splits s at the next c (replaced by NUL); returns what follows, or NULL if there is no c. */
static char *
cut(char *s, int c)
{
	char	*p = strchr(s, c);

	if (p == NULL)
		return NULL;
	*p = '\0';
	return p + 1;
}

static int
parse_places(struct gazetteer *g, const char *path, char *err, size_t errsz)
{
	char		*line, *next, *f[7], *end;
	size_t		 cap = 0;
	int		 lineno = 0, k;
	struct gaz_entry *e;

	for (line = g->buf; line != NULL && *line != '\0'; line = next) {
		lineno++;
		next = cut(line, '\n');
		if (line[0] == '#' || line[0] == '\0')
			continue;
		f[0] = line;
		for (k = 1; k < 7; k++)
			if ((f[k] = cut(f[k - 1], '\t')) == NULL)
				break;
		if (k < 7 || strchr(f[6], '\t') != NULL) {
			seterr(err, errsz, "%s:%d: expected 7 tab-separated fields (kind id cc "
			    "parent population name names)", path, lineno);
			return -1;
		}
		if ((f[0][0] != GAZ_COUNTRY && f[0][0] != GAZ_REGION && f[0][0] != GAZ_CITY) ||
		    f[0][1] != '\0') {
			seterr(err, errsz, "%s:%d: bad kind \"%s\": expected C, A or P", path,
			    lineno, f[0]);
			return -1;
		}
		if (g->n == cap) {
			cap = cap ? cap * 2 : 40000;
			g->e = xreallocarray(g->e, cap, sizeof(*g->e));
		}
		e = &g->e[g->n];
		memset(e, 0, sizeof(*e));
		e->kind = f[0][0];
		e->id = f[1];
		e->cc = f[2];
		/* The parent's id for now; resolved to an index once every id is known. */
		e->names = f[3];
		errno = 0;
		e->population = strtoul(f[4], &end, 10);
		if (errno != 0 || *end != '\0' || end == f[4]) {
			seterr(err, errsz, "%s:%d: bad population \"%s\"", path, lineno, f[4]);
			return -1;
		}
		e->name = f[5];
		e->akind = f[6];	/* the names, for now */
		e->line = lineno;
		e->parent = -1;
		g->n++;
	}
	g->nplaces = g->n;
	return 0;
}

/*
 * Adds an actor's aliases from one "aliases" value (comma-separated) to list; a "not" value's
 * phrases with GAZ_NAME_NOT before each (not): no name of the actor inside them counts.
 */
static void
actor_aliases(struct buf *list, const char *value, int not)
{
	const char	*s = value, *c;
	size_t		 n;

	while (*s != '\0') {
		c = strchr(s, ',');
		n = c ? (size_t)(c - s) : strlen(s);
		while (n > 0 && (*s == ' ' || *s == '\t')) {
			s++;
			n--;
		}
		while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
			n--;
		if (n > 0 && memchr(s, '|', n) == NULL) {
			if (list->len > 0)
				buf_putc(list, '|');
			if (not)
				buf_putc(list, GAZ_NAME_NOT);
			buf_append(list, s, n);
		}
		if (c == NULL)
			break;
		s = c + 1;
	}
}

static const char *
actor_str(struct gazetteer *g, const char *s)
{
	g->actor_strs = xreallocarray(g->actor_strs, g->nactor_strs + 1, sizeof(char *));
	g->actor_strs[g->nactor_strs] = xstrdup(s);
	return g->actor_strs[g->nactor_strs++];
}

/* Ends the actor being read: its names become "name|alias|alias". */
static void
actor_end(struct gazetteer *g, struct buf *list)
{
	g->e[g->n - 1].names = actor_str(g, list->len ? list->data : "");
	buf_reset(list);
}

/* Reads actors.conf; a missing file is no error. Unknown sections and keys are skipped. */
static int
parse_actors(struct gazetteer *g, const char *path, char *err, size_t errsz)
{
	struct ini	 ini;
	struct ini_line	 l;
	struct buf	 list;
	struct gaz_entry *e;
	FILE		*fp;
	const char	*name;
	int		 rc, in_actor = 0;

	if ((fp = fopen(path, "r")) == NULL) {
		if (errno == ENOENT)
			return 0;
		seterr(err, errsz, "%s: cannot open: %s", path, strerror(errno));
		return -1;
	}
	ini_init(&ini, fp, GAZ_ACTOR_LINE_MAX);
	buf_init(&list, 0);
	while ((rc = ini_next(&ini, &l)) == 1) {
		if (l.kind == INI_ERROR) {
			seterr(err, errsz, "%s:%d: %s", path, l.lineno, l.error);
			rc = -1;
			break;
		}
		if (l.kind == INI_SECTION) {
			if (in_actor)
				actor_end(g, &list);
			in_actor = 0;
			if (l.name == NULL || strncmp(l.name, "actor ", 6) != 0)
				continue;
			for (name = l.name + 6; *name == ' '; name++)
				;
			if (*name == '\0')
				continue;
			in_actor = 1;
			g->e = xreallocarray(g->e, g->n + 1, sizeof(*g->e));
			e = &g->e[g->n++];
			memset(e, 0, sizeof(*e));
			e->kind = GAZ_ACTOR;
			e->id = e->name = actor_str(g, name);
			e->cc = "";
			e->akind = "";
			e->parent = -1;
			e->line = l.lineno;
			buf_puts(&list, name);
			continue;
		}
		if (!in_actor || (l.kind != INI_KEY && l.kind != INI_MORE))
			continue;
		e = &g->e[g->n - 1];
		if (strcmp(l.key, "aliases") == 0)
			actor_aliases(&list, l.value, 0);
		else if (strcmp(l.key, "not") == 0)
			actor_aliases(&list, l.value, 1);
		else if (l.kind != INI_KEY)
			continue;
		else if (strcmp(l.key, "kind") == 0)
			e->akind = actor_str(g, l.value);
		else if (strcmp(l.key, "country") == 0)
			e->cc = actor_str(g, l.value);
		else if (strcmp(l.key, "from") == 0)
			e->from = actor_str(g, l.value);
		else if (strcmp(l.key, "until") == 0)
			e->until = actor_str(g, l.value);
	}
	if (rc == 0 && in_actor)
		actor_end(g, &list);
	else if (rc == -1 && err[0] == '\0')
		seterr(err, errsz, "%s: read error: %s", path, strerror(errno));
	buf_free(&list);
	ini_free(&ini);
	fclose(fp);
	return rc == 0 ? 0 : -1;
}

int
gaz_name_next(const struct gazetteer *g, size_t i, size_t *pos, struct gaz_name *out)
{
	const struct gaz_entry *e = &g->e[i];
	const char	*s = e->names + *pos, *bar;
	size_t		 n;

	while (*s == '|')
		s++;
	if (*s == '\0')
		return 0;
	bar = strchr(s, '|');
	n = bar ? (size_t)(bar - s) : strlen(s);
	*pos = (size_t)(s - e->names) + n;
	memset(out, 0, sizeof(*out));
	/* @ also a person's name (Jordan; an actor's: a given name, Erdoğan Atalay) */
	if (n > 0 && *s == GAZ_NAME_PERSON) {
		out->person = 1;
		s++;
		n--;
	}
	/* ^ weak only outside Persian text (before ~ only: a place's, not an actor's) */
	if (n > 1 && *s == GAZ_NAME_PERSIAN && s[1] == GAZ_NAME_WEAK && e->kind != GAZ_ACTOR) {
		out->persian = 1;
		s++;
		n--;
	}
	/* % shared with namesakes abroad (before ~ only, as ^) */
	if (n > 1 && *s == GAZ_NAME_SHARED && s[1] == GAZ_NAME_WEAK && e->kind != GAZ_ACTOR) {
		out->shared = 1;
		s++;
		n--;
	}
	/* ~ weak or ! not the entry; a place's name may also be = exact, and have a language */
	if (n > 0 && (*s == GAZ_NAME_WEAK || *s == GAZ_NAME_NOT ||
	    (e->kind != GAZ_ACTOR && *s == GAZ_NAME_EXACT))) {
		out->flag = *s;
		s++;
		n--;
	}
	if (e->kind != GAZ_ACTOR && n > 3 && s[2] == ':' && s[0] >= 'a' && s[0] <= 'z' &&
	    s[1] >= 'a' && s[1] <= 'z') {
		out->lang[0] = s[0];
		out->lang[1] = s[1];
		s += 3;
		n -= 3;
	}
	out->s = s;
	out->len = n;
	return 1;
}

/* An actor's alias without its quotes and trailing '*', for the name index. */
static void
bare(const char **s, size_t *n)
{
	if (*n > 0 && (*s)[*n - 1] == '*')
		(*n)--;
	if (*n >= 2 && (*s)[0] == '"' && (*s)[*n - 1] == '"') {
		(*s)++;
		*n -= 2;
	}
}

/* Adds the folded form of s[0..n) as a name of entry i to the index: 0 and its key in *h, or -1
 * if it folds to nothing (not added). */
static int
add_key(struct gazetteer *g, struct fold_buf *fb, size_t *cap, size_t i, const char *s, size_t n,
    int display, uint64_t *h)
{
	bare(&s, &n);
	if (fold_key(fb, s, n, h) == -1)
		return -1;
	if (g->nnames == *cap) {
		*cap *= 2;
		g->names = xreallocarray(g->names, *cap, sizeof(*g->names));
	}
	g->names[g->nnames++] = (struct gaz_key){ *h, (uint32_t)i, (uint32_t)display };
	return 0;
}

/*
 * Keeps the key of region i's name nm for gaz_region_keys, which would otherwise fold every
 * region's names a second time. r and h are what add_key gave for it; its key there was taken
 * without quotes and '*' (bare), which gaz_region_keys never strips: such a name is folded again.
 */
static void
add_region_name(struct gazetteer *g, struct fold_buf *fb, size_t *cap, size_t i,
    const struct gaz_name *nm, int r, uint64_t h)
{
	const char	*s = nm->s;
	size_t		 n = nm->len;

	if (nm->flag == GAZ_NAME_NOT || nm->flag == GAZ_NAME_WEAK)
		return;
	bare(&s, &n);
	if (s != nm->s || n != nm->len)
		r = fold_key(fb, nm->s, nm->len, &h);
	if (r == -1)
		return;
	if (g->nregion_names == *cap) {
		*cap = *cap ? *cap * 2 : 1024;
		g->region_names = xreallocarray(g->region_names, *cap, sizeof(*g->region_names));
	}
	g->region_names[g->nregion_names++] = (struct gaz_key){ h, (uint32_t)i, 0 };
}

static int
build_index(struct gazetteer *g, char *err, size_t errsz)
{
	struct fold_buf	 fb;
	struct gaz_name	 nm;
	const char	*s;
	size_t		 i, pos, cap, rcap = 0;
	uint64_t	 h;
	long		 p;
	int		 r;

	/* Ids first: every parent must resolve. */
	g->ids = xcalloc(g->n ? g->n : 1, sizeof(*g->ids));
	for (i = 0; i < g->n; i++)
		g->ids[i] = (struct gaz_key){ hash_bytes(g->e[i].id, strlen(g->e[i].id)),
		    (uint32_t)i, 0 };
	key_sort(g->ids, g->n);
	for (i = 0; i < g->nplaces; i++) {
		s = g->e[i].names;	/* the parent's id, see parse_places */
		g->e[i].names = g->e[i].akind;
		g->e[i].akind = NULL;
		if (strcmp(s, "-") == 0)
			continue;
		if ((p = gaz_find_id(g, s)) == -1 || (size_t)p >= g->nplaces) {
			seterr(err, errsz, "%s/%s:%d: unknown parent \"%s\"", g->dir,
			    GAZ_PLACES_FILE, g->e[i].line, s);
			return -1;
		}
		g->e[i].parent = (int32_t)p;
	}
	for (i = g->nplaces; i < g->n; i++)
		if (g->e[i].cc[0] != '\0' && (p = gaz_find_id(g, g->e[i].cc)) != -1 &&
		    g->e[p].kind == GAZ_COUNTRY)
			g->e[i].parent = (int32_t)p;

	/* Children grouped by parent: count, prefix sums, fill. */
	g->children = xcalloc(g->n ? g->n : 1, sizeof(*g->children));
	for (i = 0; i < g->nplaces; i++)
		if (g->e[i].parent >= 0)
			g->e[g->e[i].parent].nchild++;
	for (i = 0, pos = 0; i < g->n; i++) {
		g->e[i].child = (uint32_t)pos;
		pos += g->e[i].nchild;
		g->e[i].nchild = 0;
	}
	for (i = 0; i < g->nplaces; i++)
		if ((p = g->e[i].parent) >= 0)
			g->children[g->e[p].child + g->e[p].nchild++] = (uint32_t)i;

	/* Folded names: the display name and every name of every entry. */
	memset(&fb, 0, sizeof(fb));
	cap = g->n * 8;
	g->names = xcalloc(cap, sizeof(*g->names));
	for (i = 0; i < g->n; i++) {
		add_key(g, &fb, &cap, i, g->e[i].name, strlen(g->e[i].name), 1, &h);
		for (pos = 0; gaz_name_next(g, i, &pos, &nm); ) {
			r = add_key(g, &fb, &cap, i, nm.s, nm.len, 0, &h);
			if (g->e[i].kind == GAZ_REGION)
				add_region_name(g, &fb, &rcap, i, &nm, r, h);
		}
	}
	fold_buf_free(&fb);
	key_sort(g->names, g->nnames);
	return 0;
}

int
gaz_load(const char *dir, struct gazetteer **out, char *err, size_t errsz)
{
	struct gazetteer *g = xcalloc(1, sizeof(*g));
	char		*path;
	int		 e;

	*out = NULL;
	err[0] = '\0';
	g->dir = xstrdup(dir);
	path = xasprintf("%s/%s", dir, GAZ_PLACES_FILE);
	if ((g->buf = read_file(path, &g->len, err, errsz)) == NULL) {
		e = errno;
		free(path);
		gaz_free(g);
		errno = e;
		return -1;
	}
	if (parse_places(g, path, err, errsz) == -1) {
		free(path);
		gaz_free(g);
		errno = EINVAL;
		return -1;
	}
	free(path);
	path = xasprintf("%s/%s", dir, GAZ_ACTORS_FILE);
	if (parse_actors(g, path, err, errsz) == -1 || build_index(g, err, errsz) == -1) {
		free(path);
		gaz_free(g);
		errno = EINVAL;
		return -1;
	}
	free(path);
	*out = g;
	return 0;
}

void
gaz_free(struct gazetteer *g)
{
	size_t	 i;

	if (g == NULL)
		return;
	for (i = 0; i < g->nactor_strs; i++)
		free(g->actor_strs[i]);
	free(g->actor_strs);
	free(g->names);
	free(g->region_names);
	free(g->ids);
	free(g->children);
	free(g->e);
	free(g->buf);
	free(g->dir);
	free(g);
}

const char *
gaz_default_dir(void)
{
	static const char *const dirs[] = {
		NW_DATADIR,
#ifdef NW_SOURCE_DATADIR
		NW_SOURCE_DATADIR,
#endif
	};
	const char *env = getenv("NEWSWATCH_DATADIR");
	char	 path[4096];
	size_t	 i;

	if (env != NULL && *env != '\0') {
		snprintf(path, sizeof(path), "%s/%s", env, GAZ_PLACES_FILE);
		return access(path, R_OK) == 0 ? env : NULL;
	}
	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dirs[i], GAZ_PLACES_FILE);
		if (access(path, R_OK) == 0)
			return dirs[i];
	}
	return NULL;
}

/* Orders candidates: a country before a region before a city before an actor, then population. */
static int
rank(char kind)
{
	return kind == GAZ_COUNTRY ? 0 : kind == GAZ_REGION ? 1 : kind == GAZ_CITY ? 2 : 3;
}

static int
better(const struct gazetteer *g, size_t a, size_t b)
{
	int	 ra = rank(g->e[a].kind), rb = rank(g->e[b].kind);

	if (ra != rb)
		return ra < rb;
	if (g->e[a].population != g->e[b].population)
		return g->e[a].population > g->e[b].population;
	return a < b;
}

size_t
gaz_find_all(const struct gazetteer *g, const char *name, long *out, size_t max)
{
	struct fold_buf	 fb;
	uint64_t	 h;
	size_t		 i, j, k, n = 0;
	long		 t;
	int		 r;

	memset(&fb, 0, sizeof(fb));
	r = fold_key(&fb, name, strlen(name), &h);
	fold_buf_free(&fb);
	if (r == -1)
		return 0;
	for (i = key_lower(g->names, g->nnames, h); i < g->nnames && g->names[i].h == h; i++) {
		for (j = 0; j < n && out[j] != (long)g->names[i].entry; j++)
			;
		if (j < n)
			continue;
		if (n < max)
			out[n++] = (long)g->names[i].entry;
		/* Insertion into place: the lists are short. */
		for (k = n - 1; k > 0 && better(g, (size_t)out[k], (size_t)out[k - 1]); k--) {
			t = out[k];
			out[k] = out[k - 1];
			out[k - 1] = t;
		}
	}
	return n;
}

long
gaz_find(const struct gazetteer *g, const char *name, int actors)
{
	long	 found[64];
	size_t	 i, n;

	n = gaz_find_all(g, name, found, sizeof(found) / sizeof(found[0]));
	for (i = 0; i < n; i++)
		if ((g->e[found[i]].kind == GAZ_ACTOR) == (actors != 0))
			return found[i];
	return -1;
}

long
gaz_find_id(const struct gazetteer *g, const char *id)
{
	uint64_t h = hash_bytes(id, strlen(id));
	size_t	 i;

	for (i = key_lower(g->ids, g->n, h); i < g->n && g->ids[i].h == h; i++)
		if (strcmp(g->e[g->ids[i].entry].id, id) == 0)
			return (long)g->ids[i].entry;
	return -1;
}

size_t
gaz_descendants(const struct gazetteer *g, size_t i)
{
	size_t	 k, n = g->e[i].nchild;

	for (k = 0; k < g->e[i].nchild; k++)
		n += gaz_descendants(g, g->children[g->e[i].child + k]);
	return n;
}

static int
region_key_cmp(const void *a, const void *b)
{
	const struct gaz_region_key	*x = a, *y = b;
	int				 d;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	if ((d = strcmp(x->cc, y->cc)) != 0)
		return d;
	return strcmp(x->id, y->id);
}

/* Does a region's name with key h tell a namesake (gaz_region_keys)? */
static int
region_key_ok(const struct gazetteer *g, size_t region, uint64_t h)
{
	const struct gaz_entry	*e;
	size_t			 i;

	for (i = key_lower(g->names, g->nnames, h); i < g->nnames && g->names[i].h == h; i++) {
		e = &g->e[g->names[i].entry];
		if (e->kind == GAZ_COUNTRY || (e->kind == GAZ_CITY && e->parent == (int32_t)region))
			return 0;
	}
	return 1;
}

size_t
gaz_region_keys(const struct gazetteer *g, struct gaz_region_key **out)
{
	struct gaz_region_key	*k = NULL;
	const char		*cc;
	size_t			 i, n = 0, cap = 0, kept, len;

	/* The names were folded when the index was built (add_region_name). */
	for (i = 0; i < g->nregion_names; i++) {
		if (!region_key_ok(g, g->region_names[i].entry, g->region_names[i].h))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 1024;
			k = xreallocarray(k, cap, sizeof(*k));
		}
		k[n].key = g->region_names[i].h;
		/* A country code, cut to two bytes as the field is. */
		cc = g->e[g->region_names[i].entry].cc;
		len = strnlen(cc, sizeof(k[n].cc) - 1);
		memcpy(k[n].cc, cc, len);
		k[n].cc[len] = '\0';
		snprintf(k[n].id, sizeof(k[n].id), "%s", g->e[g->region_names[i].entry].id);
		n++;
	}
	if (n > 0)
		qsort(k, n, sizeof(*k), region_key_cmp);
	for (i = 0, kept = 0; i < n; i++)
		if (kept == 0 || region_key_cmp(&k[kept - 1], &k[i]) != 0)
			k[kept++] = k[i];
	*out = k;
	return kept;
}
