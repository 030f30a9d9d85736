/* cmd_check.c: "newswatch check": loads the configuration, prints a summary or every error. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"
#include "conf.h"
#include "util.h"

static void
usage(FILE *fp)
{
	fprintf(fp, "usage: newswatch check [--config FILE]\n"
	    "Checks the configuration (default: $XDG_CONFIG_HOME/newswatch/newswatch.conf)\n"
	    "and prints a summary; exit status 0 if it is valid, 1 if not, 2 on a usage error.\n");
}

/*
 * Whether the daemon will be able to create files in dir: by trying, since access(2) says yes to
 * root for read-only directories, and permissions are not the only reason a write fails (a
 * read-only mount, ACLs). A missing directory is tried by making and removing a scratch directory
 * in its nearest existing ancestor, so check itself creates nothing. Prints one line on stdout
 * when it will work and one on stderr when it will not: 0 or -1.
 */
static int
check_dir(const char *what, const char *dir)
{
	struct stat	 st;
	char		*anc, *tmp, *slash;
	int		 fd, err;

	if (stat(dir, &st) == 0) {
		if (!S_ISDIR(st.st_mode)) {
			fprintf(stderr, "newswatch check: %s %s: not a directory\n", what, dir);
			return -1;
		}
		tmp = xasprintf("%s/.newswatch-check-XXXXXX", dir);
		if ((fd = mkstemp(tmp)) == -1) {
			fprintf(stderr, "newswatch check: %s %s: cannot write in it: %s\n", what, dir,
			    strerror(errno));
			free(tmp);
			return -1;
		}
		/* The probe answered; an empty file left behind would be harmless. */
		close(fd);
		unlink(tmp);
		free(tmp);
		printf("%s %s: writable\n", what, dir);
		return 0;
	}
	if (errno != ENOENT) {
		fprintf(stderr, "newswatch check: %s %s: %s\n", what, dir, strerror(errno));
		return -1;
	}
	/* The nearest ancestor that exists; paths are absolute, so "/" ends the walk. */
	anc = xstrdup(dir);
	do {
		if ((slash = strrchr(anc, '/')) == NULL)
			break;
		slash[slash == anc] = '\0';
	} while (stat(anc, &st) == -1 && errno == ENOENT && strcmp(anc, "/") != 0);
	tmp = xasprintf("%s%s.newswatch-check-XXXXXX", anc, strcmp(anc, "/") == 0 ? "" : "/");
	if (mkdtemp(tmp) == NULL) {
		err = errno;
		fprintf(stderr, "newswatch check: %s %s: cannot create it in %s: %s\n", what, dir,
		    anc, strerror(err));
		free(tmp);
		free(anc);
		return -1;
	}
	rmdir(tmp);
	printf("%s %s: does not exist yet; it can be created in %s\n", what, dir, anc);
	free(tmp);
	free(anc);
	return 0;
}

/* The alert log, if it exists already: a regular file the daemon can append to. */
static int
check_log(const char *path)
{
	struct stat	 st;
	int		 fd;

	if (stat(path, &st) == -1 || !S_ISREG(st.st_mode))
		return 0;	/* created later, or a device the user chose */
	if ((fd = open(path, O_WRONLY | O_APPEND | O_NOCTTY | O_CLOEXEC)) == -1) {
		fprintf(stderr, "newswatch check: alert log %s: cannot write it: %s\n", path,
		    strerror(errno));
		return -1;
	}
	close(fd);
	printf("alert log %s: writable\n", path);
	return 0;
}

/* The state directory and the alert log's directory (once if they are the same). */
static int
check_writable(const struct conf *conf)
{
	const char	*slash = strrchr(conf->alert_log, '/');
	char		*logdir;
	int		 r = 0;

	logdir = slash == conf->alert_log ? xstrdup("/") :
	    xstrndup(conf->alert_log, (size_t)(slash - conf->alert_log));
	if (check_dir("state directory", conf->state_dir) == -1)
		r = -1;
	if (strcmp(logdir, conf->state_dir) != 0 && check_dir("alert log directory", logdir) == -1)
		r = -1;
	if (check_log(conf->alert_log) == -1)
		r = -1;
	free(logdir);
	return r;
}

int
cmd_check(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct cmd_opts	 o = { .usage = usage };
	struct conf	*conf;
	int		 status;

	while (cmd_getopt(&o, argc, argv, "+c:h", longopts) != -1)
		;	/* no options of its own */
	if (o.status != -1)
		return cmd_opts_end(&o, o.status);
	if (optind < argc) {
		fprintf(stderr, "newswatch check: unexpected argument \"%s\"\n", argv[optind]);
		usage(stderr);
		return cmd_opts_end(&o, 2);
	}
	if (cmd_conf_load(&o, &conf) == -1) {
		/* A missing file was explained already; "not valid" would mislead. */
		if (access(o.config, F_OK) == 0)
			fprintf(stderr, "newswatch check: %s is not valid\n", o.config);
		status = 1;
	} else {
		conf_print_summary(conf, stdout);
		conf_print_builtins(conf, stdout);
		/* Before any error on stderr, for a reader of both; a write error stays in
		 * ferror(stdout), which the end checks. */
		fflush(stdout);
		if (check_writable(conf) == -1) {
			fprintf(stderr, "newswatch check: %s is valid, but the daemon could not "
			    "write its state or alerts\n", o.config);
			status = 1;
		} else {
			printf("configuration OK\n");
			status = 0;
		}
		if (fflush(stdout) != 0 || ferror(stdout))
			status = 1;
		conf_free(conf);
	}
	return cmd_opts_end(&o, status);
}
