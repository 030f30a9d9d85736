#!/usr/bin/env python3
"""receiver.py: a local HTTP/1.1 server that receives what newswatch's push targets send, for tests.

It plays a webhook receiver, ntfy (POST / with a JSON body naming the topic), Slack's incoming
webhooks and a Matrix homeserver (PUT /_matrix/client/v3/rooms/ROOM/send/m.room.message/TXN,
answering {"event_id": ...}). Every request is recorded; what the server does is scripted per
path prefix, so a test can make it fail the way real services fail.

Standard library only. It binds 127.0.0.1 on a free port and writes it to --port-file
(atomically). It stops by itself after --lifetime seconds, on SIGTERM, or when its parent goes.

Control (never recorded):
  POST /_control/script   {"prefix": P, "steps": [...], "then": S}: requests whose path starts
                          with P take the steps in order, then S (default "ok") for good.
                          A step: "ok", "<code>" (that status), "429:<n>" / "503:<n>" (that
                          status with Retry-After: n), "hang" (read the request, answer nothing
                          for 600 s), "reset" (read the request, then a TCP reset).
  GET  /_control/requests JSON list: t (arrival), method, path, headers (lower-case names), body
                          (text), answer (what the script did).
  POST /_control/clear    forgets the requests.
"""

import argparse
import json
import os
import signal
import socket
import struct
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOCK = threading.Lock()
REQUESTS = []
SCRIPTS = {}        # prefix -> {"steps": [...], "then": str}
MAX_BODY = 4 * 1024 * 1024


def next_step(path):
    with LOCK:
        best = None
        for prefix in SCRIPTS:
            if path.startswith(prefix) and (best is None or len(prefix) > len(best)):
                best = prefix
        if best is None:
            return "ok"
        s = SCRIPTS[best]
        if s["steps"]:
            return s["steps"].pop(0)
        return s["then"]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def read_body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(min(n, MAX_BODY)) if n > 0 else b""

    def answer(self, code, body=b"{}", headers=()):
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def control(self, body):
        if self.path == "/_control/requests":
            with LOCK:
                data = json.dumps(REQUESTS).encode()
            return self.answer(200, data)
        if self.path == "/_control/clear":
            with LOCK:
                REQUESTS.clear()
            return self.answer(200)
        if self.path == "/_control/script":
            spec = json.loads(body)
            with LOCK:
                SCRIPTS[spec["prefix"]] = {"steps": list(spec.get("steps", [])),
                                           "then": spec.get("then", "ok")}
            return self.answer(200)
        return self.answer(404)

    def handle_any(self):
        body = self.read_body()
        if self.path.startswith("/_control/"):
            return self.control(body)
        step = next_step(self.path)
        with LOCK:
            REQUESTS.append({"t": time.time(), "method": self.command, "path": self.path,
                             "headers": {k.lower(): v for k, v in self.headers.items()},
                             "body": body.decode("utf-8", "replace"), "answer": step})
        if step == "hang":
            time.sleep(600)
            self.close_connection = True
            return
        if step == "reset":
            # SO_LINGER 0: close() sends a RST instead of a FIN.
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                       struct.pack("ii", 1, 0))
            self.connection.close()
            self.close_connection = True
            return
        if step == "ok":
            if "/_matrix/client/" in self.path:
                if not self.headers.get("Authorization", "").startswith("Bearer "):
                    return self.answer(401, b'{"errcode":"M_MISSING_TOKEN"}')
                txn = self.path.rsplit("/", 1)[-1]
                return self.answer(200, json.dumps({"event_id": "$" + txn}).encode())
            if self.path.startswith("/slack"):
                return self.answer(200, b"ok")
            return self.answer(200)
        code, _, after = step.partition(":")
        headers = [("Retry-After", after)] if after else []
        return self.answer(int(code), b'{"error":"scripted"}', headers)

    do_GET = do_POST = do_PUT = handle_any


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--lifetime", type=float, default=600)
    args = ap.parse_args()
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    tmp = args.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write(str(srv.server_address[1]))
    os.replace(tmp, args.port_file)
    parent = os.getppid()
    deadline = time.time() + args.lifetime

    def watchdog():
        while time.time() < deadline and os.getppid() == parent:
            time.sleep(0.5)
        srv.shutdown()

    signal.signal(signal.SIGTERM, lambda *a: threading.Thread(target=srv.shutdown).start())
    threading.Thread(target=watchdog, daemon=True).start()
    srv.serve_forever(poll_interval=0.2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
