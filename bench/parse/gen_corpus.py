#!/usr/bin/env python3
"""gen_corpus.py: writes a deterministic benchmark corpus of RSS 2.0 and Atom 1.0 feeds.

usage: gen_corpus.py OUTDIR [FEEDS [ITEMS]]   (default 200 feeds x 50 items, about 60 MB)
"""
import os
import random
import sys
from xml.sax.saxutils import escape

WORDS = ("Homs Aleppo Damascus Idlib Hezbollah ceasefire talks convoy border aid council "
         "minister statement reported sources said local forces province city road "
         "humanitarian negotiations resumed week morning evening officials government "
         "the of and in to a on for with by near after before during against").split()


def sentence(rng, n):
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def html_body(rng):
    paras = []
    for _ in range(rng.randint(6, 12)):
        s = sentence(rng, rng.randint(30, 60))
        paras.append("<p>%s <a href=\"/story/%d\">more</a> &amp; <b>%s</b>&nbsp;&#8212;</p>"
                     % (s, rng.randint(1, 10 ** 6), rng.choice(WORDS)))
    return "\n".join(paras)


def rss(rng, f, items):
    out = ['<?xml version="1.0" encoding="utf-8"?>',
           '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" '
           'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>',
           "<title>Feed %d</title><link>http://bench.example/%d/</link><ttl>15</ttl>" % (f, f)]
    for i in range(items):
        body = html_body(rng)
        out.append("<item><title>%s</title><link>http://bench.example/%d/%d</link>"
                   "<guid isPermaLink=\"false\">bench-%d-%d</guid>"
                   "<pubDate>Tue, %02d Mar 2024 %02d:%02d:00 +0200</pubDate>"
                   "<dc:creator>Desk %d</dc:creator><category>%s</category>"
                   "<description>%s</description>"
                   "<content:encoded><![CDATA[%s]]></content:encoded></item>"
                   % (escape(sentence(rng, 8)), f, i, f, i, 1 + i % 28, i % 24, i % 60, f,
                      rng.choice(WORDS), escape(body[:600]), body))
    out.append("</channel></rss>")
    return "\n".join(out)


def atom(rng, f, items):
    out = ['<?xml version="1.0" encoding="utf-8"?>',
           '<feed xmlns="http://www.w3.org/2005/Atom" xml:base="http://bench.example/%d/">' % f,
           "<title>Atom feed %d</title><link href=\"index.html\"/><id>urn:bench:%d</id>" % (f, f)]
    for i in range(items):
        body = html_body(rng)
        out.append("<entry><title>%s</title><link rel=\"alternate\" href=\"e/%d.html\"/>"
                   "<id>urn:bench:%d:%d</id><updated>2024-03-%02dT%02d:00:00Z</updated>"
                   "<author><name>Desk %d</name></author><category term=\"%s\"/>"
                   "<summary type=\"html\">%s</summary><content type=\"html\">%s</content></entry>"
                   % (escape(sentence(rng, 8)), i, f, i, 1 + i % 28, i % 24, f,
                      rng.choice(WORDS), escape(body[:600]), escape(body)))
    out.append("</feed>")
    return "\n".join(out)


def main():
    outdir = sys.argv[1]
    feeds = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    items = int(sys.argv[3]) if len(sys.argv) > 3 else 50
    os.makedirs(outdir, exist_ok=True)
    rng = random.Random(20240305)
    for f in range(feeds):
        doc = atom(rng, f, items) if f % 4 == 3 else rss(rng, f, items)
        with open(os.path.join(outdir, "feed%03d.xml" % f), "w", encoding="utf-8") as fh:
            fh.write(doc)


if __name__ == "__main__":
    main()
