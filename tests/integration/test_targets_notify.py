"""A push target that hangs (and one that refuses) beside a real notification server (run under
tests/notify/with-notify-server.sh): every pop-up and every log line still come at once."""
import os
import signal
import time
import unittest

from deliverytest import Env, wait_for
from targettest import Receiver
from test_delivery_notify import notifications


@unittest.skipUnless(os.environ.get("NOTIFY_CAPTURE"), "needs with-notify-server.sh")
class TargetsBesidePopups(unittest.TestCase):
    def test_hanging_and_failing_targets__popups_and_log_unaffected(self):
        recv = Receiver()
        env = Env(NOTIFY="yes", CAP=100, SEVERITY="normal")
        try:
            recv.script("/hang", [], then="hang")
            recv.script("/fail", [], then="503:1")
            env.write_conf(NOTIFY="yes", CAP=100, SEVERITY="normal", extra_main=(
                "targets = stuck, down\ntimeout = 300s\n"
                "[target stuck]\ntype = webhook\nurl = %s\n"
                "[target down]\ntype = slack\nurl = %s\nretry = 1s\n"
                % (recv.url("/hang"), recv.url("/fail"))))
            seen = len(notifications())
            for i in range(5):
                env.add("a.xml", "g-%d" % i, "Hezbollah report %d near Homs" % i,
                        "http://news.example/%d" % i)
            p = env.start()
            try:
                t0 = time.time()
                self.assertTrue(wait_for(lambda: len(env.alerts()) == 5, 30))
                self.assertTrue(wait_for(lambda: len(
                    [s for s, _ in notifications()[seen:]
                     if s.startswith("hezbollah-in-homs: ")]) == 5, 30),
                    notifications()[seen:])
                self.assertLess(time.time() - t0, 30)
                # Meanwhile the targets are stuck and failing, as planned.
                self.assertTrue(wait_for(lambda: len(recv.requests("/fail")) >= 2, 30))
                self.assertEqual(len(recv.requests("/hang")), 1)
            finally:
                p.send_signal(signal.SIGTERM)
                p.wait(15)
        finally:
            recv.close()
            env.close()


if __name__ == "__main__":
    unittest.main()
