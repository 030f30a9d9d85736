#!/usr/bin/env python3
"""fixture_server.py: a local HTTP/1.1 server of fixture feeds and misbehaving endpoints for tests.

Standard library only. It binds 127.0.0.1 on a free port and announces it (stdout, or --port-file
written atomically), so tests can run in parallel. It stops by itself after --lifetime seconds, on
SIGTERM/SIGINT, or when its parent process goes away.

Feeds: GET /feeds/<name> serves <feeds-dir>/<name>, read from disk on every request, so a test
changes a feed by rewriting the file. Responses carry a strong ETag (content hash) and
Last-Modified (file mtime) and honour If-None-Match / If-Modified-Since with 304. gzip and deflate
are applied when the client accepts them (br is not: the stdlib has no brotli encoder).

Misbehaviour endpoints (all bounded in size and time):
  /feeds/<name>[?max_age=N]    a feed file (Cache-Control: max-age=N, default 300; 0: none)
  /status/<code>[?retry_after=N|retry_after_date=N&max_age=N]
                               that status; Retry-After as seconds or as an HTTP-date N s ahead
  /redirect/<n>?to=<path>[&code=302]  a chain of n redirects ending at <path>
  /permanent/<code>?to=<path>  one redirect with that code (301, 308, ...)
  /redirect-loop               redirects to itself
  /redirect-file               Location: file:///etc/passwd
  /hang-after-headers[?s=N]    headers, then nothing for N s (default 30)
                               (these three take type=html: served as text/html, a slow or
                               huge web page)
  /slow-headers[?s=N]          nothing for N s (default 5), then a normal response
  /drip[?n=N&ms=M]             N bytes (default 60), one every M ms (default 1000)
  /big?mb=N[&chunked=1]        N MiB body, declared by Content-Length unless chunked
  /bomb[?mb=N]                 gzip of N MiB of zeros (default 256), small on the wire
  /html                        an HTML page
  /reset                       half a body, then a TCP reset
  /delay?ms=N                  waits N ms, then a small 200 (for concurrency tests)
Control (not logged):
  /control/log                 JSON lines: t_start, t_end, method, path, host, client_port,
                               if_none_match, if_modified_since, accept_encoding, user_agent,
                               status, encoding
  /control/stats[?path=P]      JSON: requests, max_inflight overall and per Host header, among
                               logged requests whose path starts with P
  /control/reset               clears the log and the stats
"""

import argparse
import email.utils
import gzip
import hashlib
import json
import os
import signal
import socket
import struct
import sys
import threading
import time
import urllib.parse
import zlib
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOG_MAX = 10000          # request log entries kept
MAX_CONNECTIONS = 128    # handler threads at once; more are refused
MAX_BIG_MB = 256
MAX_BOMB_MB = 1024
MAX_SLEEP_S = 120

CONTENT_TYPES = {
    ".rss": "application/rss+xml",
    ".atom": "application/atom+xml",
    ".xml": "application/xml",
    ".html": "text/html; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".json": "application/json",
}

HTML_PAGE = (b"<!DOCTYPE html>\n<html><head><title>Not a feed</title></head>\n"
             b"<body><h1>This is a web page</h1><p>Feeds live elsewhere.</p></body></html>\n")


class State:
    """Shared between handler threads: the request log and the bomb cache."""

    def __init__(self, feeds_dir):
        self.feeds_dir = feeds_dir
        self.lock = threading.Lock()
        self.log = deque(maxlen=LOG_MAX)
        self.bombs = {}
        self.stop = threading.Event()
        self.slots = threading.BoundedSemaphore(MAX_CONNECTIONS)

    def add(self, entry):
        with self.lock:
            self.log.append(entry)

    def reset(self):
        with self.lock:
            self.log.clear()

    def stats(self, prefix):
        """Most requests in flight at once (overall and per Host) among logged requests whose
        path starts with prefix. A request is in flight from its arrival until the server starts
        its reply, so a client reusing the connection right after cannot look like an overlap."""
        with self.lock:
            entries = [e for e in self.log if e["path"].startswith(prefix)]
        def max_overlap(es):
            events = []
            for e in es:
                events.append((e["t_start"], 1))
                events.append((e["t_reply"], -1))
            events.sort()  # at equal times an end (-1) sorts before a start
            cur = best = 0
            for _, d in events:
                cur += d
                best = max(best, cur)
            return best
        hosts = sorted({e["host"] for e in entries})
        return {"requests": len(entries), "max_inflight": max_overlap(entries),
                "max_inflight_host": {h: max_overlap([e for e in entries if e["host"] == h])
                                      for h in hosts}}

    def bomb(self, mb):
        """gzip of mb MiB of zeros, built once per size from a stream of zeros (never held whole)."""
        with self.lock:
            if mb in self.bombs:
                return self.bombs[mb]
            co = zlib.compressobj(9, zlib.DEFLATED, 31)  # 31: gzip wrapper
            zeros = bytes(1 << 20)
            parts = [co.compress(zeros) for _ in range(mb)]
            parts.append(co.flush())
            body = b"".join(parts)
            self.bombs[mb] = body
            return body


def ctype(query):
    """The Content-Type of /hang-after-headers, /drip and /big: a feed's, or with type=html a web
    page's."""
    return "text/html; charset=utf-8" if query.get("type", [""])[0] == "html" else "application/rss+xml"


def http_date(t):
    return email.utils.formatdate(t, usegmt=True)


def qint(query, name, default, lo, hi):
    """An integer query parameter, clamped to [lo, hi] so no request is unbounded."""
    try:
        v = int(query.get(name, [str(default)])[0])
    except ValueError:
        v = default
    return max(lo, min(hi, v))


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "fixture/1"
    sys_version = ""
    timeout = 30  # idle keep-alive connections are closed after this

    # -- plumbing -------------------------------------------------------------------------------

    def version_string(self):
        return self.server_version

    def log_message(self, fmt, *args):
        if self.server.verbose:
            sys.stderr.write("fixture: " + (fmt % args) + "\n")

    def setup(self):
        super().setup()
        self.state = self.server.state

    def handle(self):
        if not self.state.slots.acquire(blocking=False):
            self.close_connection = True
            return
        try:
            super().handle()
        except (ConnectionError, TimeoutError):
            pass  # the client went away: normal for the misbehaviour tests
        finally:
            self.state.slots.release()

    def sleep(self, seconds):
        """Sleeps, but wakes at shutdown; False when stopping."""
        return not self.state.stop.wait(seconds)

    def start_reply(self, status):
        """Marks the reply as started and logs the request now, before the client can see the
        response: a test that reads /control/log right after its transfer then finds it."""
        self.status = status
        e = self.entry
        if e and e["t_reply"] is None:
            e["status"] = status
            e["encoding"] = self.encoding
            e["t_reply"] = time.time()
            self.state.add(e)

    def reply(self, status, body=b"", ctype="text/plain; charset=utf-8", headers=None):
        self.start_reply(status)
        self.send_response(status)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        if status in (204, 304) or 100 <= status < 200:
            self.end_headers()
            return
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    # -- dispatch -------------------------------------------------------------------------------

    def do_HEAD(self):
        self.do_GET()

    def do_POST(self):
        n = int(self.headers.get("Content-Length", "0") or 0)
        if n > 1 << 20:
            self.close_connection = True
            self.reply(413, b"too large\n")
            return
        self.rfile.read(n)
        self.do_GET()

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        path = url.path
        query = urllib.parse.parse_qs(url.query)
        self.entry = {}
        if path.startswith("/control/"):
            self.control(path, query)
            return
        host = self.headers.get("Host", "")
        self.status = 0
        self.encoding = None
        entry = {
            "t_start": time.time(),
            "method": self.command,
            "path": self.path,
            "host": host,
            "client_port": self.client_address[1],
            "if_none_match": self.headers.get("If-None-Match"),
            "if_modified_since": self.headers.get("If-Modified-Since"),
            "accept_encoding": self.headers.get("Accept-Encoding"),
            "accept": self.headers.get("Accept"),
            "user_agent": self.headers.get("User-Agent"),
            # Filled in later; every key exists from the start so the dict never changes size
            # while /control/log serialises it from another thread.
            "status": 0,
            "encoding": None,
            "t_reply": None,
            "t_end": None,
        }
        self.entry = entry
        try:
            self.route(path, query)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        finally:
            entry["t_end"] = time.time()
            if entry["t_reply"] is None:  # never replied: still log it
                entry["status"] = self.status
                entry["t_reply"] = entry["t_end"]
                self.state.add(entry)

    def route(self, path, query):
        parts = path.strip("/").split("/")
        head = parts[0]
        if head == "feeds" and len(parts) == 2:
            self.feed(parts[1], qint(query, "max_age", 300, 0, 10**9))
        elif head == "status" and len(parts) == 2 and parts[1].isdigit():
            self.status_code(int(parts[1]), query)
        elif head == "redirect" and len(parts) == 2 and parts[1].isdigit():
            n = min(int(parts[1]), 100)
            to = query.get("to", ["/feeds/sample.rss"])[0]
            code = qint(query, "code", 302, 300, 399)
            if n > 1:
                loc = "/redirect/%d?%s" % (n - 1, urllib.parse.urlencode({"to": to, "code": code}))
            else:
                loc = to
            self.reply(code, b"redirect\n", headers={"Location": loc})
        elif head == "permanent" and len(parts) == 2 and parts[1].isdigit():
            to = query.get("to", ["/feeds/sample.rss"])[0]
            self.reply(int(parts[1]), b"moved\n", headers={"Location": to})
        elif path == "/redirect-loop":
            self.reply(302, b"again\n", headers={"Location": "/redirect-loop"})
        elif path == "/redirect-file":
            self.reply(302, b"file\n", headers={"Location": "file:///etc/passwd"})
        elif path == "/hang-after-headers":
            self.hang_after_headers(qint(query, "s", 30, 0, MAX_SLEEP_S), ctype(query))
        elif path == "/slow-headers":
            if self.sleep(qint(query, "s", 5, 0, MAX_SLEEP_S)):
                self.reply(200, b"<rss version=\"2.0\"><channel/></rss>\n", "application/rss+xml")
        elif path == "/drip":
            self.drip(qint(query, "n", 60, 0, 10000), qint(query, "ms", 1000, 1, 10000),
                      ctype(query))
        elif path == "/big":
            self.big(qint(query, "mb", 20, 0, MAX_BIG_MB), query.get("chunked", ["0"])[0] == "1",
                     ctype(query))
        elif path == "/bomb":
            body = self.state.bomb(qint(query, "mb", 256, 1, MAX_BOMB_MB))
            self.encoding = "gzip"
            self.reply(200, body, "application/rss+xml", {"Content-Encoding": "gzip"})
        elif path == "/html":
            self.reply(200, HTML_PAGE, "text/html; charset=utf-8")
        elif path == "/reset":
            self.reset_mid_body()
        elif path == "/delay":
            if self.sleep(qint(query, "ms", 200, 0, MAX_SLEEP_S * 1000) / 1000.0):
                self.reply(200, b"<rss version=\"2.0\"><channel/></rss>\n", "application/rss+xml")
        else:
            self.reply(404, b"no such fixture\n")

    # -- endpoints ------------------------------------------------------------------------------

    def control(self, path, query):
        st = self.state
        if path == "/control/log":
            with st.lock:
                lines = [json.dumps(e) for e in st.log]
            self.reply(200, ("\n".join(lines) + ("\n" if lines else "")).encode(),
                       "application/x-ndjson")
        elif path == "/control/stats":
            body = json.dumps(st.stats(query.get("path", ["/"])[0]))
            self.reply(200, (body + "\n").encode(), "application/json")
        elif path == "/control/reset":
            st.reset()
            self.reply(200, b"ok\n")
        else:
            self.reply(404, b"no such control\n")

    def feed(self, name, max_age=300):
        if name.startswith(".") or not all(c.isalnum() or c in "._-" for c in name):
            self.reply(404, b"bad name\n")
            return
        fpath = os.path.join(self.state.feeds_dir, name)
        try:
            with open(fpath, "rb") as fp:
                body = fp.read(64 << 20)
                mtime = int(os.fstat(fp.fileno()).st_mtime)
        except OSError:
            self.reply(404, b"no such feed\n")
            return
        etag = '"%s"' % hashlib.sha256(body).hexdigest()[:20]
        validators = {"ETag": etag, "Last-Modified": http_date(mtime)}
        inm = self.headers.get("If-None-Match")
        ims = self.headers.get("If-Modified-Since")
        if inm is not None:
            tags = [t.strip() for t in inm.split(",")]
            if "*" in tags or etag in tags:
                self.reply(304, headers=validators)
                return
        elif ims is not None:
            try:
                since = email.utils.parsedate_to_datetime(ims).timestamp()
            except (TypeError, ValueError):
                since = None
            if since is not None and mtime <= since:
                self.reply(304, headers=validators)
                return
        headers = dict(validators)
        headers["Vary"] = "Accept-Encoding"
        if max_age > 0:
            headers["Cache-Control"] = "max-age=%d" % max_age
        accept = [a.split(";")[0].strip().lower()
                  for a in (self.headers.get("Accept-Encoding") or "").split(",")]
        if "gzip" in accept:
            body = gzip.compress(body, mtime=0)
            self.encoding = "gzip"
        elif "deflate" in accept:
            body = zlib.compress(body)
            self.encoding = "deflate"
        if self.encoding:
            headers["Content-Encoding"] = self.encoding
        ext = os.path.splitext(name)[1].lower()
        self.reply(200, body, CONTENT_TYPES.get(ext, "application/xml"), headers)

    def status_code(self, code, query):
        headers = {}
        if "retry_after" in query:
            headers["Retry-After"] = str(qint(query, "retry_after", 0, 0, 10**9))
        if "retry_after_date" in query:
            ahead = qint(query, "retry_after_date", 0, -10**6, 10**8)
            headers["Retry-After"] = http_date(time.time() + ahead)
        if "max_age" in query:
            headers["Cache-Control"] = "public, max-age=%d" % qint(query, "max_age", 0, 0, 10**9)
        self.reply(code, ("status %d\n" % code).encode(), headers=headers)

    def hang_after_headers(self, seconds, content_type):
        self.start_reply(200)
        self.close_connection = True
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", "1000")
        self.end_headers()
        self.wfile.flush()
        self.sleep(seconds)

    def drip(self, n, ms, content_type):
        self.start_reply(200)
        self.close_connection = True
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(n))
        self.end_headers()
        self.wfile.flush()
        for _ in range(n):
            if not self.sleep(ms / 1000.0):
                return
            self.wfile.write(b"x")
            self.wfile.flush()

    def big(self, mb, chunked, content_type):
        self.start_reply(200)
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        if chunked:
            self.send_header("Transfer-Encoding", "chunked")
        else:
            self.send_header("Content-Length", str(mb << 20))
        self.end_headers()
        block = (b"<!-- filler -->" * 70000)[:1 << 20]
        for _ in range(mb):
            if self.state.stop.is_set():
                return
            if chunked:
                self.wfile.write(b"%x\r\n" % len(block) + block + b"\r\n")
            else:
                self.wfile.write(block)
        if chunked:
            self.wfile.write(b"0\r\n\r\n")

    def reset_mid_body(self):
        self.start_reply(200)
        self.close_connection = True
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("Content-Length", "100000")
        self.end_headers()
        self.wfile.write(b"<rss version=\"2.0\"><channel>" + b" " * 5000)
        self.wfile.flush()
        time.sleep(0.05)
        # SO_LINGER with a zero timeout makes close() send RST instead of FIN.
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.connection.close()


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description="fixture HTTP server for newswatch tests")
    ap.add_argument("--feeds", default=os.path.join(here, "..", "fixtures", "fetch"),
                    help="directory served at /feeds/<name>")
    ap.add_argument("--port", type=int, default=0, help="port to bind (0: a free one)")
    ap.add_argument("--port-file", help="write the port here (atomically) instead of stdout")
    ap.add_argument("--lifetime", type=float, default=600, help="stop after this many seconds")
    ap.add_argument("--verbose", action="store_true", help="log requests to stderr")
    args = ap.parse_args()

    server = Server(("127.0.0.1", args.port), Handler)
    server.state = State(os.path.abspath(args.feeds))
    server.verbose = args.verbose
    port = server.server_address[1]

    def stop(signum, frame):
        server.state.stop.set()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)

    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1},
                              daemon=True)
    thread.start()

    if args.port_file:
        tmp = args.port_file + ".tmp"
        with open(tmp, "w") as fp:
            fp.write("%d\n" % port)
        os.replace(tmp, args.port_file)
    else:
        print(port, flush=True)

    parent = os.getppid()
    deadline = time.monotonic() + args.lifetime
    while not server.state.stop.wait(0.2):
        if time.monotonic() > deadline or os.getppid() != parent:
            server.state.stop.set()
    server.shutdown()
    server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
