/* util.h: small shared helpers: checked allocation, bounded buffers, JSON strings, times, paths. */
/*
 * Out of memory, one convention for the whole program: it is fatal. Every allocation goes
 * through the x* helpers below, which call fatal() (log once, exit 1) when malloc fails, so no
 * function returns an error for it and no caller checks for one. Nothing could recover
 * meaningfully: the daemon would only lose the item, the alert or the state write it was making
 * and fail again on the next. What input can make large is a different matter: every buffer fed
 * from a feed, a file or a hook has a hard cap (struct buf's max, the fetch and parse limits), and
 * reaching it is an ordinary error, returned as -1 and logged with its context where it is found.
 * Only memory that a library allocates for itself (libxml2, libcurl, SQLite) comes back as that
 * library's error, and is handled like any other error of it.
 */
#ifndef NW_UTIL_H
#define NW_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* util.c */
/* Allocation that cannot fail: on out-of-memory they call fatal(). Like OpenBSD's xmalloc. */
void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xreallocarray(void *, size_t, size_t);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);
/* Formats into a fresh string; fatal() on out-of-memory. */
char	*xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char	*xvasprintf(const char *fmt, va_list) __attribute__((format(printf, 1, 0)));
/* a, b and c joined in a fresh string: for keys built per item, where vasprintf's stream setup
 * cost more than the copying. */
char	*xstrcat3(const char *a, const char *b, const char *c);

/*
 * A growable byte buffer with a hard cap. data is always NUL-terminated (when non-NULL) so it can
 * be used as a C string. On a failed append (cap reached) the buffer keeps what it had: a piece
 * that does not fit is left out whole, never half-written. That is why code that builds text
 * from many pieces may ignore each append's result, when it checks the total once at the end
 * or its cap is far above anything it writes.
 */
struct buf {
	char	*data;
	size_t	 len;
	size_t	 cap;	/* allocated bytes */
	size_t	 max;	/* hard cap on len; 0 means BUF_DEFAULT_MAX */
};
#define BUF_DEFAULT_MAX	(64u * 1024 * 1024)

void	buf_init(struct buf *, size_t max);
/* Appends n bytes: 0, or -1 when len would exceed max (nothing appended). */
int	buf_append(struct buf *, const void *p, size_t n);
int	buf_puts(struct buf *, const char *s);
int	buf_putc(struct buf *, char c);
int	buf_printf(struct buf *, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends code point cp as UTF-8; a surrogate or a value above U+10FFFF becomes U+FFFD. */
int	buf_put_utf8(struct buf *, unsigned cp);
/* Length of the valid UTF-8 sequence at s (1-4, at most left bytes), or 0 if it is not one. */
size_t	utf8_seq(const unsigned char *s, size_t left);
/* The same, and its code point in *cp (not set when 0 is returned). */
size_t	utf8_decode(const unsigned char *s, size_t left, uint32_t *cp);
/* A copy of s[0, len) with bytes that are not UTF-8 replaced by U+FFFD; *replaced (may be NULL)
 * says whether any were. */
char	*str_utf8(const char *s, size_t len, int *replaced);
/* Appends s as a JSON string literal, quotes included; invalid UTF-8 becomes U+FFFD. NULL gives null. */
int	buf_json_string(struct buf *, const char *s);
void	buf_reset(struct buf *);	/* len = 0, keeps memory */
void	buf_free(struct buf *);		/* frees memory, back to the initial state */
/* Takes the string out of the buffer (caller frees); the buffer is left empty. Never NULL. */
char	*buf_steal(struct buf *);

/* The charset parameter of a Content-Type value ("text/html; charset=UTF-8"), or NULL. Caller frees. */
char	*http_charset(const char *content_type);

/* Formats t as 2024-12-05T14:03:00Z into out (at least 21 bytes). */
void	time_iso8601(time_t t, char out[21]);
/* Formats a duration in the largest unit that divides it exactly ("30d", "90m", "90s", "0s"),
 * as the configuration writes it; 16 bytes always suffice. */
void	fmt_duration(unsigned seconds, char *buf, size_t len);
/* 64-bit FNV-1a: hashes n bytes of p onto h (start with FNV1A_INIT). Stable across versions:
 * the alert log's write-ahead and item keys store its values. */
#define FNV1A_INIT	0xcbf29ce484222325ULL
uint64_t fnv1a(uint64_t h, const void *p, size_t n);
/* "s" unless n is 1: "%zu item%s", n, plural(n). */
static inline const char *
plural(unsigned long long n)
{
	return n == 1 ? "" : "s";
}
/*
 * Eight bytes at once (fold.c, text.c): the high bit of each byte of w that equals c. Adding 0x7F
 * to the low seven bits sets the high bit of every byte but a zero one, and no carry crosses
 * bytes, so the answer is exact for every byte, ASCII or not.
 */
#define WORD_ONES	0x0101010101010101ULL
#define WORD_HIGHS	0x8080808080808080ULL
static inline uint64_t
word_bytes_equal(uint64_t w, unsigned char c)
{
	uint64_t	 x = w ^ (WORD_ONES * c);

	return ~(((x & ~WORD_HIGHS) + ~WORD_HIGHS) | x) & WORD_HIGHS;
}
/* Replaces control characters (C0, DEL, C1, and U+2028/2029) and invalid UTF-8 in place-safe copy:
 * returns a new string fit for one log line or terminal cell (no newline, no escape sequence). */
char	*str_oneline(const char *s);
/* Expands a leading "~/" with $HOME. Returns a new string. */
char	*path_expand(const char *path);
/* Creates a directory and its parents with the given mode; 0 or -1 (errno set). */
int	mkdir_p(const char *path, int mode);

#endif
