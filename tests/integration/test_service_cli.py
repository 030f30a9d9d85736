"""newswatch's service tools: tail, import-opml/export-opml, the systemd units, install, man pages,
and the command line of parse and match.

Run one class with: python3 test_service_cli.py Tail
"""
import json
import os
import pty
import random
import select
import shutil
import signal
import stat
import subprocess
import tempfile
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
TESTS = os.path.dirname(HERE)
ROOT = os.path.dirname(TESTS)
OPML = os.path.join(TESTS, "fixtures", "opml")
NEWSWATCH = os.environ.get("NEWSWATCH", os.path.join(ROOT, "build", "newswatch"))
BUILD_DIR = os.environ.get("NW_BUILD_DIR")

TEXT_LOG = [
    "2024-12-05T14:03:00Z critical hezbollah-in-syria [middleeast] Hezbollah fighters reported "
    "near Homs http://news.example/middleeast/1 (actors: Hezbollah; places: Syria (via Homs))",
    "2024-12-05T14:04:00Z normal turkey-syria [middleeast] Erdogan (again) says troops stay "
    "http://news.example/middleeast/3 (actors: Recep Tayyip Erdoğan; places: Syria) "
    "(also in: world)",
    "2024-12-05T14:05:00Z low un-syria [world] The UN calls for a ceasefire in Syria "
    "http://news.example/world/1 (actors: United Nations; places: Syria)",
    "2024-12-05T14:06:00Z critical hts-offensive [world] No link here (actors: Hayat Tahrir al-Sham; "
    "places: Hama)",
]

JSON_LOG = [json.dumps({"time": "2024-12-05T14:03:00Z", "rule": "hezbollah-in-syria",
                        "severity": "critical", "feed": "middleeast",
                        "title": "Hezbollah fighters \"reported\" near Homs \u2013 \U0001F4F0",
                        "link": "http://news.example/middleeast/1", "id": "me-1",
                        "published": None, "actors": ["Hezbollah"], "places": ["Syria"],
                        "matches": [{"kind": "actor", "name": "Hezbollah", "via": None}],
                        "also_in": []}, ensure_ascii=True),
            json.dumps({"time": "2024-12-05T14:05:00Z", "rule": "un-syria", "severity": "low",
                        "feed": "world", "title": "The UN calls for a ceasefire in Syria",
                        "link": "http://news.example/world/1", "nested": {"a": [1, 2.5e3, True]},
                        "also_in": ["middleeast"]}, ensure_ascii=False)]


def run(*args, env=None, timeout=60, input=None):
    e = dict(os.environ, TZ="UTC")
    e.pop("NO_COLOR", None)
    if env:
        e.update(env)
    p = subprocess.run([NEWSWATCH] + list(args), capture_output=True, env=e, timeout=timeout,
                       input=input)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


class Scratch(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="nwcli.")
        self.procs = []

    def tearDown(self):
        for p in self.procs:
            if p.poll() is None:
                p.kill()
            p.wait()
        shutil.rmtree(self.dir, ignore_errors=True)

    def path(self, name):
        return os.path.join(self.dir, name)

    def write(self, name, lines, mode="w"):
        with open(self.path(name), mode, encoding="utf-8") as f:
            for l in lines:
                f.write(l + "\n")


class Tail(Scratch):
    def test_text_log__aligned_columns_last_n(self):
        self.write("a.log", TEXT_LOG)
        code, out, err = run("tail", "--log", self.path("a.log"), "-n", "3")
        self.assertEqual(code, 0, err)
        lines = out.splitlines()
        self.assertEqual(len(lines), 3)
        self.assertTrue(lines[0].startswith("2024-12-05 14:04:00  normal   turkey-syria "), lines)
        self.assertIn("Erdogan (again) says troops stay  http://news.example/middleeast/3",
                      lines[0])
        self.assertNotIn("also in", lines[0])
        self.assertIn("No link here", lines[2])
        self.assertNotIn("actors", lines[2])
        # Columns line up: the feed column starts at the same place on every line.
        self.assertEqual(len({l.index(" middleeast ") if "middleeast" in l else l.index(" world ")
                              for l in lines}), 1, lines)

    def test_text_and_json__same_fields(self):
        self.write("t.log", TEXT_LOG[:1])
        self.write("j.log", JSON_LOG[:1])
        _, a, _ = run("tail", "--log", self.path("t.log"), "--json")
        _, b, _ = run("tail", "--log", self.path("j.log"), "--json")
        ra, rb = json.loads(a), json.loads(b)
        for k in ("time", "rule", "severity", "feed", "link"):
            self.assertEqual(ra[k], rb[k], k)
        self.assertEqual(ra["title"], "Hezbollah fighters reported near Homs")
        self.assertEqual(rb["title"], "Hezbollah fighters \"reported\" near Homs \u2013 \U0001F4F0")

    def test_jsonl_log__decoded_for_people(self):
        self.write("j.log", JSON_LOG)
        code, out, err = run("tail", "--log", self.path("j.log"))
        self.assertEqual(code, 0, err)
        lines = out.splitlines()
        self.assertEqual(len(lines), 2)
        self.assertIn("Hezbollah fighters \"reported\" near Homs \u2013 \U0001F4F0", lines[0])
        self.assertIn("low      un-syria", lines[1])

    def test_rule_and_severity_filters(self):
        self.write("a.log", TEXT_LOG)
        _, out, _ = run("tail", "--log", self.path("a.log"), "--rule", "un-syria")
        self.assertEqual(len(out.splitlines()), 1)
        self.assertIn("ceasefire", out)
        _, out, _ = run("tail", "--log", self.path("a.log"), "--severity", "critical")
        self.assertEqual(len(out.splitlines()), 2)
        _, out, _ = run("tail", "--log", self.path("a.log"), "--severity", "normal", "-n", "1")
        self.assertIn("hts-offensive", out)
        self.assertEqual(len(out.splitlines()), 1)
        code, _, err = run("tail", "--log", self.path("a.log"), "--severity", "dire")
        self.assertEqual(code, 2)

    def test_garbage_lines__skipped_without_crashing(self):
        rnd = random.Random(8)
        lines = ["{", "{\"time\":", "{\"title\":\"\\ud800\"}", "[" * 10000, "{" + "\"a\":{" * 5000,
                 "{\"rule\":\"x\",\"severity\":\"low\",\"title\":\"\\u00e9\\u", "not a record",
                 "\x1b[31mred", "2024 critical"]
        for _ in range(300):
            base = rnd.choice(JSON_LOG + TEXT_LOG)
            cut = rnd.randrange(len(base))
            lines.append(base[:cut] + "".join(chr(rnd.randrange(1, 0x3000)) for _ in range(3))
                         + base[cut + 1:])
        self.write("g.log", lines + TEXT_LOG[-1:])
        code, out, err = run("tail", "--log", self.path("g.log"), "-n", "1000")
        self.assertEqual(code, 0, err)
        self.assertIn("No link here", out.splitlines()[-1])
        self.assertNotIn("\x1b", out)

    def test_colour__only_on_a_terminal_and_not_with_no_color(self):
        self.write("a.log", TEXT_LOG)
        _, out, _ = run("tail", "--log", self.path("a.log"))
        self.assertNotIn("\x1b[", out)
        for env, want in (({}, True), ({"NO_COLOR": "1"}, False)):
            master, slave = pty.openpty()
            e = dict(os.environ, TZ="UTC", **env)
            if not env:
                e.pop("NO_COLOR", None)
            p = subprocess.Popen([NEWSWATCH, "tail", "--log", self.path("a.log")], stdout=slave,
                                 stderr=subprocess.DEVNULL, env=e)
            self.procs.append(p)
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
            self.assertEqual("\x1b[1;31mcritical" in data.decode(), want, (env, data))

    def test_follow__new_lines_and_across_rotation(self):
        log = self.path("alerts.log")
        self.write("alerts.log", TEXT_LOG[:1])
        p = subprocess.Popen([NEWSWATCH, "tail", "-f", "-n", "1", "--log", log],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             env=dict(os.environ, TZ="UTC"))
        self.procs.append(p)
        os.set_blocking(p.stdout.fileno(), False)
        got = []

        def seen(text, wait=10):
            deadline = time.time() + wait
            while time.time() < deadline:
                r, _, _ = select.select([p.stdout], [], [], 0.2)
                if r:
                    chunk = p.stdout.read()
                    if chunk:
                        got.append(chunk.decode())
                if text in "".join(got):
                    return True
            return False

        self.assertTrue(seen("near Homs"))
        self.write("alerts.log", TEXT_LOG[1:2], mode="a")
        self.assertTrue(seen("troops stay"))
        # logrotate: move the file, write one last line to the old one, then a new file.
        os.rename(log, log + ".1")
        self.write("alerts.log.1", TEXT_LOG[2:3], mode="a")
        self.assertTrue(seen("ceasefire"))
        time.sleep(0.6)
        self.write("alerts.log", TEXT_LOG[3:4])
        self.assertTrue(seen("No link here"), got)
        # Truncation (copytruncate) starts from the top again.
        open(log, "w").close()
        time.sleep(0.6)
        self.write("alerts.log", TEXT_LOG[:1], mode="a")
        deadline = time.time() + 10
        while "".join(got).count("near Homs") < 2 and time.time() < deadline:
            seen("\x00", 0.5)   # reads for a while
        self.assertEqual("".join(got).count("near Homs"), 2, got)
        p.send_signal(signal.SIGTERM)
        self.assertEqual(p.wait(5), 0)
        self.assertEqual("".join(got).count("troops stay"), 1)

    def test_rule_not_configured__error_names_it_and_the_rules(self):
        self.write("a.log", TEXT_LOG)
        with open(self.path("c.conf"), "w") as f:
            f.write("[newswatch]\nalert_log = a.log\nstate_dir = st\nnotify = no\n"
                    "[rule un-syria]\nkeywords = ceasefire\n[rule hts-offensive]\nkeywords = Hama\n")
        code, out, err = run("tail", "--config", self.path("c.conf"), "--rule", "un-syria",
                             "--rule", "NOSUCH")
        self.assertEqual(code, 2, err)
        self.assertEqual(out, "")
        self.assertEqual(err, "newswatch tail: no rule NOSUCH in %s; rules: un-syria, "
                         "hts-offensive\n" % os.path.realpath(self.path("c.conf")))
        code, out, err = run("tail", "--config", self.path("c.conf"), "--rule", "un-syria")
        self.assertEqual((code, len(out.splitlines())), (0, 1), err)
        # --log alone reads no configuration: nothing to check the name against.
        code, out, err = run("tail", "--log", self.path("a.log"), "--rule", "NOSUCH")
        self.assertEqual((code, out), (0, ""), err)

    def test_config__reads_alert_log_from_config(self):
        self.write("a.log", TEXT_LOG)
        with open(self.path("c.conf"), "w") as f:
            f.write("[newswatch]\nalert_log = a.log\nstate_dir = st\nnotify = no\n")
        code, out, err = run("tail", "--config", self.path("c.conf"), "-n", "2")
        self.assertEqual(code, 0, err)
        self.assertEqual(len(out.splitlines()), 2)


def rss(titles):
    """An RSS document with one item per title, then the channel's title."""
    items = "".join("<item><title>%s</title><link>http://news.example/%d</link>"
                    "<guid>g-%d</guid></item>\n" % (t, i, i) for i, t in enumerate(titles))
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>\n%s'
            "<title>Big</title></channel></rss>\n" % items)


class ParseMatch(Scratch):
    """parse and match on the command line: help, counts, big feeds, unknown names."""

    def conf(self, extra=""):
        with open(self.path("c.conf"), "w") as f:
            f.write("[newswatch]\nstate_dir = st\nnotify = no\nmax_items = 3\n"
                    "[feed world]\nurl = https://world.example/rss\n"
                    "[feed big]\nurl = https://big.example/rss\nmax_items = 5\n"
                    "[rule truce]\nkeywords = ceasefire\n" + extra)
        return self.path("c.conf")

    def test_help__every_command_prints_usage_on_stdout_and_exits_0(self):
        for c in ("run", "check", "status", "match", "parse", "replay", "tail", "import-opml",
                  "export-opml"):
            for opt in ("--help", "-h"):
                code, out, err = run(c, opt)
                self.assertEqual((code, err), (0, ""), (c, opt))
                self.assertTrue(out.startswith("usage: newswatch %s " % c), (c, opt, out))

    def test_parse__counts_items_in_the_singular_and_plural(self):
        for n, line in ((1, "1 item"), (2, "2 items"), (0, "0 items")):
            self.write("f.xml", [rss(["Story"] * n)])
            code, out, err = run("parse", self.path("f.xml"))
            self.assertEqual(code, 0, err)
            self.assertEqual(out.splitlines()[1], line)

    def test_parse_feed_over_max_items__first_ones_printed_title_kept_said_once(self):
        self.write("f.xml", [rss(["Story %d" % i for i in range(5003)])])
        code, out, err = run("parse", self.path("f.xml"))
        self.assertEqual(code, 0, err)
        lines = out.splitlines()
        self.assertEqual(lines[:2], ["feed: Big", "5000 items"])
        self.assertIn("* Story 4999\n", out)
        self.assertNotIn("* Story 5000\n", out)
        self.assertEqual(err, "newswatch parse: %s: 5003 items, only the first 5000 handled "
                         "(max_items)\n" % self.path("f.xml"))
        code, out, err = run("parse", "--json", self.path("f.xml"))
        self.assertEqual(code, 0, err)
        self.assertEqual(len(json.loads(out)["entries"]), 5000)

    def test_match_feed_over_max_items__alerts_on_the_items_it_handles(self):
        conf = self.conf()
        self.write("f.xml", [rss(["Ceasefire first", "b", "c", "d", "Ceasefire fifth"])])
        code, out, err = run("match", "--config", conf, self.path("f.xml"))
        self.assertEqual(code, 0, err)
        self.assertIn("Ceasefire first", out)
        self.assertNotIn("Ceasefire fifth", out)
        self.assertEqual(err, "newswatch: %s: 5 items, only the first 3 handled (max_items)\n"
                         % self.path("f.xml"))
        # Only a skipped item would match: nothing matched, exit 1 as for any file.
        self.write("g.xml", [rss(["a", "b", "c", "Ceasefire fourth"])])
        code, out, err = run("match", "--config", conf, self.path("g.xml"))
        self.assertEqual((code, out), (1, ""), err)
        # The feed's own max_items with --feed.
        code, out, err = run("match", "--config", conf, "--feed", "big", self.path("f.xml"))
        self.assertEqual(code, 0, err)
        self.assertIn("Ceasefire fifth", out)
        self.assertEqual(err, "")

    def test_match_feed_not_configured__error_names_it_and_the_feeds(self):
        conf = self.conf()
        self.write("f.xml", [rss(["Ceasefire"])])
        code, out, err = run("match", "--config", conf, "--feed", "NOSUCH", self.path("f.xml"))
        self.assertEqual((code, out), (2, ""))
        self.assertEqual(err, "newswatch match: no feed NOSUCH in %s; feeds: world, big\n"
                         % os.path.realpath(conf))
        code, out, err = run("match", "--config", conf, "--feed", "world", self.path("f.xml"))
        self.assertEqual(code, 0, err)


class Opml(Scratch):
    def conf(self, extra=""):
        path = self.path("newswatch.conf")
        with open(path, "w") as f:
            f.write("[newswatch]\nnotify = no\nstate_dir = st\n\n[feed bbc]\n"
                    "url = https://feeds.bbci.co.uk/news/world/middle_east/rss.xml\n"
                    "tags = mideast\n" + extra)
        os.chmod(path, 0o640)
        return path

    def feeds(self, conf):
        """{url: (name, tags)} of a config, through export-opml and a real XML parser."""
        import xml.etree.ElementTree as ET
        code, out, err = run("export-opml", "--config", conf)
        self.assertEqual(code, 0, err)
        root = ET.fromstring(out)
        self.assertEqual(root.get("version"), "2.0")
        res = {}
        for o in root.iter("outline"):
            if o.get("xmlUrl"):
                cats = [c.lstrip("/") for c in (o.get("category") or "").split(",") if c]
                res[o.get("xmlUrl")] = (o.get("title"), cats)
        return res

    def test_import_nested_folders__tags_and_unique_names(self):
        conf = self.conf()
        code, out, err = run("import-opml", "--config", conf, os.path.join(OPML, "freshrss.opml"))
        self.assertEqual(code, 0, err)
        f = self.feeds(conf)
        self.assertEqual(f["https://syriadirect.org/feed/"], ("syria-direct", ["News", "Middle East", "Levant"]))
        self.assertEqual(f["https://syriadirect.org/feed/?lang=ar"],
                         ("syria-direct-2", ["Podcasts misc odd", "Arabic", "Syria"]))
        # Missing title: the host. A title in another script: the host too.
        self.assertEqual(f["http://rss.cnn.com/rss/edition_meast.rss"][0], "rss-cnn-com")
        self.assertTrue([u for u in f if "aljazeera.net" in u and f[u][0] == "www-aljazeera-net"])
        self.assertNotIn("ftp://example.org/feed.xml", f)
        self.assertIn("not an http or https URL", err)
        self.assertEqual(stat.S_IMODE(os.stat(conf).st_mode), 0o640)
        self.assertEqual(len(f), 1 + 5)
        self.assertEqual(run("check", "--config", conf)[0], 0)

    def test_import__skips_urls_already_present_and_is_idempotent(self):
        conf = self.conf()
        code, out, err = run("import-opml", "--config", conf, os.path.join(OPML, "miniflux.opml"))
        self.assertEqual(code, 0, err)
        self.assertIn("1 already there", err)
        before = open(conf).read()
        code, out, err = run("import-opml", "--config", conf, os.path.join(OPML, "miniflux.opml"))
        self.assertEqual(code, 0, err)
        self.assertEqual(open(conf).read(), before)
        f = self.feeds(conf)
        self.assertEqual(f["https://www.hurriyetdailynews.com/rss"], ("hurriyet-daily-news", ["Turkey"]))
        self.assertEqual(f["https://news.un.org/feed/subscribe/en/news/region/middle-east/feed/rss.xml"][0],
                         "un-news-views-middle-east")

    def test_round_trip__export_then_import_into_empty_config(self):
        conf = self.conf()
        for name in ("newsboat.opml", "miniflux.opml", "freshrss.opml"):
            self.assertEqual(run("import-opml", "--config", conf, os.path.join(OPML, name))[0], 0)
        first = self.feeds(conf)
        code, exported, err = run("export-opml", "--config", conf)
        with open(self.path("out.opml"), "w") as f:
            f.write(exported)
        conf2 = self.path("sub/new.conf")   # a config that does not exist yet
        code, out, err = run("import-opml", "--config", conf2, self.path("out.opml"))
        self.assertEqual(code, 0, err)
        self.assertEqual(self.feeds(conf2), first)
        self.assertEqual(stat.S_IMODE(os.stat(conf2).st_mode), 0o600)

    def test_dry_run__prints_sections_and_changes_nothing(self):
        conf = self.conf()
        before = open(conf).read()
        code, out, err = run("import-opml", "--dry-run", "--config", conf,
                             os.path.join(OPML, "newsboat.opml"))
        self.assertEqual(code, 0, err)
        self.assertIn("[feed syria-the-guardian]\nurl = https://www.theguardian.com/world/syria/rss\n", out)
        self.assertEqual(open(conf).read(), before)

    def test_external_entities__never_loaded(self):
        conf = self.conf()
        before = open(conf).read()
        code, out, err = run("import-opml", "--config", conf, os.path.join(OPML, "xxe.opml"))
        hostname = open("/etc/hostname").read().strip()
        self.assertNotEqual(code, 0)
        self.assertEqual(open(conf).read(), before)
        if hostname:
            self.assertNotIn(hostname, out + err)

    def test_not_opml__error_and_config_unchanged(self):
        conf = self.conf()
        before = open(conf).read()
        with open(self.path("x.opml"), "w") as f:
            f.write("<rss><channel/></rss>")
        code, out, err = run("import-opml", "--config", conf, self.path("x.opml"))
        self.assertEqual(code, 1)
        self.assertIn("not OPML", err)
        with open(self.path("y.opml"), "w") as f:
            f.write("<opml><body><outline")
        code, out, err = run("import-opml", "--config", conf, self.path("y.opml"))
        self.assertEqual(code, 1)
        self.assertRegex(err, r"y\.opml: line \d+")
        self.assertEqual(open(conf).read(), before)
        self.assertEqual([n for n in os.listdir(self.dir) if n.startswith(".newswatch")], [])


def unit_copy(src, dst_dir, binary):
    with open(src) as f:
        text = f.read()
    dst = os.path.join(dst_dir, os.path.basename(src))
    with open(dst, "w") as f:
        f.write(text.replace("/usr/local/bin/newswatch", binary))
    return dst


@unittest.skipUnless(shutil.which("systemd-analyze"), "systemd-analyze is missing")
class Units(Scratch):
    def verify(self, unit, user):
        env = dict(os.environ, XDG_RUNTIME_DIR=self.dir)
        args = ["systemd-analyze"] + (["--user"] if user else []) + ["--man=no", "verify", unit]
        p = subprocess.run(args, capture_output=True, text=True, env=env, timeout=60)
        return p.returncode, p.stdout + p.stderr

    def test_user_unit__verifies_silently(self):
        unit = unit_copy(os.path.join(ROOT, "systemd", "newswatch.service"), self.dir,
                         os.path.abspath(NEWSWATCH))
        self.assertEqual(self.verify(unit, True), (0, ""))

    def test_system_unit__verifies_silently(self):
        unit = unit_copy(os.path.join(ROOT, "systemd", "newswatch-system.service"), self.dir,
                         os.path.abspath(NEWSWATCH))
        self.assertEqual(self.verify(unit, False), (0, ""))

    def test_verify_catches_a_bad_key(self):
        # The check above can fail: a typo is reported.
        unit = unit_copy(os.path.join(ROOT, "systemd", "newswatch.service"), self.dir,
                         os.path.abspath(NEWSWATCH))
        with open(unit, "a") as f:
            f.write("\n[Service]\nWatchdogSecs=5\n")
        self.assertNotEqual(self.verify(unit, True)[1], "")

    def test_units__notify_watchdog_reload_restart(self):
        for name in ("newswatch.service", "newswatch-system.service"):
            text = open(os.path.join(ROOT, "systemd", name)).read()
            for key in ("Type=notify", "WatchdogSec=", "ExecReload=/bin/kill -HUP $MAINPID",
                        "Restart=on-failure"):
                self.assertIn(key, text, name)
        text = open(os.path.join(ROOT, "systemd", "newswatch-system.service")).read()
        for key in ("DynamicUser=yes", "StateDirectory=newswatch", "LogsDirectory=newswatch",
                    "ProtectSystem=strict"):
            self.assertIn(key, text)


@unittest.skipUnless(BUILD_DIR, "NW_BUILD_DIR is not set")
class Install(Scratch):
    def test_install__binary_units_config_man_completion(self):
        prefix = self.path("prefix")
        p = subprocess.run(["cmake", "--install", BUILD_DIR, "--prefix", prefix],
                           capture_output=True, text=True, timeout=120)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        want = ["bin/newswatch", "lib/systemd/user/newswatch.service",
                "lib/systemd/system/newswatch-system.service",
                "share/doc/newswatch/newswatch.conf", "share/doc/newswatch/newswatch-system.conf",
                "share/man/man1/newswatch.1", "share/man/man5/newswatch.conf.5",
                "share/bash-completion/completions/newswatch"]
        for w in want:
            self.assertTrue(os.path.exists(os.path.join(prefix, w)), w)
        binary = os.path.join(prefix, "bin", "newswatch")
        for unit, user in (("lib/systemd/user/newswatch.service", True),
                           ("lib/systemd/system/newswatch-system.service", False)):
            text = open(os.path.join(prefix, unit)).read()
            self.assertIn("ExecStart=%s run" % binary, text)
            if shutil.which("systemd-analyze"):
                env = dict(os.environ, XDG_RUNTIME_DIR=self.dir)
                args = ["systemd-analyze"] + (["--user"] if user else []) + \
                    ["--man=no", "verify", os.path.join(prefix, unit)]
                v = subprocess.run(args, capture_output=True, text=True, env=env, timeout=60)
                self.assertEqual((v.returncode, v.stdout + v.stderr), (0, ""), unit)
        code = subprocess.run([binary, "check", "--config",
                               os.path.join(prefix, "share/doc/newswatch/newswatch.conf")],
                              capture_output=True, timeout=60).returncode
        self.assertEqual(code, 0)
        code = subprocess.run([binary, "check", "--config",
                               os.path.join(prefix, "share/doc/newswatch/newswatch-system.conf")],
                              capture_output=True, timeout=60).returncode
        self.assertEqual(code, 0)


class ManAndCompletion(unittest.TestCase):
    def test_man_pages__render_without_warnings(self):
        if not shutil.which("groff"):
            self.skipTest("groff is missing")
        for page in ("newswatch.1", "newswatch.conf.5"):
            p = subprocess.run(["groff", "-man", "-Tutf8", "-ww", "-z",
                                os.path.join(ROOT, "man", page)],
                               capture_output=True, text=True, timeout=60)
            self.assertEqual((p.returncode, p.stderr), (0, ""), page)

    def test_man_pages__document_every_command_and_key(self):
        main = open(os.path.join(ROOT, "daemon", "main.c")).read()
        conf = open(os.path.join(ROOT, "daemon", "conf.c")).read()
        m1 = open(os.path.join(ROOT, "man", "newswatch.1")).read()
        m5 = open(os.path.join(ROOT, "man", "newswatch.conf.5")).read()
        import re
        table = main[main.index("commands[] = {"):main.index("};", main.index("commands[] = {"))]
        commands = re.findall(r'\{\s*"([a-z-]+)",', table)
        self.assertGreater(len(commands), 5)
        plain = m1.replace("\\-", "-")
        for c in commands:
            self.assertRegex(plain, r"(?m)^\.It Cm %s\b" % re.escape(c), c)
        keys = re.findall(r'\{ SEC_[A-Z]+, "([a-z_]+)", [01] \}', conf)
        self.assertGreater(len(keys), 15)
        for k in keys:
            self.assertRegex(m5, r"(?m)^\.It Cm %s\b" % re.escape(k), k)

    def test_completion__lists_commands(self):
        if not shutil.which("bash"):
            self.skipTest("bash is missing")
        script = ('source %s; COMP_WORDS=(newswatch ""); COMP_CWORD=1; _newswatch; '
                  'printf "%%s\\n" "${COMPREPLY[@]}"' % os.path.join(ROOT, "completion",
                                                                    "newswatch.bash"))
        p = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=60)
        self.assertEqual(p.returncode, 0, p.stderr)
        for c in ("run", "check", "tail", "import-opml", "export-opml"):
            self.assertIn(c, p.stdout.split())
        script = ('source %s; COMP_WORDS=(newswatch tail --severity ""); COMP_CWORD=3; _newswatch; '
                  'printf "%%s\\n" "${COMPREPLY[@]}"' % os.path.join(ROOT, "completion",
                                                                    "newswatch.bash"))
        p = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=60)
        self.assertEqual(sorted(p.stdout.split()), ["critical", "low", "normal"])


if __name__ == "__main__":
    unittest.main(verbosity=2)
