"""settle: an alert waits before it is written, and copies of its story from other feeds seen
meanwhile go into its also_in; without settle a written record never gains them."""
import json
import os
import sqlite3
import subprocess
import sys
import time
import unittest

from deliverytest import Env, NEWSWATCH, wait_for

STORY = ("Hezbollah fighters reported near Homs today", "http://news.example/story/1")


class Settle(unittest.TestCase):
    def setUp(self):
        self.env = Env()
        self.proc = None

    def tearDown(self):
        if self.proc is not None:
            if self.proc.poll() is None:
                self.proc.terminate()
                try:
                    self.proc.wait(30)
                except subprocess.TimeoutExpired:
                    self.proc.kill()
                    self.proc.wait()
        self.env.close()

    def alerts_made(self):
        path = os.path.join(self.env.dir, "state", "state.db")
        if not os.path.exists(path):
            return 0
        try:
            with sqlite3.connect(path, timeout=5) as db:
                return db.execute("SELECT count(*) FROM alerts").fetchone()[0]
        except sqlite3.OperationalError:
            return 0    # the daemon is creating the schema

    def copy_in_b_after_alert_in_a(self, settle):
        """Feed a brings the story; once its alert is made, feed b brings a copy."""
        self.env.write_conf(FORMAT="jsonl", extra_main="settle = %s" % settle)
        # No Cache-Control from the server: its max-age would stretch the 1 s interval.
        with open(self.env.conf) as f:
            text = f.read().replace(".xml\n", ".xml?max_age=0\n")
        with open(self.env.conf, "w") as f:
            f.write(text)
        self.env.add("a.xml", "a-1", *STORY)
        self.proc = self.env.start()
        self.assertTrue(wait_for(lambda: self.alerts_made() == 1, 60), "no alert made")
        before = self.env.alerts()
        self.env.add("b.xml", "b-1", *STORY)
        return before

    def test_copy_within_settle__named_in_also_in_of_the_one_record(self):
        before = self.copy_in_b_after_alert_in_a("10s")
        # Not written on the spot: it waits out settle (10 s from when it was made).
        self.assertEqual(before, [])
        self.assertTrue(wait_for(lambda: self.env.alerts(), 90), "never written")
        # b is polled every second: give it time to be seen before settle ends, then check
        # that nothing else follows.
        time.sleep(2)
        lines = self.env.alerts()
        self.assertEqual(len(lines), 1, lines)
        rec = json.loads(lines[0])
        self.assertEqual((rec["feed"], rec["also_in"]), ("a", ["b"]))

    def test_settle_0__written_at_once__later_copy_only_recorded(self):
        self.copy_in_b_after_alert_in_a("0")
        self.assertTrue(wait_for(lambda: self.env.alerts(), 60), "never written")
        path = os.path.join(self.env.dir, "state", "state.db")

        def recorded():
            with sqlite3.connect(path, timeout=5) as db:
                return db.execute("SELECT also_in FROM alerts").fetchone()[0] == "b"
        self.assertTrue(wait_for(recorded, 60), "b's copy never recorded")
        lines = self.env.alerts()
        self.assertEqual(len(lines), 1, lines)
        self.assertEqual(json.loads(lines[0])["also_in"], [])

    def test_run_once__waits_for_settle_and_names_copies_from_the_same_run(self):
        self.env.write_conf(extra_main="settle = 3s")
        self.env.add("a.xml", "a-1", *STORY)
        self.env.add("b.xml", "b-1", *STORY)
        code, err = self.env.run_once(timeout=120)
        self.assertEqual(code, 0, err)
        lines = self.env.alerts()
        self.assertEqual(len(lines), 1, lines)
        self.assertRegex(lines[0], r" \(also in: [ab]\) ")

    def test_config__settle_over_an_hour__refused(self):
        self.env.write_conf(extra_main="settle = 2h")
        p = subprocess.run([NEWSWATCH, "check", "--config", self.env.conf], capture_output=True,
                           text=True, timeout=60)
        self.assertEqual(p.returncode, 1)
        self.assertIn("bad settle \"2h\"", p.stderr + p.stdout)


if __name__ == "__main__":
    sys.exit(0 if unittest.main(exit=False, verbosity=2).result.wasSuccessful() else 1)
