/* test_fetch.c: fetch.c against the real fixture server on a real libuv loop. */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <uv.h>

#include "fetch.h"
#include "log.h"
#include "util.h"

#define SERVER_SCRIPT	NW_FIXTURES "/../server/fixture_server.py"
#define FEEDS_DIR	NW_FIXTURES "/fetch"
#define MIB		(1024u * 1024)

static pid_t	server_pid = -1;
static int	server_port;
static char	server_dir[] = "/tmp/nw-test-fetch-XXXXXX";

/* ---- the fixture server ---------------------------------------------------------------- */

static const char *
python_path(void)
{
	/* The system python first: stdlib only, and no shim start-up cost. */
	if (access("/usr/bin/python3", X_OK) == 0)
		return "/usr/bin/python3";
	return "python3";
}

static int
server_start(void **state)
{
	char	 portfile[256], buf[32];
	FILE	*fp;
	int	 i, status;

	(void)state;
	if (mkdtemp(server_dir) == NULL)
		return -1;
	snprintf(portfile, sizeof(portfile), "%s/port", server_dir);
	if ((server_pid = fork()) == -1)
		return -1;
	if (server_pid == 0) {
		execlp(python_path(), "python3", SERVER_SCRIPT, "--feeds", FEEDS_DIR,
		    "--port-file", portfile, "--lifetime", "120", (char *)NULL);
		_exit(127);
	}
	for (i = 0; i < 500; i++) {	/* up to 10 s */
		if ((fp = fopen(portfile, "r")) != NULL) {
			if (fgets(buf, sizeof(buf), fp) != NULL)
				server_port = atoi(buf);
			fclose(fp);
			if (server_port > 0)
				return 0;
		}
		if (waitpid(server_pid, &status, WNOHANG) == server_pid) {
			server_pid = -1;
			return -1;
		}
		usleep(20000);
	}
	return -1;
}

static int
server_stop(void **state)
{
	char	path[256];
	int	status;

	(void)state;
	if (server_pid > 0) {
		kill(server_pid, SIGTERM);
		waitpid(server_pid, &status, 0);	/* PID 1 here does not reap */
	}
	snprintf(path, sizeof(path), "%s/port", server_dir);
	unlink(path);
	rmdir(server_dir);
	return 0;
}

static char *
url(const char *path)
{
	return xasprintf("http://127.0.0.1:%d%s", server_port, path);
}

/* A blocking HTTP/1.0 GET of a control path: the body, or NULL. Independent of fetch.c. */
static char *
control_get(const char *path)
{
	struct sockaddr_in	 sin;
	struct buf		 b;
	char			 chunk[4096], *req, *body, *out;
	ssize_t			 n;
	int			 s;

	if ((s = socket(AF_INET, SOCK_STREAM, 0)) == -1)
		return NULL;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)server_port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(s, (struct sockaddr *)&sin, sizeof(sin)) == -1) {
		close(s);
		return NULL;
	}
	req = xasprintf("GET %s HTTP/1.0\r\nHost: control\r\n\r\n", path);
	if (write(s, req, strlen(req)) != (ssize_t)strlen(req)) {
		free(req);
		close(s);
		return NULL;
	}
	free(req);
	buf_init(&b, 16 * MIB);
	while ((n = read(s, chunk, sizeof(chunk))) > 0)
		if (buf_append(&b, chunk, (size_t)n) == -1)
			break;
	close(s);
	if (b.data == NULL || (body = strstr(b.data, "\r\n\r\n")) == NULL) {
		buf_free(&b);
		return NULL;
	}
	out = xstrdup(body + 4);
	buf_free(&b);
	return out;
}

static void
control_reset(void)
{
	free(control_get("/control/reset"));
}

/* The number after "key": in a JSON text (crude, enough for the server's flat output). */
static long
json_number(const char *json, const char *key)
{
	char		*pat = xasprintf("\"%s\": ", key);
	const char	*p = strstr(json, pat);
	long		 n = p ? strtol(p + strlen(pat), NULL, 10) : -1;

	free(pat);
	return n;
}

/* The log line (a new string) of the last logged request whose path contains needle. */
static char *
log_last(const char *needle)
{
	char	*log = control_get("/control/log"), *line, *save = NULL, *found = NULL;

	if (log == NULL)
		return NULL;
	for (line = strtok_r(log, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char	*path = strstr(line, "\"path\": ");

		if (path != NULL && strstr(path, needle) != NULL) {
			free(found);
			found = xstrdup(line);
		}
	}
	free(log);
	return found;
}

/* Counts logged requests whose path contains needle. */
static int
log_count(const char *needle)
{
	char	*log = control_get("/control/log"), *line, *save = NULL;
	int	 n = 0;

	if (log == NULL)
		return -1;
	for (line = strtok_r(log, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		if (strstr(line, needle) != NULL)
			n++;
	free(log);
	return n;
}

/* "key": <JSON string of want> appears in line. */
static int
json_has_string(const char *line, const char *key, const char *want)
{
	struct buf	b;
	int		found;

	buf_init(&b, 0);
	buf_printf(&b, "\"%s\": ", key);
	buf_json_string(&b, want);
	found = line != NULL && strstr(line, b.data) != NULL;
	buf_free(&b);
	return found;
}

/* ---- one loop and one fetcher per test --------------------------------------------------- */

struct got {
	int		 header_calls;
	int		 data_calls;
	int		 done_calls;
	int		 data_before_header;
	long		 header_status;
	char		*header_ctype;
	struct buf	 body;
	int		 ok;
	long		 status;
	char		*error;
	char		*etag;
	char		*last_modified;
	char		*content_type;
	char		*effective_url;
	char		*permanent_url;
	long		 retry_after;
	long		 max_age;
	size_t		 bytes;
	double		 seconds;
	int		 abort_in_header;
	int		 abort_in_data;
	struct fetcher	*close_in_done;	/* calls fetcher_close from done_cb */
	int		*done_counter;	/* shared count across transfers */
	int		 done_rank;	/* *done_counter once this one ended (1: first) */
};

struct ctx {
	uv_loop_t		 loop;
	struct fetch_limits	 lim;
	struct fetcher		*f;
	int			 closed;
};

static char *
dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

static void
got_init(struct got *g)
{
	memset(g, 0, sizeof(*g));
	buf_init(&g->body, 64 * MIB);
}

static void
got_free(struct got *g)
{
	buf_free(&g->body);
	free(g->header_ctype);
	free(g->error);
	free(g->etag);
	free(g->last_modified);
	free(g->content_type);
	free(g->effective_url);
	free(g->permanent_url);
}

static int
on_header(void *arg, long status, const char *ctype)
{
	struct got	*g = arg;

	g->header_calls++;
	g->header_status = status;
	free(g->header_ctype);
	g->header_ctype = dup_or_null(ctype);
	return g->abort_in_header ? -1 : 0;
}

static int
on_data(void *arg, const char *buf, size_t len)
{
	struct got	*g = arg;

	if (g->header_calls == 0)
		g->data_before_header = 1;
	g->data_calls++;
	if (g->abort_in_data)
		return -1;
	return buf_append(&g->body, buf, len);
}

static void
on_done(void *arg, const struct fetch_result *r)
{
	struct got	*g = arg;

	g->done_calls++;
	if (g->done_counter != NULL)
		g->done_rank = ++(*g->done_counter);
	g->ok = r->ok;
	g->status = r->status;
	g->error = dup_or_null(r->error);
	g->etag = dup_or_null(r->etag);
	g->last_modified = dup_or_null(r->last_modified);
	g->content_type = dup_or_null(r->content_type);
	g->effective_url = dup_or_null(r->effective_url);
	g->permanent_url = dup_or_null(r->permanent_url);
	g->retry_after = r->retry_after;
	g->max_age = r->max_age;
	g->bytes = r->bytes;
	g->seconds = r->seconds;
	if (g->close_in_done != NULL)
		fetcher_close(g->close_in_done);
}

static const struct fetch_cb callbacks = { on_header, on_data, on_done };

static int
setup(void **state)
{
	struct ctx	*c = xcalloc(1, sizeof(*c));

	if (uv_loop_init(&c->loop) != 0)
		return -1;
	fetch_limits_default(&c->lim);
	/* Short limits keep the suite fast; tests tighten them further where they need to. */
	c->lim.max_transfers = 4;
	c->lim.max_host_transfers = 4;
	c->lim.connect_timeout = 3;
	c->lim.timeout = 5;
	c->lim.low_speed_bytes = 0;
	c->lim.low_speed_time = 0;
	c->lim.max_bytes = 4 * MIB;
	c->lim.max_redirects = 5;
	control_reset();
	*state = c;
	return 0;
}

/* Every test ends here: the fetcher closes and the loop has no handle left. */
static int
teardown(void **state)
{
	struct ctx	*c = *state;

	if (c->f != NULL && !c->closed)
		fetcher_close(c->f);
	uv_run(&c->loop, UV_RUN_DEFAULT);
	assert_int_equal(uv_loop_close(&c->loop), 0);
	free(c);
	return 0;
}

static struct fetcher *
fetcher(struct ctx *c)
{
	if (c->f == NULL)
		c->f = fetcher_new(&c->loop, &c->lim);
	assert_non_null(c->f);
	return c->f;
}

/* Runs the loop until *count reaches want; fails the test after max_s seconds. */
static void
run_until(struct ctx *c, const int *count, int want, double max_s)
{
	uint64_t	deadline = uv_hrtime() + (uint64_t)(max_s * 1e9);

	while (*count < want) {
		if (uv_run(&c->loop, UV_RUN_ONCE) == 0 && *count < want)
			fail_msg("loop ran dry with %d of %d done", *count, want);
		if (uv_hrtime() > deadline)
			fail_msg("not done within %.1f s", max_s);
	}
}

/* Fetches one path (or full URL) with optional validators and waits for done_cb. */
static void
fetch_one(struct ctx *c, const char *path, const char *etag, const char *lm, struct got *g)
{
	struct fetch_req	 req;
	char			*u = strncmp(path, "http", 4) == 0 ? xstrdup(path) : url(path);

	memset(&req, 0, sizeof(req));
	req.url = u;
	req.etag = etag;
	req.last_modified = lm;
	assert_int_equal(fetch_start(fetcher(c), &req, &callbacks, g), 0);
	assert_int_equal(g->done_calls, 0);	/* never from inside fetch_start */
	run_until(c, &g->done_calls, 1, 20);
	assert_int_equal(g->done_calls, 1);
	free(u);
}

static char *
read_fixture(const char *name, size_t *len)
{
	char	*path = xasprintf("%s/%s", FEEDS_DIR, name), *data;
	FILE	*fp = fopen(path, "rb");
	long	 n;

	assert_non_null(fp);
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	rewind(fp);
	data = xmalloc((size_t)n + 1);
	assert_int_equal(fread(data, 1, (size_t)n, fp), (size_t)n);
	data[n] = '\0';
	fclose(fp);
	free(path);
	*len = (size_t)n;
	return data;
}

/* ---- tests ---------------------------------------------------------------------------- */

static void
fetch__feed_200__streams_whole_body_with_validators(void **state)
{
	struct ctx	*c = *state;
	struct got	 g;
	size_t		 len;
	char		*want = read_fixture("sample.rss", &len), *line;

	got_init(&g);
	fetch_one(c, "/feeds/sample.rss", NULL, NULL, &g);
	assert_int_equal(g.ok, 1);
	assert_null(g.error);
	assert_int_equal(g.status, 200);
	assert_int_equal(g.header_calls, 1);
	assert_int_equal(g.header_status, 200);
	assert_string_equal(g.header_ctype, "application/rss+xml");
	assert_false(g.data_before_header);
	assert_true(g.data_calls >= 1);
	assert_int_equal(g.bytes, len);
	assert_int_equal(g.body.len, len);
	assert_memory_equal(g.body.data, want, len);
	assert_non_null(g.etag);
	assert_true(g.etag[0] == '"');
	assert_non_null(g.last_modified);
	assert_int_equal(g.max_age, 300);
	assert_int_equal(g.retry_after, -1);
	assert_null(g.permanent_url);
	assert_non_null(strstr(g.effective_url, "/feeds/sample.rss"));

	/* The server saw our User-Agent and an offer of compressed encodings. */
	line = log_last("/feeds/sample.rss");
	assert_non_null(line);
	assert_true(json_has_string(line, "user_agent",
	    "newswatch/" NW_VERSION " (+" NW_PROJECT_URL ")"));
	assert_non_null(strstr(line, "gzip"));
	free(line);
	free(want);
	got_free(&g);
}

static void
fetch__gzip_response__is_delivered_decoded(void **state)
{
	struct ctx	*c = *state;
	struct got	 g;
	size_t		 len;
	char		*want = read_fixture("sample.rss", &len), *line;

	got_init(&g);
	fetch_one(c, "/feeds/sample.rss", NULL, NULL, &g);
	line = log_last("/feeds/sample.rss");
	assert_true(json_has_string(line, "encoding", "gzip"));	/* sent compressed */
	assert_int_equal(g.body.len, len);
	assert_memory_equal(g.body.data, want, len);
	free(line);
	free(want);
	got_free(&g);
}

static void
fetch__validators_sent__server_answers_304_without_body(void **state)
{
	struct ctx	*c = *state;
	struct got	 first, g, h;
	char		*line;

	got_init(&first);
	got_init(&g);
	got_init(&h);
	fetch_one(c, "/feeds/sample.rss", NULL, NULL, &first);
	assert_non_null(first.etag);

	fetch_one(c, "/feeds/sample.rss", first.etag, NULL, &g);
	assert_int_equal(g.ok, 1);
	assert_int_equal(g.status, 304);
	assert_int_equal(g.header_calls, 1);
	assert_int_equal(g.header_status, 304);
	assert_int_equal(g.data_calls, 0);
	assert_int_equal(g.bytes, 0);
	assert_string_equal(g.etag, first.etag);
	line = log_last("/feeds/sample.rss");
	assert_true(json_has_string(line, "if_none_match", first.etag));
	assert_non_null(strstr(line, "\"status\": 304"));
	free(line);

	fetch_one(c, "/feeds/sample.rss", NULL, first.last_modified, &h);
	assert_int_equal(h.status, 304);
	assert_int_equal(h.data_calls, 0);
	line = log_last("/feeds/sample.rss");
	assert_true(json_has_string(line, "if_modified_since", first.last_modified));
	free(line);
	got_free(&first);
	got_free(&g);
	got_free(&h);
}

static void
fetch__sequential_transfers__reuse_one_connection(void **state)
{
	struct ctx	*c = *state;
	struct got	 a, b;
	char		*la, *lb;

	got_init(&a);
	got_init(&b);
	fetch_one(c, "/feeds/sample.rss?a", NULL, NULL, &a);
	fetch_one(c, "/feeds/sample.rss?b", NULL, NULL, &b);
	la = log_last("sample.rss?a");
	lb = log_last("sample.rss?b");
	assert_non_null(la);
	assert_non_null(lb);
	assert_int_equal(json_number(la, "client_port"), json_number(lb, "client_port"));
	free(la);
	free(lb);
	got_free(&a);
	got_free(&b);
}

static void
fetch__error_statuses__complete_without_body_data(void **state)
{
	struct ctx	*c = *state;
	static const long codes[] = { 404, 410, 500 };
	size_t		 i;

	for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		struct got	 g;
		char		 path[32];

		got_init(&g);
		snprintf(path, sizeof(path), "/status/%ld", codes[i]);
		fetch_one(c, path, NULL, NULL, &g);
		assert_int_equal(g.ok, 1);
		assert_int_equal(g.status, codes[i]);
		assert_int_equal(g.header_calls, 1);
		assert_int_equal(g.header_status, codes[i]);
		assert_int_equal(g.data_calls, 0);
		assert_int_equal(g.bytes, 0);
		got_free(&g);
	}
}

static void
fetch__empty_204__header_cb_still_called_once(void **state)
{
	struct ctx	*c = *state;
	struct got	 g;

	got_init(&g);
	fetch_one(c, "/status/204", NULL, NULL, &g);
	assert_int_equal(g.ok, 1);
	assert_int_equal(g.header_calls, 1);
	assert_int_equal(g.header_status, 204);
	assert_int_equal(g.data_calls, 0);
	got_free(&g);
}

static void
fetch__retry_after__seconds_and_http_date_parsed(void **state)
{
	struct ctx	*c = *state;
	struct got	 a, b, m;

	got_init(&a);
	got_init(&b);
	got_init(&m);
	fetch_one(c, "/status/429?retry_after=120", NULL, NULL, &a);
	assert_int_equal(a.status, 429);
	assert_int_equal(a.retry_after, 120);
	fetch_one(c, "/status/503?retry_after_date=300", NULL, NULL, &b);
	assert_int_equal(b.status, 503);
	assert_in_range(b.retry_after, 290, 300);
	fetch_one(c, "/status/200?max_age=77", NULL, NULL, &m);
	assert_int_equal(m.max_age, 77);
	assert_int_equal(m.retry_after, -1);
	got_free(&a);
	got_free(&b);
	got_free(&m);
}

static void
fetch__one_temporary_redirect__effective_url_not_permanent(void **state)
{
	struct ctx	*c = *state;
	struct got	 g;
	char		*want = url("/feeds/sample.rss");

	got_init(&g);
	fetch_one(c, "/redirect/1?to=/feeds/sample.rss", NULL, NULL, &g);
	assert_int_equal(g.ok, 1);
	assert_int_equal(g.status, 200);
	assert_string_equal(g.effective_url, want);
	assert_null(g.permanent_url);
	assert_true(g.bytes > 0);
	assert_string_equal(g.header_ctype, "application/rss+xml");
	free(want);
	got_free(&g);
}

static void
fetch__all_hops_permanent__permanent_url_recorded(void **state)
{
	struct ctx	*c = *state;
	struct got	 g, mixed;
	char		*want = url("/feeds/sample.rss");

	got_init(&g);
	got_init(&mixed);
	fetch_one(c, "/permanent/301?to=/permanent/308%3Fto%3D/feeds/sample.rss", NULL, NULL, &g);
	assert_int_equal(g.status, 200);
	assert_non_null(g.permanent_url);
	assert_string_equal(g.permanent_url, want);

	fetch_one(c, "/permanent/301?to=/redirect/1%3Fto%3D/feeds/sample.rss", NULL, NULL, &mixed);
	assert_int_equal(mixed.status, 200);
	assert_string_equal(mixed.effective_url, want);
	assert_null(mixed.permanent_url);
	free(want);
	got_free(&g);
	got_free(&mixed);
}

static void
fetch__redirect_loop__stopped_after_max_redirects(void **state)
{
	struct ctx	*c = *state;
	struct got	 g;

	c->lim.max_redirects = 3;
	got_init(&g);
	fetch_one(c, "/redirect-loop", NULL, NULL, &g);
	assert_int_equal(g.ok, 0);
	assert_string_equal(g.error, "too many redirects (more than 3)");
	assert_int_equal(g.data_calls, 0);
	assert_int_equal(log_count("/redirect-loop"), 4);
	got_free(&g);
}

static void
fetch__redirect_to_file_scheme__refused(void **state)
{
	struct ctx	*c = *state;
	struct got	 g;

	got_init(&g);
	fetch_one(c, "/redirect-file", NULL, NULL, &g);
	assert_int_equal(g.ok, 0);
	assert_non_null(strstr(g.error, "forbidden scheme"));
	assert_non_null(strstr(g.error, "file:///etc/passwd"));
	assert_int_equal(g.data_calls, 0);
	got_free(&g);
}

static void
fetch_start__non_http_url__refused_without_callback(void **state)
{
	struct ctx		*c = *state;
	struct got		 g;
	struct fetch_req	 req = { .url = "file:///etc/passwd" };

	got_init(&g);
	log_init(-1);
	assert_int_equal(fetch_start(fetcher(c), &req, &callbacks, &g), -1);
	req.url = "ftp://127.0.0.1/feed";
	assert_int_equal(fetch_start(fetcher(c), &req, &callbacks, &g), -1);
	req.url = "not a url";
	assert_int_equal(fetch_start(fetcher(c), &req, &callbacks, &g), -1);
	log_init(0);
	assert_int_equal(fetcher_active(c->f), 0);
	uv_run(&c->loop, UV_RUN_NOWAIT);
	assert_int_equal(g.done_calls, 0);
	got_free(&g);
}

static void
fetch__hang_after_headers__cut_by_total_timeout(void **state)
{
	struct ctx	*c = *state;
	struct got	 g;
	uint64_t	 t0 = uv_hrtime();

	c->lim.timeout = 1;
	got_init(&g);
	fetch_one(c, "/hang-after-headers?s=5", NULL, NULL, &g);
	assert_int_equal(g.ok, 0);
	assert_string_equal(g.error, "timed out after 1s");
	assert_true((uv_hrtime() - t0) / 1e9 < 3);
	got_free(&g);
}

static void
fetch__slow_headers__cut_by_total_timeout(void **state)
{
	struct ctx	*c = *state;
	struct got	 g;

	c->lim.timeout = 1;
	got_init(&g);
	fetch_one(c, "/slow-headers?s=5", NULL, NULL, &g);
	assert_int_equal(g.ok, 0);
	assert_int_equal(g.status, 0);
	assert_int_equal(g.header_calls, 0);
	assert_string_equal(g.error, "timed out after 1s");
	got_free(&g);
}

static void
fetch__drip__cut_by_low_speed_limit(void **state)
{
	struct ctx	*c = *state;
	struct got	 g;
	uint64_t	 t0 = uv_hrtime();

	c->lim.timeout = 10;
	c->lim.low_speed_bytes = 100;
	c->lim.low_speed_time = 1;
	got_init(&g);
	fetch_one(c, "/drip?n=60&ms=300", NULL, NULL, &g);
	assert_int_equal(g.ok, 0);
	assert_string_equal(g.error, "too slow: under 100 bytes/s for 1s");
	assert_true((uv_hrtime() - t0) / 1e9 < 4);
	got_free(&g);
}

static void
fetch__declared_body_over_limit__refused_before_delivery(void **state)
{
	struct ctx	*c = *state;
	struct got	 g;

	c->lim.max_bytes = 1 * MIB;
	got_init(&g);
	fetch_one(c, "/big?mb=2", NULL, NULL, &g);
	assert_int_equal(g.ok, 0);
	assert_non_null(strstr(g.error, "body over 1 MiB limit"));
	assert_int_equal(g.bytes, 0);
	got_free(&g);
}

static void
fetch__undeclared_body_over_limit__cut_at_limit(void **state)
{
	struct ctx	*c = *state;
	struct got	 g;

	c->lim.max_bytes = 1 * MIB;
	got_init(&g);
	fetch_one(c, "/big?mb=3&chunked=1", NULL, NULL, &g);
	assert_int_equal(g.ok, 0);
	assert_string_equal(g.error, "body over 1 MiB limit");
	assert_true(g.bytes <= 1 * MIB);
	assert_int_equal(g.body.len, g.bytes);
	assert_true(g.bytes > 0);
	got_free(&g);
}

static void
fetch__compression_bomb__cut_off_early(void **state)
{
	struct ctx	*c = *state;
	struct got	 g;
	uint64_t	 t0;

	/* Build the bomb before timing (the server makes it once, from a stream of zeros). */
	free(control_get("/bomb?mb=256"));
	control_reset();
	c->lim.max_bytes = 1 * MIB;
	got_init(&g);
	t0 = uv_hrtime();
	fetch_one(c, "/bomb?mb=256", NULL, NULL, &g);
	assert_int_equal(g.ok, 0);
	assert_string_equal(g.error, "body over 1 MiB limit");
	assert_true(g.bytes <= 1 * MIB);
	/* The byte count proves the cut; the time only that nothing waited for a timeout. */
	assert_true((uv_hrtime() - t0) / 1e9 < 5);
	got_free(&g);
}

static void
fetch__connection_refused__clear_error(void **state)
{
	struct ctx		*c = *state;
	struct got		 g;
	struct sockaddr_in	 sin;
	socklen_t		 len = sizeof(sin);
	char			*u;
	int			 s;

	/* A port that was free a moment ago: bound, read back, closed. */
	assert_true((s = socket(AF_INET, SOCK_STREAM, 0)) >= 0);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(s, (struct sockaddr *)&sin, sizeof(sin)), 0);
	assert_int_equal(getsockname(s, (struct sockaddr *)&sin, &len), 0);
	close(s);
	u = xasprintf("http://127.0.0.1:%d/feeds/sample.rss", ntohs(sin.sin_port));
	got_init(&g);
	fetch_one(c, u, NULL, NULL, &g);
	assert_int_equal(g.ok, 0);
	assert_int_equal(g.status, 0);
	assert_non_null(strstr(g.error, "cannot connect"));
	free(u);
	got_free(&g);
}

static void
fetch__unknown_host__dns_error(void **state)
{
	struct ctx	*c = *state;
	struct got	 g;

	got_init(&g);
	fetch_one(c, "http://nonexistent.invalid/feed", NULL, NULL, &g);
	assert_int_equal(g.ok, 0);
	assert_true(strncmp(g.error, "DNS: cannot resolve nonexistent.invalid", 39) == 0);
	got_free(&g);
}

static void
fetch__tls_to_plain_http_server__tls_error(void **state)
{
	struct ctx	*c = *state;
	struct got	 g;
	char		*u = xasprintf("https://127.0.0.1:%d/feeds/sample.rss", server_port);

	got_init(&g);
	fetch_one(c, u, NULL, NULL, &g);
	assert_int_equal(g.ok, 0);
	assert_true(strncmp(g.error, "TLS: ", 5) == 0);
	free(u);
	got_free(&g);
}

static void
fetch__reset_mid_body__reported(void **state)
{
	struct ctx	*c = *state;
	struct got	 g;

	got_init(&g);
	fetch_one(c, "/reset", NULL, NULL, &g);
	assert_int_equal(g.ok, 0);
	assert_int_equal(g.status, 200);
	assert_non_null(strstr(g.error, "connection reset"));
	got_free(&g);
}

static void
fetch__html_page__delivered_with_its_content_type(void **state)
{
	struct ctx	*c = *state;
	struct got	 g;

	got_init(&g);
	fetch_one(c, "/html", NULL, NULL, &g);
	assert_int_equal(g.ok, 1);
	assert_string_equal(g.header_ctype, "text/html; charset=utf-8");
	assert_non_null(strstr(g.body.data, "<html>"));
	got_free(&g);
}

static void
fetch__callbacks_returning_minus_one__abort_transfer(void **state)
{
	struct ctx	*c = *state;
	struct got	 h, d;

	got_init(&h);
	got_init(&d);
	h.abort_in_header = 1;
	fetch_one(c, "/feeds/sample.rss", NULL, NULL, &h);
	assert_int_equal(h.ok, 0);
	assert_string_equal(h.error, "aborted by callback");
	assert_int_equal(h.data_calls, 0);

	d.abort_in_data = 1;
	fetch_one(c, "/big?mb=2", NULL, NULL, &d);
	assert_int_equal(d.ok, 0);
	assert_string_equal(d.error, "aborted by callback");
	assert_int_equal(d.data_calls, 1);
	assert_int_equal(d.bytes, 0);
	got_free(&h);
	got_free(&d);
}

#define NCONC	10

static void
start_many(struct ctx *c, struct got *g, int n, int *done, const char *host, const char *path)
{
	struct fetch_req	 req = { .url = NULL };
	int			 i;
	char			*u;

	for (i = 0; i < n; i++) {
		got_init(&g[i]);
		g[i].done_counter = done;
		u = xasprintf("http://%s:%d%s", host, server_port, path);
		req.url = u;
		assert_int_equal(fetch_start(fetcher(c), &req, &callbacks, &g[i]), 0);
		free(u);
	}
}

static void
fetch__ten_transfers_max_two__never_more_than_two_in_flight(void **state)
{
	struct ctx	*c = *state;
	struct got	 g[NCONC];
	char		*stats;
	int		 done = 0, i;

	c->lim.max_transfers = 2;
	c->lim.max_host_transfers = 2;
	start_many(c, g, NCONC, &done, "127.0.0.1", "/delay?ms=150");
	assert_int_equal(fetcher_active(c->f), NCONC);
	run_until(c, &done, NCONC, 20);
	assert_int_equal(fetcher_active(c->f), 0);
	for (i = 0; i < NCONC; i++) {
		assert_int_equal(g[i].ok, 1);
		assert_int_equal(g[i].done_calls, 1);
		got_free(&g[i]);
	}
	stats = control_get("/control/stats?path=/delay");
	assert_non_null(stats);
	assert_int_equal(json_number(stats, "max_inflight"), 2);
	assert_int_equal(json_number(stats, "requests"), NCONC);
	free(stats);
}

static void
fetch__per_host_limit__each_host_capped_separately(void **state)
{
	struct ctx	*c = *state;
	struct got	 a[5], b[5];
	char		*stats, *key;
	int		 done = 0, i;

	c->lim.max_transfers = 8;
	c->lim.max_host_transfers = 2;
	start_many(c, a, 5, &done, "127.0.0.1", "/delay?ms=300");
	start_many(c, b, 5, &done, "localhost", "/delay?ms=300");
	run_until(c, &done, 10, 20);
	for (i = 0; i < 5; i++) {
		assert_int_equal(a[i].ok, 1);
		assert_int_equal(b[i].ok, 1);
		got_free(&a[i]);
		got_free(&b[i]);
	}
	stats = control_get("/control/stats?path=/delay");
	assert_non_null(stats);
	key = xasprintf("127.0.0.1:%d", server_port);
	assert_int_equal(json_number(stats, key), 2);
	free(key);
	key = xasprintf("localhost:%d", server_port);
	assert_int_equal(json_number(stats, key), 2);
	free(key);
	/* The hosts ran side by side: the per-host cap is not a global one. */
	assert_true(json_number(stats, "max_inflight") >= 3);
	assert_true(json_number(stats, "max_inflight") <= 4);
	free(stats);
}

/*
 * Transfers held back by their host's limit wait on that host (parked) and start in the order
 * they were asked for, one as each ends; a host queued behind them is not held back: its
 * transfers run beside them.
 */
static void
fetch__parked_behind_host_limit__start_in_order_other_host_not_held(void **state)
{
	struct ctx	*c = *state;
	struct got	 a[6], b[2];
	char		*stats;
	int		 done = 0, i;

	c->lim.max_transfers = 8;
	c->lim.max_host_transfers = 1;
	start_many(c, a, 6, &done, "127.0.0.1", "/delay?ms=300");
	start_many(c, b, 2, &done, "localhost", "/delay?ms=300");
	assert_int_equal(fetcher_active(c->f), 8);
	run_until(c, &done, 8, 30);
	assert_int_equal(fetcher_active(c->f), 0);
	for (i = 0; i < 6; i++) {
		assert_int_equal(a[i].ok, 1);
		/* One at a time on that host: each ends after the one asked for before it. */
		if (i > 0)
			assert_true(a[i].done_rank > a[i - 1].done_rank);
		got_free(&a[i]);
	}
	for (i = 0; i < 2; i++) {
		assert_int_equal(b[i].ok, 1);
		got_free(&b[i]);
	}
	stats = control_get("/control/stats?path=/delay");
	assert_non_null(stats);
	assert_int_equal(json_number(stats, "max_inflight"), 2);
	assert_int_equal(json_number(stats, "requests"), 8);
	free(stats);
}

/* A request's own per-host limit (pages fetched for their text) is below the fetcher's. */
static void
fetch__request_max_host_one__one_at_a_time_and_accept_sent(void **state)
{
	struct ctx	*c = *state;
	struct got	 g[4];
	struct fetch_req req;
	char		*stats, *key, *u = url("/delay?ms=200"), *log;
	int		 done = 0, i;

	c->lim.max_transfers = 8;
	c->lim.max_host_transfers = 4;
	for (i = 0; i < 4; i++) {
		got_init(&g[i]);
		g[i].done_counter = &done;
		memset(&req, 0, sizeof(req));
		req.url = u;
		req.accept = "text/html";
		req.max_host = 1;
		assert_int_equal(fetch_start(fetcher(c), &req, &callbacks, &g[i]), 0);
	}
	run_until(c, &done, 4, 20);
	for (i = 0; i < 4; i++) {
		assert_int_equal(g[i].ok, 1);
		got_free(&g[i]);
	}
	stats = control_get("/control/stats?path=/delay");
	assert_non_null(stats);
	key = xasprintf("127.0.0.1:%d", server_port);
	assert_int_equal(json_number(stats, key), 1);
	assert_int_equal(json_number(stats, "requests"), 4);
	log = control_get("/control/log");
	assert_non_null(log);
	assert_non_null(strstr(log, "\"accept\": \"text/html\""));
	free(log);
	free(key);
	free(stats);
	free(u);
}

/* A transfer started from a loop timer, once an earlier transfer is under way. */
struct later {
	uv_timer_t	 timer;
	struct fetcher	*f;
	char		*url;
	struct got	*g;
	uint64_t	 t_start;	/* uv_hrtime() when it was started */
};

static void
later_cb(uv_timer_t *t)
{
	struct later		*l = t->data;
	struct fetch_req	 req = { .url = l->url };

	l->t_start = uv_hrtime();
	assert_int_equal(fetch_start(l->f, &req, &callbacks, l->g), 0);
	uv_close((uv_handle_t *)t, NULL);
}

static void
start_later(struct ctx *c, struct later *l, const char *path, struct got *g, uint64_t ms)
{
	memset(l, 0, sizeof(*l));
	l->f = fetcher(c);
	l->url = url(path);
	l->g = g;
	assert_int_equal(uv_timer_init(&c->loop, &l->timer), 0);
	l->timer.data = l;
	assert_int_equal(uv_timer_start(&l->timer, later_cb, ms, 0), 0);
}

/*
 * Seen under valgrind in the daemon: a feed polled while another feed's transfer to the same
 * host was still waiting for its response was held until that slow transfer ended (curl 7.88
 * parks a CURLOPT_PIPEWAIT transfer until a plain-http connection proves it cannot multiplex,
 * and never wakes it when the HTTP/1.1 response arrives). The slow response here comes after
 * 3 s; the second transfer must not wait for it.
 */
static void
fetch__second_transfer_to_host_during_slow_response__not_held_behind_it(void **state)
{
	struct ctx	*c = *state;
	struct got	 slow, quick;
	struct later	 l;
	struct fetch_req req = { .url = NULL };
	char		*u = url("/slow-headers?s=3");
	int		 done = 0;

	c->lim.max_host_transfers = 2;
	c->lim.timeout = 10;
	got_init(&slow);
	got_init(&quick);
	slow.done_counter = quick.done_counter = &done;
	req.url = u;
	assert_int_equal(fetch_start(fetcher(c), &req, &callbacks, &slow), 0);
	start_later(c, &l, "/feeds/sample.rss", &quick, 300);
	run_until(c, &quick.done_calls, 1, 10);
	assert_int_equal(quick.ok, 1);
	assert_int_equal(quick.status, 200);
	/* Done while the slow one still waits for its response, 2.7 s after this one started. */
	assert_int_equal(slow.done_calls, 0);
	assert_true((uv_hrtime() - l.t_start) / 1e9 < 2.5);
	run_until(c, &slow.done_calls, 1, 10);
	assert_int_equal(slow.ok, 1);
	assert_int_equal(log_count("/feeds/sample.rss"), 1);
	free(u);
	free(l.url);
	got_free(&slow);
	got_free(&quick);
}

/*
 * A request queued behind the per-host limit must not cost the running transfer its timeout:
 * fetch_start's 0 ms kick re-arms the uv timer curl's timeouts ride on, and when the kick starts
 * nothing, curl only re-arms it because the kick acts with CURL_SOCKET_TIMEOUT (curl then reports
 * its next timeout again even if unchanged). A kick that only looked at the queue would leave
 * the running transfer with no timer at all.
 */
static void
fetch__request_queued_behind_host_limit__running_transfer_still_times_out(void **state)
{
	struct ctx	*c = *state;
	struct got	 slow, queued;
	struct later	 l;
	struct fetch_req req = { .url = NULL };
	char		*u = url("/slow-headers?s=6");
	uint64_t	 t0 = uv_hrtime();

	c->lim.max_host_transfers = 1;
	c->lim.timeout = 1;
	got_init(&slow);
	got_init(&queued);
	req.url = u;
	assert_int_equal(fetch_start(fetcher(c), &req, &callbacks, &slow), 0);
	start_later(c, &l, "/feeds/sample.rss", &queued, 300);
	run_until(c, &slow.done_calls, 1, 10);
	assert_int_equal(slow.ok, 0);
	assert_string_equal(slow.error, "timed out after 1s");
	assert_true((uv_hrtime() - t0) / 1e9 < 2.5);
	/* The queued request starts once the host is free, and completes. */
	run_until(c, &queued.done_calls, 1, 10);
	assert_int_equal(queued.ok, 1);
	assert_int_equal(queued.status, 200);
	free(u);
	free(l.url);
	got_free(&slow);
	got_free(&queued);
}

static void
close_timer_cb(uv_timer_t *t)
{
	struct ctx	*c = t->data;

	fetcher_close(c->f);
	c->closed = 1;
	uv_close((uv_handle_t *)t, NULL);
}

static void
fetcher_close__transfers_in_flight__all_cancelled_and_loop_ends(void **state)
{
	struct ctx	*c = *state;
	struct got	 g[4];
	uv_timer_t	 timer;
	uint64_t	 t0 = uv_hrtime();
	int		 done = 0, i;

	c->lim.max_transfers = 2;
	c->lim.timeout = 30;
	start_many(c, g, 4, &done, "127.0.0.1", "/hang-after-headers?s=5");
	assert_int_equal(uv_timer_init(&c->loop, &timer), 0);
	timer.data = c;
	assert_int_equal(uv_timer_start(&timer, close_timer_cb, 300, 0), 0);
	uv_run(&c->loop, UV_RUN_DEFAULT);	/* must return by itself */
	assert_true((uv_hrtime() - t0) / 1e9 < 2);
	assert_int_equal(done, 4);
	for (i = 0; i < 4; i++) {
		assert_int_equal(g[i].done_calls, 1);
		assert_int_equal(g[i].ok, 0);
		assert_string_equal(g[i].error, "cancelled");
		got_free(&g[i]);
	}
}

static void
fetcher_close__called_from_done_cb__cancels_the_rest(void **state)
{
	struct ctx	*c = *state;
	struct got	 g[3];
	int		 done = 0, i;

	c->lim.max_transfers = 1;
	start_many(c, g, 3, &done, "127.0.0.1", "/delay?ms=50");
	for (i = 0; i < 3; i++)
		g[i].close_in_done = c->f;
	uv_run(&c->loop, UV_RUN_DEFAULT);
	c->closed = 1;
	assert_int_equal(done, 3);
	assert_int_equal(g[0].ok, 1);
	for (i = 1; i < 3; i++) {
		assert_int_equal(g[i].ok, 0);
		assert_string_equal(g[i].error, "cancelled");
	}
	for (i = 0; i < 3; i++)
		got_free(&g[i]);
}

static void
fetcher_close__idle__loop_ends(void **state)
{
	struct ctx	*c = *state;

	fetcher(c);
	fetcher_close(c->f);
	c->closed = 1;
	assert_int_equal(uv_run(&c->loop, UV_RUN_DEFAULT), 0);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(fetch__feed_200__streams_whole_body_with_validators),
		T(fetch__gzip_response__is_delivered_decoded),
		T(fetch__validators_sent__server_answers_304_without_body),
		T(fetch__sequential_transfers__reuse_one_connection),
		T(fetch__error_statuses__complete_without_body_data),
		T(fetch__empty_204__header_cb_still_called_once),
		T(fetch__retry_after__seconds_and_http_date_parsed),
		T(fetch__one_temporary_redirect__effective_url_not_permanent),
		T(fetch__all_hops_permanent__permanent_url_recorded),
		T(fetch__redirect_loop__stopped_after_max_redirects),
		T(fetch__redirect_to_file_scheme__refused),
		T(fetch_start__non_http_url__refused_without_callback),
		T(fetch__hang_after_headers__cut_by_total_timeout),
		T(fetch__slow_headers__cut_by_total_timeout),
		T(fetch__drip__cut_by_low_speed_limit),
		T(fetch__declared_body_over_limit__refused_before_delivery),
		T(fetch__undeclared_body_over_limit__cut_at_limit),
		T(fetch__compression_bomb__cut_off_early),
		T(fetch__connection_refused__clear_error),
		T(fetch__unknown_host__dns_error),
		T(fetch__tls_to_plain_http_server__tls_error),
		T(fetch__reset_mid_body__reported),
		T(fetch__html_page__delivered_with_its_content_type),
		T(fetch__callbacks_returning_minus_one__abort_transfer),
		T(fetch__ten_transfers_max_two__never_more_than_two_in_flight),
		T(fetch__per_host_limit__each_host_capped_separately),
		T(fetch__request_max_host_one__one_at_a_time_and_accept_sent),
		T(fetch__parked_behind_host_limit__start_in_order_other_host_not_held),
		T(fetch__second_transfer_to_host_during_slow_response__not_held_behind_it),
		T(fetch__request_queued_behind_host_limit__running_transfer_still_times_out),
		T(fetcher_close__transfers_in_flight__all_cancelled_and_loop_ends),
		T(fetcher_close__called_from_done_cb__cancels_the_rest),
		T(fetcher_close__idle__loop_ends),
	};

	if (access(SERVER_SCRIPT, R_OK) != 0) {
		fprintf(stderr, "test_fetch: %s missing, skipped\n", SERVER_SCRIPT);
		return 77;
	}
	signal(SIGPIPE, SIG_IGN);
	log_init(0);
	return cmocka_run_group_tests(tests, server_start, server_stop);
}
