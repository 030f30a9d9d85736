"""Crash test: kill -9 the daemon at random moments while new items keep coming; every alert must
be in the log exactly once at the end. Prints the counts.

Half the kills come at a random moment, half just after the alert log grew (the daemon is then
between writing a batch and marking it done: the window a naive outbox duplicates in)."""
import collections
import os
import random
import signal
import sys
import time
import unittest

from deliverytest import Env, title_of

ROUNDS = int(os.environ.get("NW_CRASH_ROUNDS", "60"))
PER_ROUND = 3          # new items per feed per round


class Crash(unittest.TestCase):
    def test_kill_9_at_random_moments__log_has_every_alert_exactly_once(self):
        env = Env()
        try:
            self.run_rounds(env)
        finally:
            env.close()

    def run_rounds(self, env):
        rng = random.Random(int(os.environ.get("NW_CRASH_SEED", str(int(time.time())))))
        expected = []
        errlog = os.path.join(env.dir, "daemon.err")
        n = 0
        start = time.time()
        with open(errlog, "w") as err:
            for r in range(ROUNDS):
                for feed in ("a.xml", "b.xml"):
                    for _ in range(PER_ROUND):
                        n += 1
                        title = "Hezbollah report %d near Homs" % n
                        env.add(feed, "g-%d" % n, title, "http://news.example/%s/%d" % (feed, n))
                        expected.append(title)
                size = os.path.getsize(env.log) if os.path.exists(env.log) else 0
                p = env.start(stderr=err, args=["-v"])
                if r % 2 == 0:
                    time.sleep(rng.uniform(0.05, 1.0))
                else:
                    # Aim at the narrow window: just after the log grew, while the batch is
                    # being written, fsynced and marked done.
                    deadline = time.time() + 2.5
                    while time.time() < deadline:
                        if os.path.exists(env.log) and os.path.getsize(env.log) != size:
                            break
                        time.sleep(0.0005)
                    time.sleep(rng.uniform(0, 0.004))
                p.send_signal(signal.SIGKILL)
                p.wait()
            # One clean run picks up whatever the last kill left: pending alerts, unpolled items.
            code, out = env.run_once()
            err.write(out)
        self.assertEqual(code, 0, out)
        lines = env.alerts()
        got = collections.Counter(title_of(l) for l in lines)
        missing = [t for t in expected if got[t] == 0]
        duplicated = [t for t, c in got.items() if c > 1]
        unexpected = [t for t in got if t not in set(expected)]
        with open(errlog) as f:
            text = f.read()
        recovered = text.count("before a crash: not written again")
        print("crash test: %d kills in %.1fs, %d items expected, %d log lines, %d missing, "
              "%d duplicated, %d unexpected; %d restarts found records written just before "
              "the kill" % (ROUNDS, time.time() - start, len(expected), len(lines),
                            len(missing), len(duplicated), len(unexpected), recovered),
              file=sys.stderr)
        self.assertEqual(missing, [])
        self.assertEqual(duplicated, [])
        self.assertEqual(unexpected, [])
        self.assertEqual(len(lines), len(expected))


if __name__ == "__main__":
    unittest.main()
