/* cmd.h: the subcommands of the newswatch program; main.c dispatches to them. */
#ifndef NW_CMD_H
#define NW_CMD_H

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
/* cmd_places.c */
int	cmd_places(int argc, char **argv);
/* cmd_opml.c */
int	cmd_import_opml(int argc, char **argv);
int	cmd_export_opml(int argc, char **argv);

#endif
