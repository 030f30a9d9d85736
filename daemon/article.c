/* article.c: an HTML page's main text: libxml2's HTML push parser, our own block tree, scoring. */
#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>
#include <libxml/parserInternals.h>
#include <libxml/xmlerror.h>

#include "article.h"
#include "input.h"
#include "util.h"
#include "xmlcharset.h"

/*
 * How it works. While the page streams in, SAX callbacks keep a tree of block elements (p, div,
 * li, h2, section, ...) in document order, each with the bytes of text directly in it, how many
 * of them are link text, its punctuation and a hint read from its tag, class, id, itemprop and
 * role. Inline elements (a, em, span, ...) add their text to the block around them; the text
 * itself goes to one buffer as runs (node, offset, length), so the output keeps document order.
 * Nothing is scored before the end, because a page's main container is only known once all of
 * it has been seen.
 *
 * The scoring is the readability idea turned into a maximum-sum search. Each block's own text
 * gets a value: positive for prose (long, punctuated, few links), negative for link lists and
 * scraps (menus, "Share", dates). A node's score is its own value plus its children's; a child
 * hinted as boilerplate (nav, aside, footer, class "related", "comments", "cookie", ...) counts
 * minus all its text instead, and nothing inside it can be the article. The container with the
 * best score, raised for positive hints (<article>, <main>, itemprop=articleBody, class
 * "article-body", ...), is the article; it is narrowed to a child that holds nearly all of its
 * score (which leaves out a byline or a caption beside the body), and its siblings with much
 * prose join it (bodies split by an advert). Its blocks are written out, less the boilerplate
 * inside it, link boxes, small boxes around a form, the h1 and headings that repeat the
 * <title>, scraps, and pull quotes that repeat the body. When hints leave nothing, the page is
 * scored again with class and id words ignored (readability's retry).
 *
 * Bounded: the page's bytes, elements, nesting depth and the text out all have limits; the tree
 * holds only block elements, and no pass recurses: every walk is over the node array.
 */

#define NO_NODE		SIZE_MAX
#define SNIFF_MAX	1024	/* page bytes searched for a <meta> charset */
#define HINT_SCAN_MAX	512	/* bytes of a class or id value read for hint words */
#define PUSH_BLOCK	8192	/* bytes handed to libxml2 at a time (see out_cb) */
#define END_TAG_MAX	12	/* "</noframes" and a little: see push_cut */

/* What a tag is to the extractor (tag_info). */
enum {
	TG_SKIP = 1 << 0,	/* contents ignored: script, style, svg, ... */
	TG_INLINE = 1 << 1,	/* text goes to the block around it */
	TG_LINK = 1 << 2,	/* a */
	TG_H1 = 1 << 3,
	TG_HEADING = 1 << 4,	/* h2-h6 */
	TG_ITEM = 1 << 5,	/* li, dd, dt, td, th: short text is fine */
	TG_PARA = 1 << 6,	/* p, pre, blockquote: prose */
	TG_NEG = 1 << 7,	/* nav, aside, footer, figcaption, form, ... */
	TG_HEADER = 1 << 8,	/* header: boilerplate, but for its h2-h6 */
	TG_POS = 1 << 9,	/* article, main */
	TG_BREAK = 1 << 10,	/* br, hr: a space */
	TG_ROOT = 1 << 11,	/* html, body: their class and id say nothing */
	TG_FORM = 1 << 12,	/* form */
	TG_CELL = 1 << 13,	/* td, th: a row's cells share its line */
	TG_QUOTE = 1 << 14,	/* blockquote: may repeat the body (a pull quote) */
	TG_ARTICLE = 1 << 15	/* article */
};

/* Blocks, as opposed to containers (which alone can be the article, or a teaser). */
#define BLOCK_FLAGS	(TG_PARA | TG_ITEM | TG_HEADING | TG_H1)

/* A node's hint, from its tag and attributes. */
enum hint { H_NEG = -2, H_HEADER = -1, H_NONE = 0, H_POS = 1, H_STRONG = 2 };

struct tag_info {
	const char	*name;
	unsigned	 flags;
};

/* Sorted by name: tag_lookup bsearches it. Tags not here are blocks. */
static const struct tag_info tags[] = {
	{ "a", TG_INLINE | TG_LINK }, { "abbr", TG_INLINE }, { "applet", TG_SKIP },
	{ "article", TG_POS | TG_ARTICLE }, { "aside", TG_NEG }, { "audio", TG_SKIP }, { "b", TG_INLINE },
	{ "bdi", TG_INLINE }, { "bdo", TG_INLINE }, { "big", TG_INLINE },
	{ "blockquote", TG_PARA | TG_QUOTE }, { "body", TG_ROOT }, { "br", TG_INLINE | TG_BREAK },
	{ "button", TG_SKIP }, { "canvas", TG_SKIP }, { "cite", TG_INLINE },
	{ "code", TG_INLINE }, { "data", TG_INLINE }, { "dd", TG_ITEM }, { "del", TG_INLINE },
	{ "dfn", TG_INLINE }, { "dialog", TG_NEG }, { "dt", TG_ITEM }, { "em", TG_INLINE },
	{ "embed", TG_SKIP }, { "figcaption", TG_NEG }, { "font", TG_INLINE },
	{ "footer", TG_NEG }, { "form", TG_NEG | TG_FORM }, { "h1", TG_H1 }, { "h2", TG_HEADING },
	{ "h3", TG_HEADING }, { "h4", TG_HEADING }, { "h5", TG_HEADING }, { "h6", TG_HEADING },
	{ "head", TG_SKIP }, { "header", TG_HEADER }, { "hr", TG_INLINE | TG_BREAK },
	{ "html", TG_ROOT }, { "i", TG_INLINE }, { "iframe", TG_SKIP }, { "img", TG_INLINE },
	{ "input", TG_SKIP }, { "ins", TG_INLINE }, { "kbd", TG_INLINE }, { "label", TG_INLINE },
	{ "li", TG_ITEM }, { "main", TG_POS }, { "map", TG_SKIP }, { "mark", TG_INLINE },
	{ "math", TG_SKIP }, { "menu", TG_NEG }, { "nav", TG_NEG }, { "nobr", TG_INLINE },
	{ "noscript", TG_SKIP }, { "object", TG_SKIP }, { "option", TG_SKIP },
	{ "p", TG_PARA }, { "picture", TG_INLINE }, { "pre", TG_PARA }, { "q", TG_INLINE },
	{ "s", TG_INLINE }, { "samp", TG_INLINE }, { "script", TG_SKIP },
	{ "select", TG_SKIP }, { "small", TG_INLINE }, { "source", TG_INLINE },
	{ "span", TG_INLINE }, { "strike", TG_INLINE }, { "strong", TG_INLINE },
	{ "style", TG_SKIP }, { "sub", TG_INLINE }, { "sup", TG_INLINE }, { "svg", TG_SKIP },
	{ "td", TG_ITEM | TG_CELL }, { "template", TG_SKIP }, { "textarea", TG_SKIP },
	{ "th", TG_ITEM | TG_CELL }, { "time", TG_INLINE }, { "title", TG_SKIP }, { "tt", TG_INLINE },
	{ "u", TG_INLINE }, { "var", TG_INLINE }, { "video", TG_SKIP }, { "wbr", TG_INLINE },
};

/*
 * Words of class and id values (split at anything not a letter or digit, lower-cased) that
 * mark boilerplate. A trailing '*' matches any word starting so ("foot*": footer,
 * footnotes), one at both ends any word holding it ("*meta*": postmeta). A negative word beats a positive one in the same element: "article-related",
 * "entry-meta" and "comment-body" are boilerplate. Sorted is not needed: the lists are short.
 */
static const char *const neg_words[] = {
	"ad", "ads", "adslot", "*advert*", "aside", "*author*", "*banner*", "bio", "bios",
	"*breadcrumb*", "contribut*", "cta", "donat*", "eyebrow", "kicker", "membership*",
	"*pullquote*", "rubric",
	"*byline*", "*caption*", "comment*", "*consent*", "*cookie*", "credit*", "date*", "dfp",
	"dialog", "discuss*", "disqus", "follow", "foot", "footer*", "gdpr", "login",
	"masthead", "*menu*", "*meta*", "modal", "nav", "navbar*", "navigation*", "*newsletter*",
	"offer*", "outbrain", "overlay", "pager", "pagination", "*paywall*", "*popular*", "popup",
	"posted", "privacy", "*promo*", "published", "rail", "*recommend*", "regwall", "*related*",
	"replies", "reply", "respond", "responses", "*share*", "sharing", "*sidebar*", "signin",
	"signup", "skip", "*social*", "*sponsor*", "subscribe*", "subscription*", "taboola",
	"tag", "tags", "ticker", "time", "timestamp*", "tool*", "topics", "trending", "*widget*",
};

/* Words that would match above but name an article: an opinion piece's "commentary". */
static const char *const not_neg_words[] = { "commentary" };

/* Boilerplate named in two words ("most-read", "read_next"), after '_' became '-'. */
static const char *const neg_phrases[] = {
	"most-read", "mostread", "most-popular", "most-viewed", "most-shared", "read-next",
	"readnext", "up-next", "next-article", "next-story", "more-from", "more-stories",
	"more-news", "also-read", "read-also", "see-also", "read-more", "you-may", "you-might",
	"sign-up", "sign-in", "pull-quote",
};

/* Whole class names that hide an element (a word "hidden" alone is Tailwind's overflow-hidden). */
static const char *const hidden_classes[] = {
	"hidden", "hide", "is-hidden", "d-none", "sr-only", "visually-hidden",
	"screen-reader-text", "visuallyhidden", "invisible",
};

/* Words that mark a header: boilerplate but for its subheadings (a live blog entry's title). */
static const char *const header_words[] = { "header", "head" };

static const char *const pos_words[] = {
	"article*", "blog*", "body", "content*", "entry", "entries", "hentry", "main", "post",
	"postbody", "prose", "story*", "text",
};

/* One block element of the page (or an inline one hinted as boilerplate, such as <time>). */
struct anode {
	size_t		 parent;	/* index, or NO_NODE for the first */
	size_t		 end;		/* one past the last node of its subtree */
	size_t		 text;		/* bytes of text directly in it */
	size_t		 link;		/* ... of which in links */
	unsigned	 punct;		/* commas and sentence ends outside links */
	unsigned	 flags;		/* TG_* of its tag */
	signed char	 hint;		/* enum hint, from tag and attributes */
	signed char	 plain_hint;	/* hint without the class and id words (and hidden) */
	unsigned char	 last;		/* last byte of its text, for the sentence check */
	unsigned char	 body;		/* itemprop (or RDFa property) articleBody */
	unsigned char	 titled;	/* a heading that repeats the <title> (see mark_titled) */
	unsigned char	 paras;		/* it has a p (or <br><br> paragraph) child */
};

/* A stretch of the text buffer that belongs to one node. */
struct arun {
	size_t	node, off, len;
};

/* An open element. */
struct aframe {
	const xmlChar	*name;	/* libxml2's, interned in its dictionary */
	size_t		node;	/* the node its text goes to */
	size_t		own;	/* the node it made (a block or a hinted inline), or NO_NODE */
	size_t		para;	/* its open <br><br> paragraph (see split), or NO_NODE */
	unsigned	flags;	/* TG_* of its tag */
};

/* Scores, per node, filled in by score(). */
struct ascore {
	double		 s;	/* own value plus children's contributions */
	size_t		 tot;	/* text bytes in the subtree */
	size_t		 totlink;
	unsigned char	 strong;	/* it or a descendant is strongly positive */
	unsigned char	 neg;		/* boilerplate (its hint, not undone by a strong descendant) */
	unsigned char	 under;		/* inside a boilerplate node */
	unsigned char	 form;		/* it or a descendant is a form */
	unsigned char	 h1;		/* it or a descendant is an h1 */
	unsigned char	 linkhead;	/* it or a descendant is an h2-h6 that is mostly a link */
	double		 prose;		/* the positive own values in the subtree */
};

struct article {
	struct article_limits	 lim;
	char			*url;
	char			*charset;	/* the HTTP charset, or NULL */
	char			 err[160];
	int			 failed;
	int			 finished;
	size_t			 fed;		/* page bytes so far */
	struct buf		 head;		/* first bytes, until the charset is known */
	int			 started;	/* head sniffed, input stage running */
	char			*cs;		/* the charset that won (HTTP or meta), or NULL */
	struct input		*in;
	htmlParserCtxtPtr	 ctxt;
	struct buf		 pend;		/* input stage output not yet given to libxml2 */
	/* The tree and the text. */
	struct anode		*nodes;
	size_t			 nnodes, capnodes;
	struct arun		*runs;
	size_t			 nruns, capruns;
	struct buf		 text;
	struct buf		 title;		/* the page's <title>, white space collapsed */
	int			 in_title;	/* 1 inside the first <title>, 2 after it */
	int			 space;		/* white space pending before the next character */
	struct aframe		*stack;
	size_t			 depth, capstack;
	size_t			 elements;	/* elements seen, for max_nodes */
	unsigned		 skip;		/* open elements whose contents are ignored */
	unsigned		 links;		/* open <a> elements */
	unsigned		 brs;		/* <br> in a row, with only white space between */
};

void
article_limits_default(struct article_limits *l)
{
	l->max_bytes = 4u * 1024 * 1024;
	l->max_text = 256u * 1024;
	l->max_depth = 256;
	l->max_nodes = 100000;
}

/* A size in the largest unit that divides it ("4 MiB", "256 KiB", "1000 bytes"). */
static void
size_words(char *out, size_t outlen, size_t n)
{
	static const char *const unit[] = { "bytes", "KiB", "MiB", "GiB" };
	size_t	u = 0;

	while (u + 1 < sizeof(unit) / sizeof(unit[0]) && n >= 1024 && n % 1024 == 0) {
		n /= 1024;
		u++;
	}
	snprintf(out, outlen, "%zu %s", n, unit[u]);
}

/*
 * Records the first error. It only silences libxml2: xmlStopParser frees the input buffer at
 * once, and fail() is mostly called from a SAX callback that still reads it (parse.c's fuzzing
 * found that); push() stops the parser once htmlParseChunk has returned.
 */
static void __attribute__((format(printf, 2, 3)))
fail(struct article *a, const char *fmt, ...)
{
	va_list	ap;

	if (a->failed)
		return;
	a->failed = 1;
	va_start(ap, fmt);
	vsnprintf(a->err, sizeof(a->err), fmt, ap);
	va_end(ap);
	if (a->ctxt != NULL)
		a->ctxt->disableSAX = 1;
}

/* ---- attributes to hints ---- */

static int
word_in(const char *w, size_t n, const char *const *list, size_t nlist)
{
	size_t	i, k;

	for (i = 0; i < nlist; i++) {
		k = strlen(list[i]);
		if (list[i][0] == '*') {
			if (k - 2 <= n && memmem(w, n, list[i] + 1, k - 2) != NULL)
				return 1;
		} else if (list[i][k - 1] == '*') {
			if (n >= k - 1 && memcmp(w, list[i], k - 1) == 0)
				return 1;
		} else if (n == k && memcmp(w, list[i], k) == 0)
			return 1;
	}
	return 0;
}

#define NELEM(x)	(sizeof(x) / sizeof((x)[0]))

/*
 * The hint of a class or id value: H_NEG beats H_HEADER beats H_POS. Read up to
 * HINT_SCAN_MAX bytes, lower-cased, with '_' as '-': whole class names, then two-word
 * phrases, then single words (runs of letters and digits).
 */
static int
words_hint(const char *s)
{
	char	v[HINT_SCAN_MAX + 2], w[32], *tok, *save;
	size_t	n = 0, i, len;
	int	neg = 0, header = 0, pos = 0;

	for (len = 0; len < HINT_SCAN_MAX && s[len] != '\0'; len++)
		v[len] = s[len] == '_' ? '-' : (char)tolower((unsigned char)s[len]);
	v[len] = '\0';
	for (i = 0; i < NELEM(neg_phrases) && !neg; i++)
		neg = strstr(v, neg_phrases[i]) != NULL;
	for (i = 0; i <= len; i++) {
		unsigned char c = (unsigned char)v[i];

		if (isalnum(c)) {
			if (n < sizeof(w))
				w[n++] = (char)c;
			continue;
		}
		if (n > 0 && n < sizeof(w) && !word_in(w, n, not_neg_words, NELEM(not_neg_words))) {
			neg |= word_in(w, n, neg_words, NELEM(neg_words));
			header |= word_in(w, n, header_words, NELEM(header_words));
			pos |= word_in(w, n, pos_words, NELEM(pos_words));
		}
		n = 0;
	}
	for (tok = strtok_r(v, " \t\r\n\f", &save); tok != NULL && !neg;
	    tok = strtok_r(NULL, " \t\r\n\f", &save))
		neg = word_in(tok, strlen(tok), hidden_classes, NELEM(hidden_classes));
	return neg ? H_NEG : header ? H_HEADER : pos ? H_POS : H_NONE;
}

/* The lower of two hints where boilerplate is concerned: negative beats positive. */
static int
hint_merge(int a, int b)
{
	if (a < 0 || b < 0)
		return a < b ? a : b;
	return a > b ? a : b;
}

/* What role and itemprop say. */
static int
role_hint(const char *name, const char *v)
{
	static const char *const neg_roles[] = {
		"navigation", "banner", "contentinfo", "complementary", "dialog", "alertdialog",
		"search", "menu", "menubar", "toolbar", "form"
	};
	static const char *const neg_props[] = {
		"author", "datepublished", "datemodified", "publisher", "keywords", "creator",
		"comment", "dateline"
	};
	char	w[32];
	size_t	n = strlen(v), i;

	if (n >= sizeof(w))
		return H_NONE;
	for (i = 0; i < n; i++)
		w[i] = (char)tolower((unsigned char)v[i]);
	if (strcmp(name, "role") == 0) {
		if (strcmp(w, "main") == 0 || strcmp(w, "article") == 0)
			return H_STRONG;
		return word_in(w, n, neg_roles, NELEM(neg_roles)) ? H_NEG : H_NONE;
	}
	/* itemprop, and RDFa's property, which schema.org pages use the same way. */
	if (strcmp(w, "articlebody") == 0 || strcmp(w, "text") == 0)
		return H_STRONG;
	return word_in(w, n, neg_props, NELEM(neg_props)) ? H_NEG : H_NONE;
}

/*
 * The hint of an element from its tag and attributes; *plain_hint gets it without the class
 * and id words (and hidden), which the retry without hints ignores.
 */
static int
element_hint(unsigned flags, const xmlChar **atts, int *plain_hint)
{
	int		 h = H_NONE, ch = H_NONE, strong = 0;
	size_t		 i;
	const char	*n, *v;

	*plain_hint = H_NONE;
	if (flags & TG_ROOT)
		return H_NONE;
	for (i = 0; atts != NULL && atts[i] != NULL; i += 2) {
		n = (const char *)atts[i];
		v = atts[i + 1] != NULL ? (const char *)atts[i + 1] : "";
		if (strcmp(n, "class") == 0 || strcmp(n, "id") == 0)
			ch = hint_merge(ch, words_hint(v));
		else if (strcmp(n, "role") == 0 || strcmp(n, "itemprop") == 0 ||
		    strcmp(n, "property") == 0) {
			int r = role_hint(n, v);

			if (r == H_STRONG)
				strong = 1;
			else
				h = hint_merge(h, r);
		} else if (strcmp(n, "hidden") == 0 ||
		    (strcmp(n, "aria-hidden") == 0 && strcasecmp(v, "true") == 0) ||
		    (strcmp(n, "style") == 0 && strstr(v, "display:none") != NULL))
			/* Hidden, but with the class words: a page behind an open consent
			 * dialog hides its content, so the retry without hints ignores it. */
			ch = H_NEG;
	}
	if (strong)
		return *plain_hint = H_STRONG;
	if (flags & TG_NEG)
		h = hint_merge(h, H_NEG);
	else if (flags & TG_HEADER)
		h = hint_merge(h, H_HEADER);
	*plain_hint = (flags & TG_POS) && h == H_NONE ? H_POS : h;
	if ((flags & TG_POS) && h == H_NONE && ch >= 0)
		h = H_POS;
	return hint_merge(h, ch);
}

/* Whether the attributes say itemprop="articleBody" (or RDFa's property="articleBody"). */
static int
is_article_body(const xmlChar **atts)
{
	size_t	i;

	for (i = 0; atts != NULL && atts[i] != NULL; i += 2)
		if ((strcmp((const char *)atts[i], "itemprop") == 0 ||
		    strcmp((const char *)atts[i], "property") == 0) && atts[i + 1] != NULL &&
		    strcasecmp((const char *)atts[i + 1], "articleBody") == 0)
			return 1;
	return 0;
}

static int	is_space(unsigned char);

/*
 * Whether an <a> leads away: all do but a named in-page anchor ("#post-123": a live blog's
 * permalink, a footnote). A bare "#" or javascript: is a link that script makes go away.
 */
static int
links_away(const xmlChar **atts)
{
	size_t		 i;
	const char	*v;

	for (i = 0; atts != NULL && atts[i] != NULL; i += 2) {
		if (strcmp((const char *)atts[i], "href") != 0 || atts[i + 1] == NULL)
			continue;
		v = (const char *)atts[i + 1];
		while (is_space((unsigned char)*v))
			v++;
		return v[0] != '#' || v[1] == '\0';
	}
	return 1;
}

/* ---- the tree, from SAX callbacks ---- */

static int
tag_cmp(const void *k, const void *e)
{
	return strcmp(k, ((const struct tag_info *)e)->name);
}

static unsigned
tag_flags(const char *name)
{
	const struct tag_info *t = bsearch(name, tags, NELEM(tags), sizeof(tags[0]), tag_cmp);

	return t != NULL ? t->flags : 0;
}

static size_t
current_node(const struct article *a)
{
	return a->depth > 0 ? a->stack[a->depth - 1].node : NO_NODE;
}

/* Appends a node; its index. */
static size_t
new_node(struct article *a, size_t parent, unsigned flags, int hint, int plain_hint)
{
	struct anode	*n;

	if (a->nnodes == a->capnodes) {
		a->capnodes = a->capnodes ? a->capnodes * 2 : 256;
		a->nodes = xreallocarray(a->nodes, a->capnodes, sizeof(*a->nodes));
	}
	n = &a->nodes[a->nnodes];
	memset(n, 0, sizeof(*n));
	n->parent = parent;
	n->end = a->nnodes + 1;
	n->flags = flags;
	n->hint = (signed char)hint;
	n->plain_hint = (signed char)plain_hint;
	if ((flags & TG_PARA) && parent != NO_NODE)
		a->nodes[parent].paras = 1;
	return a->nnodes++;
}

/*
 * <br><br> inside a block: old pages separate paragraphs so. What follows, up to the next
 * <br><br> or the block's end, goes to a paragraph node of its own under the block, so that a
 * "Related: <a>...</a>" line is judged apart from the prose around it. Only when the <br>s sit
 * directly in the block (or in inline elements that made no node).
 */
static void
split(struct article *a)
{
	size_t	bi, j;

	for (bi = a->depth - 1; bi-- > 0;) {
		if (a->stack[bi].own != NO_NODE)
			break;
	}
	if (a->depth < 2 || a->stack[bi].own == NO_NODE || (a->stack[bi].flags & TG_INLINE))
		return;
	if (a->stack[bi].para != NO_NODE)
		a->nodes[a->stack[bi].para].end = a->nnodes;
	a->stack[bi].para = new_node(a, a->stack[bi].own, TG_PARA, H_NONE, H_NONE);
	for (j = bi; j < a->depth; j++)
		a->stack[j].node = a->stack[bi].para;
	a->space = 1;
}

static void
start_element_cb(void *arg, const xmlChar *xname, const xmlChar **atts)
{
	struct article	*a = arg;
	struct aframe	*f;
	unsigned	 flags = tag_flags((const char *)xname);
	int		 hint, plain_hint;

	if (a->failed)
		return;
	if (++a->elements > a->lim.max_nodes) {
		fail(a, "page has more than %zu elements", a->lim.max_nodes);
		return;
	}
	if (a->depth >= a->lim.max_depth) {
		fail(a, "page nested deeper than %u elements", a->lim.max_depth);
		return;
	}
	if (a->depth == a->capstack) {
		a->capstack = a->capstack ? a->capstack * 2 : 64;
		a->stack = xreallocarray(a->stack, a->capstack, sizeof(*a->stack));
	}
	f = &a->stack[a->depth];
	f->node = current_node(a);
	a->depth++;
	/* An in-page anchor (a live blog's permalink, a footnote) is not a link away. */
	if ((flags & TG_LINK) && !links_away(atts))
		flags &= ~(unsigned)TG_LINK;
	f->name = xname;
	f->flags = flags;
	f->own = f->para = NO_NODE;
	if (flags & TG_SKIP)
		a->skip++;
	if (flags & TG_LINK)
		a->links++;
	if (a->in_title == 0 && strcmp((const char *)xname, "title") == 0)
		a->in_title = 1;
	if (flags & TG_BREAK) {
		a->space = 1;
		if (++a->brs == 2 && a->skip == 0)
			split(a);
		return;
	}
	a->brs = 0;
	if (a->skip > 0 || (flags & TG_SKIP))
		return;
	hint = element_hint(flags, atts, &plain_hint);
	/* Blocks make nodes; an inline element only when it is boilerplate (<time>, a byline). */
	if (strcmp((const char *)xname, "time") == 0)
		hint = plain_hint = H_NEG;
	if ((flags & TG_INLINE) && hint >= 0)
		return;
	f->own = f->node = new_node(a, f->node, flags, hint, plain_hint);
	a->nodes[f->own].body = is_article_body(atts);
	if (!(flags & TG_INLINE))
		a->space = 1;
}

/* Closes the top element. */
static void
pop(struct article *a)
{
	struct aframe	*f = &a->stack[--a->depth];

	if (f->flags & TG_SKIP)
		a->skip--;
	if (f->flags & TG_LINK)
		a->links--;
	if (a->in_title == 1 && strcmp((const char *)f->name, "title") == 0)
		a->in_title = 2;
	if (f->para != NO_NODE)
		a->nodes[f->para].end = a->nnodes;
	if (f->own != NO_NODE) {
		a->nodes[f->own].end = a->nnodes;
		if (!(f->flags & TG_INLINE))
			a->space = 1;
	}
}

static void
end_element_cb(void *arg, const xmlChar *xname)
{
	struct article	*a = arg;
	size_t		 i;

	if (a->failed || a->depth == 0)
		return;
	/*
	 * libxml2 closes what it opened, so the top matches nearly always; otherwise close down
	 * to the nearest open element of the same name, and ignore an end tag nothing matches.
	 */
	for (i = a->depth; i > 0; i--)
		if (xmlStrEqual(a->stack[i - 1].name, xname))
			break;
	if (i == 0)
		return;
	while (a->depth >= i)
		pop(a);
}

/* White space, and the other control characters, which a page's text should not carry on. */
static int
is_space(unsigned char c)
{
	return (c != 0 && c <= ' ') || c == 0x7f;
}

/* Appends len bytes of text (white space already collapsed) to node nd, extending its run. */
static void
add_text(struct article *a, size_t nd, const char *s, size_t len)
{
	struct anode	*n = &a->nodes[nd];
	struct arun	*r = a->nruns > 0 ? &a->runs[a->nruns - 1] : NULL;

	if (buf_append(&a->text, s, len) == -1) {
		fail(a, "page text over the %zu-byte limit", a->text.max);
		return;
	}
	if (r == NULL || r->node != nd || r->off + r->len != a->text.len - len) {
		if (a->nruns == a->capruns) {
			a->capruns = a->capruns ? a->capruns * 2 : 256;
			a->runs = xreallocarray(a->runs, a->capruns, sizeof(*a->runs));
		}
		r = &a->runs[a->nruns++];
		r->node = nd;
		r->off = a->text.len - len;
		r->len = 0;
	}
	r->len += len;
	n->text += len;
	if (a->links > 0)
		n->link += len;
	n->last = (unsigned char)s[len - 1];
}

/* The <title>'s text, for telling the headline (see drop_title); what passes its cap is lost. */
static void
title_text(struct article *a, const unsigned char *s, size_t len)
{
	size_t	i;

	for (i = 0; i < len; i++) {
		if (is_space(s[i])) {
			if (a->title.len > 0 && a->title.data[a->title.len - 1] != ' ')
				buf_putc(&a->title, ' ');
		} else
			buf_putc(&a->title, (char)s[i]);
	}
}

/*
 * Commas and sentence ends in s[0 .. len): ASCII's, and the ideographic comma and full stop
 * and fullwidth comma (CJK), the Arabic comma and question mark, the Devanagari danda.
 */
static unsigned
count_punct(const unsigned char *s, size_t len)
{
	static const char *const wide[] = {
		"\xe3\x80\x81", "\xe3\x80\x82", "\xef\xbc\x8c", "\xd8\x8c", "\xd8\x9f",
		"\xe0\xa5\xa4"
	};
	unsigned	n = 0;
	size_t		k, w;

	for (k = 0; k < len; k++) {
		if (s[k] == ',' || s[k] == '.' || s[k] == '!' || s[k] == '?' || s[k] == ';') {
			n++;
			continue;
		}
		if (s[k] < 0x80)
			continue;
		for (w = 0; w < NELEM(wide); w++)
			if (len - k >= strlen(wide[w]) && memcmp(s + k, wide[w], strlen(wide[w])) == 0)
				n++;
	}
	return n;
}

/* Text: white space (and no-break spaces) collapse to one space inside a run. */
static void
characters_cb(void *arg, const xmlChar *xs, int xlen)
{
	struct article		*a = arg;
	const unsigned char	*s = xs;
	size_t			 len = xlen > 0 ? (size_t)xlen : 0, i, start, nd;
	struct arun		*r;

	if (a->in_title == 1) {
		title_text(a, s, len);
		return;
	}
	if (a->failed || a->skip > 0 || (nd = current_node(a)) == NO_NODE)
		return;
	i = 0;
	while (i < len) {
		if (is_space(s[i]) || (s[i] == 0xc2 && i + 1 < len && s[i + 1] == 0xa0)) {
			i += s[i] == 0xc2 ? 2 : 1;
			a->space = 1;
			continue;
		}
		start = i;
		while (i < len && !is_space(s[i]) && !(s[i] == 0xc2 && i + 1 < len &&
		    s[i + 1] == 0xa0))
			i++;
		r = a->nruns > 0 ? &a->runs[a->nruns - 1] : NULL;
		if (a->space && r != NULL && r->node == nd && r->off + r->len == a->text.len)
			add_text(a, nd, " ", 1);
		a->space = 0;
		a->brs = 0;
		if (!a->failed)
			add_text(a, nd, (const char *)s + start, i - start);
		if (a->failed)
			return;
		if (a->links == 0)
			a->nodes[nd].punct += count_punct(s + start, i - start);
	}
}

/* ---- scoring ---- */

/* Whether a block's own text reads as prose: long enough, or a sentence. */
static int
prose(const struct anode *n)
{
	size_t	t = n->text - n->link;

	return t >= 25 || n->punct > 0;
}

/* What a block's own text adds to the containers around it: prose up, links and scraps down. */
static double
own_value(const struct anode *n)
{
	double	t = (double)(n->text - n->link), l = (double)n->link;

	if (n->text == 0 || (n->flags & (TG_H1 | TG_HEADING)))
		return 0;
	if (l * 2 > (double)n->text)
		return -(double)n->text;
	if (!prose(n))
		/* List items and table cells are short by nature; other scraps are labels. */
		return (n->flags & TG_ITEM) ? 0 : -(double)n->text / 2;
	return t - l + 10.0 * (n->punct < 10 ? n->punct : 10);
}

/* A node's hint, with class and id words ignored when hints is 0. */
static int
node_hint(const struct anode *n, int hints)
{
	return hints ? n->hint : n->plain_hint;
}

/*
 * Whether a node is a teaser for another page: a small box whose heading is a link, with a
 * line or two of summary (a card in a rail of related stories). Such summaries read like
 * prose and, many together, outweigh a short story. A hint, like the class words: a short
 * post whose title links to itself is all the page has, and the retry finds it.
 */
static int
teaser(const struct anode *n, const struct ascore *sc)
{
	return !(n->flags & BLOCK_FLAGS) && sc->linkhead && sc->tot < 500 &&
	    sc->tot - sc->totlink < 300 && !sc->strong;
}

/*
 * Fills sc[] bottom-up: node indices grow in document order, so children come after parents.
 * A boilerplate hint is ignored where it would throw away nearly all of the page's prose: on a
 * page wrapped in <form> (ASP.NET) or in a div whose id happens to hold a boilerplate word, the
 * hint is the wrapper's, not the article's.
 */
static void
score(const struct article *a, struct ascore *sc, int hints)
{
	size_t	i, p;
	double	all = 0;
	int	h;

	memset(sc, 0, a->nnodes * sizeof(*sc));
	for (i = a->nnodes; i-- > 0;) {
		double v = own_value(&a->nodes[i]);

		sc[i].prose += v > 0 ? v : 0;
		if ((p = a->nodes[i].parent) != NO_NODE)
			sc[p].prose += sc[i].prose;
		else
			all += sc[i].prose;
	}
	for (i = a->nnodes; i-- > 0;) {
		const struct anode *n = &a->nodes[i];

		h = node_hint(n, hints);
		sc[i].s += own_value(n);
		sc[i].tot += n->text;
		sc[i].totlink += n->link;
		/* A strongly positive descendant (itemprop=articleBody, role=main) undoes a
		 * boilerplate hint too. */
		sc[i].neg = (h < 0 && !sc[i].strong && !(all > 0 && sc[i].prose >= 0.9 * all)) ||
		    (hints && teaser(n, &sc[i]));
		if (h == H_STRONG)
			sc[i].strong = 1;
		if (n->flags & TG_FORM)
			sc[i].form = 1;
		if (n->flags & TG_H1)
			sc[i].h1 = 1;
		if ((n->flags & TG_HEADING) && n->link * 2 > n->text && !n->titled)
			sc[i].linkhead = 1;
		if ((p = n->parent) == NO_NODE)
			continue;
		sc[p].tot += sc[i].tot;
		sc[p].totlink += sc[i].totlink;
		sc[p].strong |= sc[i].strong;
		sc[p].form |= sc[i].form;
		sc[p].h1 |= sc[i].h1;
		sc[p].linkhead |= sc[i].linkhead;
		sc[p].s += sc[i].neg ? -(double)sc[i].tot : sc[i].s;
	}
	for (i = 0; i < a->nnodes; i++)
		if ((p = a->nodes[i].parent) != NO_NODE)
			sc[i].under = sc[p].under || sc[p].neg;
}

/* How much a positive hint raises a container's claim to be the article. */
static double
hint_weight(const struct anode *n, int hints)
{
	int	h = node_hint(n, hints);

	return h == H_STRONG ? 1.5 : h == H_POS ? 1.25 : 1.0;
}

/* The best container among nodes [lo, hi) that are not boilerplate; NO_NODE if none. */
static size_t
best_in(const struct article *a, const struct ascore *sc, int hints, size_t lo, size_t hi,
    double *value)
{
	size_t	i, best = NO_NODE;
	double	bs = 0, v;

	for (i = lo; i < hi; i++) {
		const struct anode *n = &a->nodes[i];

		if (sc[i].neg || sc[i].under || (n->flags & TG_INLINE) || sc[i].s <= 0)
			continue;
		v = sc[i].s * hint_weight(n, hints);
		/* On a tie the outer node wins: it loses nothing the inner one has. */
		if (v > bs) {
			bs = v;
			best = i;
		}
	}
	*value = bs;
	return best;
}

/*
 * The page's one marked article, if it has one: the only itemprop=articleBody, else the only
 * <article> (a live blog's entries and related cards make several: then none). NO_NODE if not.
 */
static size_t
anchor(const struct article *a, const struct ascore *sc)
{
	size_t	i, body = NO_NODE, art = NO_NODE, nbody = 0, nart = 0;

	for (i = 0; i < a->nnodes; i++) {
		if (sc[i].neg || sc[i].under)
			continue;
		if (a->nodes[i].body && nbody++ == 0)
			body = i;
		if ((a->nodes[i].flags & TG_ARTICLE) && nart++ == 0)
			art = i;
	}
	return nbody == 1 ? body : nart == 1 ? art : NO_NODE;
}

/*
 * The best container. When the page marks one article and it holds a fair share of the
 * prose, the container is sought inside it: a comment thread or a rail of summaries beside it
 * may outweigh it in text, but the page says which is the article. *inside is set then.
 */
static size_t
best_container(const struct article *a, const struct ascore *sc, int hints, int *inside)
{
	size_t	best, in, an = anchor(a, sc);
	double	v, vin;

	*inside = 0;
	best = best_in(a, sc, hints, 0, a->nnodes, &v);
	if (an == NO_NODE || best == NO_NODE)
		return best;
	in = best_in(a, sc, hints, an, a->nodes[an].end, &vin);
	if (in == NO_NODE || vin < 0.1 * v)
		return best;
	*inside = 1;
	return in;
}

/*
 * The container, narrowed: while one child holds nearly all of its score, that child. A
 * positive hint can lift a container above its body by a byline or a caption's worth of text;
 * the child leaves those out.
 */
static size_t
narrow(const struct article *a, const struct ascore *sc, size_t best)
{
	size_t	i, top;

	for (;;) {
		top = NO_NODE;
		for (i = best + 1; i < a->nodes[best].end; i = a->nodes[i].end)
			if (!sc[i].neg && !(a->nodes[i].flags & (TG_INLINE | BLOCK_FLAGS)) &&
			    (top == NO_NODE || sc[i].s > sc[top].s))
				top = i;
		if (top == NO_NODE || sc[top].s < 0.85 * sc[best].s)
			return best;
		best = top;
	}
}

/*
 * The first of several whole articles in the container, each with its own h1: a page that
 * loads the next story below the first (infinite scroll). A live blog's entries and related
 * cards have no h1, so they are not split up. best itself when there are not two.
 */
static size_t
first_article(const struct article *a, const struct ascore *sc, size_t best)
{
	size_t	i, first = NO_NODE, n = 0;

	for (i = best + 1; i < a->nodes[best].end;) {
		/* A card that misuses h1 is no whole article: each must hold a fair share. */
		if ((a->nodes[i].flags & TG_ARTICLE) && sc[i].h1 && !sc[i].neg &&
		    sc[i].s >= 0.2 * sc[best].s) {
			if (n++ == 0)
				first = i;
			i = a->nodes[i].end;	/* articles inside it do not count */
		} else
			i++;
	}
	return n >= 2 ? first : best;
}

/*
 * Marks the article's parts in sel[]: the container and those of its siblings that are mostly
 * prose, as readability does for bodies split by an advert or an inline promo.
 */
static void
select_parts(const struct article *a, const struct ascore *sc, size_t best, unsigned char *sel,
    size_t within)
{
	size_t	p = a->nodes[best].parent, i, k;
	double	min = sc[best].s * 0.2;

	if (min < 100)
		min = 100;
	for (k = best; k < a->nodes[best].end; k++)
		sel[k] = 1;
	/* Siblings only inside the marked article, when it was chosen so. */
	if (p == NO_NODE || best == within)
		return;
	for (i = p + 1; i < a->nodes[p].end; i = a->nodes[i].end) {
		if (i == best || sc[i].neg || (a->nodes[i].flags & TG_INLINE))
			continue;
		if (sc[i].s < min || sc[i].totlink * 4 > sc[i].tot)
			continue;
		for (k = i; k < a->nodes[i].end; k++)
			sel[k] = 1;
	}
}

/* Whether a block's own text belongs in the output, once it is inside the article. */
static int
keep_block(const struct anode *n)
{
	size_t	t = n->text - n->link;

	if (n->text == 0 || (n->flags & TG_H1) || n->titled)
		return 0;
	if (n->link * 2 > n->text)
		return 0;
	/* Loose text beside a container's paragraphs (a layout cell's too) is a headline or a
	 * byline set without tags ("Title<br>By X - 1 May") unless it has a sentence's
	 * punctuation. */
	if (!(n->flags & (TG_PARA | TG_HEADING)) && n->paras && n->punct == 0)
		return 0;
	if (n->flags & (TG_HEADING | TG_ITEM))
		return 1;
	/* Scraps: "Advertisement", "Share", "5 min read". A short sentence stays. */
	return t >= 20 || n->last == '.' || n->last == '!' || n->last == '?' || n->punct > 0;
}

/*
 * Marks in out[] the nodes whose own text is written: inside the article, not under a
 * boilerplate node or a link list inside it, and not scraps. A header inside keeps its
 * subheadings only.
 */
static void
mark_output(const struct article *a, const struct ascore *sc, const unsigned char *sel,
    unsigned char *out, int hints)
{
	/* drop: 1 under boilerplate; 2 under a header (subheadings kept). */
	unsigned char	*drop = xcalloc(a->nnodes ? a->nnodes : 1, 1);
	unsigned char	*quote = xcalloc(a->nnodes ? a->nnodes : 1, 1);
	size_t		 i, p;

	for (i = 0; i < a->nnodes; i++) {
		const struct anode *n = &a->nodes[i];
		int h = node_hint(n, hints);

		if (!sel[i])
			continue;
		p = n->parent;
		drop[i] = p != NO_NODE && sel[p] ? drop[p] : 0;
		quote[i] = (p != NO_NODE && quote[p]) || (n->flags & TG_QUOTE);
		/* A header keeps its subheadings (a live blog entry's title), unless it is the
		 * article's own, with the h1: its h2 is then a dek outside the body. */
		if (drop[i] != 1 && sc[i].neg)
			drop[i] = h == H_HEADER && !sc[i].h1 ? 2 : 1;
		/*
		 * A box inside the article that is mostly links (related stories, tag lists), or
		 * a small one around a form (newsletter sign-up, search, comment box).
		 */
		if (!(n->flags & BLOCK_FLAGS) && p != NO_NODE &&
		    sel[p] && ((sc[i].tot > 0 && sc[i].totlink * 2 > sc[i].tot) ||
		    (sc[i].form && sc[i].tot < 500)))
			drop[i] = 1;
		if (drop[i] == 1 || (drop[i] == 2 && !(n->flags & TG_HEADING)))
			continue;
		/* 2: kept, but a quote, which write_text drops if it repeats the body. */
		out[i] = keep_block(n) ? 1 + quote[i] : 0;
	}
	free(drop);
	free(quote);
}

/*
 * Marks the headings that repeat the page's <title> ("Headline | Site"): the page's own
 * headline. It is not part of the text, even set in an h2 inside the article's container (a
 * blog's), and a headline that links to the page itself does not make its box a teaser.
 */
static void
mark_titled(struct article *a)
{
	size_t	i, k, n = a->title.len;

	for (i = 0; i < a->nruns; i++) {
		const struct arun	*r = &a->runs[i];
		struct anode		*nd = &a->nodes[r->node];

		if (!(nd->flags & (TG_HEADING | TG_H1)) || r->len != nd->text || r->len < 10 ||
		    r->len > n)
			continue;
		for (k = 0; k + r->len <= n; k++)
			if (strncasecmp(a->title.data + k, a->text.data + r->off, r->len) == 0) {
				nd->titled = 1;
				break;
			}
	}
}

/* Whether nodes x and y are cells of one table row. */
static int
same_row(const struct article *a, size_t x, size_t y)
{
	return x != NO_NODE && (a->nodes[x].flags & TG_CELL) && (a->nodes[y].flags & TG_CELL) &&
	    a->nodes[x].parent == a->nodes[y].parent;
}

/* Trims white space and quotation marks (ASCII, curly, guillemets) from both ends of s[*len]. */
static const char *
trim_quotes(const char *s, size_t *len)
{
	static const char *const marks[] = {
		"\"", "'", "\xe2\x80\x9c", "\xe2\x80\x9d", "\xe2\x80\x98", "\xe2\x80\x99",
		"\xc2\xab", "\xc2\xbb", " "
	};
	size_t	i, k, n = *len;
	int	again = 1;

	while (again && n > 0) {
		again = 0;
		for (i = 0; i < NELEM(marks); i++) {
			k = strlen(marks[i]);
			if (n >= k && memcmp(s, marks[i], k) == 0)
				s += k, n -= k, again = 1;
			if (n >= k && memcmp(s + n - k, marks[i], k) == 0)
				n -= k, again = 1;
		}
	}
	*len = n;
	return s;
}

/*
 * Drops the lines out of a blockquote that repeat the text around them: pull quotes. Only the
 * first QUOTES_MAX such lines are looked at, which bounds the work to that many searches.
 */
#define QUOTES_MAX	64
static void
drop_pull_quotes(struct buf *b, const size_t *qoff, size_t nq)
{
	size_t		 i, len, end, tl;
	const char	*t;

	for (i = nq; i-- > 0;) {
		end = qoff[i];
		while (end < b->len && b->data[end] != '\n')
			end++;
		len = end - qoff[i];
		tl = len;
		t = trim_quotes(b->data + qoff[i], &tl);
		if (tl < 30)
			continue;
		if (memmem(b->data, qoff[i], t, tl) == NULL &&
		    memmem(b->data + end, b->len - end, t, tl) == NULL)
			continue;
		/* Remove the line with the newline before it (after it, for the first line). */
		if (qoff[i] > 0)
			memmove(b->data + qoff[i] - 1, b->data + end, b->len - end + 1), b->len -= len + 1;
		else {
			end += end < b->len;
			memmove(b->data, b->data + end, b->len - end + 1);
			b->len -= end;
		}
	}
}

/* Writes the runs of the marked nodes: one line per block, a space within one. 0 or -1. */
static int
write_text(struct article *a, const unsigned char *out, struct buf *b)
{
	size_t	i, last = NO_NODE, qoff[QUOTES_MAX], nq = 0;
	char	lim[32];

	for (i = 0; i < a->nruns; i++) {
		const struct arun *r = &a->runs[i];
		int newline;

		if (!out[r->node])
			continue;
		newline = b->len > 0 && last != r->node && !same_row(a, last, r->node);
		if (b->len > 0)
			buf_putc(b, newline ? '\n' : ' ');
		if ((newline || b->len == 0) && out[r->node] == 2 && nq < QUOTES_MAX)
			qoff[nq++] = b->len;
		if (buf_append(b, a->text.data + r->off, r->len) == -1) {
			size_words(lim, sizeof(lim), a->lim.max_text);
			fail(a, "main text over %s limit", lim);
			return -1;
		}
		last = r->node;
	}
	drop_pull_quotes(b, qoff, nq);
	return 0;
}

/* Scores the tree and writes the article's text into b: 0, or -1 when there is none. */
static int
extract(struct article *a, struct buf *b, int hints)
{
	struct ascore	*sc;
	unsigned char	*sel, *out;
	size_t		 best;
	int		 r = -1, inside;

	if (a->nnodes == 0)
		return -1;
	sc = xreallocarray(NULL, a->nnodes, sizeof(*sc));
	sel = xcalloc(a->nnodes, 1);
	out = xcalloc(a->nnodes, 1);
	score(a, sc, hints);
	if ((best = best_container(a, sc, hints, &inside)) != NO_NODE) {
		size_t within = inside ? anchor(a, sc) : NO_NODE;
		size_t first = first_article(a, sc, best);

		if (first != best)
			within = first;	/* several articles: nothing outside the first joins it */
		best = narrow(a, sc, first);
		select_parts(a, sc, best, sel, within);
		mark_output(a, sc, sel, out, hints);
		buf_reset(b);
		r = write_text(a, out, b);
		if (r == 0 && b->len == 0)
			r = -1;
	}
	free(sc);
	free(sel);
	free(out);
	return r;
}

/* ---- charset and the parser ---- */

static void
silent_cb(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

static void
sax_init(htmlSAXHandler *sax)
{
	/* No startDocument: libxml2 then builds no document at all, only calls these. */
	memset(sax, 0, sizeof(*sax));
	sax->startElement = start_element_cb;
	sax->endElement = end_element_cb;
	sax->characters = characters_cb;
	sax->cdataBlock = characters_cb;
	sax->ignorableWhitespace = characters_cb;
	sax->warning = silent_cb;
	sax->error = silent_cb;
	sax->fatalError = silent_cb;
}

/* Creates the HTML parser once the input stage knows the encoding of what it hands on. */
static int
start_cb(void *arg, enum input_enc enc)
{
	struct article			*a = arg;
	htmlSAXHandler			 sax;
	xmlCharEncodingHandlerPtr	 h = NULL;
	xmlCharEncoding			 ce = XML_CHAR_ENCODING_UTF8;

	if (enc == INPUT_CHARSET && xmlcharset_cb(NULL, a->cs) != INPUT_CS_UTF8) {
		ce = XML_CHAR_ENCODING_NONE;
		h = xmlFindCharEncodingHandler(a->cs);
	} else if (enc == INPUT_DECLARED)
		ce = XML_CHAR_ENCODING_NONE;
	sax_init(&sax);
	a->ctxt = htmlCreatePushParserCtxt(&sax, a, NULL, 0, a->url, ce);
	if (a->ctxt == NULL) {
		if (h != NULL)
			xmlCharEncCloseFunc(h);
		fail(a, "out of memory creating the HTML parser");
		return -1;
	}
	/* IGNORE_ENC: a <meta> charset was read already (or lost to the HTTP one); libxml2 must
	 * not switch encodings halfway through the page. */
	htmlCtxtUseOptions(a->ctxt, HTML_PARSE_RECOVER | HTML_PARSE_NONET | HTML_PARSE_NOERROR |
	    HTML_PARSE_NOWARNING | HTML_PARSE_IGNORE_ENC);
	if (h != NULL)
		xmlSwitchToEncoding(a->ctxt, h);
	return 0;
}

/*
 * Where a block for libxml2 may end: before a '<' in its last END_TAG_MAX bytes that no '>'
 * follows. libxml2 2.9.14's HTML push parser loses the end of a <script> or <style> when a
 * chunk ends inside its end tag ("</sty" + "le>"): the rest of the page becomes style text.
 */
static size_t
push_cut(const char *s, size_t len)
{
	size_t	i;

	for (i = len; i > 0 && len - i < END_TAG_MAX; i--) {
		if (s[i - 1] == '>')
			break;
		if (s[i - 1] == '<')
			return i - 1 > 0 ? i - 1 : len;
	}
	return len;
}

static void
push(struct article *a, const char *buf, size_t len, int final)
{
	while (!a->failed && (len > 0 || final)) {
		/* htmlParseChunk takes an int length. */
		int n = len > (1u << 20) ? 1 << 20 : (int)len;

		len -= (size_t)n;
		htmlParseChunk(a->ctxt, buf, n, final && len == 0);
		if (a->failed)
			xmlStopParser(a->ctxt);
		buf += n;
		if (final && len == 0)
			break;
	}
}

/*
 * Bytes from the input stage, to libxml2 in blocks of PUSH_BLOCK bytes (less what push_cut
 * holds back), whatever the caller's chunks were: the blocks depend on the page alone, so the
 * text out does too, even where libxml2's push parser would not.
 */
static int
out_cb(void *arg, const char *buf, size_t len, int final)
{
	struct article	*a = arg;
	size_t		 off = 0, cut;

	if (buf_append(&a->pend, buf, len) == -1) {
		fail(a, "page text over the %zu-byte limit", a->pend.max);
		return -1;
	}
	while (!a->failed && a->pend.len - off >= PUSH_BLOCK) {
		cut = push_cut(a->pend.data + off, PUSH_BLOCK);
		push(a, a->pend.data + off, cut, 0);
		off += cut;
	}
	if (final)
		push(a, a->pend.data + off, a->pend.len - off, 1);
	else if (off > 0) {
		memmove(a->pend.data, a->pend.data + off, a->pend.len - off);
		a->pend.len -= off;
		a->pend.data[a->pend.len] = '\0';
	}
	return a->failed ? -1 : 0;
}

/* The HTML spec's reading of a few labels: Latin-1 and ASCII are windows-1252 on the web. */
static const char *
charset_alias(const char *cs)
{
	static const char *const latin1[] = {
		"iso-8859-1", "iso8859-1", "iso_8859-1", "latin1", "l1", "us-ascii", "ascii",
		"cp819", "ibm819", "iso-ir-100", "csisolatin1"
	};
	size_t	i;

	for (i = 0; i < NELEM(latin1); i++)
		if (strcasecmp(cs, latin1[i]) == 0)
			return "windows-1252";
	return cs;
}

/* Case-insensitive search for word in s[0 .. n). */
static const char *
find_ci(const char *s, size_t n, const char *word)
{
	size_t	k = strlen(word), i;

	for (i = 0; i + k <= n; i++)
		if (strncasecmp(s + i, word, k) == 0)
			return s + i;
	return NULL;
}

/* In the tag at p (up to '>' or end), the first key; *tag_end gets the tag's end. */
static const char *
tag_key(const char *p, const char *end, const char *key, const char **tag_end)
{
	*tag_end = memchr(p, '>', (size_t)(end - p));
	if (*tag_end == NULL)
		*tag_end = end;
	return find_ci(p, (size_t)(*tag_end - p), key);
}

/*
 * The charset a page names in its first bytes: an XML declaration's encoding, or the first
 * <meta> with charset (<meta charset=X> or http-equiv's content="text/html; charset=X").
 * Copied into name (size namelen); 0, or -1 when there is none.
 */
static int
sniff_charset(const char *s, size_t n, char *name, size_t namelen)
{
	const char	*p = s, *end = s + n, *tag_end = end, *c = NULL, *key = "encoding";
	size_t		 k;

	if (n >= 5 && memcmp(s, "<?xml", 5) == 0)
		c = tag_key(s, end, key, &tag_end);
	if (c == NULL) {
		key = "charset";
		while ((p = find_ci(p, (size_t)(end - p), "<meta")) != NULL &&
		    (c = tag_key(p, end, key, &tag_end)) == NULL)
			p = tag_end;
		if (c == NULL)
			return -1;
	}
	c += strlen(key);
	while (c < tag_end && is_space((unsigned char)*c))
		c++;
	if (c == tag_end || *c++ != '=')
		return -1;
	while (c < tag_end && (is_space((unsigned char)*c) || *c == '"' || *c == '\''))
		c++;
	for (k = 0; c + k < tag_end && k + 1 < namelen &&
	    (isalnum((unsigned char)c[k]) || strchr("-_.:", c[k]) != NULL); k++)
		name[k] = c[k];
	name[k] = '\0';
	return k > 0 ? 0 : -1;
}

/* Whether the first bytes look like markup: '<' first (after a BOM and white space). */
static int
looks_html(const unsigned char *s, size_t n)
{
	size_t	i = 0;

	if (n >= 2 && ((s[0] == 0xff && s[1] == 0xfe) || (s[0] == 0xfe && s[1] == 0xff)))
		return 1;	/* UTF-16: the input stage decodes it */
	if (n >= 3 && s[0] == 0xef && s[1] == 0xbb && s[2] == 0xbf)
		i = 3;
	if (memchr(s + i, '\0', n - i) != NULL)
		return 0;	/* binary */
	while (i < n && is_space(s[i]))
		i++;
	return i < n && s[i] == '<';
}

/* Decides the charset from the held first bytes and starts the input stage with them. */
static int
start(struct article *a)
{
	static const struct input_cb icb = { xmlcharset_cb, start_cb, out_cb };
	char	meta[48];
	int	r;

	a->started = 1;
	if (a->head.len == 0) {
		fail(a, "empty page");
		return -1;
	}
	if (!looks_html((const unsigned char *)a->head.data, a->head.len)) {
		fail(a, "not an HTML page (no markup at the start)");
		return -1;
	}
	if (a->charset != NULL && xmlcharset_cb(NULL, charset_alias(a->charset)) != INPUT_CS_UNKNOWN)
		a->cs = xstrdup(charset_alias(a->charset));
	else if (sniff_charset(a->head.data, a->head.len, meta, sizeof(meta)) == 0) {
		/* A page in UTF-16 would not be readable as ASCII here: the label lies (HTML). */
		if (strncasecmp(meta, "utf-16", 6) == 0 || strncasecmp(meta, "utf-32", 6) == 0)
			a->cs = xstrdup("utf-8");
		else
			a->cs = xstrdup(charset_alias(meta));
	}
	a->in = input_new(&icb, a, a->cs);
	r = input_feed(a->in, a->head.data, a->head.len);
	buf_free(&a->head);
	if (r == -1)
		fail(a, "cannot read the page's bytes");
	return r;
}

/* ---- public interface ---- */

struct article *
article_new(const char *url, const char *charset, const struct article_limits *lim)
{
	static int	once;
	struct article	*a;

	if (!once) {
		once = 1;
		xmlInitParser();
		xmlSetGenericErrorFunc(NULL, silent_cb);
	}
	a = xcalloc(1, sizeof(*a));
	if (lim != NULL)
		a->lim = *lim;
	else
		article_limits_default(&a->lim);
	if (a->lim.max_depth == 0)
		a->lim.max_depth = 1;
	a->url = url != NULL ? xstrdup(url) : NULL;
	a->charset = charset != NULL && *charset != '\0' ? xstrdup(charset) : NULL;
	buf_init(&a->head, SNIFF_MAX);
	buf_init(&a->title, 512);
	buf_init(&a->pend, PUSH_BLOCK + (a->lim.max_bytes <= SIZE_MAX / 4 ? a->lim.max_bytes * 3 :
	    SIZE_MAX / 4));
	/* Text cannot outgrow the page by much: a windows-1252 byte is at most 3 UTF-8 bytes. */
	buf_init(&a->text, a->lim.max_bytes <= SIZE_MAX / 3 ? a->lim.max_bytes * 3 + 16 :
	    SIZE_MAX / 3);
	return a;
}

/* The page's bytes, within the limit: held for the charset sniff, then to the input stage. */
static int
feed_bytes(struct article *a, const char *buf, size_t len)
{
	size_t	n;

	a->fed += len;
	if (!a->started) {
		n = SNIFF_MAX - a->head.len;
		if (n > len)
			n = len;
		buf_append(&a->head, buf, n);
		buf += n;
		len -= n;
		if (a->head.len < SNIFF_MAX)
			return 0;
		if (start(a) == -1)
			return -1;
	}
	if (len > 0 && input_feed(a->in, buf, len) == -1) {
		fail(a, "cannot read the page's bytes");
		return -1;
	}
	return a->failed ? -1 : 0;
}

int
article_feed(struct article *a, const char *buf, size_t len)
{
	char	lim[32];
	size_t	room = a->lim.max_bytes - a->fed;

	if (a->failed || a->finished)
		return -1;
	/* The bytes up to the limit go in first: whatever they hold is said first, so the error
	 * is the same however the page was cut. */
	if (feed_bytes(a, buf, len < room ? len : room) == -1)
		return -1;
	if (len > room) {
		size_words(lim, sizeof(lim), a->lim.max_bytes);
		fail(a, "page over %s limit", lim);
		return -1;
	}
	return 0;
}

char *
article_finish(struct article *a)
{
	struct buf	b;

	if (a->failed || a->finished) {
		if (!a->failed)
			fail(a, "article_finish called twice");
		return NULL;
	}
	a->finished = 1;
	if (!a->started && start(a) == -1)
		return NULL;
	if (input_finish(a->in) == -1 || a->failed) {
		if (!a->failed)
			fail(a, "cannot read the page's bytes");
		return NULL;
	}
	while (a->depth > 0)
		pop(a);
	mark_titled(a);
	buf_init(&b, a->lim.max_text);
	if (extract(a, &b, 1) == -1 && !a->failed)
		extract(a, &b, 0);
	if (a->failed || b.len == 0) {
		buf_free(&b);
		if (!a->failed)
			fail(a, "no main text found");
		return NULL;
	}
	return buf_steal(&b);
}

const char *
article_error(const struct article *a)
{
	return a->failed ? a->err : NULL;
}

void
article_free(struct article *a)
{
	if (a == NULL)
		return;
	if (a->ctxt != NULL) {
		if (a->ctxt->myDoc != NULL)
			xmlFreeDoc(a->ctxt->myDoc);
		htmlFreeParserCtxt(a->ctxt);
	}
	input_free(a->in);
	buf_free(&a->head);
	buf_free(&a->text);
	buf_free(&a->title);
	buf_free(&a->pend);
	free(a->nodes);
	free(a->runs);
	free(a->stack);
	free(a->url);
	free(a->charset);
	free(a->cs);
	free(a);
}

char *
article_extract(const char *html, size_t len, const char *charset, const char **why)
{
	/* The reason outlives the extractor: it is copied here, one per thread. */
	static _Thread_local char	reason[sizeof(((struct article *)0)->err)];
	struct article			*a = article_new(NULL, charset, NULL);
	char				*s = NULL;

	if (article_feed(a, html, len) == 0)
		s = article_finish(a);
	if (why != NULL) {
		*why = NULL;
		if (s == NULL) {
			snprintf(reason, sizeof(reason), "%s", article_error(a));
			*why = reason;
		}
	}
	article_free(a);
	return s;
}

int
article_content_type_ok(const char *ct)
{
	size_t	n;

	if (ct == NULL)
		return 1;
	while (is_space((unsigned char)*ct))
		ct++;
	n = strcspn(ct, "; \t");
	if (n == 0)
		return 1;
	return (n == 9 && strncasecmp(ct, "text/html", 9) == 0) ||
	    (n == 21 && strncasecmp(ct, "application/xhtml+xml", 21) == 0);
}
