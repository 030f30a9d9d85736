"""The configuration as the real program meets it: a first run with no configuration file.

Run with: python3 test_conf_cli.py
"""
import os
import shutil
import subprocess
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
NEWSWATCH = os.environ.get("NEWSWATCH", os.path.join(ROOT, "build", "newswatch"))


class MissingConfig(unittest.TestCase):
    def setUp(self):
        self.home = tempfile.mkdtemp(prefix="nw-conf-cli.")
        self.addCleanup(shutil.rmtree, self.home)

    def newswatch(self, *args, **env):
        e = dict(os.environ, HOME=self.home, XDG_STATE_HOME=os.path.join(self.home, "state"))
        e.pop("XDG_CONFIG_HOME", None)
        e.update(env)
        return subprocess.run([NEWSWATCH] + list(args), env=e, cwd=self.home, timeout=60,
                              stdin=subprocess.DEVNULL, capture_output=True, text=True)

    def test_run_without_config__says_where_it_looked_and_how_to_start_exit_1(self):
        path = os.path.join(self.home, "cfg", "newswatch", "newswatch.conf")
        p = self.newswatch("run", "--once", XDG_CONFIG_HOME=os.path.join(self.home, "cfg"))
        self.assertEqual(p.returncode, 1, p.stderr)
        self.assertIn(path + ": no configuration file (looked there because XDG_CONFIG_HOME is "
                      + os.path.join(self.home, "cfg") + ")", p.stderr)
        self.assertIn("to start, copy ", p.stderr)
        self.assertIn("mkdir -p " + os.path.dirname(path), p.stderr)
        self.assertIn("or pass --config FILE", p.stderr)
        self.assertFalse(os.path.exists(os.path.join(self.home, "state")), "run created state")

    def test_check_without_config__home_default_named_exit_1(self):
        path = os.path.join(self.home, ".config", "newswatch", "newswatch.conf")
        p = self.newswatch("check")
        self.assertEqual(p.returncode, 1, p.stderr)
        self.assertIn(path + ": no configuration file (looked there because XDG_CONFIG_HOME "
                      "is unset: ~/.config)", p.stderr)
        self.assertNotIn("not valid", p.stderr)
        self.assertEqual(p.stdout, "")


if __name__ == "__main__":
    unittest.main()
