/* match.c: compiles watch rules into Aho–Corasick automata over folded text and evaluates them per item. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "conf.h"
#include "context.h"
#include "fold.h"
#include "gazetteer.h"
#include "log.h"
#include "match.h"
#include "util.h"
#include "words.h"

#define HITS_MAX	10000	/* hits kept per item; later ones are dropped */
#define IN_DEPTH_MAX	16	/* places within places, deepest chain followed (guards cycles) */
#define COMBOS_MAX	(1u << 20)	/* hit combinations tried per rule for proximity */
#define NAMES_SHOWN	8	/* entities named in a why_not message */
#define WHY_MAX		1024	/* bytes of a why_not message */
#define LINEAR_EDGES	8	/* states with at most this many edges are searched linearly */
#define PERSONS_MAX	16	/* people's names kept per item (drop_persons); later ones are not */

/*
 * The automaton. Every alias is one pattern over folded UTF-8 bytes. The trie is stored compactly:
 * states are numbered breadth-first, then depth-first past DENSE_MAX (ac_number), and each state's
 * outgoing edges are a run of (label, target) pairs sorted by label in two flat arrays, so a state
 * costs 32 bytes and an edge 5 bytes (10,000 aliases: about 100,000 states, 3.7 MB). Following an
 * edge is a short linear or binary search instead of one table load: a full 256-entry table per
 * state would be 100 MB, and even an alphabet-compressed DFA tens of MB. But a scan spends nearly
 * all its time in the shallow states (every word of the text restarts near the root), so the first
 * DENSE_MAX states in breadth-first order also get a full 256-entry row of the finished transition
 * function (fail links already followed): at most 2 MB per table (two tables: folded and raw
 * bytes), and one load per byte while the scan stays among them. Bytes that occur in no alias reset
 * the scan without any lookup. 2,048 rows rather than 1,024: real place names (a rule naming the
 * United States, 14,000 names) share their first letters with everyday words far more than made-up
 * names do, so scans go deeper; the bench ran 107 -> 131 MB/s on it for 2 MB more, and the same on
 * small automata, which never have that many states.
 */
#define DENSE_MAX	2048
#define EXACT_DENSE_MAX	256	/* the exact automaton's, when it confirms shadows only */
#define DENSE_LOOK	0x80000000u	/* in a dense row: the target has an output or no dense row */
struct pattern {
	const char	*alias;		/* as written in the config */
	uint32_t	 entity;
	uint32_t	 len;		/* folded bytes */
	int32_t		 next;		/* next pattern ending in the same state, or -1 */
	/* One bit each: a config with the gazetteer compiles tens of thousands of patterns. */
	unsigned	 prefix:1;	/* trailing *: no word boundary needed after it */
	unsigned	 weak:1;	/* counts only with context (CONF_ALIAS_WEAK) */
	unsigned	 persian:1;	/* but not in Persian text (CONF_ALIAS_PERSIAN) */
	unsigned	 shared:1;	/* and namesakes abroad have it (CONF_ALIAS_SHARED) */
	unsigned	 not:1;		/* a phrase that is not the entity (CONF_ALIAS_NOT) */
	unsigned	 capital:1;	/* the text must not start it in lower case (CONF_ALIAS_PROPER) */
	unsigned	 person:1;	/* a place's name, also a person's (CONF_ALIAS_PERSON) */
	unsigned	 given:1;	/* a person's name, also a given name (CONF_ALIAS_PERSON):
					 * not before another surname (other_person) */
	unsigned	 initial:1;	/* a built-in exact-case name with one capital, the first
					 * (Turkey, Kamışlı): at the start of a sentence, where any
					 * word has one, it needs another name beside it; not a
					 * person's ("Trump" says, "Poutine" a dit: the man far
					 * more often than the card or the dish) */
	unsigned	 builtin_place:1; /* a built-in place's name (son_of_after, club_here) */
	unsigned	 actor_acronym:1; /* an actor's alias in quotes (counted_acronym) */
	unsigned	 leader:1;	/* a name of a built-in person (conf_entity.builtin_person):
					 * not inside another's nasab (X bin Mohamed bin Zayed) */
	unsigned	 surname:1;	/* and one word of it alone (Carney, Трамп, ترامب): not
					 * another person's (Jay Carney, Мелания Трамп) */
	unsigned	 shadow:1;	/* in plain: an exact pattern folded with FOLD_ALL, a
					 * candidate the exact automaton confirms (scan_text) */
};

struct ac_state {
	uint32_t	 edge;		/* first edge of this state in labels/targets */
	uint32_t	 nedges;
	uint32_t	 fail;
	uint32_t	 afail;		/* the fail chain's first state a hit may start at (raw_step) */
	uint32_t	 dict;		/* nearest state down the fail chain with an output, or 0 */
	int32_t		 out;		/* first pattern ending here, or -1 */
	uint32_t	 depth;		/* bytes from the root: the longest pattern that can end here */
	unsigned char	 label;		/* the byte that leads here (the last byte read) */
};

struct automaton {
	int		 flags;		/* fold flags for the text it scans */
	struct pattern	*pats;
	size_t		 npats;
	struct ac_state	*states;
	size_t		 nstates;
	unsigned char	*labels;
	uint32_t	*targets;
	uint32_t	(*dense)[256];	/* full rows for states 0 .. ndense-1 */
	uint32_t	(*raw)[256];	/* the same rows indexed by raw text bytes (scan_raw) */
	size_t		 ndense;
	const unsigned char *amap;	/* fold_ascii_map(flags) */
	unsigned char	 used[256];	/* bytes that occur in some pattern */
	/* The word-start filter of scan_raw (skip_to_start). */
	unsigned char	 wordb[256];	/* raw ASCII bytes that fold to a word character */
	unsigned char	 key5[128];	/* a raw ASCII byte's folded form, five bits of it */
	uint32_t	*start4;	/* START4_WORDS: folded ASCII quadruples (hashed) patterns start with */
	unsigned char	*word1;		/* WORD1_BITS: first words of patterns, two bits each */
	unsigned char	*word2;		/* WORD2_BITS: first two words of patterns */
	int		 word1_all;	/* a pattern is one ASCII word and a prefix: word1 is not asked */
	int		 word_blocks;	/* skip_ascii asks skip_words (START4_BLOCKS) */
	int		 alnum_words;	/* the ASCII word bytes are the letters and digits */
	int		 word_fast;	/* and each folds to itself | word_or (word_fast) */
	uint64_t	 word_or;	/* 0x20 (folded to lower case) or 0, in each byte */
	unsigned char	 lo, hi;	/* the raw ASCII bytes a pattern may start at are in [lo, hi] */
	int		 arabic;	/* some pattern starts with an Arabic letter (word_start) */
	int		 hebrew;	/* some pattern starts with a Hebrew letter (word_start) */
	int		 zones;		/* plain: note the characters not simple (TWO_ODD) */
	/* By code point below U+0800 (index: cp, ASCII first): FIRST_* */
	unsigned char	 first[0x800];
	unsigned char	 pair[65536 / 8];	/* first two code points of patterns, hashed */
	unsigned char	 pair_end[65536 / 8];	/* the same, of patterns that have no third
						 * for triple (may_start_chars) */
	unsigned char	 triple[65536 / 8];	/* first three code points, hashed, of patterns
						 * not all ASCII (may_start_chars) */
	unsigned char	 two[0x800 - 0x80];	/* TWO_* for each two-byte code point */
	int16_t		 fcp[0x800 - 0x80];	/* its fold when that is one code point, else -1 */
};

#define FIRST_SOME	1	/* some pattern starts with this character */
#define FIRST_ALONE	2	/* some pattern is this character alone */
#define PAIR_KEY(c0, c1)	((((uint32_t)(c0) * 0x9E3779B1u) ^ ((uint32_t)(c1) * 0x85EBCA77u)) >> 16)
#define TRIPLE_KEY(c0, c1, c2)	((((uint32_t)(c0) * 0x9E3779B1u) ^ ((uint32_t)(c1) * 0x85EBCA77u) ^ \
				    ((uint32_t)(c2) * 0xC2B2AE3Du)) >> 16)

/* What skip_non_ascii may do with a two-byte character (struct automaton's two[]). */
#define TWO_INSIDE	0x01	/* a mark, dropped, or word characters only: inside a word it stays inside */
#define TWO_WORD	0x02	/* folds to word characters (one at least) */
#define TWO_MARK	0x04	/* a combining mark */
#define TWO_CLITIC	0x08	/* a letter proclitics are made of, when some pattern starts in
				 * Arabic or Hebrew */
#define TWO_ODD		0x10	/* not simple (simple_chars), when plain has zones */
#define TWO_FWORD	0x20	/* folds to one code point (fcp), a word character (text_word) */

/*
 * The word-start filter: a bit for each way a pattern may start, four folded ASCII bytes
 * hashed to five bits each (the low five: letters keep apart), 2^20 bits (128 kB: it stays in
 * L2). A word of the map holds the 32 fourth bytes of one triple, so the same map answers for
 * the first three bytes alone (the word is not 0). A pattern of one to three bytes sets every
 * quadruple it begins. A run of separators folds to one space, so the quadruple of a text's raw
 * bytes might not be the folded one where two separators meet (key 0 is the space's, and a few
 * other bytes'): every quadruple with 0 and 0 after its first or second byte is set.
 *
 * Three bytes were not enough for real place names: with the United States loaded (14,000
 * names) the three-byte filter let 4.1 of the 6.0 million word starts of the bench's corpus
 * through to the folded automaton (said: Saint, the: The Woodlands, for: Fort, new: New York),
 * against 0.9 of 7.1 million with 10,000 made-up names, and the automaton then stepped through
 * most of those words. Four bytes let 2.7 million through; the second stage below does the rest.
 */
#define START4_WORDS	32768

/*
 * skip_words, which asks start4 and word1 about all the words of a block before it looks at any,
 * pays for its masks and its hashes where few words pass start4 anyway, and the branch on its
 * answer is then well predicted: it is used when more than this many of start4's bits are set
 * (the runs of separators set 2,016 of them). Bench: 100 aliases 2,138 bits, 10,000 or 100,000
 * made-up names 2,512, 6 to 7% slower with it; the United States 6,413, 10% faster with it.
 */
#define START4_BLOCKS	4096

/*
 * Its second stage, for a word start that the first lets through: a hit starts with a whole
 * word of the text (the first word of its pattern), so that word, folded and hashed, must be
 * one a pattern starts with (word1). The first stage lets electricity, government, minister,
 * thousands through (Electra, Governors Island, Minister, Thousand Oaks), and the automaton then
 * went four and more states deep. Where every pattern starting with that word goes on with a
 * space and another word, the first two words are asked about too (word2): the, new, city and
 * oil start places (The Villages, New York, Oil City), not "the electricity". A word has two
 * bits in word1 (one load): some pattern starts with it; some pattern starts with it and not
 * with a space and another word (then word2 is not asked). The United States set 12,000 bits:
 * at 2^18 bits (32 kB) one word in fourteen got through by chance, at 2^20 (128 kB, in L2) one
 * in sixty (bench 199 -> 206 MB/s).
 *
 * Words of any script are entered, as folded; the text's are folded a character at a time
 * (folded_at), and where that cannot tell, or a single-word pattern is a prefix (Foo*), the
 * answer is yes. Both stages together, with the United States loaded: 0.13 of the 6.7 million
 * word starts get through to the folded automaton (0.03 with 10,000 made-up names), and
 * scan_non_ascii runs 122,000 times instead of 747,000 (Señor, Müller, naïve and the Arabic
 * words start like places in the gazetteer's other languages). Bench: 131 -> 206 MB/s; what
 * is left is mostly this filter's own cost (the exact automaton has no pass of its own any
 * more: see scan_text).
 *
 * That cost, measured again with the United States loaded: 3.1 of the 6.9 million word starts
 * that may_start judges pass the first stage (election: Electra, statement: State College,
 * the, new, city), and the second stage said no to 2.2 million of them, once a byte at a time
 * (FNV-1a) over each word. Now 2.4 million are hashed by word_fast (SSE2: the word's end, then
 * two independent multiplications, struct whash), and text_word reads the other 0.7 million
 * (Müller, señor, naïve, Arabic words) taking two-byte letters from two[] (TWO_FWORD) instead
 * of folded_at and utf8proc. Cachegrind, scanning 5 MB of the bench corpus: about the same
 * instruction count, 2.00 -> 1.80 million mispredicted branches (ac_goto's SSE2 search gives
 * some of that); bench 243 -> 277 MB/s (best of 9, interleaved), 0.67 -> 0.75 of the
 * 10,000-alias run. Tried and dropped: hashing the word before start4 (every word start
 * then pays for a hash: slower, with 100 and 10,000 aliases too); a fifth byte in the first
 * stage (election, statement, water, prices still pass it: more instructions, as many
 * mispredictions). What is left: the first stage's branch, taken for nearly half the word
 * starts and not predictable (275,000 of the 1.8 million mispredictions above).
 */
#define WORD1_BITS	(1u << 20)
#define WORD2_BITS	(1u << 18)
#define WORD1_SEED	0x243F6A8885A308D3ull
#define WORD1_KEY(h)	((uint32_t)((h) >> 44))	/* 20 bits of a struct whash */
#define WORD2_KEY(h)	((uint32_t)((h) >> 46))	/* 18 bits */
#define WORD1_START(h)	(WORD1_KEY(h) & ~1u)	/* word1: some pattern starts with the word */
#define WORD1_END(h)	(WORD1_KEY(h) | 1u)	/* and the stage may stop at it */
#define START3_KEY(k0, k1, k2)	((unsigned)(k0) << 10 | (unsigned)(k1) << 5 | (unsigned)(k2))
#define START4_SET(a, k0, k1, k2, k3)	((a)->start4[START3_KEY(k0, k1, k2)] |= 1u << (k3))
#define BIT_SET(map, k)		((map)[(k) >> 3] |= (unsigned char)(1u << ((k) & 7)))
#define BIT_GET(map, k)		((map)[(k) >> 3] & (1u << ((k) & 7)))

/*
 * The hash of a folded word for word1 and word2: its bytes sixteen at a time, as two
 * little-endian halves (the last ones padded with zeros: no word has a NUL), each multiplied on
 * its own. So word_fast hashes an ASCII word shorter than 16 bytes in two multiplications that
 * do not wait for each other; word_bytes and text_word feed it a byte at a time. The keys are
 * the top bits, where a product has all its factor's bits mixed in.
 */
struct whash {
	uint64_t	 h;
	uint64_t	 acc[2];	/* the bytes not yet mixed in */
	unsigned	 n;	/* how many */
};
#define WHASH_MUL0	0x9E3779B97F4A7C15ull
#define WHASH_MUL1	0xC2B2AE3D27D4EB4Full

static inline uint64_t
whash_mix(uint64_t h, uint64_t lo, uint64_t hi)
{
	return (h ^ lo) * WHASH_MUL0 ^ hi * WHASH_MUL1;
}

static inline void
whash_init(struct whash *w, uint64_t seed)
{
	w->h = seed;
	w->acc[0] = w->acc[1] = 0;
	w->n = 0;
}

static inline void
whash_byte(struct whash *w, unsigned c)
{
	w->acc[w->n >> 3] |= (uint64_t)c << (8 * (w->n & 7));
	if (++w->n == 16) {
		w->h = whash_mix(w->h, w->acc[0], w->acc[1]);
		w->acc[0] = w->acc[1] = 0;
		w->n = 0;
	}
}

/* The word's hash; the first word's is the second's seed (a run of separators between them). */
static inline uint64_t
whash_end(const struct whash *w)
{
	return w->n > 0 ? whash_mix(w->h, w->acc[0], w->acc[1]) : w->h;
}

/* The two bits of word1 for a word hashed to x: WORD1_START's, and WORD1_END's above it. */
#define WORD1_BITS_OF(a, x)	((a)->word1[WORD1_KEY(x) >> 3] >> (WORD1_START(x) & 7))

/*
 * A rule's lists as one table sorted by entity, and a hash table of where each entity's roles
 * start in it (open addressing: a slot holds that position + 1, or 0). A binary search over the
 * table took seventeen steps with 100,000 aliases in a rule, most of them a cache miss, for each
 * of the four lists, for each hit: 2 to 3% of the time the bench spent matching.
 */
struct role {
	size_t		 entity;
	int		 list;		/* LIST_* */
	size_t		 index;		/* position in that list */
};

enum { LIST_ACTOR, LIST_PLACE, LIST_KEYWORD, LIST_EXCLUDE };

struct rule_roles {
	struct role	*roles;
	size_t		 nroles;
	uint32_t	*slots;		/* a power of two of them, at least twice the entities */
	size_t		 mask;		/* their number - 1 */
};
#define ROLE_SLOT(e)	((uint32_t)(((uint64_t)(e) * 0x9E3779B97F4A7C15ull) >> 32))

struct matcher {
	const struct conf	*conf;
	struct automaton	 plain;		/* FOLD_ALL aliases, exact ones' shadows */
	struct automaton	 exact;		/* "quoted" aliases, folded with flags 0 */
	struct rule_roles	*rules;
	int			 need_positions;	/* some rule has within or within_sentence */
	int			 reference;	/* fold whole texts, then scan (matcher_set_reference) */
	int			 fires_without_hits;	/* some rule names no actor, place or keyword */
	size_t			*group;		/* per entity: its outermost place (weak names' context),
						 * NULL when no alias is weak */
	int			 nots;		/* some alias is CONF_ALIAS_NOT */
	int			 builtin_nesting;	/* two built-in entities are used */
	int			 exact_pass;	/* some exact pattern has no shadow */
	uint32_t		 exact_depth;	/* the longest exact pattern, folded bytes */
	struct scratch		*scratch;	/* matcher_run's buffers, kept from item to item */
};

/*
 * What matcher_run allocates, kept for the next item (most items need the same sizes), unless it
 * grew past SCRATCH_KEEP bytes for one big item.
 */
#define SCRATCH_KEEP	(256 * 1024)
struct range {
	size_t		 lo, hi;
};
struct cand;
struct scratch {
	struct cand	*cands;		/* matcher_run's struct eval, capcands of each */
	const struct cand **order;
	struct match_hit *out[3];
	size_t		 capcands;
	struct range	*ranges;
	size_t		 capranges;
	struct text	*texts;
	size_t		 captexts;
	struct hit	*hits;
	size_t		 caphits;
	struct fold_buf	 fb, wfb;
};

static int	two_at(const unsigned char *, size_t);
static void	scratch_cands(struct scratch *, size_t);

/* ---- Building the automaton ---- */

/* A trie node while building: children as a sorted sibling list. */
struct tnode {
	uint32_t	 child;		/* first child, 0 if none (the root is never a child) */
	uint32_t	 sibling;
	unsigned char	 label;
	int32_t		 out;
};

struct trie {
	struct tnode	*nodes;
	size_t		 n, cap;
};

static uint32_t
trie_add_node(struct trie *t, unsigned char label)
{
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 256;
		t->nodes = xreallocarray(t->nodes, t->cap, sizeof(*t->nodes));
	}
	t->nodes[t->n] = (struct tnode){ 0, 0, label, -1 };
	return (uint32_t)t->n++;
}

static void
trie_insert(struct trie *t, const char *s, size_t len, struct pattern *pats, int32_t pat)
{
	uint32_t	 node = 0, *link, c;
	size_t		 i;
	unsigned char	 b;

	for (i = 0; i < len; i++) {
		b = (unsigned char)s[i];
		link = &t->nodes[node].child;
		while (*link && t->nodes[*link].label < b)
			link = &t->nodes[*link].sibling;
		if (*link && t->nodes[*link].label == b) {
			node = *link;
			continue;
		}
		c = trie_add_node(t, b);	/* may move t->nodes: recompute the link */
		link = &t->nodes[node].child;
		while (*link && t->nodes[*link].label < b)
			link = &t->nodes[*link].sibling;
		t->nodes[c].sibling = *link;
		*link = c;
		node = c;
	}
	pats[pat].next = t->nodes[node].out;
	t->nodes[node].out = pat;
}

static uint32_t
ac_goto(const struct automaton *a, uint32_t s, unsigned char c)
{
	const struct ac_state	*st = &a->states[s];
	const unsigned char	*l = a->labels + st->edge;
	uint32_t		 lo, hi, mid, n = st->nedges;
#ifdef __SSE2__
	unsigned		 eq;

	/*
	 * Sixteen labels compared at once: a loop that stops at the label found mispredicts
	 * its exit on nearly every step of scan_raw's walks (raw_step) in a large automaton.
	 */
	if (n <= 16) {
		eq = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)
		    (const void *)l), _mm_set1_epi8((char)c))) & ((1u << n) - 1);
		return eq != 0 ? a->targets[st->edge + (unsigned)__builtin_ctz(eq)] : 0;
	}
#endif
	if (n <= LINEAR_EDGES) {
		for (lo = 0; lo < n; lo++)
			if (l[lo] == c)
				return a->targets[st->edge + lo];
		return 0;
	}
	lo = 0;
	hi = n;
	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (l[mid] < c)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (lo < n && l[lo] == c) ? a->targets[st->edge + lo] : 0;
}

/* Fills a->two (TWO_*) and a->fcp from fold's table of two-byte code points. */
static void
two_classes(struct automaton *a)
{
	const char	*f;
	int32_t		 cp, c;
	size_t		 k, len, nchars;
	int		 n, mark, words;

	for (cp = 0x80; cp < 0x800; cp++) {
		a->fcp[cp - 0x80] = -1;
		n = fold_two_cp(cp, a->flags, &f, &mark);
		if (mark) {
			a->two[cp - 0x80] = TWO_INSIDE | TWO_MARK;
			continue;
		}
		if (n < 0)
			continue;
		for (words = 1, nchars = 0, k = 0; k < (size_t)n; k += len, nchars++) {
			len = utf8_char((const unsigned char *)f + k, (size_t)n - k, &c);
			if (c < 0 || !fold_is_wordchar(c))
				words = 0;
		}
		if (nchars == 1 && utf8_char((const unsigned char *)f, (size_t)n, &c) <= 2)
			a->fcp[cp - 0x80] = (int16_t)c;
		if (words)
			a->two[cp - 0x80] = n > 0 ? TWO_INSIDE | TWO_WORD : TWO_INSIDE;
		if (a->fcp[cp - 0x80] >= 0 && fold_is_wordchar(a->fcp[cp - 0x80]))
			a->two[cp - 0x80] |= TWO_FWORD;
		/* A word may start with a proclitic and go on with a name (word_start). */
		if (a->fcp[cp - 0x80] >= 0 && ((a->arabic && clitic_letter(a->fcp[cp - 0x80])) ||
		    (a->hebrew && hebrew_clitic_letter(a->fcp[cp - 0x80]))))
			a->two[cp - 0x80] = (a->two[cp - 0x80] & ~TWO_WORD) | TWO_CLITIC;
	}
}

/*
 * The states' numbers: breadth-first for the first ndense, which get dense rows (the
 * shallowest: every word of a text restarts near the root), depth-first for the others. Breadth
 * first all along put the states of one name a level apart each, hundreds of kB from each other
 * in a large automaton, so that a scan reading a name walked from cache miss to cache miss (three
 * a step: the state, its labels, its targets). Depth first, a name's states follow each other,
 * and so do their edges. bfs[k] is the k-th trie node breadth-first, id[node] its number.
 * Bench (processor time, best of three, interleaved with the breadth-first build): 100,000
 * aliases 343 -> 393 MB/s, 10,000 aliases 399 -> 405, fewer aliases the same.
 */
static void
ac_number(const struct trie *t, uint32_t *bfs, uint32_t *id, size_t ndense)
{
	uint32_t	*stack, nq = 1, head, c, u, next, top = 0;

	bfs[0] = 0;
	for (head = 0; head < nq; head++)
		for (c = t->nodes[bfs[head]].child; c; c = t->nodes[c].sibling)
			bfs[nq++] = c;
	for (u = 0; u < t->n; u++)
		id[u] = UINT32_MAX;
	for (head = 0; head < ndense; head++)
		id[bfs[head]] = head;
	next = (uint32_t)ndense;
	stack = xmalloc(t->n * sizeof(*stack));
	stack[top++] = 0;
	while (top > 0) {
		u = stack[--top];
		if (id[u] == UINT32_MAX)
			id[u] = next++;
		/* The siblings are sorted by label: pushed in reverse, they come out in order. */
		for (c = t->nodes[u].child, head = top; c; c = t->nodes[c].sibling)
			stack[top++] = c;
		for (c = 0; c < (top - head) / 2; c++) {
			u = stack[head + c];
			stack[head + c] = stack[top - 1 - c];
			stack[top - 1 - c] = u;
		}
	}
	free(stack);
}

/*
 * Turns the trie into the compact automaton (ac_number) with fail and output links; at most
 * dense_max states get dense rows.
 */
static void
ac_compile(struct automaton *a, struct trie *t, size_t dense_max)
{
	uint32_t	*bfs, *id, *parent, head, nedges = 0, u, v, f, g, c, d, maxdepth = 0;
	unsigned	 b;
	unsigned char	*w;

	a->nstates = t->n;
	a->states = xcalloc(t->n, sizeof(*a->states));
	a->labels = xcalloc(t->n + 16, 1);	/* ac_goto reads 16 labels at a time */
	a->targets = xcalloc(t->n, sizeof(*a->targets));
	bfs = xmalloc(t->n * sizeof(*bfs));
	id = xmalloc(t->n * sizeof(*id));
	parent = xcalloc(t->n, sizeof(*parent));
	a->ndense = a->nstates < dense_max ? a->nstates : dense_max;
	ac_number(t, bfs, id, a->ndense);
	/* The edges, each state's in a run of its own, in the order of the states. */
	for (v = 0; v < t->n; v++)
		bfs[id[v]] = v;	/* bfs is now the other way round: the trie node of a state */
	for (u = 0; u < t->n; u++) {
		a->states[u].edge = nedges;
		a->states[u].out = t->nodes[bfs[u]].out;
		for (c = t->nodes[bfs[u]].child; c; c = t->nodes[c].sibling) {
			v = id[c];
			a->labels[nedges] = t->nodes[c].label;
			a->targets[nedges++] = v;
			a->states[u].nedges++;
			a->states[v].label = t->nodes[c].label;
			parent[v] = u;
		}
	}
	/* Breadth-first again (the trie's order), for depths and fail links. */
	bfs[0] = 0;
	for (head = 0, d = 1; head < d; head++) {
		u = bfs[head];
		for (c = 0; c < a->states[u].nedges; c++) {
			v = a->targets[a->states[u].edge + c];
			bfs[d++] = v;
			a->states[v].depth = a->states[u].depth + 1;
			if (a->states[v].depth > maxdepth)
				maxdepth = a->states[v].depth;
		}
		/* Fail links of u's children: their depth is one more than u's, so every state
		 * the fail chain visits has its fail link already. */
		for (c = 0; c < a->states[u].nedges; c++) {
			v = a->targets[a->states[u].edge + c];
			b = a->labels[a->states[u].edge + c];
			f = 0;
			if (u != 0) {
				for (f = a->states[u].fail;; f = a->states[f].fail) {
					if ((g = ac_goto(a, f, (unsigned char)b)) != 0) {
						f = g;
						break;
					}
					if (f == 0)
						break;
				}
			}
			a->states[v].fail = f;
			a->states[v].dict = a->states[f].out >= 0 ? f : a->states[f].dict;
		}
	}
	/* Dense rows, in breadth-first order so that a fail state's row is always ready. */
	a->dense = xcalloc(a->ndense, sizeof(*a->dense));
	for (u = 0; u < a->ndense; u++)
		for (b = 0; b < 256; b++) {
			g = ac_goto(a, u, (unsigned char)b);
			a->dense[u][b] = g ? g : u == 0 ? 0 : a->dense[a->states[u].fail][b];
		}
	/* Flag the targets a scan must look at, so that it need not look at the others. */
	for (u = 0; u < a->ndense; u++)
		for (b = 0; b < 256; b++) {
			g = a->dense[u][b];
			if (a->states[g].out >= 0 || a->states[g].dict != 0 || g >= a->ndense)
				a->dense[u][b] = g | DENSE_LOOK;
		}
	/*
	 * The rows again, indexed by bytes of the raw text, for scan_raw: an ASCII byte goes where
	 * its folded form goes (fold's own table, so the two cannot disagree); a separator after a
	 * separator stays put, which is what collapsing a run of spaces into one does to the scan;
	 * NUL (the end of the text) and bytes of 0x80 and up stop the scan in the state it was in,
	 * for scan_raw to fold that character itself.
	 *
	 * These rows are also anchored at word starts. A hit must start where a word does (no word
	 * character before it), so of the suffixes of what was read that the trie knows, those that
	 * start just after a word character can never become a hit: the rows skip them down the fail
	 * chain, keeping only a suffix that starts after a non-word character inside what the state
	 * spells, or the whole of it. Inside a word that no alias starts like, the scan thus falls
	 * back to the root at once, and scan_raw skips the rest of the word there (skip_to_start)
	 * instead of stepping through it byte by byte. Steps into the root are flagged for that.
	 */
	a->amap = fold_ascii_map(a->flags);
	a->raw = xcalloc(a->ndense, sizeof(*a->raw));
	w = xmalloc(maxdepth + 2);
	for (u = 0; u < a->ndense; u++) {
		for (v = u, d = a->states[u].depth; d > 0; v = parent[v])
			w[--d] = a->states[v].label;	/* what state u spells */
		d = a->states[u].depth;
		for (b = 0; b < 256; b++) {
			if (b == 0 || b >= 0x80) {
				a->raw[u][b] = u | DENSE_LOOK;
				continue;
			}
			if (a->amap[b] == ' ' && u != 0 && a->states[u].label == ' ') {
				a->raw[u][b] = u;
				continue;
			}
			w[d] = a->amap[b];
			for (g = a->dense[u][a->amap[b]] & ~DENSE_LOOK; g != 0 &&
			    a->states[g].depth <= d && !word_start((const char *)w, d + 1,
			    d + 1 - a->states[g].depth); g = a->states[g].fail)
				;
			if (g == 0 || a->states[g].out >= 0 || a->states[g].dict != 0 ||
			    g >= a->ndense)
				g |= DENSE_LOOK;
			a->raw[u][b] = g;
		}
	}
	/*
	 * The same anchoring for the states without a dense row, as a fail link that skips the
	 * suffixes starting just after a word character (raw_step). Only ASCII ones are skipped
	 * (word_start has more to say about the others), which is all scan_raw needs.
	 */
	for (u = 1; u < a->nstates; u++) {
		for (v = u, d = a->states[u].depth; d > 0; v = parent[v])
			w[--d] = a->states[v].label;
		d = a->states[u].depth;
		for (g = a->states[u].fail; g != 0; g = a->states[g].fail) {
			c = d - a->states[g].depth;	/* where g starts in what u spells */
			if (w[c] >= 0x80 || w[c - 1] >= 0x80 || !fold_is_wordchar(w[c - 1]))
				break;
		}
		a->states[u].afail = g;
	}
	for (b = 0; b < 32; b++)	/* a run of separators, see START4_SET */
		for (c = 0; c < 32; c++) {
			a->start4[START3_KEY(b, 0, 0)] = UINT32_MAX;
			START4_SET(a, b, c, 0, 0);
		}
	for (u = 0, c = 0; u < START4_WORDS; u++)
		c += (uint32_t)__builtin_popcount(a->start4[u]);
	a->word_blocks = c > START4_BLOCKS;
	a->alnum_words = 1;
	for (b = 0; b < 0x80; b++)
		a->key5[b] = a->amap[b] & 31;
	for (b = 1; b < 0x80; b++) {
		a->wordb[b] = (unsigned char)fold_is_wordchar(a->amap[b]);
		if (a->wordb[b] != ((b >= '0' && b <= '9') || ((b | 0x20) >= 'a' && (b | 0x20) <= 'z')))
			a->alnum_words = 0;
	}
	/* word_fast: the letters fold to lower case, or stay; the digits stay. */
	a->word_or = a->amap['A'] == 'a' ? 0x2020202020202020ull : 0;
	a->word_fast = a->alnum_words;
	for (b = 1; b < 0x80; b++)
		if (a->wordb[b] && a->amap[b] != (b | (a->word_or & 0xFF)))
			a->word_fast = 0;
	/*
	 * The range of raw ASCII bytes whose fold starts some pattern, for skip_ascii: "quoted"
	 * aliases (the exact automaton) are mostly names, so it is A to Z there, and the words
	 * that start in lower case need no look (a mark after the byte, which may change its
	 * fold, stops the skip anyway: see may_start).
	 */
	a->lo = 0x7F;
	a->hi = 0;
	for (b = 1; b < 0x80; b++)
		if (a->amap[b] < 0x80 && a->amap[b] != ' ' && a->first[a->amap[b]] != 0) {
			if (b < a->lo)
				a->lo = (unsigned char)b;
			a->hi = (unsigned char)b;
		}
	if (a->hi < a->lo)
		a->lo = a->hi = 0x7F;	/* no ASCII start: DEL, which may_start turns down */
	two_classes(a);
	free(w);
	free(parent);
	free(id);
	free(bfs);
}

/*
 * Splits an alias as written into its folded form and kind: "quoted" is exact, a trailing * a
 * prefix. Returns the folded text (caller frees) or NULL when nothing is left of it.
 */
static char *
alias_fold(const char *alias, int *exact, int *prefix, size_t *len)
{
	const char	*s = alias, *e = alias + strlen(alias);
	struct fold_buf	 f;
	size_t		 a, z;
	char		*r;

	*exact = *prefix = 0;
	while (s < e && (*s == ' ' || *s == '\t'))
		s++;
	while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	if (e > s && e[-1] == '*') {
		*prefix = 1;
		e--;
	}
	if (e - s >= 2 && *s == '"' && e[-1] == '"') {
		*exact = 1;
		s++;
		e--;
		if (e > s && e[-1] == '*') {
			*prefix = 1;
			e--;
		}
	}
	/* fold_buf_text: no offset map is read here (fold_text would build one). */
	memset(&f, 0, sizeof(f));
	fold_buf_text(&f, s, (size_t)(e - s), *exact ? 0 : FOLD_ALL);
	for (a = 0; a < f.len && f.s[a] == ' '; a++)
		;
	for (z = f.len; z > a && f.s[z - 1] == ' '; z--)
		;
	r = z > a ? xstrndup(f.s + a, z - a) : NULL;
	*len = z - a;
	fold_buf_free(&f);
	return r;
}

/*
 * Is the space at f[i] (folded alias, len bytes) between two Arabic letters? Such a space may be
 * left out (alias_forms).
 */
static int
joinable(const char *f, size_t len, size_t i)
{
	return f[i] == ' ' && i >= 2 && arabic_at(f, len, i - 2) && arabic_at(f, len, i + 1) &&
	    fold_wordchar_before(f, i) && fold_wordchar_at(f, len, i + 1);
}

/*
 * The forms of the folded alias f (len bytes) that the automaton looks for, each a new string in
 * forms[] (caller frees) with its length in lens[]; returns how many (the first is f itself):
 * - a name of several words in Arabic script is often written as one word, or with a zero-width
 *   non-joiner between its words (حزب‌الله), which folding removes: a form leaves out the space
 *   between two Arabic letters (حزبالله). With at most JOINS_MAX such spaces, each one may be
 *   left out on its own (عبدالفتاح السيسي); with more, all or none, to bound the forms.
 * - an alias that starts with the article (ال and a letter) also has, for each of those forms,
 *   the form it takes after the proclitic ل, which drops the article's alef (القاعدة: للقاعدة),
 *   and the article's lam too before a word that starts with lam (الله: لله). The other
 *   proclitics just come before the article (والقاعدة), see clitics[].
 */
#define JOINS_MAX	3
#define FORMS_MAX	(2 << JOINS_MAX)
static size_t
alias_forms(const char *f, size_t len, char *forms[FORMS_MAX], size_t lens[FORMS_MAX])
{
	static const char	 art[] = "\xd8\xa7\xd9\x84", lam[] = "\xd9\x84";	/* ال, ل */
	size_t			 nj = 0, nmasks, mask, i, j, n, k, nforms = 0;
	char			*s;

	for (i = 0; i < len; i++)
		if (joinable(f, len, i))
			nj++;
	nmasks = nj == 0 ? 1 : nj <= JOINS_MAX ? (size_t)1 << nj : 2;
	for (mask = 0; mask < nmasks; mask++) {
		s = xmalloc(len + 1);
		for (i = j = n = 0; i < len; i++) {
			if (joinable(f, len, i) && (nj <= JOINS_MAX ? (mask >> j++) & 1 : mask))
				continue;
			s[n++] = f[i];
		}
		s[n] = '\0';
		forms[nforms] = s;
		lens[nforms++] = n;
	}
	for (k = 0, nmasks = nforms; k < nmasks; k++) {
		s = forms[k];
		n = lens[k];
		if (n < 6 || memcmp(s, art, 4) != 0 || !arabic_at(s, n, 4) ||
		    !fold_wordchar_at(s, n, 4))
			continue;
		if (memcmp(s + 4, lam, 2) == 0) {
			forms[nforms] = xstrndup(s + 2, n - 2);
			lens[nforms++] = n - 2;
		} else {
			forms[nforms] = xmalloc(n + 1);
			memcpy(forms[nforms], lam, 2);
			memcpy(forms[nforms] + 2, s + 2, n - 2 + 1);
			lens[nforms++] = n;
		}
	}
	return nforms;
}

/*
 * The end of the word at f[k] (folded, len bytes): past the word characters from there, whose
 * bytes are hashed into *h (struct whash).
 */
static size_t
word_bytes(const unsigned char *f, size_t len, size_t k, struct whash *h)
{
	size_t		 n, j;
	int32_t		 cp;

	while (k < len && (n = utf8_char(f + k, len - k, &cp)) > 0 && cp >= 0 &&
	    fold_is_wordchar(cp)) {
		for (j = 0; j < n; j++)
			whash_byte(h, f[k + j]);
		k += n;
	}
	return k;
}

/*
 * Records how the folded pattern f (len bytes; prefix: it ends with *) starts, for may_start
 * and may_start_slow: its first character and first two (first, pair), its first four bytes
 * when they are ASCII (start4), its first word or two (word1, word2).
 */
static void
starts_add(struct automaton *a, const unsigned char *f, size_t len, int prefix)
{
	unsigned	 x, y;
	int32_t		 cp;
	struct whash	 h;
	uint64_t	 h1;
	size_t		 k, m;

	size_t		 l0, l1, l2;
	int32_t		 cp1, cp2;

	if (arabic_at((const char *)f, len, 0))
		a->arabic = 1;
	if (hebrew_at((const char *)f, len, 0))
		a->hebrew = 1;
	/*
	 * A first character of three bytes or more: no text that may_start_slow judges has it. A
	 * second one: may_start_slow cannot tell, so the first is taken as if it stood alone.
	 */
	if ((l0 = utf8_char(f, len, &cp)) <= 2 && cp >= 0) {
		if (l0 == len || (l1 = utf8_char(f + l0, len - l0, &cp1)) > 2 || cp1 < 0)
			a->first[cp] |= FIRST_ALONE;
		else {
			a->first[cp] |= FIRST_SOME;
			BIT_SET(a->pair, PAIR_KEY(cp, cp1));
			/* A third character of three bytes: may_start_chars cannot see one. */
			if (l0 + l1 == len || (l2 = utf8_char(f + l0 + l1, len - l0 - l1, &cp2)) > 2 ||
			    cp2 < 0)
				BIT_SET(a->pair_end, PAIR_KEY(cp, cp1));
			else
				BIT_SET(a->triple, TRIPLE_KEY(cp, cp1, cp2));
		}
	}
	/* Its first words, for may_start_word. */
	whash_init(&h, WORD1_SEED);
	k = word_bytes(f, len, 0, &h);
	h1 = whash_end(&h);
	if (k == len && prefix)
		a->word1_all = 1;	/* any word it begins may be a hit */
	else if (k == 0)
		;	/* it starts with no word: may_start_word is not asked */
	else if (k == len || f[k] != ' ')
		BIT_SET(a->word1, WORD1_END(h1));
	else {
		whash_init(&h, whash_end(&h));
		m = word_bytes(f, len, k + 1, &h);
		if (m == k + 1 || (m == len && prefix))
			BIT_SET(a->word1, WORD1_END(h1));	/* no second word to ask about */
		else {
			BIT_SET(a->word1, WORD1_START(h1));
			BIT_SET(a->word2, WORD2_KEY(whash_end(&h)));
		}
	}
	if (f[0] >= 0x80 || (len >= 2 && f[1] >= 0x80) || (len >= 3 && f[2] >= 0x80))
		return;
	/*
	 * A byte the pattern does not have (it is shorter) may be anything; so may a fourth one of
	 * 0x80 and up (the text's is too then, and may_start looks at three bytes only). Only the
	 * words of start4 that can be set are visited (100,000 aliases: 0.32 -> 0.23 s to compile).
	 */
	for (x = len >= 2 ? f[1] & 31u : 0; x < (len >= 2 ? (f[1] & 31u) + 1 : 32); x++)
		for (y = len >= 3 ? f[2] & 31u : 0; y < (len >= 3 ? (f[2] & 31u) + 1 : 32); y++) {
			if (len >= 4 && f[3] < 0x80)
				START4_SET(a, f[0] & 31u, x, y, f[3] & 31u);
			else
				a->start4[START3_KEY(f[0] & 31u, x, y)] = UINT32_MAX;
		}
}

static void
automaton_free(struct automaton *a)
{
	free(a->pats);
	free(a->states);
	free(a->labels);
	free(a->targets);
	free(a->dense);
	free(a->raw);
	free(a->start4);
	free(a->word1);
	free(a->word2);
}

/*
 * The script of an alias's first letter, as one bit: a weak name needs its context in the same
 * item, and an item is written in one script, so only context names in the weak name's script
 * are worth compiling (Persian ~پوتین needs مسکو, never Moscow or Москва).
 */
#define SCRIPT_LATIN	0x01
#define SCRIPT_CYRILLIC	0x02
#define SCRIPT_ARABIC	0x04
#define SCRIPT_HEBREW	0x08
#define SCRIPT_GREEK	0x10
#define SCRIPT_OTHER	0x20
#define SCRIPT_ALL	0xff

static unsigned
alias_script(const char *alias)
{
	const unsigned char	*p = (const unsigned char *)alias;
	size_t			 n, left = strlen(alias);
	int32_t			 cp;

	for (; left > 0; p += n, left -= n) {
		n = utf8_char(p, left, &cp);
		if (cp < 0x80) {
			if ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z')
				return SCRIPT_LATIN;
			continue;	/* quotes, ~, digits, punctuation, bad bytes: no script */
		}
		if (cp < 0x2b0 || (cp >= 0x1e00 && cp < 0x1f00))
			return cp < 0xc0 ? SCRIPT_OTHER : SCRIPT_LATIN;
		if (cp >= 0x370 && cp < 0x400)
			return SCRIPT_GREEK;
		if (cp >= 0x400 && cp < 0x530)
			return SCRIPT_CYRILLIC;
		if (cp >= 0x590 && cp < 0x600)
			return SCRIPT_HEBREW;
		if ((cp >= 0x600 && cp < 0x780) || (cp >= 0xfb50 && cp < 0xff00))
			return SCRIPT_ARABIC;
		return SCRIPT_OTHER;
	}
	return SCRIPT_OTHER;
}

/*
 * Marks the entities some rule names (1), the places inside a named place (2), and the places
 * compiled only as the context of a weak name (3). scripts[i] says which of an entity's aliases
 * to compile: all of them (SCRIPT_ALL), or for a place of an actor's country only those in the
 * scripts of the actor's weak names.
 */
static unsigned char *
used_entities(const struct conf *conf, unsigned char **scriptsp)
{
	unsigned char		*used = xcalloc(conf->nentities, 1);
	unsigned char		*scripts = xmalloc(conf->nentities);
	const struct conf_rule	*r;
	const struct conf_entity *ent, *pl;
	size_t			 i, k;
	long			 e;
	int			 depth;
	unsigned		 weak;

	memset(scripts, SCRIPT_ALL, conf->nentities);
	for (i = 0; i < conf->nrules; i++) {
		r = &conf->rules[i];
		for (k = 0; k < r->nactors; k++)
			used[r->actors[k]] = 1;
		for (k = 0; k < r->nplaces; k++)
			used[r->places[k]] = 1;
		for (k = 0; k < r->nkeywords; k++)
			used[r->keywords[k]] = 1;
		for (k = 0; k < r->nexclude; k++)
			used[r->exclude[k]] = 1;
	}
	for (i = 0; i < conf->nentities; i++) {
		if (used[i] || conf->entities[i].kind != ENTITY_PLACE)
			continue;
		e = conf->entities[i].in;
		for (depth = 0; e >= 0 && (size_t)e < conf->nentities && depth < IN_DEPTH_MAX; depth++) {
			if (used[e] == 1) {
				used[i] = 2;	/* 2: needed only as a place inside another */
				break;
			}
			e = conf->entities[e].in;
		}
	}
	/*
	 * 3: the places of a used actor's country when it has weak names (Sudan and its cities
	 * for ~"RSF"), in those names' scripts; and the country itself whenever the actor's names
	 * have flags, in every script, for an affiliate named after it (Pakistani Taliban). No
	 * rule counts their hits.
	 */
	for (i = 0; i < conf->nentities; i++) {
		ent = &conf->entities[i];
		if (used[i] != 1 || ent->kind != ENTITY_ACTOR || ent->alias_flags == NULL ||
		    ent->builtin_cc[0] == '\0')
			continue;
		for (weak = 0, k = 0; k < ent->naliases; k++)
			if (ent->alias_flags[k] & CONF_ALIAS_WEAK)
				weak |= alias_script(ent->aliases[k]);
		for (k = 0; k < conf->nentities; k++) {
			pl = &conf->entities[k];
			if (pl->kind != ENTITY_PLACE || pl->builtin_id == NULL ||
			    strcmp(pl->builtin_cc, ent->builtin_cc) != 0 ||
			    (used[k] && used[k] != 3))
				continue;
			if (pl->builtin_kind == 'C') {
				used[k] = 3;
				scripts[k] = SCRIPT_ALL;
			} else if (weak != 0) {
				scripts[k] = (unsigned char)(used[k] ? scripts[k] | weak : weak);
				used[k] = 3;
			}
		}
	}
	/* 3 too: the places around a used place with weak names, in every script (Syria for
	 * the Hebrew חלב of a rule naming Aleppo). */
	for (i = 0; i < conf->nentities; i++) {
		if (!used[i] || used[i] == 3 || conf->entities[i].alias_flags == NULL)
			continue;
		e = conf->entities[i].in;
		for (depth = 0; e >= 0 && (size_t)e < conf->nentities && depth < IN_DEPTH_MAX; depth++) {
			if (used[e] == 0 || used[e] == 3) {
				used[e] = 3;
				scripts[e] = SCRIPT_ALL;
			}
			e = conf->entities[e].in;
		}
	}
	*scriptsp = scripts;
	return used;
}

/*
 * Is alias one word of a person's name alone (Carney, "Trump", Путин*, ترامب, al-Assad, א-סיסי),
 * not an acronym (MBS, AMLO)? A leading article joined by a hyphen (al-, el-, аль-, א-) is part
 * of the word. Such a name is also other people's: their relatives', their namesakes'.
 */
#define ARTICLE_CHARS	3	/* an article before a hyphen: al, ash, аль, אל */

static int
name_alone(const char *alias)
{
	size_t	 len = strlen(alias), b = alias[0] == '"', e = len, i, chars = 0;
	int	 small = 0;

	if (e > b && alias[e - 1] == '*')
		e--;
	if (e > b && alias[e - 1] == '"')
		e--;
	if (e <= b || memchr(alias + b, ' ', e - b) != NULL)
		return 0;
	for (i = b; i < e && alias[i] != '-'; i = next_char(alias, len, i))
		chars++;
	if (i < e && (chars > ARTICLE_CHARS || memchr(alias + i + 1, '-', e - i - 1) != NULL))
		return 0;
	for (i = b; i < e; i = next_char(alias, len, i))
		small |= fold_case_at(alias, len, i) == -1;
	/* Letters without case (Arabic, Hebrew) are no acronym either. */
	return small || fold_case_at(alias, len, b) == 0;
}

/*
 * Is the alias (quotes aside) capitalised on its first letter only, with small letters after
 * (Turkey; not UAE, M23 or turkey)?
 */
static int
initial_capital_only(const char *alias)
{
	size_t	 len = strlen(alias), i = alias[0] == '"';
	int	 small = 0;

	if (fold_case_at(alias, len, i) != 1)
		return 0;
	for (i = next_char(alias, len, i); i < len; i = next_char(alias, len, i)) {
		if (fold_case_at(alias, len, i) == 1)
			return 0;
		small |= fold_case_at(alias, len, i) == -1;
	}
	return small;
}

/* Each entity's outermost place along its "in" chain (itself if none): a weak name's context. */
static size_t *
groups(const struct conf *conf)
{
	size_t	*g = xcalloc(conf->nentities ? conf->nentities : 1, sizeof(*g));
	size_t	 i;
	long	 e;
	int	 depth;

	for (i = 0; i < conf->nentities; i++) {
		g[i] = i;
		e = conf->entities[i].in;
		for (depth = 0; e >= 0 && (size_t)e < conf->nentities && depth < IN_DEPTH_MAX; depth++) {
			g[i] = (size_t)e;
			e = conf->entities[e].in;
		}
	}
	return g;
}

static int
role_cmp(const void *a, const void *b)
{
	const struct role	*x = a, *y = b;

	if (x->entity != y->entity)
		return x->entity < y->entity ? -1 : 1;
	return x->list - y->list;
}

static void
rule_roles_build(const struct conf_rule *r, struct rule_roles *rr)
{
	size_t	 n = 0, k, s;

	rr->roles = xcalloc(r->nactors + r->nplaces + r->nkeywords + r->nexclude,
	    sizeof(*rr->roles));
	for (k = 0; k < r->nactors; k++)
		rr->roles[n++] = (struct role){ r->actors[k], LIST_ACTOR, k };
	for (k = 0; k < r->nplaces; k++)
		rr->roles[n++] = (struct role){ r->places[k], LIST_PLACE, k };
	for (k = 0; k < r->nkeywords; k++)
		rr->roles[n++] = (struct role){ r->keywords[k], LIST_KEYWORD, k };
	for (k = 0; k < r->nexclude; k++)
		rr->roles[n++] = (struct role){ r->exclude[k], LIST_EXCLUDE, k };
	qsort(rr->roles, n, sizeof(*rr->roles), role_cmp);
	rr->nroles = n;
	for (rr->mask = 1; rr->mask < 2 * n; rr->mask *= 2)
		;
	rr->slots = xcalloc(rr->mask, sizeof(*rr->slots));
	rr->mask--;
	for (k = 0; k < n; k++) {
		if (k > 0 && rr->roles[k - 1].entity == rr->roles[k].entity)
			continue;	/* not the first of its entity */
		for (s = ROLE_SLOT(rr->roles[k].entity) & rr->mask; rr->slots[s] != 0;
		    s = (s + 1) & rr->mask)
			;
		rr->slots[s] = (uint32_t)k + 1;
	}
}

/*
 * The shadow of the exact pattern form f (len bytes): f folded with FOLD_ALL, which the plain
 * automaton looks for on the exact one's behalf (scan_text), in *slen bytes. NULL when that is
 * no safe key: f holds a combining mark (it folds with what comes before it, which the text may
 * have otherwise), or its fold is empty or starts or ends with a space.
 */
static char *
shadow_of(const char *f, size_t len, size_t *slen)
{
	struct fold_buf	 g;
	size_t		 i;
	char		*r = NULL;

	for (i = 0; i < len; i = next_char(f, len, i))
		if (fold_mark_at(f, len, i))
			return NULL;
	memset(&g, 0, sizeof(g));
	fold_buf_text(&g, f, len, FOLD_ALL);
	if (g.len > 0 && g.s[0] != ' ' && g.s[g.len - 1] != ' ') {
		r = xstrndup(g.s, g.len);
		*slen = g.len;
	}
	fold_buf_free(&g);
	return r;
}

/*
 * Marks TWO_ODD in plain the two-byte code points that are not simple: in the company of simple
 * ones only, the plain automaton may stand in for the exact one (scan_text has the argument).
 * Folded on its own, with flags 0 to x and with FOLD_ALL to y, a simple character has: x one
 * code point at most, not a combining mark, nor is the character; y the FOLD_ALL fold of x; y
 * nothing when x is; x a space and y a space, or neither has one; y non-word characters only
 * when x is one; an Arabic (Hebrew) letter first in y when x is one; and a letter of the
 * proclitics of either script unchanged (word_start). Most two-byte characters are simple; not: the marks, ½ (1⁄2), Ĳ (IJ),
 * the Arabic tatweel (FOLD_ALL drops it)...
 */
static void
simple_chars(struct matcher *m)
{
	char		 b[2];
	struct folded	 x, y, z;
	int32_t		 cp, c = 0, d;
	size_t		 k, n;
	int		 ok;

	for (cp = 0x80; cp < 0x800; cp++) {
		b[0] = (char)(0xC0 | (cp >> 6));
		b[1] = (char)(0x80 | (cp & 0x3F));
		fold_text(b, 2, 0, &x);
		fold_text(b, 2, FOLD_ALL, &y);
		fold_text(x.s, x.len, FOLD_ALL, &z);
		ok = !fold_mark_at(b, 2, 0) && z.len == y.len && memcmp(z.s, y.s, y.len) == 0 &&
		    (x.len == 0) == (y.len == 0);
		if (ok && x.len > 0)
			ok = utf8_char((const unsigned char *)x.s, x.len, &c) == x.len && c >= 0 &&
			    !fold_mark_at(x.s, x.len, 0);
		if (ok && memchr(y.s, ' ', y.len) != NULL)
			ok = c == ' ' && y.len == 1;
		if (ok && x.len > 0 && !fold_is_wordchar(c))
			for (k = 0; ok && k < y.len; k += n) {
				n = utf8_char((const unsigned char *)y.s + k, y.len - k, &d);
				ok = d >= 0 && !fold_is_wordchar(d);
			}
		if (ok && arabic_at(x.s, x.len, 0))
			ok = arabic_at(y.s, y.len, 0);
		if (ok && hebrew_at(x.s, x.len, 0))
			ok = hebrew_at(y.s, y.len, 0);
		if (ok && x.len > 0 && (clitic_letter(c) || hebrew_clitic_letter(c)))
			ok = y.len == x.len && memcmp(x.s, y.s, x.len) == 0;
		if (!ok)
			m->plain.two[cp - 0x80] |= TWO_ODD;
		folded_free(&x);
		folded_free(&y);
		folded_free(&z);
	}
}

struct matcher *
matcher_new(const struct conf *conf)
{
	struct matcher		*m = xcalloc(1, sizeof(*m));
	struct trie		 tp = { 0 }, te = { 0 };
	unsigned char		*used, *scripts;
	const struct conf_entity *ent;
	struct automaton	*a;
	struct trie		*t;
	size_t			 i, k, j, len, npats = 0, nforms, cap[2], lens[FORMS_MAX], slen;
	char			*f, *forms[FORMS_MAX], *sf;
	struct pattern		*sp;
	int			 exact, prefix;
	unsigned		 fl;

	m->conf = conf;
	m->scratch = xcalloc(1, sizeof(*m->scratch));
	m->plain.flags = FOLD_ALL;
	m->exact.flags = 0;
	m->plain.start4 = xcalloc(START4_WORDS, sizeof(uint32_t));
	m->exact.start4 = xcalloc(START4_WORDS, sizeof(uint32_t));
	m->plain.word1 = xcalloc(WORD1_BITS / 8, 1);
	m->exact.word1 = xcalloc(WORD1_BITS / 8, 1);
	m->plain.word2 = xcalloc(WORD2_BITS / 8, 1);
	m->exact.word2 = xcalloc(WORD2_BITS / 8, 1);
	used = used_entities(conf, &scripts);
	for (i = 0; i < conf->nentities; i++)
		if (used[i])
			npats += conf->entities[i].naliases;
	/* One pattern per alias, most often; an alias in Arabic script may need more (alias_forms). */
	cap[0] = cap[1] = npats;
	m->plain.pats = xcalloc(npats, sizeof(struct pattern));
	m->exact.pats = xcalloc(npats, sizeof(struct pattern));
	trie_add_node(&tp, 0);
	trie_add_node(&te, 0);
	for (i = 0; i < conf->nentities; i++) {
		if (!used[i])
			continue;
		ent = &conf->entities[i];
		for (k = 0; k < ent->naliases; k++) {
			if (scripts[i] != SCRIPT_ALL &&
			    (alias_script(ent->aliases[k]) & scripts[i]) == 0)
				continue;
			if ((f = alias_fold(ent->aliases[k], &exact, &prefix, &len)) == NULL) {
				log_warnx("%s:%d: alias \"%s\" of %s is empty once folded: ignored",
				    conf->path ? conf->path : "config", ent->line,
				    ent->aliases[k], ent->name);
				continue;
			}
			a = exact ? &m->exact : &m->plain;
			t = exact ? &te : &tp;
			nforms = alias_forms(f, len, forms, lens);
			for (j = 0; j < nforms; j++) {
				if (a->npats == cap[exact]) {
					cap[exact] = cap[exact] * 2 + FORMS_MAX;
					a->pats = xreallocarray(a->pats, cap[exact], sizeof(*a->pats));
				}
				fl = ent->alias_flags != NULL ? ent->alias_flags[k] : 0;
				a->pats[a->npats] = (struct pattern){ .entity = (uint32_t)i,
				    .alias = ent->aliases[k], .len = (uint32_t)lens[j],
				    .prefix = prefix != 0,
				    .weak = (fl & CONF_ALIAS_WEAK) != 0,
				    .persian = (fl & CONF_ALIAS_PERSIAN) != 0,
				    .shared = (fl & CONF_ALIAS_SHARED) != 0,
				    .not = (fl & CONF_ALIAS_NOT) != 0,
				    .capital = (fl & CONF_ALIAS_PROPER) && !exact &&
				    fold_case_at(ent->aliases[k], strlen(ent->aliases[k]), 0) == 1,
				    .next = -1, .person = (fl & CONF_ALIAS_PERSON) &&
				    ent->kind != ENTITY_ACTOR,
				    .given = (fl & CONF_ALIAS_PERSON) && ent->kind == ENTITY_ACTOR,
				    .initial = exact && (fl & CONF_ALIAS_PROPER) &&
				    !(fl & CONF_ALIAS_WEAK) && !ent->builtin_person &&
				    initial_capital_only(ent->aliases[k]),
				    .builtin_place = ent->kind == ENTITY_PLACE &&
				    ent->builtin_id != NULL,
				    .leader = ent->kind == ENTITY_ACTOR && ent->builtin_person,
				    .actor_acronym = ent->kind == ENTITY_ACTOR && exact,
				    .surname = ent->kind == ENTITY_ACTOR && ent->builtin_person &&
				    name_alone(ent->aliases[k]) };
				if ((a->pats[a->npats].weak || a->pats[a->npats].initial) &&
				    m->group == NULL)
					m->group = groups(conf);
				if (a->pats[a->npats].not)
					m->nots = 1;
				for (len = 0; len < lens[j]; len++)
					a->used[(unsigned char)forms[j][len]] = 1;
				trie_insert(t, forms[j], lens[j], a->pats, (int32_t)a->npats);
				starts_add(a, (const unsigned char *)forms[j], lens[j], prefix);
				a->npats++;
				if (exact && lens[j] > m->exact_depth)
					m->exact_depth = (uint32_t)lens[j];
				/* Its shadow in plain, or the exact automaton scans everything. */
				if (exact && (sf = shadow_of(forms[j], lens[j], &slen)) == NULL)
					m->exact_pass = 1;
				else if (exact) {
					if (m->plain.npats == cap[0]) {
						cap[0] = cap[0] * 2 + FORMS_MAX;
						m->plain.pats = xreallocarray(m->plain.pats, cap[0],
						    sizeof(*m->plain.pats));
					}
					sp = &m->plain.pats[m->plain.npats];
					*sp = a->pats[a->npats - 1];
					sp->len = (uint32_t)slen;
					sp->shadow = 1;
					sp->next = -1;
					for (len = 0; len < slen; len++)
						m->plain.used[(unsigned char)sf[len]] = 1;
					trie_insert(&tp, sf, slen, m->plain.pats,
					    (int32_t)m->plain.npats);
					starts_add(&m->plain, (const unsigned char *)sf, slen,
					    prefix);
					m->plain.npats++;
					free(sf);
				}
				free(forms[j]);
			}
			free(f);
		}
	}
	/* Each list was sized for every alias; give back what the other one took. */
	m->plain.pats = xreallocarray(m->plain.pats, m->plain.npats + 1, sizeof(*m->plain.pats));
	m->exact.pats = xreallocarray(m->exact.pats, m->exact.npats + 1, sizeof(*m->exact.pats));
	ac_compile(&m->plain, &tp, DENSE_MAX);
	/* The exact automaton only confirms the plain one's shadows, in a few places of a text,
	 * unless some exact alias has no shadow: its rows would be 4 MB of a gazetteer's memory. */
	ac_compile(&m->exact, &te, m->exact_pass ? DENSE_MAX : EXACT_DENSE_MAX);
	if (m->exact.npats > 0 && !m->exact_pass) {
		simple_chars(m);
		m->plain.zones = 1;
	}
	free(tp.nodes);
	free(te.nodes);
	free(used);
	free(scripts);
	m->rules = xcalloc(conf->nrules, sizeof(*m->rules));
	for (i = 0; i < conf->nrules; i++) {
		rule_roles_build(&conf->rules[i], &m->rules[i]);
		if (conf->rules[i].within || conf->rules[i].within_sentence)
			m->need_positions = 1;
		if (conf->rules[i].nactors + conf->rules[i].nplaces + conf->rules[i].nkeywords == 0)
			m->fires_without_hits = 1;
	}
	for (i = 0, k = 0; i < conf->nentities; i++)
		if (conf->entities[i].builtin_id != NULL)
			k++;
	m->builtin_nesting = k >= 2;	/* a name may hold another's (drop_inside_actors) */
	log_debug("matcher: %zu plain and %zu exact alias forms, %zu + %zu states",
	    m->plain.npats, m->exact.npats, m->plain.nstates, m->exact.nstates);
	return m;
}

void
matcher_set_reference(struct matcher *m, int on)
{
	m->reference = on;
}

void
matcher_free(struct matcher *m)
{
	size_t	 i;

	if (m == NULL)
		return;
	automaton_free(&m->plain);
	automaton_free(&m->exact);
	scratch_cands(m->scratch, 0);
	free(m->scratch->ranges);
	free(m->scratch->texts);
	free(m->scratch->hits);
	fold_buf_free(&m->scratch->fb);
	fold_buf_free(&m->scratch->wfb);
	free(m->scratch);
	free(m->group);
	for (i = 0; i < m->conf->nrules; i++) {
		free(m->rules[i].roles);
		free(m->rules[i].slots);
	}
	free(m->rules);
	free(m);
}

/* ---- Scanning an item ---- */

/* One text of the item: a field, or one category. */
struct text {
	const char	*s;
	size_t		 len;
	unsigned	 field;
	size_t		 category;
	int		 league;	/* 0 not looked at yet, 1 no league named, 2 one is (league_named) */
	int		 persian;	/* the same: 1 not Persian, 2 Persian (persian_text) */
};

struct hit {
	size_t		 entity;
	const char	*alias;
	size_t		 text;		/* index into run.texts */
	size_t		 start, end;	/* in the original text */
	size_t		 wstart, wend;	/* index of the first and last word of the hit */
	size_t		 sentence;
	int		 weak;		/* WEAK_* */
	int		 not;
};

#define WEAK_GROUP	1	/* counts with a name of the same country (CONF_ALIAS_WEAK) */
#define WEAK_ANY	2	/* counts with any other name (pattern.initial) */
#define WEAK_SHARED	3	/* counts with a name of the same country, nothing else
				 * (CONF_ALIAS_SHARED: its namesakes abroad would count too) */

struct run {
	const struct matcher	*m;
	struct text		*texts;
	size_t			 ntexts;
	struct hit		*hits;
	size_t			 nhits, caphits;
	int			 dropped;
	struct fold_buf		 fb;		/* folded text, reused from field to field */
	struct fold_buf		 wfb;		/* scan_raw: a window of text folded again */
	struct range		*ranges;	/* where an exact hit may end (scan_text) */
	size_t			 nranges, capranges;
	struct span {
		size_t		 text, start, end;
	}			 persons[PERSONS_MAX];	/* people's names found (add_hit) */
	size_t			 npersons;
};

/*
 * A built-in person's name alone (pattern.surname: Carney, Trump, Трамп, ترامب) is also their
 * relatives' and their namesakes' (Jay Carney, Kai Trump, Мелания Трамп, مجتبی خامنه‌ای).
 * other_person tells them apart by the word before it and, in scripts with capitals, the word
 * after it; the person's own names (every word of every alias: Joe Biden, Tayyip Erdoğan,
 * علي خامنئي) never count against them.
 *
 * Before it, in a script with capitals: a capitalised word that is not a title, a role or a
 * function word (Mr, Cumhurbaşkanı, Президент; The, Why, Pour, Как: a headline starts with
 * them, and with a name). These lists are closed classes and can be complete enough; a list of
 * the world's given names could not. Not in a title written in title case, where every word has
 * a capital (Voters Back Carney).
 */
static const char *const titles[] = {
	"President", "Vice", "Prime", "Minister", "PM", "Chancellor", "King", "Queen", "Prince",
	"Princess", "Crown", "Sheikh", "Sheik", "Emir", "Sultan", "Ayatollah", "Leader", "General",
	"Gen", "Marshal", "Field", "Commander", "Mr", "Mrs", "Ms", "Dr", "Senator", "Sen",
	"Governor", "Premier", "Chairman", "Secretary", "Foreign", "Defence", "Defense",
	"Supreme", "Former", "Ex", "Says", "Said", "Président", "Présidente", "Ministre", "Chef",
	"Roi", "Cheikh", "Émir", "Monsieur", "Cumhurbaşkanı", "Başbakan", "Başbakanı", "Bakan",
	"Bakanı", "Başkan", "Başkanı", "Lider", "Lideri", "Kral", "Kralı", "Prens", "Prensi",
	"Veliaht", "Emiri", "Şeyh", "Şeyhi", "Sultanı", "Ayetullah", "Sayın", "Eski", "Kanzler",
	"Präsident", "Bundeskanzler", "Президент", "Премьер", "Председатель", "Канцлер",
	"Король", "Принц", "Эмир", "Шейх", "Султан", "Аятолла", "Лидер", "Глава", "Министр",
	"Госсекретарь", "Генсек", "Господин", "Экс", "Candidate", "Nominee", "Candidat", "Aday",
	"Кандидат", "Republican", "Democrat", "Democratic", "Labour", "Tory", "Conservative",
	"Liberal", "Team", "Şansölye", "Şansölyesi", "Komutan", "Komutanı", "Mareşal",
	"Maréchal", "Маршал", "Kraliçe", NULL };
/* Function words and the like that start headlines (English, French, Turkish, Russian). */
static const char *const headline_words[] = {
	"The", "A", "An", "As", "If", "When", "While", "Why", "How", "What", "Who", "Where", "Can",
	"Could", "Will", "Would", "Should", "Did", "Does", "Do", "Is", "Was", "Has", "Had", "Are",
	"After", "Before", "Under", "With", "Without", "For", "From", "To", "By", "At", "In", "On",
	"Of", "And", "But", "Or", "So", "Yet", "Now", "Today", "Yesterday", "Tonight", "Then",
	"Even", "Only", "Also", "Meanwhile", "Exclusive", "Analysis", "Opinion", "Watch", "Live",
	"Breaking", "Update", "Explainer", "Factbox", "Inside", "Behind", "Against", "Between",
	"Amid", "Despite", "Since", "Until", "Once", "Although", "Though", "Because", "Let", "Not",
	"No", "Le", "La", "Les", "Un", "Une", "Des", "Du", "De", "Et", "Mais", "Ou", "Pour", "Par",
	"Avec", "Sans", "Selon", "Chez", "Contre", "Entre", "Quand", "Comment", "Pourquoi", "Si",
	"Face", "Après", "Avant", "Pendant", "Depuis", "Même", "Aussi", "Alors", "Encore", "Ce",
	"Cette", "Ve", "Ama", "Fakat", "İle", "Dün", "Bugün", "Yarın", "Neden", "Nasıl", "Ne",
	"Kim", "Bu", "Şu", "O", "Bir", "Hem", "Da", "Sonra", "Önce", "Göre", "Karşı", "İçin",
	"Artık", "Yine", "Eğer", "И", "А", "Но", "Или", "Как", "Почему", "Зачем", "Что", "Кто",
	"Где", "Когда", "Если", "Пока", "Вчера", "Сегодня", "Завтра", "Теперь", "Также", "Даже",
	"Уже", "Ещё", "Еще", "Сам", "Лично", "Ранее", "После", "До", "Для", "При", "Без", "С",
	"В", "На", "О", "По", "За", "Против", "Между", "Это", "Этот", NULL };

/*
 * Articles joined to a name by a hyphen (al-Assad, as-Sisi, аль-Асад), and the two that may be
 * written apart from it (al Assad); as, an, at are English words.
 */
static const char *const name_articles[] = { "al", "el", "as", "ash", "ad", "an", "ar", "at",
	"az", "аль", "ас", "аш", "эль", NULL };
static const char *const name_articles_apart[] = { "al", "el", NULL };

/*
 * After it, in Latin script, for a name that is also a given name (@Erdoğan in actors.conf): a
 * capitalised word, another surname (Erdoğan Atalay), unless a title or one of the person's
 * own names stands before it (Cumhurbaşkanı Erdoğan Kabine Toplantısı'nda), or it is one of
 * the person's own names, an acronym, a name with a case ending (Erdoğan Putin'le görüştü:
 * Putin with him) or one joined to the name by "and" or "with" after it (Erdoğan Putin ile
 * görüştü). A surname that is no given name is followed by other names often enough
 * (Starmer Labour conference, Trump Media): only Jr. and Junior make another person of it.
 */
static const char *const name_juniors[] = { "Jr", "Junior", "junior", "جونيور", "جونیور",
	"ג'וניור", "ג׳וניור", "младший", "Младший", "младшего", "младшему", "младшим", NULL };

/*
 * Is one of name_juniors[] right after end, past a space or a hyphen (Trump Jr., ترامب جونيور,
 * Трамп-младший)? Compared as bytes: the Hebrew geresh is no word character.
 */
static int
junior_after(const char *s, size_t len, size_t end)
{
	const char *const *w;
	size_t		 n;

	if (end + 1 >= len || (s[end] != ' ' && s[end] != '-'))
		return 0;
	for (w = name_juniors, end++; *w != NULL; w++) {
		n = strlen(*w);
		if (n <= len - end && memcmp(s + end, *w, n) == 0 &&
		    (end + n == len || !fold_wordchar_at(s, len, end + n)))
			return 1;
	}
	return 0;
}

/*
 * Before any of a leader's names, a word for a building, a firm or an institution makes a thing
 * named after him of it (Trump Towers AVM'de yangın, Trump Media shares): news about the thing.
 * English and Turkish.
 */
static const char *const named_after[] = { "Tower", "Towers", "Organization", "Organisation",
	"Media", "Hotel", "Hotels", "International", "Golf", "Foundation", "Plaza", "Building",
	"University", "Airport", "Street", "Avenue", "Boulevard", "Road", "Bridge", "Stadium",
	"Center", "Centre", "Park", "Prize", "Institute", "Library", "Museum", "Hall", "School",
	"Caddesi", "Bulvarı", "Köprüsü", "Havalimanı", "Stadyumu", "Camii", "Üniversitesi",
	"Vakfı", "Kulesi", NULL };
static const char *const name_joins[] = { "ile", "ve", "and", "et", "with", "avec", NULL };

/*
 * An alias word matches up to this many more bytes in the text: Russian declines names
 * (Дональда Трампа, Владимира Путина), two Cyrillic letters at most.
 */
#define DECLENSION_BYTES	4

/* Is s[b, e) a word of one of the entity's names (declined or not, ASCII case aside)? */
static int
own_word(const struct conf_entity *ent, const char *s, size_t b, size_t e)
{
	const char	*w;
	size_t		 k, n;

	for (k = 0; k < ent->naliases; k++) {
		for (w = ent->aliases[k]; *w != '\0'; w += n + (w[n] != '\0')) {
			n = strcspn(w, " -\"*");
			if (n == 0)
				continue;
			if ((n == e - b || (n >= 4 && e - b > n && e - b <= n + DECLENSION_BYTES)) &&
			    strncasecmp(w, s + b, n) == 0)
				return 1;
		}
	}
	return 0;
}

/*
 * Is s[b, e) one of list, with a capital first (the list's) or not (президент России, mid-
 * sentence)? Russian declines titles as it does names (Президента России, премьеру), so in
 * Cyrillic a word that starts with one and goes on for a case ending is one.
 */
#define TITLE_BYTES_MAX	64

static int
title_word(const char *s, size_t b, size_t e, const char *const *list)
{
	const char *const *w;
	unsigned char	 u[TITLE_BYTES_MAX];
	size_t		 n, len = e - b;
	int		 cyrillic;

	if (len == 0 || len > sizeof(u))
		return 0;
	memcpy(u, s + b, len);
	/* The first letter in capitals: ASCII, Latin-1 (é), Cyrillic (а-п, р-я). */
	if (u[0] >= 'a' && u[0] <= 'z')
		u[0] -= 0x20;
	else if (len >= 2 && u[0] == 0xC3 && u[1] >= 0xA0 && u[1] <= 0xBE && u[1] != 0xB7)
		u[1] -= 0x20;
	else if (len >= 2 && u[0] == 0xD0 && u[1] >= 0xB0 && u[1] <= 0xBF)
		u[1] -= 0x20;
	else if (len >= 2 && u[0] == 0xD1 && u[1] >= 0x80 && u[1] <= 0x8F) {
		u[0] = 0xD0;
		u[1] += 0x20;
	}
	cyrillic = u[0] == 0xD0 || u[0] == 0xD1;
	for (w = list; *w != NULL; w++) {
		n = strlen(*w);
		if ((n == len || (cyrillic && n >= 4 && len > n && len <= n + DECLENSION_BYTES)) &&
		    memcmp(u, *w, n) == 0)
			return 1;
	}
	return 0;
}

/*
 * Is the name at s[start, end), alone or in full, of a built-in person (p), another person's
 * here? In full or alone: after "son of" (خالد بن محمد بن زايد, Khalid bin Mohamed bin Zayed:
 * his father's name in a nasab). Alone: see titles, headline_words and given_names; and before "son of"
 * (Tamim bin Saud is not Tamim bin Hamad; a longer alias finds the person).
 */
static int
other_person(const char *s, size_t len, size_t start, size_t end, const struct pattern *p,
    const struct conf_entity *ent)
{
	size_t	 b, e, b2, e2;
	int	 c, vouched;

	if (word_before(s, start, &b, &e) && son_of_word(s, b, e))
		return 1;
	if (junior_after(s, len, end) ||
	    (word_after(s, len, end, &b, &e) && word_in(s, b, e, named_after)))
		return 1;
	if (!p->surname)
		return 0;
	if (word_after(s, len, end, &b, &e) && son_of_word(s, b, e))
		return 1;
	/* al-Assad, al Assad: the word before the article */
	if (start >= 2 && s[start - 1] == '-') {
		b = word_start_before(s, start - 1);
		if (b < start - 1 && word_in(s, b, start - 1, name_articles))
			start = b;
	} else if (word_before(s, start, &b, &e) && word_in(s, b, e, name_articles_apart))
		start = b;
	vouched = 0;
	if (word_before(s, start, &b, &e)) {
		c = fold_case_at(s, len, b);
		/*
		 * A title, or a title and its country (Президент Турции Эрдоган), or his given
		 * name and another (Владимир Владимирович Путин, Donald John Trump).
		 */
		vouched = title_word(s, b, e, titles) || own_word(ent, s, b, e) ||
		    (word_before(s, b, &b2, &e2) && (title_word(s, b2, e2, titles) ||
		    own_word(ent, s, b2, e2)));
		if (c == 1 && !all_capitals(s, len, b, e) && !vouched &&
		    !word_in(s, b, e, headline_words) && !title_case(s, len))
			return 1;
		if (c == 0 && (arabic_at(s, len, b) || hebrew_at(s, len, b)) &&
		    given_name(s, len, b, e) && !own_word(ent, s, b, e))
			return 1;
	}
	if (!latin_at(s, start) || !word_after(s, len, end, &b, &e))
		return 0;
	return p->given && !vouched && capitalised(s, len, b, e) && !own_word(ent, s, b, e) &&
	    !apostrophe_suffix(s, len, e) &&
	    !(word_after(s, len, e, &b2, &e2) && word_in(s, b2, e2, name_joins)) &&
	    !title_case(s, len);
}

/* Words that put what follows in a place: a city after them is the place even in sport news,
 * but for French face à, face au (the rival). */
static const char *const in_words[] = { "in", "In", "at", "в", "во", "В", "في", "در", "à", "au",
	"en", NULL };
static const char *const face[] = { "face", NULL };

/* Turkish case endings that say "in", "from" or "of" a place: Trabzon'da, Lyon'dan. */
static const char *const locative_suffixes[] = { "da", "de", "ta", "te", "daki", "deki",
	"taki", "teki", "dan", "den", "tan", "ten", NULL };

/* Is the city at s[start, end) a club: the text names a league, and the city is not where
 * something happens (see league_named)? */
static int
league_club(struct text *t, size_t start, size_t end)
{
	size_t	 b, e, b2, e2, k;

	if (t->league == 0)
		t->league = league_named(t->s, t->len) ? 2 : 1;
	if (t->league != 2)
		return 0;
	if (word_before(t->s, start, &b, &e) && word_in(t->s, b, e, in_words))
		return word_before(t->s, b, &b2, &e2) && word_in(t->s, b2, e2, face);
	k = apostrophe_len(t->s, t->len, end);
	return !(k > 0 && word_in(t->s, end + k, word_end_at(t->s, t->len, end + k),
	    locative_suffixes));
}

/*
 * An organisation is one of a kind: French never counts it or calls it "a" (une UE, des UE,
 * chaque UE: a university course unit; l'UE is the Union). So an actor's acronym after one of
 * these words is some common noun. English is left out: "a UN report", "an EU official" are
 * the acronym before a noun.
 */
static const char *const count_words[] = { "un", "une", "des", "chaque", "cette", "ces",
	"plusieurs", "deux", "trois", "Un", "Une", "Des", "Chaque", "Cette", "Ces", "Plusieurs",
	"Deux", "Trois", NULL };

static int
counted_acronym(const struct pattern *p, const char *s, size_t start)
{
	size_t	 b, e, a = p->alias[0] == '"', n = strlen(p->alias) - 2 * a;

	return p->actor_acronym && n > 0 && acronym(p->alias + a, n) &&
	    word_before(s, start, &b, &e) && word_in(s, b, e, count_words);
}

/*
 * Is built-in name p, written in small letters in Cyrillic (a Russian adjective: турецкий), at
 * s[start] with a capital in mid-sentence? Russian writes its adjectives and demonyms small;
 * with a capital the word is a surname or part of a name (Хор Турецкого, Turetsky's choir).
 */
static int
russian_name_capitalised(const struct pattern *p, const char *s, size_t len, size_t start)
{
	const unsigned char	*a = (const unsigned char *)p->alias;

	return (a[0] == 0xD0 || a[0] == 0xD1) &&
	    fold_case_at(p->alias, strlen(p->alias), 0) == -1 &&
	    fold_case_at(s, len, start) == 1 && !sentence_start(s, start);
}

/*
 * Is the text Persian: has it a letter Persian writes and Arabic does not (پ چ ژ گ, the Persian
 * keheh ک and yeh ی, which Arabic writes ك and ي or ى), the zero-width non-joiner Persian
 * writes inside words (ده‌ها), or one of its commonest words, which are none in Arabic (در
 * "in", از "from")? A name that is only an Arabic word (مشهد "a scene") is the place there
 * (CONF_ALIAS_PERSIAN).
 */
static const char *const persian_words[] = { "در", "از", NULL };

static int
persian_text(struct text *t)
{
	const unsigned char	*u = (const unsigned char *)t->s;
	size_t			 i, e;

	if (t->persian != 0)
		return t->persian == 2;
	t->persian = 1;
	for (i = 0; i + 1 < t->len && t->persian == 1; i++) {
		if ((u[i] == 0xD9 && u[i + 1] == 0xBE) ||		/* پ U+067E */
		    (u[i] == 0xDA && (u[i + 1] == 0x86 ||		/* چ U+0686 */
		    u[i + 1] == 0x98 || u[i + 1] == 0xA9 ||		/* ژ U+0698, ک U+06A9 */
		    u[i + 1] == 0xAF)) ||				/* گ U+06AF */
		    (u[i] == 0xDB && u[i + 1] == 0x8C) ||		/* ی U+06CC */
		    (i + 2 < t->len && u[i] == 0xE2 && u[i + 1] == 0x80 &&
		    u[i + 2] == 0x8C))					/* ZWNJ U+200C */
			t->persian = 2;
		else if ((i == 0 || u[i - 1] == ' ') && u[i] >= 0xD8 && u[i] <= 0xDB &&
		    ((e = word_end_at(t->s, t->len, i)) == t->len || u[e] == ' ') &&
		    word_in(t->s, i, e, persian_words))
			t->persian = 2;
	}
	return t->persian == 2;
}

/* A hit of pattern p on text[start, end) (offsets in the original text). */
static void
add_hit(struct run *r, const struct pattern *p, size_t text, size_t start, size_t end)
{
	const char	*s = r->texts[text].s;
	size_t		 len = r->texts[text].len;
	struct span	 who;
	struct hit	*h;

	/* A built-in Mali is no "mali" (finance): a capital in the name needs one in the text. */
	if (p->capital && fold_case_at(s, len, start) == -1)
		return;
	if (p->builtin_place && russian_name_capitalised(p, s, len, start))
		return;
	if (p->leader && other_person(s, len, start, end, p, &r->m->conf->entities[p->entity]))
		return;
	if (counted_acronym(p, s, start))
		return;
	/*
	 * A not = phrase is never a club's or a quoted work's name itself: it is what tells the
	 * place from such a name («Иван Грозный» is the film, and its first word is no place).
	 */
	if (p->builtin_place && !p->not &&
	    (club_here(s, len, start, end) || quoted_name(s, len, start, end) ||
	    person_before_place(s, len, start, end) || street_or_river(s, len, start, end) ||
	    (r->m->conf->entities[p->entity].builtin_kind == 'P' &&
	    (team_verb_after(s, len, end) || plural_verb_after(s, len, start, end) ||
	    edged_past(s, start) ||
	    score_beside(s, len, start, end) || club_role_after(s, len, end) ||
	    beaten_rival(s, start) || league_club(&r->texts[text], start, end))) ||
	    /* a region named as a club in a league's news (רומא ניצחה את לאציו בדרבי) */
	    (r->m->conf->entities[p->entity].builtin_kind == 'A' &&
	    league_club(&r->texts[text], start, end))))
		return;
	/* Part of a person's name: dropped, and the name kept for drop_persons (Kenya Moore). */
	if ((p->person && person_name_here(s, len, start, end, &who.start, &who.end)) ||
	    (p->builtin_place && son_of_after(s, len, start, end, &who.start, &who.end))) {
		if (r->npersons < PERSONS_MAX) {
			who.text = text;
			r->persons[r->npersons++] = who;
		}
		return;
	}
	if (r->nhits == HITS_MAX) {
		if (!r->dropped)
			log_debug("match: more than %d hits in one item, rest ignored", HITS_MAX);
		r->dropped = 1;
		return;
	}
	if (r->nhits == r->caphits) {
		r->caphits = r->caphits ? r->caphits * 2 : 64;
		r->hits = xreallocarray(r->hits, r->caphits, sizeof(*r->hits));
	}
	h = &r->hits[r->nhits++];
	memset(h, 0, sizeof(*h));
	h->entity = p->entity;
	h->alias = p->alias;
	h->weak = p->shared ? WEAK_SHARED :
	    p->weak && !(p->persian && persian_text(&r->texts[text])) ? WEAK_GROUP :
	    p->initial && sentence_start(s, start) && !apostrophe_suffix(s, len, end) ? WEAK_ANY : 0;
	h->not = p->not;
	h->text = text;
	h->start = start;
	h->end = end;
}

/*
 * The exact automaton is to look for hits whose last character comes from raw text [lo, hi]
 * (scan_text): where a shadow pattern (pattern.shadow) hit [lo, hi), hi included. The reference
 * scan and a full exact pass need no such hint.
 */
static void
range_add(struct run *r, size_t lo, size_t hi)
{
	struct range	*g;

	if (r->m->reference || r->m->exact_pass)
		return;
	hi++;
	if (r->nranges > 0) {
		g = &r->ranges[r->nranges - 1];
		if (lo >= g->lo && lo <= g->hi) {
			if (hi > g->hi)
				g->hi = hi;
			return;
		}
	}
	if (r->nranges == r->capranges) {
		r->capranges = r->capranges ? r->capranges * 2 : 16;
		r->ranges = xreallocarray(r->ranges, r->capranges, sizeof(*r->ranges));
	}
	r->ranges[r->nranges++] = (struct range){ lo, hi };
}

/* One step of the automaton from a state without a dense row. */
static uint32_t
sparse_step(const struct automaton *a, uint32_t st, unsigned char c)
{
	uint32_t	 t;

	if (!a->used[c])
		return 0;	/* a byte in no alias: back to the root without a search */
	for (;;) {
		if (st < a->ndense)
			return a->dense[st][c] & ~DENSE_LOOK;
		if ((t = ac_goto(a, st, c)) != 0)
			return t;
		st = a->states[st].fail;
	}
}

/*
 * The patterns that end in state st, at folded offset end: whole-word ones go to r. f is the
 * fold of the text from its byte base on.
 */
static void
report(struct run *r, const struct automaton *a, const struct fold_buf *f, size_t base,
    size_t text, uint32_t st, size_t end)
{
	const struct pattern	*p;
	uint32_t		 x;
	int32_t			 pi;
	size_t			 start;

	for (x = a->states[st].out >= 0 ? st : a->states[st].dict; x; x = a->states[x].dict) {
		for (pi = a->states[x].out; pi >= 0; pi = p->next) {
			p = &a->pats[pi];
			start = end - p->len;
			/*
			 * At the very start of a window (base > 0) the character before is not
			 * known: such a hit is longer than the state's depth that sized the
			 * window, so it started just after a word character (see ac_compile).
			 */
			if ((start == 0 && base > 0) || !word_start(f->s, f->len, start))
				continue;
			if (!p->prefix && fold_wordchar_at(f->s, f->len, end))
				continue;
			if (p->shadow)
				range_add(r, base + fold_buf_offset(f, start),
				    base + fold_buf_offset(f, end));
			else
				add_hit(r, p, text, base + fold_buf_offset(f, start),
				    base + fold_buf_offset(f, end));
		}
	}
}

/* The offset in the text of the character that folded byte f->s[end - 1] comes from. */
static size_t
source_of(const struct fold_buf *f, size_t base, size_t end)
{
	size_t	 k = end - 1;

	while (k > 0 && ((unsigned char)f->s[k] & 0xC0) == 0x80)
		k--;	/* back to the first byte of that character */
	return base + fold_buf_offset(f, k);
}

/*
 * Scans folded text with one automaton; whole-word hits go to r (word_start, fold_wordchar_at:
 * the same rule for every script, save Arabic's proclitics). f is the fold of the text from its byte base on; only hits whose last character comes from
 * text[lo, hi) are reported (scan_raw's windows; 0 and SIZE_MAX for all).
 */
static void
scan(struct run *r, const struct automaton *a, const struct fold_buf *f, size_t base,
    size_t text, size_t lo, size_t hi)
{
	const unsigned char	*s = (const unsigned char *)f->s;
	const uint32_t		(*dense)[256] = (const uint32_t (*)[256])a->dense;
	size_t			 i = 0, n = f->len, ndense = a->ndense;
	uint32_t		 st = 0, t;

	/* i counts the bytes consumed: st is the state after s[0, i). */
	while (i < n) {
		if (st < ndense) {
			/*
			 * The common case, in a loop of its own: one load per byte while the
			 * scan stays among the dense states, until the flag says to look.
			 */
			t = dense[st][s[i++]];
			while (!(t & DENSE_LOOK) && i < n)
				t = dense[t][s[i++]];
			if (!(t & DENSE_LOOK))
				break;	/* the end of the text, nothing to report */
			st = t & ~DENSE_LOOK;
		} else
			st = sparse_step(a, st, s[i++]);
		if ((a->states[st].out >= 0 || a->states[st].dict != 0) &&
		    ((lo == 0 && hi == SIZE_MAX) ||
		    (source_of(f, base, i) >= lo && source_of(f, base, i) < hi)))
			report(r, a, f, base, text, st, i);
	}
}

/*
 * One pass over the raw text, folding as it reads (most news text is ASCII, and folding it into
 * a copy first cost as much as the scan itself). The automaton reads ASCII bytes through the raw
 * rows (fold's ASCII table built in), so it sees the fold that fold_buf_text would make. A byte
 * of 0x80 and up stops that loop, and its character is folded here: from fold's two-byte table
 * when fold_text would use it, else by fold_buf_text over the stretch up to the next "cut", two
 * ASCII bytes in a row. No character and no combining mark crosses a cut, so a stretch folded on
 * its own gives the same bytes as the whole text folded, save a space at its start that the
 * whole text would have collapsed (the automaton ignores a space after a space).
 *
 * Reporting needs the folded text around a hit (whole words) and its offsets in the raw text,
 * which the scan does not keep. When a pattern ends in plain ASCII text, both come from the raw
 * bytes (report_ascii). Otherwise a small window of raw text around the character where it ended
 * is folded again and given to the reference scan, which reports only the hits that end in that
 * character (report_window). Either way hits come out in the order fold-then-scan gives, with
 * the same offsets; test_match checks that on generated text (match__raw_scan__same_as_reference).
 */

/* Is pos a cut in the raw text: two ASCII bytes meet there (or an end)? */
static int
cut_at(const unsigned char *u, size_t n, size_t pos)
{
	return pos == 0 || pos >= n || (u[pos - 1] < 0x80 && u[pos] < 0x80);
}

static int
ascii_word(const struct automaton *a, unsigned char c)
{
	return fold_is_wordchar(a->amap[c]);
}

/*
 * A pattern ended after the ASCII byte u[e - 1] in state st. If everything the hits need is
 * ASCII (each byte a character of its own that folds to one byte, a run of separators to one
 * space), reports them from the raw bytes and returns 1; else 0 and nothing was reported.
 */
static int
report_ascii(struct run *r, const struct automaton *a, const unsigned char *u, size_t n,
    size_t text, uint32_t st, size_t e)
{
	const struct pattern	*p;
	size_t			 starts[64], ns = 0, k, left, b;
	uint32_t		 x;
	int32_t			 pi;
	int			 word_after;

	/* The character after the hit, if it is ASCII and no combining mark follows it. */
	if (e == n)
		word_after = 0;
	else if (u[e] < 0x80 && u[e + 1] < 0x80)	/* u[n] is the NUL */
		word_after = ascii_word(a, u[e]);
	else
		return 0;
	/* First where each hit starts (all or nothing), then report in the usual order. */
	for (x = a->states[st].out >= 0 ? st : a->states[st].dict; x; x = a->states[x].dict) {
		for (pi = a->states[x].out; pi >= 0; pi = p->next) {
			p = &a->pats[pi];
			if (ns == sizeof(starts) / sizeof(starts[0]))
				return 0;
			for (b = e, left = p->len; left > 0; left--) {
				if (b == 0 || u[b - 1] >= 0x80)
					return 0;
				b--;
				if (a->amap[u[b]] == ' ')	/* a run folds to its first byte */
					while (b > 0 && u[b - 1] < 0x80 && a->amap[u[b - 1]] == ' ')
						b--;
			}
			if (b > 0 && u[b - 1] >= 0x80)
				return 0;
			starts[ns++] = b;
		}
	}
	k = 0;
	for (x = a->states[st].out >= 0 ? st : a->states[st].dict; x; x = a->states[x].dict) {
		for (pi = a->states[x].out; pi >= 0; pi = p->next) {
			p = &a->pats[pi];
			b = starts[k++];
			if (b > 0 && ascii_word(a, u[b - 1]))
				continue;
			if (!p->prefix && word_after)
				continue;
			if (p->shadow)
				range_add(r, b, e);
			else
				add_hit(r, p, text, b, e);
		}
	}
	return 1;
}

/*
 * A pattern ended in the fold of raw text [b, e), in a state at most depth deep: folds a window
 * around it again and reports the hits whose last character comes from [b, e). The window starts
 * at least depth folded bytes before b (a non-separator ASCII byte folds to at least one byte;
 * anything else may fold to none, so it is not counted): as those hits end after b, each has a
 * character before it in the window. It ends past the next ASCII byte from e on, which folds to
 * a character after the hit (or to the space it collapses into). Both ends are cuts.
 */
static void
report_window(struct run *r, const struct automaton *a, const unsigned char *u, size_t n,
    size_t text, size_t b, size_t e, uint32_t depth)
{
	size_t	 ws = b, we = e + 1, need = depth;

	while (ws > 0 && need > 0) {
		ws--;
		if (u[ws] < 0x80 && a->amap[u[ws]] != ' ')
			need--;
	}
	while (!cut_at(u, n, ws))
		ws--;
	while (!cut_at(u, n, we))
		we++;
	if (we > n)
		we = n;
	fold_buf_text(&r->wfb, (const char *)u + ws, we - ws, a->flags);
	scan(r, a, &r->wfb, ws, text, b, e);
}

/* One step on a folded byte from any state, a space after a space ignored (see above). */
static uint32_t
step(const struct automaton *a, uint32_t st, unsigned char c)
{
	if (c == ' ' && st != 0 && a->states[st].label == ' ')
		return st;
	if (st < a->ndense)
		return a->dense[st][c] & ~DENSE_LOOK;
	return sparse_step(a, st, c);
}

static int
has_output(const struct automaton *a, uint32_t st)
{
	return a->states[st].out >= 0 || a->states[st].dict != 0;
}

/*
 * Feeds the fold f (flen bytes) of raw text [b, e) to the automaton from *st and reports what
 * ends in it.
 */
static void
feed(struct run *r, const struct automaton *a, const unsigned char *u, size_t n, size_t text,
    uint32_t *st, const char *f, size_t flen, size_t b, size_t e)
{
	size_t		 k;
	uint32_t	 depth = 0;
	int		 found = 0;

	for (k = 0; k < flen; k++) {
		if (*st < a->ndense && f[k] != ' ')	/* step()'s common case, inline */
			*st = a->dense[*st][(unsigned char)f[k]] & ~DENSE_LOOK;
		else
			*st = step(a, *st, (unsigned char)f[k]);
		if (has_output(a, *st)) {
			found = 1;
			if (a->states[*st].depth > depth)
				depth = a->states[*st].depth;
		}
	}
	if (found)
		report_window(r, a, u, n, text, b, e, depth);
}

/*
 * Raw text [b, e) holds a character that is not simple: the exact automaton is to look around
 * it (scan_text), as far as a hit with a character next to it may end: the longest exact
 * pattern and a few more non-separator ASCII bytes, which fold to a byte each.
 */
static void
zone_add(struct run *r, const struct automaton *a, const unsigned char *u, size_t n, size_t b,
    size_t e)
{
	size_t	 lo, hi, k, margin = r->m->exact_depth + 3;

	for (lo = b, k = 0; lo > 0 && k < margin; lo--)
		if (u[lo - 1] < 0x80 && a->amap[u[lo - 1]] != ' ')
			k++;
	for (hi = e, k = 0; hi < n && k < margin; hi++)
		if (u[hi] < 0x80 && a->amap[u[hi]] != ' ')
			k++;
	range_add(r, lo, hi - 1);
}

/*
 * Folds and feeds the characters from raw text[i] on, up to the next ASCII byte; b = i - 1 when
 * text[i] is a combining mark after the ASCII character text[b], which it is folded with. two is
 * fold_two_at's answer for text[i]. Returns where the ASCII text resumes.
 */
static size_t
scan_non_ascii(struct run *r, const struct automaton *a, const unsigned char *u, size_t n,
    size_t text, uint32_t *st, size_t b, size_t i, const char *f, int two)
{
	size_t		 q, flen;

	for (;;) {
		if (b == i && two >= 0) {
			q = i + 2;
			flen = (size_t)two;
			if (a->two[two_at(u, i)] & TWO_ODD)
				zone_add(r, a, u, n, i, q);
		} else {
			for (q = b + 1; !cut_at(u, n, q); q++)
				;
			fold_buf_text(&r->fb, (const char *)u + b, q - b, a->flags);
			f = r->fb.s;
			flen = r->fb.len;
			if (a->zones)
				zone_add(r, a, u, n, b, q);
		}
		feed(r, a, u, n, text, st, f, flen, b, q);
		b = i = q;
		if (i >= n || u[i] < 0x80)
			return i;
		two = fold_two_at((const char *)u, n, i, a->flags, &f);
	}
}

/* The index into two[] and fcp[] of the two-byte character at u[p], or -1 if none starts there. */
static int
two_at(const unsigned char *u, size_t p)
{
	if (u[p] < 0xC2 || u[p] > 0xDF || (u[p + 1] & 0xC0) != 0x80)
		return -1;
	return ((u[p] & 0x1F) << 6 | (u[p + 1] & 0x3F)) - 0x80;
}

/*
 * The first code point of the fold of the character at u[p] (ASCII or of two bytes) and, in
 * *len, its length, when it folds to one code point on its own (no combining mark follows it:
 * in a text folded "exact", g and a combining breve make ğ). Else -1.
 */
static inline int32_t
folded_at(const struct automaton *a, const unsigned char *u, size_t p, size_t *len)
{
	int32_t		 cp;
	int		 k;

	if (u[p] == 0)
		return -1;
	if (u[p] < 0x80) {
		cp = a->amap[u[p]];
		*len = 1;
	} else if ((k = two_at(u, p)) >= 0 && (cp = a->fcp[k]) >= 0)
		*len = 2;
	else
		return -1;
	if (u[p + *len] >= 0xE0 || ((k = two_at(u, p + *len)) >= 0 && (a->two[k] & TWO_MARK)))
		return -1;
	return cp;
}

/*
 * may_start_slow's first part: does the fold of the text at u[i], character by character, start
 * like some pattern? Its first character, then the first two (hashed), then, when no run of
 * separators is among them, the first three: start4 when all three are ASCII (and the fourth,
 * when it is too: Müller, naïve and Señor fold to mull, naiv, seno), else triple.
 * Without triple, a word not in ASCII went on to be hashed whole (text_word) whenever some
 * pattern started with its first two letters: with the United States loaded, in all its
 * languages, most of them (ال, في, مس; Mü, Se, Na). Bench, processor time, best of four,
 * interleaved: the United States 285-295 -> 304-313 MB/s, the others the same; with the
 * fourth character, 362 -> 371.
 */
static int
may_start_chars(const struct automaton *a, const unsigned char *u, size_t i)
{
	size_t		 l0, l1, l2, l3;
	int32_t		 c0, c1, c2, c3;
	uint32_t	 w;

	if ((c0 = folded_at(a, u, i, &l0)) < 0 || (a->first[c0] & FIRST_ALONE))
		return 1;
	if (!(a->first[c0] & FIRST_SOME))
		return 0;
	if ((c1 = folded_at(a, u, i + l0, &l1)) < 0)
		return 1;
	if (!BIT_GET(a->pair, PAIR_KEY(c0, c1)))
		return 0;
	if (c1 == ' ' || (c2 = folded_at(a, u, i + l0 + l1, &l2)) < 0)
		return 1;
	if (c0 >= 0x80 || c1 >= 0x80 || c2 >= 0x80)
		return BIT_GET(a->pair_end, PAIR_KEY(c0, c1)) ||
		    BIT_GET(a->triple, TRIPLE_KEY(c0, c1, c2));
	w = a->start4[START3_KEY(c0 & 31, c1 & 31, c2 & 31)];
	/* A fourth character not ASCII: the patterns whose fourth byte is not set every bit. */
	if (w == 0 || (c3 = folded_at(a, u, i + l0 + l1 + l2, &l3)) < 0 || c3 >= 0x80)
		return w != 0;
	return (w >> (c3 & 31)) & 1;
}

/*
 * Past the word at u[*i] of the raw text, its fold hashed into *h (struct whash) as word_bytes
 * does a pattern's: 1 when it ends at a character that folds to a non-word one on its own, or
 * at the end; 0 when a character cannot be told apart this way (folded_at).
 */
static int
text_word(const struct automaton *a, const unsigned char *u, size_t *i, struct whash *h)
{
	const unsigned char	*wordb = a->wordb, *amap = a->amap;
	size_t			 p = *i, len;
	struct whash		 x = *h;
	int32_t			 cp;
	int			 r, k, m;

	/* In locals: stores through i and h might change what u points to, for the compiler. */
	for (;;) {
		while (wordb[u[p]]) {	/* the common case, a byte at a time */
			whash_byte(&x, amap[u[p]]);
			p++;
		}
		if (u[p] < 0x80) {
			r = 1;
			break;
		}
		/*
		 * What folded_at and fold_is_wordchar say, in the common case: a letter of two
		 * bytes (é, ñ, Arabic) before one that is not a mark.
		 */
		if ((k = two_at(u, p)) >= 0 && (a->two[k] & TWO_FWORD) && (u[p + 2] < 0x80 ||
		    ((m = two_at(u, p + 2)) >= 0 && !(a->two[m] & TWO_MARK)))) {
			cp = a->fcp[k];
			len = 2;
		} else if ((cp = folded_at(a, u, p, &len)) < 0 || !fold_is_wordchar(cp)) {
			r = cp >= 0;
			break;
		}
		if (cp >= 0x80) {	/* fcp: two bytes at most */
			whash_byte(&x, 0xC0 | (unsigned)(cp >> 6));
			cp = 0x80 | (cp & 0x3F);
		}
		whash_byte(&x, (unsigned)cp);
		p += len;
	}
	*i = p;
	*h = x;
	return r;
}

#ifdef __SSE2__
static unsigned	alnum_mask(__m128i);
#endif

/*
 * text_word's common case without a loop: at u[0], a word of ASCII letters and digits shorter
 * than 16 bytes, then an ASCII byte, with 16 bytes readable (u[15] at most the NUL). Its hash
 * (struct whash, from seed) in *x, and its length; 0 when that is not the case.
 */
#ifdef __SSE2__
/*
 * The hash (struct whash, from seed) of the ASCII word of len bytes (1 to 15) that v, 16 bytes
 * of text, starts with: folded (word_or), the bytes past it zeroed, without a branch on len.
 */
static inline uint64_t
word_fast_hash(const struct automaton *a, __m128i v, unsigned len, uint64_t seed)
{
	static const unsigned char	 lane[16] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13,
					    14, 15 };

	v = _mm_or_si128(v, _mm_set1_epi8((char)(a->word_or & 0xFF)));
	v = _mm_and_si128(v, _mm_cmplt_epi8(_mm_loadu_si128((const __m128i *)(const void *)lane),
	    _mm_set1_epi8((char)len)));
	return whash_mix(seed, (uint64_t)_mm_cvtsi128_si64(v),
	    (uint64_t)_mm_cvtsi128_si64(_mm_srli_si128(v, 8)));
}
#endif

static inline size_t
word_fast(const struct automaton *a, const unsigned char *u, uint64_t seed, uint64_t *x)
{
#ifdef __SSE2__
	__m128i		 v = _mm_loadu_si128((const __m128i *)(const void *)u);
	unsigned	 stop = ~alnum_mask(v) & 0xFFFF, len;

	if (stop == 0 || (len = (unsigned)__builtin_ctz(stop)) == 0 || u[len] >= 0x80)
		return 0;
	*x = word_fast_hash(a, v, len, seed);
	return len;
#else
	(void)a, (void)u, (void)seed, (void)x;
	return 0;
#endif
}

/*
 * The word at u[*i] (n bytes in all), hashed from seed into *x, *i past it (not moved: no word
 * there): word_fast where it can, else text_word. 0 when text_word cannot tell.
 */
static int
word_hash(const struct automaton *a, const unsigned char *u, size_t n, size_t *i, uint64_t seed,
    uint64_t *x)
{
	unsigned char	 tail[16];
	struct whash	 h;
	size_t		 len = 0;

	if (a->word_fast) {
		if (*i + 16 <= n)
			len = word_fast(a, u + *i, seed, x);
		else if (*i < n) {	/* near the end: a copy, with the NUL and zeros after it */
			memset(tail, 0, sizeof(tail));
			memcpy(tail, u + *i, n - *i);
			len = word_fast(a, tail, seed, x);
		}
		if (len > 0) {
			*i += len;
			return 1;
		}
	}
	whash_init(&h, seed);
	if (!text_word(a, u, i, &h))
		return 0;
	*x = whash_end(&h);
	return 1;
}

/*
 * The second stage of the filter (WORD1_BITS) at u[i], a start the first let through: no when
 * the word there folds to a word no pattern starts with; or when the patterns that do all go
 * on with a second word, a run of separators and a word follow, and no pattern starts with
 * those two. Yes whenever it cannot tell.
 */
static int	may_start_word2(const struct automaton *, const unsigned char *, size_t, size_t,
		    uint64_t);

static int
may_start_word(const struct automaton *a, const unsigned char *u, size_t n, size_t i)
{
	uint64_t	 x;
	size_t		 i0 = i, len;
	unsigned	 w1;

	if (a->word1_all)
		return 1;
	/* word_hash's common case first, for a function that needs few registers. */
	if (a->word_fast && i + 16 <= n && (len = word_fast(a, u + i, WORD1_SEED, &x)) > 0)
		i += len;
	else if (!word_hash(a, u, n, &i, WORD1_SEED, &x) || i == i0)
		return 1;
	w1 = WORD1_BITS_OF(a, x);
	if (w1 & 2)
		return 1;	/* WORD1_END */
	if (!(w1 & 1))
		return 0;
	return may_start_word2(a, u, n, i, x);
}

/*
 * may_start_word's end, for a first word (hashed: x) that all the patterns it starts go on
 * from: at u[i], past that word.
 */
static int
may_start_word2(const struct automaton *a, const unsigned char *u, size_t n, size_t i, uint64_t x)
{
	size_t		 i0, len;
	int32_t		 cp;

	/* The common case: one ASCII separator, an ASCII word (as below, without a call). */
	if (a->word_fast && i + 17 <= n && u[i] < 0x80 && a->amap[u[i]] == ' ' &&
	    a->wordb[u[i + 1]] && (len = word_fast(a, u + i + 1, x, &x)) > 0)
		return BIT_GET(a->word2, WORD2_KEY(x));
	if (u[i] == 0)
		return 0;
	if ((cp = folded_at(a, u, i, &len)) < 0)
		return 1;
	if (cp != ' ')
		return 0;
	do	/* a run of separators folds to one space */
		i += len;
	while ((cp = folded_at(a, u, i, &len)) == ' ');
	if (u[i] == 0)
		return 0;
	i0 = i;
	if (cp < 0 || !word_hash(a, u, n, &i, x, &x))
		return 1;
	return i != i0 && BIT_GET(a->word2, WORD2_KEY(x));
}

/*
 *  * May a pattern start at u[i] (not NUL)? No only when the text there starts like no pattern
 * (may_start_chars) or its first word or two are no pattern's (may_start_word).
 */
static int
may_start_slow(const struct automaton *a, const unsigned char *u, size_t n, size_t i)
{
	return may_start_chars(a, u, i) && may_start_word(a, u, n, i);
}

/*
 * may_start_slow for an ASCII byte u[i] (not NUL), and in one table load when the next two bytes
 * are ASCII too (see starts_add): four bytes when the fourth is ASCII, else the first three,
 * then the whole word (may_start_word).
 * (A combining mark after the third or fourth byte may change how it folds: scan_raw then reads
 * the ASCII bytes before the mark again, from its last checkpoint and without skipping.)
 */
static inline int
may_start(const struct automaton *a, const unsigned char *u, size_t n, size_t i)
{
	unsigned	 c1 = u[i + 1], c2, c3;
	uint32_t	 w;

	if (c1 == 0)
		return 1;
	c2 = u[i + 2];
	if (c1 >= 0x80 || c2 >= 0x80)
		return may_start_slow(a, u, n, i);
	if (c2 == 0)
		return 1;
	w = a->start4[START3_KEY(a->key5[u[i]], a->key5[c1], a->key5[c2])];
	c3 = u[i + 3];
	if (c3 == 0 || c3 >= 0x80)
		return w != 0 && may_start_word(a, u, n, i);
	return ((w >> a->key5[c3]) & 1) && may_start_word(a, u, n, i);
}

/*
 * From u[i], inside a word: past its ASCII word bytes and the ASCII byte after them, which start
 * no hit either (a byte of 0x80 and up, or the NUL, is left for the caller to read).
 */
static size_t
past_word(const struct automaton *a, const unsigned char *u, size_t i)
{
	while (a->wordb[u[i]])
		i++;
	return u[i] != 0 && u[i] < 0x80 ? i + 1 : i;
}

#ifdef __SSE2__
/* Bit k set: byte k of x is an ASCII letter or digit (the ASCII word bytes, see ac_compile). */
static unsigned
alnum_mask(__m128i x)
{
	__m128i	 d = _mm_sub_epi8(x, _mm_set1_epi8('0'));
	__m128i	 l = _mm_sub_epi8(_mm_or_si128(x, _mm_set1_epi8(0x20)), _mm_set1_epi8('a'));

	d = _mm_cmpeq_epi8(_mm_min_epu8(d, _mm_set1_epi8(9)), d);
	l = _mm_cmpeq_epi8(_mm_min_epu8(l, _mm_set1_epi8(25)), l);
	return (unsigned)_mm_movemask_epi8(_mm_or_si128(d, l));
}

/* Bit k set: byte k of x is in [lo, hi]. */
static unsigned
range_mask(__m128i x, unsigned char lo, unsigned char hi)
{
	__m128i	 d = _mm_sub_epi8(x, _mm_set1_epi8((char)lo));

	return (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_min_epu8(d,
	    _mm_set1_epi8((char)(hi - lo))), d));
}
#endif

#ifdef __SSE2__
/*
 * skip_ascii's filter for 32 bytes at a time, with many names (word_blocks, START4_BLOCKS) and
 * word1 asked about every word (word_fast, !word1_all). With the United States loaded, the
 * four-byte stage's branch went either way (3.1 of the 6.9 million word starts of the bench's
 * corpus passed it, on common words: the, new, city, election, statement), and then the word was
 * hashed all the same. Here the stages go one after the other over all the words that start in
 * the block, each loop with no branch that depends on the text but its own end: start4 for each
 * word; word1 for the words it let through (word_fast_hash); word2 for those whose first word
 * calls for a second, in may_start_word2's common case. Only what they let through is looked at
 * one by one, in text order: a hit may start there, or the stages could not tell: a word too
 * long for word_fast or near a byte of 0x80 and up, a candidate that is no letter or digit
 * (may_start, as skip_ascii's other loop), an unusual second word (may_start_word). So its
 * answers are may_start's. Bench (processor time, best of four, interleaved): the United States
 * 304-313 -> 336-365 MB/s.
 *
 * Returns the first position where a hit may start, or the first byte of 0x80 and up, with
 * *found = 1; else where it stopped, 64 bytes or less before the end, with *found = 0.
 */
static size_t
skip_words(const struct automaton *a, const unsigned char *u, size_t n, size_t i, int *found)
{
	__m128i		 v[3], sp = _mm_set1_epi8(' ');
	const unsigned char *p;
	uint64_t	 al, hi, x, xs[32];
	uint32_t	 cand, look, lookw, pass, yes, two, c, h32, w;
	unsigned	 k, len, len2, e, slow, w1;

	*found = 1;
	for (; i + 64 <= n; i += 32) {
		v[0] = _mm_loadu_si128((const __m128i *)(const void *)(u + i));
		v[1] = _mm_loadu_si128((const __m128i *)(const void *)(u + i + 16));
		v[2] = _mm_loadu_si128((const __m128i *)(const void *)(u + i + 32));
		al = alnum_mask(v[0]) | (uint64_t)alnum_mask(v[1]) << 16 |
		    (uint64_t)alnum_mask(v[2]) << 32;
		hi = (uint64_t)(unsigned)_mm_movemask_epi8(v[0]) |
		    (uint64_t)(unsigned)_mm_movemask_epi8(v[1]) << 16 |
		    (uint64_t)(unsigned)_mm_movemask_epi8(v[2]) << 32;
		/* Not after a word byte, and not a space (no pattern starts with one). */
		cand = ~(uint32_t)(al << 1 | a->wordb[u[i - 1]]) &
		    ~((unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v[0], sp)) |
		    (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v[1], sp)) << 16);
		if (a->hi - a->lo < 'z' - '0')	/* not every letter starts a pattern */
			cand &= range_mask(v[0], a->lo, a->hi) |
			    range_mask(v[1], a->lo, a->hi) << 16;
		if ((h32 = (uint32_t)hi) != 0)
			cand &= (1u << __builtin_ctz(h32)) - 1;
		look = cand & ~(uint32_t)al;
		pass = 0;
		for (c = cand & (uint32_t)al; c; c &= c - 1) {
			k = (unsigned)__builtin_ctz(c);
			p = u + i + k;
			len = (unsigned)__builtin_ctzll(~(al >> k));	/* the word's, 1 to 48 */
			/* Too long for word_fast, or a byte of 0x80 and up after it or in the
			 * next two (what may_start leaves to may_start_slow). */
			slow = len >= 16 || ((hi >> (k + len)) & 1) || ((hi >> (k + 1)) & 3);
			w = a->start4[START3_KEY(a->key5[p[0]], a->key5[p[1] & 0x7F],
			    a->key5[p[2] & 0x7F])];
			w = ((hi >> (k + 3)) & 1) ? w != 0 : (w >> a->key5[p[3] & 0x7F]) & 1;
			look |= slow << k;
			pass |= (w & !slow) << k;
		}
		yes = two = 0;
		for (c = pass; c; c &= c - 1) {
			k = (unsigned)__builtin_ctz(c);
			len = (unsigned)__builtin_ctzll(~(al >> k));
			xs[k] = x = word_fast_hash(a, _mm_loadu_si128((const __m128i *)(const void *)
			    (u + i + k)), len, WORD1_SEED);
			w1 = WORD1_BITS_OF(a, x) & 3;
			yes |= (w1 >> 1) << k;		/* WORD1_END */
			two |= (w1 & 1) << k;		/* WORD1_START: the second word decides */
		}
		/*
		 * The second words (may_start_word2), in the common case: one ASCII separator,
		 * then an ASCII word that word_fast could hash, within the 48 bytes read.
		 */
		lookw = 0;
		for (c = two & ~yes; c; c &= c - 1) {
			k = (unsigned)__builtin_ctz(c);
			e = k + (unsigned)__builtin_ctzll(~(al >> k));	/* past the first word */
			len2 = e + 1 < 48 ? (unsigned)__builtin_ctzll(~(al >> (e + 1))) : 0;
			if (((hi >> e) & 1) || a->amap[u[i + e]] != ' ' || len2 == 0 ||
			    len2 >= 16 || e + 1 + len2 >= 48 || ((hi >> (e + 1 + len2)) & 1)) {
				lookw |= 1u << k;
				continue;
			}
			x = word_fast_hash(a, _mm_loadu_si128((const __m128i *)(const void *)
			    (u + i + e + 1)), len2, xs[k]);
			yes |= (unsigned)(BIT_GET(a->word2, WORD2_KEY(x)) != 0) << k;
		}
		for (c = look | lookw | yes; c; c &= c - 1) {
			k = (unsigned)__builtin_ctz(c);
			if ((yes >> k) & 1)
				return i + k;
			if (((lookw >> k) & 1) ? may_start_word(a, u, n, i + k) :
			    may_start(a, u, n, i + k))
				return i + k;
		}
		if (h32 != 0)
			return i + (unsigned)__builtin_ctz(h32);
	}
	*found = 0;
	return i;
}
#endif

/*
 * The automaton is at the root after reading u[0, i) of the n bytes of u: the first position
 * from i on where a hit may start (an ASCII word byte cannot be preceded by another, see
 * ac_compile), or where a byte that is NUL or 0x80 and up stands. Sixteen bytes at a time where
 * SSE2 is there (every x86-64): the positions after a non-word byte are found for the whole
 * block at once, without a branch per word.
 */
static size_t
skip_ascii(const struct automaton *a, const unsigned char *u, size_t n, size_t i)
{
#ifdef __SSE2__
	__m128i		 v;
	unsigned	 high, cand, k;

	int		 found;

	if (a->word_blocks && a->word_fast && !a->word1_all && i > 0) {
		i = skip_words(a, u, n, i, &found);
		if (found)
			return i;
	}
	if (a->alnum_words && i > 0) {
		for (; i + 16 <= n; i += 16) {
			v = _mm_loadu_si128((const __m128i *)(const void *)(u + i));
			high = (unsigned)_mm_movemask_epi8(v);
			/* Not after a word byte, and not a space (no pattern starts with one). */
			cand = ~(alnum_mask(_mm_loadu_si128((const __m128i *)(const void *)(u + i
			    - 1))) | (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v,
			    _mm_set1_epi8(' '))));
			if (a->hi - a->lo < 'z' - '0')	/* not every letter starts a pattern */
				cand &= range_mask(v, a->lo, a->hi);
			if (high)
				cand &= (1u << __builtin_ctz(high)) - 1;
			for (cand &= 0xFFFF; cand; cand &= cand - 1) {
				k = (unsigned)__builtin_ctz(cand);
				if (may_start(a, u, n, i + k))
					return i + k;
			}
			if (high)
				return i + (unsigned)__builtin_ctz(high);
		}
	}
#else
	(void)n;
#endif
	for (;;) {
		if (i > 0 && a->wordb[u[i - 1]])
			i = past_word(a, u, i);
		if (u[i] == 0 || u[i] >= 0x80 || may_start(a, u, n, i))
			return i;
		i++;
	}
}

/*
 * may_start_slow for a word that starts with a letter of the proclitics at u[i]: may a hit start
 * there, or after one of clitics[] at its start (word_start)? The letters are compared as they
 * fold on their own; a mark among them, or anything else unusual, answers yes.
 */
static int
may_start_clitic(const struct automaton *a, const unsigned char *u, size_t n, size_t i)
{
	char		 f[CLITIC_CHARS_MAX * 2];
	size_t		 p = i, nf = 0;
	int32_t		 cp;
	int		 k;

	if (may_start_slow(a, u, n, i))
		return 1;
	while (nf < sizeof(f)) {
		if ((k = two_at(u, p)) < 0)
			return 1;
		if (!(a->two[k] & TWO_CLITIC))	/* a letter ends the proclitics; a mark, who knows */
			return (a->two[k] & TWO_WORD) ? 0 : 1;
		cp = a->fcp[k];
		f[nf++] = (char)(0xC0 | (cp >> 6));
		f[nf++] = (char)(0x80 | (cp & 0x3F));
		p += 2;
		if (is_clitic(f, nf) && may_start_slow(a, u, n, p))
			return 1;
		/* and after the vav that spelling doubles (hebrew_doubled_vav) */
		if (is_clitic(f, nf) && p + 4 <= n && memcmp(u + p, "ו", 2) == 0 &&
		    memcmp(u + p + 2, "ו", 2) == 0 && may_start_slow(a, u, n, p + 2))
			return 1;
	}
	return 0;
}

/*
 * At u[i], a byte of 0x80 and up, the automaton at the root: skips the two-byte characters that
 * cannot start a hit (inside a word, or starting a word no pattern starts like) and returns
 * where the next character stands. See two_classes.
 */
static size_t
skip_non_ascii(const struct automaton *a, const unsigned char *u, size_t n, size_t i)
{
	unsigned	 k, inside = i > 0 && a->wordb[u[i - 1]];
	size_t		 i0 = i;
	int		 t;

	for (;;) {
		if ((t = two_at(u, i)) < 0)
			return i;
		k = a->two[t];
		/*
		 * Not simple: for scan_non_ascii to note (zone_add); a mark with the character
		 * before it, skipped here, which it folds with.
		 */
		if (k & TWO_ODD)
			return (k & TWO_MARK) && i > i0 ? i - 2 : i;
		if (inside) {
			/* A mark after an ASCII letter may make another letter of it (g + ̆ = ğ). */
			if (!(k & TWO_INSIDE) || ((k & TWO_MARK) && u[i - 1] < 0x80))
				return i;
		} else if ((k & TWO_CLITIC) ? may_start_clitic(a, u, n, i) :
		    (!(k & TWO_WORD) || may_start_slow(a, u, n, i)))
			return i;
		i += 2;
		inside = 1;
	}
}

/*
 * skip_ascii and skip_non_ascii in turn, from u[i] with the automaton at the root, to the first
 * position where a hit may start or the scan must read a character itself. A skipped two-byte
 * character moves scan_raw's checkpoint (*ckpos, *ckst) past it: the checkpoint must be followed
 * by ASCII bytes only, and the root is where the scan stands there.
 */
static size_t
skip_to_start(const struct automaton *a, const unsigned char *u, size_t n, size_t i,
    size_t *ckpos, uint32_t *ckst)
{
	size_t	 j;

	for (;;) {
		i = skip_ascii(a, u, n, i);
		if (u[i] < 0x80 || (j = skip_non_ascii(a, u, n, i)) == i)
			return i;
		i = *ckpos = j;
		*ckst = 0;
		/* Inside a word still (skip_ascii cannot tell from the byte before). */
		i = past_word(a, u, i);
	}
}

/*
 * scan_raw's step on the ASCII byte c (raw, not NUL) from a state without a dense row: the
 * raw rows' anchoring (see ac_compile), down the anchored fail links (afail). Plain steps there
 * went back to every suffix the trie knows, inside words too: with the United States loaded,
 * a word that starts like a place (elec: Electra, stat: Staten Island) then kept the scan off
 * the root, and out of skip_to_start, to the end of the word and beyond.
 */
static uint32_t
raw_step(const struct automaton *a, uint32_t st, unsigned char c)
{
	unsigned char	 f = a->amap[c];
	uint32_t	 t;

	if (f == ' ' && a->states[st].label == ' ')
		return st;	/* a run of separators, see ac_compile */
	if (!a->used[f])
		return 0;
	for (;;) {
		if (st < a->ndense)
			return a->raw[st][c] & ~DENSE_LOOK;
		if ((t = ac_goto(a, st, f)) != 0)
			return t;
		st = a->states[st].afail;
	}
}

/* Scans text number `text` (NUL-terminated) with one automaton. */
static void
scan_raw(struct run *r, const struct automaton *a, size_t text)
{
	const unsigned char	*u = (const unsigned char *)r->texts[text].s;
	const uint32_t		(*raw)[256] = (const uint32_t (*)[256])a->raw;
	const char		*f = NULL;
	size_t			 n = r->texts[text].len, i = 0, b, k, ckpos = 0;
	uint32_t		 st = 0, t, ckst = 0;
	int			 two;

	for (;;) {
		if (st == 0)
			i = skip_to_start(a, u, n, i, &ckpos, &ckst);
		/* ASCII bytes: one table load each while among the dense states. */
		if (st < a->ndense) {
			t = raw[st][u[i++]];
			while (!(t & DENSE_LOOK))
				t = raw[t][u[i++]];
			st = t & ~DENSE_LOOK;
			if (u[i - 1] == 0 || u[i - 1] >= 0x80)
				i--;	/* a stop: st is the state before that byte */
			else
				goto look;
		} else if (u[i] != 0 && u[i] < 0x80) {
			st = raw_step(a, st, u[i++]);
			goto look;
		}
		/* Stopped at the end or at a character of 0x80 and up. */
		if (i >= n)
			break;
		/*
		 * A combining mark after an ASCII character is folded with it (a pattern that
		 * seemed to end at that character was not reported below): go back to it, and to
		 * the state before it by reading again from the last point where the state was
		 * saved, which costs at most one more read of the ASCII bytes since then.
		 */
		b = i;
		/* Asked first because it is the common case, and what it folds is never a mark. */
		two = fold_two_at((const char *)u, n, i, a->flags, &f);
		if (two < 0 && i > ckpos && fold_mark_at((const char *)u, n, i)) {
			b = i - 1;
			st = ckst;
			for (k = ckpos; k < b; k++)
				st = step(a, st, a->amap[u[k]]);
		}
		i = scan_non_ascii(r, a, u, n, text, &st, b, i, f, two);
		ckpos = i;
		ckst = st;
		continue;
look:
		/* An ASCII byte was read and took the automaton to a state worth a look. */
		if (st != 0 && has_output(a, st) &&
		    !(u[i] >= 0x80 && fold_mark_at((const char *)u, n, i)) &&
		    !report_ascii(r, a, u, n, text, st, i))
			report_window(r, a, u, n, text, i - 1, i, a->states[st].depth);
	}
}

/*
 * The exact automaton's hits without a pass of its own. Each exact pattern also stands in plain
 * as its shadow (its FOLD_ALL fold, pattern.shadow), and the plain pass notes where a shadow
 * hit (range_add); the exact automaton then scans a window around each such place, and around
 * each character of the text that is not "simple" (simple_chars), and reports what ends there
 * (report_window), after the plain pass's hits as before, in the same order. An exact hit is
 * found so because:
 * - where the text around it, from the character before to the one after, is ASCII and simple
 *   characters only, each of those folds on its own (no mark joins them) with either flags, and
 *   the FOLD_ALL fold of each is the FOLD_ALL fold of its exact one. So the plain fold has the
 *   shadow (the exact pattern's FOLD_ALL fold) where the exact fold has the pattern: with the
 *   same spaces, a non-word character before and after it where the exact fold has one, and
 *   the same proclitics before an Arabic name. The plain pass finds it there, as it finds any
 *   whole-word hit, and its range holds where the exact hit's last character comes from;
 * - else a character that is not simple (a combining mark, three bytes or more, invalid UTF-8...)
 *   stands in that stretch; between it and the exact hit's last character there are no more
 *   than the pattern's folded length and two non-separator ASCII bytes (each folds to a byte,
 *   a run of separators to one space): zone_add's range covers it. The plain pass reads every
 *   such character itself (skip_non_ascii stops at TWO_ODD), in scan_non_ascii, which notes it.
 * An exact pattern with no safe shadow (shadow_of) is rare: the exact automaton then scans the
 * whole text as before.
 *
 * The ranges reach one byte past where a shadow hit ends: a hit that ends inside the fold of a
 * character (1 of ½, folded 1⁄2; UN of Ǌ, folded NJ) ends where that character starts, in both
 * folds. Bench (places = United States: 180 exact forms), bench/match/run.sh best of three,
 * interleaved with the two-pass matcher, two rounds: 206, 208 -> 269, 263 MB/s, 0.52, 0.55 ->
 * 0.69, 0.70 of the 10,000-alias run's speed. The rest is mostly the plain pass's word-start
 * filter (text_word, may_start_word) with 15,000 names: see WORD1_BITS for what was done there.
 */

/* Orders ranges by their start. */
static int
range_cmp(const void *a, const void *b)
{
	const struct range	*x = a, *y = b;

	return x->lo < y->lo ? -1 : x->lo > y->lo;
}

static void
scan_text(struct run *r, size_t text)
{
	const struct matcher	*m = r->m;
	struct range		*g;
	size_t			 k, nr;

	if (!m->reference) {
		r->nranges = 0;
		if (m->plain.npats > 0)
			scan_raw(r, &m->plain, text);
		if (m->exact.npats == 0)
			return;
		if (m->exact_pass) {
			scan_raw(r, &m->exact, text);
			return;
		}
		if (r->nranges == 0)
			return;
		/* Sorted and merged, the ranges report each hit once and in text order. */
		qsort(r->ranges, r->nranges, sizeof(*r->ranges), range_cmp);
		for (k = 1, nr = 1; k < r->nranges; k++) {
			g = &r->ranges[nr - 1];
			if (r->ranges[k].lo <= g->hi) {
				if (r->ranges[k].hi > g->hi)
					g->hi = r->ranges[k].hi;
			} else
				r->ranges[nr++] = r->ranges[k];
		}
		for (k = 0; k < nr; k++)
			report_window(r, &m->exact, (const unsigned char *)r->texts[text].s,
			    r->texts[text].len, text, r->ranges[k].lo, r->ranges[k].hi,
			    m->exact_depth);
		return;
	}
	/* The reference: fold the whole text, then scan it (shadows are not reported). */
	if (m->plain.npats > 0) {
		fold_buf_text(&r->fb, r->texts[text].s, r->texts[text].len, FOLD_ALL);
		scan(r, &m->plain, &r->fb, 0, text, 0, SIZE_MAX);
	}
	if (m->exact.npats > 0) {
		fold_buf_text(&r->fb, r->texts[text].s, r->texts[text].len, 0);
		scan(r, &m->exact, &r->fb, 0, text, 0, SIZE_MAX);
	}
}

/* ---- Word and sentence positions, for proximity ---- */

/* Titles and abbreviations that end in a full stop without ending a sentence. */
static const char *const abbreviations[] = {
	"adm", "approx", "apr", "aug", "brig", "ca", "capt", "cmdr", "co", "col", "corp", "dec",
	"dr", "e.g", "etc", "feb", "fig", "ft", "gen", "gov", "hon", "i.e", "inc", "jan", "jr",
	"jul", "jun", "lt", "ltd", "maj", "mar", "mr", "mrs", "ms", "mt", "no", "nov", "oct",
	"pres", "prof", "rep", "rev", "sen", "sep", "sept", "sgt", "sr", "st", "vs",
};

/* Is the token s[a, b) (just before a full stop) an abbreviation: a known one, or initials (U.N)? */
static int
is_abbreviation(const char *s, size_t a, size_t b)
{
	char	 low[8];
	size_t	 i, n = b - a;
	int	 initials = 1;

	while (a < b && (s[a] == '(' || s[a] == '"' || s[a] == '\''))
		a++;
	n = b - a;
	if (n == 0)
		return 0;
	for (i = a; i < b; i++) {
		/* Initials: single capitals separated by full stops. */
		if ((i - a) % 2 == 0 ? !(s[i] >= 'A' && s[i] <= 'Z') : s[i] != '.')
			initials = 0;
	}
	if (initials && n % 2 == 1)
		return 1;
	if (n >= sizeof(low))
		return 0;
	for (i = 0; i < n; i++)
		low[i] = (s[a + i] >= 'A' && s[a + i] <= 'Z') ? s[a + i] | 0x20 : s[a + i];
	low[n] = '\0';
	for (i = 0; i < sizeof(abbreviations) / sizeof(abbreviations[0]); i++)
		if (strcmp(low, abbreviations[i]) == 0)
			return 1;
	return 0;
}

/* Does the text after a . ! or ? at p look like the end of a sentence (space, quote, end)? */
static int
ends_sentence_after(const unsigned char *s, size_t len, size_t p)
{
	for (; p < len; p++) {
		if (s[p] == '"' || s[p] == '\'' || s[p] == ')' || s[p] == ']')
			continue;	/* closing quotes and brackets belong to the sentence */
		return s[p] == ' ' || s[p] == '\n' || s[p] == '\r' || s[p] == '\t' || s[p] >= 0x80;
	}
	return 1;
}

struct query {
	size_t	 pos;
	size_t	*word;		/* words that start before pos */
	size_t	*sentence;	/* sentence boundaries before pos (may be NULL) */
};

static int
query_cmp(const void *a, const void *b)
{
	const struct query	*x = a, *y = b;

	return x->pos < y->pos ? -1 : x->pos > y->pos;
}

/*
 * Fills in word and sentence positions of every hit, one pass over each text that has hits.
 * Words are runs of letters, marks and digits in the original text.
 */
static void
annotate(struct run *r)
{
	struct query		*q;
	const unsigned char	*s;
	size_t			 nq, i, t, p, qi, n, words, sentences, tok;
	int32_t			 cp;
	int			 inword, w;

	q = xcalloc(r->nhits * 2 + 1, sizeof(*q));
	for (t = 0; t < r->ntexts; t++) {
		nq = 0;
		for (i = 0; i < r->nhits; i++) {
			if (r->hits[i].text != t)
				continue;
			q[nq++] = (struct query){ r->hits[i].start, &r->hits[i].wstart,
			    &r->hits[i].sentence };
			q[nq++] = (struct query){ r->hits[i].end, &r->hits[i].wend, NULL };
		}
		if (nq == 0)
			continue;
		qsort(q, nq, sizeof(*q), query_cmp);
		s = (const unsigned char *)r->texts[t].s;
		n = r->texts[t].len;
		words = sentences = tok = 0;
		inword = 0;
		qi = 0;
		for (p = 0; p <= n && qi < nq;) {
			while (qi < nq && q[qi].pos <= p) {
				*q[qi].word = words;
				if (q[qi].sentence)
					*q[qi].sentence = sentences;
				qi++;
			}
			if (p == n)
				break;
			i = utf8_char(s + p, n - p, &cp);
			w = cp >= 0 && fold_is_wordchar(cp);
			if (w && !inword)
				words++;
			inword = w;
			if (cp == '\n' || cp == '\r' || cp == 0x2028 || cp == 0x2029)
				sentences++;
			else if ((cp == '!' || cp == '?' || cp == 0x061F || cp == 0x06D4 ||
			    cp == 0x3002) && ends_sentence_after(s, n, p + i))
				sentences++;
			else if (cp == '.' && ends_sentence_after(s, n, p + 1) &&
			    !is_abbreviation((const char *)s, tok, p))
				sentences++;
			if (cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == 0xA0)
				tok = p + i;
			p += i;
		}
	}
	/* wend held the words started before the end: the hit's last word is one less. */
	for (i = 0; i < r->nhits; i++)
		r->hits[i].wend = r->hits[i].wend > r->hits[i].wstart ?
		    r->hits[i].wend - 1 : r->hits[i].wstart;
	free(q);
}

static int
hit_cmp(const void *a, const void *b)
{
	const struct hit	*x = a, *y = b;

	if (x->text != y->text)
		return x->text < y->text ? -1 : 1;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return (x->entity > y->entity) - (x->entity < y->entity);
}

/* ---- Evaluating rules ---- */

/* A hit that plays a part in one rule. */
struct cand {
	const struct hit	*hit;
	int			 list;
	size_t			 index;		/* in the rule's list */
	size_t			 entity;	/* the listed entity (for a place: maybe an outer one) */
};

struct eval {
	struct cand	*cands;
	size_t		 ncands;
	const struct cand **order;	/* scratch for fill_results */
	struct match_hit *out[3];	/* actors, places, keywords results */
	size_t		 nout[3];
	const struct cand *chosen[3];	/* per group: the proximity winner, or NULL */
};

const char *
match_field_name(unsigned field)
{
	switch (field) {
	case FIELD_TITLE:
		return "title";
	case FIELD_SUMMARY:
		return "summary";
	case FIELD_CONTENT:
		return "content";
	case FIELD_ARTICLE:
		return "article";
	default:
		return "category";
	}
}

/* An entity's name for messages: its first alias without quotes or the prefix star. */
static void
put_name(struct buf *b, const struct conf_entity *e)
{
	const char	*s = e->name;
	size_t		 n = strlen(s);

	if (n > 0 && s[n - 1] == '*')
		n--;
	if (n >= 2 && s[0] == '"' && s[n - 1] == '"') {
		s++;
		n -= 2;
	}
	if (n > 0 && s[n - 1] == '*')
		n--;
	buf_append(b, s, n);
}

static void
put_names(struct buf *b, const struct conf *conf, const size_t *list, size_t n)
{
	size_t	 k;

	for (k = 0; k < n && k < NAMES_SHOWN; k++) {
		if (k > 0)
			buf_puts(b, ", ");
		put_name(b, &conf->entities[list[k]]);
	}
	if (n > NAMES_SHOWN)
		buf_printf(b, " and %zu more", n - NAMES_SHOWN);
}

static const struct role *
role_find(const struct rule_roles *rr, size_t entity, int list)
{
	size_t	 s, k;

	for (s = ROLE_SLOT(entity) & rr->mask; rr->slots[s] != 0; s = (s + 1) & rr->mask) {
		if (rr->roles[rr->slots[s] - 1].entity != entity)
			continue;
		/* The entity's roles follow each other, by list. */
		for (k = rr->slots[s] - 1; k < rr->nroles && rr->roles[k].entity == entity; k++)
			if (rr->roles[k].list == list)
				return &rr->roles[k];
		return NULL;
	}
	return NULL;
}

static void
add_cand(struct eval *ev, const struct hit *h, const struct role *ro)
{
	ev->cands[ev->ncands++] = (struct cand){ h, ro->list, ro->index, ro->entity };
}

/* Word distance of a set of hits in one text: 0 when they overlap, 1 for adjacent words. */
static size_t
distance(const struct cand *const *c, size_t n)
{
	size_t	 maxstart = 0, minend = SIZE_MAX, k;

	for (k = 0; k < n; k++) {
		if (c[k]->hit->wstart > maxstart)
			maxstart = c[k]->hit->wstart;
		if (c[k]->hit->wend < minend)
			minend = c[k]->hit->wend;
	}
	return maxstart > minend ? maxstart - minend : 0;
}

enum prox { PROX_OK, PROX_FIELD, PROX_SENTENCE, PROX_FAR };

/*
 * Looks for one candidate per group, all in one text (and sentence), closest together. groups[g]
 * lists candidates of group g. Sets ev->chosen and *best (the smallest distance seen).
 */
static enum prox
proximity(struct eval *ev, const struct conf_rule *rule, const struct cand **groups[3],
    const size_t ngroup[3], size_t ng, size_t *best)
{
	const struct cand	*pick[3];
	size_t			 idx[3] = { 0, 0, 0 }, g, d, tries = 0;
	enum prox		 res = PROX_FIELD;
	int			 same_sentence, done = 0;

	*best = SIZE_MAX;
	while (!done && tries++ < COMBOS_MAX) {
		for (g = 0; g < ng; g++)
			pick[g] = groups[g][idx[g]];
		for (g = 1; g < ng; g++)
			if (pick[g]->hit->text != pick[0]->hit->text)
				break;
		if (g == ng) {
			same_sentence = 1;
			for (g = 1; g < ng; g++)
				if (pick[g]->hit->sentence != pick[0]->hit->sentence)
					same_sentence = 0;
			if (res == PROX_FIELD)
				res = PROX_SENTENCE;
			if (same_sentence || !rule->within_sentence) {
				d = distance(pick, ng);
				if (res == PROX_SENTENCE)
					res = PROX_FAR;
				if (d < *best || (*best == SIZE_MAX)) {
					*best = d;
					if (!rule->within || d <= rule->within) {
						res = PROX_OK;
						for (g = 0; g < ng; g++)
							ev->chosen[g] = pick[g];
					}
				}
			}
		}
		/* Next combination, odometer style. */
		for (g = 0; g < ng; g++) {
			if (++idx[g] < ngroup[g])
				break;
			idx[g] = 0;
		}
		done = g == ng;
	}
	return res;
}

static int
cand_cmp(const void *a, const void *b)
{
	const struct cand	*x = *(const struct cand *const *)a;
	const struct cand	*y = *(const struct cand *const *)b;

	if (x->list != y->list)
		return x->list - y->list;
	if (x->index != y->index)
		return x->index < y->index ? -1 : 1;
	return (x > y) - (x < y);	/* candidates are in hit order: the first one first */
}

/*
 * Fills the result arrays: one hit per listed entity found, in config order; the proximity
 * winners replace the first hit of their entity. Costs O(c log c) in the candidates, not the
 * length of the rule's lists (a rule may list thousands of actors).
 */
static void
fill_results(struct eval *ev, const struct run *r)
{
	const struct cand	*c, *best;
	struct match_hit	*o;
	size_t			 i, g;

	for (i = 0; i < ev->ncands; i++)
		ev->order[i] = &ev->cands[i];
	qsort(ev->order, ev->ncands, sizeof(*ev->order), cand_cmp);
	memset(ev->nout, 0, sizeof(ev->nout));
	for (i = 0; i < ev->ncands; i++) {
		c = ev->order[i];
		if (c->list == LIST_EXCLUDE || (i > 0 && ev->order[i - 1]->list == c->list &&
		    ev->order[i - 1]->index == c->index))
			continue;
		best = c;
		for (g = 0; g < 3; g++)
			if (ev->chosen[g] && ev->chosen[g]->list == c->list &&
			    ev->chosen[g]->index == c->index)
				best = ev->chosen[g];
		o = &ev->out[c->list][ev->nout[c->list]++];
		o->entity = best->entity;
		o->alias = best->hit->alias;
		o->field = r->texts[best->hit->text].field;
		o->category = r->texts[best->hit->text].category;
		o->start = best->hit->start;
		o->end = best->hit->end;
		o->via = best->hit->entity;
	}
}

/* Evaluates one rule; fills res and why. Returns 1 if it fired. */
static int
eval_rule(struct run *r, struct eval *ev, size_t ri, const struct match_item *item,
    struct match_result *res, struct buf *why)
{
	const struct matcher	*m = r->m;
	const struct conf	*conf = m->conf;
	const struct conf_rule	*rule = &conf->rules[ri];
	const struct rule_roles	*rr = &m->rules[ri];
	const struct role	*ro;
	const struct cand	*excl = NULL;
	const struct cand	**groups[3];
	const char		*gname[3];
	size_t			 ngroup[3] = { 0, 0, 0 }, ng = 0, i, k, g, best;
	size_t			 have[3] = { 0, 0, 0 };
	const struct hit	*h;
	long			 e;
	int			 depth, any = rule->mode == MATCH_ANY, fired = 0;
	enum prox		 p;

	buf_reset(why);
	memset(res, 0, sizeof(*res));
	res->rule = ri;
	ev->ncands = 0;
	memset(ev->chosen, 0, sizeof(ev->chosen));
	if (rule->nfeeds > 0) {
		for (i = 0; i < rule->nfeeds; i++)
			if (item->feed && strcmp(rule->feeds[i], item->feed) == 0)
				break;
		if (i == rule->nfeeds) {
			buf_printf(why, "not for feed %s", item->feed ? item->feed : "(none)");
			goto out;
		}
	}

	/* Candidates: every hit in the rule's fields that plays a part in it. */
	for (i = 0; i < r->nhits; i++) {
		h = &r->hits[i];
		if (!(r->texts[h->text].field & rule->fields))
			continue;
		if ((ro = role_find(rr, h->entity, LIST_ACTOR)) != NULL)
			add_cand(ev, h, ro);
		if ((ro = role_find(rr, h->entity, LIST_KEYWORD)) != NULL)
			add_cand(ev, h, ro);
		if ((ro = role_find(rr, h->entity, LIST_EXCLUDE)) != NULL && excl == NULL) {
			add_cand(ev, h, ro);
			excl = &ev->cands[ev->ncands - 1];
		}
		/* A place counts for itself and for every listed place it lies in. */
		e = (long)h->entity;
		for (depth = 0; e >= 0 && (size_t)e < conf->nentities && depth < IN_DEPTH_MAX; depth++) {
			if ((ro = role_find(rr, (size_t)e, LIST_PLACE)) != NULL)
				add_cand(ev, h, ro);
			if (conf->entities[e].kind != ENTITY_PLACE)
				break;
			e = conf->entities[e].in;
		}
	}
	for (i = 0; i < ev->ncands; i++)
		if (ev->cands[i].list != LIST_EXCLUDE)
			have[ev->cands[i].list]++;
	fill_results(ev, r);

	if (excl != NULL) {
		buf_puts(why, "excluded by \"");
		put_name(why, &conf->entities[excl->entity]);
		buf_printf(why, "\" in %s", match_field_name(r->texts[excl->hit->text].field));
		goto out;
	}
	if (rule->nactors + rule->nplaces + rule->nkeywords == 0) {
		buf_puts(why, "the rule names nothing to look for");
		goto out;
	}
	if (any && rule->nactors + rule->nplaces > 0 && have[LIST_ACTOR] + have[LIST_PLACE] == 0) {
		buf_puts(why, rule->nactors && rule->nplaces ? "no actor or place (needs one of: " :
		    rule->nactors ? "no actor (needs one of: " : "no place (needs one of: ");
		put_names(why, conf, rule->actors, rule->nactors);
		if (rule->nactors && rule->nplaces)
			buf_puts(why, ", ");
		put_names(why, conf, rule->places, rule->nplaces);
		buf_puts(why, ")");
		goto out;
	}
	if (!any && rule->nactors > 0 && have[LIST_ACTOR] == 0) {
		buf_puts(why, "no actor (needs one of: ");
		put_names(why, conf, rule->actors, rule->nactors);
		buf_puts(why, ")");
		goto out;
	}
	if (!any && rule->nplaces > 0 && have[LIST_PLACE] == 0) {
		buf_puts(why, "no place (needs one of: ");
		put_names(why, conf, rule->places, rule->nplaces);
		buf_puts(why, ")");
		goto out;
	}
	if (rule->nkeywords > 0 && have[LIST_KEYWORD] == 0) {
		buf_puts(why, "no keyword (needs one of: ");
		put_names(why, conf, rule->keywords, rule->nkeywords);
		buf_puts(why, ")");
		goto out;
	}

	if (rule->within || rule->within_sentence) {
		/* Groups that must be close: actor, place, keyword (any: actor or place, keyword). */
		if (any && rule->nactors + rule->nplaces > 0)
			gname[ng++] = rule->nactors && rule->nplaces ? "actor or place" :
			    rule->nactors ? "actor" : "place";
		if (!any && rule->nactors > 0)
			gname[ng++] = "actor";
		if (!any && rule->nplaces > 0)
			gname[ng++] = "place";
		if (rule->nkeywords > 0)
			gname[ng++] = "keyword";
		for (g = 0; g < ng; g++)
			groups[g] = xcalloc(ev->ncands + 1, sizeof(*groups[g]));
		for (i = 0; i < ev->ncands; i++) {
			if (ev->cands[i].list == LIST_EXCLUDE)
				continue;
			if (ev->cands[i].list == LIST_KEYWORD)
				g = ng - 1;
			else if (any || ev->cands[i].list == LIST_ACTOR || rule->nactors == 0)
				g = 0;
			else
				g = 1;
			groups[g][ngroup[g]++] = &ev->cands[i];
		}
		p = proximity(ev, rule, groups, ngroup, ng, &best);
		for (g = 0; g < ng; g++)
			free(groups[g]);
		if (p == PROX_OK) {
			fill_results(ev, r);
		} else if (ng > 1) {
			for (k = 0; k < ng; k++)
				buf_printf(why, "%s%s", k == 0 ? "" : k + 1 == ng ? " and " : ", ",
				    gname[k]);
			if (p == PROX_FIELD)
				buf_puts(why, " not in the same field");
			else if (p == PROX_SENTENCE)
				buf_puts(why, " not in one sentence");
			else
				buf_printf(why, " %zu words apart (within %u words)", best,
				    rule->within);
			goto out;
		}
	}
	fired = 1;
out:
	res->fired = fired;
	res->actors = ev->out[0];
	res->nactors = ev->nout[0];
	res->places = ev->out[1];
	res->nplaces = ev->nout[1];
	res->keywords = ev->out[2];
	res->nkeywords = ev->nout[2];
	res->why_not = fired ? NULL : why->data ? why->data : "";
	return fired;
}

/* Lets go of what one big item made matcher_run hold. */
/* Makes room for n candidates in sc (0: frees them); what they held is not kept. */
static void
scratch_cands(struct scratch *sc, size_t n)
{
	size_t	 k;

	free(sc->cands);
	free(sc->order);
	for (k = 0; k < 3; k++)
		free(sc->out[k]);
	sc->cands = n ? xreallocarray(NULL, n, sizeof(*sc->cands)) : NULL;
	sc->order = n ? xreallocarray(NULL, n, sizeof(*sc->order)) : NULL;
	for (k = 0; k < 3; k++)
		sc->out[k] = n ? xreallocarray(NULL, n, sizeof(*sc->out[k])) : NULL;
	sc->capcands = n;
}

static void
scratch_trim(struct scratch *sc)
{
	if (sc->caphits * sizeof(*sc->hits) > SCRATCH_KEEP) {
		free(sc->hits);
		sc->hits = NULL;
		sc->caphits = 0;
	}
	if (sc->capranges * sizeof(*sc->ranges) > SCRATCH_KEEP) {
		free(sc->ranges);
		sc->ranges = NULL;
		sc->capranges = 0;
	}
	if (sc->capcands * sizeof(struct match_hit) > SCRATCH_KEEP)
		scratch_cands(sc, 0);
	if (sc->captexts * sizeof(*sc->texts) > SCRATCH_KEEP) {
		free(sc->texts);
		sc->texts = NULL;
		sc->captexts = 0;
	}
	if (sc->fb.cap > SCRATCH_KEEP || sc->fb.capspans * sizeof(*sc->fb.spans) > SCRATCH_KEEP)
		fold_buf_free(&sc->fb);
	if (sc->wfb.cap > SCRATCH_KEEP || sc->wfb.capspans * sizeof(*sc->wfb.spans) > SCRATCH_KEEP)
		fold_buf_free(&sc->wfb);
}

static int
size_cmp(const void *a, const void *b)
{
	const size_t	*x = a, *y = b;

	return *x < *y ? -1 : *x > *y;
}

/*
 * Removes the hits marked in drop. The drop_* passes below mark every hit first and remove them
 * after: removing at once would hide a hit from the ones after it that are held against it (a
 * phrase of the plain automaton against a weak name of the exact one, found later).
 */
static void
drop_marked(struct run *r, unsigned char *drop)
{
	size_t	 i, kept = 0;

	for (i = 0; i < r->nhits; i++)
		if (!drop[i])
			r->hits[kept++] = r->hits[i];
	r->nhits = kept;
	free(drop);
}

/*
 * A phrase that is not a place (Damascus steel, Syrian hamster) takes the shorter hits inside it
 * with it: Damascus and Syrian there are not news about Syria. A hit of the same span is another
 * entity's own name and stays (Dera Ismail Khan, not Daraa's Dera).
 */
static void
drop_nots(struct run *r)
{
	unsigned char	*drop = xcalloc(r->nhits, 1);
	size_t		 i, j;

	for (i = 0; i < r->nhits; i++) {
		drop[i] = r->hits[i].not != 0;
		for (j = 0; j < r->nhits && !drop[i]; j++)
			drop[i] = r->hits[j].not && r->hits[j].text == r->hits[i].text &&
			    r->hits[j].start <= r->hits[i].start &&
			    r->hits[i].end <= r->hits[j].end &&
			    r->hits[i].end - r->hits[i].start < r->hits[j].end - r->hits[j].start;
	}
	drop_marked(r, drop);
}

/*
 * A built-in place inside a person's name that add_hit found goes with it: Moore in Kenya Moore,
 * Baldwin in Ireland Baldwin (the first name told it: Kenya and Ireland are also people's).
 */
static void
drop_persons(struct run *r)
{
	const struct conf_entity *e;
	unsigned char	*drop = xcalloc(r->nhits, 1);
	size_t		 i, k;

	for (i = 0; i < r->nhits; i++) {
		e = &r->m->conf->entities[r->hits[i].entity];
		for (k = 0; k < r->npersons && e->kind == ENTITY_PLACE && e->builtin_id != NULL &&
		    !drop[i]; k++)
			drop[i] = r->persons[k].text == r->hits[i].text &&
			    r->persons[k].start <= r->hits[i].start &&
			    r->hits[i].end <= r->persons[k].end;
	}
	drop_marked(r, drop);
}

/*
 * "Moscow, Idaho", "London, Ontario", "Lebanon, Pennsylvania": a built-in place followed by a
 * comma and the name of another country's first-level region (conf.regions: one to three
 * capitalised words) is a namesake there, not the place. "Aleppo, Idlib" stays (one country);
 * capitals are no such names (gaz_region_keys), so lists of them stay.
 */
#define NAMESAKE_WORDS	3

/* Is entity i, or a place it is in, the built-in entry id? */
static int
inside_builtin(const struct conf *conf, size_t i, const char *id)
{
	long	 k;
	int	 depth;

	for (k = (long)i, depth = 0; k >= 0 && (size_t)k < conf->nentities && depth < IN_DEPTH_MAX;
	    depth++) {
		if (conf->entities[k].builtin_id != NULL &&
		    strcmp(conf->entities[k].builtin_id, id) == 0)
			return 1;
		k = conf->entities[k].in;
	}
	return 0;
}

/*
 * Is key a region's name elsewhere: in another country than cc and not in cc too? A shared
 * name's place (CONF_ALIAS_SHARED) is also a namesake in a region of its own country that it
 * is not in (Athens, Ohio: not Athens, Georgia).
 */
static int
region_elsewhere(const struct conf *conf, uint64_t key, const char *cc, size_t shared_entity)
{
	size_t	 lo = 0, hi = conf->nregions, mid;
	int	 found = 0;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (conf->regions[mid].key < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < conf->nregions && conf->regions[lo].key == key; lo++) {
		if (strcmp(conf->regions[lo].cc, cc) != 0)
			found = 1;
		else if (shared_entity == SIZE_MAX ||
		    inside_builtin(conf, shared_entity, conf->regions[lo].id))
			return 0;
		else
			found = 1;
	}
	return found;
}

static int
namesake(const struct run *r, const struct hit *h)
{
	const struct conf_entity *ent = &r->m->conf->entities[h->entity];
	const char		*s = r->texts[h->text].s;
	struct fold_buf		 fb;
	size_t			 len = r->texts[h->text].len, b, e, k;
	uint64_t		 key;
	int			 found = 0;

	if (ent->kind != ENTITY_PLACE || ent->builtin_id == NULL || h->end + 2 >= len ||
	    s[h->end] != ',' || s[h->end + 1] != ' ')
		return 0;
	memset(&fb, 0, sizeof(fb));
	b = e = h->end + 2;
	for (k = 0; k < NAMESAKE_WORDS && !found && fold_case_at(s, len, e) == 1; k++) {
		e = word_end_at(s, len, e);
		found = fold_key(&fb, s + b, e - b, &key) == 0 &&
		    region_elsewhere(r->m->conf, key, ent->builtin_cc,
		    h->weak == WEAK_SHARED ? h->entity : SIZE_MAX);
		if (e + 1 >= len || s[e] != ' ')
			break;
		e++;
	}
	fold_buf_free(&fb);
	return found;
}

static void
drop_namesakes(struct run *r)
{
	unsigned char	*drop = xcalloc(r->nhits, 1);
	size_t		 i;

	for (i = 0; i < r->nhits; i++)
		drop[i] = (unsigned char)namesake(r, &r->hits[i]);
	drop_marked(r, drop);
}

/*
 * Two weak names of the same country side by side (حماة وحمص, Hama and Homs, Hama, Homs) are a
 * list of places: between them only spaces and punctuation and at most one word of three
 * letters or fewer (a conjunction). Everyday words that are also names seldom stand so (Reading
 * beat Hull: "beat" is no conjunction); apart, they need a strong name.
 */
#define WEAK_PAIR_GAP	12	/* bytes */

static int
list_gap(const char *s, size_t len, size_t b, size_t e)
{
	size_t	 words = 0, letters = 0;
	int	 in = 0;

	if (e - b > WEAK_PAIR_GAP)
		return 0;
	for (; b < e; b = next_char(s, len, b)) {
		if (fold_wordchar_at(s, len, b)) {
			letters++;
			words += !in;
			in = 1;
		} else
			in = 0;
	}
	return words <= 1 && letters <= 3;
}

static int
weak_pair(const struct run *r, const size_t *group, size_t i)
{
	const struct hit	*h = &r->hits[i], *o;
	const struct text	*t = &r->texts[h->text];
	size_t			 j;

	for (j = 0; j < r->nhits; j++) {
		o = &r->hits[j];
		if (o->weak != WEAK_GROUP || o->entity == h->entity || o->text != h->text ||
		    group[o->entity] != group[h->entity])
			continue;
		if ((o->start >= h->end && list_gap(t->s, t->len, h->end, o->start)) ||
		    (h->start >= o->end && list_gap(t->s, t->len, o->end, h->start)))
			return 1;
	}
	return 0;
}

/*
 * Is there a strong hit of the other kind with weak hit h's country: a built-in place of the
 * country of actor hit h (~"RSF" with Sudan), or a built-in actor of the country of place hit h
 * (~Van with Erdoğan: a head of state's visit names the country)? Or a built-in person of its
 * country (Эрдоган пригрозил боевикам ~РПК)?
 */
static int
country_named_by_other(const struct run *r, const struct hit *h)
{
	const struct conf	*conf = r->m->conf;
	const struct conf_entity *he = &conf->entities[h->entity], *e;
	const char		*cc = he->builtin_cc;
	size_t			 j;

	if (cc[0] == '\0' || he->builtin_id == NULL)
		return 0;
	for (j = 0; j < r->nhits; j++) {
		e = &conf->entities[r->hits[j].entity];
		if (!r->hits[j].weak && r->hits[j].entity != h->entity && e->builtin_id != NULL &&
		    (e->kind != he->kind || e->builtin_person) && strcmp(e->builtin_cc, cc) == 0)
			return 1;
	}
	return 0;
}

/*
 * Is weak place hit h, as written with its capital, followed by a Turkish case ending after an
 * apostrophe (Van'da, Nice'te, Batman'a)? Turkish sets endings off so on proper names only: the
 * word is the place. English possessives and contractions ('s, 't, 'll) say nothing.
 */
static const char *const turkish_endings[] = { "da", "de", "ta", "te", "dan", "den", "tan",
	"ten", "daki", "deki", "taki", "teki", "a", "e", "ya", "ye", "ı", "i", "u", "ü", "yı", "yi",
	"yu", "yü", "ın", "in", "un", "ün", "nın", "nin", "nun", "nün", "lı", "li", "lu", "lü",
	"lılar", "liler", "lular", "lüler", "na", "ne", "nda", "nde", "ndan", "nden", NULL };

static int
turkish_ending_after(const struct run *r, const struct hit *h)
{
	const struct text	*t = &r->texts[h->text];
	size_t			 k, b, e;

	if (r->m->conf->entities[h->entity].kind != ENTITY_PLACE || !latin_at(t->s, h->start) ||
	    fold_case_at(t->s, t->len, h->start) != 1 || !apostrophe_suffix(t->s, t->len, h->end))
		return 0;
	/* after a capitalised word it ends a longer name: Beyaz Saray'da, Sezen Aksu'nun */
	if (word_before(t->s, h->start, &b, &e) && capitalised(t->s, t->len, b, e))
		return 0;
	k = h->end + apostrophe_len(t->s, t->len, h->end);
	return word_in(t->s, k, word_end_at(t->s, t->len, k), turkish_endings);
}

/*
 * Is weak place hit h written with its capital in Cyrillic right after a preposition of place
 * (в Уфе, из Находки, под Лесным)? The word it collides with would not take the capital there.
 */
static const char *const russian_place_prepositions[] = { "в", "во", "из", "под", "около",
	"близ", "возле", "до", NULL };

static int
russian_preposition_before(const struct run *r, const struct hit *h)
{
	const struct text	*t = &r->texts[h->text];
	size_t			 b, e;

	return r->m->conf->entities[h->entity].kind == ENTITY_PLACE &&
	    ((unsigned char)t->s[h->start] == 0xD0 || (unsigned char)t->s[h->start] == 0xD1) &&
	    fold_case_at(t->s, t->len, h->start) == 1 && word_before(t->s, h->start, &b, &e) &&
	    word_in(t->s, b, e, russian_place_prepositions);
}

/*
 * Is weak place hit h written with its capital right after a preposition of place, French "à"
 * or English "in", "near", "outside" (Fusillade à Liège, road outside Tyre)? A town is where
 * things happen; the word it collides with (liège, cork; a tyre) would not take the capital
 * there. Not when a capitalised word follows, which makes it part of a longer name (hommage à
 * Van Gogh), nor in a title in title case, where every word has one.
 */
static const char *const latin_at_words[] = { "à", "in", "near", "outside", NULL };

static int
latin_preposition_before(const struct run *r, const struct hit *h)
{
	const struct text	*t = &r->texts[h->text];
	size_t			 b, e;

	return r->m->conf->entities[h->entity].kind == ENTITY_PLACE &&
	    latin_at(t->s, h->start) && fold_case_at(t->s, t->len, h->start) == 1 &&
	    word_before(t->s, h->start, &b, &e) && word_in(t->s, b, e, latin_at_words) &&
	    !(word_after(t->s, t->len, h->end, &b, &e) && fold_case_at(t->s, t->len, b) == 1) &&
	    !title_case(t->s, t->len);
}

/*
 * A weak name of an actor that is no person (~"M23", ~"HTS", ~"GCC": also a motorway, tariff
 * codes, a compiler; ~al-Shabab, a Saudi football club) also counts when its text says what it
 * is: a word for fighters, a summit, its leaders, a court's acts (M23 rebels, GCC leaders, ICC
 * issues arrest warrant), a grant in euros (Turkish AB ... 400 milyon avro, hibe), anywhere in
 * the same field; and an acronym before a Turkish case
 * ending, which Turkish sets off so after proper nouns only (AB'ye, HTS'nin; not the English
 * 's). Stems, folded (FOLD_ALL: no case, no accents; Turkish ı stays ı). "group" is left out:
 * blood groups are what AB collides with (kan grubu); "fighter" too: fighter jets of
 * Japan's SDF.
 */
static const char *const acronym_words[] = {
	"rebel", "militant", "fighters", "insurgent", "jihadi", "jihadist", "militia", "faction",
	"summit", "leader", "minister", "member", "bloc", "envoy", "sanction", "commission",
	"parliament", "prosecutor", "judge", "warrant", "tribunal", "war crime", "brussels",
	"probe", "investigat", "genocide", "enquete", "sorusturma", "avrupa",
	"combattant", "milice", "sommet", "dirigeant", "ministre", "membre", "parlement",
	"bruxelles", "procureur", "juge", "isyancı", "militan", "savascı",
	"zirve", "lider", "bakan", "uye", "komisyon", "parlamento", "bruksel", "savcı",
	"yaptırım", "avro", "hibe", NULL };

/* Does the folded text f[0, n) have a word starting with one of acronym_words[]? */
static int
acronym_word_in(const char *f, size_t n)
{
	const char *const *w;
	size_t		 i, k;

	for (i = 0; i < n; i++) {
		if (i > 0 && fold_wordchar_before(f, i))
			continue;
		for (w = acronym_words; *w != NULL; w++) {
			k = strlen(*w);
			if (k <= n - i && memcmp(f + i, *w, k) == 0)
				return 1;
		}
	}
	return 0;
}

static int
weak_actor_described(const struct run *r, const struct hit *h)
{
	const struct conf_entity *ent = &r->m->conf->entities[h->entity];
	const struct text	*t = &r->texts[h->text];
	const char		*s = t->s;
	struct folded		 f;
	size_t			 a = h->alias[0] == '"', n = strlen(h->alias) - 2 * a, k;
	int			 yes;

	if (ent->kind != ENTITY_ACTOR || ent->builtin_person)
		return 0;
	k = h->end;
	if (acronym(h->alias + a, n))
		k += apostrophe_len(s, t->len, k);
	if (k > h->end && apostrophe_suffix(s, t->len, h->end) &&
	    !(s[k] == 's' && word_end_at(s, t->len, k) == k + 1))
		return 1;	/* AB'ye, not M23's */
	fold_text(s, t->len, FOLD_ALL, &f);
	yes = acronym_word_in(f.s, f.len);
	folded_free(&f);
	return yes;
}

/*
 * Words that say the name right after them is a town, a port or a province: Arabic مدينة
 * الأبيض (the city of El Obeid, not "the white"), ميناء الحديدة; Persian شهر, بندر, استان;
 * Hebrew העיר רחובות (the town, not "streets"), לעבר אילת (towards Eilat); Russian город
 * Королёв; the points of the compass (شمالي مالي, northern Mali). Scripts without capitals
 * are where a weak place name is most often a word, and such a word before it settles which.
 * Prepositions ("in") are left out: Persian در میدان is "in the square", not Medan.
 */
static const char *const place_kind_before[] = { "مدينة", "بمدينة", "لمدينة", "ومدينة",
	"مدينه", "بلدة", "ببلدة", "ميناء", "بميناء", "محافظة", "بمحافظة", "ولاية", "بولاية",
	"شهر", "بندر", "استان", "شهرستان", "העיר", "בעיר", "לעיר", "מהעיר", "והעיר",
	"לעבר", "באזור",
	/* the streets or heights of it, around or over it (شوارع الزرقاء, مرتفعات إفران, حوالی
	 * خوی, מעל אילת, ליד אילת) */
	"شوارع", "مرتفعات", "حوالی", "حوالي", "نزدیکی", "מעל", "ליד",
	/* Arabic nouns a demonym qualifies: a Turkish delegation (وفد تركي), not Turki the man */
	"وفد", "وفدا", "وفداً", "مسؤول", "وزير", "سفير", "جندي", "جنود", "قوات", "شركة", "مواطن",
	"لاعب",
	/* the municipality or the emir of it (بلدية الزرقاء, أمير قطر, בעיריית חדרה) */
	"بلدية", "ببلدية", "لبلدية", "أمير", "עיריית", "בעיריית", "לעיריית", "מעיריית",
	/* the north, south, east or west of it (شمالي مالي, northern Mali; דרום לבנון) */
	"شمال", "جنوب", "شرق", "غرب", "شمالي", "جنوبي", "شرقي", "غربي", "شمالی", "جنوبی",
	"شرقی", "غربی", "צפון", "דרום", "מזרח", "מערב", "בצפון", "בדרום", "במזרח", "במערב",
	"город",
	"города", "городе", "городу", "городом", NULL };

static int
place_kind_named(const struct run *r, const struct hit *h)
{
	const struct text	*t = &r->texts[h->text];
	size_t			 b, e;

	return r->m->conf->entities[h->entity].kind == ENTITY_PLACE &&
	    word_before(t->s, h->start, &b, &e) && word_in(t->s, b, e, place_kind_before);
}

/*
 * The first-level region around entity e: the place right inside its outermost one (the
 * district of a town, or e itself when it is a region or a country).
 */
static size_t
region_of(const struct conf *conf, size_t e)
{
	size_t	 below = e;
	long	 up = conf->entities[e].in;
	int	 depth;

	for (depth = 0; up >= 0 && (size_t)up < conf->nentities && depth < IN_DEPTH_MAX; depth++) {
		if (conf->entities[up].in < 0)
			return below;
		below = (size_t)up;
		up = conf->entities[up].in;
	}
	return below;
}

/*
 * Is weak hit h a Hebrew name of a place in Israel or Palestine? Hebrew news is mostly about
 * Israel, so a mention of the country or of a town across it says nothing about the word
 * (רחובות תל אביב, the streets of Tel Aviv; רקטה חדרה, a rocket penetrated): it needs a place of
 * its own district. Russian is not treated so: its weak names at home are mostly short (Уфа),
 * not words, and a mention of Russia is what tells them.
 */
static int
weak_at_home(const struct conf *conf, const struct hit *h)
{
	const char	*cc = conf->entities[h->entity].builtin_cc;
	const char	*a = h->alias + (h->alias[0] == '"');

	return conf->entities[h->entity].kind == ENTITY_PLACE && hebrew_at(a, strlen(a), 0) &&
	    (strcmp(cc, "IL") == 0 || strcmp(cc, "PS") == 0);
}

/*
 * Is weak place hit h, in a script with capitals, at the start of a sentence, where a capital
 * says nothing: the word it collides with starts the sentence as often (Находка археологов:
 * an archaeologists' find; Nice weather in Paris)? Its country named says nothing either: it
 * needs a place of its own region, as a Hebrew name at home does. Not a country's weak name
 * or demonym (Georgian opposition rallies in Kutaisi): those are weak for naming peoples
 * abroad, not for being words.
 */
static int
word_at_sentence_start(const struct run *r, const struct hit *h)
{
	const struct text	*t = &r->texts[h->text];
	size_t			 k = h->end;

	while (k < t->len && t->s[k] == ' ')
		k++;
	if (k < t->len && t->s[k] == ':')
		return 0;	/* a dateline (Tyr : une frappe...): a name */
	return r->m->conf->entities[h->entity].kind == ENTITY_PLACE &&
	    r->m->conf->entities[h->entity].builtin_kind != 'C' &&
	    fold_case_at(t->s, t->len, h->start) == 1 && sentence_start(t->s, h->start) &&
	    !title_case(t->s, t->len);
}

/* Is there a strong hit of a place in the same first-level region as weak hit h's place? */
static int
region_named(const struct run *r, const struct hit *h)
{
	const struct conf	*conf = r->m->conf;
	size_t			 reg = region_of(conf, h->entity), j;

	for (j = 0; j < r->nhits; j++)
		if (!r->hits[j].weak && conf->entities[r->hits[j].entity].kind == ENTITY_PLACE &&
		    region_of(conf, r->hits[j].entity) == reg &&
		    conf->entities[r->hits[j].entity].in >= 0)
			return 1;
	return 0;
}

/*
 * A weak alias's hit counts only if another, not weak, hit in the item has the same outermost
 * place: "Nice" with France or Paris, the Hebrew חלב with Syria or Damascus; or another weak
 * name of that place stands beside it (weak_pair). A weak actor name counts beside another of
 * its names or a place of its country (~"RSF" with Omdurman). A weak place name counts after a
 * word that says it is a town (مدينة الأبيض: place_kind_before), or a preposition of place before
 * it with its capital (в Уфе, à Liège, outside Tyre). A Hebrew name of a place in
 * Israel (weak_at_home) needs a place of its own district instead of its country. A name shared
 * with namesakes abroad (WEAK_SHARED) counts beside a place of its country only: the other rules
 * would find each namesake alike, and an actor of the country is too often abroad (Trump in
 * Athens). A country's
 * exact-case name at
 * the start of a sentence (Turkey farmers warn…) counts beside any other name (Turkey and Syria
 * reopen…). The others go.
 */
static void
drop_weak(struct run *r)
{
	const size_t	*group = r->m->group;
	const struct hit *h;
	unsigned char	*drop;
	size_t		*strong, i, n = 0;
	int		 any = 0, keep, named;

	for (i = 0; i < r->nhits && !any; i++)
		any = r->hits[i].weak;
	if (!any)
		return;
	strong = xcalloc(r->nhits, sizeof(*strong));
	for (i = 0; i < r->nhits; i++)
		if (!r->hits[i].weak)
			strong[n++] = group[r->hits[i].entity];
	qsort(strong, n, sizeof(*strong), size_cmp);
	drop = xcalloc(r->nhits, 1);
	for (i = 0; i < r->nhits; i++) {
		h = &r->hits[i];
		if (!h->weak)
			continue;
		/* a strong name of its outermost place is in the item */
		named = n > 0 && bsearch(&group[h->entity], strong, n, sizeof(*strong),
		    size_cmp) != NULL;
		if (h->weak == WEAK_ANY)
			keep = n > 0;
		else if (h->weak == WEAK_SHARED)
			keep = named ||
			    /* a Turkish case ending on it: Turkey's namesake (Sinop'ta) */
			    (strcmp(r->m->conf->entities[h->entity].builtin_cc, "TR") == 0 &&
			    turkish_ending_after(r, h));
		else if (weak_at_home(r->m->conf, h) || word_at_sentence_start(r, h))
			keep = region_named(r, h) || weak_pair(r, group, i) ||
			    place_kind_named(r, h) || turkish_ending_after(r, h);
		else
			keep = named || weak_pair(r, group, i) ||
			    country_named_by_other(r, h) || weak_actor_described(r, h) ||
			    place_kind_named(r, h) || turkish_ending_after(r, h) ||
			    russian_preposition_before(r, h) || latin_preposition_before(r, h);
		drop[i] = !keep;
	}
	drop_marked(r, drop);
	free(strong);
}

/*
 * A capital keeps its name, and its namesakes abroad share it (CONF_ALIAS_SHARED): Tripoli is
 * Libya's, and Lebanon's beside Lebanon. When a namesake's hit stands (drop_weak found its
 * country) and no other name of the capital's country is in the item, the capital's hit on the
 * same words goes: "Clashes in Tripoli, northern Lebanon".
 */
static int
same_span(const struct hit *a, const struct hit *b)
{
	return a->text == b->text && a->start == b->start && a->end == b->end;
}

static int
capital_displaced(const struct run *r, const size_t *group, size_t i)
{
	const struct hit	*o = &r->hits[i], *h;
	size_t			 j;
	int			 shared = 0;

	for (j = 0; j < r->nhits && !shared; j++) {
		h = &r->hits[j];
		shared = h->weak == WEAK_SHARED && h->entity != o->entity && same_span(h, o);
	}
	if (!shared)
		return 0;
	for (j = 0; j < r->nhits; j++) {
		h = &r->hits[j];
		if (j != i && !h->weak && group[h->entity] == group[o->entity] && !same_span(h, o))
			return 0;
	}
	return 1;
}

static void
drop_displaced(struct run *r)
{
	unsigned char	*drop;
	size_t		 i;
	int		 any = 0;

	for (i = 0; i < r->nhits && !any; i++)
		any = r->hits[i].weak == WEAK_SHARED;
	if (!any)
		return;
	drop = xcalloc(r->nhits, 1);
	for (i = 0; i < r->nhits; i++)
		drop[i] = !r->hits[i].weak && capital_displaced(r, r->m->group, i);
	drop_marked(r, drop);
}

/*
 * A built-in place found inside a longer built-in actor's name is part of that name, not news
 * about the place: Vladimir in Vladimir Putin, Jerusalem (قدس) in the Quds Force, Salman in
 * Mohammed bin Salman. The actor's own country stays (Syria in the Syrian Democratic Forces).
 * The same inside a longer built-in place's name, even one inside the shorter: Mexico in New
 * Mexico, Deyr in دير الزور; Sudan in Port Sudan, Delhi in دهلی نو (New Delhi) are the city's
 * name, and the country is reached through it (in =), not named. And an actor inside the name
 * of another country's actor is that other one: Hezbollah (of Lebanon) in Kataib Hezbollah (of Iraq), the Taliban in
 * Tehrik-i-Taliban Pakistan; the UN stays in the UN Security Council, the Houthis in
 * Abdul-Malik al-Houthi. An outer name that is only a name of its own country and the inner
 * one is an affiliate that carries the inner's name, and both stay: the Pakistani Taliban
 * (Pakistan Talibanı), as Tehrik-i-Taliban Pakistan is named, are Taliban too.
 */

static int
affiliate(const struct run *r, const struct hit *outer, const struct hit *inner)
{
	const struct conf		*conf = r->m->conf;
	const struct conf_entity	*e;
	const struct hit		*p;
	size_t				 j;

	/* the inner name ends the outer one (a prefix hit, Taliban* of Talibanı, ends its word) */
	if (word_end_at(r->texts[inner->text].s, r->texts[inner->text].len, inner->end) !=
	    word_end_at(r->texts[outer->text].s, r->texts[outer->text].len, outer->end))
		return 0;
	for (j = 0; j < r->nhits; j++) {
		p = &r->hits[j];
		e = &conf->entities[p->entity];
		if (e->kind == ENTITY_PLACE && e->builtin_id != NULL && p->text == outer->text &&
		    p->start == outer->start && p->end + 1 == inner->start &&
		    r->texts[p->text].s[p->end] == ' ' &&
		    strcmp(e->builtin_cc, conf->entities[outer->entity].builtin_cc) == 0)
			return 1;
	}
	return 0;
}

static void
drop_inside_actors(struct run *r)
{
	const struct conf		*conf = r->m->conf;
	const struct conf_entity	*pe, *ae;
	const struct hit		*h, *a;
	unsigned char			*drop = xcalloc(r->nhits, 1);
	size_t				 i, j;
	int				 inside;

	for (i = 0; i < r->nhits; i++) {
		h = &r->hits[i];
		pe = &conf->entities[h->entity];
		inside = 0;
		for (j = 0; pe->kind != ENTITY_TERM && pe->builtin_id != NULL && j < r->nhits &&
		    !inside; j++) {
			a = &r->hits[j];
			ae = &conf->entities[a->entity];
			if (a->entity == h->entity || ae->builtin_id == NULL ||
			    a->text != h->text || a->start > h->start || h->end > a->end ||
			    a->end - a->start <= h->end - h->start)
				continue;
			if (pe->kind == ENTITY_ACTOR)
				inside = ae->kind == ENTITY_ACTOR && pe->builtin_cc[0] != '\0' &&
				    ae->builtin_cc[0] != '\0' &&
				    strcmp(pe->builtin_cc, ae->builtin_cc) != 0 && !affiliate(r, a, h);
			else if (ae->kind == ENTITY_ACTOR)
				inside = !(pe->builtin_kind == 'C' &&
				    strcmp(pe->builtin_cc, ae->builtin_cc) == 0);
			else if (ae->kind == ENTITY_PLACE)
				inside = 1;
		}
		drop[i] = (unsigned char)inside;
	}
	drop_marked(r, drop);
}

/* Scans every text of the item into r (hits sorted, weak ones without context dropped). */
static void
scan_item(const struct matcher *m, const struct match_item *item, struct run *r)
{
	struct scratch		*sc = m->scratch;
	size_t			 i, ntexts;

	memset(r, 0, sizeof(*r));
	r->m = m;
	ntexts = 4 + item->ncategories;
	if (sc->captexts < ntexts) {
		sc->texts = xreallocarray(sc->texts, ntexts, sizeof(*sc->texts));
		sc->captexts = ntexts;
	}
	r->texts = sc->texts;
	r->hits = sc->hits;
	r->caphits = sc->caphits;
	r->fb = sc->fb;
	r->wfb = sc->wfb;
	r->ranges = sc->ranges;
	r->capranges = sc->capranges;
	if (item->title)
		r->texts[r->ntexts++] = (struct text){ .s = item->title,
		    .len = strlen(item->title), .field = FIELD_TITLE };
	if (item->summary)
		r->texts[r->ntexts++] = (struct text){ .s = item->summary,
		    .len = strlen(item->summary), .field = FIELD_SUMMARY };
	if (item->content)
		r->texts[r->ntexts++] = (struct text){ .s = item->content,
		    .len = strlen(item->content), .field = FIELD_CONTENT };
	for (i = 0; i < item->ncategories; i++)
		if (item->categories[i])
			r->texts[r->ntexts++] = (struct text){ .s = item->categories[i],
			    .len = strlen(item->categories[i]), .field = FIELD_CATEGORY,
			    .category = i };
	if (item->article)
		r->texts[r->ntexts++] = (struct text){ .s = item->article,
		    .len = strlen(item->article), .field = FIELD_ARTICLE };
	for (i = 0; i < r->ntexts; i++)
		scan_text(r, i);
	if (m->nots && r->nhits > 0)
		drop_nots(r);
	if (m->conf->nregions > 0 && r->nhits > 0)
		drop_namesakes(r);
	if (r->npersons > 0 && r->nhits > 0)
		drop_persons(r);
	if (m->group != NULL && r->nhits > 0)
		drop_weak(r);
	if (m->group != NULL && r->nhits > 1)
		drop_displaced(r);
	if (m->builtin_nesting && r->nhits > 1)
		drop_inside_actors(r);
}

/* Gives the run's buffers back to the matcher's scratch for the next item. */
static void
scan_done(const struct matcher *m, struct run *r)
{
	struct scratch	*sc = m->scratch;

	sc->hits = r->hits;
	sc->caphits = r->caphits;
	sc->fb = r->fb;
	sc->wfb = r->wfb;
	sc->ranges = r->ranges;
	sc->capranges = r->capranges;
	scratch_trim(sc);
}

int
matcher_hits(const struct matcher *m, const struct match_item *item, match_hit_cb cb, void *arg)
{
	struct run		 r;
	struct match_hit	 h;
	size_t			 i;
	int			 rc = 0;

	scan_item(m, item, &r);
	for (i = 0; i < r.nhits; i++) {
		memset(&h, 0, sizeof(h));
		h.entity = h.via = r.hits[i].entity;
		h.alias = r.hits[i].alias;
		h.field = r.texts[r.hits[i].text].field;
		h.category = r.texts[r.hits[i].text].category;
		h.start = r.hits[i].start;
		h.end = r.hits[i].end;
		if (cb(arg, &h) == -1) {
			rc = -1;
			break;
		}
	}
	scan_done(m, &r);
	return rc == -1 ? -1 : (int)r.nhits;
}

int
matcher_run(const struct matcher *m, const struct match_item *item, int explain,
    match_result_cb cb, void *arg)
{
	const struct conf	*conf = m->conf;
	struct run		 r;
	struct eval		 ev;
	struct match_result	 res;
	struct buf		 why;
	size_t			 i, k, ncands;
	int			 fired, nfired = 0, rc = 0;

	memset(&ev, 0, sizeof(ev));
	scan_item(m, item, &r);
	if (r.nhits == 0 && !explain && !m->fires_without_hits)
		goto done;	/* the common case: nothing to evaluate */
	if (r.nhits > 0)
		qsort(r.hits, r.nhits, sizeof(*r.hits), hit_cmp);
	if (m->need_positions && r.nhits > 0)
		annotate(&r);

	/* Candidates: a hit may count for the rule's actor, keyword, exclude and several places. */
	ncands = r.nhits * (3 + IN_DEPTH_MAX) + 1;
	if (m->scratch->capcands < ncands)	/* kept from item to item (scratch_trim) */
		scratch_cands(m->scratch, ncands);
	ev.cands = m->scratch->cands;
	ev.order = m->scratch->order;
	for (k = 0; k < 3; k++)
		ev.out[k] = m->scratch->out[k];
	buf_init(&why, WHY_MAX);
	for (i = 0; i < conf->nrules; i++) {
		fired = eval_rule(&r, &ev, i, item, &res, &why);
		nfired += fired;
		if ((fired || explain) && cb(arg, &res) == -1) {
			rc = -1;
			break;
		}
	}
	buf_free(&why);
done:
	scan_done(m, &r);
	return rc == -1 ? -1 : nfired;
}
