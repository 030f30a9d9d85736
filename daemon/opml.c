/* opml.c: reads OPML feed lists with libxml2 (no network, no entities) and writes OPML 2.0. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

#include "opml.h"
#include "url.h"
#include "util.h"

/* Nothing is ever loaded from outside the document. */
static xmlParserInputPtr
deny_loader(const char *url, const char *id, xmlParserCtxtPtr ctxt)
{
	(void)url;
	(void)id;
	(void)ctxt;
	return NULL;
}

static void
silent_cb(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

static void
ltrim(char *s)
{
	size_t	n = strspn(s, " ");

	if (n > 0)
		memmove(s, s + n, strlen(s + n) + 1);
}

/* An attribute by name, ASCII case ignored (exports differ: xmlUrl, xmlurl); new string or NULL. */
static char *
attr(xmlNodePtr n, const char *name)
{
	xmlAttrPtr	 a;
	xmlChar		*v;
	char		*s, *line;

	for (a = n->properties; a != NULL; a = a->next)
		if (a->type == XML_ATTRIBUTE_NODE && strcasecmp((const char *)a->name, name) == 0)
			break;
	if (a == NULL || (v = xmlNodeGetContent((xmlNodePtr)a)) == NULL)
		return NULL;
	s = xstrdup((const char *)v);
	xmlFree(v);
	line = str_oneline(s);	/* control characters become spaces; trailing spaces go */
	free(s);
	ltrim(line);
	if (*line == '\0') {
		free(line);
		return NULL;
	}
	return line;
}

static void
tag_add(struct opml_feed *f, const char *t)
{
	size_t	i;

	if (*t == '\0')
		return;
	for (i = 0; i < f->ntags; i++)
		if (strcmp(f->tags[i], t) == 0)
			return;
	f->tags = xreallocarray(f->tags, f->ntags + 1, sizeof(*f->tags));
	f->tags[f->ntags++] = xstrdup(t);
}

struct walk {
	struct opml	*o;
	char		**folders;	/* the path of folder titles down to here */
	size_t		  nfolders;
	int		  full;		/* OPML_MAX_FEEDS reached */
};

static void
add_feed(struct walk *w, xmlNodePtr n, char *url)
{
	struct opml_feed	*f;
	char			*cat, *c, *next;
	size_t			 i;

	if (w->o->nfeeds == OPML_MAX_FEEDS) {
		w->full = 1;
		free(url);
		return;
	}
	w->o->feeds = xreallocarray(w->o->feeds, w->o->nfeeds + 1, sizeof(*w->o->feeds));
	f = &w->o->feeds[w->o->nfeeds++];
	memset(f, 0, sizeof(*f));
	f->xml_url = url;
	f->html_url = attr(n, "htmlUrl");
	if ((f->title = attr(n, "title")) == NULL && (f->title = attr(n, "text")) == NULL)
		if ((f->title = url_host(url, 0)) == NULL)
			f->title = xstrdup(url);
	for (i = 0; i < w->nfolders; i++)
		tag_add(f, w->folders[i]);
	/* category="/News/World,/Syria": comma-separated, each a path of slash-separated names. */
	if ((cat = attr(n, "category")) != NULL) {
		for (c = cat; c != NULL; c = next) {
			if ((next = strchr(c, ',')) != NULL)
				*next++ = '\0';
			while (*c == '/' || *c == ' ')
				c++;
			i = strlen(c);
			while (i > 0 && (c[i - 1] == '/' || c[i - 1] == ' '))
				c[--i] = '\0';
			tag_add(f, c);
		}
		free(cat);
	}
}

static void
walk_outlines(struct walk *w, xmlNodePtr parent)
{
	xmlNodePtr	 n;
	char		*url, *name;

	for (n = parent->children; n != NULL && !w->full; n = n->next) {
		if (n->type != XML_ELEMENT_NODE || strcasecmp((const char *)n->name, "outline") != 0)
			continue;
		if ((url = attr(n, "xmlUrl")) != NULL) {
			add_feed(w, n, url);
			continue;
		}
		/* A folder: its children get its name as a tag. */
		if ((name = attr(n, "title")) == NULL)
			name = attr(n, "text");
		if (name != NULL) {
			w->folders = xreallocarray(w->folders, w->nfolders + 1, sizeof(*w->folders));
			w->folders[w->nfolders++] = name;
		}
		walk_outlines(w, n);
		if (name != NULL)
			free(w->folders[--w->nfolders]);
	}
}

static xmlNodePtr
child(xmlNodePtr parent, const char *name)
{
	xmlNodePtr	n;

	for (n = parent->children; n != NULL; n = n->next)
		if (n->type == XML_ELEMENT_NODE && strcasecmp((const char *)n->name, name) == 0)
			return n;
	return NULL;
}

int
opml_parse(const char *data, size_t len, struct opml **out, char **err)
{
	xmlExternalEntityLoader	 saved;
	xmlDocPtr		 doc;
	xmlNodePtr		 root, head, body, title;
	const xmlError		*e;
	struct walk		 w;
	xmlChar			*t;

	*out = NULL;
	*err = NULL;
	if (len > OPML_MAX_BYTES || len > (size_t)INT32_MAX) {
		*err = xasprintf("larger than %u bytes", OPML_MAX_BYTES);
		return -1;
	}
	/* The loader is a process global: deny loading for this parse, then put it back. */
	saved = xmlGetExternalEntityLoader();
	xmlSetExternalEntityLoader(deny_loader);
	xmlSetGenericErrorFunc(NULL, silent_cb);
	xmlResetLastError();
	doc = xmlReadMemory(data, (int)len, NULL, NULL,
	    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_NOCDATA);
	xmlSetExternalEntityLoader(saved);
	if (doc == NULL) {
		e = xmlGetLastError();
		if (e != NULL && e->message != NULL) {
			char *m = str_oneline(e->message);

			*err = xasprintf("line %d: %s", e->line, m);
			free(m);
		} else
			*err = xstrdup("not XML");
		return -1;
	}
	root = xmlDocGetRootElement(doc);
	if (root == NULL || strcasecmp((const char *)root->name, "opml") != 0) {
		*err = xstrdup("not OPML: the root element is not <opml>");
		xmlFreeDoc(doc);
		return -1;
	}
	if ((body = child(root, "body")) == NULL) {
		*err = xstrdup("not OPML: no <body>");
		xmlFreeDoc(doc);
		return -1;
	}
	memset(&w, 0, sizeof(w));
	w.o = xcalloc(1, sizeof(*w.o));
	if ((head = child(root, "head")) != NULL && (title = child(head, "title")) != NULL &&
	    (t = xmlNodeGetContent(title)) != NULL) {
		w.o->title = str_oneline((const char *)t);
		xmlFree(t);
	}
	walk_outlines(&w, body);
	free(w.folders);
	xmlFreeDoc(doc);
	*out = w.o;
	return 0;
}

void
opml_free(struct opml *o)
{
	size_t	i, j;

	if (o == NULL)
		return;
	for (i = 0; i < o->nfeeds; i++) {
		free(o->feeds[i].title);
		free(o->feeds[i].xml_url);
		free(o->feeds[i].html_url);
		for (j = 0; j < o->feeds[i].ntags; j++)
			free(o->feeds[i].tags[j]);
		free(o->feeds[i].tags);
	}
	free(o->feeds);
	free(o->title);
	free(o);
}

/* Appends s escaped for an attribute value; characters XML cannot hold are left out. */
static void
put_attr(struct buf *b, const char *s)
{
	const unsigned char	*p;

	for (p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '&':
			buf_puts(b, "&amp;");
			break;
		case '<':
			buf_puts(b, "&lt;");
			break;
		case '>':
			buf_puts(b, "&gt;");
			break;
		case '"':
			buf_puts(b, "&quot;");
			break;
		case '\t':
		case '\n':
		case '\r':
			buf_puts(b, " ");
			break;
		default:
			if (*p >= 0x20)
				buf_putc(b, (char)*p);
		}
	}
}

static void
put_feed(struct buf *b, const struct opml_feed *f, const char *indent)
{
	size_t	i;

	buf_printf(b, "%s<outline type=\"rss\" text=\"", indent);
	put_attr(b, f->title ? f->title : f->xml_url);
	buf_puts(b, "\" title=\"");
	put_attr(b, f->title ? f->title : f->xml_url);
	buf_puts(b, "\" xmlUrl=\"");
	put_attr(b, f->xml_url);
	buf_putc(b, '"');
	if (f->html_url != NULL) {
		buf_puts(b, " htmlUrl=\"");
		put_attr(b, f->html_url);
		buf_putc(b, '"');
	}
	if (f->ntags > 0) {
		buf_puts(b, " category=\"");
		for (i = 0; i < f->ntags; i++) {
			buf_puts(b, i > 0 ? ",/" : "/");
			put_attr(b, f->tags[i]);
		}
		buf_putc(b, '"');
	}
	buf_puts(b, "/>\n");
}

int
opml_write(const struct opml *o, struct buf *out)
{
	struct buf	 b;
	char		 date[64];
	struct tm	 tm;
	time_t		 now = time(NULL);
	size_t		 i, j, k;
	int		 rc;

	/* A scratch buffer (64 MiB cap, far beyond any feed list a config can hold), appended to
	 * out in one go so that out gets the whole document or nothing. */
	buf_init(&b, 0);
	gmtime_r(&now, &tm);
	strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S GMT", &tm);
	buf_puts(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<opml version=\"2.0\">\n"
	    "  <head>\n    <title>");
	put_attr(&b, o->title ? o->title : "newswatch feeds");
	buf_printf(&b, "</title>\n    <dateCreated>%s</dateCreated>\n  </head>\n  <body>\n", date);
	/* Untagged feeds first, then one folder per first tag, in order of first appearance. */
	for (i = 0; i < o->nfeeds; i++)
		if (o->feeds[i].ntags == 0)
			put_feed(&b, &o->feeds[i], "    ");
	for (i = 0; i < o->nfeeds; i++) {
		const char *folder = o->feeds[i].ntags > 0 ? o->feeds[i].tags[0] : NULL;

		if (folder == NULL)
			continue;
		for (k = 0; k < i; k++)
			if (o->feeds[k].ntags > 0 && strcmp(o->feeds[k].tags[0], folder) == 0)
				break;
		if (k < i)
			continue;	/* that folder was written already */
		buf_puts(&b, "    <outline text=\"");
		put_attr(&b, folder);
		buf_puts(&b, "\" title=\"");
		put_attr(&b, folder);
		buf_puts(&b, "\">\n");
		for (j = i; j < o->nfeeds; j++)
			if (o->feeds[j].ntags > 0 && strcmp(o->feeds[j].tags[0], folder) == 0)
				put_feed(&b, &o->feeds[j], "      ");
		buf_puts(&b, "    </outline>\n");
	}
	buf_puts(&b, "  </body>\n</opml>\n");
	rc = buf_append(out, b.data, b.len);
	buf_free(&b);
	return rc;
}
