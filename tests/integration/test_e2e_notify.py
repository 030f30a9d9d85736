"""End to end with a real notification server: run under tests/notify/with-notify-server.sh.

newswatch run --once with notify = yes raises one notification per alert; the server receives
summary, body and the urgency of the rule's severity."""
import json
import os
import sys
import time
import unittest

from nwtest import FixtureServer, Scratch, newswatch

URGENCY = {"low": 0, "normal": 1, "critical": 2}


def notifications(path, want, timeout=10):
    """The Notify calls the monitor captured: (summary, body, urgency), waiting for want of them."""
    deadline = time.time() + timeout
    calls = []
    while time.time() < deadline:
        calls = []
        if os.path.exists(path):
            with open(path) as f:
                for line in f:
                    try:
                        msg = json.loads(line)
                    except ValueError:
                        continue
                    data = msg.get("payload", {}).get("data", [])
                    if len(data) < 8:
                        continue
                    hints = data[6]
                    calls.append((data[3], data[4], hints.get("urgency", {}).get("data")))
        if len(calls) >= want:
            break
        time.sleep(0.1)
    return calls


class NotifyEndToEnd(unittest.TestCase):
    def setUp(self):
        self.s = Scratch()
        self.s.copy_feed("e2e/middleeast.xml")
        self.s.copy_feed("e2e/world.atom")
        self.server = FixtureServer(self.s.feeds)
        self.s.write_conf("e2e/newswatch.conf.in", PORT=self.server.port, FIRST_POLL="alert",
                          FORMAT="text")
        with open(self.s.conf) as f:
            text = f.read()
        with open(self.s.conf, "w") as f:
            f.write(text.replace("notify = no", "notify = yes"))

    def tearDown(self):
        self.server.stop()
        self.s.cleanup()

    def test_each_alert__reaches_the_server_with_summary_body_and_urgency(self):
        code, out, err = newswatch("run", "--once", "--config", self.s.conf)
        self.assertEqual(code, 0, err)
        self.assertEqual(len(self.s.alerts()), 4)
        calls = notifications(os.environ["NOTIFY_CAPTURE"], 4)
        self.assertEqual(len(calls), 4, calls)
        by_summary = {c[0]: c for c in calls}
        hez = by_summary["hezbollah-in-syria: Hezbollah fighters reported near Homs"]
        self.assertIn("Hezbollah", hez[1])
        self.assertIn("Homs", hez[1])
        self.assertIn("middleeast", hez[1])
        self.assertIn("http://news.example/middleeast/1", hez[1])
        self.assertEqual(hez[2], URGENCY["critical"])
        un = by_summary["un-syria: The UN calls for a ceasefire in Syria"]
        self.assertEqual(un[2], URGENCY["low"])
        erd = by_summary["turkey-syria: Erdogan says Turkish troops will stay in northern Syria"]
        self.assertEqual(erd[2], URGENCY["normal"])


if __name__ == "__main__":
    if "NOTIFY_CAPTURE" not in os.environ:
        print("run me under tests/notify/with-notify-server.sh")
        sys.exit(77)
    unittest.main(verbosity=2)
