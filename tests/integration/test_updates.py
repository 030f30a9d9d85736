"""Updated items: a known item whose text changes is matched again; a rule new to it alerts once,
marked as an update; its stored text is replaced (replay reads the new one)."""
import json
import os
import sqlite3
import subprocess
import sys
import unittest

from deliverytest import Env, NEWSWATCH

DATE = "Fri, 06 Dec 2030 10:00:00 GMT"


def item(guid, title, text="Report.", link=True):
    return ("<item><title>%s</title>%s<guid isPermaLink=\"false\">%s</guid><pubDate>%s</pubDate>"
            "<description>%s</description></item>\n"
            % (title, "<link>http://news.example/%s</link>" % guid if link else "", guid, DATE,
               text))


class Updates(unittest.TestCase):
    def setUp(self):
        self.env = Env()

    def tearDown(self):
        self.env.close()

    def serve(self, *items):
        self.env.items["a.xml"] = list(items)
        self.env.write_feed("a.xml")

    def poll(self):
        code, err = self.env.run_once()
        self.assertEqual(code, 0, err)
        return self.env.alerts()

    def replay(self, *args):
        p = subprocess.run([NEWSWATCH, "replay", "--config", self.env.conf, "--since", "30d"]
                           + list(args), capture_output=True, text=True, timeout=60)
        self.assertEqual(p.returncode, 0, p.stderr)
        return p.stdout

    def test_item_changed_to_mention_a_watched_name__alerts_once_as_an_update(self):
        self.env.write_conf(FORMAT="jsonl")
        # A: nothing to alert. Polled twice: unchanged, still nothing.
        self.serve(item("u-1", "Talks resume in Geneva"))
        self.assertEqual(self.poll(), [])
        self.assertEqual(self.poll(), [])
        # B: the same item (same guid) now names Hezbollah and Homs.
        self.serve(item("u-1", "Talks resume in Geneva",
                        "Hezbollah fighters were seen near Homs overnight."))
        lines = self.poll()
        self.assertEqual(len(lines), 1, lines)
        rec = json.loads(lines[0])
        self.assertEqual((rec["rule"], rec["id"], rec["update"]),
                         ("hezbollah-in-homs", "u-1", True))
        self.assertIn("Hezbollah fighters", rec["matches"][0]["snippet"])
        # C: changed again, the same rule still fires: no second alert, and B unchanged on the
        # next poll is not looked at again either.
        self.serve(item("u-1", "Talks resume in Geneva",
                        "Hezbollah fighters left Homs by noon, the monitor said."))
        self.assertEqual(len(self.poll()), 1)
        self.assertEqual(len(self.poll()), 1)
        # replay reads C's text, not A's or B's.
        out = self.replay("--json")
        recs = [json.loads(l) for l in out.splitlines()]
        self.assertEqual(len(recs), 1, out)
        self.assertIn("left Homs by noon", recs[0]["matches"][0]["snippet"])

    def test_item_changing_every_poll__alerts_each_rule_once(self):
        self.serve(item("u-2", "Hezbollah fighters near Homs", link=False), item("n-1", "Weather"))
        lines = self.poll()
        self.assertEqual(len(lines), 1, lines)
        self.assertNotIn("(updated)", lines[0])
        # Text that loses the match, then gets it back: the rule fired on this item already.
        # No link, and a new title each time, so only the item's identity ties the versions.
        for i, text in enumerate(("All quiet.", "Hezbollah again near Homs.",
                                  "Hezbollah left Homs.", "Calm.")):
            self.serve(item("u-2", "Fighters near the city, version %d" % i, text, link=False),
                       item("n-1", "Weather"))
            self.assertEqual(len(self.poll()), 1, text)
        # A new rule that fires on the item now alerts it once, as an update.
        self.env.write_conf(RULE_EXTRA="\n[actor Weather]\n[rule weather]\nactors = Weather\n"
                                       "match = any\n")
        self.serve(item("u-2", "Weather and fighters near the city", "Calm.", link=False),
                   item("n-1", "Weather"))
        lines = self.poll()
        self.assertEqual(len(lines), 2, lines)
        self.assertTrue(lines[1].endswith(" weather [a] (updated) Weather and fighters near the city "
                                          "(actors: Weather) (why: Weather \"Weather\" in title: "
                                          "Weather and fighters near the city)"), lines[1])
        with sqlite3.connect(os.path.join(self.env.dir, "state", "state.db")) as db:
            self.assertEqual(db.execute("SELECT count(*), sum(updated) FROM alerts").fetchone(),
                             (2, 1))

    def test_item_recorded_silently__changed__alerts_only_what_the_change_brought(self):
        self.env.write_conf()
        with open(self.env.conf) as f:
            text = f.read().replace("first_poll = alert", "first_poll = silent")
        with open(self.env.conf, "w") as f:
            f.write(text)
        # The first poll records without matching: one item already names Hezbollah in Homs.
        self.serve(item("s-1", "Hezbollah fighters near Homs"), item("s-2", "Talks in Geneva"))
        self.assertEqual(self.poll(), [])
        # Both change. s-1 still fires, as it did on its old text: not news. s-2 now fires.
        self.serve(item("s-1", "Hezbollah fighters near Homs", "More fighting."),
                   item("s-2", "Talks in Geneva", "Hezbollah walked out; fighting near Homs."))
        lines = self.poll()
        self.assertEqual(len(lines), 1, lines)
        self.assertIn("[a] (updated) Talks in Geneva http://news.example/s-2 ", lines[0])

    def test_update_of_an_item_older_than_max_age__recorded_not_alerted(self):
        global DATE
        old, DATE = DATE, "Mon, 01 Jan 2001 10:00:00 GMT"
        try:
            self.serve(item("o-1", "Talks in Geneva"))
            self.assertEqual(self.poll(), [])
            self.serve(item("o-1", "Talks in Geneva", "Hezbollah near Homs."))
            self.assertEqual(self.poll(), [])
        finally:
            DATE = old
        # The new text is stored all the same.
        with sqlite3.connect(os.path.join(self.env.dir, "state", "state.db")) as db:
            self.assertEqual(db.execute("SELECT summary FROM items WHERE key = 'id:o-1'")
                             .fetchone()[0], "Hezbollah near Homs.")


if __name__ == "__main__":
    sys.exit(0 if unittest.main(exit=False, verbosity=2).result.wasSuccessful() else 1)
