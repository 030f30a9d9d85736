/* cmd_check.c: "newswatch check": loads the configuration, prints a summary or every error. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

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

int
cmd_check(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct conf	*conf;
	char		*path = NULL;
	int		 ch, status;

	/* main may have run getopt already: 0 makes glibc start afresh at argv[1]. */
	optind = 0;
	opterr = 1;
	while ((ch = getopt_long(argc, argv, "+c:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			free(path);
			path = xstrdup(optarg);
			break;
		case 'h':
			usage(stdout);
			free(path);
			return 0;
		default:
			usage(stderr);
			free(path);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "newswatch check: unexpected argument \"%s\"\n", argv[optind]);
		usage(stderr);
		free(path);
		return 2;
	}
	if (path == NULL)
		path = conf_default_path();

	if (conf_load(path, &conf, stderr) == -1) {
		fprintf(stderr, "newswatch check: %s is not valid\n", path);
		status = 1;
	} else {
		conf_print_summary(conf, stdout);
		printf("configuration OK\n");
		status = fflush(stdout) == 0 && !ferror(stdout) ? 0 : 1;
		conf_free(conf);
	}
	free(path);
	return status;
}
