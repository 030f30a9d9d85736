#!/bin/sh
# replay.sh BUILD_DIR SHARED: ctest's fuzz_regressions. Runs each fuzz target, built with replay.c
# instead of libFuzzer, over its seed corpus (corpus.py) and its saved crashes
# (tests/fuzz/regressions/<target>/): every input must run clean (in sanitizer builds, clean of
# ASan and UBSan reports too).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=$1
shared=${2:-}
rc=0
for t in parse input text date conf match alert article; do
	corpus=$build/fuzz-seeds/$t
	rm -rf "$corpus"
	python3 "$here/corpus.py" "$t" "$corpus" "$shared" >/dev/null
	set -- "$corpus"
	[ -d "$here/regressions/$t" ] && set -- "$@" "$here/regressions/$t"
	"$build/replay_$t" "$@" || { echo "fuzz_regressions: $t FAILED" >&2; rc=1; }
done
exit $rc
