"""Shared pieces of the push-target tests: the scripted HTTP receiver (tests/server/receiver.py)."""
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
RECEIVER = os.path.join(os.path.dirname(HERE), "server", "receiver.py")


def write_target_conf(env, main, **kw):
    """env's configuration with main (targets = ..., [target] sections) before its feeds, which
    are polled every second for real: no Cache-Control max-age from the fixture server."""
    env.write_conf(extra_main=main, **kw)
    with open(env.conf) as f:
        text = f.read()
    with open(env.conf, "w") as f:
        f.write(text.replace(".xml\n", ".xml?max_age=0\n"))


def add_alerting_items(env, n, start=0):
    """Adds n items to env's feed a.xml that the test rule alerts on; their titles."""
    titles = []
    for i in range(start, start + n):
        t = "Hezbollah report %d near Homs" % i
        env.add("a.xml", "g-%d" % i, t, "http://news.example/a/%d" % i)
        titles.append(t)
    return titles


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


def stop_child(p):
    """SIGTERM, then SIGKILL after 10 s; always waited for (nothing here reaps orphans)."""
    if p.poll() is None:
        p.send_signal(signal.SIGTERM)
        try:
            p.wait(10)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()


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
        stop_child(self.proc)


SMTP_SINK = os.path.join(os.path.dirname(HERE), "server", "smtp_sink.py")
SYSTEM_PYTHON = "/usr/bin/python3"


def have_aiosmtpd():
    return subprocess.run([SYSTEM_PYTHON, "-c", "import aiosmtpd"],
                          capture_output=True).returncode == 0


class SmtpSink:
    """A real SMTP server (aiosmtpd) on 127.0.0.1 keeping every message it accepts; with tls
    (a TestCerts), SMTP over TLS from the first byte (smtps)."""

    def __init__(self, auth=None, tls=None):
        self.dir = tempfile.mkdtemp(prefix="nwsmtp.")
        self.out = os.path.join(self.dir, "mail")
        os.mkdir(self.out)
        port_file = os.path.join(self.dir, "port")
        self.proc, self.port = start_child(
            [SYSTEM_PYTHON, SMTP_SINK, "--port-file", port_file, "--out", self.out] +
            (["--auth", auth] if auth else []) +
            (["--tls-cert", tls.cert, "--tls-key", tls.key] if tls else []),
            port_file, "SMTP server")

    def messages(self):
        out = []
        for name in sorted(os.listdir(self.out)):
            if name.endswith(".json"):
                with open(os.path.join(self.out, name)) as f:
                    out.append(json.load(f))
        return out

    def close(self):
        stop_child(self.proc)


class TestCerts:
    """A throwaway CA and a server certificate it signed for 127.0.0.1 and localhost, made by the
    openssl command line in a temp dir: ca (the CA's PEM, what a ca_file names), cert, key."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="nwcerts.")
        os.chmod(self.dir, 0o755)    # mosquitto reads them as its own user
        self.ca = os.path.join(self.dir, "ca.pem")
        self.cert = os.path.join(self.dir, "server.pem")
        self.key = os.path.join(self.dir, "server.key")
        ca_key = os.path.join(self.dir, "ca.key")
        csr = os.path.join(self.dir, "server.csr")
        ext = os.path.join(self.dir, "server.ext")
        with open(ext, "w") as f:
            f.write("subjectAltName = IP:127.0.0.1, DNS:localhost\n"
                    "basicConstraints = CA:FALSE\nextendedKeyUsage = serverAuth\n")
        ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        for argv in (
                ["req", "-x509"] + ec + ["-keyout", ca_key, "-out", self.ca, "-days", "2",
                                         "-subj", "/CN=newswatch test CA"],
                ["req"] + ec + ["-keyout", self.key, "-out", csr, "-subj", "/CN=127.0.0.1"],
                ["x509", "-req", "-in", csr, "-CA", self.ca, "-CAkey", ca_key,
                 "-CAcreateserial", "-out", self.cert, "-days", "2", "-extfile", ext]):
            subprocess.run(["openssl"] + argv, check=True, capture_output=True)
        os.chmod(self.key, 0o644)    # a test key, read by mosquitto's user

    def close(self):
        shutil.rmtree(self.dir, ignore_errors=True)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Broker:
    """A real MQTT broker (Debian's mosquitto) on 127.0.0.1 and a v5 subscriber to newswatch/#
    whose lines are topic|payload in hex|user properties."""

    def __init__(self, auth=None, tls=None):
        """auth "USER:PASSWORD": the broker takes only that login (the subscriber uses it).
        tls (a TestCerts): a second listener, on tls_port, speaks MQTT over TLS with that
        certificate; the subscriber stays on the plain one."""
        self.dir = tempfile.mkdtemp(prefix="nwmqtt.")
        os.chmod(self.dir, 0o755)    # started as root, mosquitto reads it as its own user
        self.port = free_port()
        self.tls_port = None
        conf = os.path.join(self.dir, "mosquitto.conf")
        login = []
        with open(conf, "w") as f:
            f.write("persistence false\nlistener %d 127.0.0.1\n" % self.port)
            if tls:
                self.tls_port = free_port()
                f.write("listener %d 127.0.0.1\ncafile %s\ncertfile %s\nkeyfile %s\n"
                        % (self.tls_port, tls.ca, tls.cert, tls.key))
            if auth:
                user, password = auth.split(":", 1)
                pwfile = os.path.join(self.dir, "passwd")
                subprocess.run(["mosquitto_passwd", "-b", "-c", pwfile, user, password],
                               check=True, capture_output=True)
                os.chmod(pwfile, 0o644)
                f.write("allow_anonymous false\npassword_file %s\n" % pwfile)
                login = ["-u", user, "-P", password]
            else:
                f.write("allow_anonymous true\n")
        os.chmod(conf, 0o644)
        self.broker = subprocess.Popen(["mosquitto", "-c", conf], stdout=subprocess.DEVNULL,
                                       stderr=subprocess.DEVNULL)
        self.out = os.path.join(self.dir, "sub.txt")
        self.sub = None
        deadline = time.time() + 15
        while time.time() < deadline:
            if self.sub is None or self.sub.poll() is not None:
                if self.sub is not None:
                    self.sub.wait()
                self.outf = open(self.out, "w")
                self.sub = subprocess.Popen(
                    ["mosquitto_sub", "-V", "mqttv5", "-q", "1", "-h", "127.0.0.1", "-p",
                     str(self.port), "-t", "newswatch/#", "-F", "%t|%x|%P"] + login,
                    stdout=self.outf, stderr=subprocess.DEVNULL)
            subprocess.run(["mosquitto_pub", "-V", "mqttv5", "-h", "127.0.0.1", "-p",
                            str(self.port), "-t", "newswatch/probe", "-m", "probe"] + login,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            if any(m[0] == "newswatch/probe" for m in self.messages()):
                return
            time.sleep(0.1)
        self.close()
        raise RuntimeError("mosquitto or its subscriber did not start")

    def url(self):
        return "mqtt://127.0.0.1:%d" % self.port

    def tls_url(self):
        return "mqtts://127.0.0.1:%d" % self.tls_port

    def messages(self):
        """(topic, payload text, user properties text) per message received, probes left out."""
        out = []
        with open(self.out, encoding="utf-8", errors="replace") as f:
            for line in f.read().splitlines():
                parts = line.split("|", 2)
                if len(parts) != 3:
                    continue
                try:
                    payload = bytes.fromhex(parts[1]).decode("utf-8", "replace")
                except ValueError:
                    continue
                out.append((parts[0], payload, parts[2]))
        return out

    def close(self):
        for p in (self.sub, self.broker):
            if p is not None:
                stop_child(p)
        self.outf.close()
