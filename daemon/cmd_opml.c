/*
 * cmd_opml.c: `newswatch import-opml` appends [feed] sections for an OPML feed list to the
 * configuration (checked, then swapped in by rename); `newswatch export-opml` writes the
 * configured feeds as OPML 2.0.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "conf.h"
#include "fold.h"
#include "log.h"
#include "opml.h"
#include "util.h"

#define NAME_MAX_LEN	48	/* section names made from titles */

/* Reads a whole file ("-": standard input) of at most max bytes. 0 or -1 (logged). */
static int
read_all(const char *path, size_t max, struct buf *out)
{
	char	 chunk[65536];
	FILE	*f;
	size_t	 n;
	int	 rc = 0;

	buf_init(out, max);
	if (strcmp(path, "-") == 0)
		f = stdin;
	else if ((f = fopen(path, "rb")) == NULL) {
		log_warn("%s", path);
		return -1;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		if (buf_append(out, chunk, n) == -1) {
			log_warnx("%s: larger than %zu bytes", path, max);
			rc = -1;
			break;
		}
	if (rc == 0 && ferror(f)) {
		log_warn("%s", path);
		rc = -1;
	}
	if (f != stdin)
		fclose(f);
	if (rc == -1)
		buf_free(out);
	else if (out->data == NULL)
		buf_puts(out, "");	/* an empty file is an empty string */
	return rc;
}

/*
 * "Hürriyet – Daily News" -> "hurriyet-daily-news": folded (accents stripped, as the matcher
 * does), then ASCII letters and digits joined by dashes. Other scripts leave nothing.
 */
static char *
slug(const char *text)
{
	struct folded	f;
	struct buf	b;
	const char	*s;
	int		dash = 0;

	buf_init(&b, 0);
	fold_text(text, strlen(text), FOLD_ALL, &f);
	for (s = f.s; *s && b.len < NAME_MAX_LEN; s++) {
		char c = *s;

		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
			if (dash && b.len > 0)
				buf_putc(&b, '-');
			dash = 0;
			buf_putc(&b, c);
		} else
			dash = 1;
	}
	folded_free(&f);
	return buf_steal(&b);
}

/* http(s)://HOST..., with nothing that would break a "url =" line. */
static int
url_ok(const char *u)
{
	const char	*p;

	if (strncasecmp(u, "http://", 7) == 0)
		p = u + 7;
	else if (strncasecmp(u, "https://", 8) == 0)
		p = u + 8;
	else
		return 0;
	if (*p == '\0' || *p == '/')
		return 0;
	for (p = u; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == 0x7f)
			return 0;
	return 1;
}

struct names {
	char	**v;
	size_t	  n;
};

static int
name_taken(const struct conf *c, const struct names *added, const char *name)
{
	size_t	i;

	if (c != NULL && conf_feed_find(c, name) != NULL)
		return 1;
	for (i = 0; i < added->n; i++)
		if (strcmp(added->v[i], name) == 0)
			return 1;
	return 0;
}

/* A section name from the title (else the host), made unique with -2, -3, ... */
static char *
unique_name(const struct conf *c, const struct names *added, const struct opml_feed *f)
{
	char	*base, *name, *host;
	int	 k;

	base = slug(f->title ? f->title : "");
	if (*base == '\0') {
		free(base);
		host = xstrdup(f->xml_url + strcspn(f->xml_url, ":") + 3);
		host[strcspn(host, "/:?#")] = '\0';
		base = slug(host);
		free(host);
	}
	if (*base == '\0') {
		free(base);
		base = xstrdup("feed");
	}
	name = xstrdup(base);
	for (k = 2; name_taken(c, added, name); k++) {
		free(name);
		name = xasprintf("%s-%d", base, k);
	}
	free(base);
	return name;
}

/* A tag fit for a "tags =" list: no commas or semicolons (list and comment syntax). */
static char *
clean_tag(const char *t)
{
	char	*s = xstrdup(t), *p;
	char	*o;

	for (p = s; *p; p++)
		if (*p == ',' || *p == ';')
			*p = ' ';
	o = str_oneline(s);
	free(s);
	p = o + strspn(o, " ");
	if (p != o)
		memmove(o, p, strlen(p) + 1);
	return o;
}

static int
url_present(const struct conf *c, const struct names *urls, const char *url)
{
	size_t	i;

	for (i = 0; c != NULL && i < c->nfeeds; i++)
		if (strcmp(c->feeds[i].url, url) == 0)
			return 1;
	for (i = 0; i < urls->n; i++)
		if (strcmp(urls->v[i], url) == 0)
			return 1;
	return 0;
}

static void
names_free(struct names *n)
{
	size_t	i;

	for (i = 0; i < n->n; i++)
		free(n->v[i]);
	free(n->v);
	n->v = NULL;
	n->n = 0;
}

static void
names_push(struct names *n, char *s)
{
	n->v = xreallocarray(n->v, n->n + 1, sizeof(*n->v));
	n->v[n->n++] = s;
}

/*
 * Writes text to a temporary file beside path with path's mode, checks it with conf_load, and
 * renames it over path: the configuration is either the old file or the new one, never half.
 */
static int
replace_config(const char *path, const char *text, size_t len, mode_t mode)
{
	struct conf	*check;
	char		*dir, *tmp, *slash;
	size_t		 off = 0;
	ssize_t		 n;
	int		 fd, dfd;

	dir = xstrdup(path);
	slash = strrchr(dir, '/');
	if (slash == dir)
		dir[1] = '\0';
	else if (slash != NULL)
		*slash = '\0';
	else {
		free(dir);
		dir = xstrdup(".");
	}
	tmp = xasprintf("%s/.newswatch.conf.XXXXXX", dir);
	if ((fd = mkstemp(tmp)) == -1) {
		log_warn("%s: creating a temporary file", dir);
		goto fail;
	}
	while (off < len) {
		if ((n = write(fd, text + off, len - off)) == -1) {
			if (errno == EINTR)
				continue;
			log_warn("%s", tmp);
			close(fd);
			goto fail_unlink;
		}
		off += (size_t)n;
	}
	if (fchmod(fd, mode) == -1 || fsync(fd) == -1) {
		log_warn("%s", tmp);
		close(fd);
		goto fail_unlink;
	}
	if (close(fd) == -1) {
		log_warn("%s", tmp);
		goto fail_unlink;
	}
	if (conf_load(tmp, &check, stderr) == -1) {
		log_warnx("the configuration with the imported feeds would not be valid; %s is "
		    "unchanged", path);
		goto fail_unlink;
	}
	conf_free(check);
	if (rename(tmp, path) == -1) {
		log_warn("rename %s to %s", tmp, path);
		goto fail_unlink;
	}
	/* The new file is complete and in place; syncing the directory only makes the rename
	 * survive a power cut sooner, and a failure there has nothing to undo. */
	if ((dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) != -1) {
		fsync(dfd);
		close(dfd);
	}
	free(tmp);
	free(dir);
	return 0;
fail_unlink:
	unlink(tmp);
fail:
	free(tmp);
	free(dir);
	return -1;
}

static void
import_usage(FILE *f)
{
	fprintf(f, "usage: newswatch import-opml [--config FILE] [--dry-run] OPML\n"
	    "Appends a [feed] section to the configuration for each feed of OPML (\"-\": standard\n"
	    "input) whose URL it does not have yet; folders become tags. --dry-run prints the\n"
	    "sections instead.\n");
}

int
cmd_import_opml(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct cmd_opts	 co = { .usage = import_usage };
	struct conf	*conf = NULL;
	struct opml	*o = NULL;
	struct buf	 in, text, add;
	struct names	 names = { NULL, 0 }, urls = { NULL, 0 };
	struct stat	 st;
	char		*path = NULL, *real, *err = NULL, when[21];
	const char	*opml_path;
	mode_t		 mode = 0600;
	size_t		 i, j, skipped = 0, bad = 0;
	int		 ch, dry = 0, status = 1, exists;

	buf_init(&in, 0);
	buf_init(&text, 0);
	buf_init(&add, 0);
	while ((ch = cmd_getopt(&co, argc, argv, "+c:nh", opts)) != -1)
		if (ch == 'n')
			dry = 1;
	if (co.status != -1)
		return cmd_opts_end(&co, co.status);
	if (optind + 1 != argc) {
		import_usage(stderr);
		return cmd_opts_end(&co, 2);
	}
	log_init(0);
	opml_path = argv[optind];
	/* Not cmd_conf_load: a missing file is fine here, and the file is edited too. */
	path = co.config != NULL ? co.config : conf_default_path();
	co.config = NULL;	/* path owns it now */
	/* Edit the file a symlink points at, not the link. */
	if ((real = realpath(path, NULL)) != NULL) {
		free(path);
		path = real;
	}
	exists = stat(path, &st) == 0;
	if (exists) {
		mode = st.st_mode & 07777;
		if (conf_load(path, &conf, stderr) == -1) {
			log_warnx("%s has errors: fix them before importing", path);
			goto out;
		}
		if (read_all(path, CONF_LINE_MAX * 64u, &text) == -1)
			goto out;
	} else if (errno != ENOENT) {
		log_warn("%s", path);
		goto out;
	}
	if (read_all(opml_path, OPML_MAX_BYTES, &in) == -1)
		goto out;
	if (opml_parse(in.data, in.len, &o, &err) == -1) {
		log_warnx("%s: %s", opml_path, err);
		goto out;
	}

	for (i = 0; i < o->nfeeds; i++) {
		const struct opml_feed	*f = &o->feeds[i];
		char			*name, *tag;
		int			 ntags = 0;

		if (!url_ok(f->xml_url)) {
			log_warnx("%s: skipping \"%s\": not an http or https URL", opml_path,
			    f->xml_url);
			bad++;
			continue;
		}
		if (url_present(conf, &urls, f->xml_url)) {
			skipped++;
			continue;
		}
		name = unique_name(conf, &names, f);
		buf_printf(&add, "[feed %s]\nurl = %s\n", name, f->xml_url);
		for (j = 0; j < f->ntags; j++) {
			tag = clean_tag(f->tags[j]);
			if (*tag != '\0')
				buf_printf(&add, "%s%s", ntags++ == 0 ? "tags = " : ", ", tag);
			free(tag);
		}
		if (ntags > 0)
			buf_putc(&add, '\n');
		buf_putc(&add, '\n');
		if (!dry)
			printf("added [feed %s] %s\n", name, f->xml_url);
		names_push(&names, name);
		names_push(&urls, xstrdup(f->xml_url));
	}
	if (dry) {
		if (add.len > 0)
			fputs(add.data, stdout);
	} else if (names.n > 0) {
		/* One blank line between what was there and the new sections. */
		if (text.len > 0 && text.data[text.len - 1] != '\n')
			buf_putc(&text, '\n');
		if (text.len > 1 && text.data[text.len - 2] != '\n')
			buf_putc(&text, '\n');
		time_iso8601(time(NULL), when);
		buf_printf(&text, "# Imported from %s on %s\n", opml_path, when);
		if (buf_append(&text, add.data, add.len) == -1) {
			log_warnx("%s: the configuration would grow too large", path);
			goto out;
		}
		if (!exists) {
			char *d = xstrdup(path), *s = strrchr(d, '/');

			if (s != NULL && s != d) {
				*s = '\0';
				if (mkdir_p(d, 0700) == -1)
					log_warn("%s", d);
			}
			free(d);
		}
		if (replace_config(path, text.data, text.len, mode) == -1)
			goto out;
	}
	fprintf(stderr, "newswatch: %s %zu feed%s to %s", dry ? "would add" : "added", names.n,
	    names.n == 1 ? "" : "s", path);
	if (skipped > 0)
		fprintf(stderr, "; %zu already there", skipped);
	if (bad > 0)
		fprintf(stderr, "; %zu skipped (not http or https)", bad);
	fputc('\n', stderr);
	status = 0;
	if (fflush(stdout) == EOF) {
		log_warn("standard output");
		status = 1;
	}
out:
	names_free(&names);
	names_free(&urls);
	opml_free(o);
	free(err);
	buf_free(&in);
	buf_free(&text);
	buf_free(&add);
	if (conf != NULL)
		conf_free(conf);
	free(path);
	return status;
}

static void
export_usage(FILE *f)
{
	fprintf(f, "usage: newswatch export-opml [--config FILE]\n"
	    "Writes the configured feeds as OPML 2.0 on standard output; each feed's first tag\n"
	    "is its folder, and every tag is a category.\n");
}

int
cmd_export_opml(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct cmd_opts	 co = { .usage = export_usage };
	struct conf	*conf;
	struct opml	 o;
	struct buf	 out;
	size_t		 i;
	int		 status = 0;

	while (cmd_getopt(&co, argc, argv, "+c:h", opts) != -1)
		;	/* no options of its own */
	if (co.status != -1)
		return cmd_opts_end(&co, co.status);
	if (optind != argc) {
		export_usage(stderr);
		return cmd_opts_end(&co, 2);
	}
	log_init(0);
	if (cmd_conf_load(&co, &conf) == -1)
		return cmd_opts_end(&co, 1);
	cmd_opts_end(&co, 0);
	memset(&o, 0, sizeof(o));
	o.title = "newswatch feeds";
	o.nfeeds = conf->nfeeds;
	o.feeds = xcalloc(conf->nfeeds > 0 ? conf->nfeeds : 1, sizeof(*o.feeds));
	/* The OPML borrows the configuration's strings. */
	for (i = 0; i < conf->nfeeds; i++) {
		o.feeds[i].title = conf->feeds[i].name;
		o.feeds[i].xml_url = conf->feeds[i].url;
		o.feeds[i].tags = conf->feeds[i].tags;
		o.feeds[i].ntags = conf->feeds[i].ntags;
	}
	buf_init(&out, 0);
	if (opml_write(&o, &out) == -1) {
		log_warnx("the OPML document is too large");
		status = 1;
	} else if (fwrite(out.data, 1, out.len, stdout) != out.len || fflush(stdout) == EOF) {
		log_warn("standard output");
		status = 1;
	}
	buf_free(&out);
	free(o.feeds);
	conf_free(conf);
	return status;
}
