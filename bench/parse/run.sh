#!/bin/sh
# run.sh: parse+text throughput of newswatch's feed parser beside "xmllint --noout --stream".
# usage: bench/parse/run.sh [CORPUS_DIR]   (default /tmp/newswatch-bench-corpus; generated if empty)
# Builds bench_parse with -O2 into the corpus directory's sibling; adds the conformance feeds
# from ../shared when present. Prints both rates and the ratio.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
corpus=${1:-/tmp/newswatch-bench-corpus}
bin=${BENCH_BIN:-$corpus.bench_parse}

if [ ! -f "$corpus/feed000.xml" ]; then
	echo "generating corpus in $corpus"
	python3 "$here/gen_corpus.py" "$corpus"
fi
cc=${CC:-cc}
$cc -std=c11 -D_GNU_SOURCE -O2 -I"$root/include" $(pkg-config --cflags libxml-2.0) \
	"$here/bench_parse.c" "$root/daemon/parse.c" "$root/daemon/date.c" "$root/daemon/text.c" \
	"$root/daemon/util.c" "$root/daemon/log.c" $(pkg-config --libs libxml-2.0) -o "$bin"

set -- "$corpus"/*.xml
extra=$root/../shared/conformance/feedparser/feeds
if [ -d "$extra" ]; then
	echo "conformance feeds: $(find "$extra" -name '*.xml' | wc -l) files (parsed in a separate run)"
fi
bytes=$(cat "$@" | wc -c)

echo "== newswatch parser + text_from_html (generated corpus)"
out=$("$bin" "$@")
echo "$out"
ours=$(echo "$out" | sed -n 's/.*s: \([0-9.]*\) MB\/s.*/\1/p')

echo "== xmllint --noout --stream (same files)"
t0=$(date +%s.%N)
xmllint --noout --stream "$@" 2>/dev/null || true
t1=$(date +%s.%N)
lint=$(echo "$bytes $t0 $t1" | awk '{ printf "%.1f", $1 / 1e6 / ($3 - $2) }')
echo "xmllint: $lint MB/s"
echo "$ours $lint" | awk '{ printf "ratio: newswatch/xmllint = %.2f (target >= 0.50)\n", $1 / $2 }'

if [ -d "$extra" ]; then
	echo "== conformance feeds (small files, parser start-up dominates)"
	find "$extra" -name '*.xml' -print0 | xargs -0 "$bin"
fi
