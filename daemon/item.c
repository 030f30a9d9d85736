/* item.c: a parsed item's plain text, its identity keys (computed once) and alert records. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fold.h"
#include "item.h"
#include "text.h"
#include "util.h"

/* Text beyond this is not matched: a story's first 256 KiB say who and where. */
#define ITEM_TEXT_MAX	(256u * 1024)
/* Bytes of context on each side of a hit in an alert's snippet. */
#define SNIPPET_SIDE	60
/* Folded bytes: shorter titles ("Live", "Update") are not a story. */
#define STORY_TITLE_MIN	20

static char *
field_text(const struct parse_field *f)
{
	if (f->value == NULL)
		return NULL;
	if (f->type == PARSE_TEXT)
		return text_from_plain(f->value, strlen(f->value), ITEM_TEXT_MAX);
	return text_from_html(f->value, strlen(f->value), ITEM_TEXT_MAX);
}

void
item_text_from_parse(const struct parse_item *it, struct item_text *out)
{
	size_t	i;

	memset(out, 0, sizeof(*out));
	out->title = field_text(&it->title);
	out->summary = field_text(&it->summary);
	out->content = field_text(&it->content);
	if (it->ncategories > 0) {
		out->categories = xcalloc(it->ncategories, sizeof(char *));
		for (i = 0; i < it->ncategories; i++)
			out->categories[i] = text_from_plain(it->categories[i],
			    strlen(it->categories[i]), ITEM_TEXT_MAX);
		out->ncategories = it->ncategories;
	}
}

void
item_text_from_plain(const char *s, size_t len, struct item_text *out)
{
	const char	*nl = memchr(s, '\n', len);
	size_t		 tlen = nl ? (size_t)(nl - s) : len;

	memset(out, 0, sizeof(*out));
	out->title = text_from_plain(s, tlen, ITEM_TEXT_MAX);
	if (nl != NULL)
		out->content = text_from_plain(nl + 1, len - tlen - 1, ITEM_TEXT_MAX);
}

void
item_text_free(struct item_text *t)
{
	size_t	i;

	free(t->title);
	free(t->summary);
	free(t->content);
	for (i = 0; i < t->ncategories; i++)
		free(t->categories[i]);
	free(t->categories);
	free(t->article);
	memset(t, 0, sizeof(*t));
}

void
item_match_view(const struct item_text *t, const char *feed, struct match_item *out)
{
	out->feed = feed;
	out->title = t->title;
	out->summary = t->summary;
	out->content = t->content;
	out->categories = (const char **)t->categories;
	out->ncategories = t->ncategories;
	out->article = t->article;
}

/* FNV-1a (util.h) of s and a 0xff separator, so ("ab","c") and ("a","bc") differ; NULL adds
 * nothing. Item keys and fingerprints are stored: this must never change. */
static uint64_t
hash_field(uint64_t h, const char *s)
{
	if (s == NULL)
		return h;
	return fnv1a(fnv1a(h, s, strlen(s)), "\xff", 1);
}

/* The item's identity within its feed (see struct item). New string. */
static char *
item_key(const struct parse_item *it, const struct item_text *t)
{
	uint64_t	h = FNV1A_INIT;

	if (it->id != NULL && it->id[0] != '\0')
		return xstrcat3("id:", it->id, "");
	if (it->link != NULL && it->link[0] != '\0')
		return xstrcat3("link:", it->link, "");
	h = hash_field(h, t->title);
	h = hash_field(h, it->published ? it->published : it->updated);
	h = hash_field(h, t->summary);
	h = hash_field(h, t->content);
	return xasprintf("hash:%016llx", (unsigned long long)h);
}

uint64_t
item_fingerprint(const struct item_text *t)
{
	uint64_t	h = FNV1A_INIT;
	size_t		i;

	/* "" for NULL: a field stored empty and read back as NULL must not look changed. */
	h = hash_field(h, t->title ? t->title : "");
	h = hash_field(h, t->summary ? t->summary : "");
	h = hash_field(h, t->content ? t->content : "");
	for (i = 0; i < t->ncategories; i++)
		h = hash_field(h, t->categories[i]);
	return h;
}

static const char *
field_of(const struct item_text *t, unsigned field)
{
	switch (field) {
	case FIELD_TITLE:
		return t->title;
	case FIELD_SUMMARY:
		return t->summary;
	case FIELD_CONTENT:
		return t->content;
	case FIELD_ARTICLE:
		return t->article;
	default:
		return NULL;
	}
}

/* A category is short: a hit in one shows the whole category. */
static char *
category_line(const struct item_text *t, size_t i)
{
	return i < t->ncategories ? str_oneline(t->categories[i]) : NULL;
}

/* A few words around [start, end) of s, cut on UTF-8 boundaries, on one line. */
static char *
snippet(const char *s, size_t start, size_t end)
{
	size_t	 len, a, b;
	char	*raw, *line;

	if (s == NULL)
		return NULL;
	len = strlen(s);
	if (start > len)
		start = len;
	if (end > len || end < start)
		end = start;
	a = start > SNIPPET_SIDE ? start - SNIPPET_SIDE : 0;
	b = end + SNIPPET_SIDE < len ? end + SNIPPET_SIDE : len;
	while (a > 0 && ((unsigned char)s[a] & 0xc0) == 0x80)
		a--;
	while (b < len && ((unsigned char)s[b] & 0xc0) == 0x80)
		b++;
	/* Start and end on word boundaries when there is room to. */
	if (a > 0) {
		const char *sp = memchr(s + a, ' ', start - a);
		if (sp != NULL)
			a = (size_t)(sp - s) + 1;
	}
	if (b < len) {
		size_t k = b;
		while (k > end && s[k] != ' ')
			k--;
		if (k > end)
			b = k;
	}
	raw = xasprintf("%s%.*s%s", a > 0 ? "…" : "", (int)(b - a), s + a, b < len ? "…" : "");
	line = str_oneline(raw);
	free(raw);
	return line;
}

static void
add_hits(const struct conf *conf, const struct item_text *t, const char *kind,
    const struct match_hit *hits, size_t n, char ***names, size_t *nnames, struct alert *a)
{
	const struct match_hit	*h;
	struct alert_match	*m;
	const char		*text;
	size_t			 i;

	*names = n ? xcalloc(n, sizeof(char *)) : NULL;
	*nnames = n;
	a->matches = xreallocarray(a->matches, a->nmatches + n, sizeof(*a->matches));
	for (i = 0; i < n; i++) {
		h = &hits[i];
		(*names)[i] = xstrdup(conf->entities[h->entity].name);
		m = &a->matches[a->nmatches++];
		memset(m, 0, sizeof(*m));
		m->kind = xstrdup(kind);
		m->name = xstrdup(conf->entities[h->entity].name);
		m->alias = xstrdup(h->alias ? h->alias : conf->entities[h->via].name);
		m->field = xstrdup(match_field_name(h->field));
		if (h->field == FIELD_CATEGORY) {
			m->snippet = category_line(t, h->category);
		} else {
			text = field_of(t, h->field);
			m->snippet = snippet(text, h->start, h->end);
		}
		if (h->via != h->entity)
			m->via = xstrdup(conf->entities[h->via].name);
	}
}

void
item_alert(const struct conf *conf, const struct match_result *r, const struct item_text *t,
    const struct parse_item *it, const char *feed, time_t now, struct alert *a)
{
	const struct conf_rule	*rule = &conf->rules[r->rule];
	char			 iso[21];

	memset(a, 0, sizeof(*a));
	a->time = now;
	a->rule = xstrdup(rule->name);
	a->severity = (int)rule->severity;
	a->feed = xstrdup(feed);
	a->title = str_oneline(t->title ? t->title : "(untitled)");
	if (it != NULL) {
		a->link = it->link ? xstrdup(it->link) : NULL;
		a->item_id = it->id ? xstrdup(it->id) : NULL;
		if (it->published_t != 0) {
			time_iso8601(it->published_t, iso);
			a->published = xstrdup(iso);
		} else if (it->updated_t != 0) {
			time_iso8601(it->updated_t, iso);
			a->published = xstrdup(iso);
		} else if (it->published != NULL || it->updated != NULL) {
			a->published = str_oneline(it->published ? it->published : it->updated);
		}
	}
	add_hits(conf, t, "actor", r->actors, r->nactors, &a->actors, &a->nactors, a);
	add_hits(conf, t, "place", r->places, r->nplaces, &a->places, &a->nplaces, a);
	add_hits(conf, t, "keyword", r->keywords, r->nkeywords, &a->keywords, &a->nkeywords, a);
}

/* A link without scheme, "www.", fragment or trailing slash, host in lower case (new string). */
static char *
norm_link(const char *link)
{
	const char	*p = link;
	char		*r;
	size_t		 host, n, i;

	if (strncasecmp(p, "http://", 7) == 0)
		p += 7;
	else if (strncasecmp(p, "https://", 8) == 0)
		p += 8;
	if (strncasecmp(p, "www.", 4) == 0)
		p += 4;
	host = strcspn(p, "/?#");
	n = host + strcspn(p + host, "#");
	r = xstrndup(p, n);
	for (i = 0; i < host; i++)
		if (r[i] >= 'A' && r[i] <= 'Z')
			r[i] = (char)(r[i] - 'A' + 'a');
	while (n > 0 && r[n - 1] == '/')
		r[--n] = '\0';
	return r;
}

/* The title folded for comparison (case, marks, dashes, spaces), or NULL. No offset map is
 * wanted, so fold_buf_text rather than fold_text, which builds one of 8 bytes per byte. */
static char *
fold_title(const char *title)
{
	struct fold_buf	 fb;
	char		*r;
	size_t		 a = 0, n;

	if (title == NULL)
		return NULL;
	memset(&fb, 0, sizeof(fb));
	fold_buf_text(&fb, title, strlen(title), FOLD_ALL);
	n = fb.len;
	while (a < n && fb.s[a] == ' ')
		a++;
	while (n > a && fb.s[n - 1] == ' ')
		n--;
	r = n > a ? xstrndup(fb.s + a, n - a) : NULL;
	fold_buf_free(&fb);
	return r;
}

/* The keys of link and title: the alt key (NULL unless both), the story keys (either NULL). */
static void
keys_of(const char *link, const char *title, char **alt, char *story[2])
{
	char	*l = NULL, *t;

	story[0] = story[1] = NULL;
	t = fold_title(title);
	if (link != NULL && *link != '\0') {
		l = norm_link(link);
		story[0] = xstrcat3("link:", l, "");
	}
	if (t != NULL && strlen(t) >= STORY_TITLE_MIN)
		story[1] = xstrcat3("title:", t, "");
	if (alt != NULL)
		*alt = l != NULL && t != NULL ? xstrcat3(l, "\n", t) : NULL;
	free(l);
	free(t);
}

void
item_story_keys(const char *link, const char *title, char *keys[2])
{
	keys_of(link, title, NULL, keys);
}

void
item_from_parse(const struct parse_item *it, struct item *out)
{
	memset(out, 0, sizeof(*out));
	item_text_from_parse(it, &out->text);
	out->link = it->link ? xstrdup(it->link) : NULL;
	out->published = it->published_t ? it->published_t : it->updated_t;
	out->key = item_key(it, &out->text);
	out->fp = item_fingerprint(&out->text);
}

void
item_keys(struct item *item)
{
	free(item->alt_key);
	free(item->story[0]);
	free(item->story[1]);
	keys_of(item->link, item->text.title, &item->alt_key, item->story);
}

void
item_free(struct item *item)
{
	item_text_free(&item->text);
	free(item->link);
	free(item->key);
	free(item->alt_key);
	free(item->story[0]);
	free(item->story[1]);
	memset(item, 0, sizeof(*item));
}
