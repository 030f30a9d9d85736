#!/bin/sh
# run.sh BUILD_DIR [SECONDS] [TARGET...]: the CI fuzz gate. Runs each libFuzzer target (built with
# -DNW_FUZZ=ON into BUILD_DIR) for SECONDS (default 60) from a fresh seed corpus, and fails on any
# crash, leak, timeout (10 s per input) or RSS over 2 GiB. Prints executions per target. A crash
# leaves its input in BUILD_DIR/fuzz-artifacts/: copy it into tests/fuzz/regressions/<target>/
# once fixed, so ctest's fuzz_regressions replays it in every build.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=$1
secs=${2:-60}
shift $(( $# >= 2 ? 2 : 1 ))
targets=${*:-parse input text date conf match alert article}
shared=$(cd "$here/../../.." && pwd)/shared
art=$build/fuzz-artifacts
mkdir -p "$art"
rc=0
for t in $targets; do
	corpus=$build/fuzz-corpus/$t
	rm -rf "$corpus"
	python3 "$here/corpus.py" "$t" "$corpus" "$shared" >/dev/null
	nseeds=$(ls "$corpus" | wc -l)
	log=$build/fuzz-$t.log
	set +e
	# -max_len: seeds are cut there; 64 KiB reaches every parser limit that matters and keeps
	# executions fast. Saved regressions are replayed whole (ctest fuzz_regressions).
	ASAN_OPTIONS=detect_leaks=1 "$build/fuzz_$t" -max_total_time="$secs" -timeout=10 \
	    -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
	    -artifact_prefix="$art/$t-" "$corpus" >"$log" 2>&1
	status=$?
	set -e
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	peak=$(sed -n 's/^stat::peak_rss_mb: *//p' "$log" | tail -1)
	cov=$(grep -Eo 'cov: [0-9]+' "$log" | tail -1 | cut -d' ' -f2)
	if [ "$status" -ne 0 ]; then
		echo "fuzz $t: FAILED (exit $status) after ${execs:-?} executions; log $log:" >&2
		grep -E -A30 'ERROR: |runtime error|==ERROR|SUMMARY|Test unit written' "$log" |
		    head -60 >&2 || tail -40 "$log" >&2
		# The input itself, so a failure seen only in CI's log can be replayed here.
		for f in "$art/$t-"*; do
			[ -f "$f" ] || continue
			echo "input $f (base64, $(wc -c <"$f") bytes):" >&2
			head -c 16384 "$f" | base64 -w0 >&2
			echo >&2
		done
		rc=1
	else
		echo "fuzz $t: ${execs:-?} executions in ${secs} s ($(( ${execs:-0} / secs ))/s)," \
		    "$nseeds seeds, corpus now $(ls "$corpus" | wc -l), coverage ${cov:-?}," \
		    "peak RSS ${peak:-?} MB: no crash, leak or timeout"
	fi
done
exit $rc
