#!/usr/bin/env bash
# Load test of `leadmatch serve` (BENCHMARKS.md, "serve"): POST /api/score with 64 concurrent
# keep-alive clients for 10 s, p50/p99 latency and requests/s, against a release build.
# Needs wrk (Debian: apt-get install wrk). Usage: benches/load/run.sh [CLIENTS] [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/../.."
clients=${1:-64}
secs=${2:-10}
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)"; exit 1; }
cargo build --release --locked --bin leadmatch
port=18765
work=$(mktemp -d)
(cd "$work" && exec "$OLDPWD/target/release/leadmatch" serve --addr "127.0.0.1:$port") 2>"$work/serve.log" &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
# Warm up, then measure.
wrk -t2 -c"$clients" -d2s -s benches/load/score.lua "http://127.0.0.1:$port/api/score" >/dev/null
wrk -t2 -c"$clients" -d"${secs}s" --latency -s benches/load/score.lua "http://127.0.0.1:$port/api/score"
