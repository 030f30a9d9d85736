/* main.c: the newswatch program: global options and the subcommand dispatch. */
#include <stdio.h>
#include <string.h>

#include "cmd.h"

static const struct command {
	const char	*name;
	int		(*fn)(int, char **);
	const char	*help;
} commands[] = {
	{ "run",	cmd_run,	"run the daemon in the foreground (--once: poll each feed once)" },
	{ "check",	cmd_check,	"check the configuration and summarise it" },
	{ "status",	cmd_status,	"print each feed's health from the state database" },
	{ "match",	cmd_match,	"run the rules over local feed or text files" },
	{ "parse",	cmd_parse,	"print what the feed parser extracts from a file" },
	{ "article",	cmd_article,	"print the main text extracted from an HTML page (URL or file)" },
	{ "replay",	cmd_replay,	"print what the current rules would have alerted on stored items" },
	{ "tail",	cmd_tail,	"print the latest alerts; -f follows the alert log" },
	{ "trends",	cmd_trends,	"stories per hour per actor and place, sparklines and surges" },
	{ "places",	cmd_places,	"show a built-in place or actor: names, parents, contents" },
	{ "test-target", cmd_test_target, "send one sample alert to a push target" },
	{ "import-opml", cmd_import_opml, "add the feeds of an OPML file to the configuration" },
	{ "export-opml", cmd_export_opml, "write the configured feeds as OPML on stdout" },
};

static void
usage(FILE *f)
{
	size_t	i;

	fprintf(f, "usage: newswatch [--help] [--version] COMMAND [ARGS]\n\ncommands:\n");
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-12s %s\n", commands[i].name, commands[i].help);
	fprintf(f, "\nThe configuration defaults to $XDG_CONFIG_HOME/newswatch/newswatch.conf.\n"
	    "Run 'newswatch COMMAND --help' for a command's options.\n");
}

int
main(int argc, char **argv)
{
	size_t	i;

	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
		printf("newswatch %s\n", NW_VERSION);
		return 0;
	}
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "newswatch: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return 2;
}
