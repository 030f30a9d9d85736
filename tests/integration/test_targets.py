"""Push targets over HTTP (#16): webhooks (HMAC signature, Idempotency-Key), ntfy, Slack and Matrix
against a scripted receiver that also fails the way real services do: 500s, 429 with Retry-After,
resets, a 400 refused for good, a hang. Nothing is lost, and the log is never held up."""
import collections
import hashlib
import hmac
import json
import os
import re
import sqlite3
import subprocess
import time
import unittest

from deliverytest import Env, NEWSWATCH, wait_for
from targettest import Receiver, add_alerting_items, write_target_conf

SECRET = "s3cret-for-tests"


class Targets(unittest.TestCase):
    def setUp(self):
        self.env = Env()
        self.recv = Receiver()
        self.procs = []
        self.secret = os.path.join(self.env.dir, "hook.secret")
        with open(self.secret, "w") as f:
            f.write(SECRET + "\n")
        os.chmod(self.secret, 0o600)
        self.err = os.path.join(self.env.dir, "daemon.err")

    def tearDown(self):
        for p in self.procs:
            if p.poll() is None:
                p.kill()
            p.wait()
        self.recv.close()
        self.env.close()

    def conf(self, targets, default="hook", timeout="60s", extra=""):
        main = "targets = %s\ntimeout = %s\n%s\n" % (default, timeout, extra)
        write_target_conf(self.env, main + targets)

    def hook(self, name="hook", path="/hook", extra=""):
        return ("[target %s]\ntype = webhook\nurl = %s\nsecret_file = %s\nretry = 1s\n%s\n"
                % (name, self.recv.url(path), self.secret, extra))

    def add_items(self, n, start=0):
        return add_alerting_items(self.env, n, start)

    def start(self):
        f = open(self.err, "a")
        p = self.env.start(stderr=f, args=["-v"])
        f.close()
        self.procs.append(p)
        return p

    def stderr(self):
        with open(self.err) as f:
            return f.read()

    def bodies(self, prefix):
        return [json.loads(r["body"]) for r in self.recv.delivered(prefix)]

    def titles_at(self, prefix):
        return collections.Counter(b["title"] for b in self.bodies(prefix))

    # -- webhook ----------------------------------------------------------------------------

    def test_webhook__each_alert_once_signed_with_idempotency_key(self):
        self.conf(self.hook())
        titles = self.add_items(3)
        code, err = self.env.run_once()
        self.assertEqual(code, 0, err)
        reqs = self.recv.delivered("/hook")
        self.assertEqual(sorted(json.loads(r["body"])["title"] for r in reqs), sorted(titles))
        keys = set()
        for r in reqs:
            body = json.loads(r["body"])
            h = r["headers"]
            self.assertEqual(r["method"], "POST")
            self.assertEqual(h["content-type"], "application/json")
            self.assertEqual(h["idempotency-key"], "newswatch-%d" % body["alert_id"])
            self.assertEqual(body["key"], h["idempotency-key"])
            want = hmac.new(SECRET.encode(), r["body"].encode(), hashlib.sha256).hexdigest()
            self.assertEqual(h["x-newswatch-signature"], "sha256=" + want)
            self.assertEqual(body["rule"], "hezbollah-in-homs")
            keys.add(h["idempotency-key"])
        self.assertEqual(len(keys), 3)
        self.assertNotIn(SECRET, err)

    def test_surge__goes_to_the_rules_targets_beside_its_item_alerts(self):
        # #18: a surge alert goes everywhere an alert goes, the rule's targets included.
        write_target_conf(self.env, "targets = hook\ntimeout = 60s\n" + self.hook(),
                          RULE_EXTRA="surge = yes\nsurge_min = 3")
        titles = self.add_items(3)
        code, err = self.env.run_once()
        self.assertEqual(code, 0, err)
        bodies = self.bodies("/hook")
        surges = [b for b in bodies if b.get("type") == "surge"]
        self.assertEqual(len(surges), 1, bodies)
        self.assertEqual(surges[0]["count"], 3)
        self.assertEqual(surges[0]["rule"], "hezbollah-in-homs")
        self.assertEqual(sorted(b["title"] for b in bodies if "type" not in b), sorted(titles))

    def test_webhook__500_reset_429__retried_until_delivered_retry_after_honoured(self):
        self.recv.script("/hook", ["500", "reset", "429:4"])
        self.conf(self.hook())
        titles = self.add_items(1)
        self.start()
        self.assertTrue(wait_for(lambda: len(self.recv.delivered("/hook")) == 1, 90),
                        self.stderr())
        reqs = self.recv.requests("/hook")
        self.assertEqual([r["answer"] for r in reqs], ["500", "reset", "429:4", "ok"])
        # Same message, same key, every time.
        self.assertEqual(len({r["headers"]["idempotency-key"] for r in reqs}), 1)
        # Retry-After: 4 is a floor over the 1 s backoff.
        self.assertGreaterEqual(reqs[3]["t"] - reqs[2]["t"], 3.5)
        self.assertEqual(list(self.titles_at("/hook").elements()), titles)
        # The log had it from the start, whatever the target did.
        self.assertEqual(len(self.env.alerts()), 1)

    def test_webhook__400__refused_for_good_and_the_next_alerts_go(self):
        self.recv.script("/hook", ["400"])
        self.conf(self.hook())
        self.add_items(1)
        self.start()
        self.assertTrue(wait_for(lambda: len(self.recv.requests("/hook")) == 1, 30))
        titles = self.add_items(2, start=1)
        self.assertTrue(wait_for(lambda: len(self.recv.delivered("/hook")) == 2, 30),
                        self.stderr())
        time.sleep(2)
        self.assertEqual(len(self.recv.requests("/hook")), 3)    # the 400 was not retried
        self.assertEqual(sorted(self.titles_at("/hook")), sorted(titles))
        self.assertIn("refused for good, not retried: HTTP status 400", self.stderr())
        db = sqlite3.connect(os.path.join(self.env.dir, "state", "state.db"))
        states = sorted(s for (s,) in db.execute("SELECT state FROM alert_targets"))
        self.assertEqual(states, [1, 1, 2])
        # status: the target's counts and last error, never its secret.
        p = subprocess.run([NEWSWATCH, "status", "--config", self.env.conf],
                           capture_output=True, text=True, timeout=30)
        self.assertEqual(p.returncode, 0, p.stderr)
        row = [l for l in p.stdout.splitlines() if l.startswith("hook ")]
        self.assertEqual(len(row), 1, p.stdout)
        self.assertRegex(row[0], r"^hook\s+webhook\s+0\s+-\s+\S+ ago\s+2\s+1\s+0\s+"
                         r"HTTP status 400 \(\S+ ago\)$")
        p = subprocess.run([NEWSWATCH, "status", "--json", "--config", self.env.conf],
                           capture_output=True, text=True, timeout=30)
        (t,) = json.loads(p.stdout)["targets"]
        self.assertEqual((t["target"], t["type"], t["backlog"], t["sent"], t["failed"],
                          t["dropped"], t["last_error"]), ("hook", "webhook", 0, 2, 1, 0,
                                                           "HTTP status 400"))
        self.assertIsNotNone(t["last_success"])
        self.assertNotIn(SECRET, p.stdout)

    def test_hanging_target__log_and_other_target_get_every_alert_promptly(self):
        self.recv.script("/hang", [], then="hang")
        targets = (self.hook("stuck", "/hang") +
                   "[target phone]\ntype = ntfy\nurl = %s\n" % self.recv.url("/alerts"))
        self.conf(targets, default="stuck, phone", timeout="300s")
        self.start()
        titles = self.add_items(2)
        self.assertTrue(wait_for(lambda: len(self.recv.requests("/hang")) == 1, 30))
        self.assertTrue(wait_for(lambda: len(self.env.alerts()) == 2, 30))
        self.assertTrue(wait_for(lambda: len(self.recv.delivered("/")) == 2, 30))
        # More while the first send still hangs: the log and ntfy get them as they come.
        more = self.add_items(3, start=2)
        t0 = time.time()
        self.assertTrue(wait_for(lambda: len(self.env.alerts()) == 5, 30))
        self.assertTrue(wait_for(lambda: len(self.recv.delivered("/")) == 5, 30),
                        self.stderr())
        self.assertLess(time.time() - t0, 30)
        got = collections.Counter(json.loads(r["body"])["title"].split(": ", 1)[1]
                                  for r in self.recv.delivered("/"))
        self.assertEqual(sorted(got.elements()), sorted(titles + more))
        # The hanging target has had one request, still open: no pile-up behind it.
        self.assertEqual(len(self.recv.requests("/hang")), 1)

    def test_kill_9_while_sending__resent_at_start_with_the_same_key(self):
        self.recv.script("/hook", [], then="hang")
        self.conf(self.hook(), timeout="300s")
        self.add_items(1)
        p = self.start()
        self.assertTrue(wait_for(lambda: len(self.recv.requests("/hook")) == 1, 30))
        p.kill()
        p.wait()
        self.recv.script("/hook", [], then="ok")
        code, err = self.env.run_once()
        self.assertEqual(code, 0, err)
        reqs = self.recv.requests("/hook")
        self.assertEqual(len(reqs), 2)
        self.assertEqual(reqs[0]["headers"]["idempotency-key"],
                         reqs[1]["headers"]["idempotency-key"])
        self.assertEqual(len(self.env.alerts()), 1)

    # -- backlog cap and removed targets ----------------------------------------------------

    def test_dead_target_at_max_backlog__further_alerts_dropped_counted_logged_once(self):
        targets = ("[target dead]\ntype = webhook\nurl = http://127.0.0.1:9/x\nretry = 1h\n"
                   "max_backlog = 2\n")
        self.conf(targets, default="dead")
        self.add_items(5)
        code, err = self.env.run_once()
        self.assertEqual(len(self.env.alerts()), 5, err)
        self.assertEqual(err.count("new alerts are dropped for it"), 1, err)
        db = sqlite3.connect(os.path.join(self.env.dir, "state", "state.db"))
        states = collections.Counter(s for (s,) in db.execute("SELECT state FROM alert_targets"))
        self.assertEqual(states, {0: 2, 3: 3})
        (dropped,) = db.execute("SELECT dropped FROM targets WHERE name = 'dead'").fetchone()
        self.assertEqual(dropped, 3)

    def test_target_removed_by_config__pending_kept_logged_and_sent_when_back(self):
        targets = ("[target dead]\ntype = webhook\nurl = http://127.0.0.1:9/x\nretry = 1h\n")
        self.conf(targets, default="dead")
        self.add_items(2)
        self.env.run_once()
        self.conf("", default="")
        code, err = self.env.run_once()
        self.assertIn("target dead: 2 alerts wait for it, but the configuration has no "
                      "[target dead]", err)
        self.conf("[target dead]\ntype = webhook\nurl = %s\n" % self.recv.url("/back"),
                  default="dead")
        code, err = self.env.run_once()
        self.assertEqual(len(self.recv.delivered("/back")), 2, err)

    # -- digests ------------------------------------------------------------------------------

    def test_digest__critical_at_once_the_rest_in_one_message_at_the_boundary(self):
        self.env.write_conf(extra_main="targets = hook\n" + self.hook(extra="digest = 10s"),
                            SEVERITY="normal",
                            RULE_EXTRA="\n[rule urgent]\nactors = Hezbollah\nkeywords = urgent\n"
                                       "severity = critical\n")
        with open(self.env.conf) as f:
            text = f.read()
        with open(self.env.conf, "w") as f:
            f.write(text.replace(".xml\n", ".xml?max_age=0\n"))
        self.start()
        held = self.add_items(3)
        self.env.add("a.xml", "g-u", "Hezbollah urgent near Homs", "http://news.example/u")
        self.assertTrue(wait_for(lambda: len(self.recv.delivered("/hook")) >= 1, 20))
        self.assertEqual(self.bodies("/hook")[0]["severity"], "critical")
        self.assertTrue(wait_for(lambda: len(self.recv.delivered("/hook")) >= 2, 30),
                        self.stderr())
        time.sleep(1)
        bodies = self.bodies("/hook")
        self.assertEqual(len(bodies), 2)
        digest = bodies[1]
        self.assertTrue(digest["digest"])
        self.assertEqual(digest["count"], 4)
        self.assertEqual(digest["rules"][0], {"rule": "hezbollah-in-homs", "count": 4,
                                              "titles": digest["rules"][0]["titles"]})
        self.assertEqual(sorted(a["title"] for a in digest["alerts"]),
                         sorted(held + ["Hezbollah urgent near Homs"]))
        self.assertRegex(self.recv.delivered("/hook")[1]["headers"]["idempotency-key"],
                         r"^newswatch-digest-\d+-\d+-4$")

    # -- quiet hours ------------------------------------------------------------------------

    def test_quiet_hours__critical_pass_the_rest_come_as_one_digest_at_the_end(self):
        # A quiet time around now, in whole minutes of UTC, ending 25 to 85 s from now.
        now = time.time()
        end = (int(now) // 60 + (1 if 60 - now % 60 >= 25 else 2)) * 60
        fmt = lambda t: time.strftime("%H:%M", time.gmtime(t))
        self.env.write_conf(extra_main="targets = hook\n" + self.hook(
            extra="quiet = %s-%s" % (fmt(now - 60), fmt(end))), SEVERITY="normal",
            RULE_EXTRA="\n[rule urgent]\nactors = Hezbollah\nkeywords = urgent\n"
                       "severity = critical\n")
        with open(self.env.conf) as f:
            text = f.read()
        with open(self.env.conf, "w") as f:
            f.write(text.replace(".xml\n", ".xml?max_age=0\n"))
        env = dict(os.environ, TZ="UTC")
        f = open(self.err, "a")
        self.procs.append(self.env.start(stderr=f, args=["-v"], env=env))
        f.close()
        held = self.add_items(2)
        self.env.add("a.xml", "g-u", "Hezbollah urgent near Homs", "http://news.example/u")
        # The critical alert goes at once; the two normal ones and the normal alert of the
        # urgent item wait.
        self.assertTrue(wait_for(lambda: len(self.recv.delivered("/hook")) == 1, 20),
                        self.stderr())
        (crit,) = self.bodies("/hook")
        self.assertEqual(crit["rule"], "urgent")
        self.assertEqual(crit["severity"], "critical")
        self.assertLess(time.time(), end, "the machine was too slow for this quiet time")
        self.assertEqual(len(self.env.alerts()), 4)
        time.sleep(max(0, end - time.time() - 3))
        self.assertEqual(len(self.recv.requests("/hook")), 1)
        # At the end of the quiet time: one digest of what was held.
        self.assertTrue(wait_for(lambda: len(self.recv.delivered("/hook")) == 2, 30),
                        self.stderr())
        digest = self.bodies("/hook")[1]
        self.assertTrue(digest["digest"])
        self.assertEqual(digest["count"], 3)
        self.assertEqual(sorted(a["title"] for a in digest["alerts"]),
                         sorted(held + ["Hezbollah urgent near Homs"]))
        self.assertGreaterEqual(self.recv.requests("/hook")[1]["t"], end)

    # -- check, test-target and the README's examples --------------------------------------

    def test_check__validates_targets_and_never_prints_secrets(self):
        self.conf(self.hook() + "[target bad]\ntype = pager\nurl = http://x/\n"
                  "[target mail]\ntype = email\nurl = http://x/\n"
                  "[target room]\ntype = matrix\nurl = https://m.example\n"
                  "[target env]\ntype = ntfy\nurl = https://n.example/t\n"
                  "token_env = NW_TEST_UNSET_TOKEN\n")
        p = subprocess.run([NEWSWATCH, "check", "--config", self.env.conf],
                           capture_output=True, text=True, timeout=30)
        self.assertEqual(p.returncode, 1)
        self.assertIn('bad type "pager" for target bad', p.stderr)
        self.assertIn('bad url "http://x/" for target mail: expected smtp://HOST... or '
                      'smtps://HOST...', p.stderr)
        self.assertIn("target mail: an email target needs from = and to =", p.stderr)
        self.assertIn("target room: a matrix target needs room", p.stderr)
        self.assertIn("the environment variable NW_TEST_UNSET_TOKEN is not set", p.stderr)
        urlfile = os.path.join(self.env.dir, "slack.url")
        with open(urlfile, "w") as f:
            f.write(self.recv.url("/slack/T0/B0/hook-key-in-path") + "\n")
        os.chmod(urlfile, 0o600)
        self.conf(self.hook(path="/hook/with/a/secret/path") +
                  "[target chat]\ntype = slack\nurl_file = %s\n" % urlfile)
        p = subprocess.run([NEWSWATCH, "check", "--config", self.env.conf],
                           capture_output=True, text=True, timeout=30)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertRegex(p.stdout, r"(?m)^  chat +slack +http://127\.0\.0\.1:\d+; backlog")
        self.assertNotIn("hook-key-in-path", p.stdout + p.stderr)
        self.assertRegex(p.stdout, r"(?m)^  hook +webhook http://127\.0\.0\.1:\d+; secret from "
                         r"file \S+hook\.secret; backlog up to 1000$")
        self.assertRegex(p.stdout, r"(?m)hezbollah-in-homs .*; to hook$")
        self.assertNotIn(SECRET, p.stdout + p.stderr)
        self.assertNotIn("/secret/path", p.stdout + p.stderr)
        self.assertEqual(self.recv.requests(), [])    # nothing sent by check
        # The URL from the file is the one used.
        p = subprocess.run([NEWSWATCH, "test-target", "--config", self.env.conf, "chat"],
                           capture_output=True, text=True, timeout=60)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual([r["path"] for r in self.recv.delivered()],
                         ["/slack/T0/B0/hook-key-in-path"])
        self.assertNotIn("hook-key-in-path", p.stdout + p.stderr)

    def test_check__ca_file_checked_at_load_and_shown(self):
        ca = os.path.join(self.env.dir, "ca.pem")
        with open(ca, "w") as f:
            f.write("-----BEGIN CERTIFICATE-----\n")    # opened at load, read by TLS later
        self.conf(self.hook() +
                  "[target mail]\ntype = email\nurl = smtps://127.0.0.1:1\nfrom = a@example.org"
                  "\nto = b@example.org\nca_file = no-such-ca.pem\n"
                  "[target bus]\ntype = mqtt\nurl = mqtts://127.0.0.1:1\nca_file = %s\n"
                  "[target web]\ntype = webhook\nurl = https://127.0.0.1:1/\nca_file = %s\n"
                  % (self.env.dir, ca))
        with open(self.env.conf) as f:
            lines = f.read().splitlines()

        def line_of(text, after):
            return lines.index(text, lines.index(after)) + 1

        p = subprocess.run([NEWSWATCH, "check", "--config", self.env.conf],
                           capture_output=True, text=True, timeout=30)
        self.assertEqual(p.returncode, 1)
        self.assertIn("%s:%d: target mail: ca_file %s: No such file or directory"
                      % (self.env.conf, line_of("ca_file = no-such-ca.pem", "[target mail]"),
                         os.path.join(self.env.dir, "no-such-ca.pem")), p.stderr)
        self.assertIn("%s:%d: target bus: ca_file %s: not a regular file"
                      % (self.env.conf, line_of("ca_file = " + self.env.dir, "[target bus]"),
                         self.env.dir), p.stderr)
        self.assertIn("%s:%d: target web: a webhook target takes no ca_file"
                      % (self.env.conf, line_of("ca_file = " + ca, "[target web]")), p.stderr)
        self.conf(self.hook() +
                  "[target mail]\ntype = email\nurl = smtps://127.0.0.1:1\nfrom = a@example.org"
                  "\nto = b@example.org\nca_file = ca.pem\n"
                  "[target bus]\ntype = mqtt\nurl = mqtts://127.0.0.1:1\n")
        p = subprocess.run([NEWSWATCH, "check", "--config", self.env.conf],
                           capture_output=True, text=True, timeout=30)
        self.assertEqual(p.returncode, 0, p.stderr)
        # A relative path is the config's directory's.
        self.assertRegex(p.stdout, r"(?m)^  mail +email +smtps://127\.0\.0\.1:1 to 1 address; "
                         r"CA file %s; backlog" % re.escape(ca))
        self.assertRegex(p.stdout, r"(?m)^  bus +mqtt +mqtts://127\.0\.0\.1:1 topic \S+; "
                         r"backlog")

    def readme_targets(self):
        """The [target] blocks of README's "Push targets", with their paths made local."""
        readme = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
            os.path.abspath(__file__)))), "README.md")
        with open(readme, encoding="utf-8") as f:
            text = f.read()
        section = text[text.index("## Push targets"):]
        section = section[:section.index("\n## ", 10)]
        out = []
        for body in re.findall(r"^```ini\n(.*?)^```", section, re.M | re.S):
            if body.startswith("[target "):
                body = body.replace("~/.config/newswatch/", self.env.dir + "/")
                out.append(body)
        return out

    def test_readme_target_examples__check_and_test_target_accept_them(self):
        blocks = self.readme_targets()
        types = sorted(re.search(r"(?m)^type = (\w+)", b).group(1) for b in blocks)
        self.assertEqual(types, ["email", "matrix", "mqtt", "ntfy", "slack", "webhook"])
        for b in blocks:
            for path in re.findall(r"(?m)^\w+_file = (\S+)", b):
                with open(path, "w") as f:
                    f.write("readme-secret-value\n")
                os.chmod(path, 0o600)
        self.env.write_conf(extra_main="".join(blocks))
        p = subprocess.run([NEWSWATCH, "check", "--config", self.env.conf],
                           capture_output=True, text=True, timeout=30)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("6 targets", p.stdout)
        self.assertNotIn("readme-secret-value", p.stdout + p.stderr)
        self.assertNotIn("XXXX", p.stdout)    # the Slack hook's key
        # The HTTP ones, pointed at the receiver, take test-target's sample.
        local = [re.sub(r"(?m)^url = https://[^/\n]+", "url = " + self.recv.url(""), b)
                 for b in blocks if re.search(r"(?m)^type = (webhook|ntfy|matrix|slack)$", b)]
        self.env.write_conf(extra_main="".join(local))
        for name in ("ops", "phone", "room", "chat"):
            p = subprocess.run([NEWSWATCH, "test-target", "--config", self.env.conf, name],
                               capture_output=True, text=True, timeout=60)
            self.assertEqual(p.returncode, 0, p.stderr)
            self.assertEqual(p.stdout, "target %s: the sample alert was accepted\n" % name)
        reqs = self.recv.delivered()
        self.assertEqual(len(reqs), 4)
        for r in reqs:
            self.assertRegex(r["headers"]["idempotency-key"], r"^newswatch-test-\d+$")
            self.assertIn("newswatch test alert for target", r["body"])
        ops = [r for r in reqs if r["path"] == "/newswatch"][0]
        want = hmac.new(b"readme-secret-value", ops["body"].encode(), hashlib.sha256).hexdigest()
        self.assertEqual(ops["headers"]["x-newswatch-signature"], "sha256=" + want)
        self.assertEqual(ops["headers"]["x-team"], "ops")

    def test_test_target__refused_or_unknown__exit_1_with_why(self):
        self.recv.script("/hook", [], then="403")
        self.conf(self.hook())
        p = subprocess.run([NEWSWATCH, "test-target", "--config", self.env.conf, "hook"],
                           capture_output=True, text=True, timeout=60)
        self.assertEqual((p.returncode, p.stderr),
                         (1, "newswatch test-target: target hook: HTTP status 403\n"))
        p = subprocess.run([NEWSWATCH, "test-target", "--config", self.env.conf, "nope"],
                           capture_output=True, text=True, timeout=60)
        self.assertEqual(p.returncode, 1)
        self.assertIn("no [target nope]", p.stderr)

    # -- ntfy, Slack, Matrix ----------------------------------------------------------------

    def test_ntfy_slack_matrix__each_in_its_own_form(self):
        token = os.path.join(self.env.dir, "matrix.token")
        with open(token, "w") as f:
            f.write("syt_token_for_tests\n")
        os.chmod(token, 0o600)
        targets = ("[target phone]\ntype = ntfy\nurl = %s\n"
                   "[target chat]\ntype = slack\nurl = %s\n"
                   "[target room]\ntype = matrix\nurl = %s\nroom = !abc:example.org\n"
                   "token_file = %s\n"
                   % (self.recv.url("/ntfy/alerts"), self.recv.url("/slack/T0/B0/XX"),
                      self.recv.url("/mx"), token))
        self.conf(targets, default="phone, chat, room")
        self.env.add("a.xml", "g-1", "Hezbollah &amp; allies near Homs", "http://news.example/1")
        code, err = self.env.run_once()
        self.assertEqual(code, 0, err)
        (n,) = self.recv.delivered("/ntfy/")
        body = json.loads(n["body"])
        self.assertEqual(n["path"], "/ntfy/")
        self.assertEqual(body["topic"], "alerts")
        self.assertEqual(body["title"], "hezbollah-in-homs: Hezbollah & allies near Homs")
        self.assertEqual(body["priority"], 5)
        self.assertEqual(body["tags"], ["hezbollah-in-homs", "warning"])
        self.assertEqual(body["click"], "http://news.example/1")
        (s,) = self.recv.delivered("/slack/")
        self.assertTrue(json.loads(s["body"])["text"].startswith(
            "*hezbollah-in-homs: Hezbollah &amp; allies near Homs*\n"))
        (m,) = self.recv.delivered("/mx/")
        self.assertEqual(m["method"], "PUT")
        self.assertRegex(m["path"], r"^/mx/_matrix/client/v3/rooms/%21abc%3Aexample\.org/send/"
                         r"m\.room\.message/newswatch-\d+$")
        self.assertEqual(m["headers"]["authorization"], "Bearer syt_token_for_tests")
        ev = json.loads(m["body"])
        self.assertEqual(ev["msgtype"], "m.text")
        self.assertTrue(ev["body"].startswith("hezbollah-in-homs: Hezbollah & allies near Homs\n"))
        self.assertEqual(ev["format"], "org.matrix.custom.html")
        self.assertIn("<strong>hezbollah-in-homs: Hezbollah &amp; allies near Homs</strong>",
                      ev["formatted_body"])
        self.assertIn('<a href="http://news.example/1">', ev["formatted_body"])
        self.assertNotIn("syt_token_for_tests", err)


if __name__ == "__main__":
    unittest.main()
