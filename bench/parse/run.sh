#!/bin/sh
# run.sh: parse+text throughput of newswatch's feed parser beside libxml2's streaming reader.
# usage: bench/parse/run.sh [CORPUS_DIR]   (default /tmp/newswatch-bench-corpus; generated if empty)
# env: BENCH_BIN (where to build bench_parse), REPEATS (runs per measurement, best kept; 3), CC.
#
# The verdict compares like with like: bench_parse times newswatch and libxml2's xmlTextReader
# (what "xmllint --stream" runs) in one process, both over the same files already in memory,
# in CPU time (the machine may be shared). "xmllint --noout --stream" itself is also timed, for
# reference; its figure includes process start-up and reading the files from the page cache.
# The conformance feeds from ../shared, when present, are measured the same way, separately.
# Exits 1 when the target (ratio >= 0.50 on the generated corpus) is not met.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
corpus=${1:-/tmp/newswatch-bench-corpus}
bin=${BENCH_BIN:-$corpus.bench_parse}
repeats=${REPEATS:-3}

if [ ! -f "$corpus/feed000.xml" ]; then
	echo "generating corpus in $corpus"
	python3 "$here/gen_corpus.py" "$corpus"
fi
cc=${CC:-cc}
$cc -std=c11 -D_GNU_SOURCE -O2 -I"$root/include" $(pkg-config --cflags libxml-2.0) \
	"$here/bench_parse.c" "$root/daemon/parse.c" "$root/daemon/xmlcharset.c" "$root/daemon/input.c" "$root/daemon/date.c" \
	"$root/daemon/text.c" "$root/daemon/util.c" "$root/daemon/log.c" $(pkg-config --libs libxml-2.0) -o "$bin"

set -- "$corpus"/*.xml
bytes=$(cat "$@" | wc -c)

echo "== generated corpus: $corpus"
status=0
out=$("$bin" -n "$repeats" "$@") || status=$?
echo "$out"
ours=$(echo "$out" | sed -n 's/^newswatch parse + text *\([0-9.]*\) MB.*/\1/p')

# xmllint for reference: the best CPU time (user + system) of the repeats, whole process.
# (GNU time reports it in hundredths of a second.)
tf=$(mktemp)
trap 'rm -f "$tf"' EXIT
best=
i=0
while [ "$i" -lt "$repeats" ]; do
	/usr/bin/time -o "$tf" -f '%U %S' xmllint --noout --stream "$@" 2>/dev/null || true
	t=$(tail -n 1 "$tf" | awk '{ print $1 + $2 }')
	best=$(echo "$t ${best:-1e9}" | awk '{ print ($1 < $2) ? $1 : $2 }')
	i=$((i + 1))
done
echo "$bytes $best $ours" | awk '{ lint = $1 / 1e6 / $2;
	printf "xmllint --noout --stream (CLI)     %7.1f MB/s  (%.3f s CPU; reference only)\n", lint, $2;
	if ($3 > 0) printf "ratio parse+text / xmllint CLI = %.2f\n", $3 / lint }'

extra=$root/../shared/conformance/feedparser/feeds
if [ -d "$extra" ]; then
	echo "== conformance feeds: $extra (small files: per-document start-up dominates)"
	find "$extra" -name '*.xml' -print0 | sort -z | xargs -0 "$bin" -n "$repeats" || true
fi
exit "$status"
