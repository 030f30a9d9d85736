"""MQTT targets (#16) against a real broker (mosquitto) and subscriber: QoS 1, MQTT v5 with the
alert's key as a user property, topics from the rule and severity; and kill -9 of the daemon at
random moments while alerts keep coming (at least 20 times): every alert arrives, and a subscriber
that drops repeats by key sees each exactly once. Prints the counts."""
import collections
import json
import os
import random
import shutil
import signal
import sqlite3
import sys
import time
import unittest

from deliverytest import Env, wait_for
from targettest import Broker, write_target_conf

ROUNDS = int(os.environ.get("NW_MQTT_CRASH_ROUNDS", "24"))


def keys_of(msgs):
    """The idempotency-key user property of each message (mosquitto_sub prints name:value)."""
    out = []
    for _, payload, props in msgs:
        key = None
        for part in props.split(" "):
            if part.startswith("idempotency-key:"):
                key = part.split(":", 1)[1]
        out.append((key, payload))
    return out


class Mqtt(unittest.TestCase):
    def setUp(self):
        self.env = Env()
        self.broker = Broker()
        self.err = os.path.join(self.env.dir, "daemon.err")

    def tearDown(self):
        self.broker.close()
        self.env.close()

    def conf(self, extra=""):
        target = ("targets = bus\n[target bus]\ntype = mqtt\nurl = %s\n"
                  "topic = newswatch/{rule}/{severity}\nretry = 1s\n%s\n"
                  % (self.broker.url(), extra))
        write_target_conf(self.env, target)

    def alerts(self):
        msgs = [m for m in self.broker.messages() if m[0] != "newswatch/probe"]
        return msgs

    def test_qos1_v5__topic_payload_and_key_property(self):
        self.conf()
        for i in range(3):
            self.env.add("a.xml", "g-%d" % i, "Hezbollah report %d near Homs" % i,
                         "http://news.example/a/%d" % i)
        code, err = self.env.run_once()
        self.assertEqual(code, 0, err)
        self.assertTrue(wait_for(lambda: len(self.alerts()) == 3, 10), err)
        for (topic, payload, _), (key, _) in zip(self.alerts(), keys_of(self.alerts())):
            self.assertEqual(topic, "newswatch/hezbollah-in-homs/critical")
            body = json.loads(payload)
            self.assertEqual(key, "newswatch-%d" % body["alert_id"])
            self.assertEqual(body["key"], key)
        db = sqlite3.connect(os.path.join(self.env.dir, "state", "state.db"))
        self.assertEqual(db.execute("SELECT count(*) FROM alert_targets WHERE state = 1")
                         .fetchone()[0], 3)

    def test_login__password_from_environment_accepted_a_wrong_one_retried(self):
        self.broker.close()
        self.broker = Broker(auth="newswatch:mq-pa55")
        self.conf("user = newswatch\npassword_env = NW_TEST_MQTT_PASSWORD")
        self.env.add("a.xml", "g-1", "Hezbollah report near Homs", "http://news.example/1")
        env = dict(os.environ, NW_TEST_MQTT_PASSWORD="wrong")
        code, err = self.env.run_once(env=env)
        self.assertIn("target bus: ", err)
        self.assertNotIn("wrong", err.replace("wrong password", ""))
        self.assertEqual(self.alerts(), [])
        db = sqlite3.connect(os.path.join(self.env.dir, "state", "state.db"))
        self.assertEqual(db.execute("SELECT count(*) FROM alert_targets WHERE state = 0")
                         .fetchone()[0], 1)
        env["NW_TEST_MQTT_PASSWORD"] = "mq-pa55"
        code, err = self.env.run_once(env=env)
        self.assertEqual(code, 0, err)
        self.assertTrue(wait_for(lambda: len(self.alerts()) == 1, 10), err)
        self.assertNotIn("mq-pa55", err)

    def test_broker_down__retried_until_it_is_back(self):
        self.conf()
        self.broker.broker.send_signal(signal.SIGSTOP)    # connects hang, nothing acked
        try:
            self.env.add("a.xml", "g-1", "Hezbollah report near Homs", "http://news.example/1")
            with open(self.err, "w") as f:
                p = self.env.start(stderr=f, args=["-v"])
            try:
                self.assertTrue(wait_for(lambda: len(self.env.alerts()) == 1, 30))
                time.sleep(2)
            finally:
                self.broker.broker.send_signal(signal.SIGCONT)
            self.assertTrue(wait_for(lambda: len(self.alerts()) >= 1, 90),
                            open(self.err).read())
            p.terminate()
            p.wait()
        finally:
            self.broker.broker.send_signal(signal.SIGCONT)
        (key, payload), = set(keys_of(self.alerts()))
        self.assertEqual(json.loads(payload)["title"], "Hezbollah report near Homs")

    def test_kill_9_at_random_moments__every_alert_arrives_once_per_key(self):
        self.conf()
        rng = random.Random(int(os.environ.get("NW_CRASH_SEED", str(int(time.time())))))
        n = 0
        start = time.time()
        with open(self.err, "w") as err:
            for r in range(ROUNDS):
                for _ in range(3):
                    n += 1
                    self.env.add("a.xml" if n % 2 else "b.xml", "g-%d" % n,
                                 "Hezbollah report %d near Homs" % n,
                                 "http://news.example/%d" % n)
                p = self.env.start(stderr=err, args=["-v"])
                if r % 2 == 0:
                    time.sleep(rng.uniform(0.05, 1.0))
                else:
                    # Aim at a send: just after the subscriber saw something new.
                    seen = len(self.alerts())
                    deadline = time.time() + 2.5
                    while time.time() < deadline and len(self.alerts()) == seen:
                        time.sleep(0.001)
                    time.sleep(rng.uniform(0, 0.01))
                p.send_signal(signal.SIGKILL)
                p.wait()
            code, out = self.env.run_once()
            err.write(out)
        self.assertEqual(code, 0, out)
        db = sqlite3.connect(os.path.join(self.env.dir, "state", "state.db"))
        ids = [i for (i,) in db.execute("SELECT id FROM alerts ORDER BY id")]
        self.assertEqual(len(ids), n)
        self.assertTrue(wait_for(lambda: len({k for k, _ in keys_of(self.alerts())}) >= n, 10))
        got = keys_of(self.alerts())
        per_key = collections.Counter(k for k, _ in got)
        expected = {"newswatch-%d" % i for i in ids}
        # Each key always carries the same alert.
        payloads = collections.defaultdict(set)
        for k, payload in got:
            payloads[k].add(json.loads(payload)["title"])
        repeats = sum(c - 1 for c in per_key.values())
        print("mqtt crash test: %d kills in %.1fs, %d alerts, %d messages, %d repeats "
              "(dropped by key), %d missing" % (ROUNDS, time.time() - start, n, len(got),
                                                repeats, len(expected - set(per_key))),
              file=sys.stderr)
        self.assertEqual(set(per_key), expected)
        self.assertTrue(all(len(v) == 1 for v in payloads.values()))
        # A repeat needs a kill between the PUBACK and the mark: at most one per kill.
        self.assertLessEqual(repeats, ROUNDS)
        self.assertEqual(db.execute("SELECT count(*) FROM alert_targets WHERE state != 1")
                         .fetchone()[0], 0)


if __name__ == "__main__":
    if shutil.which("mosquitto") is None or shutil.which("mosquitto_sub") is None:
        print("mosquitto and mosquitto-clients are not installed: skipped", file=sys.stderr)
        sys.exit(77)
    unittest.main()
