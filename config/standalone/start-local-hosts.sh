#!/usr/bin/env bash
# Local desktop hosts for trying standalone mode without any real machines: two TigerVNC servers (Debian package
# tigervnc-standalone-server), "host-a" on 127.0.0.11:5901 and "host-b" on 127.0.0.12:5901, no password (loopback
# only). The pool in pools/vnc-local.yaml points at exactly these. Each desktop announces its name to VNC clients, so
# a client shows which host the gateway picked.
#
#   config/standalone/start-local-hosts.sh          # start (or: start); prints where the hosts listen
#   config/standalone/start-local-hosts.sh status   # which of them run
#   config/standalone/start-local-hosts.sh stop     # kill them by the PIDs recorded at start
#
# If 5901 is taken on an address, the next free port is used and printed; then edit the pool's port to match.
set -euo pipefail
state="${LOCAL_HOSTS_DIR:-${TMPDIR:-/tmp}/desktop-operator-local-hosts}"
pids="$state/pids"
hosts=("host-a 127.0.0.11" "host-b 127.0.0.12")
base_port="${LOCAL_HOSTS_PORT:-5901}"

listening() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

free_display() {
  local n
  for n in $(seq 50 999); do
    [ -e "/tmp/.X11-unix/X$n" ] || [ -e "/tmp/.X$n-lock" ] || { echo "$n"; return; }
  done
  echo "no free X display number" >&2; exit 1
}

start() {
  command -v Xvnc >/dev/null || { echo "Xvnc not found: apt-get install tigervnc-standalone-server (or .ci/install-tools)" >&2; exit 1; }
  if [ -s "$pids" ]; then
    echo "already started (see '$0 status'; '$0 stop' first)" >&2; exit 1
  fi
  mkdir -p "$state"
  : > "$pids"
  local entry name address port display pid
  for entry in "${hosts[@]}"; do
    read -r name address <<<"$entry"
    port="$base_port"
    while listening "$address" "$port"; do port=$((port + 1)); done
    display="$(free_display)"
    Xvnc ":$display" -rfbport "$port" -interface "$address" -SecurityTypes None -desktop "$name" \
      -geometry 1024x768 -nolisten tcp -AlwaysShared >"$state/$name.log" 2>&1 &
    pid=$!
    echo "$pid $name $address $port $display" >> "$pids"
    # Ready when the port greets with the RFB banner (10 s at most).
    for _ in $(seq 100); do
      if banner="$(timeout 1 bash -c "exec 3<>/dev/tcp/$address/$port; head -c 3 <&3" 2>/dev/null)" && [ "$banner" = "RFB" ]; then
        break
      fi
      kill -0 "$pid" 2>/dev/null || { echo "$name failed to start; log:" >&2; cat "$state/$name.log" >&2; stop; exit 1; }
      sleep 0.1
    done
    listening "$address" "$port" || { echo "$name did not listen on $address:$port; log: $state/$name.log" >&2; stop; exit 1; }
    echo "$name: vnc://$address:$port (Xvnc :$display, pid $pid, log $state/$name.log)"
  done
  echo "PIDs in $pids; stop with: $0 stop"
}

stop() {
  [ -f "$pids" ] || { echo "nothing started"; return 0; }
  local pid name address port display
  while read -r pid name address port display; do
    # Only a PID that is still our Xvnc: after a reboot the number may belong to something else.
    if [ -r "/proc/$pid/cmdline" ] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q "Xvnc :$display "; then
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null || true
      echo "stopped $name (pid $pid)"
    fi
    rm -f "/tmp/.X$display-lock" "/tmp/.X11-unix/X$display"
  done < "$pids"
  rm -f "$pids"
}

status() {
  [ -f "$pids" ] || { echo "not started"; return 0; }
  local pid name address port display
  while read -r pid name address port display; do
    if kill -0 "$pid" 2>/dev/null; then echo "$name: running, $address:$port (pid $pid)"; else echo "$name: gone (pid $pid)"; fi
  done < "$pids"
}

case "${1:-start}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 [start|stop|status]" >&2; exit 2 ;;
esac
