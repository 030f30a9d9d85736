#!/usr/bin/env python3
"""sample_rss.py: runs a command under GNU time and samples its memory split while it runs.

usage: sample_rss.py TIME_JSON PEAKS_JSON -- COMMAND [ARGS...]

GNU time (a small C program that forks, so its child's ru_maxrss is the child's own) writes wall,
user, sys, peak RSS and exit status to TIME_JSON. Meanwhile /proc/CHILD/status is read every 5 ms
and PEAKS_JSON gets the highest RssAnon (heap, stacks: the program's own memory) and RssFile
(pages of the binary and its shared libraries, shared with every other process using them), so
a peak RSS can be told apart into what the program allocates and what its libraries map.
stdout and stderr of the command go to TIME_JSON with .out / .err instead of .json.
"""
import json
import os
import subprocess
import sys
import time

FMT = '{"wall": %e, "user": %U, "sys": %S, "maxrss_kb": %M, "status": %x}'


def child_of(pid):
    try:
        with open("/proc/%d/task/%d/children" % (pid, pid)) as f:
            kids = f.read().split()
        return int(kids[0]) if kids else None
    except (OSError, ValueError):
        return None


def status_kb(pid):
    out = {}
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                k, _, v = line.partition(":")
                if k in ("RssAnon", "RssFile", "VmRSS"):
                    out[k] = int(v.split()[0])
    except (OSError, ValueError):
        pass
    return out


def main():
    time_json, peaks_json = sys.argv[1], sys.argv[2]
    assert sys.argv[3] == "--"
    base = time_json[:-5] if time_json.endswith(".json") else time_json
    with open(base + ".out", "w") as so, open(base + ".err", "w") as se:
        p = subprocess.Popen(["/usr/bin/time", "-o", time_json, "-f", FMT] + sys.argv[4:],
                             stdout=so, stderr=se, stdin=subprocess.DEVNULL)
        peaks = {"RssAnon": 0, "RssFile": 0, "VmRSS": 0}
        child = None
        while p.poll() is None:
            if child is None:
                child = child_of(p.pid)
            if child is not None:
                for k, v in status_kb(child).items():
                    peaks[k] = max(peaks[k], v)
            time.sleep(0.005)
    with open(peaks_json, "w") as f:
        json.dump(peaks, f)


if __name__ == "__main__":
    main()
