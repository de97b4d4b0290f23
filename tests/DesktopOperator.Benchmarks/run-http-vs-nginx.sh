#!/usr/bin/env bash
# Side-by-side HTTP benchmark on loopback: nginx (Debian's 1.22, baseline) as a reverse proxy against our gateway's
# Http pool, same hosts, same balancing. Not part of CI's test run. Bounded: every phase has a time limit and every
# process is killed by PID.
#
#   tests/DesktopOperator.Benchmarks/run-http-vs-nginx.sh
#   ROUNDS=3 DURATION=5 WARMUP=5 CONNECTIONS=32 WS_CONNECTIONS=16 OUTPUT=FILE.md   # knobs (defaults shown)
# About 45 s per proxy per round (with the defaults). Rounds alternate the proxies; the table shows medians.
#
# Hosts (127.0.0.21 and 127.0.0.22): an nginx serving a 4 KiB static page, and the harness's WebSocket host
# (Http/WebSocketUpstream.cs: /echo, /download). Proxies: nginx, one process (master_process off), upstreams with
# `hash $remote_addr consistent`, keep-alive to the hosts, the WebSocket upgrade headers (Http/NginxConfig.cs); our
# `desktop-operator standalone` with one DesktopPool of two Http protocols, SourceHash balancing, SourceIP affinity,
# route persistence on (Http/HttpProxies.cs). Scenarios: wrk (2 threads, keep-alive and `Connection: close`), and
# the harness's WebSocket client (64 KiB download MiB/s, 64 B echo round trips/s). Besides the rates it prints each
# proxy process's CPU time (/proc/PID/stat: user and kernel) per request, message or GiB: the figure that load from
# other processes moves least.
# Needs: nginx, wrk, setsid, the .NET SDK. nginx is not among the tests' tools (.ci/install-tools); run as root,
# this script installs Debian's nginx-light without starting its service.
#
# Writes the Markdown table to stdout and to $OUTPUT (default: .tmp/http-figures.md, git-ignored).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

rounds="${ROUNDS:-3}"
duration="${DURATION:-5}"
warmup="${WARMUP:-5}"
connections="${CONNECTIONS:-32}"
ws_connections="${WS_CONNECTIONS:-16}"
output="${OUTPUT:-$repo/.tmp/http-figures.md}"; mkdir -p "$(dirname "$output")"

if ! command -v nginx >/dev/null; then
  if [ "$(id -u)" != 0 ]; then
    echo "missing nginx: install Debian's nginx-light (as root: apt-get install nginx-light), or run this script as root" >&2
    exit 1
  fi
  echo "nginx is missing: installing Debian's nginx-light (its system service is not started)" >&2
  # A package's service would start on 0.0.0.0:80; the benchmark starts its own nginx processes on loopback.
  policy=/usr/sbin/policy-rc.d
  if [ ! -e "$policy" ]; then
    trap 'rm -f "$policy"' EXIT
    printf '#!/bin/sh\nexit 101\n' > "$policy"
    chmod +x "$policy"
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx-light >/dev/null
fi
for tool in wrk setsid; do
  command -v "$tool" >/dev/null || { echo "missing $tool: run .ci/install-tools" >&2; exit 1; }
done

# wrk's and the proxies' connections, and nginx's worker_rlimit_nofile: raise the soft limit to the hard one.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

dotnet build "$here" -c Release -m:1 -nologo -v quiet >&2
dotnet build "$repo/src/DesktopOperator" -c Release -m:1 -nologo -v quiet >&2
echo "load before: $(uptime)" >&2
timeout --kill-after=10 3600 dotnet "$here/bin/Release/net10.0/DesktopOperator.Benchmarks.dll" http \
  --rounds "$rounds" --duration "$duration" --warm-up "$warmup" --connections "$connections" \
  --ws-connections "$ws_connections" --output "$output"
echo "load after: $(uptime)" >&2
