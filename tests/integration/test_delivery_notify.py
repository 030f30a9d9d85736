"""Pop-ups beside a real notification server (run under tests/notify/with-notify-server.sh):
cooldown summaries, the global cap, critical alerts' own cap, the text and expiry the server gets,
and a hung server that must not delay the log."""
import json
import os
import signal
import time
import unittest

from deliverytest import Env, wait_for


def calls():
    """The payload (app, id, icon, summary, body, actions, hints, timeout) of every Notify call
    the bus monitor saw so far."""
    out = []
    with open(os.environ["NOTIFY_CAPTURE"]) as f:
        for line in f:
            try:
                m = json.loads(line)
            except ValueError:
                continue
            data = m.get("payload", {}).get("data", [])
            if len(data) >= 8:
                out.append(data)
    return out


def notifications():
    """(summary, body) of every Notify call the bus monitor saw so far."""
    return [(c[3], c[4]) for c in calls()]




@unittest.skipUnless(os.environ.get("NOTIFY_CAPTURE"), "needs with-notify-server.sh")
class Notify(unittest.TestCase):
    def setUp(self):
        self.seen = len(notifications())

    def new(self):
        return notifications()[self.seen:]

    def add(self, env, n):
        for i in range(n):
            env.add("a.xml", "g-%d" % i, "Hezbollah report %d near Homs" % i,
                    "http://news.example/%d" % i)

    def test_burst__one_popup_then_one_summary_per_cooldown_and_log_gets_all(self):
        env = Env(NOTIFY="yes", CAP=100, RULE_EXTRA="cooldown = 3s", SEVERITY="normal")
        try:
            self.add(env, 12)
            p = env.start()
            try:
                self.assertTrue(wait_for(lambda: len(env.alerts()) == 12, 15))
                self.assertTrue(wait_for(lambda: any("11 more for hezbollah-in-homs" in s
                                                     for s, _ in self.new()), 10), self.new())
                time.sleep(0.5)
            finally:
                p.send_signal(signal.SIGTERM)
                p.wait(15)
            got = self.new()
            singles = [s for s, _ in got if s.startswith("hezbollah-in-homs: ")]
            summaries = [s for s, _ in got if "more for" in s]
            self.assertEqual(len(singles), 1, got)
            self.assertEqual(summaries, ["11 more for hezbollah-in-homs"], got)
            # The summary names three of the held-back titles, never the one shown, and
            # counts the rest.
            body = [b for s, b in got if "more for" in s][0]
            named, rest = body.split("\n", 1)[0].rsplit("; ", 1)
            named = named.split("; ")
            self.assertEqual(rest, "and 8 more", body)
            self.assertEqual(len(set(named)), 3, body)
            shown = singles[0][len("hezbollah-in-homs: "):]
            for t in named:
                self.assertRegex(t, r"^Hezbollah report \d+ near Homs$")
                self.assertNotEqual(t, shown)
        finally:
            env.close()

    def test_global_cap__at_most_n_popups_a_minute_rest_summed_up(self):
        env = Env(NOTIFY="yes", CAP=3, SEVERITY="normal")
        try:
            self.add(env, 10)
            p = env.start()
            try:
                self.assertTrue(wait_for(lambda: len(env.alerts()) == 10, 15))
                time.sleep(1.5)
            finally:
                p.send_signal(signal.SIGTERM)
                p.wait(15)
            singles = [s for s, _ in self.new() if s.startswith("hezbollah-in-homs: ")]
            self.assertEqual(len(singles), 3, self.new())
        finally:
            env.close()

    def test_critical__own_popups_past_the_normal_cap_and_the_cooldown(self):
        # A normal cap of 1 and an hour's cooldown would fold all but one of these.
        env = Env(NOTIFY="yes", CAP=1, RULE_EXTRA="cooldown = 1h", SEVERITY="critical")
        try:
            self.add(env, 8)
            code, err = env.run_once()
            self.assertEqual(code, 0, err)
            self.assertEqual(len(env.alerts()), 8)
            self.assertTrue(wait_for(lambda: len(self.new()) >= 8, 10), self.new())
            got = self.new()
            singles = [s for s, _ in got if s.startswith("hezbollah-in-homs: ")]
            self.assertEqual(len(singles), 8, got)
            self.assertFalse([s for s, _ in got if "more for" in s], got)
        finally:
            env.close()

    def test_critical_cap__exceeded_only_then_the_rest_is_held_back(self):
        env = Env(NOTIFY="yes", CAP=100, SEVERITY="critical",
                  extra_main="max_critical_popups_per_minute = 2")
        try:
            self.add(env, 6)
            p = env.start()
            try:
                self.assertTrue(wait_for(lambda: len(env.alerts()) == 6, 15))
                self.assertTrue(wait_for(lambda: len(self.new()) >= 2, 10), self.new())
                time.sleep(1.5)
            finally:
                p.send_signal(signal.SIGTERM)
                p.wait(15)
            singles = [s for s, _ in self.new() if s.startswith("hezbollah-in-homs: ")]
            self.assertEqual(len(singles), 2, self.new())
        finally:
            env.close()

    def test_text__arrives_as_written_and_critical_expires_unless_sticky(self):
        # In the feed's XML: Hezbollah's "report" near Homs & Humus'tan
        title = "Hezbollah&apos;s &quot;report&quot; near Homs &amp; Humus'tan"
        for sticky, want_timeout in (("no", -1), ("yes", 0)):
            env = Env(NOTIFY="yes", CAP=100, SEVERITY="critical",
                      extra_main="sticky_critical = %s" % sticky)
            try:
                env.add("a.xml", "t-" + sticky, title, "http://news.example/t?a=1&amp;b='2'")
                code, err = env.run_once()
                self.assertEqual(code, 0, err)
                self.assertTrue(wait_for(lambda: len(calls()) > self.seen, 10))
                got = calls()[self.seen:]
                self.seen += len(got)
                self.assertEqual(len(got), 1, got)
                summary, body, hints, timeout = got[0][3], got[0][4], got[0][6], got[0][7]
                self.assertEqual(summary, "hezbollah-in-homs: Hezbollah's \"report\" near Homs "
                                 "& Humus'tan")
                self.assertIn("http://news.example/t?a=1&amp;b='2'", body)
                self.assertNotIn("&#39;", body)
                self.assertNotIn("&quot;", body)
                self.assertEqual(hints["urgency"]["data"], 2)
                self.assertEqual(timeout, want_timeout, sticky)
            finally:
                env.close()

    def test_surge__critical_popup_past_a_low_rules_cooldown(self):
        # A low rule with an hour's cooldown: its items get one pop-up, the surge its own,
        # critical, with what it is about in the body.
        env = Env(NOTIFY="yes", CAP=100, SEVERITY="low",
                  RULE_EXTRA="cooldown = 1h\nsurge = yes\nsurge_min = 5")
        try:
            self.add(env, 6)
            code, err = env.run_once()
            self.assertEqual(code, 0, err)
            self.assertEqual(len(env.alerts()), 7)
            self.assertTrue(wait_for(lambda: any("surge" in c[3] for c in calls()[self.seen:]),
                                     10), self.new())
            got = [c for c in calls()[self.seen:] if "surge" in c[3]]
            self.assertEqual(len(got), 1, got)
            summary, body, hints = got[0][3], got[0][4], got[0][6]
            self.assertEqual(summary, "hezbollah-in-homs: surge, 5 stories in 1h")
            self.assertEqual(hints["urgency"]["data"], 2)
            self.assertIn("No history yet for this rule", body)
            self.assertIn("Places: Homs", body)
            self.assertIn("Top: Hezbollah report", body)
            self.assertIn("Feeds: a", body)
        finally:
            env.close()

    def test_hung_server__log_written_at_once_and_run_ends(self):
        env = Env(NOTIFY="yes", CAP=100)
        pid = int(os.environ["NOTIFY_SERVER_PID"])
        os.kill(pid, signal.SIGSTOP)
        try:
            self.add(env, 5)
            t0 = time.time()
            p = env.start(args=["--once"])
            self.assertTrue(wait_for(lambda: len(env.alerts()) == 5, 10))
            logged = time.time() - t0
            p.wait(20)
            ended = time.time() - t0
            print("hung server: 5 alerts in the log after %.2fs, --once run ended after %.2fs"
                  % (logged, ended))
            # The server holds each call 25 s: the log must not wait for one.
            self.assertLess(logged, 10)
            self.assertEqual(len(env.alerts()), 5)
        finally:
            os.kill(pid, signal.SIGCONT)
            env.close()


if __name__ == "__main__":
    unittest.main()
