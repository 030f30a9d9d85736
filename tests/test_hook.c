/* test_hook.c: the exec hook runner on a real libuv loop, with small /bin/sh hooks in a scratch directory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <uv.h>

#include "hook.h"
#include "util.h"

struct fx {
	char		 tmp[64];
	uv_loop_t	 loop;
	uint64_t	 done[16];
	size_t		 ndone;
};

static void
done_cb(void *arg, uint64_t cookie)
{
	struct fx	*f = arg;

	if (f->ndone < 16)
		f->done[f->ndone++] = cookie;
}

static int
setup(void **state)
{
	struct fx	*f = xcalloc(1, sizeof(*f));

	snprintf(f->tmp, sizeof(f->tmp), "/tmp/test_hook.XXXXXX");
	if (mkdtemp(f->tmp) == NULL || uv_loop_init(&f->loop) != 0)
		return -1;
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx	*f = *state;
	char		*cmd = xasprintf("rm -rf %s", f->tmp);

	assert_int_equal(system(cmd), 0);
	free(cmd);
	/* Every handle the runner made is closed: the loop closes cleanly. */
	assert_int_equal(uv_loop_close(&f->loop), 0);
	free(f);
	return 0;
}

/* Writes an executable script dir/name with body after #!/bin/sh; returns its path. */
static char *
script(struct fx *f, const char *name, const char *body)
{
	char	*path = xasprintf("%s/%s", f->tmp, name);
	FILE	*fp = fopen(path, "w");

	assert_non_null(fp);
	fprintf(fp, "#!/bin/sh\nd=%s\n%s\n", f->tmp, body);
	fclose(fp);
	assert_int_equal(chmod(path, 0755), 0);
	return path;
}

static char *
slurp(const char *path)
{
	FILE	*fp = fopen(path, "r");
	char	 buf[8192];
	size_t	 n;

	if (fp == NULL)
		return NULL;
	n = fread(buf, 1, sizeof(buf) - 1, fp);
	fclose(fp);
	buf[n] = '\0';
	return xstrdup(buf);
}

static void
sample(struct alert *a)
{
	memset(a, 0, sizeof(*a));
	a->time = 1733407380;
	a->rule = "hezbollah-in-syria";
	a->severity = 2;
	a->feed = "bbc";
	a->title = "Hezbollah near Homs";
	a->link = "http://news.example/1";
}

static void
hook__runs_with_alert_json_on_stdin_and_env(void **state)
{
	struct fx		*f = *state;
	struct hook_runner	*r;
	struct alert		 a;
	char			*path, *got, *p;

	path = script(f, "h", "cat > $d/in; echo \"$NEWSWATCH_RULE|$NEWSWATCH_SEVERITY|"
	    "$NEWSWATCH_FEED|$NEWSWATCH_TITLE|$NEWSWATCH_LINK\" > $d/env");
	r = hook_runner_new(&f->loop, 2, 8, 10, done_cb, f);
	sample(&a);
	assert_int_equal(hook_run(r, path, &a, 42), 0);
	uv_run(&f->loop, UV_RUN_DEFAULT);
	assert_int_equal(f->ndone, 1);
	assert_int_equal(f->done[0], 42);
	p = xasprintf("%s/in", f->tmp);
	got = slurp(p);
	assert_non_null(got);
	assert_non_null(strstr(got, "{\"time\":\"2024-12-05T14:03:00Z\",\"rule\":\"hezbollah-in-syria\""));
	assert_int_equal(got[strlen(got) - 1], '\n');
	free(got);
	free(p);
	p = xasprintf("%s/env", f->tmp);
	got = slurp(p);
	assert_string_equal(got, "hezbollah-in-syria|critical|bbc|Hezbollah near Homs|"
	    "http://news.example/1\n");
	free(got);
	free(p);
	hook_runner_close(r);
	uv_run(&f->loop, UV_RUN_DEFAULT);
	free(path);
}

static void
hook__more_than_max_running__waits_then_queue_overflow_drops(void **state)
{
	struct fx		*f = *state;
	struct hook_runner	*r;
	struct alert		 a;
	char			*path;
	int			 i;

	path = script(f, "h", "sleep 0.2");
	r = hook_runner_new(&f->loop, 1, 2, 10, done_cb, f);
	sample(&a);
	for (i = 1; i <= 3; i++)
		assert_int_equal(hook_run(r, path, &a, (uint64_t)i), 0);
	/* One running, two waiting: the fourth is dropped. */
	assert_int_equal(hook_busy(r), 3);
	assert_int_equal(hook_run(r, path, &a, 4), -1);
	uv_run(&f->loop, UV_RUN_DEFAULT);
	assert_int_equal(f->ndone, 3);
	assert_int_equal(f->done[0], 1);
	assert_int_equal(f->done[2], 3);
	hook_runner_close(r);
	uv_run(&f->loop, UV_RUN_DEFAULT);
	free(path);
}

static void
hook__hanging__killed_after_timeout(void **state)
{
	struct fx		*f = *state;
	struct hook_runner	*r;
	struct alert		 a;
	char			*path;
	uint64_t		 t0;

	path = script(f, "h", "trap '' TERM; sleep 30");
	r = hook_runner_new(&f->loop, 1, 1, 1, done_cb, f);
	sample(&a);
	t0 = uv_hrtime();
	assert_int_equal(hook_run(r, path, &a, 7), 0);
	uv_run(&f->loop, UV_RUN_DEFAULT);
	assert_int_equal(f->ndone, 1);
	/* 1 s, SIGTERM ignored, SIGKILL 5 s later. */
	assert_true((uv_hrtime() - t0) / 1000000 < 9000);
	hook_runner_close(r);
	uv_run(&f->loop, UV_RUN_DEFAULT);
	free(path);
}

static void
hook__flooding_output__is_drained_and_finishes(void **state)
{
	struct fx		*f = *state;
	struct hook_runner	*r;
	struct alert		 a;
	char			*path, *p;

	path = script(f, "h", "head -c 20000000 /dev/zero; head -c 2000000 /dev/zero >&2; "
	    "touch $d/finished");
	r = hook_runner_new(&f->loop, 1, 1, 20, done_cb, f);
	sample(&a);
	assert_int_equal(hook_run(r, path, &a, 9), 0);
	uv_run(&f->loop, UV_RUN_DEFAULT);
	assert_int_equal(f->ndone, 1);
	p = xasprintf("%s/finished", f->tmp);
	assert_int_equal(access(p, F_OK), 0);
	free(p);
	hook_runner_close(r);
	uv_run(&f->loop, UV_RUN_DEFAULT);
	free(path);
}

static void
hook__missing_program__reported_done_without_hanging(void **state)
{
	struct fx		*f = *state;
	struct hook_runner	*r;
	struct alert		 a;

	r = hook_runner_new(&f->loop, 1, 1, 5, done_cb, f);
	sample(&a);
	assert_int_equal(hook_run(r, "/nonexistent/hook", &a, 5), 0);
	uv_run(&f->loop, UV_RUN_DEFAULT);
	assert_int_equal(f->ndone, 1);
	hook_runner_close(r);
	uv_run(&f->loop, UV_RUN_DEFAULT);
}

static void
hook__closed_while_running__no_done_callback(void **state)
{
	struct fx		*f = *state;
	struct hook_runner	*r;
	struct alert		 a;
	char			*path;

	path = script(f, "h", "sleep 30");
	r = hook_runner_new(&f->loop, 1, 4, 60, done_cb, f);
	sample(&a);
	assert_int_equal(hook_run(r, path, &a, 1), 0);
	assert_int_equal(hook_run(r, path, &a, 2), 0);
	uv_run(&f->loop, UV_RUN_NOWAIT);
	hook_runner_close(r);
	uv_run(&f->loop, UV_RUN_DEFAULT);
	/* Not done: the outbox keeps them for the next start. */
	assert_int_equal(f->ndone, 0);
	free(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(hook__runs_with_alert_json_on_stdin_and_env, setup, teardown),
		cmocka_unit_test_setup_teardown(hook__more_than_max_running__waits_then_queue_overflow_drops, setup, teardown),
		cmocka_unit_test_setup_teardown(hook__hanging__killed_after_timeout, setup, teardown),
		cmocka_unit_test_setup_teardown(hook__flooding_output__is_drained_and_finishes, setup, teardown),
		cmocka_unit_test_setup_teardown(hook__missing_program__reported_done_without_hanging, setup, teardown),
		cmocka_unit_test_setup_teardown(hook__closed_while_running__no_done_callback, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
