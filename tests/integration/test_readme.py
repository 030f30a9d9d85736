"""README's examples are real output: the configuration block of "Configuration" run over the
story of tests/fixtures/readme_item.xml gives, to the byte but for the time, the text line and the
JSON record that "The alert log" shows."""
import os
import re
import shutil
import subprocess
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
README = os.path.join(ROOT, "README.md")
ITEM = os.path.join(ROOT, "tests", "fixtures", "readme_item.xml")
NEWSWATCH = os.environ.get("NEWSWATCH", os.path.join(ROOT, "build", "newswatch"))
TIME = re.compile(r'\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ')


def blocks(text):
    """The fenced blocks of README: [(language, body)]."""
    return re.findall(r"^```(\w*)\n(.*?)^```", text, re.M | re.S)


class Readme(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        with open(README, encoding="utf-8") as f:
            cls.blocks = blocks(f.read())
        cls.dir = tempfile.mkdtemp(prefix="nwreadme.")
        conf = next(body for lang, body in cls.blocks if lang == "ini" and "[rule " in body)
        # Paths of the example point at the user's home: keep the test in its own directory.
        conf = re.sub(r"(?m)^state_dir = .*$", "state_dir = %s/state" % cls.dir, conf)
        conf = re.sub(r"(?m)^alert_log = .*$", "alert_log = %s/alerts.log" % cls.dir, conf)
        cls.conf = os.path.join(cls.dir, "newswatch.conf")
        with open(cls.conf, "w", encoding="utf-8") as f:
            f.write(conf)
        # The log's examples: the unlabelled blocks of "The alert log".
        cls.examples = [body.strip() for lang, body in cls.blocks
                        if lang == "" and "hezbollah-in-syria" in body]

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir, ignore_errors=True)

    def match(self, *args):
        p = subprocess.run([NEWSWATCH, "match", "--config", self.conf, "--feed", "aljazeera"] +
                           list(args) + [ITEM], capture_output=True, text=True, timeout=30)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(p.stderr, "", "the README's configuration draws warnings")
        return p.stdout.strip()

    def example(self, starts):
        got = [e for e in self.examples if e.startswith(starts)]
        self.assertEqual(len(got), 1, self.examples)
        return got[0]

    def test_text_line__is_what_newswatch_writes(self):
        want = self.example("2024-")
        self.assertEqual(TIME.sub("T", self.match(), 1), TIME.sub("T", want, 1))

    def test_json_record__is_what_newswatch_writes(self):
        want = self.example("{")
        self.assertEqual(TIME.sub("T", self.match("--json"), 1), TIME.sub("T", want, 1))


if __name__ == "__main__":
    unittest.main(verbosity=2)
