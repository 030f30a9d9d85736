/* cmd_target.c: "newswatch test-target NAME": sends one sample alert to a target, once. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <uv.h>

#include "cmd.h"
#include "conf.h"
#include "log.h"
#include "target.h"
#include "util.h"

/* How long past the transfer timeout the command waits for an answer (an MQTT connect that
 * hangs is not bounded by the transfer timeout). */
#define GRACE_MS	5000

struct test_run {
	struct targets	*ts;
	uv_timer_t	 timer;
	const char	*name;
	int		 done;
	int		 ok;
};

static void
usage(FILE *fp)
{
	fprintf(fp, "usage: newswatch test-target [--config FILE] NAME\n"
	    "Sends one sample alert to the target [target NAME], as the daemon would (signature,\n"
	    "key, format), without retrying and without the state database. Exit status 0 when\n"
	    "the target accepted it, 1 when not (the reason is printed), 2 on a usage error.\n");
}

static void
finish(struct test_run *tr)
{
	targets_stop(tr->ts);
	uv_close((uv_handle_t *)&tr->timer, NULL);
}

static void
answered_cb(void *arg, int ok, const char *error)
{
	struct test_run	*tr = arg;

	if (tr->done)
		return;
	tr->done = 1;
	tr->ok = ok;
	if (ok)
		printf("target %s: the sample alert was accepted\n", tr->name);
	else
		fprintf(stderr, "newswatch test-target: target %s: %s\n", tr->name, error);
	finish(tr);
}

static void
timeout_cb(uv_timer_t *t)
{
	struct test_run	*tr = t->data;

	if (tr->done)
		return;
	tr->done = 1;
	fprintf(stderr, "newswatch test-target: target %s: no answer in time\n", tr->name);
	finish(tr);
}

int
cmd_test_target(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct cmd_opts	 o = { .usage = usage };
	struct conf	*conf;
	struct test_run	 tr;
	struct alert	 a;
	uv_loop_t	 loop;
	char		*title;

	while (cmd_getopt(&o, argc, argv, "+c:h", longopts) != -1)
		;	/* no options of its own */
	if (o.status != -1)
		return cmd_opts_end(&o, o.status);
	if (optind + 1 != argc) {
		usage(stderr);
		return cmd_opts_end(&o, 2);
	}
	if (cmd_conf_load(&o, &conf) == -1) {
		fprintf(stderr, "newswatch test-target: %s is not valid\n", o.config);
		return cmd_opts_end(&o, 1);
	}
	cmd_opts_end(&o, 0);
	memset(&tr, 0, sizeof(tr));
	tr.name = argv[optind];
	if (conf_target_find(conf, tr.name) == NULL) {
		fprintf(stderr, "newswatch test-target: no [target %s] in %s\n", tr.name, conf->path);
		conf_free(conf);
		return 1;
	}
	memset(&a, 0, sizeof(a));
	/* A negative id: its key, "newswatch-test-...", never meets a real alert's. */
	a.id = -(int64_t)time(NULL);
	a.time = time(NULL);
	a.rule = "test-target";
	a.severity = SEV_NORMAL;
	a.feed = "newswatch";
	title = xasprintf("newswatch test alert for target %s", tr.name);
	a.title = title;
	a.link = NW_PROJECT_URL;
	uv_loop_init(&loop);
	tr.ts = targets_new(&loop, NULL, conf, NULL, NULL);
	uv_timer_init(&loop, &tr.timer);
	tr.timer.data = &tr;
	uv_timer_start(&tr.timer, timeout_cb, (uint64_t)conf->timeout * 1000 + GRACE_MS, 0);
	targets_send_test(tr.ts, tr.name, &a, answered_cb, &tr);
	uv_run(&loop, UV_RUN_DEFAULT);
	targets_free(tr.ts);
	uv_loop_close(&loop);
	free(title);
	conf_free(conf);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		log_warn("test-target: writing the output");
		return 1;
	}
	return tr.ok ? 0 : 1;
}
