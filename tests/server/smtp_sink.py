#!/usr/bin/python3
"""smtp_sink.py: a real SMTP server for tests (Debian's python3-aiosmtpd) that keeps every message.

It listens on 127.0.0.1 on a free port, writes the port to --port-file (atomically) and stores each
message it accepts as DIR/NNNN.json: {"t", "mail_from", "rcpt_tos", "data", "login"}. With
--auth USER:PASSWORD it requires that login (AUTH PLAIN or LOGIN, without TLS: tests only). With
--tls-cert and --tls-key it speaks SMTP over TLS from the first byte (smtps). Run it with
/usr/bin/python3: Debian's Python packages import only there. It stops on SIGTERM, after
--lifetime seconds, or when its parent goes.
"""
import argparse
import json
import os
import signal
import socket
import ssl
import sys
import threading
import time

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Keep:
    def __init__(self, out):
        self.out = out
        self.n = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.n += 1
            path = os.path.join(self.out, "%04d.json" % self.n)
        tmp = path + ".tmp"
        with open(tmp, "w") as f:
            json.dump({"t": time.time(), "mail_from": envelope.mail_from,
                       "rcpt_tos": envelope.rcpt_tos,
                       "data": envelope.content.decode("utf-8", "replace"),
                       "login": session.auth_data.decode()
                       if isinstance(session.auth_data, bytes) else None}, f)
        os.replace(tmp, path)
        return "250 OK"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--lifetime", type=float, default=600)
    ap.add_argument("--auth")
    ap.add_argument("--tls-cert")
    ap.add_argument("--tls-key")
    args = ap.parse_args()
    kw = {}
    if args.auth:
        user, password = args.auth.split(":", 1)

        def authenticator(server, session, envelope, mechanism, data):
            ok = (isinstance(data, LoginPassword) and data.login.decode() == user and
                  data.password.decode() == password)
            return AuthResult(success=ok, handled=False, auth_data=data.login if ok else None)

        kw = dict(authenticator=authenticator, auth_required=True, auth_require_tls=False)
    if args.tls_cert:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(args.tls_cert, args.tls_key)
        kw["ssl_context"] = ctx
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    ctl = Controller(Keep(args.out), hostname="127.0.0.1", port=port, **kw)
    ctl.start()
    tmp = args.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write(str(port))
    os.replace(tmp, args.port_file)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *a: stop.set())
    parent = os.getppid()
    deadline = time.time() + args.lifetime
    while not stop.is_set() and time.time() < deadline and os.getppid() == parent:
        stop.wait(0.5)
    ctl.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
