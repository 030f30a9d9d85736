#!/bin/sh
# run.sh: times newswatch's matcher against grep -F -i -w on the same generated corpus.
# Usage: bench/match/run.sh [MB] [WORKDIR]   (default 200 MB, scratch files in WORKDIR or /tmp)
set -eu

MB=${1:-200}
WORK=${2:-${TMPDIR:-/tmp}/nw-bench-match}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$WORK"

# Built here directly so the benchmark does not depend on the rest of the tree linking.
BIN=$WORK/bench_match
cc -std=c11 -O2 -D_GNU_SOURCE -I"$ROOT/include" -o "$BIN" \
	"$ROOT/bench/match/bench_match.c" "$ROOT/daemon/match.c" "$ROOT/daemon/fold.c" \
	"$ROOT/daemon/util.c" "$ROOT/daemon/log.c" $(pkg-config --cflags --libs libutf8proc) -lm

CORPUS=$WORK/corpus-$MB.txt
[ -s "$CORPUS" ] || "$BIN" corpus "$MB" > "$CORPUS"
"$BIN" aliases 100 > "$WORK/aliases-100.txt"
"$BIN" aliases 10000 > "$WORK/aliases-10000.txt"
cat "$CORPUS" > /dev/null	# warm the page cache for both contenders

BYTES=$(wc -c < "$CORPUS")
echo "corpus: $CORPUS ($BYTES bytes), grep: $(grep --version | head -1), locale C.UTF-8"
for N in 100 10000; do
	A=$WORK/aliases-$N.txt
	NW=$("$BIN" run "$A" "$CORPUS")
	NW_MBS=$(echo "$NW" | sed 's/.*MB\/s //')
	T0=$(date +%s.%N)
	LINES=$(LC_ALL=C.UTF-8 grep -F -i -w -c -f "$A" "$CORPUS" || true)
	T1=$(date +%s.%N)
	GREP_MBS=$(echo "$BYTES $T0 $T1" | awk '{ printf "%.1f", $1 / 1e6 / ($3 - $2) }')
	RATIO=$(echo "$NW_MBS $GREP_MBS" | awk '{ printf "%.2f", $1 / $2 }')
	echo "aliases $N: newswatch $NW_MBS MB/s ($NW)"
	echo "aliases $N: grep -F -i -w $GREP_MBS MB/s (matching lines $LINES)"
	echo "aliases $N: ratio newswatch/grep $RATIO"
done
