"""Security tests: hostile feed content never escapes into outputs, blows up resources, forges log
lines or notification markup, and state and log files are private.

Run by ctest (security); the notification test needs tests/notify/with-notify-server.sh around it
(ctest security_notify) and is skipped without it."""
import json
import os
import pty
import re
import select
import shutil
import stat
import subprocess
import sys
import tempfile
import time
import unittest

from nwtest import NEWSWATCH, FixtureServer, Scratch, newswatch

# The first line of /etc/passwd as a marker of a leak ("root:x:0:0:..." on any Debian).
with open("/etc/passwd") as _f:
    PASSWD = _f.readline().strip()
PASSWD_MARKERS = [PASSWD, PASSWD.split(":")[0] + ":x:0:0", ":/root:"]

TEXT_LINE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ (low|normal|critical) \S+ \[\S+\] .*$")

CONF = """[newswatch]
state_dir = {dir}/state
alert_log = {dir}/alerts.log
alert_log_format = {fmt}
notify = {notify}
interval = 10m
first_poll = alert
max_age = 36500d

[feed hostile]
url = http://127.0.0.1:{port}/feeds/hostile.xml

[actor Hezbollah]
aliases = Hizbollah

[place Homs]

[rule watch]
actors = Hezbollah
places = Homs
severity = critical
"""

# XXE in every shape: an internal subset with file and http entities, a parameter entity, an
# external DTD; the entities are used in every field an alert or a parse prints.
XXE_FEED = """<?xml version="1.0"?>
<!DOCTYPE rss [
  <!ENTITY xxe SYSTEM "file:///etc/passwd">
  <!ENTITY net SYSTEM "http://127.0.0.1:{port}/feeds/secret.txt">
  <!ENTITY % pe SYSTEM "file:///etc/passwd">
  %pe;
]>
<rss version="2.0"><channel><title>XXE &xxe; &net;</title><link>http://news.example/&xxe;</link>
<item><title>Hezbollah near Homs &xxe; &net;</title>
<link>http://news.example/1?&xxe;</link><guid>&xxe;1</guid>
<description>Hezbollah in Homs &xxe; &net;</description>
<category>&xxe;</category><author>&xxe;</author></item>
</channel></rss>
"""

XXE_DTD_FEED = """<?xml version="1.0"?>
<!DOCTYPE rss SYSTEM "file:///etc/passwd">
<rss version="2.0"><channel><title>DTD</title>
<item><title>Hezbollah near Homs, external DTD</title><guid>dtd-1</guid></item>
</channel></rss>
"""


def laughs(levels=10, width=10):
    """The billion laughs: width**levels copies of "lol" (10**10 by default)."""
    ents = ['  <!ENTITY lol0 "lol">']
    for i in range(1, levels):
        ents.append('  <!ENTITY lol%d "%s">' % (i, ("&lol%d;" % (i - 1)) * width))
    top = "&lol%d;" % (levels - 1)
    return ("<?xml version=\"1.0\"?>\n<!DOCTYPE rss [\n%s\n]>\n"
            "<rss version=\"2.0\"><channel><title>Laughs %s</title>\n"
            "<item><title>Hezbollah near Homs %s</title><guid>laughs</guid>"
            "<description>%s</description></item></channel></rss>\n"
            % ("\n".join(ents), top, top, top))


def quadratic():
    """Quadratic blow-up: one 64 KiB entity referenced 20,000 times (1.3 GB if expanded)."""
    refs = "&big;" * 20000
    return ("<?xml version=\"1.0\"?>\n<!DOCTYPE rss [<!ENTITY big \"%s\">]>\n"
            "<rss version=\"2.0\"><channel><title>Q</title><item><title>Hezbollah near Homs</title>"
            "<guid>q</guid><description>%s</description></item></channel></rss>\n"
            % ("x" * 65536, refs))


# Titles that try to forge an alert-log line or drive a terminal: newlines of every kind, a
# carriage return, ESC sequences (colour, clear screen, cursor home, OSC title), raw and as
# character references in an HTML title, and a complete fake alert line after a newline.
FORGED = "2024-01-01T00:00:00Z critical forged [fake] Forged alert http://evil.example/"
ESCAPES_FEED = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>esc</title><id>urn:esc</id>
<entry><id>e1</id><title type="html">Hezbollah near Homs&amp;#10;{forged}&amp;#13;&amp;#27;[2J&amp;#27;[H&amp;#27;]0;owned&amp;#7;&amp;#27;[31mred</title>
<link href="http://news.example/e1"/><updated>2024-12-05T10:00:00Z</updated></entry>
<entry><id>e2</id><title type="html">Hezbollah in Homs&amp;#x2028;{forged}&amp;#x85;&amp;#x9b;31m&amp;#x1b;[0m</title>
<link href="http://news.example/e2&#10;{forged}"/><updated>2024-12-05T10:00:00Z</updated></entry>
<entry><id>e3</id><title>Hezbollah at Homs &#13;&#10;{forged}&#9;tab</title>
<link href="http://news.example/e3"/><updated>2024-12-05T10:00:00Z</updated></entry>
<entry><id>e4</id><title>Hezbollah by Homs \x1b[1;32mraw escape \x07 \x08\x08\x08 \x7f</title>
<link href="http://news.example/e4"/><updated>2024-12-05T10:00:00Z</updated></entry>
</feed>
""".replace("{forged}", FORGED)

# Raw tags (CDATA), tags from escaped text, and lone markup characters; the link has some too.
MARKUP_FEED = """<?xml version="1.0"?>
<rss version="2.0"><channel><title>markup</title>
<item><title><![CDATA[Hezbollah <b>bold</b> <a href="http://evil.example/">click</a> &amp; near Homs]]></title>
<link>http://news.example/m?a=1&amp;b=&lt;i&gt;"x"</link><guid>m1</guid></item>
<item><title>Hezbollah &lt;b&gt;bold&lt;/b&gt; &amp;lt;i&amp;gt; near Homs</title><guid>m2</guid></item>
<item><title>Hezbollah 1 &lt; 2 &amp;&amp; 3 &gt; 2 &lt;span class="x" near Homs</title><guid>m3</guid></item>
</channel></rss>
"""



def run_measured(args, timeout=60):
    """Runs newswatch; returns (exit status, stdout, stderr, seconds, its peak RSS in KiB)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.monotonic()
        p = subprocess.Popen([NEWSWATCH] + list(args), stdout=out, stderr=err)
        deadline = t0 + timeout
        while True:
            pid, status, usage = os.wait4(p.pid, os.WNOHANG)
            if pid == p.pid:
                break
            if time.monotonic() > deadline:
                p.kill()
                os.wait4(p.pid, 0)
                raise AssertionError("%s still running after %d s" % (args, timeout))
            time.sleep(0.02)
        secs = time.monotonic() - t0
        p.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return (p.returncode, out.read().decode("utf-8", "replace"),
                err.read().decode("utf-8", "replace"), secs, usage.ru_maxrss)


class Hostile(unittest.TestCase):
    def setUp(self):
        self.s = Scratch()
        self.server = FixtureServer(self.s.feeds)
        with open(os.path.join(self.s.feeds, "secret.txt"), "w") as f:
            f.write("SECRET-FROM-HTTP-ENTITY\n")

    def tearDown(self):
        self.server.stop()
        self.s.cleanup()

    def feed(self, text, name="hostile.xml"):
        mode = "wb" if isinstance(text, bytes) else "w"
        with open(os.path.join(self.s.feeds, name), mode) as f:
            f.write(text)
        return os.path.join(self.s.feeds, name)

    def fresh(self):
        """No state and no log: the next run starts from nothing."""
        shutil.rmtree(os.path.join(self.s.dir, "state"), ignore_errors=True)
        if os.path.exists(self.s.log):
            os.unlink(self.s.log)

    def conf(self, fmt="text", notify="no"):
        with open(self.s.conf, "w") as f:
            f.write(CONF.format(dir=self.s.dir, fmt=fmt, notify=notify, port=self.server.port))

    def run_once(self, **kw):
        code, out, err = newswatch("run", "--once", "-v", "--config", self.s.conf, **kw)
        self.assertEqual(code, 0, err)
        return out + err

    def log_text(self):
        with open(self.s.log, "rb") as f:
            return f.read()

    def assert_no_passwd(self, text, where):
        for m in PASSWD_MARKERS + ["SECRET-FROM-HTTP-ENTITY"]:
            self.assertNotIn(m, text, "%s leaked %r" % (where, m))

    def server_paths(self):
        import urllib.request
        with urllib.request.urlopen(self.server.url("/control/log"), timeout=10) as r:
            return [json.loads(l)["path"] for l in r.read().decode().splitlines() if l]

    # -- external entities ------------------------------------------------------------------

    def test_external_entity__never_in_alert_log_parse_or_match_output(self):
        for name, doc in (("hostile.xml", XXE_FEED.format(port=self.server.port)),
                          ("dtd.xml", XXE_DTD_FEED)):
            path = self.feed(doc, name)
            for args in (["parse", path], ["parse", "--json", path]):
                code, out, err = newswatch(*args)
                self.assert_no_passwd(out + err, " ".join(args[:-1]))
            self.conf()
            code, out, err = newswatch("match", "--config", self.s.conf, "--explain", path)
            self.assert_no_passwd(out + err, "match")
            code, out, err = newswatch("match", "--config", self.s.conf, "--json", path)
            self.assert_no_passwd(out + err, "match --json")
        for fmt in ("text", "jsonl"):
            self.fresh()
            self.conf(fmt)
            self.feed(XXE_FEED.format(port=self.server.port))
            out = self.run_once()
            self.assert_no_passwd(out, "run --once output")
            log = self.log_text().decode("utf-8", "replace")
            self.assertIn("Hezbollah near Homs", log, out)  # it alerted, without the entity
            self.assert_no_passwd(log, "alert log (%s)" % fmt)
        self.assertNotIn("/feeds/secret.txt", self.server_paths())

    # -- entity expansion ---------------------------------------------------------------------

    def test_billion_laughs__parse_and_run_stay_bounded_in_time_and_memory(self):
        for doc in (laughs(), quadratic()):
            path = self.feed(doc)
            for args in (["parse", path], ["parse", "--json", path]):
                code, out, err, secs, peak_kib = run_measured(args, timeout=60)
                self.assertIn(code, (0, 1), err)
                self.assertLess(secs, 10, args)
                self.assertLess(peak_kib, 400 * 1024, args)
                self.assertLess(len(out), 1 << 20)
            self.conf()
            code, out, err, secs, peak_kib = run_measured(
                ["run", "--once", "--config", self.s.conf], timeout=60)
            self.assertEqual(code, 0, err)
            self.assertLess(secs, 10)
            self.assertLess(peak_kib, 400 * 1024)
            if os.path.exists(self.s.log):
                self.assertLess(os.path.getsize(self.s.log), 64 * 1024)

    # -- log and terminal injection -----------------------------------------------------------

    def check_lines(self, lines, fmt):
        self.assertEqual(len(lines), 4, lines)
        for line in lines:
            self.assertNotIn("\x1b", line)
            self.assertNotIn("\r", line)
            self.assertNotIn("\x07", line)
            self.assertNotIn("\x9b", line)
            self.assertNotIn("\u2028", line)
            self.assertNotIn("\x85", line)
            if fmt == "text":
                self.assertRegex(line, TEXT_LINE)
                self.assertTrue(line.split(" ")[3] == "[hostile]", line)
            else:
                rec = json.loads(line)
                self.assertEqual(rec["feed"], "hostile")
                self.assertEqual(rec["rule"], "watch")

    def test_title_with_newlines_and_escapes__cannot_forge_or_break_a_log_line(self):
        self.feed(ESCAPES_FEED)
        for fmt in ("text", "jsonl"):
            self.fresh()
            self.conf(fmt)
            self.run_once()
            raw = self.log_text()
            self.assertNotIn(b"\x1b", raw)
            self.assertNotIn(b"\r", raw)
            text = raw.decode("utf-8")
            lines = text.split("\n")
            self.assertEqual(lines[-1], "")  # ends with one newline
            self.check_lines(lines[:-1], fmt)
            self.check_tail(fmt)

    def check_tail(self, fmt):
        """newswatch tail prints the same four alerts, one line each, on a pipe and on a terminal."""
        code, out, err = newswatch("tail", "-n", "100", "--log", self.s.log)
        if code != 0 and "usage" in (out + err) and "tail" not in (out + err):
            self.skipTest("newswatch tail not there")
        self.assertEqual(code, 0, err)
        lines = out.splitlines()
        self.assertEqual(len(lines), 4, out)
        self.assertNotIn("\x1b", out)
        self.assertNotIn("\r", out)
        self.assertNotIn("\x07", out)
        self.assertNotIn("\u2028", out)
        code, out, err = newswatch("tail", "--json", "-n", "100", "--log", self.s.log)
        self.assertEqual(code, 0, err)
        self.assertEqual(len(out.splitlines()), 4, out)
        for line in out.splitlines():
            json.loads(line)
        # On a terminal colour is allowed (SGR sequences only), nothing else.
        master, slave = pty.openpty()
        env = dict(os.environ, TZ="UTC")
        env.pop("NO_COLOR", None)
        p = subprocess.Popen([NEWSWATCH, "tail", "-n", "100", "--log", self.s.log], stdout=slave,
                             stderr=subprocess.DEVNULL, env=env)
        os.close(slave)
        data = b""
        while True:
            r, _, _ = select.select([master], [], [], 10)
            if not r:
                break
            try:
                chunk = os.read(master, 65536)
            except OSError:
                break
            if not chunk:
                break
            data += chunk
        os.close(master)
        p.wait()
        screen = data.decode("utf-8", "replace")
        no_sgr = re.sub(r"\x1b\[[0-9;]*m", "", screen)
        self.assertNotIn("\x1b", no_sgr, repr(screen))
        self.assertNotIn("\x07", no_sgr)
        # The pty turns \n into \r\n: four lines, no other carriage return.
        self.assertEqual(no_sgr.count("\r"), no_sgr.count("\n"), repr(screen))
        self.assertEqual(len(no_sgr.splitlines()), 4, repr(screen))

    # -- file modes ---------------------------------------------------------------------------

    def test_state_and_log__0600_files_in_a_0700_directory_even_with_umask_0(self):
        self.feed(XXE_DTD_FEED)
        for mask in (0o022, 0):
            self.fresh()
            self.conf()
            code, out, err = self.run_with_umask(mask)
            self.assertEqual(code, 0, err)
            state = os.path.join(self.s.dir, "state")
            self.assertEqual(stat.S_IMODE(os.stat(state).st_mode), 0o700, "umask %o" % mask)
            files = [os.path.join(state, f) for f in os.listdir(state)] + [self.s.log]
            self.assertIn(os.path.join(state, "state.db"), files)
            for f in files:
                if os.path.isfile(f):
                    self.assertEqual(stat.S_IMODE(os.stat(f).st_mode), 0o600,
                                     "%s under umask %o" % (f, mask))

    def run_with_umask(self, mask):
        p = subprocess.run([NEWSWATCH, "run", "--once", "--config", self.s.conf],
                           capture_output=True, text=True, timeout=60, umask=mask)
        return p.returncode, p.stdout, p.stderr


class NotifyMarkup(unittest.TestCase):
    """A title full of markup reaches the notification server as plain text in the summary and
    escaped in the body (run under tests/notify/with-notify-server.sh)."""

    def setUp(self):
        if "NOTIFY_CAPTURE" not in os.environ:
            self.skipTest("needs tests/notify/with-notify-server.sh")
        self.s = Scratch()
        self.server = FixtureServer(self.s.feeds)
        with open(os.path.join(self.s.feeds, "hostile.xml"), "w") as f:
            f.write(MARKUP_FEED)
        with open(self.s.conf, "w") as f:
            f.write(CONF.format(dir=self.s.dir, fmt="text", notify="yes", port=self.server.port))

    def tearDown(self):
        self.server.stop()
        self.s.cleanup()

    def notifications(self, want, timeout=10):
        deadline = time.time() + timeout
        calls = []
        while time.time() < deadline:
            calls = []
            with open(os.environ["NOTIFY_CAPTURE"]) as f:
                for line in f:
                    try:
                        data = json.loads(line).get("payload", {}).get("data", [])
                    except ValueError:
                        continue
                    if len(data) >= 8:
                        calls.append((data[3], data[4]))
            if len(calls) >= want:
                break
            time.sleep(0.1)
        return calls

    def test_title_full_of_markup__summary_as_written_body_escaped(self):
        code, out, err = newswatch("parse", "--json", os.path.join(self.s.feeds, "hostile.xml"))
        self.assertEqual(code, 0, err)
        titles = [e["title"] for e in json.loads(out)["entries"]]
        self.assertTrue(all("<" in t for t in titles), titles)  # the markup survived parsing
        code, out, err = newswatch("run", "--once", "--config", self.s.conf)
        self.assertEqual(code, 0, err)
        calls = self.notifications(3)
        self.assertEqual(len(calls), 3, calls)
        summaries = sorted(c[0] for c in calls)
        # The summary is plain text by the specification (servers show it as written, so an
        # escaped one showed "&#39;"): the title arrives verbatim, its markup inert.
        self.assertEqual(summaries, sorted("watch: " + t for t in titles))
        for summary, body in calls:
            self.assertNotIn("<", body)  # no tag reaches the body unescaped
            self.assertNotIn(">", body)
            self.assertNotRegex(body, r"&(?!(amp|lt|gt);)")
        bodies = " ".join(c[1] for c in calls)
        self.assertIn("Feed: hostile", bodies)
        self.assertIn('&lt;i&gt;"x"', bodies)  # the link: & < > escaped, quotes as written


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "NotifyMarkup" and "NOTIFY_CAPTURE" not in os.environ:
        print("run me under tests/notify/with-notify-server.sh")
        sys.exit(77)
    unittest.main(verbosity=2)
