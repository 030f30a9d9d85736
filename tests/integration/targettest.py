"""Shared pieces of the push-target tests: the scripted HTTP receiver (tests/server/receiver.py)."""
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
RECEIVER = os.path.join(os.path.dirname(HERE), "server", "receiver.py")


def start_child(argv, port_file, what):
    """Starts argv, waits for it to write its port to port_file; (process, port)."""
    p = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 15
    while time.time() < deadline:
        if os.path.exists(port_file):
            with open(port_file) as f:
                text = f.read().strip()
            if text:
                return p, int(text)
        time.sleep(0.02)
    p.kill()
    p.wait()
    raise RuntimeError(what + " did not start")


class Receiver:
    """The scripted receiver on 127.0.0.1: ntfy, Slack, Matrix and plain webhooks."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="nwrecv.")
        self.proc, self.port = start_child(
            [sys.executable, RECEIVER, "--port-file", os.path.join(self.dir, "port")],
            os.path.join(self.dir, "port"), "receiver")

    def url(self, path):
        return "http://127.0.0.1:%d%s" % (self.port, path)

    def _call(self, path, data=None):
        req = urllib.request.Request(self.url(path), data=data,
                                     method="POST" if data is not None else "GET")
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.read()

    def script(self, prefix, steps, then="ok"):
        self._call("/_control/script",
                   json.dumps({"prefix": prefix, "steps": steps, "then": then}).encode())

    def requests(self, prefix=""):
        return [r for r in json.loads(self._call("/_control/requests"))
                if r["path"].startswith(prefix)]

    def delivered(self, prefix=""):
        """Requests under prefix the receiver answered with a 2xx."""
        return [r for r in self.requests(prefix) if r["answer"] == "ok"]

    def close(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


SMTP_SINK = os.path.join(os.path.dirname(HERE), "server", "smtp_sink.py")
SYSTEM_PYTHON = "/usr/bin/python3"


def have_aiosmtpd():
    return subprocess.run([SYSTEM_PYTHON, "-c", "import aiosmtpd"],
                          capture_output=True).returncode == 0


class SmtpSink:
    """A real SMTP server (aiosmtpd) on 127.0.0.1 keeping every message it accepts."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="nwsmtp.")
        self.out = os.path.join(self.dir, "mail")
        os.mkdir(self.out)
        port_file = os.path.join(self.dir, "port")
        self.proc, self.port = start_child(
            [SYSTEM_PYTHON, SMTP_SINK, "--port-file", port_file, "--out", self.out],
            port_file, "SMTP server")

    def messages(self):
        out = []
        for name in sorted(os.listdir(self.out)):
            if name.endswith(".json"):
                with open(os.path.join(self.out, name)) as f:
                    out.append(json.load(f))
        return out

    def close(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
