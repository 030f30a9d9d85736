"""Shared pieces of the integration tests: the fixture HTTP server and a scratch configuration."""
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TESTS = os.path.dirname(HERE)
FIXTURES = os.path.join(TESTS, "fixtures")
SERVER = os.path.join(TESTS, "server", "fixture_server.py")
NEWSWATCH = os.environ.get("NEWSWATCH", os.path.join(TESTS, "..", "build", "newswatch"))


class FixtureServer:
    """The fixture server on 127.0.0.1, serving the files of feeds_dir at /feeds/<name>."""

    def __init__(self, feeds_dir, lifetime=300):
        self.feeds_dir = feeds_dir
        port_file = os.path.join(feeds_dir, "..", "port")
        if os.path.exists(port_file):
            os.unlink(port_file)
        self.proc = subprocess.Popen(
            [sys.executable, SERVER, "--feeds", feeds_dir, "--port-file", port_file,
             "--lifetime", str(lifetime)],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.time() + 15
        while time.time() < deadline:
            if os.path.exists(port_file):
                with open(port_file) as f:
                    text = f.read().strip()
                if text:
                    self.port = int(text)
                    return
            if self.proc.poll() is not None:
                raise RuntimeError("fixture server died: " + self.proc.stderr.read().decode())
            time.sleep(0.02)
        self.stop()
        raise RuntimeError("fixture server did not start")

    def url(self, path):
        return "http://127.0.0.1:%d%s" % (self.port, path)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc.stderr:
            self.proc.stderr.close()


class Scratch:
    """A scratch directory with feeds/, state/ and a config made from a template."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="nwtest.")
        self.feeds = os.path.join(self.dir, "feeds")
        os.mkdir(self.feeds)
        self.conf = os.path.join(self.dir, "newswatch.conf")
        self.log = os.path.join(self.dir, "alerts.log")

    def copy_feed(self, src, name=None):
        shutil.copy(os.path.join(FIXTURES, src), os.path.join(self.feeds, name or os.path.basename(src)))

    def write_conf(self, template, **subst):
        with open(os.path.join(FIXTURES, template)) as f:
            text = f.read()
        subst.setdefault("DIR", self.dir)
        for k, v in subst.items():
            text = text.replace("@%s@" % k, str(v))
        with open(self.conf, "w") as f:
            f.write(text)

    def alerts(self):
        if not os.path.exists(self.log):
            return []
        with open(self.log, encoding="utf-8") as f:
            return f.read().splitlines()

    def cleanup(self):
        shutil.rmtree(self.dir, ignore_errors=True)


# A command put in front of the program, e.g. "valgrind --error-exitcode=1 --leak-check=full -q"
# (ctest's e2e_valgrind): split on white space.
WRAPPER = os.environ.get("NEWSWATCH_WRAPPER", "").split()


def newswatch(*args, timeout=60, env=None):
    """Runs the program (behind NEWSWATCH_WRAPPER when set); returns (exit status, stdout, stderr)."""
    if WRAPPER:
        timeout *= 10  # valgrind runs it tens of times slower
    p = subprocess.run(WRAPPER + [NEWSWATCH] + list(args), capture_output=True, text=True,
                       timeout=timeout, env=env)
    return p.returncode, p.stdout, p.stderr
