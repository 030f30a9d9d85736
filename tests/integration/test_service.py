"""newswatch as a service: sd_notify, reload, log reopen, stopping, journald prefixes, units.

Each test starts its own fixture server and daemon and never leaves either running (tearDown
kills and waits). Run one class with: python3 test_service.py Reload
"""
import http.server
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import urllib.parse
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
TESTS = os.path.dirname(HERE)
ROOT = os.path.dirname(TESTS)
FIXTURES = os.path.join(TESTS, "fixtures")
NEWSWATCH = os.environ.get("NEWSWATCH", os.path.join(ROOT, "build", "newswatch"))

NEW_ITEM = """    <item>
      <title>Hezbollah drone strike reported in Aleppo</title>
      <link>http://news.example/middleeast/6</link>
      <guid isPermaLink="false">me-6</guid>
      <pubDate>Fri, 06 Dec 2024 10:00:00 GMT</pubDate>
      <description>Second report.</description>
    </item>
  </channel>"""

ENTITIES = """
[actor Hezbollah]
aliases = Hizbollah, Hizballah

[actor United Nations]
aliases = "UN", U.N.

[actor Recep Tayyip Erdoğan]
aliases = Erdoğan, Erdogan

[place Syria]

[place Homs]
in = Syria

[place Aleppo]
in = Syria
"""


def wait_for(pred, timeout=10.0, step=0.05):
    """Polls pred until it returns a true value or timeout passes; returns the last value."""
    deadline = time.time() + timeout
    while True:
        v = pred()
        if v or time.time() > deadline:
            return v
        time.sleep(step)


class Server:
    """A small HTTP server on 127.0.0.1 in a thread: /feeds/<name>[?delay_ms=N] from feeds_dir and
    /drip.

    The shared fixture server sends "Cache-Control: max-age=300" with every feed, which newswatch
    honours by not polling again for 5 minutes; these tests need polls every second, so they
    serve the feeds themselves, without caching headers, and keep their own request log.
    """

    def __init__(self, feeds_dir):
        log = self.log = []
        lock = self.lock = threading.Lock()
        stopping = self.stopping = threading.Event()

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):
                entry = {"path": self.path, "t_start": time.time(), "status": 200}
                with lock:
                    log.append(entry)
                if self.path.startswith("/drip"):
                    self.send_response(200)
                    self.send_header("Content-Type", "application/rss+xml")
                    self.send_header("Content-Length", "1000")
                    self.end_headers()
                    for _ in range(1000):
                        if stopping.wait(0.5):
                            return
                        try:
                            self.wfile.write(b" ")
                            self.wfile.flush()
                        except OSError:
                            return
                    return
                name = os.path.basename(self.path.split("?")[0])
                # ?delay_ms=N: the feed after N ms (a transfer that is still running later).
                query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
                if stopping.wait(int(query.get("delay_ms", ["0"])[0]) / 1000.0):
                    return
                try:
                    with open(os.path.join(feeds_dir, name), "rb") as f:
                        body = f.read()
                except OSError:
                    entry["status"] = 404
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/xml")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        class Quiet(http.server.ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request, client_address):
                pass    # a client that went away (the daemon cancelled a transfer)

        self.httpd = Quiet(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path):
        return "http://127.0.0.1:%d%s" % (self.port, path)

    def requests(self):
        with self.lock:
            return list(self.log)

    def stop(self):
        self.stopping.set()
        self.httpd.shutdown()
        self.httpd.server_close()


class NotifySocket:
    """An AF_UNIX datagram socket standing in for systemd's notify socket."""

    def __init__(self, path):
        self.path = path
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(path)
        self.messages = []

    def read(self, timeout):
        self.sock.settimeout(timeout)
        try:
            data = self.sock.recv(65536)
        except socket.timeout:
            return None
        msg = data.decode()
        self.messages.append(msg)
        return msg

    def wait(self, pred, timeout=10.0):
        """Reads datagrams until one satisfies pred; returns it, or None at the timeout."""
        deadline = time.time() + timeout
        for m in self.messages:
            if pred(m):
                self.messages.remove(m)
                return m
        while time.time() < deadline:
            m = self.read(max(0.01, deadline - time.time()))
            if m is not None and pred(m):
                self.messages.remove(m)
                return m
        return None

    def close(self):
        self.sock.close()


class ServiceCase(unittest.TestCase):
    """A scratch directory, a fixture server, and helpers to run the daemon."""

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="nwservice.")
        self.feeds = os.path.join(self.dir, "feeds")
        os.mkdir(self.feeds)
        for name in ("middleeast.xml", "world.atom"):
            shutil.copy(os.path.join(FIXTURES, "e2e", name), self.feeds)
        self.conf = os.path.join(self.dir, "newswatch.conf")
        self.log = os.path.join(self.dir, "alerts.log")
        self.errpath = os.path.join(self.dir, "stderr")
        self.server = Server(self.feeds)
        self.daemon = None
        self.notify = None

    def tearDown(self):
        code = None
        if self.daemon is not None and self.daemon.poll() is None:
            # A clean stop, so that a sanitizer build reports leaks and errors in the exit code.
            self.daemon.terminate()
            try:
                code = self.daemon.wait(10)
            except subprocess.TimeoutExpired:
                self.daemon.kill()
        if self.daemon is not None:
            self.daemon.wait()
            err = self.stderr()
        if self.notify is not None:
            self.notify.close()
        self.server.stop()
        shutil.rmtree(self.dir, ignore_errors=True)
        if self.daemon is not None:
            self.assertNotRegex(err, r"AddressSanitizer|LeakSanitizer|runtime error")
            self.assertIn(code, (None, 0), err)

    def write_conf(self, feeds, rules, fmt="text", interval="1s", extra=""):
        text = ["[newswatch]", "state_dir = %s/state" % self.dir, "alert_log = %s" % self.log,
                "alert_log_format = %s" % fmt, "notify = no", "interval = %s" % interval,
                "first_poll = alert", "max_age = 3650d", extra, ""]
        for name, path in feeds:
            text += ["[feed %s]" % name, "url = %s" % self.server.url(path), ""]
        text.append(ENTITIES)
        text.append(rules)
        with open(self.conf + ".tmp", "w") as f:
            f.write("\n".join(text))
        os.rename(self.conf + ".tmp", self.conf)

    def start(self, *args, env_extra=None):
        env = dict(os.environ)
        env.pop("JOURNAL_STREAM", None)
        env.pop("NOTIFY_SOCKET", None)
        env.pop("WATCHDOG_USEC", None)
        env.pop("WATCHDOG_PID", None)
        if env_extra:
            env.update(env_extra)
        self.errfile = open(self.errpath, "w")
        self.daemon = subprocess.Popen([NEWSWATCH, "run", "--config", self.conf, "-v"] + list(args),
                                       stdout=subprocess.DEVNULL, stderr=self.errfile, env=env)
        self.errfile.close()

    def start_notified(self, watchdog_usec=None):
        self.notify = NotifySocket(os.path.join(self.dir, "notify.sock"))
        extra = {"NOTIFY_SOCKET": self.notify.path}
        if watchdog_usec:
            extra["WATCHDOG_USEC"] = str(watchdog_usec)
        self.start(env_extra=extra)
        m = self.notify.wait(lambda m: "READY=1" in m.split("\n"), 15)
        self.assertIsNotNone(m, "no READY=1; stderr:\n" + self.stderr())
        return m

    def stderr(self):
        with open(self.errpath, encoding="utf-8", errors="replace") as f:
            return f.read()

    def alerts(self, path=None):
        path = path or self.log
        if not os.path.exists(path):
            return []
        with open(path, encoding="utf-8") as f:
            return f.read().splitlines()

    def wait_alert(self, text, timeout=15, path=None):
        found = wait_for(lambda: [l for l in self.alerts(path) if text in l], timeout)
        self.assertTrue(found, "no alert with %r in %s; stderr:\n%s" % (text, path or self.log,
                                                                     self.stderr()))
        return found

    def add_item(self):
        path = os.path.join(self.feeds, "middleeast.xml")
        with open(path) as f:
            text = f.read()
        with open(path + ".tmp", "w") as f:
            f.write(text.replace("  </channel>", NEW_ITEM))
        os.rename(path + ".tmp", path)

    def stop(self, sig=signal.SIGTERM, timeout=10):
        t0 = time.time()
        self.daemon.send_signal(sig)
        code = self.daemon.wait(timeout)
        return code, time.time() - t0


RULES_A = """
[rule hezbollah-in-syria]
actors = Hezbollah
places = Syria
severity = critical
exclude = football
"""

RULES_B = RULES_A.replace("critical", "low") + """
[rule un-syria]
actors = United Nations
places = Syria
severity = normal
"""


class Notify(ServiceCase):
    def test_ready__sent_with_status_once_config_and_state_are_loaded(self):
        self.write_conf([("middleeast", "/feeds/middleeast.xml")], RULES_A)
        m = self.start_notified()
        self.assertIn("STATUS=", m)
        self.assertTrue(os.path.exists(os.path.join(self.dir, "state", "state.db")))

    def test_watchdog__pings_at_half_the_period_with_status(self):
        self.write_conf([("middleeast", "/feeds/middleeast.xml")], RULES_A)
        self.start_notified(watchdog_usec=400000)
        t0 = time.time()
        pings = 0
        while pings < 3 and time.time() - t0 < 5:
            m = self.notify.wait(lambda m: "WATCHDOG=1" in m.split("\n"), 2)
            self.assertIsNotNone(m, "no WATCHDOG=1")
            pings += 1
        self.assertEqual(pings, 3)
        self.assertLess(time.time() - t0, 3.0)  # pings every 0.2 s, not every 10 s
        # The status line counts feeds, polls, today's alerts and failing feeds.
        self.wait_alert("Hezbollah fighters reported near Homs")
        m = self.notify.wait(lambda m: "today" in m and "STATUS=1 feed," in m and
                             " 0 alerts today" not in m, 5)
        self.assertIsNotNone(m, self.notify.messages)
        self.assertRegex(m, r"STATUS=1 feed, \d+ polls?, 1 alert today, 0 failing")

    def test_no_watchdog__no_pings(self):
        self.write_conf([("middleeast", "/feeds/middleeast.xml")], RULES_A)
        self.start_notified()
        self.assertIsNone(self.notify.wait(lambda m: "WATCHDOG=1" in m, 1.0))

    def test_sighup__reloading_then_ready(self):
        self.write_conf([("middleeast", "/feeds/middleeast.xml")], RULES_A)
        self.start_notified()
        self.daemon.send_signal(signal.SIGHUP)
        m = self.notify.wait(lambda m: "RELOADING=1" in m.split("\n"), 5)
        self.assertIsNotNone(m)
        self.assertRegex(m, r"MONOTONIC_USEC=\d+")
        self.assertIsNotNone(self.notify.wait(lambda m: "READY=1" in m.split("\n"), 5))

    def mapped(self, name):
        """True if the running daemon has a library whose file name contains name mapped."""
        with open("/proc/%d/maps" % self.daemon.pid) as f:
            return any(name in line for line in f)

    def test_outside_systemd__libsystemd_never_mapped(self):
        # sd_notify does nothing without NOTIFY_SOCKET: the library (and its libgcrypt, lz4,
        # libcap) costs resident memory for nothing, so it is loaded only under systemd.
        self.write_conf([("middleeast", "/feeds/middleeast.xml")], RULES_A)
        self.start()
        self.wait_alert("Hezbollah fighters reported near Homs")
        self.assertFalse(self.mapped("libsystemd.so"), self.stderr())

    def test_under_systemd__libsystemd_loaded_and_used(self):
        self.write_conf([("middleeast", "/feeds/middleeast.xml")], RULES_A)
        self.start_notified()
        self.assertTrue(self.mapped("libsystemd.so"))
        self.assertNotIn("libsystemd", self.stderr())

    def test_sigterm__stopping_and_exit_0(self):
        self.write_conf([("middleeast", "/feeds/middleeast.xml")], RULES_A)
        self.start_notified()
        code, took = self.stop()
        self.assertEqual(code, 0, self.stderr())
        self.assertIsNotNone(self.notify.wait(lambda m: "STOPPING=1" in m.split("\n"), 1))


class Reload(ServiceCase):
    def test_valid_reload__adds_feed_stops_removed_feed_and_uses_new_rules(self):
        self.write_conf([("middleeast", "/feeds/middleeast.xml"), ("old", "/feeds/world.atom?old")],
                        RULES_A)
        self.start_notified()
        self.wait_alert("Hezbollah fighters reported near Homs")
        self.assertTrue(wait_for(lambda: any(r["path"].startswith("/feeds/world.atom?old")
                                             for r in self.server.requests())))
        self.write_conf([("middleeast", "/feeds/middleeast.xml"), ("world", "/feeds/world.atom")],
                        RULES_B)
        self.daemon.send_signal(signal.SIGHUP)
        self.assertIsNotNone(self.notify.wait(lambda m: "READY=1" in m.split("\n"), 5))
        t_reload = time.time()
        # The new feed starts and the new rule fires on it.
        self.wait_alert("normal un-syria [world] The UN calls for a ceasefire in Syria")
        # The kept feed kept its state (nothing alerted twice) and uses the changed rule.
        self.add_item()
        line = self.wait_alert("Hezbollah drone strike reported in Aleppo")[0]
        self.assertIn(" low hezbollah-in-syria [middleeast] ", line)
        self.assertEqual(len([l for l in self.alerts() if "near Homs" in l]), 1)
        # The removed feed is not polled any more. One poll in flight at the reload may reach
        # the server after it on a busy machine; a feed still polled every 1 s makes several.
        time.sleep(2.5)
        late = [r for r in self.server.requests() if r["path"].startswith("/feeds/world.atom?old")
                and r["t_start"] > t_reload]
        self.assertLessEqual(len(late), 1, late)
        self.assertIn("reloaded", self.stderr())
        self.assertIn("1 new, 1 removed", self.stderr())
        self.assertIsNone(self.daemon.poll())

    def test_invalid_reload__keeps_old_config_and_logs_every_error(self):
        self.write_conf([("middleeast", "/feeds/middleeast.xml")], RULES_A)
        self.start_notified()
        self.wait_alert("Hezbollah fighters reported near Homs")
        good = open(self.conf).read()
        with open(self.conf, "w") as f:
            f.write(good + "\n[rule broken]\nseverity = dire\n\n[feed nourl]\n")
        self.daemon.send_signal(signal.SIGHUP)
        self.assertIsNotNone(self.notify.wait(lambda m: "READY=1" in m.split("\n"), 5))
        nlines = good.count("\n")
        err = wait_for(lambda: "previous configuration" in self.stderr() and self.stderr(), 5)
        self.assertTrue(err)
        self.assertRegex(err, r"newswatch\.conf:%d: .*dire" % (nlines + 3))
        self.assertRegex(err, r"newswatch\.conf:%d: .*nourl" % (nlines + 5))
        # Still running on the old rules: a new item is alerted with the old severity.
        self.add_item()
        line = self.wait_alert("Hezbollah drone strike reported in Aleppo")[0]
        self.assertIn(" critical hezbollah-in-syria ", line)
        self.assertIsNone(self.daemon.poll())

    def test_reload__feed_removed_mid_transfer_is_freed_after_it_ends(self):
        self.write_conf([("middleeast", "/feeds/middleeast.xml"), ("slow", "/drip?short")],
                        RULES_A)
        self.start_notified()
        self.assertTrue(wait_for(lambda: any(r["path"].startswith("/drip")
                                             for r in self.server.requests()), 10))
        self.write_conf([("middleeast", "/feeds/middleeast.xml")], RULES_A)
        self.daemon.send_signal(signal.SIGHUP)
        self.assertIsNotNone(self.notify.wait(lambda m: "READY=1" in m.split("\n"), 5))
        # Reload twice more while the removed feed's transfer still runs.
        for _ in range(2):
            self.daemon.send_signal(signal.SIGHUP)
            self.assertIsNotNone(self.notify.wait(lambda m: "READY=1" in m.split("\n"), 5))
        self.add_item()
        self.wait_alert("drone strike")
        self.assertIn("feed slow: removed", self.stderr())
        code, took = self.stop()
        self.assertEqual(code, 0, self.stderr())
        self.assertLess(took, 5.0)

    def test_reload__feed_removed_mid_transfer__its_items_not_recorded_or_alerted(self):
        # "old" answers only after 2 s, so the reload removes it while its transfer runs; the
        # new rules would fire on its UN story.
        self.write_conf([("middleeast", "/feeds/middleeast.xml"),
                         ("old", "/feeds/world.atom?delay_ms=2000")], RULES_B)
        self.start_notified()
        self.assertTrue(wait_for(lambda: "feed old: polling" in self.stderr(), 10), self.stderr())
        self.write_conf([("middleeast", "/feeds/middleeast.xml")], RULES_B)
        self.daemon.send_signal(signal.SIGHUP)
        self.assertIsNotNone(self.notify.wait(lambda m: "READY=1" in m.split("\n"), 5))
        self.assertTrue(wait_for(lambda: "feed old: removed while being polled" in self.stderr(),
                                 10), self.stderr())
        self.assertEqual([l for l in self.alerts() if "[old]" in l], [])
        code, _ = self.stop()
        self.assertEqual(code, 0, self.stderr())

    def test_reload__changed_alert_log_path_takes_new_alerts(self):
        self.write_conf([("middleeast", "/feeds/middleeast.xml")], RULES_A)
        self.start_notified()
        self.wait_alert("near Homs")
        new_log = os.path.join(self.dir, "logs", "new.log")
        self.log, old_log = new_log, self.log
        self.write_conf([("middleeast", "/feeds/middleeast.xml")], RULES_A)
        self.daemon.send_signal(signal.SIGHUP)
        self.assertIsNotNone(self.notify.wait(lambda m: "READY=1" in m.split("\n"), 5))
        self.add_item()
        self.wait_alert("drone strike", path=new_log)
        self.assertFalse([l for l in self.alerts(old_log) if "drone strike" in l])


class LogReopen(ServiceCase):
    def check_reopen(self, sig):
        self.write_conf([("middleeast", "/feeds/middleeast.xml")], RULES_A)
        self.start_notified()
        self.wait_alert("near Homs")
        rotated = self.log + ".1"
        os.rename(self.log, rotated)
        self.daemon.send_signal(sig)
        self.assertTrue(wait_for(lambda: os.path.exists(self.log), 5), "log not reopened")
        self.add_item()
        self.wait_alert("drone strike")
        self.assertFalse([l for l in self.alerts(rotated) if "drone strike" in l])
        self.assertEqual(len(self.alerts(rotated)), 1)

    def test_sigusr1__new_alert_lands_in_new_file(self):
        self.check_reopen(signal.SIGUSR1)

    def test_sighup__new_alert_lands_in_new_file(self):
        self.check_reopen(signal.SIGHUP)


class Stop(ServiceCase):
    def test_sigterm_during_slow_transfer__exits_0_within_5s_without_losing_alerts(self):
        self.write_conf([("middleeast", "/feeds/middleeast.xml"),
                         ("slow", "/drip?n=120&ms=500")], RULES_A, interval="2s")
        self.start_notified()
        self.assertTrue(wait_for(lambda: any(r["path"].startswith("/drip")
                                             for r in self.server.requests()), 10))
        self.wait_alert("near Homs")
        # A new item, polled while the slow transfer still drips.
        self.add_item()
        self.assertTrue(wait_for(lambda: len([r for r in self.server.requests()
                                              if r["path"] == "/feeds/middleeast.xml"
                                              and r["status"] == 200]) >= 2, 10))
        code, took = self.stop()
        self.assertEqual(code, 0, self.stderr())
        self.assertLess(took, 5.0)
        lines = self.alerts()
        self.assertEqual(len([l for l in lines if "drone strike" in l]), 1, lines)
        self.assertEqual(len([l for l in lines if "near Homs" in l]), 1, lines)

    def test_sigint__exits_0(self):
        self.write_conf([("middleeast", "/feeds/middleeast.xml")], RULES_A)
        self.start_notified()
        code, took = self.stop(signal.SIGINT)
        self.assertEqual(code, 0, self.stderr())


class Journal(ServiceCase):
    def run_with_stream(self, args, matching=True):
        """Runs newswatch with stderr to a file and JOURNAL_STREAM naming it (or another)."""
        with open(self.errpath, "w") as err:
            st = os.fstat(err.fileno())
            ino = st.st_ino if matching else st.st_ino + 1
            env = dict(os.environ, JOURNAL_STREAM="%d:%d" % (st.st_dev, ino))
            p = subprocess.run([NEWSWATCH] + args, stdout=subprocess.DEVNULL, stderr=err,
                               env=env, timeout=60)
        return p.returncode, self.stderr()

    def test_journal_stream__priority_prefixes(self):
        self.write_conf([("middleeast", "/feeds/middleeast.xml")], RULES_A)
        code, err = self.run_with_stream(["run", "--once", "-v", "--config", self.conf])
        self.assertEqual(code, 0, err)
        lines = err.splitlines()
        self.assertTrue(lines)
        for l in lines:
            self.assertRegex(l, r"^<[0-7]>")
        self.assertTrue([l for l in lines if l.startswith("<5>polling 1 feed for")], err)
        self.assertTrue([l for l in lines if l.startswith("<7>") or l.startswith("<6>")], err)

    def test_journal_stream__config_errors_are_warnings_with_file_line(self):
        with open(self.conf, "w") as f:
            f.write("[newswatch]\ninterval = soon\n[feed x]\n")
        code, err = self.run_with_stream(["run", "--config", self.conf])
        self.assertEqual(code, 1)
        self.assertRegex(err, r"(?m)^<4>.*newswatch\.conf:2: .*soon")
        self.assertRegex(err, r"(?m)^<4>.*newswatch\.conf:3: ")

    def test_other_stream__plain_prefix(self):
        self.write_conf([("middleeast", "/feeds/middleeast.xml")], RULES_A)
        code, err = self.run_with_stream(["run", "--once", "--config", self.conf], matching=False)
        self.assertEqual(code, 0, err)
        self.assertRegex(err, r"(?m)^newswatch: polling 1 feed for")
        self.assertNotRegex(err, r"(?m)^<\d>")

    def test_quiet__no_notices(self):
        self.write_conf([("middleeast", "/feeds/middleeast.xml")], RULES_A)
        code, err = self.run_with_stream(["run", "--once", "-q", "--config", self.conf])
        self.assertEqual(code, 0, err)
        self.assertEqual(err, "")


class Xdg(ServiceCase):
    def test_xdg_defaults__config_state_and_log_paths(self):
        cfg = os.path.join(self.dir, "xdgconf", "newswatch")
        os.makedirs(cfg)
        with open(os.path.join(cfg, "newswatch.conf"), "w") as f:
            f.write("[newswatch]\nnotify = no\nfirst_poll = alert\nmax_age = 3650d\n[feed middleeast]\nurl = %s\n%s%s"
                    % (self.server.url("/feeds/middleeast.xml"), ENTITIES, RULES_A))
        env = dict(os.environ, XDG_CONFIG_HOME=os.path.join(self.dir, "xdgconf"),
                   XDG_STATE_HOME=os.path.join(self.dir, "xdgstate"), HOME=self.dir)
        env.pop("JOURNAL_STREAM", None)
        p = subprocess.run([NEWSWATCH, "run", "--once"], capture_output=True, text=True, env=env,
                           timeout=60)
        self.assertEqual(p.returncode, 0, p.stderr)
        state = os.path.join(self.dir, "xdgstate", "newswatch")
        self.assertTrue(os.path.exists(os.path.join(state, "state.db")))
        self.assertIn("near Homs", open(os.path.join(state, "alerts.log")).read())

    def test_tilde__expanded_with_home(self):
        with open(self.conf, "w") as f:
            f.write("[newswatch]\nstate_dir = ~/st\nalert_log = ~/a.log\nnotify = no\n"
                    "first_poll = alert\nmax_age = 3650d\n[feed middleeast]\nurl = %s\n%s%s"
                    % (self.server.url("/feeds/middleeast.xml"), ENTITIES, RULES_A))
        env = dict(os.environ, HOME=self.dir)
        p = subprocess.run([NEWSWATCH, "run", "--once", "--config", self.conf],
                           capture_output=True, text=True, env=env, timeout=60)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertTrue(os.path.exists(os.path.join(self.dir, "st", "state.db")))
        self.assertIn("near Homs", open(os.path.join(self.dir, "a.log")).read())


if __name__ == "__main__":
    unittest.main(verbosity=2)
