"""End to end: newswatch run --once against a fixture HTTP server fills the alert log exactly once."""
import json
import os
import re
import stat
import unittest

from nwtest import FixtureServer, Scratch, newswatch, FIXTURES

LINE = re.compile(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ) (low|normal|critical) (\S+) \[(\S+)\] (.*)$")

FIRST_POLL = {
    ("hezbollah-in-syria", "middleeast", "Hezbollah fighters reported near Homs"),
    ("turkey-syria", "middleeast", "Erdogan says Turkish troops will stay in northern Syria"),
    ("hts-offensive", "world", "Hayat Tahrir al-Sham fighters enter Hama"),
    ("un-syria", "world", "The UN calls for a ceasefire in Syria"),
}

NEW_ITEM = """    <item>
      <title>Hezbollah drone strike reported in Aleppo</title>
      <link>http://news.example/middleeast/6</link>
      <guid isPermaLink="false">me-6</guid>
      <pubDate>Fri, 06 Dec 2024 10:00:00 GMT</pubDate>
      <description>Second report.</description>
    </item>
  </channel>"""


def parsed(lines):
    out = set()
    for line in lines:
        m = LINE.match(line)
        assert m, "not an alert line: %r" % line
        title = m.group(5)
        title = title[:title.index(" http://")]
        out.add((m.group(3), m.group(4), title))
    return out


class EndToEnd(unittest.TestCase):
    def setUp(self):
        self.s = Scratch()
        self.s.copy_feed("e2e/middleeast.xml")
        self.s.copy_feed("e2e/world.atom")
        self.server = FixtureServer(self.s.feeds)

    def tearDown(self):
        self.server.stop()
        self.s.cleanup()

    def conf(self, first_poll="alert", fmt="text"):
        self.s.write_conf("e2e/newswatch.conf.in", PORT=self.server.port,
                          FIRST_POLL=first_poll, FORMAT=fmt)

    def run_once(self):
        code, out, err = newswatch("run", "--once", "--config", self.s.conf)
        self.assertEqual(code, 0, err)
        return err

    def add_item(self):
        path = os.path.join(self.s.feeds, "middleeast.xml")
        with open(path) as f:
            text = f.read()
        with open(path, "w") as f:
            f.write(text.replace("  </channel>", NEW_ITEM))

    def test_run_once__alerts_each_matching_item_once(self):
        self.conf()
        self.run_once()
        lines = self.s.alerts()
        self.assertEqual(parsed(lines), FIRST_POLL)
        self.assertEqual(len(lines), len(FIRST_POLL))
        hez = [l for l in lines if " hezbollah-in-syria " in l][0]
        self.assertIn(" critical hezbollah-in-syria [middleeast] Hezbollah fighters reported near Homs "
                      "http://news.example/middleeast/1 (actors: Hezbollah; places: ", hez)
        self.assertIn("Homs", hez.split("places: ")[1])
        # The explanation: the alias that hit, the field, a snippet around it.
        self.assertIn('(why: Hezbollah "Hezbollah" in title: Hezbollah fighters reported near Homs;', hez)
        self.assertRegex(hez, r'Homs "Homs" in (title|summary): ')
        # newswatch tail reads the line back without the explanation in the title.
        code, out, err = newswatch("tail", "-n", "10", "--config", self.s.conf)
        self.assertEqual(code, 0, err)
        row = [l for l in out.splitlines() if "hezbollah-in-syria" in l][0]
        self.assertIn("Hezbollah fighters reported near Homs", row)
        self.assertNotIn("why:", row)

    def test_second_run__adds_nothing_then_new_item_adds_its_alerts(self):
        self.conf()
        self.run_once()
        first = self.s.alerts()
        self.run_once()
        self.assertEqual(self.s.alerts(), first)
        self.add_item()
        self.run_once()
        lines = self.s.alerts()
        self.assertEqual(lines[:len(first)], first)
        self.assertEqual(parsed(lines[len(first):]),
                         {("hezbollah-in-syria", "middleeast", "Hezbollah drone strike reported in Aleppo")})

    def big_feed(self, n, hits):
        """Replaces middleeast.xml by n items of about 1 KB of text; items in hits match."""
        filler = " ".join(["Officials met again to discuss the harvest and the weather."] * 16)
        items = []
        for i in range(n):
            title = ("Hezbollah convoy %d reported near Homs" % i) if i in hits else \
                    ("Market report number %d" % i)
            items.append("<item><title>%s</title><link>http://news.example/big/%d</link>"
                         "<guid isPermaLink=\"false\">big-%d</guid>"
                         "<pubDate>Thu, 05 Dec 2024 14:03:00 GMT</pubDate>"
                         "<description>%s</description></item>" % (title, i, i, filler))
        with open(os.path.join(self.s.feeds, "middleeast.xml"), "w") as f:
            f.write('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
                    "<title>Big</title><link>http://news.example/big</link>%s"
                    "</channel></rss>" % "".join(items))

    def test_big_poll__every_new_item_recorded_and_alerted_once(self):
        # 800 new items (about 800 KB of text) in one poll: more than feed.c holds in memory at
        # once, so some are written before the transfer ends. Each must still be recorded once
        # and each matching one alerted once, on this run and never again.
        hits = {3, 401, 797}
        self.big_feed(800, hits)
        self.conf()
        code, out, err = newswatch("run", "--once", "-v", "--config", self.s.conf)
        self.assertEqual(code, 0, err)
        self.assertRegex(err, r"feed middleeast: fetched, 800 items, 800 new, 3 alerts")
        mine = [l for l in self.s.alerts() if "[middleeast]" in l]
        self.assertEqual(sorted(parsed(mine)),
                         sorted(("hezbollah-in-syria", "middleeast",
                                 "Hezbollah convoy %d reported near Homs" % i) for i in hits))
        # The same feed again (the validators make it a 304; without them, nothing is new).
        first = self.s.alerts()
        code, out, err = newswatch("run", "--once", "-v", "--config", self.s.conf)
        self.assertEqual(code, 0, err)
        self.assertEqual(self.s.alerts(), first)
        with open(os.path.join(self.s.feeds, "middleeast.xml"), "a") as f:
            f.write("<!-- a new ETag, the same items -->")
        code, out, err = newswatch("run", "--once", "-v", "--config", self.s.conf)
        self.assertEqual(code, 0, err)
        self.assertRegex(err, r"feed middleeast: fetched, 800 items, 0 new, 0 alerts")
        self.assertEqual(self.s.alerts(), first)

    def test_first_poll_silent__records_without_alerting(self):
        self.conf(first_poll="silent")
        self.run_once()
        self.assertEqual(self.s.alerts(), [])
        self.add_item()
        self.run_once()
        self.assertEqual(parsed(self.s.alerts()),
                         {("hezbollah-in-syria", "middleeast", "Hezbollah drone strike reported in Aleppo")})

    def test_jsonl_format__one_object_per_alert_with_required_keys(self):
        self.conf(fmt="jsonl")
        self.run_once()
        lines = self.s.alerts()
        self.assertEqual(len(lines), len(FIRST_POLL))
        records = [json.loads(l) for l in lines]
        for r in records:
            for key in ("time", "rule", "severity", "feed", "title", "link", "id", "published",
                        "actors", "places"):
                self.assertIn(key, r)
        hez = [r for r in records if r["rule"] == "hezbollah-in-syria"][0]
        self.assertEqual(hez["id"], "me-1")
        self.assertEqual(hez["published"], "2024-12-05T14:03:00Z")
        self.assertEqual(hez["actors"], ["Hezbollah"])
        self.assertIn("Homs", hez["places"])
        erd = [r for r in records if r["rule"] == "turkey-syria"][0]
        self.assertEqual(erd["published"], "2024-12-05T13:30:00Z")

    def test_state_and_log__private_modes(self):
        self.conf()
        self.run_once()
        self.assertEqual(stat.S_IMODE(os.stat(self.s.log).st_mode), 0o600)
        state = os.path.join(self.s.dir, "state")
        self.assertEqual(stat.S_IMODE(os.stat(state).st_mode), 0o700)
        self.assertEqual(stat.S_IMODE(os.stat(os.path.join(state, "state.db")).st_mode), 0o600)

    def test_failing_feed__reported_by_name_and_not_a_bad_exit(self):
        self.conf()
        with open(self.s.conf, "a") as f:
            f.write("\n[feed broken]\nurl = http://127.0.0.1:%d/status/500\n" % self.server.port)
        err = self.run_once()
        self.assertRegex(err, r"feed broken .*500")
        self.assertEqual(parsed(self.s.alerts()), FIRST_POLL)


class CommandLine(unittest.TestCase):
    def setUp(self):
        self.s = Scratch()

    def tearDown(self):
        self.s.cleanup()

    def test_check__bad_config_lists_every_error_with_file_and_line(self):
        with open(self.s.conf, "w") as f:
            f.write("[newswatch]\ninterval = 10x\nbogus = 1\n[feed a]\nurl = ftp://x/\n[rule r]\n")
        code, out, err = newswatch("check", "--config", self.s.conf)
        self.assertEqual(code, 1)
        self.assertIn("%s:2:" % self.s.conf, err)
        self.assertIn("%s:3:" % self.s.conf, err)
        self.assertIn("%s:5:" % self.s.conf, err)
        code, out, err = newswatch("run", "--once", "--config", self.s.conf)
        self.assertEqual(code, 1)
        self.assertIn("%s:2:" % self.s.conf, err)

    def test_check__shipped_example_is_valid(self):
        conf = os.path.join(FIXTURES, "..", "..", "conf", "newswatch.conf")
        code, out, err = newswatch("check", "--config", conf)
        self.assertEqual(code, 0, err)
        self.assertIn("Hezbollah", out)

    def test_match__exit_status_like_grep(self):
        self.s.write_conf("e2e/newswatch.conf.in", PORT=1, FIRST_POLL="alert", FORMAT="text")
        feed = os.path.join(FIXTURES, "e2e", "middleeast.xml")
        code, out, err = newswatch("match", "--config", self.s.conf, feed)
        self.assertEqual(code, 0, err)
        self.assertEqual(len(out.splitlines()), 2)
        self.assertIn("hezbollah-in-syria", out)
        text = os.path.join(self.s.dir, "plain.txt")
        with open(text, "w") as f:
            f.write("Hamas and Oman\nA woman in Hamas-held areas.\n")
        code, out, err = newswatch("match", "--config", self.s.conf, text)
        self.assertEqual((code, out), (1, ""))
        with open(text, "w") as f:
            f.write("Breaking\nErdoğan visited Syria’s border.\n")
        code, out, err = newswatch("match", "--config", self.s.conf, "--json", text)
        self.assertEqual(code, 0, err)
        self.assertEqual(json.loads(out)["rule"], "turkey-syria")
        code, out, err = newswatch("match", "--config", self.s.conf, "/nonexistent/file")
        self.assertEqual(code, 2)

    def test_version_and_help(self):
        code, out, err = newswatch("--version")
        self.assertEqual(code, 0)
        self.assertRegex(out, r"^newswatch \d+\.\d+")
        code, out, err = newswatch("--help")
        self.assertEqual(code, 0)
        for cmd in ("run", "check", "match"):
            self.assertIn(cmd, out)


if __name__ == "__main__":
    unittest.main(verbosity=2)
