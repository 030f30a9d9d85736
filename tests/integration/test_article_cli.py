"""newswatch article: a page's main text from a file, standard input or a URL, and its errors.

The URLs are served by a small HTTP server in this process, which sets each Content-Type.
"""
import http.server
import json
import os
import subprocess
import tempfile
import threading
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
TESTS = os.path.dirname(HERE)
ROOT = os.path.dirname(TESTS)
DEV = os.path.join(TESTS, "fixtures", "articles-dev")
NEWSWATCH = os.environ.get("NEWSWATCH", os.path.join(ROOT, "build", "newswatch"))

PAGE = os.path.join(DEV, "dev1-classic.html")
# ISO-8859-15: 0xA4 is the euro sign, where a UTF-8 repair (windows-1252) would read U+00A4.
LATIN = ("<html><head><meta charset='utf-8'><title>t</title></head><body><div class=story>"
         "<p>The caf\u00e9 on the corner, open since 1950, sold coffee at 2 \u20ac a cup, "
         "its owner said.</p></div></body></html>").encode("iso-8859-15")

ROUTES = {
    "/page.html": (200, "text/html; charset=utf-8", open(PAGE, "rb").read()),
    "/latin.html": (200, "text/html; charset=iso-8859-15", LATIN),
    "/report.pdf": (200, "application/pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"),
    "/gone.html": (404, "text/html", b"<html><body><p>Not found, sorry.</p></body></html>"),
    "/empty.html": (200, "text/html", b"<html><head><title>x</title></head><body></body></html>"),
}


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        status, ctype, body = ROUTES.get(self.path, (404, "text/plain", b"no"))
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def run(*args, stdin=None):
    p = subprocess.run([NEWSWATCH, "article"] + list(args), input=stdin, capture_output=True,
                       timeout=60)
    return p.returncode, p.stdout.decode("utf-8"), p.stderr.decode("utf-8")


class Article(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        cls.thread = threading.Thread(target=cls.server.serve_forever, daemon=True)
        cls.thread.start()
        cls.base = "http://127.0.0.1:%d" % cls.server.server_address[1]

    @classmethod
    def tearDownClass(cls):
        cls.server.shutdown()
        cls.server.server_close()
        cls.thread.join()

    def assert_body(self, out):
        self.assertIn("The county council voted on Tuesday", out)
        self.assertIn("Ferry to keep running\n", out)
        for boiler in ("Harbour wall to be rebuilt", "Ann Smith", "Lisbon", "Most read", "Newquay",
                       "cookies", "Dave from Truro", "Registered in England"):
            self.assertNotIn(boiler, out)

    def test_file_and_stdin__same_text_exit_0(self):
        code, out, err = run(PAGE)
        self.assertEqual((code, err), (0, ""))
        self.assert_body(out)
        self.assertTrue(out.endswith(".\n"))
        with open(PAGE, "rb") as f:
            self.assertEqual(run("-", stdin=f.read()), (0, out, ""))

    def test_json__source_and_text(self):
        code, out, err = run("--json", PAGE)
        self.assertEqual((code, err), (0, ""))
        doc = json.loads(out)
        self.assertEqual(doc["source"], PAGE)
        self.assert_body(doc["text"])

    def test_url__fetched_with_its_http_charset(self):
        code, out, err = run(self.base + "/page.html")
        self.assertEqual((code, err), (0, ""))
        self.assert_body(out)
        # The meta says UTF-8, the bytes and the HTTP header say ISO-8859-15: HTTP wins.
        code, out, err = run(self.base + "/latin.html")
        self.assertEqual((code, err), (0, ""))
        self.assertIn("The caf\u00e9 on the corner, open since 1950, sold coffee at 2 \u20ac", out)

    def test_url_not_html__skipped_naming_the_url(self):
        url = self.base + "/report.pdf"
        code, out, err = run(url)
        self.assertEqual((code, out), (1, ""))
        self.assertIn(url, err)
        self.assertIn("not an HTML page (Content-Type application/pdf)", err)

    def test_url_404__error_naming_url_and_status(self):
        url = self.base + "/gone.html"
        code, out, err = run(url)
        self.assertEqual((code, out), (1, ""))
        self.assertIn(url, err)
        self.assertIn("404", err)

    def test_no_main_text_missing_file_not_html__exit_1(self):
        code, out, err = run(self.base + "/empty.html")
        self.assertEqual((code, out), (1, ""))
        self.assertIn("no main text found", err)
        with tempfile.TemporaryDirectory() as d:
            missing = os.path.join(d, "missing.html")
            code, out, err = run(missing)
            self.assertEqual((code, out), (1, ""))
            self.assertIn(missing, err)
            data = os.path.join(d, "data.json")
            with open(data, "w") as f:
                f.write('{"a": 1}')
            code, out, err = run(data)
            self.assertEqual((code, out), (1, ""))
            self.assertIn(data + ": not an HTML page", err)

    def test_usage__help_exit_0_bad_args_exit_2(self):
        code, out, err = run("--help")
        self.assertEqual((code, err), (0, ""))
        self.assertIn("usage: newswatch article", out)
        self.assertEqual(run()[0], 2)
        self.assertEqual(run("a", "b")[0], 2)


if __name__ == "__main__":
    unittest.main(verbosity=2)
