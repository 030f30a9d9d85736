#!/bin/sh
# run.sh: feedparser's conformance corpus through "newswatch parse --json", against the baseline.
# usage: run.sh NEWSWATCH [SHARED_DIR] [check.py options...]
# Exits 77 (skipped) when the shared corpus is absent. Known failures are listed, one id a line,
# in known-failures.txt beside this script; regenerate it with
#   run.sh NEWSWATCH SHARED --write-failures tests/conformance/known-failures.txt
set -eu
here=$(cd "$(dirname "$0")" && pwd)
nw=${1:?usage: run.sh NEWSWATCH [SHARED_DIR]}
shared=${2:-$here/../../../shared}
[ $# -ge 2 ] && shift 2 || shift 1
check=$shared/conformance/tools/check.py
if [ ! -f "$check" ]; then
	echo "conformance corpus not found at $shared/conformance: skipped"
	exit 77
fi
if [ $# -eq 0 ]; then
	set -- --baseline "$here/known-failures.txt"
fi
exec python3 "$check" --quiet "$@" "$nw parse --json {file}"
