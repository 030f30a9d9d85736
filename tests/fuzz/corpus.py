#!/usr/bin/env python3
"""corpus.py TARGET OUTDIR [SHARED]: writes the seed corpus of one fuzz target into OUTDIR.

Seeds are the project's fixtures, ../shared/conformance/feedparser/feeds when SHARED names a
directory that has it (skipped otherwise), and a few hand-written inputs below. Used by the CI
fuzz gate (tests/fuzz/run.sh) and by ctest's fuzz_regressions, which replays every seed through
each target built without libFuzzer. File names are content hashes, as libFuzzer names its own.
"""
import hashlib
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TESTS = os.path.dirname(HERE)
ROOT = os.path.dirname(TESTS)
FIX = os.path.join(TESTS, "fixtures")
MAX_SEED = 256 * 1024   # larger files would only slow the fuzzer down

DATES = [
    "Thu, 05 Dec 2024 14:03:00 GMT", "Thu, 5 Dec 2024 14:03 +0200", "05 Dec 24 14:03:00 EST",
    "Thursday, 05-Dec-24 14:03:00 GMT", "Thu Dec  5 14:03:00 2024", "2024-12-05T14:03:00Z",
    "2024-12-05T14:03:00.123456+05:30", "2024-12-05", "2024-12", "2024", "2024-340",
    "20241205T140300Z", "2024-12-05 14:03:00", "Mon, 31 Feb 2024 25:61:61 +9999", "",
    "Fri, 31 Dec 9999 23:59:59 GMT", "1969-12-31T23:59:59Z", "-0001-01-01T00:00:00Z",
    "2024-W49-4", "Thu, 05 Dec 2024 14:03:00 PST", "   2024-12-05T14:03:00z  ",
]

TEXTS = [
    "<p>Hezbollah fighters reported near <b>Homs</b>&nbsp;&mdash; &eacute;&#233;&#xe9;</p>",
    "<script>alert(1)</script><style>p{}</style>text<br/>line<li>item</li>",
    "&lt;b&gt;escaped&lt;/b&gt; &amp;amp; &#0; &#x110000; &#xD800; &unknown; &eacute",
    "<a href='x>y'>link</a><!-- comment > --><![CDATA[ raw ]]><?pi?>",
    "<h1>\u0130stanbul</h1>\r\n\t<div>Erdo\u011fan\u2019s  \u00a0 words</div>",
    "<table><tr><td>a</td><td>b</td></tr></table><pre>  keep  </pre>",
    "\udcff\udcfe broken utf8 \udcc3 <p", "<", "&", "<<<>>>&&&;;;",  # \udcXX: raw byte XX
]

CONFS = [
    "[newswatch]\ninterval = 10m\nstate_dir = ~/x\nalert_log_format = jsonl\n"
    "[feed a]\nurl = https://example.org/feed\ntags = x, y,\n  z\n"
    "[actor Hezbollah]\naliases = Hizbullah, \"HTS\", Syria*\n"
    "[place Homs]\nin = Syria\n[rule r]\nactors = Hezbollah\nplaces = Homs ; comment\n"
    "match = any\nwithin = 5 words\nfields = title, summary\nexclude = sport\nfeeds = a\n",
    "bogus\n[rule]\n[feed \xff]\nurl = ftp://x\n[place A]\nin = B\n[place B]\nin = A\n",
]

# The input stage's corner cases: declarations, stray '&', CDATA and comments, bytes that are
# not UTF-8, UTF-16 with a lone surrogate ("\udcXX": raw byte XX).
INPUTS = [
    "<?xml version='1.0' encoding='iso-8859-1'?><a>\udce9 AT&T &#X41; &amp;</a>",
    "<?xml version=\"1.0\" encoding = \"utf-16\" ?><a>\udc93q\udc94 \udc80 \udce2\udc82</a>",
    "\ufeff<?xml version='1.0' encoding='windows-1252'?><a>\udc93&\udc81</a>",
    "<a><![CDATA[x&y ]] ]]> c&d <!-- p&q -- --> e&f <!DOCTYPE g&h> &#; &#x; &aa;</a>",
    "<?xml " + "x" * 1100,
    "\udcff\udcfe<\x00a\x00>\x00\x00\udcd8x\x00\x00\udcdc<\x00/\x00a\x00>\x00",
    "\x00\x00\x00<\x00\x00\x00a\x00\x00\x00>", "<a>\udcf0\udc9f\udc98", "&", "",
]

# JSON Feed for fuzz_parse (besides tests/fixtures/parse/*.json): a BOM, wrong types, nulls,
# numbers as ids, nesting, trailing bytes, escapes and a truncated document.
JSON_FEEDS = [
    '\ufeff {"version": "https://jsonfeed.org/version/1.1", "title": "T", "home_page_url": "/h",'
    ' "feed_url": "f.json", "authors": [{"name": "A"}], "items": [{"id": 1, "url": "a/1",'
    ' "title": "x\\u00e9\\ud83d\\ude00", "summary": "s", "content_html": "<p>h</p>",'
    ' "date_published": "2024-12-05T14:03:00Z", "date_modified": "Thu, 05 Dec 2024 14:03:00 GMT",'
    ' "tags": ["a", 1, null], "authors": [{}, {"name": "B"}]}, "x", null, []]} junk',
    '{"version": "https://jsonfeed.org/version/1", "author": {"name": 5}, "items": [{"id": 1.5e3,'
    ' "external_url": "javascript:x", "content_text": "t", "author": {"name": "C"}, "_x":'
    ' [[[[[[[[[[{"a": [true, false, null, -0.0, 1e999]}]]]]]]]]]]}]}',
    '{"version": "https://jsonfeed.org/version/1.1", "items": {"id": "1"}, "title": [1]}',
    '{"version": null, "items": null}',
    '{"version": "https://jsonfeed.org/version/1.1", "items": [{"id": "1", "title": "cut\udce9',
    '  \t\r\n{"items": [], "version": "https://jsonfeed.org/version/1.1"}\n',
]

MATCHES = [
    "a Hezbollah|Hizbullah|\"HTS\"\np Syria|Syrian*\np< Homs|Hims\nk ceasefire\nk football\n"
    "r a0 p0 k0 x1\nr any a0 p0 w5\nr a0 p0 s F\n--\n"
    "Hezbollah fighters near Homs\x1fA ceasefire in Syria.\x1f<p>content</p>\x1fSyria\x1fWorld",
    "a Erdo\u011fan|Erdogan\np \u0130stanbul|Istanbul*\nr any a0 p0 f3\n--\n"
    "ERDO\u011eAN in \u0130STANBUL\x1fErdogan\u2019s visit to Istanbul\u2019s port\x01",
    "a al-Assad|\"Assad\"\np Aleppo|\u062d\u0644\u0628\nr a0 p0 w1\n--\n"
    "al Assad \u2014 Aleppo \u062d\u0644\u064e\u0628\x1f\x1f\x1f\x1f\x1f",
    "a x*\nr a0\n--\nxx xy x\u0301 x",
    # Hebrew prefixes, an exact Hebrew name and the article before it
    "a \u05d7\u05d9\u05d6\u05d1\u05d0\u05dc\u05dc\u05d4\np \u05e1\u05d5\u05e8\u05d9\u05d4|\"\u05d7\u05dc\u05d1\"\n"
    "r any a0 p0\n--\n\u05d5\u05d1\u05e1\u05d5\u05e8\u05d9\u05d4 \u05d4\u05d7\u05dc\u05d1 "
    "\u05e9\u05d1\u05d7\u05dc\u05d1 \u05dc\u05d7\u05d9\u05d6\u05d1\u05d0\u05dc\u05dc\u05d4\u05bc",
    # Names of two letters (start4 then has many bits set: skip_words) and first words that
    # call for a second, over a text long enough for its 32-byte blocks
    "a UN|EU|the Hama|new York|to-Hama|U.N.\np al|Ag|Homs|supercalifragilistic\nr any a0 p0\n--\n"
    + "The UN said the Hama talks in new York, to-Hama and U.N. envoys met near Homs; "
    "supercalifragilisticexpialidocious Ag\u0306a M\u00fcller al-Assad EU eu the electricity "
    "board. " * 3,
]

# Alert log lines, text and JSON Lines, beside the two README's "The alert log" shows; surge
# records (and README's, from "Surges and trends").
ALERTS = [
    "2026-12-06T09:08:00Z critical syria {surge} 5 stories in 1h, baseline 0.25 \u00b1 0.43 over "
    "168 windows (actors: UN; places: Aleppo) (top: A | B) (feeds: bbc, dw)",
    "2026-12-06T09:08:00Z critical a {surge} b {surge} 1 story in 90m, no baseline",
    '{"time":"2026-12-06T09:08:00Z","type":"surge","rule":"syria","severity":"critical",'
    '"title":"Surge","window":3600,"count":5,"baseline":{"mean":0.25,"sd":0.43,"windows":168},'
    '"actors":[],"places":["Aleppo"],"titles":["A"],"feeds":["bbc"]}',
    "2024-12-05T14:03:00Z critical hezbollah-in-syria [aljazeera] (updated) Clashes near Homs "
    "https://example.org/a?b=1&c=2 (actors: Hezbollah; places: Homs, Syria (via Homs); "
    "keywords: clashes) (also in: bbc, guardian) (why: Hezbollah \"Hizbullah\" in title: "
    "Hizbullah fighters; Homs \"Homs\" in title: near Homs; Syria \"Homs\" in title: near Homs)",
    "2024-12-05T14:06:00Z low r [f] \u0627\u0634\u062a\u0628\u0627\u0643 \U0001F4F0 (no link) "
    "(keywords: truce) (why: truce \"truce\" in ?)",
    '{"time":"2024-12-05T14:03:00Z","rule":"r","severity":"normal","feed":"f","title":'
    '"a\\"b\\\\c\\n\\u001b[31m\\ud83d\\udcf0\\ud800","link":null,"id":"x","published":null,'
    '"actors":["A"],"places":["Syria","Homs"],"keywords":[],"matches":[{"kind":"place",'
    '"name":"Syria","alias":"Homs","field":"title","snippet":"s","via":"Homs"}],'
    '"also_in":["g"],"update":true,"extra":{"a":[1,2.5e3,true,null]}}',
    "{", "", "2024-12-05T14:03:00Z crit",
]

# Article pages' corner cases: meta charsets, an XML declaration, bytes that are not UTF-8,
# unclosed and stray tags, <br><br> paragraphs, hints, UTF-16 ("\udcXX": raw byte XX).
PAGES = [
    "<html><head><meta charset=koi8-r><title>t</title></head><body><p>\udcf0\udcd2, a, b.</p>",
    "<?xml version='1.0' encoding='iso-8859-1'?><html><body><div class=story><p>caf\udce9, "
    "\udc93q\udc94.</p><aside><p>x, y.</p></aside></div></body></html>",
    "<div id=__next class='overflow-hidden'><article><h1>H</h1><p>One, two.<br><br>Three, four."
    "<br><br><b>Related:</b> <a href=#>x</a></p><time>5 May</time></article></div>",
    "<table><tr><td>a<td><p>b, c.<tr><th>d</table></span></div><p><p><li>e</li>" * 3,
    "\udcff\udcfe<\x00p\x00>\x00a\x00,\x00 \x00b\x00.\x00", "<", "", "<p>&nbsp;&amp;&#0;</p>",
]


def feeds_under(path):
    for dirpath, _, files in os.walk(path):
        for f in sorted(files):
            p = os.path.join(dirpath, f)
            if os.path.getsize(p) <= MAX_SEED:
                yield p


def read(path):
    with open(path, "rb") as f:
        return f.read()


def documents(shared):
    """Every feed-like document the project has."""
    for d in ("parse", "e2e", "fetch", "fetching", "opml"):
        yield from feeds_under(os.path.join(FIX, d))
    if shared:
        conf = os.path.join(shared, "conformance", "feedparser", "feeds")
        if os.path.isdir(conf):
            yield from feeds_under(conf)


def seeds(target, shared):
    if target in ("parse", "input"):
        # Three bytes in front (see fuzz_parse.c, fuzz_input.c): charset and chunking vary from
        # seed to seed.
        extra = [t.encode("utf-8", "surrogateescape")
                 for t in (INPUTS if target == "input" else JSON_FEEDS)]
        for doc in extra + [read(p) for p in documents(shared)]:
            h = hashlib.sha1(doc).digest()
            split = (len(doc) // 2) & 0xffff
            yield bytes([h[0], split >> 8, split & 0xff]) + doc
    elif target == "text":
        for t in TEXTS:
            yield t.encode("utf-8", "surrogateescape")
        for p in feeds_under(os.path.join(FIX, "parse")):
            yield read(p)
    elif target == "date":
        found = set(DATES)
        pat = re.compile(rb"<(pubDate|updated|published|dc:date|modified|issued|created|lastBuildDate)"
                         rb"[^>]*>([^<]{1,80})</")
        for p in documents(shared):
            for m in pat.finditer(read(p)):
                found.add(m.group(2).decode("utf-8", "replace"))
        for d in sorted(found):
            yield d.encode("utf-8")
    elif target == "conf":
        for c in CONFS:
            yield c.encode("utf-8", "surrogateescape")
        yield read(os.path.join(ROOT, "conf", "newswatch.conf"))
        for dirpath, _, files in os.walk(FIX):
            for f in sorted(files):
                if f.endswith(".conf") or f.endswith(".conf.in"):
                    yield read(os.path.join(dirpath, f))
    elif target == "alert":
        for a in ALERTS:
            yield a.encode("utf-8")
        readme = read(os.path.join(ROOT, "README.md")).decode("utf-8")
        for section in ("## The alert log", "## Surges and trends"):
            part = readme.split(section, 1)[1].split("\n## ", 1)[0]
            for block in re.findall(r"```\n(.*?)```", part, re.S):
                yield block.strip().encode("utf-8")
    elif target == "article":
        # Three bytes in front (see fuzz_article.c): charset, limits and chunking vary.
        extra = [t.encode("utf-8", "surrogateescape") for t in PAGES]
        pages = extra + [read(p) for d in ("articles", "articles-dev")
                         for p in feeds_under(os.path.join(FIX, d)) if p.endswith(".html")]
        for doc in pages:
            h = hashlib.sha1(doc).digest()
            split = (len(doc) // 2) & 0xffff
            yield bytes([h[0], split >> 8, split & 0xff]) + doc
    elif target == "match":
        for m in MATCHES:
            yield m.encode("utf-8")
    else:
        sys.exit("corpus.py: unknown target %s" % target)


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    target, out = sys.argv[1], sys.argv[2]
    shared = sys.argv[3] if len(sys.argv) == 4 else None
    os.makedirs(out, exist_ok=True)
    n = 0
    for data in seeds(target, shared):
        name = hashlib.sha1(data).hexdigest()
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)
        n += 1
    print("corpus %s: %d seeds in %s" % (target, n, out))


if __name__ == "__main__":
    main()
