#!/usr/bin/env bash
# Side-by-side proxy benchmark on loopback: HAProxy 2.6 (baseline) against the candidates, same backends, same
# balancing. Not part of CI's test run. Bounded: every phase has a time limit and every process is killed by PID.
#
#   tests/DesktopOperator.Benchmarks/run-proxy-vs-haproxy.sh                      # candidates: gateway
#   CANDIDATES="haproxy-b socat" tests/DesktopOperator.Benchmarks/run-proxy-vs-haproxy.sh   # prove the harness
#   CANDIDATES="gateway epoll" tests/DesktopOperator.Benchmarks/run-proxy-vs-haproxy.sh    # and the bare epoll relay probe (Proxy/Epoll)
#   DESKTOP_OPERATOR_EXE_BEFORE=OLD/desktop-operator CANDIDATES="gateway gateway-before" ...  # gateway-SUFFIX runs $DESKTOP_OPERATOR_EXE_SUFFIX
#   DURATION=10 IDLE=9500 ROUNDS=3 ROUND_TRIPS=20000 BALANCING=source OUTPUT=FILE.md   # knobs (defaults shown; IDLE=0 skips)
#   IPERF=0 skips the iperf3 single-stream scenario (a fresh instance of each proxy in front of one `iperf3 -s`)
#   STEADY_AFTER=40: the measured steps start once each proxy has run this many seconds (a .NET process compiles its
#   once-a-second housekeeping again, optimized, about 30 s after start; 0: measure right after the warm-ups)
# About 75 s per proxy per round (40 of them before the first measured step). Rounds alternate the proxies; the table shows medians.
#
# Configuration as a user would run it: SourceHash balancing with SourceIP affinity (HAProxy: balance source), route
# persistence on (standalone --state), metrics on (the admin endpoint serves /metrics). Besides the throughput and
# rate figures it prints the CPU time each proxy process spent (/proc/PID/stat: user and kernel) per new connection
# and per GiB moved, and the gateway/HAProxy ratios: the figure that load from other processes moves least.
# Needs: haproxy, setsid, the .NET SDK; the sinks are the harness's own (tests/DesktopOperator.Benchmarks/Proxy/BackendServer.cs),
# and iperf3 for its scenario (not among the tests' tools: apt-get install iperf3, or IPERF=0).
#
# Writes the Markdown table to stdout and to $OUTPUT (default: .tmp/proxy-figures.md, git-ignored).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

candidates="${CANDIDATES:-gateway}"
duration="${DURATION:-10}"
idle="${IDLE:-9500}"
rounds="${ROUNDS:-3}"
round_trips="${ROUND_TRIPS:-20000}"
balancing="${BALANCING:-source}"
iperf="${IPERF:-1}"
steady_after="${STEADY_AFTER:-40}"
output="${OUTPUT:-$repo/.tmp/proxy-figures.md}"; mkdir -p "$(dirname "$output")"

for tool in haproxy setsid; do
  command -v "$tool" >/dev/null || { echo "missing $tool: run .ci/install-tools" >&2; exit 1; }
done
if [[ "$iperf" != 0 ]] && ! command -v iperf3 >/dev/null; then
  echo "missing iperf3: install Debian's iperf3 (as root: apt-get install iperf3), or run with IPERF=0 to skip its scenario" >&2
  exit 1
fi

# Each idle proxied connection costs the proxy two descriptors, the client one, the backend one: raise the soft
# limit to the hard one (20,000 here), which every child process inherits.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
echo "open-file limit: $(ulimit -n)" >&2

dotnet build "$here" -c Release -m:1 -nologo -v quiet >&2
if [[ " $candidates " == *" gateway "* ]]; then
  dotnet build "$repo/src/DesktopOperator" -c Release -m:1 -nologo -v quiet >&2
fi

args=(proxy --baseline haproxy --balancing "$balancing" --duration "$duration" --idle "$idle" --rounds "$rounds" --round-trips "$round_trips" --iperf "$iperf" --steady-after "$steady_after" --output "$output")
for c in $candidates; do args+=(--candidate "$c"); done
exec timeout --kill-after=10 3600 dotnet "$here/bin/Release/net10.0/DesktopOperator.Benchmarks.dll" "${args[@]}"
