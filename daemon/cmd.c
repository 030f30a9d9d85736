/* cmd.c: what the subcommands share: the --config and --help options, and loading the configuration. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cmd.h"
#include "conf.h"
#include "util.h"

int
cmd_getopt(struct cmd_opts *o, int argc, char **argv, const char *optstring,
    const struct option *longopts)
{
	int	 ch;

	if (!o->started) {
		/* main may have run getopt already (and a test runs a subcommand many times in
		 * one process): 0 makes glibc start afresh at argv[1]. */
		optind = 0;
		opterr = 1;
		o->started = 1;
		o->status = -1;
	}
	while ((ch = getopt_long(argc, argv, optstring, longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			free(o->config);
			o->config = xstrdup(optarg);
			break;
		case 'h':
			o->usage(stdout);
			o->status = 0;
			return -1;
		case '?':
		case ':':
			o->usage(stderr);
			o->status = 2;
			return -1;
		default:
			return ch;
		}
	}
	return -1;
}

int
cmd_conf_load(struct cmd_opts *o, struct conf **conf)
{
	if (o->config == NULL)
		o->config = conf_default_path();
	return conf_load(o->config, conf, stderr);
}

int
cmd_opts_end(struct cmd_opts *o, int status)
{
	free(o->config);
	o->config = NULL;
	return status;
}
