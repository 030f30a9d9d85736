"""Fetching as a polite HTTP citizen: the real daemon (`newswatch run`, not --once) polls healthy and
misbehaving feeds on the fixture server for a few seconds; the server's request log, the daemon's
stderr, the alert log and `newswatch status --json` show what it did.

All scenarios share one daemon run (about 16 s) so the file stays well under a minute and a half;
each test method then checks one behaviour against what that run recorded. A second, short
`run --once` afterwards checks what the state database carries across a restart.
"""
import json
import os
import re
import shutil
import signal
import subprocess
import time
import unittest
import urllib.request

from nwtest import FIXTURES, NEWSWATCH, FixtureServer, Scratch, newswatch

RUN_SECONDS = 16
STATUS_AT = 12          # seconds into the run: status --json while the daemon holds its lock
INTERVAL = 1.0          # the config's interval
TIMEOUT = 3.0           # the config's timeout


class FetchingRun(unittest.TestCase):
    """One daemon run over every scenario of tests/fixtures/fetching/newswatch.conf.in."""

    @classmethod
    def setUpClass(cls):
        cls.s = Scratch()
        sample = os.path.join(FIXTURES, "fetch", "sample.rss")
        for name in ("a.rss", "c.rss", "d.rss", "r.rss"):
            shutil.copy(sample, os.path.join(cls.s.feeds, name))
        shutil.copy(os.path.join(FIXTURES, "e2e", "world.atom"), cls.s.feeds)
        shutil.copy(os.path.join(FIXTURES, "fetching", "ttl.rss"), cls.s.feeds)
        cls.write_many(8)
        cls.server = FixtureServer(cls.s.feeds)
        cls.s.write_conf("fetching/newswatch.conf.in", PORT=cls.server.port)
        try:
            cls.status_before = cls.status_json()
            cls.run_daemon()
            cls.once_log, cls.once_err = cls.run_once_after()
        except Exception:
            cls.tearDownClass()
            raise

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        cls.s.cleanup()

    # -- running ----------------------------------------------------------------------------------

    @classmethod
    def write_many(cls, n):
        """feeds/many.rss: n items, where only those past its max_items (3) name Erdoğan."""
        items = "".join(
            "<item><title>%s %d</title><link>http://127.0.0.1/many/%d</link><guid>many-%d</guid>"
            "<pubDate>Thu, 05 Dec 2024 14:03:00 GMT</pubDate></item>\n"
            % ("Market report" if i < 3 else "Erdoğan past the limit", i, i, i) for i in range(n))
        with open(os.path.join(cls.s.feeds, "many.rss"), "w", encoding="utf-8") as f:
            f.write('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>\n'
                    "%s<title>Many</title></channel></rss>\n" % items)

    @classmethod
    def status_json(cls):
        code, out, err = newswatch("status", "--json", "--config", cls.s.conf)
        assert code == 0, err
        return {f["feed"]: f for f in json.loads(out)["feeds"]}

    @classmethod
    def server_log(cls):
        with urllib.request.urlopen(cls.server.url("/control/log"), timeout=10) as r:
            return [json.loads(line) for line in r.read().decode().splitlines()]

    @classmethod
    def run_daemon(cls):
        errpath = os.path.join(cls.s.dir, "stderr")
        with open(errpath, "w") as errf:
            p = subprocess.Popen([NEWSWATCH, "run", "--config", cls.s.conf],
                                 stdout=subprocess.DEVNULL, stderr=errf)
            cls.t0 = time.time()
            try:
                time.sleep(STATUS_AT)
                cls.status_during = cls.status_json()
                code, cls.table_during, err = newswatch("status", "--config", cls.s.conf)
                assert code == 0, err
                cls.write_many(9)  # a new ETag: the next poll parses the whole feed again
                time.sleep(RUN_SECONDS - STATUS_AT)
                cls.log = cls.server_log()
                p.send_signal(signal.SIGTERM)
                cls.exit_code = p.wait(15)
            finally:
                if p.poll() is None:
                    p.kill()
                    p.wait()
        with open(errpath) as f:
            cls.err = f.read()
        cls.status_after = cls.status_json()

    @classmethod
    def run_once_after(cls):
        urllib.request.urlopen(cls.server.url("/control/reset"), timeout=10).read()
        code, out, err = newswatch("run", "--once", "--config", cls.s.conf, timeout=60)
        assert code == 0, err
        return cls.server_log(), err

    # -- helpers ----------------------------------------------------------------------------------

    def requests(self, prefix, log=None):
        return sorted((e for e in (self.log if log is None else log)
                       if e["path"].startswith(prefix)), key=lambda e: e["t_start"])

    def gaps(self, prefix):
        times = [e["t_start"] for e in self.requests(prefix)]
        return [b - a for a, b in zip(times, times[1:])]

    def warnings(self, feed):
        return [l for l in self.err.splitlines()
                if re.match(r"newswatch: feed %s[ :]" % re.escape(feed), l)]

    def assert_logged_once(self, feed, text):
        lines = self.warnings(feed)
        self.assertEqual(len([l for l in lines if text in l]), 1,
                         "expected one line with %r for %s in:\n%s" % (text, feed, self.err))

    def assert_polled_on_time(self, prefix):
        """Polled through the whole run at the interval (+-10% jitter), never held back."""
        reqs = self.requests(prefix)
        self.assertGreaterEqual(len(reqs), RUN_SECONDS - 4, prefix)
        self.assertLess(reqs[0]["t_start"] - self.t0, 2.0, prefix)
        # A poll held behind a timed-out transfer waits TIMEOUT (3 s) more; 1.5 s of slack
        # over the interval and its jitter is for a loaded machine (0.4 s was seen missed).
        for gap in self.gaps(prefix):
            self.assertLess(gap, INTERVAL * 1.1 + 1.5, prefix)

    def assert_failing(self, feed, status=None, error=None):
        st = self.status_during[feed]
        self.assertEqual(st["state"], "failing", st)
        self.assertGreaterEqual(st["failures"], 1, st)
        self.assertIsNone(st["last_success"], st)
        if status is not None:
            self.assertEqual(st["last_status"], status, st)
        if error is not None:
            self.assertIn(error, st["last_error"], st)

    # -- the healthy feeds ------------------------------------------------------------------------

    def test_daemon__stops_cleanly_on_sigterm(self):
        self.assertEqual(self.exit_code, 0, self.err)

    def test_healthy_feeds__polled_on_time_beside_misbehaving_ones(self):
        self.assert_polled_on_time("/feeds/a.rss")
        self.assert_polled_on_time("/feeds/world.atom")

    def test_second_poll__sends_validators_and_gets_304(self):
        for prefix in ("/feeds/a.rss", "/feeds/world.atom"):
            reqs = self.requests(prefix)
            self.assertEqual(reqs[0]["status"], 200)
            self.assertIsNone(reqs[0]["if_none_match"])
            for r in reqs[1:]:
                self.assertIsNotNone(r["if_none_match"], r)
                self.assertIsNotNone(r["if_modified_since"], r)
                self.assertEqual(r["status"], 304, r)

    def test_first_poll__accepts_compression_and_is_served_gzip(self):
        first = self.requests("/feeds/a.rss")[0]
        for enc in ("gzip", "deflate", "br", "zstd"):
            self.assertIn(enc, first["accept_encoding"])
        self.assertEqual(first["encoding"], "gzip")

    def test_user_agent__names_program_version_and_project_url(self):
        ua = self.requests("/feeds/a.rss")[0]["user_agent"]
        self.assertRegex(ua, r"^newswatch/\d+\.\d+\S* \(\+https?://\S+\)$")

    def test_repeated_polls__alert_once(self):
        lines = self.s.alerts()
        self.assertEqual(len(lines), 1, lines)
        self.assertIn("Erdoğan speaks on the border", lines[0])

    def test_status_while_running__every_feed_listed_healthy_ones_ok(self):
        st = self.status_during
        self.assertEqual(len(st), 20)
        for name in ("healthy-a", "healthy-b", "cached", "ttl", "redirect-once"):
            self.assertEqual(st[name]["state"], "ok", st[name])
            self.assertEqual(st[name]["failures"], 0)
            self.assertIsNone(st[name]["last_error"])
            self.assertIsNotNone(st[name]["last_success"])
            self.assertIsNotNone(st[name]["next_poll"])
        self.assertEqual(st["healthy-a"]["last_status"], 304)

    def test_status_before_any_poll__never_polled(self):
        self.assertEqual(len(self.status_before), 20)
        for f in self.status_before.values():
            self.assertEqual(f["state"], "never polled", f)
            self.assertIsNone(f["last_attempt"])

    def test_status__table_has_relative_times(self):
        out = self.table_during
        self.assertRegex(out, r"\nhealthy-a +ok +(\d+s ago|just now) +(\d+s ago|just now) +304 +0 +(due|in \d+s) *\n")
        self.assertRegex(out, r"\ncached +ok .* in [45]m")
        self.assertRegex(out, r"\nttl +ok .* in (59|6\d)m")
        self.assertRegex(out, r"\ngone +gone .* 410 .* stopped +410 Gone")

    # -- lower bounds on the interval -------------------------------------------------------------

    def test_cache_control_max_age__raises_the_interval(self):
        self.assertEqual(len(self.requests("/feeds/c.rss")), 1)
        nxt = self.status_during["cached"]["next_poll"]
        self.assertIsNotNone(nxt)

    def test_rss_ttl__raises_the_interval(self):
        self.assertEqual(len(self.requests("/feeds/ttl.rss")), 1)

    # -- redirects --------------------------------------------------------------------------------

    def test_temporary_redirect__followed_each_poll_without_moving(self):
        self.assert_polled_on_time("/redirect/1")
        self.assertEqual(self.status_during["redirect-once"]["polling_url"],
                         self.status_during["redirect-once"]["url"])
        self.assertNotIn("redirect-once", "\n".join(l for l in self.err.splitlines()
                                                    if "moved" in l))

    def test_permanent_redirect__seen_three_times_then_new_url_used_and_logged(self):
        redirected = self.requests("/permanent/308")
        self.assertEqual(len(redirected), 3)
        # Each of the first three polls went through the redirect to d.rss; the later ones
        # went straight to d.rss.
        target = self.requests("/feeds/d.rss")
        self.assertGreaterEqual(len(target), RUN_SECONDS - 4)
        self.assertLess(redirected[-1]["t_start"], target[3]["t_start"])
        st = self.status_during["moved"]
        self.assertTrue(st["polling_url"].endswith("/feeds/d.rss?max_age=0"), st)
        lines = [l for l in self.warnings("moved") if "moved permanently" in l]
        self.assertEqual(len(lines), 1, self.err)
        self.assertIn("(seen on 3 polls in a row)", lines[0])

    def test_redirect_loop__cut_off_and_logged_once(self):
        self.assert_logged_once("loop", "too many redirects")
        self.assert_failing("loop", error="too many redirects")

    def test_redirect_to_file__refused_and_logged_once(self):
        self.assert_logged_once("to-file", "forbidden scheme refused")
        self.assert_failing("to-file", error="file:///etc/passwd")
        self.assertNotIn("root:", self.err)

    # -- HTTP errors ------------------------------------------------------------------------------

    def test_404__logged_once_and_backed_off(self):
        self.assert_logged_once("notfound", "HTTP status 404")
        self.assert_failing("notfound", status=404, error="HTTP status 404")

    def test_410__stops_polling_and_says_so(self):
        self.assertEqual(len(self.requests("/status/410")), 1)
        self.assert_logged_once("gone", "410 Gone: polling stopped")
        st = self.status_during["gone"]
        self.assertEqual(st["state"], "gone")
        self.assertTrue(st["gone"])
        self.assertIsNone(st["next_poll"])

    def test_429_retry_after_seconds__next_request_not_before_it(self):
        gaps = self.gaps("/status/429")
        self.assertGreaterEqual(len(gaps), 2, gaps)
        for g in gaps:
            self.assertGreaterEqual(g, 4.0 - 0.05, gaps)
        self.assert_logged_once("busy429", "HTTP status 429; retrying in 4s")

    def test_503_retry_after_date__next_request_not_before_it(self):
        gaps = self.gaps("/status/503")
        self.assertGreaterEqual(len(gaps), 1, gaps)
        # The date has one-second resolution: 5 s ahead is at least 4 s by the daemon's clock.
        for g in gaps:
            self.assertGreaterEqual(g, 4.0 - 0.05, gaps)
        self.assert_logged_once("busy503", "HTTP status 503")

    def test_500__backoff_gaps_grow(self):
        gaps = self.gaps("/status/500")
        self.assertGreaterEqual(len(gaps), 3, gaps)
        # 1 s, 2 s, 4 s, 8 s, each +-10%.
        for a, b in zip(gaps, gaps[1:]):
            self.assertGreater(b, a * 1.4, gaps)
        self.assert_logged_once("broken500", "HTTP status 500")
        self.assertGreaterEqual(self.status_during["broken500"]["failures"], 4)

    # -- hostile servers --------------------------------------------------------------------------

    def test_hang_after_headers__cut_off_by_the_timeout(self):
        self.assert_logged_once("hang", "timed out after 3s")
        for g in self.gaps("/hang-after-headers"):
            self.assertGreaterEqual(g, TIMEOUT)
        self.assertGreaterEqual(len(self.requests("/hang-after-headers")), 2)

    def test_drip__cut_off_by_the_timeout(self):
        self.assert_logged_once("drip", "timed out after 3s")
        self.assertGreaterEqual(len(self.requests("/drip")), 2)

    def test_body_over_limit__declared_and_streamed_both_cut_off(self):
        self.assert_logged_once("big", "body over 64 KiB limit (declared size)")
        self.assert_logged_once("big-chunked", "body over 64 KiB limit")
        self.assert_failing("big-chunked", status=200, error="body over 64 KiB limit")

    def test_compression_bomb__cut_off_at_the_decoded_limit(self):
        self.assert_logged_once("bomb", "body over 64 KiB limit")
        self.assertEqual(self.requests("/bomb")[0]["encoding"], "gzip")

    def test_feed_over_max_items__truncated_said_once_and_healthy(self):
        served = [e for e in self.requests("/feeds/many.rss") if e["status"] == 200]
        self.assertGreaterEqual(len(served), 2, "the feed was not parsed twice")
        self.assert_logged_once("many", ": 8 items, only the first 3 handled (max_items)")
        self.assertEqual(len(self.warnings("many")), 1, self.err)
        for st in (self.status_during["many"], self.status_after["many"]):
            self.assertEqual(st["state"], "ok", st)
            self.assertIsNone(st["last_error"], st)
        self.assertEqual([l for l in self.s.alerts() if "past the limit" in l], [])

    def test_html_instead_of_feed__not_a_feed_logged_once(self):
        self.assert_logged_once("html", "not a feed")
        self.assertGreaterEqual(len(self.requests("/html")), 3)
        self.assert_failing("html", status=200, error="not a feed")

    def test_errors__each_logged_once_per_change_of_state(self):
        for feed in ("loop", "to-file", "notfound", "busy429", "busy503", "broken500", "hang",
                     "drip", "big", "big-chunked", "bomb", "html"):
            self.assertEqual(len(self.warnings(feed)), 1, "%s:\n%s" % (feed, self.err))

    # -- what a restart keeps ---------------------------------------------------------------------

    def test_restart__validators_kept_first_poll_is_304(self):
        reqs = self.requests("/feeds/a.rss", self.once_log)
        self.assertGreaterEqual(len(reqs), 1)
        self.assertIsNotNone(reqs[0]["if_none_match"])
        self.assertEqual(reqs[0]["status"], 304)

    def test_restart__gone_feed_not_polled_and_moved_feed_polled_at_new_url(self):
        self.assertEqual(self.requests("/status/410", self.once_log), [])
        self.assertIn("feed gone (", self.once_err)
        self.assertEqual(self.requests("/permanent/308", self.once_log), [])
        self.assertEqual(len(self.requests("/feeds/d.rss", self.once_log)), 1)


if __name__ == "__main__":
    unittest.main(verbosity=2)
