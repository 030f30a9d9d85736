"""Pop-ups beside a real notification server (run under tests/notify/with-notify-server.sh):
cooldown summaries, the global cap, and a hung server that must not delay the log."""
import json
import os
import signal
import time
import unittest

from deliverytest import Env


def notifications():
    """(summary, body) of every Notify call the bus monitor saw so far."""
    out = []
    with open(os.environ["NOTIFY_CAPTURE"]) as f:
        for line in f:
            try:
                m = json.loads(line)
            except ValueError:
                continue
            data = m.get("payload", {}).get("data", [])
            if len(data) >= 5:
                out.append((data[3], data[4]))
    return out


def wait_for(pred, timeout):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if pred():
            return True
        time.sleep(0.05)
    return pred()


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
        env = Env(NOTIFY="yes", CAP=100, RULE_EXTRA="cooldown = 3s")
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
        finally:
            env.close()

    def test_global_cap__at_most_n_popups_a_minute_rest_summed_up(self):
        env = Env(NOTIFY="yes", CAP=3)
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

    def test_hung_server__log_written_at_once_and_run_ends(self):
        env = Env(NOTIFY="yes", CAP=100)
        pid = int(os.environ["NOTIFY_SERVER_PID"])
        os.kill(pid, signal.SIGSTOP)
        try:
            self.add(env, 5)
            t0 = time.time()
            p = env.start(args=["--once"])
            self.assertTrue(wait_for(lambda: len(env.alerts()) == 5, 5))
            logged = time.time() - t0
            p.wait(20)
            ended = time.time() - t0
            print("hung server: 5 alerts in the log after %.2fs, --once run ended after %.2fs"
                  % (logged, ended))
            self.assertLess(logged, 3)
            self.assertEqual(len(env.alerts()), 5)
        finally:
            os.kill(pid, signal.SIGCONT)
            env.close()


if __name__ == "__main__":
    unittest.main()
