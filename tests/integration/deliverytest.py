"""Shared pieces of the delivery tests: a scratch directory, RSS feeds the test rewrites, the server."""
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TESTS = os.path.dirname(HERE)
SERVER = os.path.join(TESTS, "server", "fixture_server.py")
TEMPLATE = os.path.join(TESTS, "fixtures", "delivery", "newswatch.conf.in")
NEWSWATCH = os.environ.get("NEWSWATCH", os.path.join(TESTS, "..", "build", "newswatch"))


def item_xml(guid, title, link, date="Fri, 06 Dec 2030 10:00:00 GMT"):
    return ("<item><title>%s</title><link>%s</link><guid isPermaLink=\"false\">%s</guid>"
            "<pubDate>%s</pubDate><description>Report.</description></item>\n"
            % (title, link, guid, date))


class Env:
    """Scratch dir with feeds/a.xml and feeds/b.xml, the fixture server and a config."""

    def __init__(self, **conf):
        self.dir = tempfile.mkdtemp(prefix="nwdeliver.")
        self.feeds = os.path.join(self.dir, "feeds")
        os.mkdir(self.feeds)
        self.log = os.path.join(self.dir, "alerts.log")
        self.conf = os.path.join(self.dir, "newswatch.conf")
        self.items = {"a.xml": [], "b.xml": []}
        for name in self.items:
            self.write_feed(name)
        port_file = os.path.join(self.dir, "port")
        self.server = subprocess.Popen(
            [sys.executable, SERVER, "--feeds", self.feeds, "--port-file", port_file,
             "--lifetime", "600"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 15
        self.port = None
        while time.time() < deadline and self.port is None:
            text = ""
            if os.path.exists(port_file):
                with open(port_file) as f:
                    text = f.read().strip()
            if text:
                self.port = int(text)
            else:
                time.sleep(0.02)
        if self.port is None:
            self.close()
            raise RuntimeError("fixture server did not start")
        self.write_conf(**conf)

    def write_conf(self, FORMAT="text", NOTIFY="no", CAP=10, EXEC_TIMEOUT="30s", RULE_EXTRA="",
                   extra_main="", SEVERITY="critical"):
        with open(TEMPLATE) as f:
            text = f.read()
        subst = dict(PORT=self.port, DIR=self.dir, FORMAT=FORMAT, NOTIFY=NOTIFY, CAP=CAP,
                     EXEC_TIMEOUT=EXEC_TIMEOUT, RULE_EXTRA=RULE_EXTRA, SEVERITY=SEVERITY)
        for k, v in subst.items():
            text = text.replace("@%s@" % k, str(v))
        text = text.replace("[feed a]", extra_main + "\n[feed a]")
        with open(self.conf, "w") as f:
            f.write(text)

    def write_feed(self, name):
        body = ("<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel><title>%s</title>\n"
                "<link>http://news.example/</link>\n%s</channel></rss>\n"
                % (name, "".join(self.items[name])))
        tmp = os.path.join(self.feeds, "." + name + ".tmp")
        with open(tmp, "w") as f:
            f.write(body)
        os.replace(tmp, os.path.join(self.feeds, name))   # the server never sees half a file

    def add(self, name, guid, title, link, **kw):
        self.items[name].append(item_xml(guid, title, link, **kw))
        self.write_feed(name)

    def alerts(self):
        if not os.path.exists(self.log):
            return []
        with open(self.log, encoding="utf-8", errors="replace") as f:
            return f.read().splitlines()

    def run_once(self, timeout=60, env=None, preexec=None):
        p = subprocess.run([NEWSWATCH, "run", "--once", "--config", self.conf],
                           capture_output=True, text=True, timeout=timeout, env=env,
                           preexec_fn=preexec)
        return p.returncode, p.stderr

    def start(self, stderr=None, env=None, args=()):
        return subprocess.Popen([NEWSWATCH, "run", "--config", self.conf] + list(args),
                                stdout=subprocess.DEVNULL,
                                stderr=stderr if stderr is not None else subprocess.DEVNULL,
                                env=env)

    def close(self):
        if self.server.poll() is None:
            self.server.send_signal(signal.SIGTERM)
            try:
                self.server.wait(10)
            except subprocess.TimeoutExpired:
                self.server.kill()
                self.server.wait()
        shutil.rmtree(self.dir, ignore_errors=True)


def wait_for(pred, timeout):
    """Polls pred until it holds or timeout seconds pass; its last value."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        if pred():
            return True
        time.sleep(0.05)
    return pred()


def title_of(line):
    """The title of a text alert line: between '] ' and ' http'."""
    rest = line.split("] ", 1)[1]
    return rest.split(" http", 1)[0]
