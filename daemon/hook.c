/* hook.c: runs a rule's exec hook per alert with uv_spawn: no shell, bounded in number, time and output. */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "alert.h"
#include "hook.h"
#include "log.h"
#include "util.h"

extern char **environ;

#define KILL_AFTER_MS	5000	/* SIGTERM, then SIGKILL this much later */
#define CLOSE_KILL_MS	2000	/* when the daemon stops */
#define ERR_KEEP	200	/* bytes of a hook's stderr quoted in the log */
#define ENV_VALUE_MAX	1024	/* NEWSWATCH_TITLE and friends are cut here */
#define NHANDLES	5	/* process, stdin, stdout, stderr, timer */

struct hook_job {
	struct hook_runner	*r;
	struct hook_job		*next;
	uint64_t		 cookie;
	char			*path;
	char			*rule;
	char			*input;		/* the alert as one JSON line */
	size_t			 inputlen;
	char			**env;
	size_t			 nenv;

	uv_process_t		 proc;
	uv_pipe_t		 in, out, err;
	uv_timer_t		 timer;
	uv_write_t		 wreq;
	int			 open;		/* handles not yet closed */
	int			 exited;
	int			 killed;	/* 1: SIGTERM sent, 2: SIGKILL sent */
	uint64_t		 started_ms;
	size_t			 outbytes;	/* read and thrown away */
	char			 errkeep[ERR_KEEP + 1];
	size_t			 errlen;
	char			 rbuf[4096];	/* every read lands here and is discarded */
};

struct hook_runner {
	uv_loop_t		*loop;
	unsigned		 max_running;
	size_t			 max_queued;
	unsigned		 timeout;
	hook_done_cb		 cb;
	void			*arg;
	struct hook_job		*queue, *queue_tail;	/* not started yet */
	size_t			 nqueued;
	struct hook_job		*running;
	size_t			 nrunning;
	int			 closing;
	size_t			 dropped;	/* since the last log line about it */
};

static void	pump(struct hook_runner *);

static void
job_free(struct hook_job *j)
{
	size_t	i;

	for (i = 0; i < j->nenv; i++)
		free(j->env[i]);
	free(j->env);
	free(j->path);
	free(j->rule);
	free(j->input);
	free(j);
}

static void
maybe_free_runner(struct hook_runner *r)
{
	if (r->closing && r->nrunning == 0)
		free(r);
}

static void
unlink_running(struct hook_runner *r, struct hook_job *j)
{
	struct hook_job	**pp;

	for (pp = &r->running; *pp != NULL; pp = &(*pp)->next) {
		if (*pp == j) {
			*pp = j->next;
			r->nrunning--;
			return;
		}
	}
}

static void
close_cb(uv_handle_t *h)
{
	struct hook_job		*j = h->data;
	struct hook_runner	*r = j->r;

	uint64_t		 cookie = j->cookie;

	if (--j->open > 0)
		return;
	unlink_running(r, j);
	job_free(j);
	if (r->closing) {
		maybe_free_runner(r);
		return;
	}
	pump(r);
	/* Last: the callback may close the runner, which may free it. */
	r->cb(r->arg, cookie);
}

static void
close_handle(uv_handle_t *h)
{
	if (!uv_is_closing(h))
		uv_close(h, close_cb);
}

static void
close_all(struct hook_job *j)
{
	close_handle((uv_handle_t *)&j->proc);
	close_handle((uv_handle_t *)&j->in);
	close_handle((uv_handle_t *)&j->out);
	close_handle((uv_handle_t *)&j->err);
	close_handle((uv_handle_t *)&j->timer);
}

static void
exit_cb(uv_process_t *p, int64_t status, int signo)
{
	struct hook_job	*j = p->data;
	char		*err;
	uint64_t	 ms = uv_now(j->r->loop) - j->started_ms;

	j->exited = 1;
	j->errkeep[j->errlen] = '\0';
	err = str_oneline(j->errkeep);
	if (signo != 0)
		log_warnx("hook %s (rule %s, alert %llu): killed by signal %d after %llu ms%s%s%s",
		    j->path, j->rule, (unsigned long long)j->cookie, signo,
		    (unsigned long long)ms, j->killed ? " (over its time limit)" : "",
		    *err ? ": " : "", err);
	else if (status != 0)
		log_warnx("hook %s (rule %s, alert %llu): exit status %lld%s%s", j->path, j->rule,
		    (unsigned long long)j->cookie, (long long)status, *err ? ": " : "", err);
	else
		log_info("hook %s (rule %s, alert %llu): exit status 0 after %llu ms, %zu bytes "
		    "of output discarded", j->path, j->rule, (unsigned long long)j->cookie,
		    (unsigned long long)ms, j->outbytes + j->errlen);
	free(err);
	/* Pipes are closed now, whatever is left in them: a grandchild holding them open
	 * must not keep the job alive. */
	close_all(j);
}

static void
alloc_cb(uv_handle_t *h, size_t hint, uv_buf_t *b)
{
	struct hook_job	*j = h->data;

	(void)hint;
	*b = uv_buf_init(j->rbuf, sizeof(j->rbuf));
}

static void
read_cb(uv_stream_t *s, ssize_t n, const uv_buf_t *b)
{
	struct hook_job	*j = s->data;
	size_t		 k;

	if (n < 0) {
		uv_read_stop(s);
		return;
	}
	if (s == (uv_stream_t *)&j->err && j->errlen < ERR_KEEP) {
		k = (size_t)n < ERR_KEEP - j->errlen ? (size_t)n : ERR_KEEP - j->errlen;
		memcpy(j->errkeep + j->errlen, b->base, k);
		j->errlen += k;
		j->outbytes += (size_t)n - k;
	} else {
		j->outbytes += (size_t)n;
	}
}

static void
write_cb(uv_write_t *w, int status)
{
	struct hook_job	*j = w->data;

	/* EPIPE: the hook did not read its input. That is its business; its exit status says
	 * whether it worked. Closing stdin gives it EOF. */
	(void)status;
	close_handle((uv_handle_t *)&j->in);
}

static void
timer_cb(uv_timer_t *t)
{
	struct hook_job	*j = t->data;
	char		 span[32];

	if (j->exited)
		return;
	if (j->killed == 0 && !j->r->closing) {
		fmt_duration(j->r->timeout, span, sizeof(span));
		log_warnx("hook %s (rule %s, alert %llu): still running after %s: SIGTERM",
		    j->path, j->rule, (unsigned long long)j->cookie, span);
		j->killed = 1;
		uv_process_kill(&j->proc, SIGTERM);
		uv_timer_start(&j->timer, timer_cb, KILL_AFTER_MS, 0);
		return;
	}
	log_warnx("hook %s (rule %s, alert %llu): SIGKILL", j->path, j->rule,
	    (unsigned long long)j->cookie);
	j->killed = 2;
	uv_process_kill(&j->proc, SIGKILL);
}

static void
start(struct hook_runner *r, struct hook_job *j)
{
	uv_process_options_t	 o;
	uv_stdio_container_t	 stdio[3];
	char			*args[2];
	uv_buf_t		 b;
	int			 e;

	j->next = r->running;
	r->running = j;
	r->nrunning++;
	j->started_ms = uv_now(r->loop);
	uv_pipe_init(r->loop, &j->in, 0);
	uv_pipe_init(r->loop, &j->out, 0);
	uv_pipe_init(r->loop, &j->err, 0);
	uv_timer_init(r->loop, &j->timer);
	j->proc.data = j->in.data = j->out.data = j->err.data = j->timer.data = j;
	j->wreq.data = j;
	j->open = NHANDLES;

	memset(&o, 0, sizeof(o));
	args[0] = j->path;
	args[1] = NULL;
	o.file = j->path;
	o.args = args;
	o.env = j->env;
	o.exit_cb = exit_cb;
	stdio[0].flags = UV_CREATE_PIPE | UV_READABLE_PIPE;
	stdio[0].data.stream = (uv_stream_t *)&j->in;
	stdio[1].flags = UV_CREATE_PIPE | UV_WRITABLE_PIPE;
	stdio[1].data.stream = (uv_stream_t *)&j->out;
	stdio[2].flags = UV_CREATE_PIPE | UV_WRITABLE_PIPE;
	stdio[2].data.stream = (uv_stream_t *)&j->err;
	o.stdio = stdio;
	o.stdio_count = 3;
	if ((e = uv_spawn(r->loop, &j->proc, &o)) != 0) {
		/* libuv wants the process handle closed even when the spawn failed. */
		j->proc.data = j;
		log_warnx("hook %s (rule %s, alert %llu): cannot run it: %s", j->path, j->rule,
		    (unsigned long long)j->cookie, uv_strerror(e));
		j->exited = 1;
		close_all(j);
		return;
	}
	/* Pipes uv_spawn just opened for reading: uv_read_start cannot fail on them. */
	uv_read_start((uv_stream_t *)&j->out, alloc_cb, read_cb);
	uv_read_start((uv_stream_t *)&j->err, alloc_cb, read_cb);
	b = uv_buf_init(j->input, (unsigned)j->inputlen);
	if (uv_write(&j->wreq, (uv_stream_t *)&j->in, &b, 1, write_cb) != 0)
		close_handle((uv_handle_t *)&j->in);
	uv_timer_start(&j->timer, timer_cb, (uint64_t)r->timeout * 1000, 0);
}

static void
pump(struct hook_runner *r)
{
	struct hook_job	*j;

	while (!r->closing && r->queue != NULL && r->nrunning < r->max_running) {
		j = r->queue;
		r->queue = j->next;
		if (r->queue == NULL)
			r->queue_tail = NULL;
		r->nqueued--;
		j->next = NULL;
		start(r, j);
	}
}

struct hook_runner *
hook_runner_new(uv_loop_t *loop, unsigned max_running, size_t max_queued, unsigned timeout,
    hook_done_cb cb, void *arg)
{
	struct hook_runner	*r;

	/* A hook that exits before reading stdin makes our write fail with EPIPE; without this
	 * the SIGPIPE that comes with it would end the daemon. */
	signal(SIGPIPE, SIG_IGN);
	r = xcalloc(1, sizeof(*r));
	r->loop = loop;
	r->max_running = max_running ? max_running : 1;
	r->max_queued = max_queued;
	r->timeout = timeout ? timeout : 1;
	r->cb = cb;
	r->arg = arg;
	return r;
}

void
hook_runner_limits(struct hook_runner *r, unsigned max_running, unsigned timeout)
{
	r->max_running = max_running ? max_running : 1;
	r->timeout = timeout ? timeout : 1;
	pump(r);
}

static void
env_push(struct hook_job *j, size_t *cap, char *s)
{
	if (j->nenv + 2 > *cap) {
		*cap = *cap ? *cap * 2 : 32;
		j->env = xreallocarray(j->env, *cap, sizeof(*j->env));
	}
	j->env[j->nenv++] = s;
	j->env[j->nenv] = NULL;
}

/* NAME=value with value cut on a UTF-8 boundary and made one line. */
static char *
env_var(const char *name, const char *value)
{
	char	*v, *o, *r;
	size_t	 n;

	v = xstrdup(value ? value : "");
	if ((n = strlen(v)) > ENV_VALUE_MAX) {
		n = ENV_VALUE_MAX;
		while (n > 0 && ((unsigned char)v[n] & 0xc0) == 0x80)
			n--;
		v[n] = '\0';
	}
	o = str_oneline(v);
	r = xasprintf("%s=%s", name, o);
	free(v);
	free(o);
	return r;
}

static const char *
severity_name(int severity)
{
	return severity == 0 ? "low" : severity == 2 ? "critical" : "normal";
}

int
hook_run(struct hook_runner *r, const char *path, const struct alert *a, uint64_t cookie)
{
	struct hook_job	*j;
	struct buf	 b;
	size_t		 cap = 0;
	char		**e;

	if (r->closing)
		return -1;
	if (r->nrunning >= r->max_running && r->nqueued >= r->max_queued) {
		/* Logged for the first drop, then every 100, so a storm does not flood the log. */
		if (r->dropped++ % 100 == 0)
			log_warnx("hook %s (rule %s): %u running and %zu waiting: alert %llu not "
			    "handed to it (%zu dropped so far)", path, a->rule ? a->rule : "?",
			    r->max_running, r->nqueued, (unsigned long long)cookie, r->dropped);
		return -1;
	}
	buf_init(&b, 0);
	if (alert_format(a, ALERT_FORMAT_JSONL, &b) == -1) {
		log_warnx("hook %s: alert %llu does not fit in a record", path,
		    (unsigned long long)cookie);
		buf_free(&b);
		return -1;
	}
	j = xcalloc(1, sizeof(*j));
	j->r = r;
	j->cookie = cookie;
	j->path = xstrdup(path);
	j->rule = xstrdup(a->rule ? a->rule : "?");
	j->inputlen = b.len;
	j->input = buf_steal(&b);
	for (e = environ; e != NULL && *e != NULL; e++)
		if (strncmp(*e, "NEWSWATCH_", 10) != 0)
			env_push(j, &cap, xstrdup(*e));
	env_push(j, &cap, env_var("NEWSWATCH_RULE", a->rule));
	env_push(j, &cap, env_var("NEWSWATCH_SEVERITY", severity_name(a->severity)));
	env_push(j, &cap, env_var("NEWSWATCH_FEED", a->feed));
	env_push(j, &cap, env_var("NEWSWATCH_TITLE", a->title));
	env_push(j, &cap, env_var("NEWSWATCH_LINK", a->link));
	env_push(j, &cap, env_var("NEWSWATCH_TYPE", a->type == ALERT_SURGE ? "surge" : "item"));
	if (a->type == ALERT_SURGE) {
		env_push(j, &cap, xasprintf("NEWSWATCH_SURGE_COUNT=%u", a->surge.count));
		env_push(j, &cap, xasprintf("NEWSWATCH_SURGE_WINDOW=%u", a->surge.window));
		env_push(j, &cap, xasprintf("NEWSWATCH_SURGE_BASELINE=%.2f", a->surge.mean));
	}
	if (r->queue_tail != NULL)
		r->queue_tail->next = j;
	else
		r->queue = j;
	r->queue_tail = j;
	r->nqueued++;
	pump(r);
	return 0;
}

size_t
hook_busy(const struct hook_runner *r)
{
	return r->nrunning + r->nqueued;
}

void
hook_runner_close(struct hook_runner *r)
{
	struct hook_job	*j, *next;

	if (r == NULL)
		return;
	r->closing = 1;
	for (j = r->queue; j != NULL; j = next) {
		next = j->next;
		job_free(j);
	}
	r->queue = r->queue_tail = NULL;
	r->nqueued = 0;
	for (j = r->running; j != NULL; j = j->next) {
		if (j->exited)
			continue;
		uv_process_kill(&j->proc, SIGTERM);
		j->killed = 1;
		if (!uv_is_closing((uv_handle_t *)&j->timer))
			uv_timer_start(&j->timer, timer_cb, CLOSE_KILL_MS, 0);
	}
	maybe_free_runner(r);
}
