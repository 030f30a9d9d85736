"""fetch_article end to end: the real program fetches each new item's page from a fixture server,
matches its main text, and says what it could not read."""
import os
import signal
import subprocess
import time
import unittest
import urllib.request

from nwtest import FixtureServer, Scratch, newswatch, FIXTURES, NEWSWATCH

PAGES = os.path.join(FIXTURES, "article-e2e")

CONF = """[newswatch]
state_dir = {dir}/state
alert_log = {dir}/alerts.log
notify = no
interval = 10m
first_poll = alert
max_age = 36500d
timeout = 60
max_host_transfers = 4

[feed wire]
url = http://127.0.0.1:{port}/feeds/wire.rss
fetch_article = yes
{extra}

[actor Hezbollah]
aliases = Hizbollah

[place Aleppo]

[rule hez]
actors = Hezbollah

[rule aleppo]
places = Aleppo
"""


class Article(unittest.TestCase):
    def setUp(self):
        self.s = Scratch()
        for name in ("hez.html", "markets.html", "note.txt"):
            self.s.copy_feed(os.path.join("article-e2e", name))
        self.server = FixtureServer(self.s.feeds)
        with open(os.path.join(PAGES, "wire.rss.in")) as f:
            text = f.read().replace("@PORT@", str(self.server.port))
        with open(os.path.join(self.s.feeds, "wire.rss"), "w") as f:
            f.write(text)

    def tearDown(self):
        self.server.stop()
        self.s.cleanup()

    def conf(self, extra=""):
        with open(self.s.conf, "w") as f:
            f.write(CONF.format(dir=self.s.dir, port=self.server.port, extra=extra))

    def test_page_body__alerts_in_article__related_box_and_bad_pages_do_not(self):
        self.conf()
        code, out, err = newswatch("run", "--once", "--config", self.s.conf)
        self.assertEqual(code, 0, err)
        lines = self.s.alerts()
        by_title = {}
        for line in lines:
            for title in ("Overnight strikes", "Markets steady", "Hezbollah statement",
                          "Hezbollah leader"):
                if title in line:
                    by_title.setdefault(title, []).append(line)
        # The teaser lacks Hezbollah, the page's body has it: explained as in article.
        self.assertEqual(len(by_title.get("Overnight strikes", [])), 1, lines)
        strikes = by_title["Overnight strikes"][0]
        self.assertIn(" hez [wire] ", strikes)
        self.assertIn('Hezbollah "Hezbollah" in article: ', strikes)
        # Aleppo is only in the related and most-read boxes: no rule fires on those.
        self.assertNotIn(" aleppo [", "\n".join(lines))
        self.assertNotIn("Markets steady", "\n".join(lines))
        # A page over the extractor's limit, and a page that is not HTML: matched on the feed.
        self.assertEqual(len(by_title.get("Hezbollah statement", [])), 1, lines)
        self.assertEqual(len(by_title.get("Hezbollah leader", [])), 1, lines)
        self.assertIn("in title", by_title["Hezbollah leader"][0])
        self.assertEqual(len(lines), 3, lines)
        self.assertIn("not an HTML page", err)
        self.assertIn("matched on the feed's text", err)
        # replay matches the stored page again.
        code, out, err = newswatch("replay", "--config", self.s.conf, "--since", "3650d")
        self.assertEqual(code, 0, err)
        self.assertIn("Overnight strikes", out)
        self.assertIn('"Hezbollah" in article', out)

    def test_slow_page__other_feeds_alert_meanwhile__stop_records_nothing_of_it(self):
        # The slow feed's page hangs for 40 s; a second feed alerts meanwhile.
        with open(os.path.join(self.s.feeds, "slow.rss"), "w") as f:
            f.write("""<?xml version="1.0"?><rss version="2.0"><channel><title>s</title>
<item><title>Hezbollah slow page</title><guid>s1</guid>
<link>http://127.0.0.1:%d/hang-after-headers?s=40&amp;type=html</link></item>
</channel></rss>""" % self.server.port)
        with open(os.path.join(self.s.feeds, "other.rss"), "w") as f:
            f.write("""<?xml version="1.0"?><rss version="2.0"><channel><title>o</title>
<item><title>Hezbollah other feed</title><guid>o1</guid>
<link>http://localhost/o1</link></item>
</channel></rss>""")
        self.conf(extra="""
[feed slow]
url = http://127.0.0.1:%d/feeds/slow.rss
fetch_article = yes

[feed other]
url = http://127.0.0.1:%d/feeds/other.rss
""" % (self.server.port, self.server.port))
        # --once starts every feed at once; the run lasts until the slow page ends.
        proc = subprocess.Popen([NEWSWATCH, "run", "--once", "--config", self.s.conf],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        try:
            deadline = time.time() + 30
            while time.time() < deadline:
                asked = "/hang-after-headers" in urllib.request.urlopen(
                    self.server.url("/control/log")).read().decode()
                if asked and any("Hezbollah other feed" in l for l in self.s.alerts()):
                    break
                time.sleep(0.2)
            lines = self.s.alerts()
            self.assertTrue(asked)
            self.assertTrue(any("Hezbollah other feed" in l for l in lines), lines)
            # The slow page is still out: its item waits, unwritten, and the run goes on.
            self.assertFalse(any("Hezbollah slow page" in l for l in lines), lines)
            self.assertIsNone(proc.poll())
        finally:
            proc.send_signal(signal.SIGTERM)
            _, err = proc.communicate(timeout=60)
        self.assertEqual(proc.returncode, 0, err)
        self.assertFalse(any("Hezbollah slow page" in l for l in self.s.alerts()))
        self.assertIn("the next run finds them again", err)


if __name__ == "__main__":
    unittest.main()
