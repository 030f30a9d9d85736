/*
 * parse.c: RSS 0.9x/1.0/2.0 and Atom 0.3/1.0 from a libxml2 SAX2 push parser, items out as they
 * close; a document that starts with '{' is JSON Feed, handed to jsonfeed.c instead.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/uri.h>
#include <libxml/xmlerror.h>

#include "date.h"
#include "input.h"
#include "jsonfeed.h"
#include "parse.h"
#include "text.h"
#include "xmlcharset.h"
#include "util.h"

/* Namespaces, matched by URI (or, when undeclared, by their usual prefix). */
enum ns {
	NS_NONE,	/* no namespace, or one of the RSS namespaces */
	NS_ATOM,
	NS_DC,
	NS_DCTERMS,
	NS_CONTENT,
	NS_SY,
	NS_RDF,
	NS_XHTML,
	NS_OTHER
};

static const struct {
	const char	*uri;
	const char	*prefix;
	enum ns		 ns;
} namespaces[] = {
	{ "http://www.w3.org/2005/Atom", "atom", NS_ATOM },
	{ "http://purl.org/atom/ns#", NULL, NS_ATOM },
	{ "http://purl.org/dc/elements/1.1/", "dc", NS_DC },
	{ "http://purl.org/dc/terms/", "dcterms", NS_DCTERMS },
	{ "http://purl.org/rss/1.0/modules/content/", "content", NS_CONTENT },
	{ "http://purl.org/rss/1.0/modules/syndication/", "sy", NS_SY },
	{ "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "rdf", NS_RDF },
	{ "http://www.w3.org/1999/xhtml", "xhtml", NS_XHTML },
	{ "http://purl.org/rss/1.0/", NULL, NS_NONE },
	{ "http://my.netscape.com/rdf/simple/0.9/", NULL, NS_NONE },
	{ "http://backend.userland.com/rss2", NULL, NS_NONE },
	{ "http://blogs.law.harvard.edu/tech/rss", NULL, NS_NONE },
	{ "http://backend.userland.com/rss", NULL, NS_NONE },
	{ "http://purl.org/net/rss1.1#", NULL, NS_NONE },
};

#define ATOM03_URI	"http://purl.org/atom/ns#"

enum format { FMT_NONE, FMT_RSS, FMT_ATOM10, FMT_ATOM03 };

/*
 * What an open element is, for deciding what its children mean. K_SHUT: an element the
 * recovery closed early (see field_breaks_out); its children belong to its parent.
 */
/* K_SKIPPED: an item past max_items, read through but not handed on. */
enum kind { K_OTHER, K_ROOT, K_CHANNEL, K_ITEM, K_AUTHOR, K_SHUT, K_SKIPPED };

struct frame {
	char		*base;	/* xml:base in effect; owned only when own_base */
	int		 own_base;
	enum kind	 kind;
};

/* The field a text capture goes to. */
enum target {
	T_NONE, T_TITLE, T_SUMMARY, T_CONTENT, T_LINK, T_ID, T_GUID, T_AUTHOR, T_AUTHOR_NAME,
	T_AUTHOR_EMAIL, T_PUBLISHED, T_UPDATED, T_CATEGORY, T_FEED_TITLE, T_FEED_LINK, T_TTL,
	T_SY_PERIOD, T_SY_FREQ
};

/* How the captured element's content becomes a value. */
enum mode {
	M_TEXT,		/* character data, child elements' text included */
	M_MARKUP,	/* character data as is (HTML), child elements serialised */
	M_XHTML,	/* children serialised as markup, character data escaped */
	M_BASE64	/* character data, base64-decoded at the end */
};

struct capture {
	enum target	 target;
	enum mode	 mode;
	enum parse_type	 type;
	unsigned	 depth;		/* depth of the captured element */
	unsigned	 skip_depth;	/* depth of an Atom 1.0 xhtml wrapper div, or 0 */
	int		 rank;		/* content precedence: lower wins */
	int		 construct;	/* a text construct: child elements are markup */
	int		 wrapper;	/* Atom 1.0 xhtml: the first div child is a wrapper */
	int		 div_done;	/* the one wrapper div was skipped */
	int		 permalink;	/* RSS guid: may be the link */
	int		 open_tag;	/* serialiser wrote "<x" and owes ">" */
	int		 broken;	/* an end tag inside did not match its start tag */
	char		*base;		/* base in effect for the element (not owned) */
	char		*name;		/* element name, for errors */
};

/* One item as it is being read; strings owned. */
struct item {
	struct parse_field title, summary, content;
	int		 content_rank;
	char		*link, *guid_link, *id, *author, *author_name, *author_email;
	char		*published, *updated;
	char		**categories;
	size_t		 ncategories;
};

struct fake_entity {
	xmlEntity		 ent;
	struct fake_entity	*next;
};
#define MAX_FAKE_ENTITIES	512

/* Which parser reads the document: decided by its first byte after a BOM and white space. */
enum route { ROUTE_UNDECIDED, ROUTE_XML, ROUTE_JSON };
#define HEAD_MAX	65536	/* BOM and white space held before deciding; longer: XML */

struct parser {
	enum route		 route;
	struct buf		 head;		/* bytes held while undecided */
	size_t			 nbom;		/* bytes of a UTF-8 BOM at the start of head */
	struct jsonfeed		*json;		/* ROUTE_JSON */
	xmlParserCtxtPtr	 ctxt;
	struct parse_cb		 cb;
	void			*arg;
	struct parse_limits	 lim;
	char			*base_url;
	char			*charset;
	struct input		*in;		/* byte-level preparation before libxml2 */
	int			 bad_noted;	/* the UTF-8 repair is in the repair notes */
	size_t			 amp_noted;	/* the '&' repairs already in the notes */
	size_t			 nbytes;
	size_t			 nitems;
	size_t			 nskipped;	/* items past max_items */
	int			 failed;	/* a limit, not-a-feed or the callback stopped us */
	char			 error[256];
	char			 repair[256];
	char			 repairs_text[300];
	size_t			 nrepairs;
	char			 xml_error[200];	/* first libxml2 error, for not-XML reports */

	enum format		 format;
	char			*atom_alias;	/* unknown namespace of a <feed> root */
	int			 root_seen;
	struct frame		*stack;
	unsigned		 depth;		/* elements open */
	unsigned		 stack_cap;

	int			 in_item;
	struct item		 item;
	struct parse_feed	 feed;
	int			 feed_link_alt;	/* feed.link came from an alternate link */
	int			 item_link_alt;
	unsigned long		 sy_period;
	unsigned long		 sy_freq;

	struct capture		 cap;
	int			 capturing;
	struct buf		 text;

	struct fake_entity	*fakes;
	size_t			 nfakes;

	/* resolve_path's memo: the last base seen and what "/" resolves to against it. */
	char			*root_base;
	char			*root_uri;	/* without its final '/'; NULL: no shortcut */
};

/* ---- errors and repairs ---- */

/* Callbacks get the libxml2 context (userData is left to be the context): find our state. */
static struct parser *
parser_of(void *ctx)
{
	return ((xmlParserCtxtPtr)ctx)->_private;
}

static void
note_repair(struct parser *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
note_repair(struct parser *p, const char *fmt, ...)
{
	va_list	ap;

	if (p->nrepairs++ == 0) {
		va_start(ap, fmt);
		vsnprintf(p->repair, sizeof(p->repair), fmt, ap);
		va_end(ap);
	}
	if (p->nrepairs == 1)
		snprintf(p->repairs_text, sizeof(p->repairs_text), "%s", p->repair);
	else
		snprintf(p->repairs_text, sizeof(p->repairs_text), "%s (and %zu more)", p->repair,
		    p->nrepairs - 1);
}

static void
fail(struct parser *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Stops the parse for good with a reason; the first reason wins. */
static void
fail(struct parser *p, const char *fmt, ...)
{
	va_list	ap;

	if (p->failed)
		return;
	p->failed = 1;
	va_start(ap, fmt);
	vsnprintf(p->error, sizeof(p->error), fmt, ap);
	va_end(ap);
	/*
	 * Only silence libxml2 here: xmlStopParser frees its input buffer at once, and fail() is
	 * mostly called from a SAX callback that still reads that buffer (found by fuzzing).
	 * xml_push stops the parser once xmlParseChunk has returned.
	 */
	if (p->ctxt != NULL)
		p->ctxt->disableSAX = 1;
}

/* libxml2's structured errors: kept as repair notes instead of going to stderr. */
static void
serror_cb(void *arg, xmlErrorPtr err)
{
	struct parser	*p;
	char		 msg[200];
	size_t		 n;

	/* The structured handler gets the context's userData, which is the context itself. */
	if (arg == NULL || (p = parser_of(arg)) == NULL || err == NULL || err->level == XML_ERR_WARNING)
		return;
	snprintf(msg, sizeof(msg), "line %d: %s", err->line, err->message ? err->message : "error");
	n = strlen(msg);
	while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
		msg[--n] = '\0';
	if (p->xml_error[0] == '\0')
		snprintf(p->xml_error, sizeof(p->xml_error), "%s", msg);
	if (p->capturing && err->code == XML_ERR_TAG_NAME_MISMATCH)
		p->cap.broken = 1;
	note_repair(p, "%s", msg);
}

/* Messages that bypass the structured handler (generic ones) go nowhere. */
static void
silent_cb(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

/* External entities and DTDs are never loaded, whatever the document asks. */
static xmlParserInputPtr
deny_loader(const char *url, const char *id, xmlParserCtxtPtr ctxt)
{
	(void)url;
	(void)id;
	(void)ctxt;
	return NULL;
}

static xmlParserInputPtr
deny_resolve(void *ctx, const xmlChar *public_id, const xmlChar *system_id)
{
	(void)ctx;
	(void)public_id;
	(void)system_id;
	return NULL;
}

/* ---- small helpers ---- */

static enum ns
ns_of(const xmlChar *uri, const xmlChar *prefix)
{
	size_t	i;

	if (uri == NULL && prefix == NULL)
		return NS_NONE;
	for (i = 0; i < sizeof(namespaces) / sizeof(namespaces[0]); i++) {
		if (uri != NULL && strcmp((const char *)uri, namespaces[i].uri) == 0)
			return namespaces[i].ns;
		/* An undeclared prefix (recovered by libxml2): go by the usual spelling. */
		if (uri == NULL && namespaces[i].prefix != NULL &&
		    strcmp((const char *)prefix, namespaces[i].prefix) == 0)
			return namespaces[i].ns;
	}
	return NS_OTHER;
}

/*
 * An attribute value as a new string. Without entity substitution libxml2 leaves an escaped
 * ampersand in attributes as "&#38;" (so a tree can tell it from a reference): undo that.
 */
static char *
attr_value(const xmlChar *v, const xmlChar *end)
{
	size_t	 len = (size_t)(end - v), i, o = 0;
	char	*s = xmalloc(len + 1);

	for (i = 0; i < len; i++) {
		if (v[i] == '&' && len - i >= 5 && memcmp(v + i, "&#38;", 5) == 0) {
			s[o++] = '&';
			i += 4;
		} else
			s[o++] = (char)v[i];
	}
	s[o] = '\0';
	return s;
}

/* Value of an attribute in a SAX2 attribute array (5 pointers each), or NULL. Caller frees. */
static char *
attr_get(int nattr, const xmlChar **attrs, const char *uri, const char *name)
{
	int	i;

	for (i = 0; i < nattr; i++) {
		const xmlChar **a = attrs + 5 * i;

		if (strcmp((const char *)a[0], name) != 0)
			continue;
		if ((uri == NULL) != (a[2] == NULL))
			continue;
		if (uri != NULL && strcmp((const char *)a[2], uri) != 0)
			continue;
		return attr_value(a[3], a[4]);
	}
	return NULL;
}

/*
 * xmlBuildURI refuses IRIs (non-ASCII, spaces): percent-encode those bytes for it, and decode
 * them again afterwards so the IRI comes back as written.
 */
static char *
iri_build(const char *ref, const char *base)
{
	struct buf	 b;
	xmlChar		*u;
	const char	*s;
	char		*out;

	buf_init(&b, SIZE_MAX / 4);
	for (s = ref; *s != '\0'; s++) {
		if ((unsigned char)*s >= 0x80 || *s == ' ')
			buf_printf(&b, "%%%02X", (unsigned char)*s);
		else
			buf_putc(&b, *s);
	}
	u = xmlBuildURI((const xmlChar *)(b.data ? b.data : ""), (const xmlChar *)base);
	buf_free(&b);
	if (u == NULL)
		return NULL;
	buf_init(&b, SIZE_MAX / 4);
	for (s = (const char *)u; *s != '\0'; s++) {
		unsigned int	c;

		if (s[0] == '%' && isxdigit((unsigned char)s[1]) && isxdigit((unsigned char)s[2]) &&
		    sscanf(s + 1, "%2x", &c) == 1 && (c >= 0x80 || c == ' ')) {
			buf_putc(&b, (char)c);
			s += 2;
		} else
			buf_putc(&b, *s);
	}
	xmlFree(u);
	out = buf_steal(&b);
	return out;
}

/* Resolves a reference against a base; a new string (the reference itself if it cannot). */
static char *
resolve(const char *ref, const char *base)
{
	xmlChar	*u;
	char	*s;

	if (base == NULL || *base == '\0')
		return xstrdup(ref);
	if ((u = xmlBuildURI((const xmlChar *)ref, (const xmlChar *)base)) == NULL)
		return (s = iri_build(ref, base)) != NULL ? s : xstrdup(ref);
	s = xstrdup((const char *)u);
	xmlFree(u);
	return s;
}

/*
 * Whether a link (already resolved) may be handed on: http and https only. A link is shown in
 * alerts and opened from them, so "javascript:", "data:", "file:", "mailto:" and the like are
 * dropped. Browsers ignore white space and control characters in a scheme ("java\tscript:"), so
 * the scheme is read the same way. A reference with no scheme can remain only when there was
 * no base to resolve it against (a local file given to "newswatch parse"); the daemon always
 * has the feed's URL as a base.
 */
static int
web_link_ok(const char *s)
{
	char	 scheme[8];
	size_t	 n = 0;

	for (; *s != '\0' && *s != ':'; s++) {
		if ((unsigned char)*s <= 0x20)
			continue;
		if (strchr("/?#", *s) != NULL)
			return 1;	/* relative: no scheme */
		if (n + 1 < sizeof(scheme))
			scheme[n] = *s;
		n++;
	}
	if (*s == '\0')
		return 1;	/* relative: no scheme */
	if (n >= sizeof(scheme))
		return 0;	/* longer than any scheme accepted */
	scheme[n] = '\0';
	return strcasecmp(scheme, "http") == 0 || strcasecmp(scheme, "https") == 0;
}

/* resolve() for a link: NULL unless the result is a link web_link_ok() accepts. */
static char *
resolve_link(const char *ref, const char *base)
{
	char	*s = resolve(ref, base);

	if (web_link_ok(s))
		return s;
	free(s);
	return NULL;
}

/* An absolute http or https URL, as an RSS guid must be to become the link. */
static int
is_web_url(const char *s)
{
	return strncasecmp(s, "http://", 7) == 0 || strncasecmp(s, "https://", 8) == 0;
}

/* A path that libxml2 copies as it is: "/" then unreserved characters and '/', no dot segment. */
static int
is_plain_path(const char *ref)
{
	const char	*c;

	if (ref[0] != '/' || ref[1] == '/' || strstr(ref, "/.") != NULL)
		return 0;
	for (c = ref; *c != '\0'; c++)
		if (!isalnum((unsigned char)*c) && strchr("/-._~", *c) == NULL)
			return 0;
	return 1;
}

/*
 * resolve() for the links inside HTML values, which are mostly absolute paths ("/story/1")
 * against one base. For those xmlBuildURI keeps the base's scheme and authority and copies the
 * path as it is, so the result is what "/" resolves to, minus its '/', plus the path: one
 * xmlBuildURI per base instead of one per link. Anything else takes the general road.
 */
static char *
resolve_path(struct parser *p, const char *ref, const char *base)
{
	char	*root, *r;
	size_t	 n, rlen;

	if (base == NULL || *base == '\0' || !is_plain_path(ref))
		return resolve(ref, base);
	if (p->root_base == NULL || strcmp(p->root_base, base) != 0) {
		free(p->root_base);
		free(p->root_uri);
		p->root_base = xstrdup(base);
		p->root_uri = NULL;
		root = resolve("/", base);
		if ((n = strlen(root)) > 0 && root[n - 1] == '/') {
			root[n - 1] = '\0';
			p->root_uri = root;
		} else
			free(root);
	}
	if (p->root_uri == NULL)
		return resolve(ref, base);
	n = strlen(p->root_uri);
	rlen = strlen(ref);
	r = xmalloc(n + rlen + 1);
	memcpy(r, p->root_uri, n);
	memcpy(r + n, ref, rlen + 1);
	return r;
}

static char *
trimmed(const char *s, size_t len)
{
	while (len > 0 && (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')) {
		s++;
		len--;
	}
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\n' ||
	    s[len - 1] == '\r'))
		len--;
	return xstrndup(s, len);
}

static int
b64val(int c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+' || c == '-')
		return 62;
	if (c == '/' || c == '_')
		return 63;
	return -1;
}

/* Decodes base64 in place (white space skipped); returns the new length. */
static size_t
base64_decode(char *s, size_t len)
{
	size_t		 i, o = 0;
	unsigned	 acc = 0;
	int		 bits = 0, v;

	for (i = 0; i < len; i++) {
		if ((v = b64val((unsigned char)s[i])) < 0)
			continue;
		acc = (acc << 6) | (unsigned)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			s[o++] = (char)((acc >> bits) & 0xff);
		}
	}
	s[o] = '\0';
	return o;
}

static void
set_once(char **dst, char *v)
{
	if (*dst == NULL && v != NULL && *v != '\0')
		*dst = v;
	else
		free(v);
}

static void
replace_str(char **dst, char *v)
{
	if (v != NULL && *v != '\0') {
		free(*dst);
		*dst = v;
	} else
		free(v);
}

static void
field_once(struct parse_field *f, char *v, enum parse_type type)
{
	if (f->value == NULL && v != NULL) {
		f->value = v;
		f->type = type;
	} else
		free(v);
}

static void
item_clear(struct item *it)
{
	size_t	i;

	free(it->title.value);
	free(it->summary.value);
	free(it->content.value);
	free(it->link);
	free(it->guid_link);
	free(it->id);
	free(it->author);
	free(it->author_name);
	free(it->author_email);
	free(it->published);
	free(it->updated);
	for (i = 0; i < it->ncategories; i++)
		free(it->categories[i]);
	free(it->categories);
	memset(it, 0, sizeof(*it));
}

/* ---- relative URIs inside HTML values ---- */

/* Attributes holding URIs that a reader follows (HTML 4 and 5). */
static int
is_uri_attr(const char *name, size_t len)
{
	static const char *const names[] = {
		"action", "background", "cite", "classid", "codebase", "data", "href",
		"longdesc", "poster", "profile", "src", "usemap"
	};
	size_t	i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strlen(names[i]) == len && strncasecmp(name, names[i], len) == 0)
			return 1;
	return 0;
}

/*
 * Reads the tag at s[i] == '<' and returns the offset just past it. Its URI attributes are
 * rewritten into b: the input since *done as written, then the value resolved and quoted.
 */
static size_t
resolve_tag(struct parser *p, struct buf *b, const char *s, size_t i, size_t len,
    const char *base, size_t *done)
{
	size_t	name, nlen, vstart, vend;
	char	q, *v, *r;

	while (i < len && s[i] != '>' && !isspace((unsigned char)s[i]))
		i++;
	while (i < len && s[i] != '>') {
		if (isspace((unsigned char)s[i]) || s[i] == '/') {
			i++;
			continue;
		}
		name = i;
		while (i < len && s[i] != '=' && s[i] != '>' && !isspace((unsigned char)s[i]))
			i++;
		nlen = i - name;
		if (i >= len || s[i] != '=')
			continue;
		i++;
		q = (i < len && (s[i] == '"' || s[i] == '\'')) ? s[i++] : 0;
		vstart = i;
		while (i < len && (q ? s[i] != q : (!isspace((unsigned char)s[i]) && s[i] != '>')))
			i++;
		vend = i;
		if (q && i < len)
			i++;
		if (!is_uri_attr(s + name, nlen))
			continue;
		buf_append(b, s + *done, (q ? vstart - 1 : vstart) - *done);
		v = trimmed(s + vstart, vend - vstart);
		r = resolve_path(p, v, base);
		buf_putc(b, q ? q : '"');
		buf_puts(b, r);
		buf_putc(b, q ? q : '"');
		free(v);
		free(r);
		*done = i;
	}
	return i < len ? i + 1 : i;
}

/*
 * Whether resolve_html could change html: some attribute named like a URI attribute is followed
 * by '='. The letters just before each '=' are checked; resolve_tag starts a name after a space,
 * '/' or a quote, never after a letter, so this errs only towards yes.
 */
static int
has_uri_attr(const char *html)
{
	const char	*eq, *name;

	for (eq = strchr(html, '='); eq != NULL; eq = strchr(eq + 1, '=')) {
		for (name = eq; name > html && isalpha((unsigned char)name[-1]) && eq - name < 16;
		    name--)
			;
		if (name < eq && is_uri_attr(name, (size_t)(eq - name)))
			return 1;
	}
	return 0;
}

/*
 * An HTML fragment with the URIs of href, src, ... made absolute against base. Only those
 * values change: the rest is copied in spans between them.
 */
static char *
resolve_html(struct parser *p, const char *html, const char *base)
{
	struct buf	 b;
	size_t		 len = strlen(html), i = 0, done = 0;
	const char	*end, *lt;

	buf_init(&b, SIZE_MAX / 4);
	while ((lt = memchr(html + i, '<', len - i)) != NULL) {
		i = (size_t)(lt - html);
		if (strncmp(html + i, "<!--", 4) == 0) {
			end = strstr(html + i + 4, "-->");
			i = end ? (size_t)(end - html) + 3 : len;
		} else if (isalpha((unsigned char)html[i + 1]))
			i = resolve_tag(p, &b, html, i + 1, len, base, &done);
		else
			i++;
	}
	buf_append(&b, html + done, len - done);
	return buf_steal(&b);
}

/*
 * Code points U+0080-U+009F are C1 controls no one means: they come from windows-1252 text
 * read as ISO-8859-1. Map them to what windows-1252 meant, as browsers and feedparser do
 * (the five undefined ones stay as they are).
 */
static char *
fix_c1(char *v)
{
	struct buf	 b;
	const unsigned char *s = (const unsigned char *)v, *c2;
	size_t		 i, len = strlen(v);

	/* Most values have none: look for the lead byte 0xC2 only. */
	for (c2 = memchr(s, 0xc2, len); c2 != NULL && !(c2[1] >= 0x80 && c2[1] <= 0x9f);
	    c2 = memchr(c2 + 1, 0xc2, len - (size_t)(c2 + 1 - s)))
		;
	if (c2 == NULL)
		return v;
	buf_init(&b, SIZE_MAX / 4);
	for (i = 0; s[i] != '\0'; i++) {
		if (s[i] == 0xc2 && s[i + 1] >= 0x80 && s[i + 1] <= 0x9f) {
			unsigned cp = input_cp1252(s[i + 1]);

			buf_put_utf8(&b, cp != 0 ? cp : s[i + 1]);
			i++;
		} else
			buf_append(&b, s + i, 1);
	}
	free(v);
	return buf_steal(&b);
}

/* ---- entities ---- */

/*
 * Hands libxml2 an entity of the predefined kind: its content goes to the characters callback
 * verbatim and is never parsed or expanded further, so nesting cannot amplify. Kept per parser.
 */
static xmlEntityPtr
fake_entity(struct parser *p, const xmlChar *name, const char *content)
{
	struct fake_entity	*f;

	for (f = p->fakes; f != NULL; f = f->next)
		if (xmlStrEqual(f->ent.name, name))
			return &f->ent;
	if (p->nfakes >= MAX_FAKE_ENTITIES)
		return NULL;
	f = xcalloc(1, sizeof(*f));
	f->ent.type = XML_ENTITY_DECL;
	f->ent.etype = XML_INTERNAL_PREDEFINED_ENTITY;
	f->ent.name = (const xmlChar *)xstrdup((const char *)name);
	f->ent.content = (xmlChar *)xstrdup(content);
	f->ent.orig = NULL;
	f->ent.length = (int)strlen(content);
	f->next = p->fakes;
	p->fakes = f;
	p->nfakes++;
	return &f->ent;
}

static void
fakes_free(struct parser *p)
{
	struct fake_entity	*f, *next;

	for (f = p->fakes; f != NULL; f = next) {
		next = f->next;
		free((char *)f->ent.name);
		free(f->ent.content);
		if (f->ent.orig != NULL)	/* libxml2 may hand an entity its original text */
			xmlFree(f->ent.orig);
		free(f);
	}
	p->fakes = NULL;
}

/*
 * Entity lookup for every &name; that is not one of XML's five. Internal DTD entities with
 * plain text are given as text; ones holding markup or references, and external ones, become
 * empty (bounded expansion by construction, no file is read). Undeclared names are looked up
 * in the HTML table, as feed readers do; unknown ones stay as literal "&name;".
 */
static xmlEntityPtr
get_entity_cb(void *ctx, const xmlChar *name)
{
	xmlParserCtxtPtr	 ctxt = ctx;
	struct parser		*p = parser_of(ctx);
	xmlEntityPtr		 ent = NULL;
	char			 utf8[8], *lit;

	if (ctxt->myDoc != NULL)
		ent = xmlGetDocEntity(ctxt->myDoc, name);
	/* Inside the DTD libxml2 asks about the entity being declared: answer truthfully. */
	if (ctxt->inSubset)
		return ent;
	if (ent != NULL && ent->etype == XML_INTERNAL_PREDEFINED_ENTITY)
		return ent;
	if (ent != NULL && ent->etype == XML_INTERNAL_GENERAL_ENTITY && ent->content != NULL &&
	    strpbrk((const char *)ent->content, "&<%") == NULL)
		return fake_entity(p, name, (const char *)ent->content);
	if (ent != NULL) {
		note_repair(p, "entity &%s; not expanded", name);
		return fake_entity(p, name, "");
	}
	if (text_entity_lookup((const char *)name, strlen((const char *)name), utf8) > 0) {
		note_repair(p, "undefined entity &%s; mapped as HTML", name);
		return fake_entity(p, name, utf8);
	}
	note_repair(p, "undefined entity &%s; kept as text", name);
	lit = xasprintf("&%s;", name);
	ent = fake_entity(p, name, lit);
	free(lit);
	return ent;
}

/* Called for a declared entity libxml2 would not expand for us: it is dropped. */
static void
reference_cb(void *ctx, const xmlChar *name)
{
	note_repair(parser_of(ctx), "entity &%s; dropped", name);
}

/* ---- capture: text of the element being read ---- */

static void
cap_append(struct parser *p, const char *s, size_t len)
{
	if (buf_append(&p->text, s, len) == -1)
		fail(p, "field <%s> longer than %zu bytes", p->cap.name, p->lim.max_field);
}

static void
cap_close_tag(struct parser *p)
{
	if (p->cap.open_tag) {
		cap_append(p, ">", 1);
		p->cap.open_tag = 0;
	}
}

/* Appends character data escaped for markup (& < > and, in attributes, "). */
static void
cap_escaped(struct parser *p, const char *s, size_t len, int attr)
{
	size_t	i, start = 0;

	for (i = 0; i < len; i++) {
		const char *rep = s[i] == '&' ? "&amp;" : s[i] == '<' ? "&lt;" :
		    s[i] == '>' ? "&gt;" : (attr && s[i] == '"') ? "&quot;" : NULL;

		if (rep == NULL)
			continue;
		cap_append(p, s + start, i - start);
		cap_append(p, rep, strlen(rep));
		start = i + 1;
	}
	cap_append(p, s + start, len - start);
}

static void
cap_name(struct parser *p, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri)
{
	/* XHTML elements are written unprefixed: the value is an HTML fragment. */
	if (prefix != NULL && !(uri != NULL && ns_of(uri, NULL) == NS_XHTML)) {
		cap_append(p, (const char *)prefix, strlen((const char *)prefix));
		cap_append(p, ":", 1);
	}
	cap_append(p, (const char *)local, strlen((const char *)local));
}

/* A child element inside a captured field. */
static void
cap_start(struct parser *p, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri,
    int nattr, const xmlChar **attrs)
{
	char	*v;
	int	 i;

	if (!p->cap.construct || p->cap.mode == M_BASE64)
		return;
	/*
	 * A div directly inside is a wrapper to drop once: Atom 1.0 xhtml requires one, and
	 * some publishers wrap escaped HTML in one. Any other element in a text or HTML construct
	 * means the publisher wrote inline markup: from there on the value is serialised markup.
	 */
	if (strcmp((const char *)local, "div") == 0 && p->cap.skip_depth == 0 && !p->cap.div_done &&
	    p->depth == p->cap.depth && (p->cap.mode != M_XHTML || p->cap.wrapper)) {
		p->cap.skip_depth = p->depth + 1;
		return;
	}
	if (p->cap.mode != M_XHTML) {
		p->cap.mode = M_XHTML;
		p->cap.type = PARSE_XHTML;
	}
	cap_close_tag(p);
	cap_append(p, "<", 1);
	cap_name(p, local, prefix, uri);
	for (i = 0; i < nattr; i++) {
		const xmlChar **a = attrs + 5 * i;

		cap_append(p, " ", 1);
		if (a[1] != NULL) {
			cap_append(p, (const char *)a[1], strlen((const char *)a[1]));
			cap_append(p, ":", 1);
		}
		cap_append(p, (const char *)a[0], strlen((const char *)a[0]));
		cap_append(p, "=\"", 2);
		v = attr_value(a[3], a[4]);
		cap_escaped(p, v, strlen(v), 1);
		free(v);
		cap_append(p, "\"", 1);
	}
	p->cap.open_tag = 1;
}

static void
cap_end(struct parser *p, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri)
{
	if (!p->cap.construct || p->cap.mode == M_BASE64)
		return;
	if (p->cap.skip_depth == p->depth) {
		p->cap.skip_depth = 0;	/* the wrapper closed: later siblings are content */
		p->cap.div_done = 1;
		cap_close_tag(p);
		return;
	}
	if (p->cap.open_tag) {
		cap_append(p, " />", 3);
		p->cap.open_tag = 0;
		return;
	}
	cap_append(p, "</", 2);
	cap_name(p, local, prefix, uri);
	cap_append(p, ">", 1);
}

static void
characters_cb(void *ctx, const xmlChar *ch, int len)
{
	struct parser	*p = parser_of(ctx);

	if (!p->capturing || p->failed || len <= 0)
		return;
	cap_close_tag(p);
	if (p->cap.mode == M_XHTML)
		cap_escaped(p, (const char *)ch, (size_t)len, 0);
	else
		cap_append(p, (const char *)ch, (size_t)len);
}

/* ---- the meaning of elements ---- */

static void
begin_capture(struct parser *p, enum target t, enum mode m, enum parse_type type,
    const xmlChar *local)
{
	memset(&p->cap, 0, sizeof(p->cap));
	p->cap.target = t;
	p->cap.mode = m;
	p->cap.type = type;
	p->cap.depth = p->depth;
	p->cap.base = p->stack[p->depth - 1].base;
	p->cap.name = (char *)local;
	p->cap.construct = t == T_TITLE || t == T_SUMMARY || t == T_CONTENT || t == T_FEED_TITLE;
	p->capturing = 1;
	buf_reset(&p->text);
}

/*
 * Atom text constructs (title, summary, content) in both versions: how to read them. The 0.3
 * "mode" attribute and MIME types are honoured; 1.0 xhtml drops its wrapper div.
 */
static void
atom_text_mode(struct parser *p, int nattr, const xmlChar **attrs, enum mode *m,
    enum parse_type *type, int *skip_div)
{
	char	*t = attr_get(nattr, attrs, NULL, "type");
	char	*mode = attr_get(nattr, attrs, NULL, "mode");

	*m = M_TEXT;
	*type = PARSE_TEXT;
	*skip_div = 0;
	if (t == NULL || *t == '\0' || strcasecmp(t, "text") == 0 ||
	    strcasecmp(t, "text/plain") == 0) {
		/* plain text */
	} else if (strcasecmp(t, "html") == 0 || strcasecmp(t, "text/html") == 0) {
		*m = M_MARKUP;
		*type = PARSE_HTML;
	} else if (strcasecmp(t, "xhtml") == 0 || strcasecmp(t, "application/xhtml+xml") == 0 ||
	    strstr(t, "xml") != NULL) {
		*m = M_XHTML;
		*type = PARSE_XHTML;
		*skip_div = p->format != FMT_ATOM03;
	} else if (strncasecmp(t, "text/", 5) != 0 && p->format == FMT_ATOM10) {
		*m = M_BASE64;	/* RFC 4287 4.1.3.3: other media types are base64 */
	}
	if (mode != NULL && strcasecmp(mode, "escaped") == 0) {
		*m = *type == PARSE_TEXT ? M_TEXT : M_MARKUP;
		if (*type == PARSE_XHTML)
			*type = PARSE_HTML;
	} else if (mode != NULL && strcasecmp(mode, "base64") == 0)
		*m = M_BASE64;
	free(t);
	free(mode);
}

static void
atom_text(struct parser *p, enum target t, int rank, const xmlChar *local, int nattr,
    const xmlChar **attrs)
{
	enum mode	m;
	enum parse_type	type;
	int		skip_div;

	atom_text_mode(p, nattr, attrs, &m, &type, &skip_div);
	begin_capture(p, t, m, type, local);
	p->cap.rank = rank;
	p->cap.construct = 1;
	p->cap.wrapper = skip_div;
}

static int
is_html_type(const char *type)
{
	return type == NULL || strcasecmp(type, "text/html") == 0 ||
	    strcasecmp(type, "application/xhtml+xml") == 0 || strcasecmp(type, "html") == 0;
}

/* An Atom link (or atom:link in RSS): the first alternate HTML link wins. */
static void
atom_link(struct parser *p, int feed_level, int nattr, const xmlChar **attrs)
{
	char	*href = attr_get(nattr, attrs, NULL, "href");
	char	*rel = attr_get(nattr, attrs, NULL, "rel");
	char	*type = attr_get(nattr, attrs, NULL, "type");
	char	**dst = feed_level ? &p->feed.link : &p->item.link;
	int	*alt = feed_level ? &p->feed_link_alt : &p->item_link_alt;

	if ((rel == NULL || strcasecmp(rel, "alternate") == 0) && is_html_type(type) && !*alt) {
		if (href != NULL) {
			/* One that is not http(s) is dropped; a later alternate may still win. */
			char *l = resolve_link(href, p->stack[p->depth - 1].base);

			if (l != NULL) {
				free(*dst);
				*dst = l;
				*alt = 1;
			}
		} else	/* Atom 0.3 drafts put the URI in the element text */
			begin_capture(p, feed_level ? T_FEED_LINK : T_LINK, M_TEXT, PARSE_TEXT,
			    (const xmlChar *)"link");
	}
	free(href);
	free(rel);
	free(type);
}

static void
atom_category(struct parser *p, int nattr, const xmlChar **attrs)
{
	char	*term = attr_get(nattr, attrs, NULL, "term");

	if (term == NULL || *term == '\0') {
		free(term);
		begin_capture(p, T_CATEGORY, M_TEXT, PARSE_TEXT, (const xmlChar *)"category");
		return;
	}
	p->item.categories = xreallocarray(p->item.categories, p->item.ncategories + 1,
	    sizeof(char *));
	p->item.categories[p->item.ncategories++] = term;
}

/* A direct child of an item or entry. */
static void
item_child(struct parser *p, enum ns ns, const xmlChar *local, int nattr, const xmlChar **attrs)
{
	const char	*n = (const char *)local;
	char		*v;

	if (ns == NS_ATOM) {
		if (strcmp(n, "title") == 0)
			atom_text(p, T_TITLE, 0, local, nattr, attrs);
		else if (strcmp(n, "summary") == 0)
			atom_text(p, T_SUMMARY, 0, local, nattr, attrs);
		else if (strcmp(n, "content") == 0)
			atom_text(p, T_CONTENT, 0, local, nattr, attrs);
		else if (strcmp(n, "id") == 0)
			begin_capture(p, T_ID, M_TEXT, PARSE_TEXT, local);
		else if (strcmp(n, "link") == 0)
			atom_link(p, 0, nattr, attrs);
		else if (strcmp(n, "published") == 0 || strcmp(n, "issued") == 0)
			begin_capture(p, T_PUBLISHED, M_TEXT, PARSE_TEXT, local);
		else if (strcmp(n, "updated") == 0 || strcmp(n, "modified") == 0)
			begin_capture(p, T_UPDATED, M_TEXT, PARSE_TEXT, local);
		else if (strcmp(n, "author") == 0)
			p->stack[p->depth - 1].kind = K_AUTHOR;
		else if (strcmp(n, "category") == 0)
			atom_category(p, nattr, attrs);
	} else if (ns == NS_NONE) {
		if (strcmp(n, "title") == 0)
			begin_capture(p, T_TITLE, M_TEXT, PARSE_TEXT, local);
		else if (strcmp(n, "link") == 0)
			begin_capture(p, T_LINK, M_TEXT, PARSE_TEXT, local);
		else if (strcmp(n, "guid") == 0) {
			begin_capture(p, T_GUID, M_TEXT, PARSE_TEXT, local);
			v = attr_get(nattr, attrs, NULL, "isPermaLink");
			p->cap.permalink = v == NULL || strcasecmp(v, "false") != 0;
			free(v);
		} else if (strcmp(n, "description") == 0)
			begin_capture(p, T_SUMMARY, M_MARKUP, PARSE_HTML, local);
		else if (strcmp(n, "author") == 0)
			begin_capture(p, T_AUTHOR, M_TEXT, PARSE_TEXT, local);
		else if (strcmp(n, "pubDate") == 0)
			begin_capture(p, T_PUBLISHED, M_TEXT, PARSE_TEXT, local);
		else if (strcmp(n, "category") == 0)
			begin_capture(p, T_CATEGORY, M_TEXT, PARSE_TEXT, local);
		else if (strcmp(n, "body") == 0) {	/* xhtml:body without its namespace */
			begin_capture(p, T_CONTENT, M_XHTML, PARSE_XHTML, local);
			p->cap.rank = 2;
		} else if (strcmp(n, "fullitem") == 0) {
			begin_capture(p, T_CONTENT, M_MARKUP, PARSE_HTML, local);
			p->cap.rank = 3;
		}
	} else if (ns == NS_DC) {
		if (strcmp(n, "creator") == 0 || strcmp(n, "author") == 0)
			begin_capture(p, T_AUTHOR, M_TEXT, PARSE_TEXT, local);
		else if (strcmp(n, "date") == 0)
			begin_capture(p, T_UPDATED, M_TEXT, PARSE_TEXT, local);
		else if (strcmp(n, "subject") == 0)
			begin_capture(p, T_CATEGORY, M_TEXT, PARSE_TEXT, local);
		else if (strcmp(n, "title") == 0)
			begin_capture(p, T_TITLE, M_TEXT, PARSE_TEXT, local);
		else if (strcmp(n, "description") == 0)
			begin_capture(p, T_SUMMARY, M_MARKUP, PARSE_HTML, local);
	} else if (ns == NS_DCTERMS) {
		if (strcmp(n, "issued") == 0)
			begin_capture(p, T_PUBLISHED, M_TEXT, PARSE_TEXT, local);
		else if (strcmp(n, "modified") == 0)
			begin_capture(p, T_UPDATED, M_TEXT, PARSE_TEXT, local);
	} else if (ns == NS_CONTENT && strcmp(n, "encoded") == 0) {
		begin_capture(p, T_CONTENT, M_MARKUP, PARSE_HTML, local);
		p->cap.rank = 1;
	} else if (ns == NS_XHTML && strcmp(n, "body") == 0) {
		begin_capture(p, T_CONTENT, M_XHTML, PARSE_XHTML, local);
		p->cap.rank = 2;
	}
}

/* A direct child of the channel (RSS) or feed (Atom). */
static void
feed_child(struct parser *p, enum ns ns, const xmlChar *local, int nattr, const xmlChar **attrs)
{
	const char	*n = (const char *)local;

	if (ns == NS_ATOM && strcmp(n, "title") == 0)
		atom_text(p, T_FEED_TITLE, 0, local, nattr, attrs);
	else if (ns == NS_ATOM && strcmp(n, "link") == 0)
		atom_link(p, 1, nattr, attrs);
	else if ((ns == NS_NONE || ns == NS_DC) && strcmp(n, "title") == 0)
		begin_capture(p, T_FEED_TITLE, M_TEXT, PARSE_TEXT, local);
	else if (ns == NS_NONE && strcmp(n, "link") == 0)
		begin_capture(p, T_FEED_LINK, M_TEXT, PARSE_TEXT, local);
	else if (ns == NS_NONE && strcmp(n, "ttl") == 0)
		begin_capture(p, T_TTL, M_TEXT, PARSE_TEXT, local);
	else if (ns == NS_SY && strcmp(n, "updatePeriod") == 0)
		begin_capture(p, T_SY_PERIOD, M_TEXT, PARSE_TEXT, local);
	else if (ns == NS_SY && strcmp(n, "updateFrequency") == 0)
		begin_capture(p, T_SY_FREQ, M_TEXT, PARSE_TEXT, local);
}

/* The root element decides the format, or that this is not a feed. */
static void
root_element(struct parser *p, enum ns ns, const xmlChar *local, const xmlChar *uri,
    int nattr, const xmlChar **attrs)
{
	const char	*n = (const char *)local;
	char		*version;

	p->root_seen = 1;
	if (strcmp(n, "rss") == 0 || (strcmp(n, "RDF") == 0 && (ns == NS_RDF || ns == NS_NONE))) {
		p->format = FMT_RSS;
		p->stack[0].kind = K_ROOT;
	} else if (strcmp(n, "channel") == 0 && ns == NS_NONE) {
		p->format = FMT_RSS;
		p->stack[0].kind = K_CHANNEL;
	} else if (strcmp(n, "feed") == 0 && (ns == NS_ATOM || ns == NS_NONE || ns == NS_OTHER)) {
		version = attr_get(nattr, attrs, NULL, "version");
		p->format = (uri != NULL && strcmp((const char *)uri, ATOM03_URI) == 0) ||
		    (version != NULL && strcmp(version, "0.3") == 0) ? FMT_ATOM03 : FMT_ATOM10;
		free(version);
		p->stack[0].kind = K_CHANNEL;
		/* A feed root in a namespace we do not know: read that namespace as Atom. (A
		 * prefix with no declaration, which recovery lets through, has no URI to alias.) */
		if (ns == NS_OTHER && uri != NULL)
			p->atom_alias = xstrdup((const char *)uri);
	} else
		fail(p, "not a feed (root element <%s>)", n);
}

static void
push_frame(struct parser *p, int nattr, const xmlChar **attrs)
{
	struct frame	*f;
	const char	*parent = p->depth > 0 ? p->stack[p->depth - 1].base : p->base_url;
	char		*xb;

	if (p->depth >= p->stack_cap) {
		p->stack_cap = p->stack_cap ? p->stack_cap * 2 : 16;
		p->stack = xreallocarray(p->stack, p->stack_cap, sizeof(*p->stack));
	}
	f = &p->stack[p->depth++];
	f->kind = K_OTHER;
	f->own_base = 0;
	f->base = (char *)parent;
	if ((xb = attr_get(nattr, attrs, (const char *)XML_XML_NAMESPACE, "base")) != NULL) {
		f->base = resolve(xb, parent);
		f->own_base = 1;
		free(xb);
	}
}

/*
 * Items past max_items are counted and read through, not handed on: the first ones in document
 * order (the newest, in practice) still alert, the feed stays healthy, and the channel's own
 * elements after the items (a title, a ttl) still arrive. Failing the whole document instead
 * lost the new items at the top of a big feed on every poll. The byte limit still bounds the work.
 */
/* 0: an item is open; -1: it is past max_items and skipped. */
static int
start_item(struct parser *p)
{
	if (p->nitems >= p->lim.max_items) {
		p->nskipped++;
		p->stack[p->depth - 1].kind = K_SKIPPED;
		return -1;
	}
	item_clear(&p->item);
	p->item_link_alt = 0;
	p->in_item = 1;
	p->stack[p->depth - 1].kind = K_ITEM;
	return 0;
}

static void	end_capture(struct parser *);
static void	end_item(struct parser *);

static int
is_item_start(const struct parser *p, enum ns ns, const xmlChar *local)
{
	if (ns == NS_NONE && (p->format == FMT_ATOM10 || p->format == FMT_ATOM03))
		ns = NS_ATOM;
	return (ns == NS_NONE && strcmp((const char *)local, "item") == 0) ||
	    (ns == NS_ATOM && strcmp((const char *)local, "entry") == 0);
}

/* The namespace an element of the feed's own vocabulary is read in. */
static enum ns
feed_ns(const struct parser *p, enum ns ns, const xmlChar *uri)
{
	if (ns == NS_NONE && (p->format == FMT_ATOM10 || p->format == FMT_ATOM03))
		return NS_ATOM;	/* an Atom feed without its namespace */
	if (ns == NS_OTHER && p->atom_alias != NULL && uri != NULL &&
	    strcmp((const char *)uri, p->atom_alias) == 0)
		return NS_ATOM;
	return ns;
}

/*
 * Whether the element starting now ends a broken capture. An unclosed inline tag in a field
 * ("<title>First <b>unclosed</title><link>...") makes libxml2 close the <b> at </title> and
 * leave the title open, so every sibling field would be read as markup inside the title.
 * When an end tag inside the captured field did not match (cap.broken) and an element that
 * is one of the item's or channel's own fields (or an item) starts, the field is over: the
 * boundary is clear. Names HTML also uses for inline content ("source", "summary",
 * "content") are left out; well-formed documents never get here.
 */
static int
field_breaks_out(const struct parser *p, enum ns ns, const xmlChar *local)
{
	static const char *const rss[] = {
		"title", "link", "description", "guid", "pubDate", "author", "category",
		"comments", "enclosure", "item", "lastBuildDate", "language", "ttl"
	};
	static const char *const atom[] = {
		"title", "link", "summary", "content", "id", "published", "updated", "issued",
		"modified", "author", "category", "entry", "rights"
	};
	const char	*const *names;
	size_t		 i, n;

	if (!p->capturing || !p->cap.broken || p->cap.mode == M_BASE64)
		return 0;
	if (ns == NS_DC || ns == NS_DCTERMS || ns == NS_CONTENT)
		return 1;
	if (ns == NS_NONE)
		names = rss, n = sizeof(rss) / sizeof(rss[0]);
	else if (ns == NS_ATOM)
		names = atom, n = sizeof(atom) / sizeof(atom[0]);
	else
		return 0;
	for (i = 0; i < n; i++)
		if (strcmp((const char *)local, names[i]) == 0)
			return 1;
	return 0;
}

static void
start_element_cb(void *ctx, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri,
    int nns, const xmlChar **nss, int nattr, int ndefaulted, const xmlChar **attrs)
{
	struct parser	*p = parser_of(ctx);
	enum ns		 ns = ns_of(uri, prefix);
	enum kind	 parent;
	char		*about;
	unsigned	 i;
	int		 forced = 0;

	(void)nns;
	(void)nss;
	(void)ndefaulted;
	if (p->failed)
		return;
	if (p->depth >= p->lim.max_depth) {
		fail(p, "elements nested deeper than %u", p->lim.max_depth);
		return;
	}
	if (p->in_item && is_item_start(p, ns, local)) {
		/*
		 * An item opening inside an item: an end tag went missing. The boundary is clear,
		 * so close what is open and carry on with the new item.
		 */
		note_repair(p, "line %d: unclosed item closed", xmlSAX2GetLineNumber(ctx));
		if (p->capturing)
			end_capture(p);
		end_item(p);
		if (p->failed)
			return;
		for (i = 0; i < p->depth; i++)
			if (p->stack[i].kind == K_ITEM || p->stack[i].kind == K_AUTHOR)
				p->stack[i].kind = K_OTHER;
		forced = 1;
	}
	if (p->capturing && field_breaks_out(p, feed_ns(p, ns, uri), local)) {
		note_repair(p, "line %d: unclosed markup in <%s> ended it before <%s>",
		    xmlSAX2GetLineNumber(ctx), p->cap.name, (const char *)local);
		i = p->cap.depth - 1;
		end_capture(p);
		for (; i < p->depth; i++)
			p->stack[i].kind = K_SHUT;
	}
	if (p->capturing)
		cap_start(p, local, prefix, uri, nattr, attrs);
	push_frame(p, nattr, attrs);
	if (p->depth == 1) {
		root_element(p, ns, local, uri, nattr, attrs);
		return;
	}
	if (p->capturing)
		return;
	ns = feed_ns(p, ns, uri);
	/* Children of an element the recovery closed early belong to its parent. */
	for (i = p->depth - 2; i > 0 && p->stack[i].kind == K_SHUT; i--)
		;
	parent = p->stack[i].kind;
	if (parent == K_ROOT && ns == NS_NONE && strcmp((const char *)local, "channel") == 0)
		p->stack[p->depth - 1].kind = K_CHANNEL;
	else if (!p->in_item && is_item_start(p, ns, local) &&
	    (parent == K_ROOT || parent == K_CHANNEL || parent == K_SKIPPED || forced)) {
		/* (An item inside a skipped one is an unclosed item, as above: counted on its own.) */
		if (start_item(p) == -1)
			return;
		about = attr_get(nattr, attrs, "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "about");
		if (about == NULL)
			about = attr_get(nattr, attrs, NULL, "about");
		set_once(&p->item.id, about);
	} else if (parent == K_ITEM)
		item_child(p, ns, local, nattr, attrs);
	else if (parent == K_AUTHOR && ns == NS_ATOM && strcmp((const char *)local, "name") == 0)
		begin_capture(p, T_AUTHOR_NAME, M_TEXT, PARSE_TEXT, local);
	else if (parent == K_AUTHOR && ns == NS_ATOM && strcmp((const char *)local, "email") == 0)
		begin_capture(p, T_AUTHOR_EMAIL, M_TEXT, PARSE_TEXT, local);
	else if (parent == K_CHANNEL)
		feed_child(p, ns, local, nattr, attrs);
}

/* ---- values at the end of a captured element ---- */

static void
add_category(struct item *it, char *v)
{
	if (v == NULL || *v == '\0') {
		free(v);
		return;
	}
	it->categories = xreallocarray(it->categories, it->ncategories + 1, sizeof(char *));
	it->categories[it->ncategories++] = v;
}

static void
period_ttl(struct parser *p, char *v)
{
	static const struct { const char *name; unsigned long secs; } periods[] = {
		{ "hourly", 3600 }, { "daily", 86400 }, { "weekly", 604800 },
		{ "monthly", 2592000 }, { "yearly", 31536000 }
	};
	size_t	i;

	for (i = 0; i < sizeof(periods) / sizeof(periods[0]); i++)
		if (strcasecmp(v, periods[i].name) == 0)
			p->sy_period = periods[i].secs;
}

static void
end_capture(struct parser *p)
{
	struct capture	*c = &p->cap;
	struct item	*it = &p->item;
	char		*v;

	p->capturing = 0;
	/* An empty element has no buffer: decoding would write the NUL into a string literal. */
	if (c->mode == M_BASE64 && p->text.data != NULL)
		p->text.len = base64_decode(p->text.data, p->text.len);
	v = fix_c1(trimmed(p->text.data ? p->text.data : "", p->text.len));
	if (c->type != PARSE_TEXT && c->base != NULL && strchr(v, '<') != NULL &&
	    has_uri_attr(v)) {
		char *r = resolve_html(p, v, c->base);

		free(v);
		v = r;
	}
	switch (c->target) {
	case T_TITLE:
		field_once(&it->title, v, c->type);
		break;
	case T_SUMMARY:
		field_once(&it->summary, v, c->type);
		break;
	case T_CONTENT:
		if (it->content.value == NULL || c->rank < it->content_rank) {
			free(it->content.value);
			it->content.value = v;
			it->content.type = c->type;
			it->content_rank = c->rank;
		} else
			free(v);
		break;
	case T_LINK:
		if (*v != '\0' && it->link == NULL)
			it->link = resolve_link(v, c->base);
		free(v);
		break;
	case T_GUID:
		/*
		 * A guid is the link only when it says it is a permalink (the RSS 2.0 default) and
		 * it is an http(s) URL: "12345" or "urn:x" is an id, not a place to go, and is not
		 * resolved against the base into a link that does not exist.
		 */
		if (c->permalink && is_web_url(v) && it->guid_link == NULL)
			it->guid_link = resolve_link(v, c->base);
		set_once(&it->id, v);
		break;
	case T_ID:
		/* Atom ids are IRIs; a relative one is relative to the base (RFC 4287 4.2.6). */
		if (c->base != NULL && *v != '\0') {
			char *r = resolve(v, c->base);

			free(v);
			v = r;
		}
		set_once(&it->id, v);
		break;
	case T_AUTHOR:
		set_once(&it->author, v);
		break;
	case T_AUTHOR_NAME:
		set_once(&it->author_name, v);
		break;
	case T_AUTHOR_EMAIL:
		set_once(&it->author_email, v);
		break;
	case T_PUBLISHED:	/* the last date given wins, as in feedparser */
		replace_str(&it->published, v);
		break;
	case T_UPDATED:
		replace_str(&it->updated, v);
		break;
	case T_CATEGORY:
		add_category(it, v);
		break;
	case T_FEED_TITLE:
		field_once(&p->feed.title, v, c->type);
		break;
	case T_FEED_LINK:
		if (*v != '\0' && p->feed.link == NULL)
			p->feed.link = resolve_link(v, c->base);
		free(v);
		break;
	case T_TTL:
		if (p->feed.ttl == 0)
			p->feed.ttl = (unsigned)strtoul(v, NULL, 10) * 60;
		free(v);
		break;
	case T_SY_PERIOD:
		period_ttl(p, v);
		free(v);
		break;
	case T_SY_FREQ:
		p->sy_freq = strtoul(v, NULL, 10);
		free(v);
		break;
	case T_NONE:
		free(v);
		break;
	}
}

/* Closes an Atom author: "name (email)" as feed readers show it. */
static void
end_author(struct parser *p)
{
	struct item	*it = &p->item;
	char		*v = NULL;

	if (it->author_name != NULL && it->author_email != NULL)
		v = xasprintf("%s (%s)", it->author_name, it->author_email);
	else if (it->author_name != NULL)
		v = xstrdup(it->author_name);
	else if (it->author_email != NULL)
		v = xstrdup(it->author_email);
	set_once(&it->author, v);
	free(it->author_name);
	free(it->author_email);
	it->author_name = it->author_email = NULL;
}

static void
end_item(struct parser *p)
{
	struct item		*it = &p->item;
	struct parse_item	 out;

	p->in_item = 0;
	if (it->link == NULL && it->guid_link != NULL) {
		it->link = it->guid_link;
		it->guid_link = NULL;
	}
	memset(&out, 0, sizeof(out));
	out.title = it->title;
	out.summary = it->summary;
	out.content = it->content;
	out.link = it->link;
	out.id = it->id;
	out.author = it->author;
	out.published = it->published;
	out.updated = it->updated;
	if (it->published == NULL || date_parse(it->published, &out.published_t) == -1)
		out.published_t = 0;
	if (it->updated == NULL || date_parse(it->updated, &out.updated_t) == -1)
		out.updated_t = 0;
	out.categories = it->categories;
	out.ncategories = it->ncategories;
	p->nitems++;
	if (p->cb.item_cb != NULL && p->cb.item_cb(p->arg, &out) == -1)
		fail(p, "stopped by the item callback");
	item_clear(it);
}

static void
end_element_cb(void *ctx, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri)
{
	struct parser	*p = parser_of(ctx);
	struct frame	*f;

	if (p->failed || p->depth == 0)
		return;
	if (p->capturing && p->depth == p->cap.depth)
		end_capture(p);
	else if (p->capturing)
		cap_end(p, local, prefix, uri);
	f = &p->stack[p->depth - 1];
	if (f->kind == K_AUTHOR)
		end_author(p);
	else if (f->kind == K_ITEM && p->in_item)
		end_item(p);
	if (f->own_base)
		free(f->base);
	p->depth--;
}

/*
 * Sends prepared bytes to libxml2 in pieces it handles comfortably: libxml2 copies each piece
 * into its input buffer before parsing it, and 16 KiB pieces stay in cache (measured about 5%
 * faster than 64 KiB with bench/parse).
 */
static void
xml_push(struct parser *p, const char *buf, size_t len, int terminate)
{
	while (!p->failed) {
		int n = len > 16384 ? 16384 : (int)len;

		/* Its result repeats what the error callbacks already put in p (failed, the
		 * message), which is where parse errors are read. */
		xmlParseChunk(p->ctxt, buf, n, terminate && (size_t)n == len);
		if (p->failed)
			xmlStopParser(p->ctxt);
		buf += n;
		len -= (size_t)n;
		if (len == 0)
			break;
	}
}

/* ---- public interface ---- */

void
parse_limits_default(struct parse_limits *lim)
{
	lim->max_bytes = 64u * 1024 * 1024;
	lim->max_items = 5000;
	lim->max_field = 1024 * 1024;
	lim->max_depth = 256;
}

/*
 * libxml2 keeps the external entity loader and the generic error handler in process globals.
 * This file is the only libxml2 user, so it sets both once: loading is denied and generic
 * messages are silenced (per-context structured errors are still collected).
 */
static void
libxml_once(void)
{
	static int	done;

	if (done)
		return;
	done = 1;
	xmlInitParser();
	xmlSetExternalEntityLoader(deny_loader);
	xmlSetGenericErrorFunc(NULL, silent_cb);
}

static void
sax_init(xmlSAXHandler *sax)
{
	memset(sax, 0, sizeof(*sax));
	xmlSAXVersion(sax, 2);
	sax->startElementNs = start_element_cb;
	sax->endElementNs = end_element_cb;
	sax->characters = characters_cb;
	sax->ignorableWhitespace = characters_cb;
	sax->cdataBlock = characters_cb;
	sax->getEntity = get_entity_cb;
	sax->reference = reference_cb;
	sax->resolveEntity = deny_resolve;
	sax->externalSubset = NULL;
	sax->comment = NULL;
	sax->processingInstruction = NULL;
	sax->warning = NULL;
	sax->error = NULL;
	sax->fatalError = NULL;
	sax->serror = serror_cb;
}

static int	start_cb(void *, enum input_enc);
static int	out_cb(void *, const char *, size_t, int);

struct parser *
parser_new(const struct parse_cb *cb, void *arg, const char *base_url, const char *charset,
    const struct parse_limits *lim)
{
	static const struct input_cb icb = { xmlcharset_cb, start_cb, out_cb };
	struct parser	*p;

	libxml_once();
	p = xcalloc(1, sizeof(*p));
	p->cb = *cb;
	p->arg = arg;
	if (lim != NULL)
		p->lim = *lim;
	else
		parse_limits_default(&p->lim);
	if (p->lim.max_depth == 0)
		p->lim.max_depth = 1;
	p->base_url = base_url && *base_url ? xstrdup(base_url) : NULL;
	p->charset = charset && *charset ? xstrdup(charset) : NULL;
	buf_init(&p->text, p->lim.max_field);
	buf_init(&p->head, HEAD_MAX);
	p->in = input_new(&icb, p, p->charset);
	return p;
}

/*
 * Creates the libxml2 context once the input stage knows what it will hand over (input.h
 * says how it decides): UTF-8 or the HTTP charset beat the XML declaration, so libxml2 must
 * ignore it then.
 */
static int
start_cb(void *arg, enum input_enc enc)
{
	struct parser			*p = arg;
	xmlSAXHandler			 sax;
	xmlCharEncodingHandlerPtr	 h = NULL;
	int				 opts;

	sax_init(&sax);
	p->ctxt = xmlCreatePushParserCtxt(&sax, NULL, NULL, 0, p->base_url);
	if (p->ctxt == NULL) {
		fail(p, "out of memory creating the XML parser");
		return -1;
	}
	p->ctxt->_private = p;
	p->ctxt->vctxt.error = silent_cb;
	p->ctxt->vctxt.warning = silent_cb;
	opts = XML_PARSE_RECOVER | XML_PARSE_NONET;
	if (enc != INPUT_DECLARED)
		opts |= XML_PARSE_IGNORE_ENC;
	if (enc == INPUT_CHARSET)
		h = xmlFindCharEncodingHandler(p->charset);
	xmlCtxtUseOptions(p->ctxt, opts);
	if (h != NULL)
		xmlSwitchToEncoding(p->ctxt, h);
	return 0;
}

/* Bytes from the input stage, to libxml2. */
static int
out_cb(void *arg, const char *buf, size_t len, int final)
{
	struct parser	*p = arg;
	size_t		 nbad, namp;

	input_repairs(p->in, &nbad, &namp);
	if (nbad > 0 && !p->bad_noted) {
		note_repair(p, "invalid UTF-8 read as windows-1252");
		p->bad_noted = 1;
	}
	xml_push(p, buf, len, final);
	return p->failed ? -1 : 0;
}

/* Bytes from the caller, through the input stage (which calls back start_cb and out_cb). */
static void
feed_bytes(struct parser *p, const char *buf, size_t len, int terminate)
{
	size_t	nbad, namp;

	if ((terminate ? input_finish(p->in) : input_feed(p->in, buf, len)) == -1)
		/* A callback that stopped it has given its reason already (fail keeps the first):
		 * otherwise a buffer of the input stage reached its cap. */
		fail(p, "document too large for the input stage");
	input_repairs(p->in, &nbad, &namp);
	if (namp > p->amp_noted && !p->failed) {
		note_repair(p, "%zu stray '&' or bad references escaped", namp - p->amp_noted);
		p->amp_noted = namp;
	}
}

/* jsonfeed.c's callbacks: items and the feed go to ours, repairs into our notes. */
static int
json_item_cb(void *arg, const struct parse_item *it)
{
	struct parser	*p = arg;

	return p->cb.item_cb != NULL ? p->cb.item_cb(p->arg, it) : 0;
}

static void
json_feed_cb(void *arg, const struct parse_feed *f)
{
	struct parser	*p = arg;

	if (p->cb.feed_cb != NULL)
		p->cb.feed_cb(p->arg, f);
}

/* As end_capture does for RSS and Atom HTML: relative URIs made absolute. */
static char *
json_html_cb(void *arg, const char *html, const char *base)
{
	if (base == NULL || strchr(html, '<') == NULL || !has_uri_attr(html))
		return NULL;
	return resolve_html(arg, html, base);
}

static void
json_repair_cb(void *arg, const char *note)
{
	note_repair(arg, "%s", note);
}

/* Bytes to the parser chosen: the JSON Feed reader, or the input stage then libxml2. */
static void
routed_bytes(struct parser *p, const char *buf, size_t len)
{
	if (p->route == ROUTE_XML)
		feed_bytes(p, buf, len, 0);
	else if (jsonfeed_feed(p->json, buf, len) == -1)
		fail(p, "%s", jsonfeed_error(p->json));
}

/* Decides the route, then hands on the bytes held so far (JSON does not want the BOM). */
static void
route_to(struct parser *p, enum route r)
{
	static const struct jsonfeed_cb jcb = {
		json_item_cb, json_feed_cb, resolve_link, json_html_cb, json_repair_cb
	};

	p->route = r;
	if (r == ROUTE_JSON) {
		p->json = jsonfeed_new(&jcb, p, p->base_url, &p->lim, p->nbom);
		if (p->head.len > p->nbom)
			routed_bytes(p, p->head.data + p->nbom, p->head.len - p->nbom);
	} else if (p->head.len > 0)
		routed_bytes(p, p->head.data, p->head.len);
	buf_free(&p->head);
}

/*
 * JSON Feed when the first byte after an optional UTF-8 BOM and white space is '{': the input
 * stage must not see JSON (its '&' escaping and encoding repairs would change it). Until that
 * byte arrives, whatever the chunking, the bytes before it are held in head.
 */
static void
route_bytes(struct parser *p, const char *buf, size_t len)
{
	static const char	 bom[] = "\xef\xbb\xbf";
	size_t			 i = 0;

	while (p->route == ROUTE_UNDECIDED && i < len) {
		char	c = buf[i];
		int	bom_byte = p->head.len == p->nbom && p->nbom < 3 && c == bom[p->nbom];
		int	space = (p->nbom == 0 || p->nbom == 3) &&
			    (c == ' ' || c == '\t' || c == '\r' || c == '\n');

		if (!bom_byte && !space) {
			route_to(p, c == '{' && (p->nbom == 0 || p->nbom == 3) ?
			    ROUTE_JSON : ROUTE_XML);
			break;
		}
		if (buf_append(&p->head, &c, 1) == -1) {
			route_to(p, ROUTE_XML);
			break;
		}
		p->nbom += bom_byte;
		i++;
	}
	if (p->route != ROUTE_UNDECIDED && i < len && !p->failed)
		routed_bytes(p, buf + i, len - i);
}

int
parser_feed(struct parser *p, const char *buf, size_t len)
{
	if (p->failed)
		return -1;
	if (len > p->lim.max_bytes - p->nbytes) {
		fail(p, "document larger than %zu bytes", p->lim.max_bytes);
		return -1;
	}
	p->nbytes += len;
	if (len > 0)
		route_bytes(p, buf, len);
	return p->failed ? -1 : 0;
}

int
parser_finish(struct parser *p)
{
	if (p->route == ROUTE_UNDECIDED && !p->failed)
		route_to(p, ROUTE_XML);
	if (p->route == ROUTE_JSON) {
		if (!p->failed && jsonfeed_finish(p->json) == -1)
			fail(p, "%s", jsonfeed_error(p->json));
		return p->failed ? -1 : 0;
	}
	if (!p->failed)
		feed_bytes(p, "", 0, 1);
	if (p->failed)
		return -1;
	if (!p->root_seen) {
		if (p->xml_error[0])
			fail(p, "not a feed (not XML: %s)", p->xml_error);
		else
			fail(p, "not a feed (empty document)");
		return -1;
	}
	if (p->depth > 0)
		note_repair(p, "document ended with %u elements open", p->depth);
	if (p->feed.ttl == 0 && p->sy_period > 0)
		p->feed.ttl = (unsigned)(p->sy_period / (p->sy_freq > 0 ? p->sy_freq : 1));
	if (p->cb.feed_cb != NULL)
		p->cb.feed_cb(p->arg, &p->feed);
	return 0;
}

char *
parse_resolve_uri(const char *ref, const char *base)
{
	return resolve(ref, base);
}

const char *
parser_error(const struct parser *p)
{
	return p->failed ? p->error : NULL;
}

const char *
parser_repairs(const struct parser *p)
{
	return p->nrepairs ? p->repairs_text : NULL;
}

size_t
parser_nitems(const struct parser *p)
{
	return p->json != NULL ? jsonfeed_nitems(p->json) : p->nitems;
}

size_t
parser_skipped(const struct parser *p)
{
	return p->json != NULL ? jsonfeed_skipped(p->json) : p->nskipped;
}

size_t
parser_buffered(const struct parser *p)
{
	xmlParserInputBufferPtr	in;
	size_t			n;

	/* Ours: bytes held until the route is known, carried to the next chunk, or held until
	 * the XML declaration is read. */
	n = p->head.len + input_buffered(p->in);
	if (p->ctxt == NULL || p->ctxt->input == NULL || (in = p->ctxt->input->buf) == NULL)
		return n;
	/* libxml2's: what its input buffer still holds (it discards input as it parses). */
	if (in->buffer != NULL)
		n += xmlBufUse(in->buffer);
	if (in->raw != NULL)
		n += xmlBufUse(in->raw);
	return n;
}

void
parser_free(struct parser *p)
{
	if (p == NULL)
		return;
	while (p->depth > 0) {
		if (p->stack[p->depth - 1].own_base)
			free(p->stack[p->depth - 1].base);
		p->depth--;
	}
	free(p->stack);
	if (p->ctxt != NULL) {
		if (p->ctxt->myDoc != NULL)
			xmlFreeDoc(p->ctxt->myDoc);
		p->ctxt->myDoc = NULL;
		xmlFreeParserCtxt(p->ctxt);
	}
	fakes_free(p);
	jsonfeed_free(p->json);
	buf_free(&p->head);
	item_clear(&p->item);
	free(p->feed.title.value);
	free(p->feed.link);
	buf_free(&p->text);
	input_free(p->in);
	free(p->base_url);
	free(p->charset);
	free(p->atom_alias);
	free(p->root_base);
	free(p->root_uri);
	free(p);
}
