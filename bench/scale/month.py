#!/usr/bin/env python3
"""month.py: a simulated month of hourly polls; does the state file stay what retention implies?

usage: bench/scale/month.py [--newswatch BIN] [--feeds 100] [--days 30] [--retention-days 7]
                            [--new 0.05] [--runs 3] [--keep]

FEEDS feeds of 50 news items each are written as RSS files (with gzip twins) and served by nginx
(ETag, If-None-Match -> 304, gzip_static, as the shared harness's serve.sh, less its file cache).
Every simulated hour a fifth of the feeds gain new items, so that NEW (5%) of the items a poll
sees are new (the oldest drop out: a feed keeps 50), and newswatch runs one poll (run --once)
with its clock set to that hour by faketime (Debian's faketime; monotonic time is left alone).
The configuration is the harness's (newswatch_conf.py, one rule over 100 aliases that some
items mention) with retention = RETENTION days.

Printed: once a simulated day, the items and alerts stored, the file size (database + WAL) and
bytes per item; at the end, the items retention implies (every item still in a feed, or gone from
its feed less than RETENTION days ago; items dropped in the last retention/8 may already be gone,
as marks are refreshed that often) against the items stored; and a warm poll (every feed 304)
timed on day 1 and on the last day, RUNS times each (medians), with curl's 304 round beside it.
"""
import argparse
import gzip
import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
HARNESS = os.environ.get("HARNESS", os.path.join(os.path.dirname(ROOT), "shared", "bench"))
PORT = os.environ.get("BENCH_PORT", "18572")
ITEMS = 50
T0 = 1798761600			# 2027-01-01 00:00 UTC
# Watched names some items mention (one rule fires on any of them).
NAMES = ["Hezbollah", "Aleppo", "Erdoğan", "Homs", "Hayat Tahrir al-Sham", "Bogotá", "Niger",
         "Sana'a", "İstanbul", "Côte d'Ivoire"]
WORDS = ("government officials said the ministry would review reports of clashes near the "
         "border after talks between delegations ended without agreement on a ceasefire while "
         "aid groups warned that civilians in several districts lacked water fuel and medicine "
         "as winter approached and the economy weakened under sanctions with prices rising "
         "sharply in markets analysts expect further negotiations next week").split()


def rss(feed, items):
    out = ['<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
           '<title>Feed %d</title><link>http://news.example/%d</link>'
           '<description>bench</description>\n' % (feed, feed)]
    for (n, t, title, text) in items:
        out.append("<item><title>%s</title><link>http://news.example/%d/%d</link>"
                   "<guid isPermaLink=\"false\">f%d-i%d</guid><pubDate>%s</pubDate>"
                   "<description>&lt;p&gt;%s&lt;/p&gt;</description></item>\n"
                   % (title, feed, n, feed, n, time.strftime("%a, %d %b %Y %H:%M:%S GMT",
                                                              time.gmtime(t)), text))
    out.append("</channel></rss>\n")
    return "".join(out).encode()


class Corpus:
    def __init__(self, root, feeds, names, rng):
        self.root, self.rng, self.names = root, rng, names
        os.makedirs(os.path.join(root, "feeds"), exist_ok=True)
        self.items = [[] for _ in range(feeds)]
        self.next = [0] * feeds
        self.gone = {}			# (feed, n) -> time it left its feed
        with open(os.path.join(root, "manifest.tsv"), "w") as f:
            for i in range(feeds):
                f.write("feeds/f%05d.rss\trss\tplain\t%d\t0\t0\n" % (i, ITEMS))

    def item(self, feed, t):
        r = self.rng
        n = self.next[feed]
        self.next[feed] += 1
        title = " ".join(r.choice(WORDS) for _ in range(9)).capitalize()
        text = " ".join(r.choice(WORDS) for _ in range(r.randint(80, 110)))
        if r.random() < 0.2:
            text = "%s %s" % (r.choice(self.names), text)
        return (n, t, title, text)

    def add(self, feed, k, t):
        new = [self.item(feed, t) for _ in range(k)]
        keep = new[::-1] + self.items[feed]
        for x in keep[ITEMS:]:
            self.gone[(feed, x[0])] = t
        self.items[feed] = keep[:ITEMS]
        path = os.path.join(self.root, "feeds", "f%05d.rss" % feed)
        data = rss(feed, self.items[feed])
        with open(path, "wb") as f:
            f.write(data)
        with open(path + ".gz", "wb") as f:
            f.write(gzip.compress(data, 6, mtime=0))
        for p in (path, path + ".gz"):
            os.chmod(p, 0o644)
            os.utime(p, (t, t))

    def implied(self, now, retention):
        carried = sum(len(x) for x in self.items)
        recent = sum(1 for t in self.gone.values() if t >= now - retention)
        slack = sum(1 for t in self.gone.values() if t >= now - retention + retention // 8)
        return carried + slack, carried + recent


class Nginx:
    """nginx on 127.0.0.1:PORT serving root as the harness's serve.sh does (ETag, exact
    If-Modified-Since, gzip_static, keep-alive), but without its open_file_cache: the files
    change every simulated hour, a few seconds apart, and a cached ETag would answer 304."""

    def __init__(self, tmp, root):
        d = os.path.join(tmp, "nginx")
        os.makedirs(d)
        conf = os.path.join(d, "nginx.conf")
        with open(conf, "w") as f:
            f.write("""daemon off; master_process on; worker_processes 1; pid %(d)s/pid;
error_log %(d)s/error.log warn; %(user)s
events { worker_connections 1024; }
http {
  types { application/rss+xml rss; }
  access_log off; client_body_temp_path %(d)s/b; proxy_temp_path %(d)s/p;
  fastcgi_temp_path %(d)s/f; uwsgi_temp_path %(d)s/u; scgi_temp_path %(d)s/s;
  sendfile on; etag on; if_modified_since exact; gzip_static on;
  keepalive_timeout 60s; keepalive_requests 100000;
  server { listen 127.0.0.1:%(port)s; root %(root)s; }
}
""" % dict(d=d, root=root, port=PORT, user="user root root;" if os.geteuid() == 0 else ""))
        self.p = subprocess.Popen([shutil.which("nginx") or "/usr/sbin/nginx", "-p", d, "-c",
                                   conf, "-e", os.path.join(d, "error.log")])
        for _ in range(100):
            if subprocess.run(["curl", "-s", "-o", "/dev/null", "http://127.0.0.1:%s/feeds/"
                               "f00000.rss" % PORT]).returncode == 0:
                return
            time.sleep(0.1)
        raise SystemExit("nginx did not start: %s" % open(os.path.join(d, "error.log")).read())

    def stop(self):
        self.p.terminate()
        self.p.wait()


def fake(t):
    """faketime's spec for "the clock starts at t (UTC) and runs on"."""
    return "@" + time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(t))


def stored(state):
    db = sqlite3.connect("file:%s/state.db?mode=ro" % state, uri=True)
    n = db.execute("SELECT count(*) FROM items").fetchone()[0]
    a = db.execute("SELECT count(*) FROM alerts").fetchone()[0]
    db.close()
    size = sum(os.path.getsize(os.path.join(state, f)) for f in ("state.db", "state.db-wal")
               if os.path.exists(os.path.join(state, f)))
    return n, a, size


def timed(label, cmd, vs, runs):
    js = tempfile.mktemp(prefix="nw-month-", suffix=".json")
    subprocess.run([sys.executable, os.path.join(HARNESS, "timeit.py"), "-n", str(runs),
                    "--warmup", "1", "--label", label, "--json", js, "--vs", vs, "--", cmd],
                   check=True, stdout=subprocess.DEVNULL)
    with open(js) as f:
        a, b = [json.loads(l) for l in f]
    os.unlink(js)
    return a, b


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--newswatch", default=os.path.join(ROOT, "build", "newswatch"))
    ap.add_argument("--feeds", type=int, default=100)
    ap.add_argument("--days", type=int, default=30)
    ap.add_argument("--retention-days", type=int, default=7)
    ap.add_argument("--new", type=float, default=0.05)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--keep", action="store_true")
    a = ap.parse_args()
    if not os.path.isdir(HARNESS):
        print("month.py: the shared harness is not at %s (set HARNESS)" % HARNESS, file=sys.stderr)
        return 2
    for cmd, pkg in (("faketime", "faketime"), ("nginx", "nginx-light"), ("curl", "curl")):
        if shutil.which(cmd) is None:
            subprocess.run(["apt-get", "-o", "DPkg::Lock::Timeout=300", "install", "-y",
                            "--no-install-recommends", pkg], check=True, stdout=subprocess.DEVNULL)
    nw = os.path.abspath(a.newswatch)
    tmp = tempfile.mkdtemp(prefix="nw-month.")
    os.chmod(tmp, 0o755)
    out = os.path.join(tmp, "out")
    croot = os.path.join(out, "corpus")
    state = os.path.join(tmp, "state")
    os.makedirs(state)
    rng = random.Random(1)
    names = NAMES
    c = Corpus(croot, a.feeds, names, rng)
    for f in range(a.feeds):
        c.add(f, ITEMS, T0 - 3600)
    server = Nginx(tmp, croot)
    with open(os.path.join(out, "urls.txt"), "w") as f:
        for i in range(a.feeds):
            f.write("http://127.0.0.1:%s/feeds/f%05d.rss\n" % (PORT, i))
    # The harness's rule set needs its rules file: made from the names the items mention.
    rules = os.path.join(tmp, "rules.tsv")
    with open(rules, "w") as f:
        for i, n in enumerate(names):
            f.write("e%d\t%s\t%s\n" % (i, "actor" if i % 2 else "place", n))
    conf = os.path.join(tmp, "nw.conf")
    with open(conf, "w") as f:
        subprocess.run([sys.executable, os.path.join(HARNESS, "newswatch_conf.py"),
                        os.path.join(out, "urls.txt"), rules, state], stdout=f, check=True)
    with open(conf) as f:
        text = f.read().replace("[newswatch]\n", "[newswatch]\nretention = %dd\n"
                                % a.retention_days, 1)
    with open(conf, "w") as f:
        f.write(text)
    fenv = dict(os.environ, FAKETIME_DONT_FAKE_MONOTONIC="1", TZ="UTC")
    run = "%s run --once -q --config %s" % (nw, conf)
    # curl's 304 round over the same URLs, with each file's current ETag (nginx's format).
    def curl_cfg():
        p = os.path.join(tmp, "304.cfg")
        secs = []
        for i in range(a.feeds):
            st = os.stat(os.path.join(croot, "feeds", "f%05d.rss.gz" % i))
            secs.append('url = "http://127.0.0.1:%s/feeds/f%05d.rss"\noutput = "/dev/null"\n'
                        'compressed\nheader = "If-None-Match: \\"%x-%x\\""\n'
                        % (PORT, i, int(st.st_mtime), st.st_size))
        with open(p, "w") as f:
            f.write("next\n".join(secs))
        return "curl -s --parallel --parallel-max 50 -K %s" % p

    def warm(label, t):
        cmd = "env TZ=UTC FAKETIME_DONT_FAKE_MONOTONIC=1 faketime -f '%s' %s" % (fake(t), run)
        return timed(label, cmd, curl_cfg(), a.runs)

    retention = a.retention_days * 86400
    hours = a.days * 24
    per_hour = a.new * a.feeds * ITEMS
    changed = max(1, a.feeds // 5)
    day1 = None
    print("%d feeds x %d items, %d hourly polls, about %.0f new items a poll (%.0f%%), "
          "retention %d days" % (a.feeds, ITEMS, hours, per_hour, 100 * a.new, a.retention_days))
    print("%5s %9s %9s %9s %9s" % ("day", "items", "alerts", "MB", "B/item"))
    try:
        for h in range(hours):
            t = T0 + h * 3600
            if h > 0:
                k = int(per_hour // changed)
                for f in rng.sample(range(a.feeds), changed):
                    c.add(f, k, t)
            r = subprocess.run(["faketime", "-f", fake(t)] + run.split(), env=fenv)
            if r.returncode != 0:
                print("poll at hour %d exited %d" % (h, r.returncode))
            if h % 24 == 23:
                n, al, size = stored(state)
                print("%5d %9d %9d %9.1f %9.0f" % (h // 24 + 1, n, al, size / 1e6,
                                                  size / max(1, n)), flush=True)
            if h == 23:
                day1 = warm("warm day 1", t + 60)
        last = warm("warm day %d" % a.days, T0 + (hours - 1) * 3600 + 60)
        lo, hi = c.implied(T0 + (hours - 1) * 3600, retention)
        n, al, size = stored(state)
        print("items stored %d; retention implies %d to %d (items still in their feeds %d)"
              % (n, lo, hi, sum(len(x) for x in c.items)))
        for lab, (x, y) in (("day 1", day1), ("day %d" % a.days, last)):
            print("warm poll %-7s newswatch wall %.3f s cpu %.3f s; curl 304 round %.3f s; "
                  "ratio %.2fx" % (lab, x["wall"]["median"], x["cpu"]["median"],
                                   y["wall"]["median"], x["ratio_vs_B"]["median"]))
        print("warm poll, last day / day 1: wall %.2fx, cpu %.2fx (target: as fast)" % (
            last[0]["wall"]["median"] / day1[0]["wall"]["median"],
            last[0]["cpu"]["median"] / day1[0]["cpu"]["median"]))
    finally:
        server.stop()
        if a.keep:
            print("kept %s" % tmp)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
