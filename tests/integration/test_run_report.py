"""What `run` tells its user: --once's exit status when alerts still wait, the outbox backlog in
`status`, the line a quiet poll writes at normal verbosity, no "retrying in" from --once, and an
alert log deleted while the daemon runs."""
import json
import os
import signal
import subprocess
import unittest

from deliverytest import Env, NEWSWATCH, wait_for


def as_nobody():
    os.setgroups([])
    os.setgid(65534)
    os.setuid(65534)


class RunReport(unittest.TestCase):
    def setUp(self):
        self.env = Env()

    def tearDown(self):
        self.env.close()

    def status_json(self):
        p = subprocess.run([NEWSWATCH, "status", "--json", "--config", self.env.conf],
                           capture_output=True, text=True, timeout=30)
        self.assertEqual(p.returncode, 0, p.stderr)
        return json.loads(p.stdout)

    def test_once_with_an_unwritable_log__exits_3_and_status_shows_the_backlog(self):
        if os.geteuid() != 0:
            self.skipTest("needs root to run the daemon as another user")
        for i in range(3):
            self.env.add("a.xml", "g-%d" % i, "Hezbollah report %d near Homs" % i,
                         "http://news.example/%d" % i)
        # The daemon runs as nobody; the log is root's and cannot be opened for writing.
        with open(self.env.log, "w"):
            pass
        for root, dirs, files in os.walk(self.env.dir):
            for n in dirs + files:
                os.chown(os.path.join(root, n), 65534, 65534)
        os.chown(self.env.dir, 65534, 65534)
        os.chown(self.env.log, 0, 0)
        os.chmod(self.env.log, 0o600)

        code, err = self.env.run_once(preexec=as_nobody)
        self.assertEqual(code, 3, err)
        self.assertIn("3 alerts still wait in the outbox for the log", err)
        st = self.status_json()
        self.assertEqual(st["outbox"]["log"]["pending"], 3, st)
        self.assertIsNotNone(st["outbox"]["log"]["oldest"])
        self.assertEqual(st["outbox"]["notify"]["pending"], 0, st)
        self.assertEqual([f["feed"] for f in st["feeds"]], ["a", "b"])
        table = subprocess.run([NEWSWATCH, "status", "--config", self.env.conf],
                               capture_output=True, text=True, timeout=30).stdout
        self.assertRegex(table, r"OUTBOX .*: log 3 \(oldest .*\), notify 0, exec 0")

        # Once the log can be written, the next run delivers them and exits 0.
        os.chown(self.env.log, 65534, 65534)
        code, err = self.env.run_once(preexec=as_nobody)
        self.assertEqual(code, 0, err)
        self.assertEqual(len(self.env.alerts()), 3)
        self.assertEqual(self.status_json()["outbox"]["log"]["pending"], 0)

    def test_once_with_everything_delivered__exits_0_and_status_shows_none(self):
        self.env.add("a.xml", "g-1", "Hezbollah report near Homs", "http://news.example/1")
        code, err = self.env.run_once()
        self.assertEqual(code, 0, err)
        self.assertNotIn("still wait", err)
        out = self.status_json()["outbox"]
        self.assertEqual({k: v["pending"] for k, v in out.items()},
                         {"log": 0, "notify": 0, "exec": 0})

    def test_first_poll_silent__says_what_it_recorded_at_normal_verbosity(self):
        self.set_conf("first_poll = alert", "first_poll = silent")
        self.env.add("a.xml", "g-1", "Hezbollah report near Homs", "http://news.example/1")
        self.env.add("a.xml", "g-2", "Hezbollah report 2 near Homs", "http://news.example/2")
        code, err = self.env.run_once()
        self.assertEqual(code, 0, err)
        self.assertIn("feed a: first poll: 2 items recorded, not alerted (first_poll = silent",
                      err)
        self.assertEqual(self.env.alerts(), [])
        # The second poll alerts on what is new, and says nothing of a first poll.
        self.env.add("a.xml", "g-3", "Hezbollah report 3 near Homs", "http://news.example/3")
        code, err = self.env.run_once()
        self.assertEqual(code, 0, err)
        self.assertNotIn("first poll", err)
        self.assertEqual(len(self.env.alerts()), 1)

    def test_items_older_than_max_age__one_line_says_so(self):
        self.env.add("a.xml", "old-1", "Hezbollah old report near Homs", "http://n.example/o1",
                     date="Mon, 01 Jan 2001 10:00:00 GMT")
        self.env.add("a.xml", "old-2", "Hezbollah older report near Homs", "http://n.example/o2",
                     date="Mon, 01 Jan 2001 09:00:00 GMT")
        code, err = self.env.run_once()
        self.assertEqual(code, 0, err)
        self.assertIn("feed a: 2 new items older than max_age (7d) recorded, not alerted", err)
        self.assertEqual(self.env.alerts(), [])

    def test_once_with_a_failing_feed__never_says_retrying(self):
        os.unlink(os.path.join(self.env.feeds, "b.xml"))
        code, err = self.env.run_once()
        self.assertEqual(code, 0, err)
        self.assertIn("feed b (", err)
        self.assertIn("404", err)
        self.assertNotIn("retrying", err)

    def set_conf(self, old, new):
        with open(self.env.conf) as f:
            text = f.read()
        self.assertIn(old, text)
        with open(self.env.conf, "w") as f:
            f.write(text.replace(old, new))

    def test_log_deleted_while_running__is_created_again_and_written(self):
        # No Cache-Control from the server: feed a is polled every second.
        self.set_conf("/feeds/a.xml", "/feeds/a.xml?max_age=0")
        self.env.add("a.xml", "g-1", "Hezbollah report 1 near Homs", "http://news.example/1")
        errpath = os.path.join(self.env.dir, "err")
        with open(errpath, "w") as err:
            p = self.env.start(stderr=err)
            try:
                self.assertTrue(wait_for(lambda: len(self.env.alerts()) == 1, 20))
                os.unlink(self.env.log)
                self.env.add("a.xml", "g-2", "Hezbollah report 2 near Homs",
                             "http://news.example/2")
                # interval = 1s: the next poll finds g-2 and writes it to a new file.
                self.assertTrue(wait_for(lambda: os.path.exists(self.env.log) and
                                         len(self.env.alerts()) == 1, 20))
                self.assertIn("Hezbollah report 2 near Homs", self.env.alerts()[0])
            finally:
                p.send_signal(signal.SIGTERM)
                p.wait(20)
        with open(errpath) as f:
            self.assertIn("was deleted", f.read())


if __name__ == "__main__":
    unittest.main(verbosity=2)
