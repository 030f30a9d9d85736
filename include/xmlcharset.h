/*
 * xmlcharset.h: what libxml2 makes of a charset name, for the input stage (input.h), which does
 * not include libxml2. Shared by its two users, the feed parser (parse.c) and the article
 * extractor (article.c).
 */
#ifndef NW_XMLCHARSET_H
#define NW_XMLCHARSET_H

#include "input.h"

/* xmlcharset.c */
/* input_cb's charset_cb: whether libxml2 converts name, and whether it is UTF-8 or ASCII. arg
 * is unused. */
enum input_charset	xmlcharset_cb(void *arg, const char *name);

#endif
