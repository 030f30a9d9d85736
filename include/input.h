/*
 * input.h: the feed parser's input stage. Raw document bytes in, bytes fit for the XML parser
 * out: UTF-16/32 decoded to UTF-8, invalid UTF-8 read as windows-1252, stray '&' escaped.
 * Byte work only: it does not include libxml2, and asks its caller (charset_cb) which charset
 * names the XML parser converts. parse.c is its user.
 */
#ifndef NW_INPUT_H
#define NW_INPUT_H

#include <stddef.h>

/* What the XML parser makes of a charset name (charset_cb's answer). */
enum input_charset {
	INPUT_CS_UNKNOWN,	/* no converter: the parser would read the bytes as UTF-8 */
	INPUT_CS_UTF8,
	INPUT_CS_ASCII,
	INPUT_CS_OTHER		/* one it converts to UTF-8 itself (ISO-8859-1, windows-1252, ...) */
};

/* The encoding of the bytes out, decided once, before the first of them. */
enum input_enc {
	INPUT_UTF8,	/* UTF-8 (after a UTF-8 BOM, if the document had one): ignore the declaration */
	INPUT_CHARSET,	/* the HTTP charset's, which beats the declaration; repaired UTF-8 when
			   charset_cb called it INPUT_CS_UTF8, else the document's bytes as they are */
	INPUT_DECLARED	/* the document's bytes, in the encoding its XML declaration names */
};

struct input_cb {
	/* Classifies a charset name: the HTTP charset and an XML declaration's encoding. */
	enum input_charset (*charset_cb)(void *arg, const char *name);
	/* Called once, before the first out_cb, with the encoding of every byte out. 0, or -1 to stop. */
	int	(*start_cb)(void *arg, enum input_enc);
	/*
	 * Bytes for the XML parser, in order (len may be 0); final on the last call, from
	 * input_finish. buf is valid during the call only. 0, or -1 to stop: every later
	 * input_feed and input_finish then returns -1 without calling back.
	 */
	int	(*out_cb)(void *arg, const char *buf, size_t len, int final);
};

/*
 * What it does, in order: the first four bytes pick UTF-16/32 (byte order mark, or the shape
 * of "<?"), decoded here to UTF-8 (lone surrogates become U+FFFD); then the encoding is
 * decided: a BOM, then the HTTP charset (RFC 7303), then the XML declaration (the first bytes
 * are held until it is read, at most about 1 KiB), then UTF-8. When that is UTF-8, each byte
 * that is not valid UTF-8 is read as windows-1252 (Latin-1 above 0x9F, U+FFFD for its five
 * undefined bytes). Last, unless the input is UTF-16/32 the XML parser converts, '&' that
 * cannot start a reference ("AT&T", "?a=1&b=2") becomes "&amp;" and "&#X41;" becomes "&#x41;",
 * outside CDATA sections and comments.
 *
 * Chunking: the bytes out, taken together, and the repair counts do not depend on how the
 * input was cut (an incomplete character, reference or marker waits for the next chunk); only
 * where out_cb's pieces begin and end does. Memory: what it holds between calls is at most the
 * XML declaration and a few bytes; scratch buffers grow to a few times the largest chunk.
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
void		 input_free(struct input *);
/* What windows-1252 means by byte c: c itself but for 0x80-0x9F; 0 for its five undefined bytes. */
unsigned	 input_cp1252(unsigned char c);

#endif
