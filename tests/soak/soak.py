#!/usr/bin/env python3
"""Fault soak: the daemon polls a few hundred feeds for a few minutes while a fraction misbehave.

Feeds (NW_SOAK_FEEDS, default 300), each with an interval of 1-3 s:
  healthy  60%  valid RSS on 3 fixture servers (127.0.0.1); every ~20 s each gets a new item that
                matches the rule. These are the ones checked for schedule and alerts.
  flaky    15%  a file the driver rewrites at random every few seconds: valid, garbage bytes,
                truncated, billion laughs, JSON, an HTML page, a body over max_feed_size.
  broken   25%  misbehaviour endpoints: 500, 503 + Retry-After, hang after headers, slow
                headers, drip, reset mid-body, huge body, gzip bomb, redirect loop, redirect to
                file://, HTML. Flaky and broken feeds live on a fourth server, reached as
                "localhost", so their stuck transfers count against another host's limit.
The run lasts NW_SOAK_SECONDS (default 150). Then every server stops, and the checks are:
  - the daemon is alive;
  - its RSS (VmRSS, sampled every second) stayed under NW_SOAK_RSS_MB (default 80; about 20 seen);
  - its open file descriptors come back to the count it had before the first poll;
  - every healthy feed was polled on schedule: first within 10 s, then no gap longer than
    1.1 x interval + 2 s (the daemon spreads intervals by +-10%; 2 s for queueing), up to the end;
  - every item added to a healthy feed is in the alert log, exactly once.
It prints the figures: feeds, polls, peak RSS, fds, alerts. Exit 77 (skipped) unless NW_SOAK=1:
it is long, so ctest runs it only where asked (label soak; CI's soak gate sets NW_SOAK=1).
"""
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from email.utils import formatdate

HERE = os.path.dirname(os.path.abspath(__file__))
TESTS = os.path.dirname(HERE)
SERVER = os.path.join(TESTS, "server", "fixture_server.py")
NEWSWATCH = os.environ.get("NEWSWATCH", os.path.join(TESTS, "..", "build", "newswatch"))

NFEEDS = int(os.environ.get("NW_SOAK_FEEDS", "300"))
SECONDS = int(os.environ.get("NW_SOAK_SECONDS", "150"))
RSS_MB = int(os.environ.get("NW_SOAK_RSS_MB", "80"))
SEED = int(os.environ.get("NW_SOAK_SEED", str(int(time.time()))))
HEALTHY_SERVERS = 3
NEW_ITEM_EVERY = 20      # seconds between new items of one healthy feed (spread at random)
QUIET_END = 15           # no new items in the last seconds: every feed polls them before the end
FD_WAIT = 30             # seconds to wait, after the servers stop, for fds to come back

BROKEN = [
    "/status/500", "/status/503?retry_after=3", "/hang-after-headers?s=6", "/slow-headers?s=6",
    "/drip?n=40&ms=200", "/reset", "/big?mb=6", "/big?mb=6&chunked=1", "/bomb?mb=64",
    "/redirect-loop", "/redirect-file", "/html", "/status/404", "/redirect/3?to=/status/500",
]

LINE = re.compile(r"^\S+ (low|normal|critical) (\S+) \[(\S+)\] (.*)$")


def rss_doc(name, items):
    parts = ["<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\"><channel>"
             "<title>%s</title><link>http://soak.example/%s</link>" % (name, name)]
    for guid, title, t in items:
        parts.append("<item><title>%s</title><link>http://soak.example/%s</link><guid>%s</guid>"
                     "<pubDate>%s</pubDate><description>Report from the soak test.</description>"
                     "</item>" % (title, guid, guid, formatdate(t, usegmt=True)))
    parts.append("</channel></rss>\n")
    return "".join(parts)


def write_atomic(path, data):
    tmp = path + ".tmp"
    with open(tmp, "wb" if isinstance(data, bytes) else "w") as f:
        f.write(data)
    os.replace(tmp, path)


def flaky_body(rng, name):
    kind = rng.randrange(7)
    if kind == 0:
        return rss_doc(name, [("%s-x%d" % (name, rng.randrange(1000)), "Nothing to see", time.time())])
    if kind == 1:
        return bytes(rng.randrange(256) for _ in range(rng.randrange(1, 4096)))
    if kind == 2:
        doc = rss_doc(name, [("%s-t" % name, "Truncated", time.time())])
        return doc[:rng.randrange(1, len(doc))]
    if kind == 3:
        ents = ['<!ENTITY a0 "lol">'] + ['<!ENTITY a%d "%s">' % (i, ("&a%d;" % (i - 1)) * 10)
                                         for i in range(1, 10)]
        return ("<?xml version=\"1.0\"?><!DOCTYPE rss [%s]><rss version=\"2.0\"><channel>"
                "<title>&a9;</title><item><title>&a9;</title></item></channel></rss>"
                % "".join(ents))
    if kind == 4:
        return '{"not": "a feed"}\n'
    if kind == 5:
        return "<!DOCTYPE html><html><body><p>Not a feed</p></body></html>\n"
    return "<rss version=\"2.0\"><channel><title>" + "x" * (3 << 20) + "</title></channel></rss>"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A fixture server on a port chosen now and bound by start(): the daemon runs a moment with
    no server at all first, which is when its base fd count is taken."""

    def __init__(self, feeds_dir, tag):
        self.feeds_dir = feeds_dir
        self.port_file = os.path.join(os.path.dirname(feeds_dir), "port-" + tag)
        self.port = free_port()
        self.proc = None

    def start(self):
        self.proc = subprocess.Popen([sys.executable, SERVER, "--feeds", self.feeds_dir,
                                      "--port", str(self.port), "--port-file", self.port_file,
                                      "--lifetime", str(SECONDS + 300)],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 15
        while time.time() < deadline:
            if os.path.exists(self.port_file):
                return
            if self.proc.poll() is not None:
                break
            time.sleep(0.02)
        raise RuntimeError("fixture server did not start on port %d" % self.port)

    def log(self):
        with urllib.request.urlopen("http://127.0.0.1:%d/control/log" % self.port, timeout=30) as r:
            return [json.loads(l) for l in r.read().decode().splitlines() if l]

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def proc_rss_kb(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def cpu_seconds(pid):
    """User + system CPU time of a process so far."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def fd_targets(pid):
    """What each fd points at, TCP sockets named so, for a failure message."""
    out = []
    for fd in sorted(os.listdir("/proc/%d/fd" % pid), key=int):
        try:
            out.append("%s:%s" % (fd, os.readlink("/proc/%d/fd/%s" % (pid, fd))))
        except OSError:
            pass
    return out


def proc_fds(pid):
    """(all fds, TCP sockets among them)."""
    tcp_inodes = set()
    for table in ("/proc/%d/net/tcp" % pid, "/proc/%d/net/tcp6" % pid):
        try:
            with open(table) as f:
                next(f)
                for line in f:
                    tcp_inodes.add(line.split()[9])
        except OSError:
            pass
    n = tcp = 0
    for fd in os.listdir("/proc/%d/fd" % pid):
        try:
            target = os.readlink("/proc/%d/fd/%s" % (pid, fd))
        except OSError:
            continue
        n += 1
        if target.startswith("socket:[") and target[8:-1] in tcp_inodes:
            tcp += 1
    return n, tcp


def main():
    if os.environ.get("NW_SOAK") != "1":
        print("soak: set NW_SOAK=1 to run it (ctest -L soak does in CI)")
        return 77
    rng = random.Random(SEED)
    scratch = tempfile.mkdtemp(prefix="nwsoak.")
    feeds_dir = os.path.join(scratch, "feeds")
    os.mkdir(feeds_dir)
    servers = []
    try:
        return run(rng, scratch, feeds_dir, servers)
    finally:
        for s in servers:
            s.stop()
        shutil.rmtree(scratch, ignore_errors=True)


def run(rng, scratch, feeds_dir, servers):
    nhealthy = NFEEDS * 60 // 100
    nflaky = NFEEDS * 15 // 100
    nbroken = NFEEDS - nhealthy - nflaky
    start = time.time()
    healthy = {}    # name -> dict(server, interval, items, next_new)
    flaky = []
    for i in range(HEALTHY_SERVERS):
        servers.append(Server(feeds_dir, "h%d" % i))
    bad = Server(feeds_dir, "bad")
    servers.append(bad)

    conf = ["[newswatch]", "state_dir = %s/state" % scratch, "alert_log = %s/alerts.log" % scratch,
            "notify = no", "interval = 2", "first_poll = silent", "timeout = 4",
            "max_feed_size = 2M", "max_transfers = 96", "max_host_transfers = 48", "",
            "[actor Hezbollah]", "[place Homs]",
            "[rule soak]", "actors = Hezbollah", "places = Homs", ""]
    for i in range(nhealthy):
        name = "h%03d" % i
        items = [("%s-0-%d" % (name, k), "Old report %d from %s" % (k, name), start - 3600)
                 for k in range(3)]
        write_atomic(os.path.join(feeds_dir, name + ".xml"), rss_doc(name, items))
        srv = servers[i % HEALTHY_SERVERS]
        interval = rng.choice((1, 2, 3))
        healthy[name] = {"server": srv, "interval": interval, "items": items, "added": [],
                         "next_new": start + 10 + rng.uniform(0, NEW_ITEM_EVERY)}
        conf += ["[feed %s]" % name, "url = http://127.0.0.1:%d/feeds/%s.xml?max_age=0"
                 % (srv.port, name), "interval = %d" % interval, ""]
    for i in range(nflaky):
        name = "f%03d" % i
        write_atomic(os.path.join(feeds_dir, name + ".xml"), flaky_body(rng, name))
        flaky.append(name)
        conf += ["[feed %s]" % name, "url = http://localhost:%d/feeds/%s.xml?max_age=0"
                 % (bad.port, name), "interval = %d" % rng.choice((1, 2, 3)), ""]
    for i in range(nbroken):
        path = BROKEN[i % len(BROKEN)]
        conf += ["[feed b%03d]" % i, "url = http://localhost:%d%s" % (bad.port, path),
                 "interval = %d" % rng.choice((1, 2, 3)), ""]
    conf_path = os.path.join(scratch, "newswatch.conf")
    with open(conf_path, "w") as f:
        f.write("\n".join(conf))

    errlog = open(os.path.join(scratch, "daemon.err"), "w")
    daemon = subprocess.Popen([NEWSWATCH, "run", "--config", conf_path], stdout=subprocess.DEVNULL,
                              stderr=errlog)
    t0 = time.time()
    try:
        # The base fd count: with no server up, every poll is refused at once, so the fewest
        # fds seen over a second and a half is the daemon at rest (loop, database, pipes).
        base_fds = None
        base_list = []
        deadline = time.time() + 10
        while time.time() < deadline and "polling" not in open(errlog.name).read():
            time.sleep(0.02)  # "newswatch: polling N feeds ...": set up, loop running
        deadline = time.time() + 1.5
        while time.time() < deadline:
            n, tcp = proc_fds(daemon.pid)
            if tcp == 0 and (base_fds is None or n < base_fds):
                base_fds, base_list = n, fd_targets(daemon.pid)
            time.sleep(0.01)
        for srv in servers:
            srv.start()
        peak_kb = 0
        max_fds = 0
        samples = 0
        next_sample = time.time()
        next_flaky = time.time()
        end = t0 + SECONDS
        while time.time() < end:
            now = time.time()
            if daemon.poll() is not None:
                raise AssertionError("newswatch died (exit %s) after %.0f s"
                                     % (daemon.returncode, now - t0))
            if now >= next_sample:
                peak_kb = max(peak_kb, proc_rss_kb(daemon.pid))
                max_fds = max(max_fds, proc_fds(daemon.pid)[0])
                samples += 1
                next_sample += 1
            if now < end - QUIET_END:
                for name, h in healthy.items():
                    if now >= h["next_new"]:
                        k = len(h["added"]) + 1
                        item = ("%s-n%d" % (name, k),
                                "Hezbollah fighters reported near Homs, %s report %d" % (name, k),
                                now)
                        h["added"].append(item)
                        h["items"] = (h["items"] + [item])[-8:]
                        write_atomic(os.path.join(feeds_dir, name + ".xml"),
                                     rss_doc(name, h["items"]))
                        h["next_new"] = now + rng.uniform(0.5, 1.5) * NEW_ITEM_EVERY
            if now >= next_flaky:
                name = rng.choice(flaky)
                write_atomic(os.path.join(feeds_dir, name + ".xml"), flaky_body(rng, name))
                next_flaky = now + 0.2
            time.sleep(0.05)
        t_end = time.time()
        alive = daemon.poll() is None

        # Schedules come from the healthy servers' request logs.
        polls = {}
        for srv in servers[:HEALTHY_SERVERS]:
            for e in srv.log():
                name = e["path"].split("/")[-1].split(".")[0]
                polls.setdefault(name, []).append(e["t_start"])
        bad_polls = len(bad.log())
        # Is the Python server the bottleneck? Its CPU share over the run says.
        cpu = [cpu_seconds(srv.proc.pid) / (t_end - t0) * 100 for srv in servers]
        for s in servers:
            s.stop()

        # Idle now (every server gone, feeds back off): wait for the fds to come back.
        fds_end = None
        deadline = time.time() + FD_WAIT
        # The alert log is opened at the first alert and kept open: not a leak.
        log_path = os.path.join(scratch, "alerts.log")
        while time.time() < deadline and daemon.poll() is None:
            n, _ = proc_fds(daemon.pid)
            n -= sum(1 for t in fd_targets(daemon.pid) if t.endswith(":" + log_path))
            fds_end = n if fds_end is None else min(fds_end, n)
            if base_fds is not None and n <= base_fds:
                break
            time.sleep(0.1)
        end_list = fd_targets(daemon.pid) if daemon.poll() is None else []
    finally:
        if daemon.poll() is None:
            daemon.send_signal(signal.SIGTERM)
            try:
                daemon.wait(30)
            except subprocess.TimeoutExpired:
                daemon.kill()
                daemon.wait()
        errlog.close()

    # Alerts: "[feed] title link (...)" lines.
    alerts = {}
    if os.path.exists(log_path):
        with open(log_path, encoding="utf-8") as f:
            for line in f:
                m = LINE.match(line.rstrip("\n"))
                if m:
                    title = m.group(4).split(" http://")[0]
                    key = (m.group(3), title)
                    alerts[key] = alerts.get(key, 0) + 1

    problems = []
    if not alive:
        problems.append("newswatch was not alive at the end")
    if peak_kb > RSS_MB * 1024:
        problems.append("peak RSS %d MB over the bound %d MB" % (peak_kb // 1024, RSS_MB))
    if base_fds is None:
        problems.append("no fd count before the first poll")
    elif fds_end is None or fds_end > base_fds:
        problems.append("fds did not come back: %s at the end, %d at the start (%s then %s)"
                        % (fds_end, base_fds, " ".join(base_list), " ".join(end_list)))
    late = []
    for name, h in sorted(healthy.items()):
        ts = sorted(polls.get(name, []))
        limit = 1.1 * h["interval"] + 2
        if not ts or ts[0] - t0 > 10:
            late.append("%s: first poll %s" % (name, "never" if not ts else
                                                 "after %.1f s" % (ts[0] - t0)))
            continue
        gaps = [b - a for a, b in zip(ts, ts[1:])] + [t_end - ts[-1]]
        worst = max(gaps)
        if worst > limit:
            late.append("%s (every %d s): a gap of %.1f s" % (name, h["interval"], worst))
    if late:
        problems.append("%d healthy feeds off schedule: %s" % (len(late), "; ".join(late[:10])))
    want = [(name, t) for name, h in healthy.items() for _, t, _ in h["added"]]
    missing = [w for w in want if w not in alerts]
    dup = [w for w in want if alerts.get(w, 0) > 1]
    if missing:
        problems.append("%d of %d alerts missing, e.g. %s" % (len(missing), len(want), missing[:5]))
    if dup:
        problems.append("%d alerts logged more than once, e.g. %s" % (len(dup), dup[:5]))
    stray = [k for k in alerts if k[0] not in healthy]
    nhealthy_polls = sum(len(v) for v in polls.values())

    print("soak: %d feeds (%d healthy, %d flaky, %d broken) for %d s, seed %d"
          % (NFEEDS, len(healthy), len(flaky), NFEEDS - len(healthy) - len(flaky), SECONDS, SEED))
    print("soak: polls: %d of healthy feeds (%.0f/s), %d of flaky and broken ones"
          % (nhealthy_polls, nhealthy_polls / max(1, t_end - t0), bad_polls))
    print("soak: fixture servers' CPU: %s (healthy), %.0f%% (misbehaving)"
          % (", ".join("%.0f%%" % c for c in cpu[:HEALTHY_SERVERS]), cpu[-1]))
    print("soak: peak RSS %.1f MB (bound %d MB) over %d samples"
          % (peak_kb / 1024, RSS_MB, samples))
    print("soak: fds: %s at rest before the servers started, %d at most, %s once idle at the end"
          " (the alert log not counted)"
          % (base_fds, max_fds, fds_end))
    print("soak: alerts: %d expected from healthy feeds, %d logged, %d missing, %d duplicated, "
          "%d from other feeds" % (len(want), sum(alerts.values()), len(missing), len(dup),
                                   len(stray)))
    print("soak: healthy feeds off schedule: %d" % len(late))
    if problems:
        for p in problems:
            print("soak: FAILED: " + p)
        with open(os.path.join(scratch, "daemon.err")) as f:
            tail = f.read().splitlines()[-30:]
        print("soak: last lines of the daemon's stderr:\n  " + "\n  ".join(tail))
        return 1
    print("soak: passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
