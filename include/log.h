/* log.h: diagnostics to stderr, with <N> priority prefixes when journald reads them. */
#ifndef NW_LOG_H
#define NW_LOG_H

#include <syslog.h>	/* LOG_ERR, LOG_WARNING, LOG_NOTICE, LOG_INFO, LOG_DEBUG */

/* log.c */
/* Sets verbosity (-1 quiet: errors only, 0 normal: notices and up, 1 verbose: debug) and detects
 * JOURNAL_STREAM. Safe to call again (for example after -v is parsed). */
void	log_init(int verbosity);
/* Logs at a priority. log_warn appends ": strerror(errno)" and keeps errno unchanged. */
void	log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void	log_warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void	log_notice(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void	log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void	log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Logs at LOG_ERR with strerror(errno) and exits 1: only for what cannot be recovered (out of
 * memory, util.h). */
void	fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

#endif
