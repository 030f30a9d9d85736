/* ini.h: splits an INI file into numbered lines of known kinds; no I/O beyond the FILE it is given. */
/*
 * The syntax is the one inih (r55, as Debian builds it) read for newswatch before, so every file
 * that loaded then reads the same now:
 * - Leading and trailing white space (ASCII only) is ignored; a UTF-8 byte order mark on line 1 too.
 * - A line whose first character is ";" or "#" is a comment; so is a blank line.
 * - An indented line after "key = value" is more of that key's value, until the next header (blank
 *   lines, comments and bad lines in between do not end it). This comes before the other rules: an
 *   indented "[x]" or "k = v" there is such a line too, and the caller decides what it means.
 * - "[text]" is a section header. The header ends at the first "]"; after it only white space or a
 *   ";" or "#" comment may follow.
 * - Otherwise the line is "key = value" (or "key: value"): the key ends at the first "=" or ":".
 * - In headers, keys, values and continuation lines a comment starts at " ;" (";" after white
 *   space); "#" starts a comment only at the start of a line.
 * There is no quoting and no escaping. Nothing is global: readers on several threads are fine.
 */
#ifndef NW_INI_H
#define NW_INI_H

#include <stddef.h>
#include <stdio.h>

enum ini_kind {
	INI_EMPTY,	/* a blank line or a comment */
	INI_SECTION,	/* "[name]"; name NULL if the header is broken (error says why) */
	INI_KEY,	/* "key = value" */
	INI_MORE,	/* an indented line after a key: more of that key's value */
	INI_ERROR	/* none of these (error says why); it does not end a key's value */
};

/* One line. The strings live in the reader and are valid until the next ini_next. */
struct ini_line {
	int		 lineno;	/* 1 for the first line */
	enum ini_kind	 kind;
	const char	*name;	/* INI_SECTION: the text between the brackets, untrimmed */
	const char	*key;	/* INI_KEY: trimmed; INI_MORE: the key it continues */
	const char	*value;	/* INI_KEY, INI_MORE: trimmed, the " ;" comment removed */
	const char	*error;	/* INI_ERROR, a broken INI_SECTION; or text after a good header */
};

struct ini {
	FILE		*fp;
	size_t		 max;	/* longest line accepted, newline not counted */
	char		*buf;	/* max + 2 bytes: the line being read */
	char		*key;	/* max + 1 bytes: the key continuation lines belong to, "" if none */
	int		 lineno;
	char		 msg[64];	/* a message that has a number in it */
};

/* ini.c */
/* Starts reading fp (the caller's: it opens and closes it); lines longer than max bytes are
 * INI_ERROR. Out of memory is fatal (util.h). */
void		 ini_init(struct ini *, FILE *fp, size_t max);
/* Reads the next line into *line: 1; 0 at the end of the file; -1 on a read error (errno). */
int		 ini_next(struct ini *, struct ini_line *line);
/* Frees what ini_init allocated (not fp). */
void		 ini_free(struct ini *);

#endif
