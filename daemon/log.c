/* log.c: diagnostics to stderr, prefixed with <N> syslog priorities when journald reads stderr. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "log.h"

static int	log_verbosity;
static int	log_journal;	/* 1 when stderr is the journal stream */

/*
 * systemd sets JOURNAL_STREAM to "device:inode" of the stream it connected to stderr; only when
 * they match our stderr is the journal really reading (a child may inherit the variable).
 */
static int
journal_is_stderr(void)
{
	const char	*e = getenv("JOURNAL_STREAM");
	unsigned long	 dev, ino;
	struct stat	 st;

	if (e == NULL || sscanf(e, "%lu:%lu", &dev, &ino) != 2)
		return 0;
	if (fstat(2, &st) == -1)
		return 0;
	return (unsigned long)st.st_dev == dev && (unsigned long)st.st_ino == ino;
}

void
log_init(int verbosity)
{
	log_verbosity = verbosity;
	log_journal = journal_is_stderr();
}

static void
vlog(int pri, const char *fmt, va_list ap, const char *suffix)
{
	char	msg[2048];

	if (pri == LOG_DEBUG && log_verbosity < 1)
		return;
	if (pri == LOG_INFO && log_verbosity < 1)
		return;
	if (pri > LOG_WARNING && log_verbosity < 0)
		return;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	/* Diagnostics have nowhere else to go: a failed write to stderr is not reported. */
	if (log_journal)
		fprintf(stderr, "<%d>%s%s%s\n", pri, msg, suffix ? ": " : "", suffix ? suffix : "");
	else
		fprintf(stderr, "newswatch: %s%s%s\n", msg, suffix ? ": " : "", suffix ? suffix : "");
	fflush(stderr);
}

void
log_warn(const char *fmt, ...)
{
	va_list	ap;
	int	saved = errno;

	va_start(ap, fmt);
	vlog(LOG_WARNING, fmt, ap, strerror(saved));
	va_end(ap);
	errno = saved;
}

#define LOG_FN(fn, pri)					\
void							\
fn(const char *fmt, ...)				\
{							\
	va_list	ap;					\
	int	saved = errno;				\
							\
	va_start(ap, fmt);				\
	vlog(pri, fmt, ap, NULL);			\
	va_end(ap);					\
	errno = saved;					\
}

LOG_FN(log_warnx, LOG_WARNING)
LOG_FN(log_notice, LOG_NOTICE)
LOG_FN(log_info, LOG_INFO)
LOG_FN(log_debug, LOG_DEBUG)

void
fatal(const char *fmt, ...)
{
	va_list	ap;
	int	saved = errno;

	va_start(ap, fmt);
	vlog(LOG_ERR, fmt, ap, strerror(saved));
	va_end(ap);
	exit(1);
}
