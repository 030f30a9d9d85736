#!/bin/sh
# run.sh: one full poll cycle of 1,000 feeds, cold then warm, newswatch beside newsboat.
# usage: bench/fetch/run.sh [NEWSWATCH_BINARY]   (default: build/newswatch)
# env: FEEDS (1000), ITEMS (50), TRANSFERS (8: newswatch's max_transfers and curl's parallel
#      transfers), NB_THREADS (8: newsboat's reload-threads, its best setting on this kind of
#      machine), KEEP=1 keeps the temporary directory.
#
# The corpus (FEEDS feeds of ITEMS items, about 64 KB each) is served by a real nginx on
# 127.0.0.1 (unprivileged, foreground, its own temporary config; ETag and Last-Modified on,
# keep-alive, gzip on as real servers send feeds: gzip_static serves each feed's precompressed
# twin to a client that asks for gzip, and all three do). Every feed is on that one host, so
# newswatch's per-host cap (max_host_transfers, 2 by default to be polite to real sites) is
# raised to max_transfers here; otherwise only two transfers would ever run at once.
#
# The floor, measured in the same run: curl fetching and inflating every feed in one process
# (--parallel, TRANSFERS at once, --compressed), and curl's 304 round (each feed's ETag sent).
# newswatch's cycles are printed as ratios to those (issue 15's targets: cold <= 3x, warm <=
# 1.3x); the ratios are reported, not part of the exit status.
#
# Each program runs one cold cycle (empty state: fetch, parse, match, store every item) and one
# warm cycle (same state, nothing changed on the server). Wall time, CPU time (user+sys) and peak
# RSS come from GNU time (wait4(2)). Targets: newswatch's cold cycle >= 10x faster (wall) than
# newsboat's and >= 5x less peak memory; its warm cycle answered by 304s only, with < 10% of its
# cold CPU time. Exits 1 when a target is missed.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
nw=${1:-$root/build/newswatch}
feeds=${FEEDS:-1000}
items=${ITEMS:-50}
transfers=${TRANSFERS:-8}
nb_threads=${NB_THREADS:-8}

[ -x "$nw" ] || { echo "run.sh: no newswatch binary at $nw (build it, or pass its path)" >&2; exit 2; }
if ! command -v newsboat >/dev/null 2>&1; then
	echo "installing newsboat (Debian package) ..."
	apt-get -o DPkg::Lock::Timeout=300 install -y --no-install-recommends newsboat >/dev/null
fi
if [ ! -x /usr/bin/time ]; then
	echo "installing GNU time (Debian package time) ..."
	apt-get -o DPkg::Lock::Timeout=300 install -y --no-install-recommends time >/dev/null
fi
nginx=$(command -v nginx || echo /usr/sbin/nginx)

tmp=$(mktemp -d /tmp/nw-bench-fetch.XXXXXX)
# Run as root, nginx's workers drop to "nobody": they must be able to read the corpus.
chmod 755 "$tmp"
nginx_pid=
cleanup() {
	if [ -n "$nginx_pid" ]; then
		kill "$nginx_pid" 2>/dev/null || true
		wait "$nginx_pid" 2>/dev/null || true
	fi
	if [ "${KEEP:-0}" = 1 ]; then echo "kept $tmp"; else rm -rf "$tmp"; fi
}
trap cleanup EXIT INT TERM

echo "== corpus: $feeds feeds x $items items in $tmp/www"
python3 "$here/gen_feeds.py" "$tmp/www" "$feeds" "$items"
du -sh "$tmp/www" | sed 's/^/   /'

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
mkdir -p "$tmp/nginx"
cat > "$tmp/nginx/nginx.conf" <<EOF
daemon off;
master_process on;
worker_processes 1;
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/error.log warn;
events { worker_connections 1024; }
http {
	log_format bench '\$status \$request_uri "\$http_if_none_match" "\$http_if_modified_since"';
	access_log $tmp/nginx/access.log bench;
	client_body_temp_path $tmp/nginx/body;
	proxy_temp_path $tmp/nginx/proxy;
	fastcgi_temp_path $tmp/nginx/fastcgi;
	uwsgi_temp_path $tmp/nginx/uwsgi;
	scgi_temp_path $tmp/nginx/scgi;
	default_type application/rss+xml;
	sendfile on;
	etag on;
	if_modified_since exact;
	gzip_static on;
	keepalive_timeout 60s;
	keepalive_requests 100000;
	server {
		listen 127.0.0.1:$port;
		root $tmp/www;
	}
}
EOF
"$nginx" -p "$tmp/nginx" -c "$tmp/nginx/nginx.conf" -e "$tmp/nginx/error.log" &
nginx_pid=$!
i=0
until python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/feed0000.xml')" 2>/dev/null; do
	i=$((i + 1))
	[ "$i" -lt 100 ] || { echo "nginx did not start:"; cat "$tmp/nginx/error.log"; exit 1; }
	sleep 0.1
done
: > "$tmp/nginx/access.log"

# newswatch: every feed once, full pipeline (first_poll = alert: items are matched and alerted).
conf=$tmp/newswatch.conf
cat > "$conf" <<EOF
[newswatch]
state_dir = $tmp/nw-state
alert_log = $tmp/nw-alerts.log
notify = no
interval = 10m
first_poll = alert
max_age = 36500d
max_transfers = $transfers
max_host_transfers = $transfers

[actor Hezbollah]
aliases = Hizbollah, Hizballah
[actor Recep Tayyip Erdoğan]
aliases = Erdoğan, Erdogan
[actor Hayat Tahrir al-Sham]
aliases = "HTS", Tahrir al-Sham
[place Syria]
[place Homs]
in = Syria
[place Hama]
in = Syria
[place Aleppo]
in = Syria
[rule hezbollah-in-syria]
actors = Hezbollah
places = Syria
[rule hts]
actors = Hayat Tahrir al-Sham
places = Homs, Hama, Aleppo
[rule erdogan]
actors = Recep Tayyip Erdoğan
places = Syria
EOF
: > "$tmp/urls"
f=0
while [ "$f" -lt "$feeds" ]; do
	n=$(printf '%04d' "$f")
	printf '\n[feed f%s]\nurl = http://127.0.0.1:%s/feed%s.xml\n' "$n" "$port" "$n" >> "$conf"
	printf 'http://127.0.0.1:%s/feed%s.xml\n' "$port" "$n" >> "$tmp/urls"
	f=$((f + 1))
done

# newsboat: its own home, config, cache; as many reload threads as newswatch has transfers.
mkdir -p "$tmp/nb-home"
cat > "$tmp/nb-config" <<EOF
reload-threads $nb_threads
show-read-feeds yes
EOF

log_lines() { wc -l < "$tmp/nginx/access.log"; }
# count STATUS FROM TO: answers with that status on access log lines FROM+1 .. TO.
count() { sed -n "$(($2 + 1)),$3p" "$tmp/nginx/access.log" | grep -c "^$1 " || true; }

# measure NAME COMMAND...: wall, user, sys, peak RSS and exit status into $tmp/NAME.json (GNU
# time: a small C program that fork()s; a python parent would lend the child its own RSS, as
# Linux carries the pre-exec high-water mark into ru_maxrss), and the peak RssAnon / RssFile
# split into $tmp/NAME.peaks.json (sampled every 5 ms by sample_rss.py).
measure() {
	name=$1
	shift
	python3 "$here/sample_rss.py" "$tmp/$name.json" "$tmp/$name.peaks.json" -- "$@"
}
run_nw() {	# run_nw NAME
	measure "$1" "$nw" run --once -q --config "$conf"
}
run_nb() {	# run_nb NAME
	HOME=$tmp/nb-home XDG_CONFIG_HOME=$tmp/nb-home XDG_DATA_HOME=$tmp/nb-home \
	measure "$1" newsboat -q -u "$tmp/urls" -c "$tmp/nb-cache.db" -C "$tmp/nb-config" -x reload
}

# curl: fetch and inflate every feed; then the 304 round with each feed's ETag (nginx's format
# for a gzip_static file: mtime and size of the .gz, in hex).
python3 - "$tmp" "$port" "$feeds" <<'EOF'
import os, sys
tmp, port, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
gz, nm = [], []
for f in range(n):
    url = "http://127.0.0.1:%s/feed%04d.xml" % (port, f)
    st = os.stat("%s/www/feed%04d.xml.gz" % (tmp, f))
    gz.append('url = "%s"\noutput = "/dev/null"\ncompressed\n' % url)
    nm.append('url = "%s"\noutput = "/dev/null"\ncompressed\nheader = "If-None-Match: \\"%x-%x\\""\n'
              % (url, int(st.st_mtime), st.st_size))
for name, secs in (("curl-gzip", gz), ("curl-304", nm)):
    with open("%s/%s.cfg" % (tmp, name), "w") as f:
        f.write("next\n".join(secs))
EOF
echo "== curl fetch+inflate"; measure curl-gzip curl -s --parallel --parallel-max "$transfers" -K "$tmp/curl-gzip.cfg"
echo "== curl 304 round"; measure curl-304 curl -s --parallel --parallel-max "$transfers" -K "$tmp/curl-304.cfg"
: > "$tmp/nginx/access.log"
echo "== newswatch cold"; l0=$(log_lines); run_nw nw-cold; l1=$(log_lines)
echo "== newswatch warm"; run_nw nw-warm; l2=$(log_lines)
echo "== newsboat cold";  run_nb nb-cold; l3=$(log_lines)
echo "== newsboat warm";  run_nb nb-warm; l4=$(log_lines)

python3 - "$tmp" "$feeds" \
	"$(count 200 "$l0" "$l1")" "$((l1 - l0))" \
	"$(count 304 "$l1" "$l2")" "$((l2 - l1))" \
	"$(count 200 "$l2" "$l3")" "$((l3 - l2))" \
	"$(count 304 "$l3" "$l4")" "$((l4 - l3))" \
	"$(grep -c . "$tmp/nw-alerts.log" || true)" <<'EOF'
import json, sys
tmp, feeds = sys.argv[1], int(sys.argv[2])
nw200, nwreq, nw304, nwwarmreq, nb200, nbreq, nb304, nbwarmreq, alerts = map(int, sys.argv[3:12])
# GNU time puts "Command exited with non-zero status N" before the format: keep the last line.
r = {k: json.loads(open("%s/%s.json" % (tmp, k)).read().strip().splitlines()[-1])
     for k in ("nw-cold", "nw-warm", "nb-cold", "nb-warm", "curl-gzip", "curl-304")}
peaks = {k: json.load(open("%s/%s.peaks.json" % (tmp, k))) for k in r}
print()
print("%-16s %9s %9s %9s %9s %11s %6s   %s" % ("cycle", "wall s", "user s", "sys s", "cpu s", "peak RSS",
      "exit", "sampled peaks: anon (own) + file (libraries)"))
for k in ("nw-cold", "nw-warm", "nb-cold", "nb-warm", "curl-gzip", "curl-304"):
    x = r[k]
    x["cpu"] = x["user"] + x["sys"]
    print("%-16s %9.3f %9.3f %9.3f %9.3f %8.1f MB %6d   %.1f MB + %.1f MB" % (k, x["wall"], x["user"],
          x["sys"], x["cpu"], x["maxrss_kb"] / 1024, x["status"], peaks[k]["RssAnon"] / 1024,
          peaks[k]["RssFile"] / 1024))
print()
print("requests: newswatch cold %d (%d x 200), warm %d (%d x 304); newsboat cold %d (%d x 200), "
      "warm %d (%d x 304); newswatch alerts written: %d" % (nwreq, nw200, nwwarmreq, nw304, nbreq, nb200,
                                                           nbwarmreq, nb304, alerts))
c, w, b = r["nw-cold"], r["nw-warm"], r["nb-cold"]
print()
print("floor (same run): newswatch cold / curl fetch+inflate = %.1fx wall, %.1fx CPU (issue 15: <= 3x); "
      "warm / curl 304 round = %.1fx wall, %.1fx CPU (<= 1.3x)" % (
          c["wall"] / r["curl-gzip"]["wall"], c["cpu"] / max(1e-3, r["curl-gzip"]["cpu"]),
          w["wall"] / r["curl-304"]["wall"], w["cpu"] / max(1e-3, r["curl-304"]["cpu"])))
speed = b["wall"] / c["wall"]
cpu_ratio = b["cpu"] / c["cpu"] if c["cpu"] else float("inf")
mem = b["maxrss_kb"] / c["maxrss_kb"]
warm_share = w["cpu"] / c["cpu"] if c["cpu"] else 0
ok = True
def verdict(name, good, text):
    global ok
    ok &= good
    print("%-4s %s: %s" % ("ok" if good else "MISS", name, text))
print()
verdict("cold wall time", speed >= 10, "newsboat / newswatch = %.1fx (target >= 10x); CPU ratio %.1fx" % (speed, cpu_ratio))
verdict("cold peak memory", mem >= 5, "newsboat / newswatch = %.1fx (target >= 5x); own (anonymous) "
        "memory only: %.1fx" % (mem, peaks["nb-cold"]["RssAnon"] / max(1, peaks["nw-cold"]["RssAnon"])))
verdict("warm answers", nw304 == feeds and nwwarmreq == feeds, "%d of %d requests answered 304" % (nw304, nwwarmreq))
verdict("warm CPU", warm_share < 0.10, "%.1f%% of the cold cycle's CPU time (target < 10%%)" % (100 * warm_share))
verdict("exit status", all(x["status"] == 0 for x in (c, w)), "newswatch cold %d, warm %d" % (c["status"], w["status"]))
sys.exit(0 if ok else 1)
EOF
