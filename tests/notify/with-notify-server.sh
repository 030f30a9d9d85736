#!/bin/sh
# with-notify-server.sh: runs CMD beside a real notification server on a private bus and display.
#
# Usage: with-notify-server.sh CMD [ARG...]
#
# Starts a private session bus, an Xvfb display, notification-daemon and a busctl monitor that
# records every Notify call as one JSON object per line. CMD sees:
#   DBUS_SESSION_BUS_ADDRESS  the private session bus
#   DISPLAY                   the private Xvfb display
#   NOTIFY_CAPTURE            the file the monitor appends Notify calls to (written asynchronously)
#   NOTIFY_SERVER_PID         the notification server's pid (tests SIGSTOP it to simulate a hang)
#   XDG_*, HOME               a scratch directory, so nothing is written to the real home
# Exits with CMD's status, or 77 (skipped) when a needed program is missing. Everything it started
# is stopped and waited for before it exits: PID 1 here does not reap orphans.
#
# The bus is a dbus-daemon started here rather than through dbus-run-session, because
# dbus-run-session sends its bus SIGTERM and exits without waiting for it, which leaves the bus
# to PID 1 (seen as a zombie here). Started as our own child, it is waited for like the others.

server=${NOTIFY_SERVER:-/usr/lib/notification-daemon/notification-daemon}

if [ $# -eq 0 ]; then
	echo "usage: $0 CMD [ARG...]" >&2
	exit 2
fi

for p in Xvfb dbus-daemon busctl gdbus; do
	if ! command -v "$p" >/dev/null 2>&1; then
		echo "$0: $p not installed, skipping" >&2
		exit 77
	fi
done
if [ ! -x "$server" ]; then
	echo "$0: $server not installed, skipping" >&2
	exit 77
fi

scratch=$(mktemp -d "${TMPDIR:-/tmp}/nw-notify.XXXXXX") || exit 1
bus_pid= xvfb_pid= server_pid= monitor_pid=

stop_all() {
	# A test may leave the server stopped (SIGSTOP); it must run again to die of SIGTERM.
	for p in $monitor_pid $server_pid $xvfb_pid $bus_pid; do
		kill -CONT "$p" 2>/dev/null
		kill -TERM "$p" 2>/dev/null
	done
	for p in $monitor_pid $server_pid $xvfb_pid $bus_pid; do
		wait "$p" 2>/dev/null
	done
	rm -rf "$scratch"
}
trap 'stop_all; exit 1' HUP INT TERM

# Waits up to $2 tenths of a second for file $1 to contain the fixed string $3.
wait_for() {
	n=0
	while ! grep -qF -- "$3" "$1" 2>/dev/null; do
		n=$((n + 1))
		if [ "$n" -gt "$2" ]; then
			return 1
		fi
		sleep 0.1
	done
}

fail() {
	echo "$0: $*" >&2
	for f in "$scratch"/*.log; do
		[ -s "$f" ] && { echo "--- $f" >&2; tail -n 20 "$f" >&2; }
	done
	stop_all
	exit 1
}

mkdir -p "$scratch/home" "$scratch/config" "$scratch/data" "$scratch/cache" "$scratch/state" \
    "$scratch/runtime"
chmod 700 "$scratch/runtime"
export HOME="$scratch/home" XDG_CONFIG_HOME="$scratch/config" XDG_DATA_HOME="$scratch/data" \
    XDG_CACHE_HOME="$scratch/cache" XDG_STATE_HOME="$scratch/state" \
    XDG_RUNTIME_DIR="$scratch/runtime" NO_AT_BRIDGE=1

# The bus prints its address on fd 3 once it listens.
dbus-daemon --session --nofork --nosyslog --address="unix:path=$scratch/bus.socket" --print-address=3 3>"$scratch/bus" \
    >"$scratch/bus.log" 2>&1 &
bus_pid=$!
wait_for "$scratch/bus" 100 "unix:" || fail "dbus-daemon did not start"
DBUS_SESSION_BUS_ADDRESS=$(head -n 1 "$scratch/bus")
export DBUS_SESSION_BUS_ADDRESS

# Xvfb picks a free display number and writes it to fd 3 once it accepts connections.
Xvfb -displayfd 3 -nolisten tcp -screen 0 640x480x24 3>"$scratch/display" \
    >"$scratch/xvfb.log" 2>&1 &
xvfb_pid=$!
wait_for "$scratch/display" 100 "" || fail "Xvfb did not start"
n=0
while [ -z "$(cat "$scratch/display")" ] || ! grep -q '^[0-9][0-9]*$' "$scratch/display"; do
	n=$((n + 1))
	[ "$n" -gt 100 ] && fail "Xvfb did not report a display"
	kill -0 "$xvfb_pid" 2>/dev/null || fail "Xvfb exited"
	sleep 0.1
done
export DISPLAY=":$(cat "$scratch/display")"

"$server" >"$scratch/server.log" 2>&1 &
server_pid=$!
gdbus wait --session --timeout 15 org.freedesktop.Notifications ||
    fail "notification server did not appear on the bus"

export NOTIFY_CAPTURE="$scratch/capture.json"
: >"$NOTIFY_CAPTURE"
busctl --user monitor --json=short \
    --match "type='method_call',interface='org.freedesktop.Notifications',member='Notify'" \
    >"$NOTIFY_CAPTURE" 2>"$scratch/monitor.log" &
monitor_pid=$!
wait_for "$scratch/monitor.log" 100 "Monitoring bus message stream." ||
    fail "busctl monitor did not attach"
export NOTIFY_SERVER_PID="$server_pid"

"$@"
rc=$?
stop_all
exit $rc
