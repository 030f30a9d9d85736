#!/usr/bin/env python3
"""scale.py: newswatch's poll cycles against curl's floor, measured in the same run, at any scale.

usage: bench/scale/scale.py [--newswatch BIN] [--sizes 1000x50,10000x10] [--runs 3]
                            [--host-transfers N] [--idle SECONDS] [--keep]

For each size FEEDSxITEMS it makes (once, cached under $BENCH_OUT or /tmp/nw-bench-scale) the
shared harness's corpus (../shared/bench/gen_feeds.py: news-like RSS and Atom, gzip twins), serves
it with the harness's nginx (serve.sh: gzip_static, ETag, keep-alive) on 127.0.0.1, and times with
the harness's timer (timeit.py --vs, A and B alternated, paired ratios):

  cold   newswatch run --once on an empty state (fetch, inflate, parse, match, store, alert)
         against curl --parallel --compressed fetching and inflating the same URLs;
  warm   newswatch run --once on that state (every feed answers 304)
         against curl sending each URL's ETag (every answer 304).

The configuration is the harness's (newswatch_conf.py: one rule over the 100 real-world aliases,
which fires on about a fifth of the items; JSON Lines log; 8 transfers at once, on one host);
--host-transfers N sets max_host_transfers (the harness sets 8; newswatch's default is 2, which
a user whose feeds share a host gets: then most feeds wait on their host).
Printed per size: medians of wall and CPU time, peak RSS, the paired wall ratios, the state file's
bytes per stored item, and per-feed times; with two or more sizes, how per-feed times scale
(1.0 = linear) from the first size to each other.

--idle S then runs the daemon itself (newswatch run, not --once) on the largest size's warm state
for S seconds with every feed's interval at 1 minute (the shortest there is: ten times the rate
of a 10-minute interval), samples its CPU time and open file descriptors every second, and prints
the average CPU share and what it implies at a 10-minute interval, and the most fds held against
max_transfers.

Needs nginx, curl, GNU time (installed with apt-get when missing, as root) and python3. Targets
(issue 15) are printed beside the figures; the script reports, it does not fail on a miss.
"""
import argparse
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
HARNESS = os.environ.get("HARNESS", os.path.join(os.path.dirname(ROOT), "shared", "bench"))
OUT = os.environ.get("BENCH_OUT", "/tmp/nw-bench-scale")
PORT = os.environ.get("BENCH_PORT", "18571")


def need(cmd, package):
    if shutil.which(cmd) is None and not os.path.exists(cmd):
        print("installing %s (Debian package) ..." % package, flush=True)
        subprocess.run(["apt-get", "-o", "DPkg::Lock::Timeout=300", "install", "-y",
                        "--no-install-recommends", package], check=True,
                       stdout=subprocess.DEVNULL)


def corpus(feeds, items):
    """Generates the corpus once per size; returns its BENCH_OUT directory."""
    out = os.path.join(OUT, "c%dx%d" % (feeds, items))
    if not os.path.exists(os.path.join(out, "corpus", "manifest.tsv")):
        print("== generating %d feeds x %d items in %s" % (feeds, items, out), flush=True)
        os.makedirs(out, exist_ok=True)
        subprocess.run([sys.executable, os.path.join(HARNESS, "gen_feeds.py"), "-N", str(feeds),
                        "-M", str(items), "--text-mb", "0", "--out",
                        os.path.join(out, "corpus")], check=True, stdout=subprocess.DEVNULL)
    return out


def serve(out, action):
    env = dict(os.environ, BENCH_OUT=out, BENCH_PORT=PORT)
    subprocess.run([os.path.join(HARNESS, "serve.sh"), action], env=env, check=True,
                   stdout=subprocess.DEVNULL)


def curl_configs(out, tmp):
    """curl -K files: fetch+inflate every URL; send each URL's ETag (nginx's, of the .gz twin)."""
    rows = [l.split("\t") for l in open(os.path.join(out, "corpus", "manifest.tsv"))]
    gz, nm = [], []
    for r in rows:
        url = "http://127.0.0.1:%s/%s" % (PORT, r[0])
        st = os.stat(os.path.join(out, "corpus", r[0] + ".gz"))
        etag = '"%x-%x"' % (int(st.st_mtime), st.st_size)
        gz.append('url = "%s"\noutput = "/dev/null"\ncompressed\n' % url)
        nm.append('url = "%s"\noutput = "/dev/null"\ncompressed\nheader = "If-None-Match: %s"\n'
                  % (url, etag.replace('"', '\\"')))
    for name, secs in (("gzip", gz), ("304", nm)):
        with open(os.path.join(tmp, name + ".cfg"), "w") as f:
            f.write("next\n".join(secs))
    return len(rows)


def timeit(label, cmd, vs, runs, prep=None, prep_b=None):
    js = tempfile.mktemp(prefix="nw-scale-", suffix=".json")
    args = [sys.executable, os.path.join(HARNESS, "timeit.py"), "-n", str(runs), "--warmup", "1",
            "--label", label, "--json", js]
    if vs:
        args += ["--vs", vs]
    if prep:
        args += ["--prep", prep]
    if prep_b:
        args += ["--prep-b", prep_b]
    subprocess.run(args + ["--", cmd], check=True, stdout=subprocess.DEVNULL)
    with open(js) as f:
        res = [json.loads(l) for l in f]
    os.unlink(js)
    return res if vs else res[0]


def state_per_item(state):
    db = sqlite3.connect("file:%s/state.db?mode=ro" % state, uri=True)
    n = db.execute("SELECT count(*) FROM items").fetchone()[0]
    db.close()
    size = sum(os.path.getsize(os.path.join(state, f)) for f in ("state.db", "state.db-wal")
               if os.path.exists(os.path.join(state, f)))
    return n, size


def one_size(nw, feeds, items, runs, tmp, host_transfers):
    out = corpus(feeds, items)
    serve(out, "start")
    try:
        n = curl_configs(out, tmp)
        state = os.path.join(tmp, "state-%d" % feeds)
        os.makedirs(state, exist_ok=True)
        conf = os.path.join(tmp, "nw-%d.conf" % feeds)
        with open(conf, "w") as f:
            subprocess.run([sys.executable, os.path.join(HARNESS, "newswatch_conf.py"),
                            os.path.join(out, "urls.txt"),
                            os.path.join(out, "corpus", "rules-100.tsv"), state], stdout=f,
                           check=True)
        if host_transfers:
            with open(conf) as f:
                text = f.read().replace("max_host_transfers = 8", "max_host_transfers = %d"
                                        % host_transfers)
            with open(conf, "w") as f:
                f.write(text)
        run = "%s run --once -q --config %s" % (nw, conf)
        curl = "curl -s --parallel --parallel-max 50 -K %s/%%s.cfg" % tmp
        cold, cg = timeit("cold %d" % feeds, run, curl % "gzip", runs,
                          prep="rm -rf %s/*" % state)
        nitems, size = state_per_item(state)
        warm, c3 = timeit("warm %d" % feeds, run, curl % "304", runs)
        # The fixed cost of a run (configuration, gazetteer, rules compiled, state opened):
        # the same run with the first feed only, warm.
        with open(conf) as f:
            head, _, rest = f.read().partition("[feed ")
        one = os.path.join(tmp, "nw-one.conf")
        with open(one, "w") as f:
            f.write(head + "[feed " + rest.split("\n[feed ", 1)[0].split("\n[", 1)[0] + "\n" +
                    "\n[" + rest.split("\n[feed ")[-1].split("\n[", 1)[1])
        start = timeit("start-up", "%s run --once -q --config %s" % (nw, one), None, runs)
    finally:
        serve(out, "stop")
    return dict(feeds=n, items=items, cold=cold, curl_gzip=cg, warm=warm, curl_304=c3, start=start,
                nitems=nitems, state_bytes=size, conf=conf, state=state, out=out)


def idle(nw, r, seconds):
    """The daemon on a warm state, feeds every minute: CPU share and fds, sampled each second."""
    conf = r["conf"] + ".idle"
    with open(r["conf"]) as f:
        text = f.read().replace("interval = 1h", "interval = 1m")
    with open(conf, "w") as f:
        f.write(text)
    max_transfers = 8
    # The warm runs stored each feed's next poll an hour ahead: due now, as after a long stop.
    db = sqlite3.connect(os.path.join(r["state"], "state.db"))
    db.execute("UPDATE feeds SET next_poll = 0")
    db.commit()
    db.close()
    serve(r["out"], "start")
    env = dict(os.environ, BENCH_OUT=r["out"], BENCH_PORT=PORT)
    subprocess.run([os.path.join(HARNESS, "serve.sh"), "stats", "--reset"], env=env,
                   stdout=subprocess.DEVNULL)
    p = subprocess.Popen([nw, "run", "-q", "--config", conf], stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL)
    tick = os.sysconf("SC_CLK_TCK")

    def cpu():
        with open("/proc/%d/stat" % p.pid) as f:
            v = f.read().rsplit(")", 1)[1].split()
        return (int(v[11]) + int(v[12])) / tick

    fds = []
    try:
        time.sleep(5)			# start-up: configuration, state, first timers
        c0, t0 = cpu(), time.monotonic()
        while time.monotonic() - t0 < seconds:
            time.sleep(1)
            fds.append(len(os.listdir("/proc/%d/fd" % p.pid)))
        c1, t1 = cpu(), time.monotonic()
        time.sleep(1.5)			# the access log is flushed every second
        stats = subprocess.run([os.path.join(HARNESS, "serve.sh"), "stats"], env=env,
                               capture_output=True, text=True).stdout.strip()
    finally:
        p.terminate()
        p.wait()
        serve(r["out"], "stop")
    share = (c1 - c0) / (t1 - t0)
    base = min(fds)
    print("\nidle daemon, %d feeds, interval 1m, %.0f s: CPU %.2f%% of one core on average "
          "-> about %.3f%% at a 10-minute interval (target < 1%%)" % (r["feeds"], t1 - t0,
                                                                     100 * share, 10 * share))
    print("server, while the daemon ran (start-up included): %s" % stats)
    print("open fds: %d at the quietest, %d at most: %d above it while polling "
          "(max_transfers %d)" % (base, max(fds), max(fds) - base, max_transfers))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--newswatch", default=os.path.join(ROOT, "build", "newswatch"))
    ap.add_argument("--sizes", default="1000x50")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--idle", type=float, default=0)
    ap.add_argument("--host-transfers", type=int, default=0)
    ap.add_argument("--keep", action="store_true")
    a = ap.parse_args()
    if not os.path.isdir(HARNESS):
        print("scale.py: the shared harness is not at %s (set HARNESS)" % HARNESS, file=sys.stderr)
        return 2
    nw = os.path.abspath(a.newswatch)
    for cmd, pkg in (("nginx", "nginx-light"), ("curl", "curl"), ("/usr/bin/time", "time")):
        need(cmd, pkg)
    tmp = tempfile.mkdtemp(prefix="nw-scale.")
    try:
        res = []
        for s in a.sizes.split(","):
            feeds, items = map(int, s.split("x"))
            res.append(one_size(nw, feeds, items, a.runs, tmp, a.host_transfers))
        print("newswatch %s; curl %s; %d runs each, medians; ratios paired (A and B alternated)%s"
              % (nw, subprocess.run(["curl", "--version"], capture_output=True,
                                    text=True).stdout.split()[1], a.runs,
                 "; max_host_transfers %d" % a.host_transfers if a.host_transfers else ""))
        print("%-14s %-7s %9s %9s %9s   %-22s %9s %9s %8s" % (
            "size", "cycle", "wall s", "cpu s", "RSS MiB", "vs", "wall s", "cpu s", "ratio"))
        for r in res:
            for cyc, vs, vsname in (("cold", "curl_gzip", "curl fetch+inflate"),
                                    ("warm", "curl_304", "curl 304 round")):
                x, y = r[cyc], r[vs]
                print("%-14s %-7s %9.3f %9.3f %9.1f   %-22s %9.3f %9.3f %7.2fx" % (
                    "%dx%d" % (r["feeds"], r["items"]), cyc, x["wall"]["median"],
                    x["cpu"]["median"], x["peak_mib"]["median"], vsname, y["wall"]["median"],
                    y["cpu"]["median"], x["ratio_vs_B"]["median"]))
            st, w, c = r["start"], r["warm"], r["curl_304"]
            print("%-14s start-up alone (first feed only, warm): wall %.3f s, cpu %.3f s; warm "
                  "cycle less that: %.3f s wall = %.2fx curl's 304 round" % (
                      "", st["wall"]["median"], st["cpu"]["median"],
                      w["wall"]["median"] - st["wall"]["median"],
                      (w["wall"]["median"] - st["wall"]["median"]) / c["wall"]["median"]))
            print("%-14s state: %d items, %.1f MB, %.0f bytes per item (target <= 1024)" % (
                "", r["nitems"], r["state_bytes"] / 1e6, r["state_bytes"] / max(1, r["nitems"])))
        print("targets: cold <= 3x curl's fetch+inflate, warm <= 1.3x curl's 304 round, "
              "peak RSS <= 40 MiB at 10,000 feeds")
        if len(res) > 1:
            b = res[0]
            for r in res[1:]:
                for cyc in ("cold", "warm"):
                    pf0 = b[cyc]["wall"]["median"] / b["feeds"]
                    pf1 = r[cyc]["wall"]["median"] / r["feeds"]
                    c0 = b[cyc]["cpu"]["median"] / b["feeds"]
                    c1 = r[cyc]["cpu"]["median"] / r["feeds"]
                    print("scaling %s %d -> %d feeds: per feed wall %.3f -> %.3f ms (x%.2f), "
                          "cpu %.3f -> %.3f ms (x%.2f); 1.0 is linear" % (
                              cyc, b["feeds"], r["feeds"], 1000 * pf0, 1000 * pf1, pf1 / pf0,
                              1000 * c0, 1000 * c1, c1 / c0))
        if a.idle > 0:
            idle(nw, res[-1], a.idle)
    finally:
        if a.keep:
            print("kept %s" % tmp)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
