"""Push targets over TLS (#16) with ca_file: a throwaway CA and a server certificate for 127.0.0.1
made by the openssl command line, a real mosquitto with a TLS listener (mqtts://) and a real
aiosmtpd speaking SMTP over TLS from the first byte (smtps://). With ca_file naming the test CA,
each alert arrives once; without it the system's CAs do not know the server's certificate: the
failure is logged with the target's name, the alert stays pending and the alert log has it, and
once ca_file is added the same alert goes out."""
import collections
import json
import os
import shutil
import sqlite3
import sys
import unittest

from deliverytest import Env, wait_for
from targettest import (Broker, SmtpSink, TestCerts, add_alerting_items, have_aiosmtpd,
                        write_target_conf)


def pending(env, target):
    """How many alerts wait for target (alert_targets state 0), and how many were sent (1)."""
    db = sqlite3.connect(os.path.join(env.dir, "state", "state.db"))
    try:
        return tuple(db.execute("SELECT count(*) FROM alert_targets WHERE target = ? AND "
                                "state = ?", (target, s)).fetchone()[0] for s in (0, 1))
    finally:
        db.close()


class TlsCase(unittest.TestCase):
    """The scratch environment, the certificates and the target section a test writes."""

    def setUp(self):
        self.env = Env()
        self.certs = TestCerts()

    def tearDown(self):
        self.env.close()
        self.certs.close()

    def conf(self, section):
        write_target_conf(self.env, section)

    def add_items(self, n, start=0):
        return add_alerting_items(self.env, n, start)


class Mqtts(TlsCase):
    def setUp(self):
        super().setUp()
        self.broker = Broker(tls=self.certs)

    def tearDown(self):
        self.broker.close()
        super().tearDown()

    def conf_target(self, ca=True):
        self.conf("targets = bus\n[target bus]\ntype = mqtt\nurl = %s\n"
                  "topic = newswatch/{rule}\nretry = 1s\n%s\n"
                  % (self.broker.tls_url(), "ca_file = %s" % self.certs.ca if ca else ""))

    def alerts(self):
        return [m for m in self.broker.messages() if m[0] != "newswatch/probe"]

    def test_ca_file__alerts_arrive_once_per_key_over_tls(self):
        self.conf_target()
        titles = self.add_items(3)
        code, err = self.env.run_once()
        self.assertEqual(code, 0, err)
        self.assertTrue(wait_for(lambda: len(self.alerts()) >= 3, 10), err)
        got = [json.loads(payload) for _, payload, _ in self.alerts()]
        per_key = collections.Counter(b["key"] for b in got)
        self.assertEqual(len(per_key), 3, got)
        self.assertTrue(all(c == 1 for c in per_key.values()), per_key)
        self.assertEqual(sorted(b["title"] for b in got), sorted(titles))
        self.assertEqual(pending(self.env, "bus"), (0, 3))

    def test_without_ca_file__verification_fails_alert_kept_then_sent_with_it(self):
        self.conf_target(ca=False)
        (title,) = self.add_items(1)
        code, err = self.env.run_once()
        self.assertIn("target bus: ", err)
        self.assertRegex(err, r"target bus: .*TLS.*retrying", err)
        self.assertEqual(self.alerts(), [])
        self.assertEqual(pending(self.env, "bus"), (1, 0))
        self.assertEqual(len(self.env.alerts()), 1)
        self.assertIn(title, self.env.alerts()[0])
        # The same alert, not lost, goes out once the target trusts the test CA.
        self.conf_target()
        code, err = self.env.run_once()
        self.assertEqual(code, 0, err)
        self.assertTrue(wait_for(lambda: len(self.alerts()) >= 1, 10), err)
        ((_, payload, _),) = self.alerts()
        self.assertEqual(json.loads(payload)["title"], title)
        self.assertEqual(pending(self.env, "bus"), (0, 1))


class Smtps(TlsCase):
    def setUp(self):
        super().setUp()
        self.smtp = SmtpSink(tls=self.certs)

    def tearDown(self):
        self.smtp.close()
        super().tearDown()

    def conf_target(self, ca=True):
        self.conf("targets = mail\n[target mail]\ntype = email\nurl = smtps://127.0.0.1:%d\n"
                  "from = newswatch@example.org\nto = a@example.org\nretry = 1s\n%s\n"
                  % (self.smtp.port, "ca_file = %s" % self.certs.ca if ca else ""))

    def test_ca_file__one_mail_per_alert_over_tls(self):
        self.conf_target()
        titles = self.add_items(2)
        code, err = self.env.run_once()
        self.assertEqual(code, 0, err)
        msgs = self.smtp.messages()
        self.assertEqual(len(msgs), 2, err)
        for m in msgs:
            self.assertEqual(m["rcpt_tos"], ["a@example.org"])
        self.assertEqual(sorted(t for t in titles if any(t in m["data"] for m in msgs)),
                         sorted(titles))
        self.assertEqual(pending(self.env, "mail"), (0, 2))

    def test_without_ca_file__verification_fails_alert_kept_then_sent_with_it(self):
        self.conf_target(ca=False)
        (title,) = self.add_items(1)
        code, err = self.env.run_once()
        self.assertRegex(err, r"target mail: TLS.*retrying", err)
        self.assertEqual(self.smtp.messages(), [])
        self.assertEqual(pending(self.env, "mail"), (1, 0))
        self.assertEqual(len(self.env.alerts()), 1)
        self.assertIn(title, self.env.alerts()[0])
        self.conf_target()
        code, err = self.env.run_once()
        self.assertEqual(code, 0, err)
        (m,) = self.smtp.messages()
        self.assertIn(title, m["data"])
        self.assertEqual(pending(self.env, "mail"), (0, 1))


if __name__ == "__main__":
    missing = [p for p in ("openssl", "mosquitto", "mosquitto_sub") if shutil.which(p) is None]
    if not have_aiosmtpd():
        missing.append("python3-aiosmtpd (for /usr/bin/python3)")
    if missing:
        print("%s not installed: skipped" % ", ".join(missing), file=sys.stderr)
        sys.exit(77)
    unittest.main()
