/* gazetteer.h: the built-in places (data/places.tsv) and actors (data/actors.conf), read-only in memory. */
/*
 * One load reads places.tsv whole into one buffer and splits it in place: an entry's strings point
 * into that buffer, and its names stay one "|"-separated list read by gaz_name_next, so a load
 * makes a handful of allocations, not one per name. Names are found through a sorted table of
 * 64-bit hashes of their folded form (fold.h, FOLD_ALL), one row per (name, entry); two different
 * names with the same hash would be confused, which at 150,000 names has odds of about 1e-9.
 * actors.conf (the INI of conf/newswatch.conf with the keys kind, country, from, until) is read
 * with ini.c into entries of kind GAZ_ACTOR; it is optional in a data directory.
 * A loaded gazetteer is never changed: it may be shared by threads.
 */
#ifndef NW_GAZETTEER_H
#define NW_GAZETTEER_H

#include <stddef.h>
#include <stdint.h>

#define GAZ_PLACES_FILE	"places.tsv"
#define GAZ_ACTORS_FILE	"actors.conf"

enum gaz_kind {
	GAZ_COUNTRY = 'C',
	GAZ_REGION = 'A',	/* first-level region (GeoNames admin-1) */
	GAZ_CITY = 'P',
	GAZ_ACTOR = 'X'
};

struct gaz_entry {
	const char	*id;	/* ISO alpha-2, admin-1 code, GeoNames id; an actor's name */
	const char	*cc;	/* country code ("" if none) */
	const char	*name;	/* English display name */
	const char	*names;	/* the raw "|"-separated list (read it with gaz_name_next) */
	const char	*akind;	/* actors: kind = (armed-group, igo...), else NULL */
	const char	*from, *until;	/* actors: dates as written, else NULL */
	unsigned long	 population;
	int32_t		 parent;	/* entry index, -1 for none (an actor: its country, if known) */
	uint32_t	 child;		/* first child in gazetteer.children */
	uint32_t	 nchild;
	int		 line;		/* in its file */
	char		 kind;		/* enum gaz_kind */
};

/*
 * A name's flag in places.tsv: ~ weak (exact case, needs context), = exact case only, ! not this
 * place (a phrase holding one of its names that is something else: Damascus steel). Before any of
 * them, @ says the name is also a person's given name or surname (Jordan, Paris, Chad), then ^
 * before ~ that it is weak only outside Persian text (Arabic مشهد "a scene", Mashhad in Persian),
 * or % before ~ that places of comparable size abroad share it (Valencia in Spain and in
 * Venezuela): each has it, and it counts only beside a place of that place's own country.
 */
#define GAZ_NAME_WEAK	'~'
#define GAZ_NAME_EXACT	'='
#define GAZ_NAME_NOT	'!'
#define GAZ_NAME_PERSON	'@'
#define GAZ_NAME_PERSIAN '^'
#define GAZ_NAME_SHARED	'%'

struct gaz_name {
	const char	*s;	/* not NUL-terminated */
	size_t		 len;
	char		 lang[3];	/* "en", "ar"..., "" if untagged */
	char		 flag;		/* 0, GAZ_NAME_WEAK, GAZ_NAME_EXACT or GAZ_NAME_NOT */
	int		 person;	/* GAZ_NAME_PERSON: also a person's name */
	int		 persian;	/* GAZ_NAME_PERSIAN: a weak name, strong in Persian text */
	int		 shared;	/* GAZ_NAME_SHARED: a weak name namesakes abroad have too */
};

struct gaz_key;

struct gazetteer {
	char		*dir;		/* where the files were read */
	char		*buf;		/* places.tsv, split in place */
	size_t		 len;
	struct gaz_entry *e;
	size_t		 n;
	size_t		 nplaces;	/* e[0 .. nplaces) are places, the rest actors */
	uint32_t	*children;	/* child indices grouped by parent (gaz_entry.child) */
	struct gaz_key	*names;		/* folded-name index, sorted by hash */
	size_t		 nnames;
	struct gaz_key	*ids;		/* id index, sorted by hash */
	struct gaz_key	*region_names;	/* regions' names for gaz_region_keys, in entry order */
	size_t		 nregion_names;
	char		**actor_strs;	/* actors' strings, owned */
	size_t		 nactor_strs;
};

/* gazetteer.c */
/*
 * Reads DIR/places.tsv and, when present, DIR/actors.conf. 0 and *out (free with gaz_free), or -1
 * with a message ("DIR/places.tsv: cannot open: ...", "DIR/places.tsv:12: ...") in err; errno is
 * ENOENT when places.tsv is missing.
 */
int		 gaz_load(const char *dir, struct gazetteer **out, char *err, size_t errsz);
void		 gaz_free(struct gazetteer *);
/*
 * Where "gazetteer = yes" looks: $NEWSWATCH_DATADIR alone when it is set (tests, unusual
 * installs); else the installed data directory (NW_DATADIR, set by the build from
 * CMAKE_INSTALL_FULL_DATADIR/newswatch), then the source tree's data/ (NW_SOURCE_DATADIR) for
 * programs run from a build tree. The first that holds places.tsv, or NULL (not to be freed).
 */
const char	*gaz_default_dir(void);
/*
 * The best entry having name (folded as the matcher folds) as one of its names or its display
 * name, among actors (actors = 1) or places (0): a country before a region before a city, then
 * the larger population; -1 if none.
 */
long		 gaz_find(const struct gazetteer *, const char *name, int actors);
/* Every entry with that folded name (places and actors), up to max, best first; how many found. */
size_t		 gaz_find_all(const struct gazetteer *, const char *name, long *out, size_t max);
/* The entry with that id (ISO code, admin-1 code, GeoNames id, actor name); -1 if none. */
long		 gaz_find_id(const struct gazetteer *, const char *id);
/*
 * Iterates the names of entry i: *pos starts at 0; 1 and *out, or 0 after the last. An actor's
 * names are its aliases as written (quotes and * included), with no language; a leading ~ makes
 * one weak (an acronym shared with other things: counts only beside a name of the actor's
 * country or of one of its places, or another of its names); a leading @ (before any ~) says
 * the name is also a given name (person = 1: Erdoğan, as in Erdoğan Atalay).
 */
int		 gaz_name_next(const struct gazetteer *, size_t i, size_t *pos, struct gaz_name *out);
/*
 * The names of first-level regions that tell a namesake: "Moscow, Idaho" is no Moscow of Russia.
 * Left out: a name that is also a country's (Georgia), or a city's inside the region (Beirut,
 * Baghdad: lists of capitals), and weak ones. Sorted by key; *out to free; how many.
 */
#define GAZ_REGION_ID_MAX 16
struct gaz_region_key {
	uint64_t	 key;		/* fold_key of the name */
	char		 cc[3];		/* the region's country */
	char		 id[GAZ_REGION_ID_MAX];	/* the region's id (US.OH), cut to fit */
};
size_t		 gaz_region_keys(const struct gazetteer *, struct gaz_region_key **out);
/* Entries inside entry i, at every depth. */
size_t		 gaz_descendants(const struct gazetteer *, size_t i);
/* "country", "region", "city", "actor". */
const char	*gaz_kind_name(char kind);

#endif
