#!/usr/bin/env python3
"""newswatch places NAME: an entry of the small fixture gazetteer, a miss with a suggestion."""
import os
import subprocess
import sys

NW = os.environ["NEWSWATCH"]
MINI = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "gazetteer", "mini")


def run(*args):
    p = subprocess.run([NW, "places", "--data", MINI, *args], capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


def expect(cond, what, out):
    if not cond:
        print("FAIL: " + what + "\n" + out)
        sys.exit(1)


rc, out, err = run("halep")
expect(rc == 0, "Halep found", out + err)
expect("Aleppo (city 170063, population 1602264)" in out, "the city's line", out)
expect("in: Aleppo (region SY.09), Syria (country SY)" in out, "the parent chain", out)
expect("contains: 0 places" in out, "no places inside", out)
expect("  ar   ~حلب" in out, "names by language, weak marked", out)
expect("~حلب: weak" in out and "another name of Syria" in out, "why it is weak", out)

rc, out, err = run("Syria")
expect(rc == 0 and "contains: 5 places (2 directly)" in out, "Syria's contents", out)

rc, out, err = run("Turkey")
expect(rc == 0 and "=Turkey: exact" in out, "an exact-case name", out)

rc, out, err = run("HTS")
expect(rc == 0 and "Hayat Tahrir al-Sham (actor" in out and "country: Syria (SY)" in out,
       "a built-in actor", out)

rc, out, err = run("Alepo")
expect(rc == 1, "a miss exits 1", out + err)
expect("Alepo is not a built-in place or actor" in err and "did you mean Aleppo?" in err,
       "a miss says so, with a suggestion", err)

rc, out, err = run()
expect(rc == 2, "no name is a usage error", out + err)
print("places: ok")
