"""Email targets (#16) against a real SMTP server (python3-aiosmtpd): one mail per alert, and with
digest = one mail per digest period holding every alert of it, grouped by rule."""
import email
import email.header
import email.policy
import os
import sys
import time
import unittest

from deliverytest import Env, wait_for
from targettest import SmtpSink, add_alerting_items, have_aiosmtpd, write_target_conf


def parse(msg):
    return email.message_from_string(msg["data"], policy=email.policy.default)


class Mail(unittest.TestCase):
    def setUp(self):
        self.env = Env()
        self.smtp = SmtpSink()
        self.procs = []
        self.err = os.path.join(self.env.dir, "daemon.err")

    def tearDown(self):
        for p in self.procs:
            if p.poll() is None:
                p.kill()
            p.wait()
        self.smtp.close()
        self.env.close()

    def conf(self, extra="", severity="critical"):
        target = ("targets = mail\n[target mail]\ntype = email\nurl = smtp://127.0.0.1:%d\n"
                  "from = newswatch@example.org\nto = a@example.org, b@example.org\n"
                  "retry = 1s\n%s\n" % (self.smtp.port, extra))
        write_target_conf(self.env, target, SEVERITY=severity)

    def add_items(self, n, start=0):
        return add_alerting_items(self.env, n, start)

    def test_one_mail_per_alert__to_every_recipient_with_the_key(self):
        self.conf()
        titles = self.add_items(3)
        code, err = self.env.run_once()
        self.assertEqual(code, 0, err)
        msgs = self.smtp.messages()
        self.assertEqual(len(msgs), 3, err)
        subjects = []
        for m in msgs:
            self.assertEqual(m["mail_from"], "newswatch@example.org")
            self.assertEqual(sorted(m["rcpt_tos"]), ["a@example.org", "b@example.org"])
            p = parse(m)
            subjects.append(str(p["subject"]))
            self.assertRegex(str(p["message-id"]), r"^<newswatch-\d+@newswatch>$")
            body = p.get_content()
            self.assertIn(str(p["subject"]).split(": ", 1)[1], body)
            self.assertIn("Feed: a", body)
        self.assertEqual(sorted(subjects), sorted("hezbollah-in-homs: " + t for t in titles))

    def test_digest__one_mail_per_period_with_every_alert_of_it(self):
        self.conf("digest = 10s", severity="normal")
        with open(self.err, "w") as f:
            p = self.env.start(stderr=f, args=["-v"])
        self.procs.append(p)
        first = self.add_items(3)
        self.assertTrue(wait_for(lambda: len(self.env.alerts()) == 3, 30))
        self.assertTrue(wait_for(lambda: len(self.smtp.messages()) >= 1, 40))
        time.sleep(1)
        self.assertEqual(len(self.smtp.messages()), 1)
        second = self.add_items(2, start=3)
        self.assertTrue(wait_for(lambda: len(self.smtp.messages()) >= 2, 40))
        # Nothing more: a period with no alert sends no digest.
        time.sleep(12)
        msgs = self.smtp.messages()
        self.assertEqual(len(msgs), 2)
        bodies = []
        for m, titles in zip(msgs, (first, second)):
            p = parse(m)
            self.assertEqual(str(p["subject"]), "newswatch digest: %d alerts" % len(titles))
            self.assertRegex(str(p["message-id"]), r"^<newswatch-digest-\d+-\d+-%d@newswatch>$"
                             % len(titles))
            body = p.get_content()
            self.assertIn("hezbollah-in-homs (%d)" % len(titles), body)
            for t in titles:
                self.assertIn("- " + t + " http://news.example/", body)
            bodies.append(body)
        # Each alert in exactly one digest.
        self.assertNotIn(second[0], bodies[0])

    def test_login__password_from_file_accepted_and_a_wrong_one_refused_for_good(self):
        self.smtp.close()
        self.smtp = SmtpSink(auth="newswatch:pa55-word")
        pw = os.path.join(self.env.dir, "mail.password")
        with open(pw, "w") as f:
            f.write("pa55-word\n")
        os.chmod(pw, 0o600)
        self.conf("user = newswatch\npassword_file = %s" % pw)
        self.add_items(1)
        code, err = self.env.run_once()
        self.assertEqual(code, 0, err)
        (m,) = self.smtp.messages()
        self.assertEqual(m["login"], "newswatch")
        self.assertNotIn("pa55-word", err)
        # A wrong password: the server's 535 refuses it for good, not retried.
        with open(pw, "w") as f:
            f.write("wrong\n")
        self.add_items(1, start=1)
        code, err = self.env.run_once()
        self.assertIn("target mail: 1 alert refused for good, not retried", err)
        self.assertNotIn("wrong", err.replace("wrong password", ""))
        self.assertEqual(len(self.smtp.messages()), 1)


if __name__ == "__main__":
    if not have_aiosmtpd():
        print("python3-aiosmtpd is not installed for /usr/bin/python3: skipped", file=sys.stderr)
        sys.exit(77)
    unittest.main()
