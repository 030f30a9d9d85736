#!/bin/sh
# run.sh: times newswatch's matcher against grep -F -i -w on the same generated corpus, then at
# scale (100 to 100,000 aliases, and the gazetteer).
# Usage: [RUNS=3] [GREP=no] bench/match/run.sh [MB] [WORKDIR]   (default 200 MB, scratch files in
# WORKDIR or /tmp; GREP=no leaves grep out, which takes minutes with 10,000 aliases)
# Exits 1 when a target is not met (a verdict is printed per target and locale).
set -eu

MB=${1:-200}
WORK=${2:-${TMPDIR:-/tmp}/nw-bench-match}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$WORK"

# Built here directly so the benchmark does not depend on the rest of the tree linking.
BIN=$WORK/bench_match
cc -std=c11 -O2 -D_GNU_SOURCE -I"$ROOT/include" -o "$BIN" \
	"$ROOT/bench/match/bench_match.c" "$ROOT/daemon/match.c" "$ROOT/daemon/words.c" \
	"$ROOT/daemon/context.c" "$ROOT/daemon/fold.c" \
	"$ROOT/daemon/conf.c" "$ROOT/daemon/ini.c" "$ROOT/daemon/gazetteer.c" \
	"$ROOT/daemon/util.c" "$ROOT/daemon/log.c" $(pkg-config --cflags --libs libutf8proc) -lm -pthread

CORPUS=$WORK/corpus-$MB.txt
[ -s "$CORPUS" ] || "$BIN" corpus "$MB" > "$CORPUS"
"$BIN" aliases 100 > "$WORK/aliases-100.txt"
"$BIN" aliases 10000 > "$WORK/aliases-10000.txt"
cat "$CORPUS" > /dev/null	# warm the page cache for both contenders

BYTES=$(wc -c < "$CORPUS")
echo "corpus: $CORPUS ($BYTES bytes), $(grep --version | head -1)"
echo "targets: with 100 aliases at least as fast as grep; with 10000 at least 3x grep"
echo "  C.UTF-8: grep folds case by Unicode rules: the same kind of work as ours (ours also does NFKC,"
echo "           marks, Arabic letter variants, punctuation)"
echo "  C:       grep folds ASCII case only and compares bytes: less work than ours"
# Each contender runs RUNS times (default 3) and keeps its best: on a busy machine a single run
# measures the neighbours as much as the program. (grep runs once when one run takes over 5 s:
# with 10,000 aliases in a UTF-8 locale it runs at about 1 MB/s.)
RUNS=${RUNS:-3}
FAILED=0
GREP=${GREP:-yes}
for N in 100 10000; do
	[ "$GREP" = no ] && break
	A=$WORK/aliases-$N.txt
	NEED=1
	[ "$N" -ge 10000 ] && NEED=3
	NW_MBS=0
	k=0
	while [ "$k" -lt "$RUNS" ]; do
		OUT=$("$BIN" run "$A" "$CORPUS")
		MBS=$(echo "$OUT" | sed 's/.*MB\/s //')
		if [ "$(echo "$MBS $NW_MBS" | awk '{ print ($1 > $2) }')" = 1 ]; then
			NW_MBS=$MBS
			NW=$OUT
		fi
		k=$((k + 1))
	done
	echo "aliases $N: newswatch $NW_MBS MB/s, best of $RUNS ($NW)"
	for LOC in C.UTF-8 C; do
		BEST=
		k=0
		while [ "$k" -lt "$RUNS" ]; do
			# grep's output goes to a pipe: with -c and output to /dev/null, GNU grep stops early.
			T0=$(date +%s.%N)
			LINES=$(LC_ALL=$LOC grep -F -i -w -c -f "$A" "$CORPUS" || true)
			T1=$(date +%s.%N)
			T=$(echo "$T0 $T1" | awk '{ printf "%.4f", $2 - $1 }')
			if [ -z "$BEST" ] || [ "$(echo "$T $BEST" | awk '{ print ($1 < $2) }')" = 1 ]; then
				BEST=$T
			fi
			[ "$(echo "$T" | awk '{ print ($1 > 5) }')" = 1 ] && break
			k=$((k + 1))
		done
		GREP_MBS=$(echo "$BYTES $BEST" | awk '{ printf "%.1f", $1 / 1e6 / $2 }')
		VERDICT=$(echo "$NW_MBS $GREP_MBS $NEED" | awk '{ r = $1 / $2;
			printf "ratio %.2f (target >= %d): %s", r, $3, (r >= $3 ? "MET" : "NOT MET") }')
		case $VERDICT in *"NOT MET"*) FAILED=1 ;; esac
		printf 'aliases %s: LC_ALL=%-7s grep -F -i -w %s MB/s, best run (matching lines %s), newswatch/grep %s\n' \
		    "$N" "$LOC" "$GREP_MBS" "$LINES" "$VERDICT"
	done
done

# Scale (issue 15) and the gazetteer (issue 14), in one process: matchers over 100, 1,000, 10,000
# and 100,000 generated aliases, and a rule naming the biggest country, so that the whole of the
# United States (3,684 places, about 15,000 names) is loaded and compiled, timed in turn RUNS
# times (processor time, best of each). Targets: at least 300 MB/s with 10,000 aliases; flat from
# 100 to 100,000 (the 100,000 figure at least 0.85 of the 100 one); 100,000 aliases compiled in
# under 0.5 s; the gazetteer loaded and compiled in under 0.5 s, with under 20 MB of added memory,
# and matching within 20% of the 10,000-alias matcher (the matcher's speed with a large
# automaton; the 100-alias one is much smaller).
SCALE_CONF=
if [ -s "$ROOT/data/places.tsv" ]; then
	printf '[newswatch]\ngazetteer = %s\n[rule us]\nplaces = United States\nmatch = any\n' \
	    "$ROOT/data" > "$WORK/us.conf"
	SCALE_CONF=$WORK/us.conf
fi
SCALE=$("$BIN" scale "$RUNS" "$CORPUS" $SCALE_CONF)
echo "$SCALE"
VERDICT=$(echo "$SCALE" | awk '
	/^scale: aliases 10000 / { mbs10k = $NF }
	/^scale: aliases 100000 / { comp = $5 }
	/^scale: flatness/ { flat = $NF }
	/^scale: conf entities/ { load = $8; gcomp = $11; rss = $14 }
	/^scale: conf ratio/ { ratio = $NF }
	END {
		ok = mbs10k >= 300 && flat >= 0.85 && comp < 0.5
		printf "scale: 10000 aliases %.1f MB/s (target >= 300), " \
		    "flatness %.2f (target >= 0.85), " \
		    "compile 100000 aliases %.3f s (target < 0.5): %s\n",
		    mbs10k, flat, comp, ok ? "MET" : "NOT MET"
		if (ratio != "") {
			gok = load + gcomp < 0.5 && rss < 20 && ratio >= 0.8
			printf "gazetteer: load+compile %.3f s (target < 0.5), " \
			    "added memory %.1f MB (target < 20), " \
			    "speed/10000-alias matcher %.2f (target >= 0.80): %s\n",
			    load + gcomp, rss, ratio, gok ? "MET" : "NOT MET"
		}
	}')
echo "$VERDICT"
case $VERDICT in *"NOT MET"*) FAILED=1 ;; esac
exit $FAILED
