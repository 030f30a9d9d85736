/*
 * input.h: the feed parser's input stage. Raw document bytes in, bytes fit for the XML parser
 * out: UTF-16/32 decoded to UTF-8, invalid UTF-8 read as windows-1252, stray '&' escaped.
 * Byte work only: it does not include libxml2, and asks its caller (charset_cb) which charset
 * names the XML parser converts. parse.c and article.c are its users.
 */
#ifndef NW_INPUT_H
#define NW_INPUT_H

#include <stddef.h>

/* What the XML parser makes of a charset name (charset_cb's answer). */
enum input_charset {
	INPUT_CS_UNKNOWN,	/* no converter: the parser reads such bytes as UTF-8 */
	INPUT_CS_UTF8,
	INPUT_CS_ASCII,
	INPUT_CS_OTHER		/* one it converts itself (ISO-8859-1, windows-1252, ...) */
};

/*
 * The encoding of the bytes out, decided once, before the first of them.
 * INPUT_UTF8: UTF-8, a UTF-8 BOM passed on (libxml2 skips it); the declaration must be ignored.
 * INPUT_CHARSET: the HTTP charset's, which beats the declaration: repaired UTF-8 when
 * charset_cb called it INPUT_CS_UTF8, else the document's bytes for the parser to convert.
 * INPUT_DECLARED: the document's bytes, in the encoding its XML declaration names.
 */
enum input_enc { INPUT_UTF8, INPUT_CHARSET, INPUT_DECLARED };

struct input_cb {
	/* Classifies a charset name: the HTTP charset and an XML declaration's encoding. */
	enum input_charset (*charset_cb)(void *arg, const char *name);
	/* Once, before the first out_cb: the encoding of every byte out. 0, or -1 to stop. */
	int	(*start_cb)(void *arg, enum input_enc);
	/*
	 * Bytes for the XML parser, in order (len may be 0); final on the last call, from
	 * input_finish. buf is valid during the call only. 0, or -1 to stop: every later
	 * input_feed and input_finish then returns -1 without calling back.
	 */
	int	(*out_cb)(void *arg, const char *buf, size_t len, int final);
};

/*
 * What goes in: the document's raw bytes, cut anyhow, and the HTTP charset (a hint that beats
 * the declaration). What it does, in order: the first four bytes pick UTF-16/32 (byte order
 * mark, or the shape of "<?"), decoded here to UTF-8 (a lone surrogate becomes U+FFFD; an odd
 * byte or a high surrogate at the very end is dropped); then the encoding is decided: a BOM,
 * then the HTTP charset, then the XML declaration, then UTF-8. When that is UTF-8, each byte
 * that is not valid UTF-8 is read as windows-1252 (Latin-1 above 0x9F, U+FFFD for its five
 * undefined bytes). Last, unless the HTTP charset names UTF-16/32 over bytes not shaped like
 * it (the parser converts those, and '&' is not one byte there), '&' that cannot start a
 * reference ("AT&T", "?a=1&b=2") becomes "&amp;" and "&#X41;" becomes "&#x41;", outside CDATA
 * sections and comments. Repairs counted (input_repairs; parse.c words them for
 * parser_repairs): each byte read as windows-1252, each '&' escaped or reference respelled.
 *
 * Chunking: the bytes out, taken together, and the repair counts are the same however the
 * input was cut (an incomplete character, reference or marker waits for the next chunk); only
 * where out_cb's pieces begin and end differs. Limits and memory: between calls it holds at
 * most the XML declaration being read (until "?>" or 1 KiB, plus the chunk that passes that)
 * and a few undecided bytes; scratch buffers grow to a few times the largest chunk. The stage
 * owns all of that; the caller owns the stage, from input_new to input_free.
 */

/* input.c */
/* A new input stage; charset (may be NULL) is the HTTP charset, copied. Never NULL. */
struct input	*input_new(const struct input_cb *, void *arg, const char *charset);
/*
 * Takes the next chunk of the document: 0, or -1 when it cannot go on (a callback said stop,
 * or a buffer would pass its SIZE_MAX / 4 cap); every later call then returns -1 too.
 */
int		 input_feed(struct input *, const char *buf, size_t len);
/* Ends the document: what was held goes out, with final set. 0, or -1 as input_feed. */
int		 input_finish(struct input *);
/* Repairs so far: bytes read as windows-1252, and '&' escaped or references respelled. */
void		 input_repairs(const struct input *, size_t *nbad, size_t *namp);
/* Input bytes held until the next call (an incomplete character, reference, the declaration). */
size_t		 input_buffered(const struct input *);
/* Frees the stage and all it holds; NULL is fine. */
void		 input_free(struct input *);
/* What windows-1252 means by byte c: c itself but for 0x80-0x9F; 0 for its five undefined bytes. */
unsigned	 input_cp1252(unsigned char c);

#endif
