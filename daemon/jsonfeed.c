/* jsonfeed.c: JSON Feed 1.0/1.1 read with json-c's incremental tokener, mapped to parse.h items. */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "date.h"
#include "jsonfeed.h"
#include "log.h"
#include "util.h"

#define VERSION_PREFIX	"https://jsonfeed.org/version/1"

struct jsonfeed {
	struct jsonfeed_cb	 cb;
	void			*arg;
	struct parse_limits	 lim;
	char			*base_url;
	struct json_tokener	*tok;
	struct json_object	*doc;		/* the whole document, once it has ended */
	size_t			 nbytes;	/* document bytes so far, for error offsets */
	int			 trailing_noted;
	size_t			 nitems;
	size_t			 nskipped;
	int			 failed;
	char			 error[256];
	char			 where[32];	/* "item 3" or "feed", for repair notes */
};

static void
fail(struct jsonfeed *j, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Stops for good; the first reason wins. */
static void
fail(struct jsonfeed *j, const char *fmt, ...)
{
	va_list	ap;

	if (j->failed)
		return;
	j->failed = 1;
	va_start(ap, fmt);
	vsnprintf(j->error, sizeof(j->error), fmt, ap);
	va_end(ap);
}

static void
repair(struct jsonfeed *j, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
repair(struct jsonfeed *j, const char *fmt, ...)
{
	char	note[200];
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(note, sizeof(note), fmt, ap);
	va_end(ap);
	j->cb.repair(j->arg, note);
}

struct jsonfeed *
jsonfeed_new(const struct jsonfeed_cb *cb, void *arg, const char *base_url,
    const struct parse_limits *lim, size_t skipped)
{
	struct jsonfeed	*j;
	int		 depth;

	j = xcalloc(1, sizeof(*j));
	j->cb = *cb;
	j->arg = arg;
	j->lim = *lim;
	j->nbytes = skipped;
	j->base_url = base_url != NULL ? xstrdup(base_url) : NULL;
	/*
	 * json-c counts every value as a level, scalars too: containers nested max_depth deep,
	 * as elements are in XML, take one more.
	 */
	depth = lim->max_depth >= INT_MAX ? INT_MAX : (int)lim->max_depth + 1;
	if ((j->tok = json_tokener_new_ex(depth)) == NULL)
		fatal("out of memory creating the JSON parser");
	return j;
}

static int
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Bytes after the document's closing '}': white space is fine, anything else is ignored. */
static void
after_end(struct jsonfeed *j, const char *buf, size_t len)
{
	size_t	i;

	for (i = 0; i < len && !j->trailing_noted; i++)
		if (!is_space(buf[i])) {
			repair(j, "bytes after the JSON document ignored");
			j->trailing_noted = 1;
		}
}

int
jsonfeed_feed(struct jsonfeed *j, const char *buf, size_t len)
{
	enum json_tokener_error	 err;
	size_t			 n, end;

	while (!j->failed && len > 0) {
		if (j->doc != NULL) {
			after_end(j, buf, len);
			break;
		}
		/* json-c takes an int length: feed at most 1 MiB at a time. */
		n = len > 1024 * 1024 ? 1024 * 1024 : len;
		j->doc = json_tokener_parse_ex(j->tok, buf, (int)n);
		err = json_tokener_get_error(j->tok);
		end = json_tokener_get_parse_end(j->tok);
		if (j->doc == NULL && err == json_tokener_error_depth)
			fail(j, "JSON nested deeper than %u (at byte %zu)", j->lim.max_depth,
			    j->nbytes + end);
		else if (j->doc == NULL && err != json_tokener_continue)
			fail(j, "not a feed (not JSON: %s at byte %zu)", json_tokener_error_desc(err),
			    j->nbytes + end);
		else if (j->doc == NULL)
			end = n;
		j->nbytes += end;
		buf += end;
		len -= end;
	}
	return j->failed ? -1 : 0;
}

/* ---- mapping ---- */

/* A copy of s without surrounding white space, invalid UTF-8 replaced by U+FFFD. */
static char *
clean_copy(struct jsonfeed *j, const char *s, size_t len)
{
	char	*c;
	int	 bad;

	while (len > 0 && is_space(*s))
		s++, len--;
	while (len > 0 && is_space(s[len - 1]))
		len--;
	c = str_utf8(s, len, &bad);
	if (bad)
		repair(j, "%s: invalid UTF-8 replaced", j->where);
	return c;
}

/*
 * The string under key in o: NULL when absent or null, and when it is some other type (noted).
 * A string longer than max_field fails the parse, as an over-long XML element does.
 */
static char *
get_str(struct jsonfeed *j, struct json_object *o, const char *key)
{
	struct json_object	*v;
	int			 len;

	if (j->failed || !json_object_object_get_ex(o, key, &v) || v == NULL)
		return NULL;
	if (!json_object_is_type(v, json_type_string)) {
		repair(j, "%s: \"%s\" is not a string", j->where, key);
		return NULL;
	}
	len = json_object_get_string_len(v);
	if ((size_t)len > j->lim.max_field) {
		fail(j, "field \"%s\" longer than %zu bytes", key, j->lim.max_field);
		return NULL;
	}
	return clean_copy(j, json_object_get_string(v), (size_t)len);
}

/* The member key of o if it has type t; NULL if absent or null, noted if another type. */
static struct json_object *
get_typed(struct jsonfeed *j, struct json_object *o, const char *key, enum json_type t)
{
	struct json_object	*v;

	if (!json_object_object_get_ex(o, key, &v) || v == NULL)
		return NULL;
	if (!json_object_is_type(v, t)) {
		repair(j, "%s: \"%s\" is not %s", j->where, key,
		    t == json_type_array ? "an array" : "an object");
		return NULL;
	}
	return v;
}

/* An author's name: "authors": [{"name": ...}] (1.1), else "author": {"name": ...} (1.0). */
static char *
get_author(struct jsonfeed *j, struct json_object *o)
{
	struct json_object	*a;
	size_t			 i;
	char			*name;

	if ((a = get_typed(j, o, "authors", json_type_array)) != NULL) {
		for (i = 0; i < json_object_array_length(a); i++) {
			struct json_object *e = json_object_array_get_idx(a, i);

			if (json_object_is_type(e, json_type_object) &&
			    (name = get_str(j, e, "name")) != NULL)
				return name;
		}
	}
	if ((a = get_typed(j, o, "author", json_type_object)) != NULL)
		return get_str(j, a, "name");
	return NULL;
}

/* An id: a string, or a number as its decimal text (JSON Feed 1.0 feeds do that). */
static char *
get_id(struct jsonfeed *j, struct json_object *o)
{
	struct json_object	*v;

	if (json_object_object_get_ex(o, "id", &v) &&
	    (json_object_is_type(v, json_type_int) || json_object_is_type(v, json_type_double)))
		return xstrdup(json_object_get_string(v));
	return get_str(j, o, "id");
}

static void
add_tags(struct jsonfeed *j, struct json_object *o, struct parse_item *out)
{
	struct json_object	*a, *t;
	size_t			 i, n;

	if ((a = get_typed(j, o, "tags", json_type_array)) == NULL)
		return;
	n = json_object_array_length(a);
	out->categories = xcalloc(n > 0 ? n : 1, sizeof(char *));
	for (i = 0; i < n && !j->failed; i++) {
		t = json_object_array_get_idx(a, i);
		if (t == NULL)
			continue;
		if (!json_object_is_type(t, json_type_string)) {
			repair(j, "%s: a tag is not a string", j->where);
			continue;
		}
		if ((size_t)json_object_get_string_len(t) > j->lim.max_field) {
			fail(j, "field \"tags\" longer than %zu bytes", j->lim.max_field);
			break;
		}
		out->categories[out->ncategories] = clean_copy(j, json_object_get_string(t),
		    (size_t)json_object_get_string_len(t));
		if (*out->categories[out->ncategories] == '\0')
			free(out->categories[out->ncategories]);
		else
			out->ncategories++;
	}
}

static void
item_free(struct parse_item *it)
{
	size_t	i;

	free(it->title.value);
	free(it->summary.value);
	free(it->content.value);
	free(it->link);
	free(it->id);
	free(it->author);
	free(it->published);
	free(it->updated);
	for (i = 0; i < it->ncategories; i++)
		free(it->categories[i]);
	free(it->categories);
}

/* A link from url, else external_url, resolved against base; NULL if neither is a web link. */
static char *
get_link(struct jsonfeed *j, struct json_object *o, const char *base)
{
	const char	*keys[] = { "url", "external_url" };
	char		*v, *l;
	size_t		 i;

	for (i = 0; i < 2 && !j->failed; i++) {
		if ((v = get_str(j, o, keys[i])) == NULL)
			continue;
		l = *v != '\0' ? j->cb.link(v, base) : NULL;
		free(v);
		if (l != NULL)
			return l;
	}
	return NULL;
}

static void
map_item(struct jsonfeed *j, struct json_object *o, const char *base, const char *feed_author)
{
	struct parse_item	out;

	memset(&out, 0, sizeof(out));
	out.id = get_id(j, o);
	out.link = get_link(j, o, base);
	out.title.value = get_str(j, o, "title");
	out.summary.value = get_str(j, o, "summary");
	if ((out.content.value = get_str(j, o, "content_html")) != NULL) {
		char *r = j->cb.html(j->arg, out.content.value, base);

		if (r != NULL) {
			free(out.content.value);
			out.content.value = r;
		}
		out.content.type = PARSE_HTML;
	} else
		out.content.value = get_str(j, o, "content_text");
	out.published = get_str(j, o, "date_published");
	out.updated = get_str(j, o, "date_modified");
	if (out.published == NULL || date_parse(out.published, &out.published_t) == -1)
		out.published_t = 0;
	if (out.updated == NULL || date_parse(out.updated, &out.updated_t) == -1)
		out.updated_t = 0;
	/* The feed's author is each item's unless it names its own (spec: "authors"). */
	if ((out.author = get_author(j, o)) == NULL && feed_author != NULL)
		out.author = xstrdup(feed_author);
	add_tags(j, o, &out);
	if (!j->failed) {
		j->nitems++;
		if (j->cb.item_cb(j->arg, &out) == -1)
			fail(j, "stopped by the item callback");
	}
	item_free(&out);
}

/* Hands out the items, then the feed, from the finished document. */
static void
map_feed(struct jsonfeed *j)
{
	struct json_object	*v, *items;
	struct parse_feed	 feed;
	char			*feed_url, *home, *base, *author;
	const char		*item_base;
	size_t			 i, n;

	snprintf(j->where, sizeof(j->where), "feed");
	if (!json_object_object_get_ex(j->doc, "version", &v) ||
	    !json_object_is_type(v, json_type_string) ||
	    strncmp(json_object_get_string(v), VERSION_PREFIX, strlen(VERSION_PREFIX)) != 0) {
		fail(j, "not a feed (JSON, but not JSON Feed: no \"version\" starting %s)",
		    VERSION_PREFIX);
		return;
	}
	if (!json_object_object_get_ex(j->doc, "items", &items)) {
		fail(j, "not a feed (JSON, but not JSON Feed: no \"items\")");
		return;
	}
	memset(&feed, 0, sizeof(feed));
	feed.title.value = get_str(j, j->doc, "title");
	home = get_str(j, j->doc, "home_page_url");
	feed_url = get_str(j, j->doc, "feed_url");
	feed.link = home != NULL && *home != '\0' ? j->cb.link(home, j->base_url) : NULL;
	/*
	 * Relative item links resolve against the document's own URL; a local file has none, and
	 * then the feed's feed_url, else its home page, stands for it.
	 */
	base = feed_url != NULL && *feed_url != '\0' ? j->cb.link(feed_url, j->base_url) : NULL;
	item_base = j->base_url != NULL ? j->base_url : base != NULL ? base : feed.link;
	author = get_author(j, j->doc);
	if (items != NULL && !json_object_is_type(items, json_type_array))
		repair(j, "feed: \"items\" is not an array");
	else if (items != NULL) {
		n = json_object_array_length(items);
		for (i = 0; i < n && !j->failed; i++) {
			v = json_object_array_get_idx(items, i);
			snprintf(j->where, sizeof(j->where), "item %zu", i + 1);
			if (!json_object_is_type(v, json_type_object)) {
				repair(j, "%s is not an object", j->where);
				continue;
			}
			if (j->nitems >= j->lim.max_items) {
				j->nskipped++;
				continue;
			}
			map_item(j, v, item_base, author);
		}
	}
	if (!j->failed && j->cb.feed_cb != NULL)
		j->cb.feed_cb(j->arg, &feed);
	free(feed.title.value);
	free(feed.link);
	free(home);
	free(feed_url);
	free(base);
	free(author);
}

int
jsonfeed_finish(struct jsonfeed *j)
{
	if (j->failed)
		return -1;
	if (j->doc == NULL) {
		fail(j, "not a feed (JSON ends early at byte %zu)", j->nbytes);
		return -1;
	}
	map_feed(j);
	return j->failed ? -1 : 0;
}

const char *
jsonfeed_error(const struct jsonfeed *j)
{
	return j->failed ? j->error : NULL;
}

size_t
jsonfeed_nitems(const struct jsonfeed *j)
{
	return j->nitems;
}

size_t
jsonfeed_skipped(const struct jsonfeed *j)
{
	return j->nskipped;
}

void
jsonfeed_free(struct jsonfeed *j)
{
	if (j == NULL)
		return;
	json_object_put(j->doc);
	json_tokener_free(j->tok);
	free(j->base_url);
	free(j);
}
