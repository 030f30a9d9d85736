/* text.h: HTML to plain text, and the HTML named-entity table. No I/O, no external library. */
#ifndef NW_TEXT_H
#define NW_TEXT_H

#include <stddef.h>

/* text.c */
/*
 * Converts an HTML fragment to plain text: tags removed, block tags (p, br, div, li, h1-6, tr, ...)
 * become line breaks, script and style dropped with their content, character references and named
 * entities decoded, runs of white space collapsed (line breaks kept single), ends trimmed.
 * Reads at most len bytes; output is at most max bytes (cut on a UTF-8 boundary). Never NULL.
 */
char	*text_from_html(const char *html, size_t len, size_t max);
/* Plain text (not HTML) cleaned the same way: white space collapsed, ends trimmed. Never NULL. */
char	*text_from_plain(const char *s, size_t len, size_t max);
/*
 * Looks up an HTML named entity (name without '&' and ';', e.g. "eacute"). Writes its UTF-8
 * encoding, NUL-terminated, to out and returns its length, or 0 if unknown.
 */
size_t	 text_entity_lookup(const char *name, size_t namelen, char out[8]);
/* The i-th name of the entity table in its (sorted) order, NULL past the end; for tests. */
const char *text_entity_name(size_t i);

#endif
