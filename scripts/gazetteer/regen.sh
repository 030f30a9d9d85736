#!/bin/sh
# Regenerates data/places.tsv from the pinned sources, then runs the self-check.
# Maintainers only: build, setup and CI never run this (see scripts/gazetteer/README.md).
#
#   scripts/gazetteer/regen.sh                                  # the shipped file (cities >= 50,000)
#   scripts/gazetteer/regen.sh --min-pop 15000 --out /tmp/places-15k.tsv
#
# Needs python3, npm, and the Debian packages below (apt-get install unicode-cldr-core
# libgeonames-common wamerican). npm inputs are installed with "npm ci" into $GAZ_WORK
# (default ~/.cache/newswatch-gazetteer, about 350 MB), never into the source tree.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=${GAZ_WORK:-${XDG_CACHE_HOME:-$HOME/.cache}/newswatch-gazetteer}

# Debian packages the data was generated with; GAZ_ANY_VERSION=1 accepts others (then update
# data/ATTRIBUTION and scripts/gazetteer/README.md).
for pin in unicode-cldr-core=41-0.1 libgeonames-common=0.3.0-1 wamerican=2020.12.07-2; do
	pkg=${pin%%=*}
	want=${pin#*=}
	have=$(dpkg-query -W -f='${Version}' "$pkg" 2>/dev/null || true)
	if [ -z "$have" ]; then
		echo "regen: $pkg is not installed (apt-get install $pkg)" >&2
		exit 1
	fi
	if [ "$have" != "$want" ] && [ "${GAZ_ANY_VERSION:-0}" != 1 ]; then
		echo "regen: $pkg is $have, the data is pinned to $want (GAZ_ANY_VERSION=1 to go on)" >&2
		exit 1
	fi
done

mkdir -p "$work"
if ! cmp -s "$here/package-lock.json" "$work/package-lock.json" || [ ! -d "$work/node_modules" ]; then
	cp "$here/package.json" "$here/package-lock.json" "$work/"
	(cd "$work" && npm ci --no-audit --no-fund --ignore-scripts)
fi

cd "$root"
python3 "$here/gen_places.py" --npm "$work/node_modules" --extra data/places-extra.conf \
	--words data/places-words.conf --out data/places.tsv "$@"
out=data/places.tsv
prev=
for arg in "$@"; do
	[ "$prev" = "--out" ] && out=$arg
	prev=$arg
done
python3 "$here/check.py" "$out"
