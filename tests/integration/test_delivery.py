"""Delivery: the alert log's write-ahead across crashes, a full disk, an unwritable log, rewritten
guids, the same story in two feeds, max_age, exec hooks, and newswatch replay."""
import collections
import json
import os
import re
import shutil
import signal
import sqlite3
import stat
import subprocess
import time
import unittest

from deliverytest import Env, NEWSWATCH, title_of, wait_for

FULL_LINE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ critical hezbollah-in-homs \[[ab]\] .* "
                       r"http://\S+ \(actors: Hezbollah; places: Homs\)( \(also in: \w+\))?"
                       r" \(why: Hezbollah \"Hezbollah\" in title: .*\)$")




def read(path):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read()
    except FileNotFoundError:
        return ""


class Delivery(unittest.TestCase):
    def setUp(self):
        self.env = Env()
        self.procs = []

    def tearDown(self):
        for p in self.procs:
            if p.poll() is None:
                p.kill()
            p.wait()
        self.env.close()

    def add_items(self, n, feed="a.xml", start=0):
        for i in range(start, start + n):
            self.env.add(feed, "g-%d" % i, "Hezbollah report %d near Homs" % i,
                         "http://news.example/%s/%d" % (feed, i))
        return ["Hezbollah report %d near Homs" % i for i in range(start, start + n)]

    def db(self):
        return sqlite3.connect(os.path.join(self.env.dir, "state", "state.db"))

    def assert_once(self, lines, titles):
        got = collections.Counter(title_of(l) for l in lines if FULL_LINE.match(l))
        self.assertEqual(sorted(got.elements()), sorted(titles))

    # -- exactly once across a crash --------------------------------------------------------

    def test_crash_after_write_before_done__restart_does_not_write_it_again(self):
        titles = self.add_items(5)
        code, err = self.env.run_once()
        self.assertEqual(code, 0, err)
        before = read(self.env.log)
        # The state a kill -9 between write() and the done mark leaves: pending, position known.
        with self.db() as db:
            db.execute("UPDATE alerts SET pending = 1, delivered_at = NULL")
        code, err = self.env.run_once()
        self.assertEqual(code, 0, err)
        self.assertIn("5 alerts were written to %s before a crash" % self.env.log, err)
        self.assertEqual(read(self.env.log), before)
        with self.db() as db:
            self.assertEqual(db.execute("SELECT count(*) FROM alerts WHERE delivered_at IS NULL")
                             .fetchone()[0], 0)
        self.assert_once(self.env.alerts(), titles)

    def test_crash_after_write_ahead_before_write__restart_writes_the_missing_records(self):
        titles = self.add_items(4)
        code, err = self.env.run_once()
        self.assertEqual(code, 0, err)
        with self.db() as db:
            db.execute("UPDATE alerts SET pending = 1, delivered_at = NULL")
            off = db.execute("SELECT log_off FROM alerts ORDER BY id LIMIT 1 OFFSET 2").fetchone()[0]
        # The last two records never reached the file.
        os.truncate(self.env.log, off)
        code, err = self.env.run_once()
        self.assertEqual(code, 0, err)
        self.assertIn("2 alerts were written", err)
        self.assert_once(self.env.alerts(), titles)

    def test_log_rotated_between_crash_and_restart__pending_record_goes_to_the_new_file(self):
        titles = self.add_items(2)
        code, err = self.env.run_once()
        with self.db() as db:
            db.execute("UPDATE alerts SET pending = 1, delivered_at = NULL WHERE id = 2")
        os.rename(self.env.log, self.env.log + ".1")
        code, err = self.env.run_once()
        self.assertEqual(code, 0, err)
        # Another file: the record is not known to be there, so it is written (never lost).
        self.assert_once(self.env.alerts(), titles[1:])

    # -- the log cannot be written ----------------------------------------------------------

    def test_full_disk__alerts_wait_then_all_are_written_once(self):
        if os.geteuid() != 0:
            self.skipTest("mounting a tmpfs needs root")
        mnt = os.path.join(self.env.dir, "small")
        os.mkdir(mnt)
        if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16k", "tmpfs", mnt]).returncode:
            self.skipTest("cannot mount a tmpfs here")
        try:
            with open(os.path.join(mnt, "filler"), "wb") as f:
                f.write(b"x" * 12288)          # leaves one 4 KiB page: about 30 records
            conf = read(self.env.conf).replace("alert_log = %s/alerts.log" % self.env.dir,
                                               "alert_log = %s/alerts.log" % mnt)
            with open(self.env.conf, "w") as f:
                f.write(conf)
            self.env.log = os.path.join(mnt, "alerts.log")
            titles = self.add_items(60)
            errpath = os.path.join(self.env.dir, "err")
            with open(errpath, "w") as err:
                p = self.env.start(stderr=err)
                self.procs.append(p)
                self.assertTrue(wait_for(lambda: "cannot write the alert log" in read(errpath), 15),
                                read(errpath))
                time.sleep(1)
                n_full = len([l for l in self.env.alerts() if FULL_LINE.match(l)])
                self.assertLess(n_full, 60)
                os.unlink(os.path.join(mnt, "filler"))     # space again
                self.assertTrue(wait_for(lambda: len([l for l in self.env.alerts()
                                                      if FULL_LINE.match(l)]) >= 60, 15))
                time.sleep(0.5)
                p.send_signal(signal.SIGTERM)
                p.wait(10)
            text = read(errpath)
            self.assertEqual(text.count("cannot write the alert log"), 1, text)
            self.assertIn("is writable again", text)
            lines = self.env.alerts()
            self.assert_once(lines, titles)
            # A short write may leave one cut line; it is a line of its own, never glued to a record.
            others = [l for l in lines if not FULL_LINE.match(l)]
            self.assertLessEqual(len(others), 1, others)
            for o in others:
                self.assertTrue(any(l.startswith(o) for l in lines if FULL_LINE.match(l)), o)
        finally:
            subprocess.run(["umount", "-l", mnt])

    def test_unwritable_log__said_once_then_written_when_permitted(self):
        titles = self.add_items(3)
        with open(self.env.log, "w"):
            pass
        pre = None
        if os.geteuid() == 0:
            # root writes anything: run the daemon as nobody, the log owned by root.
            for root, dirs, files in os.walk(self.env.dir):
                for n in dirs + files:
                    os.chown(os.path.join(root, n), 65534, 65534)
            os.chown(self.env.dir, 65534, 65534)
            os.chown(self.env.log, 0, 0)
            os.chmod(self.env.log, 0o600)

            def pre():
                os.setgroups([])
                os.setgid(65534)
                os.setuid(65534)
        else:
            os.chmod(self.env.log, 0o400)
        errpath = os.path.join(self.env.dir, "err")
        with open(errpath, "w") as err:
            p = subprocess.Popen([NEWSWATCH, "run", "--config", self.env.conf],
                                 stdout=subprocess.DEVNULL, stderr=err, preexec_fn=pre)
            self.procs.append(p)
            self.assertTrue(wait_for(lambda: "cannot write the alert log" in read(errpath), 15))
            time.sleep(1.5)
            self.assertEqual(self.env.alerts(), [])
            if os.geteuid() == 0:
                os.chown(self.env.log, 65534, 65534)
            else:
                os.chmod(self.env.log, 0o600)
            self.assertTrue(wait_for(lambda: len(self.env.alerts()) >= 3, 12))
            time.sleep(0.3)
            p.send_signal(signal.SIGTERM)
            p.wait(10)
        text = read(errpath)
        self.assertEqual(text.count("cannot write the alert log"), 1, text)
        self.assert_once(self.env.alerts(), titles)

    # -- identity and duplicates ------------------------------------------------------------

    def test_feed_rewriting_guids__same_story_does_not_alert_again(self):
        titles = self.add_items(3)
        self.assertEqual(self.env.run_once()[0], 0)
        # Every guid changes, the stories do not; one genuinely new item comes along.
        self.env.items["a.xml"] = [x.replace("<guid isPermaLink=\"false\">g-",
                                             "<guid isPermaLink=\"false\">new-g-")
                                   for x in self.env.items["a.xml"]]
        self.env.write_feed("a.xml")
        titles += self.add_items(1, start=3)
        code, err = self.env.run_once()
        self.assertEqual(code, 0, err)
        self.assert_once(self.env.alerts(), titles)

    def test_same_story_in_two_feeds__alerts_once_and_records_also_in(self):
        self.env.add("a.xml", "a-1", "Hezbollah fighters reported near Homs today",
                     "https://www.news.example/story/1")
        self.env.add("b.xml", "b-1", "Hezbollah fighters reported near Homs today",
                     "http://news.example/story/1/#top")
        # Same title (case and dashes aside), different links: one story too.
        self.env.add("a.xml", "a-2", "Hezbollah – convoy seen near Homs at dawn",
                     "http://a.example/2")
        self.env.add("b.xml", "b-2", "HEZBOLLAH - Convoy seen near HOMS at dawn",
                     "http://b.example/2")
        code, err = self.env.run_once()
        self.assertEqual(code, 0, err)
        lines = self.env.alerts()
        self.assertEqual(len(lines), 2, lines)
        with self.db() as db:
            rows = db.execute("SELECT feed, also_in FROM alerts ORDER BY id").fetchall()
        self.assertEqual(len(rows), 2)
        for feed, also in rows:
            self.assertEqual(also, "b" if feed == "a" else "a")
        code, out, rerr = self.replay()
        self.assertEqual(code, 0, rerr)
        self.assertEqual(out.count("(also in: "), 2, out)

    def test_item_older_than_max_age__recorded_not_alerted(self):
        self.env.add("a.xml", "old", "Hezbollah old report near Homs", "http://n.example/old",
                     date="Mon, 01 Jan 2001 10:00:00 GMT")
        titles = self.add_items(1)
        code, err = self.env.run_once()
        self.assertEqual(code, 0, err)
        self.assert_once(self.env.alerts(), titles)
        with self.db() as db:
            self.assertEqual(db.execute("SELECT count(*) FROM items WHERE key = 'id:old'")
                             .fetchone()[0], 1)

    # -- replay -----------------------------------------------------------------------------

    def replay(self, *args):
        p = subprocess.run([NEWSWATCH, "replay", "--config", self.env.conf] + list(args),
                           capture_output=True, text=True, timeout=30)
        return p.returncode, p.stdout, p.stderr

    def test_replay__prints_what_new_rules_would_alert_and_changes_nothing(self):
        self.add_items(2)
        self.env.add("a.xml", "x", "Erdogan visits Aleppo", "http://n.example/x")
        self.assertEqual(self.env.run_once()[0], 0)
        log = read(self.env.log)
        dbfile = os.path.join(self.env.dir, "state", "state.db")
        with self.db() as db:
            before = db.execute("SELECT count(*), max(id) FROM alerts").fetchone()
        with open(self.env.conf, "a") as f:
            f.write("\n[actor Erdogan]\n[place Aleppo]\n[rule erdogan-aleppo]\nactors = Erdogan\n"
                    "places = Aleppo\n")
        code, out, err = self.replay("--since", "30d")
        self.assertEqual(code, 0, err)
        self.assertEqual(len(out.splitlines()), 3, out)
        self.assertIn(" erdogan-aleppo [a] Erdogan visits Aleppo ", out)
        code, out, err = self.replay("--json")
        self.assertEqual(code, 0, err)
        rules = sorted(json.loads(l)["rule"] for l in out.splitlines())
        self.assertEqual(rules, ["erdogan-aleppo", "hezbollah-in-homs", "hezbollah-in-homs"])
        self.assertEqual(read(self.env.log), log)
        with self.db() as db:
            self.assertEqual(db.execute("SELECT count(*), max(id) FROM alerts").fetchone(), before)
        # While the daemon runs (it holds the lock), replay still reads.
        p = self.env.start()
        self.procs.append(p)
        time.sleep(0.5)
        code, out, err = self.replay()
        self.assertEqual(code, 0, err)

    def test_replay__one_item_and_alert_counted_in_the_singular(self):
        self.add_items(1)
        self.assertEqual(self.env.run_once()[0], 0)
        code, out, err = self.replay("--since", "30d")
        self.assertEqual((code, len(out.splitlines())), (0, 1), err)
        self.assertIn("replay: 1 stored item, 0 skipped (rewritten id or too old), 1 alert\n", err)

    # -- exec hooks -------------------------------------------------------------------------

    def hook(self, body, timeout="30s", extra=""):
        path = os.path.join(self.env.dir, "hook.sh")
        with open(path, "w") as f:
            f.write("#!/bin/sh\nout=%s/hooks\nmkdir -p $out\n%s\n" % (self.env.dir, body))
        os.chmod(path, 0o755)
        self.env.write_conf(EXEC_TIMEOUT=timeout, RULE_EXTRA="exec = %s\n%s" % (path, extra))
        return os.path.join(self.env.dir, "hooks")

    def test_hook__gets_the_alert_as_json_on_stdin_and_env(self):
        out = self.hook('f=$out/$$; cat > $f.json; env | grep ^NEWSWATCH_ | sort > $f.env')
        self.add_items(2)
        code, err = self.env.run_once()
        self.assertEqual(code, 0, err)
        jsons = sorted(f for f in os.listdir(out) if f.endswith(".json"))
        self.assertEqual(len(jsons), 2)
        for j in jsons:
            rec = json.loads(read(os.path.join(out, j)))
            self.assertEqual(rec["rule"], "hezbollah-in-homs")
            env = read(os.path.join(out, j[:-5] + ".env"))
            self.assertIn("NEWSWATCH_RULE=hezbollah-in-homs\n", env)
            self.assertIn("NEWSWATCH_SEVERITY=critical\n", env)
            self.assertIn("NEWSWATCH_FEED=a\n", env)
            self.assertIn("NEWSWATCH_TITLE=%s\n" % rec["title"], env)
            self.assertIn("NEWSWATCH_LINK=%s\n" % rec["link"], env)
        with self.db() as db:
            self.assertEqual(db.execute("SELECT count(*) FROM alerts WHERE pending != 0")
                             .fetchone()[0], 0)

    def test_hook_that_hangs__is_killed_after_exec_timeout_and_logged(self):
        out = self.hook('trap "" TERM; touch $out/started; sleep 60; touch $out/finished',
                        timeout="1s")
        self.add_items(1)
        t0 = time.time()
        code, err = self.env.run_once(timeout=30)
        self.assertEqual(code, 0, err)
        self.assertLess(time.time() - t0, 15)
        self.assertIn("still running after 1s: SIGTERM", err)
        self.assertIn("SIGKILL", err)
        self.assertTrue(os.path.exists(os.path.join(out, "started")))
        self.assertFalse(os.path.exists(os.path.join(out, "finished")))

    def test_hook_that_floods_its_output__never_blocks_and_finishes(self):
        out = self.hook('head -c 30000000 /dev/zero; head -c 5000000 /dev/zero >&2; '
                        'echo oops >&2; touch $out/finished; exit 3')
        self.add_items(1)
        code, err = self.env.run_once(timeout=60)
        self.assertEqual(code, 0, err)
        self.assertTrue(os.path.exists(os.path.join(out, "finished")))
        self.assertIn("exit status 3", err)

    def test_hook_running_at_a_crash__runs_again_at_restart(self):
        out = self.hook('touch $out/started.$$; sleep 2; touch $out/finished.$$')
        self.add_items(1)
        p = self.env.start()
        self.procs.append(p)
        self.assertTrue(wait_for(lambda: os.path.isdir(out) and any(
            f.startswith("started") for f in os.listdir(out)), 15))
        p.send_signal(signal.SIGKILL)
        p.wait()
        code, err = self.env.run_once(timeout=30)
        self.assertEqual(code, 0, err)
        names = os.listdir(out)
        self.assertEqual(len([n for n in names if n.startswith("started")]), 2, names)
        # The hook the killed daemon started lives on and may finish too: at least once.
        self.assertGreaterEqual(len([n for n in names if n.startswith("finished")]), 1, names)
        self.assertEqual(len(self.env.alerts()), 1)

    def test_config__exec_must_be_an_absolute_executable(self):
        self.env.write_conf(RULE_EXTRA="exec = relative/hook")
        p = subprocess.run([NEWSWATCH, "check", "--config", self.env.conf], capture_output=True,
                           text=True)
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("give an absolute path", p.stderr)


if __name__ == "__main__":
    unittest.main()
