"""Surges through the daemon: a burst of distinct stories for a rule with surge = yes makes
exactly one surge record in the JSON Lines log, beside every item record; copies of a story
from another feed do not count; a restart (run --once again, or kill -9 of the daemon) in the
middle of the burst raises no second one; newswatch trends shows it."""
import json
import os
import signal
import subprocess
import unittest

from deliverytest import Env, NEWSWATCH, wait_for


def story(n):
    return ("Hezbollah fighters near Homs, report %d" % n, "http://news.example/surge/%d" % n)


class Surge(unittest.TestCase):
    def setUp(self):
        self.env = Env()
        self.env.write_conf(FORMAT="jsonl", RULE_EXTRA="surge = yes\nsurge_min = 5")
        # No Cache-Control from the server: its max-age would stretch the 1 s interval.
        with open(self.env.conf) as f:
            text = f.read().replace(".xml\n", ".xml?max_age=0\n")
        with open(self.env.conf, "w") as f:
            f.write(text)
        self.proc = None

    def tearDown(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self.env.close()

    def records(self):
        out = []
        for line in self.env.alerts():
            if line.strip():
                out.append(json.loads(line))
        return out

    def surges(self):
        return [r for r in self.records() if r.get("type") == "surge"]

    def items(self):
        return [r for r in self.records() if "type" not in r]

    def add(self, feed, first, last):
        for n in range(first, last + 1):
            self.env.add(feed, "%s-%d" % (feed, n), *story(n))

    def run_once(self):
        rc, err = self.env.run_once()
        self.assertEqual(rc, 0, err)

    def test_burst__one_surge_record_beside_every_item_record(self):
        self.add("a.xml", 1, 3)
        self.run_once()
        self.assertEqual(len(self.items()), 3)
        self.assertEqual(self.surges(), [])
        # Two more distinct stories, and copies of stories 1-3 in feed b: those add to the
        # first alerts' also_in and are not new stories.
        self.add("a.xml", 4, 5)
        for n in range(1, 4):
            self.env.add("b.xml", "b-copy-%d" % n, *story(n))
        self.run_once()
        self.assertEqual(len(self.items()), 5)
        surges = self.surges()
        self.assertEqual(len(surges), 1, surges)
        s = surges[0]
        self.assertEqual(s["rule"], "hezbollah-in-homs")
        self.assertEqual(s["severity"], "critical")
        self.assertEqual(s["count"], 5)
        self.assertEqual(s["window"], 3600)
        self.assertIsNone(s["baseline"])    # a new state: surge_min alone decided
        self.assertEqual(len(s["titles"]), 5)
        self.assertIn("Hezbollah fighters near Homs, report 1", s["titles"])
        self.assertEqual(s["feeds"][0], "a")
        self.assertEqual(s["places"], ["Homs"])
        self.assertEqual(s["actors"], ["Hezbollah"])
        # The burst goes on after a restart: items alert, no second surge.
        self.add("b.xml", 6, 9)
        self.run_once()
        self.assertEqual(len(self.items()), 9)
        self.assertEqual(len(self.surges()), 1)
        # Item records kept their format: no "type" key, every usual one.
        self.assertEqual(set(self.items()[0]), {
            "time", "rule", "severity", "feed", "title", "link", "id", "published", "actors",
            "places", "keywords", "matches", "also_in", "update"})

        # tail shows it in its columns, with what it is in place of a feed.
        p = subprocess.run([NEWSWATCH, "tail", "--config", self.env.conf, "-n", "20"],
                           capture_output=True, text=True, timeout=60)
        self.assertEqual(p.returncode, 0, p.stderr)
        rows = [r for r in p.stdout.splitlines() if "{surge}" in r]
        self.assertEqual(len(rows), 1, p.stdout)
        self.assertIn(" critical ", rows[0])
        self.assertIn("SURGE 5 stories in 1h: Hezbollah fighters near Homs, report", rows[0])

        p = subprocess.run([NEWSWATCH, "trends", "--config", self.env.conf, "--json"],
                           capture_output=True, text=True, timeout=60)
        self.assertEqual(p.returncode, 0, p.stderr)
        t = json.loads(p.stdout)
        ents = {(e["kind"], e["name"]): e for e in t["entities"]}
        self.assertEqual(ents[("place", "Homs")]["total"], 9)
        self.assertEqual(ents[("actor", "Hezbollah")]["total"], 9)
        self.assertEqual(len(ents[("place", "Homs")]["surges"]), 1)
        self.assertEqual(len(t["surges"]), 1)

    def test_kill_9_mid_burst__no_second_surge(self):
        self.add("a.xml", 1, 6)
        self.proc = self.env.start()
        self.assertTrue(wait_for(lambda: len(self.items()) == 6 and len(self.surges()) == 1,
                                 60), self.env.alerts())
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()
        self.proc = None
        self.add("a.xml", 7, 10)
        self.proc = self.env.start()
        self.assertTrue(wait_for(lambda: len(self.items()) == 10, 60), self.env.alerts())
        self.proc.terminate()
        self.proc.wait(30)
        self.proc = None
        self.assertEqual(len(self.surges()), 1, self.env.alerts())


if __name__ == "__main__":
    unittest.main()
