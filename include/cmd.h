/* cmd.h: the subcommands of the newswatch program; main.c dispatches to them. */
#ifndef NW_CMD_H
#define NW_CMD_H

#include <stdio.h>

struct conf;
struct option;

/*
 * What the subcommands share (cmd.c). A subcommand reads its options with cmd_getopt, which
 * takes --config FILE (-c) and --help (-h) itself, then loads the configuration with
 * cmd_conf_load, and returns through cmd_opts_end.
 */
struct cmd_opts {
	void	(*usage)(FILE *);	/* the subcommand's usage text, to stdout or stderr */
	char	*config;	/* --config, or NULL; after cmd_conf_load, the path it loaded */
	int	 status;	/* -1, or the exit status once cmd_getopt has ended the command */
	int	 started;	/* 0 before the first cmd_getopt */
};

/*
 * getopt_long over argv with the subcommand's optstring and longopts (which name 'c' and 'h'):
 * returns the next option that is the subcommand's own, or -1 when there are no more or the
 * command is over: --help printed the usage to stdout (o->status 0), or a bad option printed
 * the usage to stderr after getopt's message (o->status 2). optind is then as getopt left it.
 */
int	cmd_getopt(struct cmd_opts *, int argc, char **argv, const char *optstring,
	    const struct option *longopts);
/* Loads --config, or the default configuration (conf_default_path): conf_load's 0 or -1, with
 * every error printed on stderr; o->config names the file either way. */
int	cmd_conf_load(struct cmd_opts *, struct conf **);
/* Frees what cmd_getopt kept and returns status, for "return cmd_opts_end(&o, status)". */
int	cmd_opts_end(struct cmd_opts *, int status);

/* Each takes the arguments after the subcommand name (argv[0] is the subcommand) and returns
 * the process exit status. */

/* cmd_run.c */
int	cmd_run(int argc, char **argv);
/* cmd_check.c */
int	cmd_check(int argc, char **argv);
/* cmd_match.c */
int	cmd_match(int argc, char **argv);
/* cmd_parse.c */
int	cmd_parse(int argc, char **argv);
/* cmd_replay.c */
int	cmd_replay(int argc, char **argv);
/* cmd_tail.c */
int	cmd_tail(int argc, char **argv);
/* cmd_status.c */
int	cmd_status(int argc, char **argv);
/* cmd_article.c */
int	cmd_article(int argc, char **argv);
/* cmd_trends.c */
int	cmd_trends(int argc, char **argv);
/* cmd_places.c */
int	cmd_places(int argc, char **argv);
/* cmd_target.c */
int	cmd_test_target(int argc, char **argv);
/* cmd_opml.c */
int	cmd_import_opml(int argc, char **argv);
int	cmd_export_opml(int argc, char **argv);

#endif
